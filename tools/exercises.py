#!/usr/bin/env python3
"""`make test-exercises`: every exercise is proven tested on its own.

For each lab N, the lab N tree with every exercise solved (the handout's files, nothing of
later labs) is built and graded once: it must score full marks. Then, for every solution
block of lab N, the same tree with only that block replaced by its stub must build, boot,
and fail every test that grade/labN.py ties to the block's exercise; the lab's other tests
must still pass, unless they declare that they need the exercise (needs=[...]) or the
exercise is a foundation one that every test needs. The matrix of blocks x tests is
printed; the last line is `N passed, N failed`, one check per block (and one per lab for
the solved tree and the declarations).

    python3 tools/exercises.py [--lab N]... [-j JOBS] [--keep DIR]

Builds are shared: each block's tree is a copy of the solved tree with its obj/ folder, so
only the changed file is compiled again.
"""

import argparse
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "grade"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import gradelib  # noqa: E402
import handout  # noqa: E402
import labplan  # noqa: E402

LABS = labplan.lab_numbers(ROOT)


def write_tree(root, lab, dest, stub):
    """Write lab's tree to dest with the blocks stub(path, block) says stubbed."""
    errors = []
    h = handout.build_handout(root, lab, handout.source_files(root), errors, stub=stub)
    if errors:
        raise handout.HandoutError("\n".join(errors))
    handout.write_files(h.tree, dest)
    return h


def grade(lab, tree, logdir, jobs):
    """{test name: passed?} from the reference grader run on tree, or None if it wrote
    nothing; and its output."""
    out_json = os.path.join(logdir, "results.json")
    p = subprocess.run([sys.executable, os.path.join(ROOT, "grade", "lab%d.py" % lab), "--tree",
                        tree, "--json", out_json, "--logdir", logdir, "-j", str(jobs), "--quiet"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if not os.path.exists(out_json):
        return None, p.stdout.decode("utf-8", "replace")
    with open(out_json) as f:
        data = json.load(f)
    return {t["name"]: t["score"] == t["max_score"] for t in data["tests"]}, \
        p.stdout.decode("utf-8", "replace")


def tail(text, n=15):
    return "\n".join(text.rstrip().splitlines()[-n:])


class Block:
    """One solution block: where it is, its exercise, and what stubbing it did."""

    def __init__(self, path, block, function, exercise):
        self.path, self.block, self.function, self.exercise = path, block, function, exercise
        self.results = None  # {test name: passed?}
        self.problem = None  # a build or boot failure
        self.seconds = 0.0

    @property
    def label(self):
        return "%s:%s" % (self.path, self.function or self.block.line)


def run_block(b, lab, base, work, jobs):
    start = time.monotonic()
    tree = os.path.join(work, "%s-%d" % (re.sub(r"[^A-Za-z0-9]+", "-", b.path), b.block.line))
    shutil.copytree(base, tree, symlinks=True)
    # Rewrite the one file with only this block stubbed; everything else is as built.
    path = os.path.join(tree, b.path)
    write_tree_file(lab, b, path)
    ok, out = gradelib.Grader(lab).build(tree, lab)
    if not ok:
        b.problem = "does not build with only this block stubbed:\n" + tail(out)
    else:
        why = gradelib.boot_check(tree, lab, os.path.join(tree, "obj", "boot"))
        if why:
            b.problem = "builds but does not boot with only this block stubbed: " + why
        else:
            b.results, out = grade(lab, tree, os.path.join(tree, "obj", "grade"), jobs)
            if b.results is None:
                b.problem = "the grader wrote no results:\n" + tail(out)
    b.seconds = time.monotonic() - start
    if not b.problem:
        shutil.rmtree(tree, ignore_errors=True)
    return b


def write_tree_file(lab, b, dest):
    entry = handout.read_entry(ROOT, b.path)
    items, errors = handout.parse_markers(b.path, entry.data)
    if errors:
        raise handout.HandoutError("\n".join(errors))
    data, _ = handout.render(items, lab, lambda blk: blk.line == b.block.line)
    data, _, errors = handout.resolve_conditions(b.path, data, lab)
    if errors:
        raise handout.HandoutError("\n".join(errors))
    with open(dest, "wb") as f:
        f.write(data)
    now = time.time() + 2  # newer than any object built from it
    os.utime(dest, (now, now))


def check_lab(lab, work, jobs, report):
    """Prove lab's exercises; report(name, problems) records each check."""
    grader = importlib.import_module("lab%d" % lab).g
    tests = grader.tests
    declared = {e.name: e for e in grader.exercises}
    problems = []
    blocks = []
    for path, blk, function in handout.lab_blocks(ROOT, lab):
        owners = [e for e in grader.exercises if e.owns(path, function)]
        if len(owners) != 1:
            problems.append("%s:%d (in %s) belongs to %s in grade/lab%d.py: declare it in "
                            "exactly one g.exercise(...)" % (
                                path, blk.line, function, "no exercise" if not owners else
                                "several exercises (%s)" % ", ".join(e.name for e in owners), lab))
            continue
        blocks.append(Block(path, blk, function, owners[0]))
    for e in grader.exercises:
        if not any(b.exercise is e for b in blocks):
            problems.append("exercise '%s' names no solution block of lab %d (%s)"
                            % (e.name, lab, ", ".join(e.blocks)))
        if not any(t.exercise == e.name for t in tests):
            problems.append("exercise '%s' has no test tied to it (exercise='%s')" % (e.name, e.name))

    # The solved tree: built once, graded once; every block's tree starts from it.
    base = os.path.join(work, "lab%d-solved" % lab)
    write_tree(ROOT, lab, base, lambda path, b: b.lab > lab)
    ok, out = gradelib.Grader(lab).build(base, lab)
    if not ok:
        report("lab %d: the tree with every exercise solved builds, boots and scores full marks"
               % lab, problems + ["it does not build:\n" + tail(out)])
        return
    results, out = grade(lab, base, os.path.join(work, "lab%d-solved-logs" % lab), jobs)
    if results is None or not all(results.values()):
        problems.append("it does not score full marks:\n" + tail(out, 30))
    report("lab %d: the tree with every exercise solved builds, boots and scores full marks; "
           "every block belongs to one exercise, every exercise has a test" % lab, problems)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        done = list(pool.map(lambda b: run_block(b, lab, base, work, 1), blocks))
    print_matrix(lab, done, tests)
    for b in done:
        report("lab %d: stubbing %s alone fails the tests of '%s' (%.0fs)"
               % (lab, b.label, b.exercise.name, b.seconds), block_problems(b, tests))


def block_problems(b, tests):
    if b.problem:
        return [b.problem]
    problems = []
    for t in tests:
        passed = b.results.get(t.name)
        if passed is None:
            problems.append("no result for '%s'" % t.name)
        elif t.exercise == b.exercise.name and passed:
            problems.append("'%s' still passes: it does not test '%s' (%s)"
                            % (t.short, b.exercise.name, b.label))
        elif t.exercise != b.exercise.name and not passed and not b.exercise.foundation \
                and b.exercise.name not in t.needs:
            problems.append("'%s' fails, but it is not tied to '%s' and does not declare "
                            "needs=['%s']" % (t.short, b.exercise.name, b.exercise.name))
    return problems


def print_matrix(lab, blocks, tests):
    """Blocks down, tests across: X = fails (tied to the exercise), x = fails (needs it),
    . = passes; ! marks a cell that breaks the rule."""
    print("\nLab %d: each row stubs one block; X: a test of its exercise fails, x: a test that "
          "needs it fails, .: passes, !: wrong" % lab)
    for i, t in enumerate(tests, 1):
        print("  %2d  %s  [%s]" % (i, t.short, t.exercise or "-"))
    width = max([len(b.label) for b in blocks] + [10])
    print("  %-*s  %s" % (width, "", " ".join("%2d" % i for i in range(1, len(tests) + 1))))
    for b in blocks:
        if b.problem:
            print("  %-*s  %s" % (width, b.label, b.problem.splitlines()[0]))
            continue
        cells = []
        for t in tests:
            passed = b.results.get(t.name)
            tied = t.exercise == b.exercise.name
            allowed = b.exercise.foundation or b.exercise.name in t.needs
            if passed is None:
                c = "?"
            elif tied:
                c = " X" if not passed else " !"
            elif passed:
                c = " ."
            else:
                c = " x" if allowed else " !"
            cells.append(c)
        print("  %-*s  %s" % (width, b.label, " ".join(cells)))
    print()
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lab", type=int, action="append", help="only this lab (repeatable)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", help="work in this folder and keep it")
    args = ap.parse_args()
    work = args.keep or tempfile.mkdtemp(prefix="sparrow-exercises-")
    os.makedirs(work, exist_ok=True)
    counts = [0, 0]

    def report(name, problems):
        counts[1 if problems else 0] += 1
        print("%s  %s" % ("FAIL" if problems else "ok  ", name))
        for p in problems:
            for line in p.splitlines():
                print("      " + line)
        sys.stdout.flush()

    try:
        for lab in args.lab or LABS:
            check_lab(lab, work, args.jobs, report)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % tuple(counts))
    return 1 if counts[1] else 0


if __name__ == "__main__":
    sys.exit(main())
