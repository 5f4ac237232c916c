#!/usr/bin/env python3
"""`make test`: every test of the project, ending with the line `N passed, N failed`.

Suites: the C style check, host unit tests, the handout generator's unit tests, each lab's
grader on the reference kernel (full score expected), the handout proof for each lab (on the
lab N handout, lab N's graded exercises fail and earlier labs still pass), and the gdb
workflow. `--only REGEX` runs the checks whose name matches.
"""

import argparse
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LABS = sorted(int(m.group(1)) for m in
              (re.match(r"lab(\d+)$", d) for d in os.listdir(os.path.join(ROOT, "labs"))) if m)

sys.path.insert(0, os.path.join(ROOT, "grade"))


class CheckFailed(Exception):
    pass


def sh(cmd, cwd=ROOT, env=None, timeout=600):
    """Run a command; return (exit status, combined output)."""
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=timeout, shell=isinstance(cmd, str))
    return p.returncode, p.stdout.decode("utf-8", "replace")


def must(cmd, what, **kw):
    rc, out = sh(cmd, **kw)
    if rc != 0:
        raise CheckFailed("%s failed (exit %d):\n%s" % (what, rc, tail(out)))
    return out


def tail(text, n=40):
    return "\n".join(text.rstrip().splitlines()[-n:])


# ---------------------------------------------------------------------------------------
# The checks. Each raises CheckFailed with a message saying what went wrong.

def check_style():
    must(["make", "-s", "check-format"], "clang-format --dry-run --Werror (run `make format`)")


def check_host_unit_tests():
    for script in sorted(glob.glob(os.path.join(ROOT, "tests", "host", "run*.sh"))):
        must(["bash", script], os.path.relpath(script, ROOT))


def check_handout_tool():
    must([sys.executable, "tools/test_handout.py"], "tools/test_handout.py")
    must([sys.executable, "tools/handout.py", "--check"], "solution markers in the tree")


def check_compile_commands():
    out = must(["make", "-s", "compile_commands.json"], "make compile_commands.json")
    entries = json.load(open(os.path.join(ROOT, "compile_commands.json")))
    files = {os.path.relpath(e["file"], ROOT) for e in entries}
    for f in ("kern/core/init.c", "lib/printfmt.c"):
        if f not in files:
            raise CheckFailed("compile_commands.json lacks %s\n%s" % (f, out))


def grade(lab, tree, logdir, jobs):
    """Run the reference tree's grader for `lab` on `tree`; returns the JSON results."""
    out_json = os.path.join(logdir, "lab%d.json" % lab)
    rc, out = sh([sys.executable, os.path.join(ROOT, "grade", "lab%d.py" % lab), "--tree", tree,
                  "--json", out_json, "--logdir", os.path.join(logdir, "lab%d" % lab),
                  "-j", str(jobs)], timeout=900)
    if not os.path.exists(out_json):
        raise CheckFailed("grade/lab%d.py wrote no results:\n%s" % (lab, tail(out)))
    with open(out_json) as f:
        return json.load(f), out


def exercises(lab):
    """The test name -> exercise mapping that grade/labN.py declares."""
    import importlib
    mod = importlib.import_module("lab%d" % lab)
    return {t.name: t.exercise for t in mod.g.tests}


def check_reference_grade(lab, jobs):
    def run():
        logdir = os.path.join(ROOT, "obj", "test", "reference")
        os.makedirs(logdir, exist_ok=True)
        res, out = grade(lab, ROOT, logdir, jobs)
        if res["score"] != res["max_score"]:
            raise CheckFailed("the reference kernel scores %d/%d on lab %d:\n%s" % (
                res["score"], res["max_score"], lab, tail(out, 60)))
    return run


def check_handout_proof(lab, jobs):
    def run():
        work = tempfile.mkdtemp(prefix="sparrow-handout%d-" % lab)
        try:
            tree = os.path.join(work, "tree")
            must([sys.executable, "tools/handout.py", "--lab", str(lab), "--out", tree],
                 "make handout LAB=%d" % lab)
            logdir = os.path.join(work, "logs")
            problems = []
            for earlier in LABS:
                if earlier > lab:
                    break
                res, out = grade(earlier, tree, logdir, jobs)
                if earlier < lab and res["score"] != res["max_score"]:
                    problems.append("lab %d's grader should pass on the lab %d handout (earlier "
                                    "labs come solved) but scores %d/%d:\n%s" % (
                                        earlier, lab, res["score"], res["max_score"], tail(out)))
                if earlier == lab:
                    ex = exercises(lab)
                    for t in res["tests"]:
                        if ex.get(t["name"]) and t["score"] > 0:
                            problems.append("on the lab %d handout, '%s' (grading exercise "
                                            "'%s') still passes: it does not test that exercise"
                                            % (lab, t["name"], ex[t["name"]]))
                    graded = set(ex.values()) - {None}
                    if not graded:
                        problems.append("grade/lab%d.py ties no test to an exercise" % lab)
                    if res["score"] >= res["max_score"]:
                        problems.append("the lab %d handout scores full marks" % lab)
            if problems:
                raise CheckFailed("\n".join(problems))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return run


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_gdb():
    """QEMU as `make qemu-nox-gdb` starts it, gdb -batch with the project's .gdbinit."""
    must(["make", "-s", "all"], "make")
    port = free_port()
    env = dict(os.environ, GDBPORT=str(port))
    qemu = subprocess.Popen(["make", "-s", "qemu-nox-gdb", "GDBPORT=%d" % port], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for _ in range(100):  # wait until QEMU listens
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        rc, out = sh(["gdb", "-batch", "-iex", "add-auto-load-safe-path %s/.gdbinit" % ROOT,
                      "-ex", "break mb_print_mmap", "-ex", "continue", "-ex", "bt",
                      "-ex", "info registers rip", "-ex", "next", "-ex", "info registers rip"],
                     env=env, timeout=120)
    finally:
        os.killpg(qemu.pid, 9)
        qemu.wait()
    if "too long" in out:
        raise CheckFailed("gdb reported the 'g packet too long' problem:\n" + tail(out))
    if not re.search(r"Breakpoint 1, mb_print_mmap \(\)", out):
        raise CheckFailed("gdb did not stop at the breakpoint on mb_print_mmap:\n" + tail(out))
    if not re.search(r"^#1\s+0x[0-9a-f]+ in kmain ", out, re.M):
        raise CheckFailed("bt should show kmain calling mb_print_mmap:\n" + tail(out))
    rips = re.findall(r"^rip\s+0x([0-9a-f]+)", out, re.M)
    if len(rips) != 2 or not all(int(r, 16) >= 0xFFFFFFFF80000000 for r in rips) or rips[0] == rips[1]:
        raise CheckFailed("info registers rip should show two different higher-half addresses "
                          "(before and after `next`):\n" + tail(out))


# ---------------------------------------------------------------------------------------

def all_checks(jobs):
    checks = [("style: tree formatted per .clang-format", check_style),
              ("host: lib/ printf and string unit tests (ASan/UBSan)", check_host_unit_tests),
              ("handout: generator unit tests and marker syntax", check_handout_tool),
              ("build: compile_commands.json", check_compile_commands)]
    for lab in LABS:
        checks.append(("grade: lab %d reference scores full marks" % lab,
                       check_reference_grade(lab, jobs)))
    for lab in LABS:
        checks.append(("handout: lab %d exercises fail on the lab %d handout, earlier labs pass"
                       % (lab, lab), check_handout_proof(lab, jobs)))
    checks.append(("gdb: break, continue, bt, next in 64-bit mode", check_gdb))
    return checks


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="run only checks whose name matches this regex")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    passed = failed = 0
    for name, fn in all_checks(args.jobs):
        if args.only and not re.search(args.only, name):
            continue
        start = time.monotonic()
        try:
            fn()
        except (CheckFailed, subprocess.TimeoutExpired) as e:
            failed += 1
            print("FAIL  %s (%.1fs)" % (name, time.monotonic() - start))
            for line in str(e).splitlines():
                print("      " + line)
        else:
            passed += 1
            print("ok    %s (%.1fs)" % (name, time.monotonic() - start))
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
