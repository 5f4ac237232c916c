#!/usr/bin/env python3
"""Grade one student submission the way every official grade is made.

A submission is a directory (a git repository is graded at its HEAD commit, or --git-ref), a
.tar.gz/.tgz/.tar or a .zip file. It is unpacked into a scratch directory (safely: no paths
outside it, a cap on its size), its build products are thrown away, the lab's official files
are copied over it (grade/official.py), and the official grader builds and grades it in a
child process with limits: a build timeout, a time limit for the whole grading, a cap on the
size of any file it writes and on the scratch directory's total size. A submission that
breaks any of them gets an error and zero points; nothing else is affected.

    submission.py SUB --lab N [--json FILE] [--logdir DIR] [-j N]

grade/batch.py grades many submissions with the same functions, and the autograder
package's run_autograder grades the one in /autograder/submission.
"""

import argparse
import gzip
import json
import lzma
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official as official_mod  # noqa: E402

TOP = official_mod.TOP
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")
JUNK = {"__MACOSX", ".DS_Store"}
MiB = 1 << 20


class SubmissionError(Exception):
    """Why a submission could not be graded, in words for the gradebook."""


class Limits:
    """The resource limits of grading one submission."""

    def __init__(self, unpack_mb=100, files=20000, build_timeout=300, grade_timeout=None,
                 file_mb=256, disk_mb=1024):
        self.unpack_bytes = unpack_mb * MiB   # total size of the unpacked files
        self.files = files                    # number of unpacked files
        self.build_timeout = build_timeout    # seconds for `make iso`
        self.grade_timeout = grade_timeout    # seconds for everything (None: from the tests)
        self.file_bytes = file_mb * MiB       # largest file the grading may write
        self.disk_bytes = disk_mb * MiB       # scratch tree and logs together


def student_name(path):
    """The student a submission belongs to: its file or directory name without extension."""
    name = os.path.basename(os.path.normpath(path))
    for suffix in ARCHIVE_SUFFIXES:
        if name.lower().endswith(suffix):
            name = name[:-len(suffix)]
            break
    return re.sub(r"[^A-Za-z0-9._@+-]+", "_", name).strip(".") or "submission"


# ---------------------------------------------------------------------------------------
# Unpacking.

def safe_relpath(name):
    """name as a clean relative posix path, or raise SubmissionError if it points outside."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise SubmissionError("archive member with an absolute path: %s" % name)
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise SubmissionError("archive member outside the archive's folder: %s" % name)
    return "/".join(parts)


class Budget:
    """Counts files and bytes written while unpacking, failing past the limits."""

    def __init__(self, limits):
        self.limits = limits
        self.bytes = 0
        self.files = 0

    def add_file(self):
        self.files += 1
        if self.files > self.limits.files:
            raise SubmissionError("more than %d files and folders" % self.limits.files)

    def add_bytes(self, n):
        self.bytes += n
        if self.bytes > self.limits.unpack_bytes:
            raise SubmissionError("more than %d MiB once unpacked"
                                  % (self.limits.unpack_bytes // MiB))


def write_member(dest, rel, src, mode, budget):
    """Copy the file object src to dest/rel (parents created), counting it in budget."""
    full = os.path.join(dest, *rel.split("/"))
    parent = os.path.dirname(full)
    os.makedirs(parent, exist_ok=True)
    if not inside(os.path.realpath(parent), os.path.realpath(dest)):
        raise SubmissionError("archive member written through a link: %s" % rel)
    if os.path.lexists(full):
        if os.path.isdir(full) and not os.path.islink(full):
            raise SubmissionError("archive member is both a file and a folder: %s" % rel)
        os.unlink(full)
    budget.add_file()
    with open(full, "wb") as out:
        while True:
            chunk = src.read(MiB)
            if not chunk:
                break
            budget.add_bytes(len(chunk))
            out.write(chunk)
    os.chmod(full, 0o755 if mode & 0o111 else 0o644)


def inside(path, top):
    """True if the (real) path is top or below it."""
    return path == top or path.startswith(top.rstrip(os.sep) + os.sep)


def add_links(dest, links):
    """Create the symbolic links (rel, target) whose targets stay inside dest; others are
    left out (a link to a file outside the submission could only read the grader's files)."""
    real_dest = os.path.realpath(dest)
    for rel, target in links:
        full = os.path.join(dest, *rel.split("/"))
        if target.startswith("/") or os.path.lexists(full):
            continue
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if not inside(os.path.realpath(os.path.dirname(full)), real_dest) or \
                not inside(os.path.realpath(os.path.join(os.path.dirname(full), target)),
                           real_dest):
            continue
        os.symlink(target, full)
    # A later link can change where an earlier one leads: check them all until none is
    # removed.
    while True:
        removed = False
        for cur, dirs, files in os.walk(dest):
            for n in dirs + files:
                full = os.path.join(cur, n)
                if os.path.islink(full) and not inside(os.path.realpath(full), real_dest):
                    os.unlink(full)
                    removed = True
        if not removed:
            return


def unpack_tar(path, dest, limits):
    budget, links = Budget(limits), []
    try:
        with tarfile.open(path) as tar:
            for m in tar:
                rel = safe_relpath(m.name)
                if not rel:
                    continue
                if m.isdir():
                    budget.add_file()
                    os.makedirs(os.path.join(dest, *rel.split("/")), exist_ok=True)
                elif m.isreg():
                    write_member(dest, rel, tar.extractfile(m), m.mode, budget)
                elif m.issym():
                    links.append((rel, m.linkname))
                elif m.islnk():
                    target = safe_relpath(m.linkname)
                    src = os.path.join(dest, *target.split("/"))
                    if os.path.isfile(src) and not os.path.islink(src):
                        with open(src, "rb") as f:
                            write_member(dest, rel, f, os.stat(src).st_mode, budget)
                # devices, fifos and the like are left out
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error, lzma.LZMAError) as e:
        raise SubmissionError("cannot read the archive: %s" % e)
    add_links(dest, links)


def unpack_zip(path, dest, limits):
    budget, links = Budget(limits), []
    try:
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                rel = safe_relpath(info.filename)
                if not rel:
                    continue
                mode = info.external_attr >> 16
                if info.is_dir():
                    budget.add_file()
                    os.makedirs(os.path.join(dest, *rel.split("/")), exist_ok=True)
                elif stat.S_ISLNK(mode):
                    if info.file_size > 4096:
                        continue
                    links.append((rel, z.read(info).decode("utf-8", "replace")))
                else:
                    with z.open(info) as src:
                        write_member(dest, rel, src, mode, budget)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, RuntimeError, zlib.error) as e:
        raise SubmissionError("cannot read the zip file: %s" % e)
    add_links(dest, links)


def clean_git_env():
    env = dict(os.environ)
    for name in list(env):
        if name.startswith("GIT_"):
            del env[name]
    return env


def unpack_git(path, dest, ref, limits):
    """Clone the repository at path (never running anything its configuration names) and
    check out ref; the clone's .git is then removed."""
    env = clean_git_env()
    if dir_size(os.path.join(path, ".git")) > 4 * limits.unpack_bytes:
        raise SubmissionError("the git repository is larger than %d MiB"
                              % (4 * limits.unpack_bytes // MiB))
    p = subprocess.run(["git", "clone", "-q", "--no-checkout", "--", os.path.abspath(path), dest],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, timeout=300)
    if p.returncode != 0:
        raise SubmissionError("git clone failed: %s" % p.stdout.decode("utf-8", "replace").strip())
    p = subprocess.run(["git", "-c", "advice.detachedHead=false", "checkout", "-q", ref or "HEAD",
                        "--"], cwd=dest, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       env=env, timeout=300)
    if p.returncode != 0:
        raise SubmissionError("git checkout %s failed: %s"
                              % (ref or "HEAD", p.stdout.decode("utf-8", "replace").strip()))
    shutil.rmtree(os.path.join(dest, ".git"))
    check_size(dest, limits)


def copy_dir(path, dest, limits):
    """Copy a plain directory (no .git) without its build products."""
    budget = Budget(limits)
    src_top = os.path.abspath(path)
    links = []
    for cur, dirs, files in os.walk(src_top):
        rel_dir = os.path.relpath(cur, src_top).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirs[:] = [d for d in dirs if not (rel_dir == "" and d in ("obj", ".git"))]
        for d in list(dirs):
            if os.path.islink(os.path.join(cur, d)):
                dirs.remove(d)
                links.append((rel_dir + d, os.readlink(os.path.join(cur, d))))
            else:
                os.makedirs(os.path.join(dest, rel_dir, d), exist_ok=True)
        for f in files:
            full = os.path.join(cur, f)
            if os.path.islink(full):
                links.append((rel_dir + f, os.readlink(full)))
            elif os.path.isfile(full):
                with open(full, "rb") as src:
                    write_member(dest, rel_dir + f, src, os.stat(full).st_mode, budget)
    add_links(dest, links)


def check_size(top, limits):
    files, size = 0, 0
    for cur, _, names in os.walk(top):
        for n in names:
            files += 1
            size += os.lstat(os.path.join(cur, n)).st_size
    if files > limits.files:
        raise SubmissionError("more than %d files" % limits.files)
    if size > limits.unpack_bytes:
        raise SubmissionError("more than %d MiB once unpacked" % (limits.unpack_bytes // MiB))


def find_root(top):
    """The folder of the tree: top, or the single folder it holds (archives often wrap the
    tree in one), as long as there is no GNUmakefile or kern/ on the way."""
    for _ in range(4):
        if os.path.exists(os.path.join(top, "GNUmakefile")) or \
                os.path.isdir(os.path.join(top, "kern")):
            return top
        entries = [e for e in os.listdir(top) if e not in JUNK and not e.startswith("._")]
        if len(entries) != 1:
            return top
        inner = os.path.join(top, entries[0])
        if not os.path.isdir(inner) or os.path.islink(inner):
            return top
        top = inner
    return top


def unpack(source, dest, limits, git_ref=None, use_git=True):
    """Unpack the submission source into the new directory dest; returns the tree's top
    (dest or a folder inside it). A directory with a .git is cloned at git_ref (HEAD)
    unless use_git is false. Raises SubmissionError."""
    os.makedirs(dest)
    lower = source.lower()
    if os.path.isdir(source):
        if use_git and os.path.exists(os.path.join(source, ".git")):
            os.rmdir(dest)
            unpack_git(source, dest, git_ref, limits)
        else:
            copy_dir(source, dest, limits)
    elif lower.endswith(".zip"):
        unpack_zip(source, dest, limits)
    elif lower.endswith((".tar.gz", ".tgz", ".tar")):
        unpack_tar(source, dest, limits)
    elif os.path.exists(source):
        raise SubmissionError("not a directory, .tar.gz, .tgz, .tar or .zip file: %s" % source)
    else:
        raise SubmissionError("no such file or directory: %s" % source)
    top = find_root(dest)
    obj = os.path.join(top, "obj")
    if os.path.islink(obj) or os.path.isfile(obj):
        os.unlink(obj)
    elif os.path.isdir(obj):
        shutil.rmtree(obj)
    return top


# ---------------------------------------------------------------------------------------
# Grading.

def dir_size(*tops):
    total = 0
    for top in tops:
        for cur, _, names in os.walk(top):
            for n in names:
                try:
                    total += os.lstat(os.path.join(cur, n)).st_size
                except OSError:
                    pass
    return total


def grader_tests(bundle, lab):
    """(name, points, timeout) of each test of the official grader of lab."""
    grade_dir = os.path.join(bundle, "tree", "grade")
    code = ("import json, sys; sys.path.insert(0, %r); import lab%d as m; "
            "print(json.dumps([(t.name, t.points, t.timeout) for t in m.g.tests]))"
            % (grade_dir, lab))
    out = subprocess.run([sys.executable, "-I", "-c", code], stdout=subprocess.PIPE,
                         check=True, cwd=grade_dir).stdout
    return [tuple(t) for t in json.loads(out)]


def child_env():
    """The grader's environment: no make or Python settings from whoever called us."""
    env = dict(os.environ)
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEFILES", "GNUMAKEFLAGS"):
        env.pop(name, None)
    env["LC_ALL"] = "C"
    return env


def run_limited(cmd, log_path, limits, timeout, watch, echo=False):
    """Run cmd in its own process group with stdout/stderr to log_path (at most 4 MiB
    kept), killing the group past timeout seconds or once the directories in watch hold
    more than limits.disk_bytes. Returns (exit status, None or why it was stopped)."""
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        signal.signal(signal.SIGXFSZ, signal.SIG_DFL)

    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, env=child_env(), preexec_fn=limit,
                            start_new_session=True)
    stopped = []

    def copy_output():
        kept = 0
        with open(log_path, "wb") as log:
            for line in iter(proc.stdout.readline, b""):
                if kept < 4 * MiB:
                    log.write(line)
                    log.flush()
                    kept += len(line)
                if echo:
                    sys.stdout.write(line.decode("utf-8", "replace"))
                    sys.stdout.flush()

    reader = threading.Thread(target=copy_output, daemon=True)
    reader.start()
    start = time.monotonic()
    while proc.poll() is None:
        if time.monotonic() - start > timeout:
            stopped.append("grading took more than %d s" % timeout)
        elif dir_size(*watch) > limits.disk_bytes:
            stopped.append("the build and its logs used more than %d MiB of disk"
                           % (limits.disk_bytes // MiB))
        if stopped:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            break
        try:
            proc.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            pass
    proc.wait()
    reader.join(5)
    if proc.returncode == -signal.SIGXFSZ and not stopped:
        stopped.append("a file grew past %d MiB" % (limits.file_bytes // MiB))
    return proc.returncode, (stopped[0] if stopped else None)


def grade(source, lab, bundle, logdir, limits=None, jobs=1, scratch_dir=None, keep=False,
          git_ref=None, echo=False, name=None, use_git=True):
    """Grade the submission source for lab with the official files of bundle. Serial logs,
    the grader's output (grade.log) and its JSON (results.json) go to logdir. Returns a
    dict: student, submission, total, max_score, scores {test: points}, tests (the
    grader's per-test JSON), build_failed, error, seconds, overlay, output."""
    limits = limits or Limits()
    start = time.monotonic()
    official = official_mod.Official.load(bundle)
    tests = grader_tests(bundle, lab)
    result = {"student": name or student_name(source), "submission": os.path.abspath(source),
              "total": 0, "max_score": sum(p for _, p, _ in tests),
              "scores": {n: 0 for n, _, _ in tests}, "tests": [], "build_failed": False,
              "error": None, "seconds": 0.0, "overlay": None, "output": None}
    os.makedirs(logdir, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="sparrow-sub-", dir=scratch_dir)
    try:
        tree = unpack(source, os.path.join(scratch, "tree"), limits, git_ref, use_git)
        report = official.overlay(tree)
        result["overlay"] = {"replaced": report.replaced, "removed": report.removed,
                             "restored": report.restored}
        with open(os.path.join(logdir, "overlay.txt"), "w") as f:
            f.write(report.summary() + "\n")
        json_path = os.path.join(logdir, "results.json")
        if os.path.exists(json_path):
            os.unlink(json_path)
        grader = os.path.join(os.path.abspath(bundle), "tree", "grade", "lab%d.py" % lab)
        cmd = [sys.executable, "-I", grader, "--tree", tree, "--json", json_path,
               "--logdir", os.path.abspath(logdir), "-j", str(max(1, jobs)),
               "--build-timeout", str(limits.build_timeout)]
        timeout = limits.grade_timeout or (limits.build_timeout + 60 +
                                           sum(t for _, _, t in tests) // max(1, jobs) + 30)
        _, stopped = run_limited(cmd, os.path.join(logdir, "grade.log"), limits, timeout,
                                 [scratch, logdir], echo)
        if stopped:
            raise SubmissionError(stopped)
        if not os.path.exists(json_path):
            raise SubmissionError("the grader wrote no results (see %s)"
                                  % os.path.join(logdir, "grade.log"))
        with open(json_path) as f:
            data = json.load(f)
        result["tests"] = data["tests"]
        for t in data["tests"]:
            result["scores"][t["name"]] = t["score"]
        result["total"] = data["score"]
        result["output"] = data.get("output")
        result["build_failed"] = bool(data["tests"]) and all(
            t.get("extra_data", {}).get("status") == "BUILD" for t in data["tests"])
    except SubmissionError as e:
        result["error"] = str(e)
        result["scores"] = {n: 0 for n, _, _ in tests}
        result["total"] = 0
        result["tests"] = []
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)
        else:
            result["scratch"] = scratch
    result["seconds"] = round(time.monotonic() - start, 1)
    return result


def describe(result):
    """One line: "alice: 65/75", with why when it is not a plain score."""
    text = "%s: %s/%s" % (result["student"], fmt(result["total"]), fmt(result["max_score"]))
    if result["error"]:
        text += " (error: %s)" % result["error"]
    elif result["build_failed"]:
        text += " (build failed)"
    return text


def fmt(x):
    return ("%d" % x) if float(x).is_integer() else ("%g" % x)


def make_bundle(root, lab, where):
    """Write lab's official bundle from the reference tree root into a new folder under
    where; returns its path."""
    bundle = tempfile.mkdtemp(prefix="official-lab%d-" % lab, dir=where)
    official_mod.Official.from_reference(root, lab).save(bundle)
    return bundle


def limits_args(ap):
    """The command-line options of Limits (shared with grade/batch.py)."""
    ap.add_argument("--build-timeout", type=int, default=300, metavar="S",
                    help="seconds a build may take (default: %(default)s)")
    ap.add_argument("--grade-timeout", type=int, metavar="S",
                    help="seconds the whole grading of one submission may take (default: the "
                         "build timeout plus the tests' timeouts)")
    ap.add_argument("--max-unpack-mb", type=int, default=100, metavar="MB",
                    help="largest unpacked submission (default: %(default)s)")
    ap.add_argument("--max-file-mb", type=int, default=256, metavar="MB",
                    help="largest file a build or run may write (default: %(default)s)")
    ap.add_argument("--max-disk-mb", type=int, default=1024, metavar="MB",
                    help="disk a submission's build and logs may use (default: %(default)s)")
    ap.add_argument("--git-ref", metavar="REF",
                    help="for git repositories: the commit, branch or tag to grade "
                         "(default: HEAD)")


def limits_from(args):
    return Limits(unpack_mb=args.max_unpack_mb, build_timeout=args.build_timeout,
                  grade_timeout=args.grade_timeout, file_mb=args.max_file_mb,
                  disk_mb=args.max_disk_mb)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Grade one submission with the official files "
                                             "of the reference tree.")
    ap.add_argument("submission", help="a directory, git repository, .tar.gz, .tgz or .zip")
    ap.add_argument("--lab", type=int, required=True)
    ap.add_argument("--src", default=TOP, help="the reference tree (default: %(default)s)")
    ap.add_argument("--json", metavar="FILE", help="write the grader's Gradescope-format JSON")
    ap.add_argument("--logdir", help="where the logs go (default: obj/submission/NAME)")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                    help="tests to run at once (default: number of cores)")
    ap.add_argument("--keep", action="store_true", help="keep the graded scratch tree")
    limits_args(ap)
    args = ap.parse_args(argv)
    name = student_name(args.submission)
    logdir = args.logdir or os.path.join(args.src, "obj", "submission", name)
    work = tempfile.mkdtemp(prefix="sparrow-grade-submission-")
    try:
        bundle = make_bundle(args.src, args.lab, work)
        result = grade(args.submission, args.lab, bundle, logdir, limits_from(args),
                       jobs=args.jobs, keep=args.keep, git_ref=args.git_ref, echo=True,
                       name=name)
    except (official_mod.OfficialError, OSError, subprocess.CalledProcessError) as e:
        print("grade-submission: %s" % e, file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if result["overlay"]:
        with open(os.path.join(logdir, "overlay.txt")) as f:
            print(f.read().strip())
    if args.json and os.path.exists(os.path.join(logdir, "results.json")):
        shutil.copyfile(os.path.join(logdir, "results.json"), args.json)
    if result.get("scratch"):
        print("graded tree kept in %s" % result["scratch"])
    print("Submission %s (logs in %s)" % (describe(result), logdir))
    return 0 if not result["error"] else 1


if __name__ == "__main__":
    sys.exit(main())
