#!/usr/bin/env python3
"""build.py TEMPLATE NODE_MODULES OUT [--css FILE]... [--vendor NAME]... [MODULE...]

One page of web/ as one file. The page's own modules (web/js/) and the vendored npm packages
it names (pinned by web/package-lock.json) go into an import map as data: URLs, and its style
sheets (its own, and a vendored package's) inline, so the file needs nothing else: served by
warta-gateway or warta desk, or saved to disk and opened with no network (browsers do not load
module files from file:// addresses, but do load data: ones). The template holds
<!-- warta:importmap --> once and <!-- warta:style NAME --> once for each style sheet."""
import argparse
import base64
import json
import os
import sys

# What each vendored package gives the page: its modules (import name -> file) and styles.
VENDORED = {
    "libsodium-wrappers": {
        "modules": {
            "libsodium": "libsodium/dist/modules-esm/libsodium.mjs",
            "libsodium-wrappers": "libsodium-wrappers/dist/modules-esm/libsodium-wrappers.mjs",
        },
        "styles": [],
    },
    "uplot": {
        "modules": {"uplot": "uplot/dist/uPlot.esm.js"},
        "styles": ["uplot/dist/uPlot.min.css"],
    },
}

ap = argparse.ArgumentParser()
ap.add_argument("template")
ap.add_argument("node_modules")
ap.add_argument("out")
ap.add_argument("--css", action="append", default=[])
ap.add_argument("--vendor", action="append", default=[], choices=sorted(VENDORED))
ap.add_argument("modules", nargs="*")
a = ap.parse_intermixed_args()


def need(path):
    if not os.path.exists(path):
        sys.exit(f"build.py: {path} is missing: run `npm ci` in web/ (scripts/deps.sh does)")
    return path


def data_url(path):
    with open(need(path), "rb") as f:
        return "data:text/javascript;base64," + base64.b64encode(f.read()).decode()


imports, styles = {}, list(a.css)
for name in a.vendor:
    for mod, rel in VENDORED[name]["modules"].items():
        imports[mod] = data_url(os.path.join(a.node_modules, rel))
    styles += [need(os.path.join(a.node_modules, rel)) for rel in VENDORED[name]["styles"]]
for path in a.modules:
    imports["warta/" + os.path.basename(path)] = data_url(path)
importmap = json.dumps({"imports": imports}, indent=1).replace("</", "<\\/")

page = open(a.template, encoding="utf-8").read()
marks = {"<!-- warta:importmap -->": f'<script type="importmap">\n{importmap}\n</script>'}
for css in styles:
    style = open(css, encoding="utf-8").read().replace("</", "<\\/")
    marks[f"<!-- warta:style {os.path.basename(css)} -->"] = f"<style>\n{style}\n</style>"
for mark, text in marks.items():
    if page.count(mark) != 1:
        sys.exit(f"build.py: {a.template} must hold {mark} once")
    page = page.replace(mark, text)
if "<!-- warta:" in page:
    sys.exit(f"build.py: {a.template} holds a mark nothing fills")
with open(a.out, "w", encoding="utf-8") as f:
    f.write(page)
