#!/usr/bin/env python3
"""Grade a whole class: every submission in a folder, several at once.

    batch.py DIR --lab N [--out OUT] [-j QEMUS] [--parallel P]
    make grade-batch SUBS=DIR LAB=N [OUT=OUT] [JOBS=QEMUS]

Each entry of DIR is one submission: a directory (a git repository is graded at HEAD, or
--git-ref), a .tar.gz/.tgz/.tar or a .zip file; the student's name is the entry's name
without its extension. Every submission is graded by grade/submission.py in its own scratch
copy with the official files of the reference tree laid over it, P at a time (each running
QEMUS/P tests at once, so never more than QEMUS QEMUs run together). A submission that does
not unpack, does not build, hangs or fills the disk costs only its own score.

OUT (default obj/batch/labN) receives grades.csv and grades.json (one row per student:
score per test, total, build failure, error, time) and logs/STUDENT/ with the grader's
output (grade.log), its JSON (results.json), what the overlay replaced (overlay.txt) and
the serial log of each test. A progress line per submission goes to stderr.
"""

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import submission  # noqa: E402


def find_submissions(folder):
    """(student, path) for each submission in folder, in name order; a name used twice
    gets -2, -3 ... appended."""
    out, seen = [], {}
    for entry in sorted(os.listdir(folder)):
        path = os.path.join(folder, entry)
        if entry.startswith(".") or entry in submission.JUNK:
            continue
        if not (os.path.isdir(path) or entry.lower().endswith(submission.ARCHIVE_SUFFIXES)):
            continue
        name = submission.student_name(path)
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = "%s-%d" % (name, seen[name])
        out.append((name, path))
    return out


def write_csv(path, tests, results):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student"] + [n for n, _, _ in tests] +
                   ["total", "max_score", "build_failed", "error", "replaced_official_files",
                    "seconds"])
        for r in results:
            replaced = " ".join((r["overlay"] or {}).get("replaced", []))
            w.writerow([r["student"]] + [submission.fmt(r["scores"].get(n, 0))
                                         for n, _, _ in tests] +
                       [submission.fmt(r["total"]), submission.fmt(r["max_score"]),
                        "yes" if r["build_failed"] else "no", r["error"] or "", replaced,
                        "%.1f" % r["seconds"]])


def write_json(path, lab, tests, results):
    data = {"lab": lab,
            "max_score": sum(p for _, p, _ in tests),
            "tests": [{"name": n, "max_score": p} for n, p, _ in tests],
            "students": [{k: r[k] for k in ("student", "submission", "total", "max_score",
                                            "scores", "build_failed", "error", "seconds",
                                            "overlay", "logs")} for r in results]}
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Grade every submission in a folder.")
    ap.add_argument("folder", help="the folder holding the submissions")
    ap.add_argument("--lab", type=int, required=True)
    ap.add_argument("--src", default=submission.TOP,
                    help="the reference tree (default: %(default)s)")
    ap.add_argument("--out", help="where the results go (default: SRC/obj/batch/labN)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                    help="QEMUs running at once, in total (default: number of cores)")
    ap.add_argument("--parallel", type=int,
                    help="submissions graded at once (default: JOBS, or fewer submissions)")
    ap.add_argument("--scratch", help="where the scratch copies go (default: the system's "
                                      "temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep each graded scratch tree")
    submission.limits_args(ap)
    args = ap.parse_args(argv)

    subs = find_submissions(args.folder)
    if not subs:
        print("batch: no submissions (directories, .tar.gz, .tgz, .tar or .zip files) in %s"
              % args.folder, file=sys.stderr)
        return 2
    out = os.path.abspath(args.out or os.path.join(args.src, "obj", "batch", "lab%d" % args.lab))
    os.makedirs(os.path.join(out, "logs"), exist_ok=True)
    jobs = max(1, args.jobs)
    parallel = max(1, min(args.parallel or jobs, jobs, len(subs)))
    per_sub = max(1, jobs // parallel)
    limits = submission.limits_from(args)

    work = tempfile.mkdtemp(prefix="sparrow-batch-", dir=args.scratch)
    try:
        bundle = submission.make_bundle(args.src, args.lab, work)
        tests = submission.grader_tests(bundle, args.lab)
        print("batch: lab %d, %d submissions, %d at a time with -j %d each; results in %s"
              % (args.lab, len(subs), parallel, per_sub, out), file=sys.stderr)
        lock = threading.Lock()
        done = [0]

        def one(item):
            name, path = item
            logdir = os.path.join(out, "logs", name)
            shutil.rmtree(logdir, ignore_errors=True)
            try:
                r = submission.grade(path, args.lab, bundle, logdir, limits, jobs=per_sub,
                                     scratch_dir=args.scratch, keep=args.keep,
                                     git_ref=args.git_ref, name=name)
            except Exception as e:  # a bug of ours must not lose the other students' grades
                r = {"student": name, "submission": os.path.abspath(path), "total": 0,
                     "max_score": sum(p for _, p, _ in tests),
                     "scores": {n: 0 for n, _, _ in tests}, "build_failed": False,
                     "error": "internal error: %s: %s" % (type(e).__name__, e),
                     "seconds": 0.0, "overlay": None}
            r["logs"] = os.path.relpath(logdir, out)
            with lock:
                done[0] += 1
                print("[%d/%d done] %s" % (done[0], len(subs), submission.describe(r)),
                      file=sys.stderr, flush=True)
            return r

        with ThreadPoolExecutor(max_workers=parallel) as pool:
            results = list(pool.map(one, subs))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    write_csv(os.path.join(out, "grades.csv"), tests, results)
    write_json(os.path.join(out, "grades.json"), args.lab, tests, results)
    failed = sum(1 for r in results if r["build_failed"] or r["error"])
    print("batch: %d graded (%d did not build or could not be graded); wrote %s and %s"
          % (len(results), failed, os.path.join(out, "grades.csv"),
             os.path.join(out, "grades.json")), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
