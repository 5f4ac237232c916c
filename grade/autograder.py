#!/usr/bin/env python3
"""The Gradescope autograder package of one lab, and the program it runs.

    autograder.py build --lab N [--out ZIP] [--visibility V]   (make autograder LAB=N)
    autograder.py run [--root DIR]                              (what run_autograder does)

The zip holds, at its root (Gradescope unpacks it to /autograder/source):

    setup.sh          installs the Debian/Ubuntu packages (run once, as root, on image build)
    run_autograder    runs `autograder.py run` for each submission
    grade/            this program, grade/submission.py and grade/official.py
    tools/            handout.py and labplan.py, for the path globs the overlay uses
    official/         the lab's official files (tree/) and their manifest.json

`run` grades /autograder/submission like grade/submission.py does (overlay of the official
files, official grader, limits) and writes /autograder/results/results.json. The root is
$AUTOGRADER_ROOT when set (the tests point it at a temporary folder), else /autograder.
"""

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official as official_mod  # noqa: E402
import submission  # noqa: E402

TOP = official_mod.TOP
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image: install what
# Sparrow's build and grader need (the build packages of tools/packages). Choose an Ubuntu
# 24.04 (or newer) base image: Sparrow needs QEMU 7.2 or newer.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq %(packages)s
chmod +x /autograder/source/run_autograder
qemu-system-x86_64 --version | head -1
grub-mkrescue --version
python3 --version
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission for Sparrow lab
# %(lab)d and write /autograder/results/results.json. AUTOGRADER_ROOT replaces /autograder
# (to try the package on your own machine: see docs/instructors.md).
ROOT="${AUTOGRADER_ROOT:-/autograder}"
exec python3 "$ROOT/source/grade/autograder.py" run --root "$ROOT"
"""


def packages(root, purposes=("build",)):
    """The Debian packages of tools/packages for the given purposes ("build", "test"): the
    one list that tools/install-deps.sh installs from."""
    path = os.path.join(root, "tools", "packages")
    if not os.path.exists(path):
        raise official_mod.OfficialError("tools/packages is missing")
    out = []
    with open(path) as f:
        for line in f:
            words = line.split()
            if words and not words[0].startswith("#") and words[1] in purposes:
                out.append(words[0])
    return out


def add_file(z, name, data, executable=False):
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = ((0o100755 if executable else 0o100644) << 16)
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data)


def build(root, lab, out, visibility):
    """Write the autograder zip of lab to out."""
    official = official_mod.Official.from_reference(root, lab)
    with tempfile.TemporaryDirectory() as tmp:
        bundle = os.path.join(tmp, "official")
        official.save(bundle)
        settings = {"lab": lab, "visibility": visibility}
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        part = out + ".tmp"
        with zipfile.ZipFile(part, "w") as z:
            add_file(z, "setup.sh", SETUP_SH % {"packages": " ".join(packages(root))}, True)
            add_file(z, "run_autograder", RUN_AUTOGRADER % {"lab": lab}, True)
            add_file(z, "settings.json", json.dumps(settings, indent=1) + "\n")
            for name in ("autograder.py", "submission.py", "official.py"):
                with open(os.path.join(root, "grade", name), "rb") as f:
                    add_file(z, "grade/" + name, f.read(), name == "autograder.py")
            for name in ("handout.py", "labplan.py"):
                with open(os.path.join(root, "tools", name), "rb") as f:
                    add_file(z, "tools/" + name, f.read())
            for cur, _, files in sorted(os.walk(bundle)):
                for n in sorted(files):
                    full = os.path.join(cur, n)
                    rel = os.path.relpath(full, tmp).replace(os.sep, "/")
                    with open(full, "rb") as f:
                        add_file(z, rel, f.read(), bool(os.stat(full).st_mode & 0o111))
        os.replace(part, out)
    return official


# ---------------------------------------------------------------------------------------
# Running on Gradescope.

def results_json(result, lab, visibility, seconds):
    """Gradescope's results.json for a submission.grade() result."""
    head = ["Sparrow lab %d: %s/%s" % (lab, submission.fmt(result["total"]),
                                       submission.fmt(result["max_score"]))]
    overlay = result.get("overlay")
    if overlay and (overlay["replaced"] or overlay["removed"]):
        head.append("Your own copies of these files were not used (the official ones were): "
                    + ", ".join(overlay["replaced"] + overlay["removed"]))
    if result["error"]:
        head.append("Your submission could not be graded: %s" % result["error"])
    if result.get("output"):
        head.append(result["output"])
    tests = []
    for t in result["tests"]:
        tests.append({"name": t["name"], "score": t["score"], "max_score": t["max_score"],
                      "status": "passed" if t["score"] >= t["max_score"] else "failed",
                      "output": t["output"], "visibility": visibility})
    if not tests:  # nothing ran: one line per test, so the student sees what was missed
        for name, points in result["max_by_test"]:
            tests.append({"name": name, "score": 0, "max_score": points, "status": "failed",
                          "output": "not run: %s" % (result["error"] or "no result"),
                          "visibility": visibility})
    return {"score": result["total"], "execution_time": int(round(seconds)),
            "output": "\n\n".join(head), "visibility": visibility,
            "stdout_visibility": "hidden", "tests": tests,
            "extra_data": {"lab": lab, "max_score": result["max_score"],
                           "build_failed": result["build_failed"]}}


def run(root):
    """Grade ROOT/submission; write ROOT/results/results.json. Returns an exit status."""
    start = time.monotonic()
    source = os.path.join(root, "source")
    results = os.path.join(root, "results", "results.json")
    os.makedirs(os.path.dirname(results), exist_ok=True)
    with open(os.path.join(source, "settings.json")) as f:
        settings = json.load(f)
    lab, visibility = settings["lab"], settings["visibility"]
    bundle = os.path.join(source, "official")
    work = tempfile.mkdtemp(prefix="sparrow-autograder-")
    try:
        sub = os.path.join(root, "submission")
        archives = [n for n in os.listdir(sub) if n.lower().endswith(submission.ARCHIVE_SUFFIXES)]
        if len(os.listdir(sub)) == 1 and len(archives) == 1:  # one uploaded archive
            sub = os.path.join(sub, archives[0])
        # What the student uploaded is the submission, .git or not: use_git=False.
        result = submission.grade(sub, lab, bundle, os.path.join(work, "logs"),
                                  jobs=os.cpu_count() or 1, scratch_dir=work, name="submission",
                                  use_git=False)
        with open(os.path.join(work, "logs", "grade.log"), "rb") as f:
            sys.stdout.write(f.read().decode("utf-8", "replace"))
        result["max_by_test"] = [(n, p) for n, p, _ in submission.grader_tests(bundle, lab)]
        data = results_json(result, lab, visibility, time.monotonic() - start)
    except Exception as e:  # still tell the student something
        data = {"score": 0, "output": "The autograder failed (%s: %s); please tell the course "
                                      "staff." % (type(e).__name__, e), "tests": []}
        print(data["output"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open(results, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print("Score: %s -> %s" % (submission.fmt(data["score"]), results))
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="write the autograder zip of a lab")
    b.add_argument("--lab", type=int, required=True)
    b.add_argument("--src", default=TOP, help="the reference tree (default: %(default)s)")
    b.add_argument("--out", help="the zip to write (default: SRC/obj/autograder-labN.zip)")
    b.add_argument("--visibility", choices=VISIBILITIES, default="visible",
                   help="when students see the results (default: %(default)s)")
    r = sub.add_parser("run", help="grade the submission (inside the autograder)")
    r.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    args = ap.parse_args(argv)
    if args.cmd == "run":
        return run(args.root)
    out = args.out or os.path.join(args.src, "obj", "autograder-lab%d.zip" % args.lab)
    try:
        official = build(args.src, args.lab, out, args.visibility)
    except (official_mod.OfficialError, OSError) as e:
        print("autograder: %s" % e, file=sys.stderr)
        return 1
    print("autograder for lab %d (%d official files, reference %s) -> %s"
          % (args.lab, len(official.files), official.source, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
