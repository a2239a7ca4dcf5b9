"""harness.py - what the browser test drivers (browser.py, loop.py) share: the skip when
Chromium, Node.js or playwright-core is missing, TAP lines, commands run with the test's
environment, processes stopped at the end, and a browser script (drive.mjs's plan) run with its
"ok - ..." lines numbered into the driver's TAP."""
import json
import os
import shutil
import subprocess
import sys


class Harness:
    def __init__(self, node, root, env):
        self.node, self.root, self.env = node, root, env
        self.modules = os.path.join(root, "web", "node_modules")
        self.chromium = shutil.which("chromium") or "/usr/bin/chromium"
        self.procs, self.n, self.failed, self.work = [], 0, 0, None
        missing = [what for what, there in [
            ("chromium (Debian package chromium)", os.path.exists(self.chromium)),
            ("Node.js", shutil.which(node) is not None),
            ("playwright-core (npm ci in web/)",
             os.path.exists(os.path.join(self.modules, "playwright-core"))),
        ] if not there]
        if missing:
            print("1..0 # SKIP missing: " + ", ".join(missing))
            sys.exit(0)

    def ok(self, cond, what, diag=None):
        self.n += 1
        print(("ok" if cond else "not ok") + f" {self.n} - {what}", flush=True)
        if not cond:
            self.failed += 1
            for line in str(diag or "").splitlines()[:15]:
                print("# " + line)
        return cond

    def run(self, *args):
        r = subprocess.run(args, env=self.env, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"# {' '.join(args)}: exit {r.returncode}: {r.stderr}")
        return r

    def start(self, args, **kw):
        p = subprocess.Popen(args, env=self.env, **kw)
        self.procs.append(p)
        return p

    def finish(self):
        for p in self.procs:
            p.kill()
            p.wait()
        if self.work:
            shutil.rmtree(self.work, ignore_errors=True)
        print(f"1..{self.n}")
        sys.exit(1 if self.failed else 0)

    def shots_dir(self, path):
        """An empty folder for this run's screenshots."""
        os.makedirs(path, exist_ok=True)
        for f in os.listdir(path):
            if f.endswith(".png"):
                os.unlink(os.path.join(path, f))
        return path

    def browse(self, script, plan, min_steps):
        """Run tests/browser/SCRIPT with plan (given the modules and Chromium); its checks
        become this driver's."""
        plan = dict(plan, modules=self.modules, chromium=self.chromium)
        json.dump(plan, open("plan.json", "w"))
        p = subprocess.run([self.node, os.path.join(self.root, "tests/browser", script),
                            "plan.json"], env=self.env, capture_output=True, text=True,
                           timeout=600)
        steps = 0
        for line in p.stdout.splitlines():
            if line.startswith("ok - ") or line.startswith("not ok - "):
                steps += 1
                self.ok(line.startswith("ok - "), line.split(" - ", 1)[1])
            elif line.startswith("#"):
                print(line)
        self.ok(p.returncode == 0 and steps >= min_steps,
                f"the browser steps ran ({steps} checks, exit {p.returncode})", p.stderr[-2000:])
