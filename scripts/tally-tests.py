#!/usr/bin/env python3
"""Sum the test cases of meson test logs (testlog.json) and print "N passed, N failed".

Each test speaks TAP: every "ok"/"not ok" line is one case ("# SKIP" ones are skipped).
A test that failed without reporting a failed case (a crash, a timeout) counts as one failure."""
import json
import re
import sys

TAP = re.compile(r"^(not )?ok\b")
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        print(f"tally: {e}", file=sys.stderr)
        failed += 1
        continue
    for line in lines:
        test = json.loads(line)
        p = f = s = 0
        for out in (test.get("stdout") or "").splitlines():
            m = TAP.match(out)
            if not m:
                continue
            if "# SKIP" in out:
                s += 1
            elif m.group(1):
                f += 1
            else:
                p += 1
        if test["result"] not in ("OK", "SKIP", "EXPECTEDFAIL") and f == 0:
            f = 1
        if p + f + s == 0 and test["result"] == "OK":
            p = 1
        if p + f + s == 0 and test["result"] == "SKIP":
            s = 1
        passed, failed, skipped = passed + p, failed + f, skipped + s
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
