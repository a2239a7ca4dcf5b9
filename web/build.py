#!/usr/bin/env python3
"""build.py TEMPLATE CSS NODE_MODULES OUT MODULE... - the verification page as one file.

The page's own modules (web/js/) and the vendored libsodium-wrappers (from npm, pinned by
web/package-lock.json) go into an import map as data: URLs and the style sheet inline, so the
file needs nothing else: served by warta-gateway at /verify, or saved to disk and opened with no
network (browsers do not load module files from file:// addresses, but do load data: ones)."""
import base64
import json
import os
import sys

template, css, modules, out = sys.argv[1:5]
own = sys.argv[5:]


def data_url(path):
    with open(path, "rb") as f:
        return "data:text/javascript;base64," + base64.b64encode(f.read()).decode()


vendored = {
    "libsodium": "libsodium/dist/modules-esm/libsodium.mjs",
    "libsodium-wrappers": "libsodium-wrappers/dist/modules-esm/libsodium-wrappers.mjs",
}
imports = {}
for name, rel in vendored.items():
    path = os.path.join(modules, rel)
    if not os.path.exists(path):
        sys.exit(f"build.py: {path} is missing: run `npm ci` in web/ (scripts/deps.sh does)")
    imports[name] = data_url(path)
for path in own:
    imports["warta/" + os.path.basename(path)] = data_url(path)
importmap = json.dumps({"imports": imports}, indent=1).replace("</", "<\\/")

page = open(template, encoding="utf-8").read()
style = open(css, encoding="utf-8").read()
marks = {
    f"<!-- warta:style {os.path.basename(css)} -->": f"<style>\n{style}</style>",
    "<!-- warta:importmap -->": f'<script type="importmap">\n{importmap}\n</script>',
}
for mark, text in marks.items():
    if page.count(mark) != 1:
        sys.exit(f"build.py: {template} must hold {mark} once")
    page = page.replace(mark, text)
with open(out, "w", encoding="utf-8") as f:
    f.write(page)
