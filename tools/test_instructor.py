#!/usr/bin/env python3
"""Unit tests for the instructors' grading tools: grade/official.py (the official files
the lab plan names, and the overlay), grade/submission.py (unpacking submissions safely, limits),
grade/batch.py (naming) and tools/handout.py --cumulative (patches that leave students'
code alone).

Fake trees and fake graders only: no kernel build, no QEMU. Run with
`python3 tools/test_instructor.py`; the exit status is non-zero if a test fails.
"""

import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import unittest
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "grade"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import batch  # noqa: E402
import handout  # noqa: E402
import official  # noqa: E402
import submission  # noqa: E402
from official import Official, OfficialError  # noqa: E402
from submission import Limits, SubmissionError  # noqa: E402


def write(top, path, text, mode=0o644):
    full = os.path.join(top, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)
    os.chmod(full, mode)


def read(top, path):
    with open(os.path.join(top, path)) as f:
        return f.read()


def git(cwd, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]
                          + list(args), cwd=cwd, env=env, check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT).stdout.decode()


class TempDir(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="test-instructor-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)


# ---------------------------------------------------------------------------------------
# A fake reference tree with two labs.

KERN_A = """\
/* a.c */
int a(void)
{
\t// LAB 1: return one.
\t//= BEGIN LAB 1
\treturn 1;
\t//= STUB
\t//= return 0;
\t//= END
}

int b(void)
{
\t// LAB 2: return two.
\t//= BEGIN LAB 2
\treturn 2;
\t//= STUB
\t//= return 0;
\t//= END
}
"""

LAB1_MK = """\
SRCS += kern/a.c
# has markers: never official
OFFICIAL_FILES += GNUmakefile grade/ labs/ kern/a.c
"""
LAB2_MK = """\
SRCS += kern/b.c
LAB_FILES += kern/b.c user/
OFFICIAL_FILES += user/
"""


def make_reference(top):
    write(top, "GNUmakefile", "all:\n")
    write(top, "grade/gradelib.py", "# gradelib\n")
    write(top, "grade/lab1.py", "# lab 1 grader\n", 0o755)
    write(top, "grade/lab2.py", "# lab 2 grader\n", 0o755)
    write(top, "labs/lab1/lab.mk", LAB1_MK)
    write(top, "labs/lab2/lab.mk", LAB2_MK)
    write(top, "kern/a.c", KERN_A)
    write(top, "kern/b.c", "/* b.c, new in lab 2 */\n")
    write(top, "kern/c.c", "/* c.c, no markers */\n")
    write(top, "user/test.c", "/* a lab 2 test program */\n")
    write(top, "docs/notes.md", "notes\n")
    write(top, "grade/official.py", "# instructors only\n")
    with open(os.path.join(top, "GNUmakefile"), "a") as f:
        f.write("INSTRUCTOR_FILES := grade/official.py\n")


class OfficialFiles(TempDir):
    def test_globs_of_each_lab_and_the_labs_before_it(self):
        ref = self.path("ref")
        make_reference(ref)
        self.assertEqual(official.official_globs(ref, 1),
                         ["GNUmakefile", "grade/", "labs/", "kern/a.c"])
        self.assertEqual(official.official_globs(ref, 3),
                         ["GNUmakefile", "grade/", "labs/", "kern/a.c", "user/"])

    def test_bad_plan(self):
        ref = self.path("ref")
        make_reference(ref)
        write(ref, "labs/lab2/lab.mk", "OFFICIAL_FILES += $(wildcard x)\n")
        with self.assertRaisesRegex(OfficialError, r"lab2/lab.mk:1: OFFICIAL_FILES uses"):
            official.official_globs(ref, 2)

    def test_from_reference_takes_the_lab_handout(self):
        ref = self.path("ref")
        make_reference(ref)
        one = Official.from_reference(ref, 1)
        self.assertEqual(sorted(one.files), ["GNUmakefile", "grade/gradelib.py",
                                             "grade/lab1.py", "grade/lab2.py",
                                             "labs/lab1/lab.mk"])
        self.assertIn("kern/a.c", one.protected)   # markers: students' code
        self.assertFalse(one.claims("kern/a.c"))
        two = Official.from_reference(ref, 2)
        self.assertIn("user/test.c", two.files)
        self.assertIn("labs/lab2/lab.mk", two.files)
        self.assertTrue(two.files["grade/lab1.py"].mode & 0o100)

    def test_bundle_round_trip_and_tamper_check(self):
        ref = self.path("ref")
        make_reference(ref)
        Official.from_reference(ref, 2).save(self.path("b"))
        loaded = Official.load(self.path("b"))
        self.assertEqual(loaded.files, Official.from_reference(ref, 2).files)
        write(self.path("b"), "tree/grade/lab2.py", "# changed\n")
        with self.assertRaisesRegex(OfficialError, "does not match its manifest"):
            Official.load(self.path("b"))

    def test_overlay(self):
        ref = self.path("ref")
        make_reference(ref)
        sub = self.path("sub")
        make_reference(sub)
        write(sub, "grade/lab2.py", "print('Score: 100/100')\n")  # tampered
        write(sub, "grade/sitecustomize.py", "evil\n")             # extra, claimed
        os.unlink(os.path.join(sub, "GNUmakefile"))                 # deleted
        write(sub, "kern/a.c", "/* my own solution */\n")          # students' code
        write(sub, "kern/new.c", "/* a new file of mine */\n")
        shutil.rmtree(os.path.join(sub, "labs"))
        os.symlink("/etc", os.path.join(sub, "labs"))               # a link in the way
        os.makedirs(os.path.join(sub, "user", "extra"))
        os.symlink("/etc/passwd", os.path.join(sub, "user", "extra", "link"))
        report = Official.from_reference(ref, 2).overlay(sub)
        self.assertEqual(report.replaced, ["grade/lab2.py"])
        self.assertEqual(report.restored, ["GNUmakefile", "labs/lab1/lab.mk",
                                           "labs/lab2/lab.mk"])
        self.assertEqual(report.removed, ["grade/official.py", "grade/sitecustomize.py",
                                          "user/extra/link"])
        self.assertEqual(read(sub, "grade/lab2.py"), "# lab 2 grader\n")
        self.assertFalse(os.path.islink(os.path.join(sub, "labs")))
        self.assertEqual(read(sub, "kern/a.c"), "/* my own solution */\n")
        self.assertEqual(read(sub, "kern/new.c"), "/* a new file of mine */\n")
        self.assertIn("replaced the submission's own grade/lab2.py", report.summary())

    def test_real_plan_reads(self):
        self.assertIn("grade/", official.official_globs(ROOT, 1))


# ---------------------------------------------------------------------------------------
# Unpacking submissions.

def tar_with(path, members):
    """A .tar.gz holding members: (name, data or None for a directory, or ("link", target))."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif isinstance(data, tuple):
                info.type = tarfile.SYMTYPE
                info.linkname = data[1]
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))


class Unpacking(TempDir):
    def test_student_names(self):
        self.assertEqual(submission.student_name("/x/alice.tar.gz"), "alice")
        self.assertEqual(submission.student_name("/x/Bob Smith.ZIP"), "Bob_Smith")
        self.assertEqual(submission.student_name("/x/carol/"), "carol")
        self.assertEqual(submission.student_name("/x/dan.tgz"), "dan")

    def test_find_submissions(self):
        for name in ("alice.tar.gz", "alice.zip", "notes.txt", ".hidden.zip"):
            write(self.tmp, name, "")
        os.mkdir(self.path("bob"))
        self.assertEqual([n for n, _ in batch.find_submissions(self.tmp)],
                         ["alice", "alice-2", "bob"])

    def test_tar_wrapped_in_a_folder(self):
        tar_with(self.path("s.tar.gz"), [("sparrow/", None), ("sparrow/GNUmakefile", b"all:\n"),
                                         ("sparrow/kern/a.c", b"int a;\n"),
                                         ("sparrow/obj/junk.o", b"x")])
        top = submission.unpack(self.path("s.tar.gz"), self.path("out"), Limits())
        self.assertEqual(top, self.path("out", "sparrow"))
        self.assertEqual(read(top, "kern/a.c"), "int a;\n")
        self.assertFalse(os.path.exists(os.path.join(top, "obj")))   # build products go

    def test_tar_escapes_are_refused(self):
        for bad in ("../evil", "/etc/evil", "a/../../evil"):
            tar_with(self.path("s.tar.gz"), [("GNUmakefile", b""), (bad, b"x")])
            shutil.rmtree(self.path("out"), ignore_errors=True)
            with self.assertRaisesRegex(SubmissionError, "outside|absolute"):
                submission.unpack(self.path("s.tar.gz"), self.path("out"), Limits())
        self.assertFalse(os.path.exists(self.path("evil")))

    def test_links_leading_outside_are_dropped(self):
        tar_with(self.path("s.tar.gz"), [("GNUmakefile", b""), ("kern/a.c", b"int a;\n"),
                                         ("passwd", ("link", "/etc/passwd")),
                                         ("up", ("link", "../..")),
                                         ("x", ("link", "y/..")), ("y", ("link", ".")),
                                         ("b.c", ("link", "kern/a.c"))])
        top = submission.unpack(self.path("s.tar.gz"), self.path("out"), Limits())
        self.assertEqual(sorted(os.listdir(top)), ["GNUmakefile", "b.c", "kern", "y"])
        self.assertEqual(read(top, "b.c"), "int a;\n")

    def test_size_cap(self):
        tar_with(self.path("s.tar.gz"), [("big", b"\0" * (2 << 20))])
        with self.assertRaisesRegex(SubmissionError, "more than 1 MiB once unpacked"):
            submission.unpack(self.path("s.tar.gz"), self.path("out"), Limits(unpack_mb=1))

    def test_zip(self):
        with zipfile.ZipFile(self.path("s.zip"), "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("GNUmakefile", "all:\n")
            z.writestr("kern\\a.c", "int a;\n")
            z.writestr("big", b"\0" * (2 << 20))
        top = submission.unpack(self.path("s.zip"), self.path("out"), Limits())
        self.assertEqual(read(top, "kern/a.c"), "int a;\n")
        shutil.rmtree(self.path("out"))
        with self.assertRaisesRegex(SubmissionError, "more than 1 MiB"):
            submission.unpack(self.path("s.zip"), self.path("out"), Limits(unpack_mb=1))
        with zipfile.ZipFile(self.path("t.zip"), "w") as z:
            z.writestr("../evil", "x")
        with self.assertRaisesRegex(SubmissionError, "outside"):
            submission.unpack(self.path("t.zip"), self.path("out2"), Limits())

    def test_not_an_archive(self):
        write(self.tmp, "s.zip", "not a zip")
        with self.assertRaisesRegex(SubmissionError, "cannot read the zip file"):
            submission.unpack(self.path("s.zip"), self.path("out"), Limits())
        write(self.tmp, "s.tar.gz", "not a tarball")
        with self.assertRaisesRegex(SubmissionError, "cannot read the archive"):
            submission.unpack(self.path("s.tar.gz"), self.path("out2"), Limits())

    def test_git_repository_is_graded_at_its_commit(self):
        repo = self.path("repo")
        write(repo, "kern/a.c", "committed\n")
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "one")
        git(repo, "tag", "submitted")
        write(repo, "kern/a.c", "committed later\n")
        git(repo, "commit", "-qam", "two")
        write(repo, "kern/a.c", "not committed\n")
        git(repo, "config", "filter.evil.smudge", "touch %s" % self.path("PWNED"))
        write(repo, ".gitattributes", "* filter=evil\n")
        top = submission.unpack(repo, self.path("out"), Limits())
        self.assertEqual(read(top, "kern/a.c"), "committed later\n")
        self.assertFalse(os.path.exists(os.path.join(top, ".git")))
        top = submission.unpack(repo, self.path("out2"), Limits(), git_ref="submitted")
        self.assertEqual(read(top, "kern/a.c"), "committed\n")
        self.assertFalse(os.path.exists(self.path("PWNED")))


# ---------------------------------------------------------------------------------------
# Grading one submission with a fake grader: limits and bookkeeping.

FAKE_GRADER = """\
import argparse, json, os, sys, time
class T:
    def __init__(self, name, points, timeout):
        self.name, self.points, self.timeout = name, points, timeout
class G:
    tests = [T("one", 5, 1), T("two", 10, 1)]
g = G()
if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    for a in ("--tree", "--json", "--logdir", "-j", "--build-timeout"):
        ap.add_argument(a)
    args = ap.parse_args()
    mode = open(os.path.join(args.tree, "MODE")).read().strip()
    print("fake grader:", mode)
    if mode == "hang":
        time.sleep(60)
    if mode == "disk":
        for i in range(1000):
            with open(os.path.join(args.tree, "obj%d" % i), "wb") as f:
                f.write(b"x" * (512 << 10))
    if mode == "bigfile":
        with open(os.path.join(args.tree, "big"), "wb") as f:
            f.write(b"x" * (3 << 20))
    status = "BUILD" if mode == "nobuild" else "OK"
    score = {"OK": 1, "BUILD": 0}[status]
    tests = [{"name": t.name, "score": score * t.points, "max_score": t.points,
              "output": "", "extra_data": {"status": status}} for t in g.tests]
    json.dump({"score": sum(t["score"] for t in tests), "max_score": 15, "tests": tests},
              open(args.json, "w"))
"""


class GradingLimits(TempDir):
    def setUp(self):
        super().setUp()
        bundle = self.path("bundle")
        files = {"grade/lab7.py": handout.Entry(0o100644, FAKE_GRADER.encode()),
                 "GNUmakefile": handout.Entry(0o100644, b"all:\n")}
        Official(7, ["grade/", "GNUmakefile"], files, []).save(bundle)
        self.bundle = bundle

    def grade(self, mode, **limits):
        sub = self.path("sub-" + mode)
        write(sub, "MODE", mode)
        write(sub, "grade/lab7.py", "print('Score: 15/15')\n")
        return submission.grade(sub, 7, self.bundle, self.path("logs", mode),
                                Limits(**limits), scratch_dir=self.tmp)

    def test_good_submission(self):
        r = self.grade("ok")
        self.assertEqual((r["total"], r["max_score"], r["error"], r["build_failed"]),
                         (15, 15, None, False))
        self.assertEqual(r["scores"], {"one": 5, "two": 10})
        self.assertEqual(r["overlay"]["replaced"], ["grade/lab7.py"])
        self.assertIn("fake grader: ok", read(self.path("logs", "ok"), "grade.log"))
        self.assertEqual(submission.describe(r), "sub-ok: 15/15")

    def test_build_failure(self):
        r = self.grade("nobuild")
        self.assertTrue(r["build_failed"])
        self.assertEqual(submission.describe(r), "sub-nobuild: 0/15 (build failed)")

    def test_hang_costs_only_the_score(self):
        start = time.monotonic()
        r = self.grade("hang", grade_timeout=1)
        self.assertLess(time.monotonic() - start, 15)
        self.assertEqual(r["total"], 0)
        self.assertEqual(r["error"], "grading took more than 1 s")

    def test_disk_filler_is_stopped(self):
        r = self.grade("disk", disk_mb=8)
        self.assertEqual(r["error"], "the build and its logs used more than 8 MiB of disk")
        self.assertFalse([d for d in os.listdir(self.tmp) if d.startswith("sparrow-sub-")])

    def test_file_size_limit(self):
        r = self.grade("bigfile", file_mb=1)
        self.assertEqual(r["total"], 0)
        self.assertIn("the grader wrote no results", r["error"])
        self.assertIn("File too large", read(self.path("logs", "bigfile"), "grade.log"))

    def test_scratch_is_removed(self):
        self.grade("ok")
        self.assertFalse([d for d in os.listdir(self.tmp) if d.startswith("sparrow-sub-")])


# ---------------------------------------------------------------------------------------
# Cumulative patches: a student's own lab 1 code survives the lab 2 merge.

def cumulative_merge_problems(root, lab, work):
    """Merge the lab's cumulative patch into a student repository that holds the lab - 1
    cumulative tree (commit 1) with every exercise up to lab - 1 solved (commit 2, the
    reference's solutions, as lab's handout has them, standing in for the student's; the
    rest of each file is the lab - 1 tree, with its #if LAB conditions resolved for lab - 1). The result must be exactly the
    lab's handout. Returns the differences as a list of messages."""
    paths = handout.source_files(root)
    errors = []
    base = handout.build_cumulative(root, lab - 1, paths, errors).tree
    solved = {}
    for path in handout.select_files(root, paths, lab - 1):
        entry = handout.read_entry(root, path)
        items, errs = handout.parse_markers(path, entry.data)
        errors += errs
        for block in items:
            # The student's code: what the reference's solution is in lab's handout (a lab 3
            # solution may hold an "#if LAB >= 4" part; no patch brings that to a student).
            if isinstance(block, handout.Block) and block.lab < lab:
                code = handout.resolve_conditions(path, b"".join(block.solution), lab)[0]
                block.solution = handout.split_lines(code)
        data = handout.render(items, lab)[0]
        data, _, errs = handout.resolve_conditions(path, data, lab - 1)
        errors += errs
        solved[path] = handout.Entry(entry.mode, data)
    want = handout.build_handout(root, lab, paths, errors).tree
    if errors:
        return errors
    repo = os.path.join(work, "student")
    os.makedirs(repo)
    handout.write_files(base, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A", "-f")
    git(repo, "commit", "-qm", "lab %d handout" % (lab - 1))
    for path in base:
        os.unlink(os.path.join(repo, path))
    handout.write_files(solved, repo)
    git(repo, "add", "-A", "-f")
    git(repo, "commit", "-qm", "my lab %d" % (lab - 1))
    patch = os.path.join(work, "lab%d.patch" % lab)
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "handout.py"), "--src", root,
                        "--lab", str(lab), "--cumulative", "--patch", patch],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode:
        return ["handout.py --cumulative --patch failed: " + p.stdout.decode()]
    try:
        if os.path.getsize(patch):
            git(repo, "apply", "--3way", patch)
    except subprocess.CalledProcessError as e:
        return ["git apply --3way of the lab %d cumulative patch failed:\n%s"
                % (lab, e.stdout.decode())]
    have = set(official.walk_files(repo)) - {p for p in official.walk_files(repo)
                                              if p.startswith(".git/")}
    problems = ["%s: not in the lab %d handout" % (p, lab) for p in sorted(have - set(want))]
    problems += ["%s: missing after the merge" % p for p in sorted(set(want) - have)]
    for path in sorted(have & set(want)):
        with open(os.path.join(repo, path), "rb") as f:
            if f.read() != want[path].data:
                problems.append("%s: differs from the lab %d handout after the merge"
                                % (path, lab))
    return problems


class CumulativePatch(TempDir):
    def test_merge_of_solved_tree_gives_the_handout(self):
        ref = self.path("ref")
        make_reference(ref)
        self.assertEqual(cumulative_merge_problems(ref, 2, self.tmp), [])

    def test_student_code_survives_git_apply_3way(self):
        ref = self.path("ref")
        make_reference(ref)
        tool = os.path.join(ROOT, "tools", "handout.py")
        student = self.path("student")
        subprocess.run([sys.executable, tool, "--src", ref, "--lab", "1", "--out", student,
                        "--git"], check=True, stdout=subprocess.PIPE)
        mine = read(student, "kern/a.c").replace("\treturn 0;\n}\n\nint b",
                                                 "\treturn 40 - 39; /* mine */\n}\n\nint b")
        self.assertIn("mine", mine)
        write(student, "kern/a.c", mine)
        git(student, "commit", "-qam", "lab 1 done")
        patch = self.path("lab2.patch")
        subprocess.run([sys.executable, tool, "--src", ref, "--lab", "2", "--cumulative",
                        "--patch", patch], check=True, stdout=subprocess.PIPE)
        with open(patch) as f:
            text = f.read()
        self.assertNotIn("return 1;", text)   # no solution of any lab in the patch
        self.assertNotIn("return 2;", text)
        git(student, "apply", "--3way", patch)
        self.assertIn("return 40 - 39; /* mine */", read(student, "kern/a.c"))
        self.assertEqual(read(student, "kern/b.c"), "/* b.c, new in lab 2 */\n")
        self.assertEqual(read(student, "labs/lab2/lab.mk"), LAB2_MK)

    def test_plain_patch_carries_the_reference_solution(self):
        ref = self.path("ref")
        make_reference(ref)
        patch = self.path("lab2.patch")
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "handout.py"), "--src", ref,
                        "--lab", "2", "--patch", patch], check=True, stdout=subprocess.PIPE)
        with open(patch) as f:
            self.assertIn("+\treturn 1;", f.read())


if __name__ == "__main__":
    unittest.main(buffer=True)
