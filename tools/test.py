#!/usr/bin/env python3
"""`make test`: every test of the project, ending with the line `N passed, N failed`.

Suites: the C style check, host unit tests, the handout generator's unit tests, each lab's
grader on the reference kernel (full score expected), the handout proof for each lab (on the
lab N handout, lab N's graded exercises fail, and earlier labs' graders pass on its files at
their checkpoints), the instructors'
grading tools (grading tokens, the official files' overlay, batch grading, the autograder
package, cumulative patches, a cheating kernel), and the gdb workflow. `--only REGEX` runs
the checks whose name matches.
"""

import argparse
import atexit
import csv
import difflib
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "grade"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import labplan  # noqa: E402

# The checkpoints, as the GNUmakefile sees them: labs/labN/ with a lab.mk.
LABS = labplan.lab_numbers(ROOT)


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


def root_make(targets, what, **kw):
    """make -s TARGETS in this tree, holding its build lock (a grader may be building here
    too: checks run side by side)."""
    from gradelib import build_lock
    with build_lock(ROOT):
        return must(["make", "-s"] + targets, what, **kw)


def tail(text, n=40):
    return "\n".join(text.rstrip().splitlines()[-n:])


# ---------------------------------------------------------------------------------------
# The checks. Each raises CheckFailed with a message saying what went wrong.

def check_style():
    must(["make", "-s", "check-format"], "clang-format --dry-run --Werror (run `make format`)")


def check_dependencies():
    import depcheck
    problems = depcheck.problems(ROOT)
    if problems:
        raise CheckFailed("\n".join(problems))


def check_layers():
    import layers
    problems = layers.problems(ROOT)
    if problems:
        raise CheckFailed("\n".join(problems))


def check_doc_tables():
    must([sys.executable, "tools/doctables.py", "--check"],
         "docs/labN.md's tests tables and exercise sections against grade/labN.py")


def run_together(commands, jobs, timeout=600):
    """Run the commands [(what, argv)], jobs at a time; CheckFailed naming each that failed
    (with its output)."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(pool.map(lambda c: (c[0],) + sh(c[1], timeout=timeout), commands))
    failed = ["%s failed (exit %d):\n%s" % (what, rc, tail(out))
              for what, rc, out in results if rc != 0]
    if failed:
        raise CheckFailed("\n".join(failed))


def check_host_unit_tests(jobs):
    """Each script builds and runs its own tests in its own obj/host/ folder: they run
    side by side."""
    scripts = sorted(glob.glob(os.path.join(ROOT, "tests", "host", "run*.sh")))
    run_together([(os.path.relpath(s, ROOT), ["bash", s]) for s in scripts], jobs)


def check_handout_tool():
    must([sys.executable, "tools/test_handout.py"], "tools/test_handout.py")
    must([sys.executable, "tools/handout.py", "--check"], "solution markers in the tree")


def check_compile_commands():
    out = must(["make", "-s", "compile_commands.json"], "make compile_commands.json")
    entries = json.load(open(os.path.join(ROOT, "compile_commands.json")))
    files = {os.path.relpath(e["file"], ROOT) for e in entries}
    for f in ("kern/init/main.c", "lib/printfmt.c"):
        if f not in files:
            raise CheckFailed("compile_commands.json lacks %s\n%s" % (f, out))


def grade(lab, tree, logdir, jobs, only=None, token=None):
    """Run the reference tree's grader for `lab` on `tree` (with this grading token, if
    given); returns the JSON results."""
    out_json = os.path.join(logdir, "lab%d.json" % lab)
    rc, out = sh([sys.executable, os.path.join(ROOT, "grade", "lab%d.py" % lab), "--tree", tree,
                  "--json", out_json, "--logdir", os.path.join(logdir, "lab%d" % lab),
                  "-j", str(jobs)] + (["--only", only] if only else [])
                 + (["--token", token] if token else []), timeout=900)
    if not os.path.exists(out_json):
        raise CheckFailed("grade/lab%d.py wrote no results:\n%s" % (lab, tail(out)))
    with open(out_json) as f:
        return json.load(f), out


def exercises(lab):
    """The test name -> exercise mapping that grade/labN.py declares."""
    import importlib
    mod = importlib.import_module("lab%d" % lab)
    return {t.name: t.exercise for t in mod.g.tests}


# ---------------------------------------------------------------------------------------
# Trees and grading results several checks use, made once per run (in one scratch folder,
# removed at exit).

class Shared:
    """Checks run side by side (see main): each value here is made once, by the first check
    that asks for it, while a check asking for the same one meanwhile waits for it."""

    def __init__(self):
        self.dir = None
        self.lock = threading.Lock()
        self.made = {}   # key -> value
        self.locks = {}  # key -> the lock its maker holds
        self.reference_logs = {}  # lab -> the serial logs of its full-marks reference grading

    def once(self, key, make):
        """make()'s value for key, made once (a maker that raises leaves it unmade)."""
        with self.lock:
            lock = self.locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self.made:
                self.made[key] = make()
            return self.made[key]

    def work(self, name):
        """A new folder for one check."""
        with self.lock:
            if self.dir is None:
                self.dir = tempfile.mkdtemp(prefix="sparrow-test-")
                atexit.register(shutil.rmtree, self.dir, True)
        return tempfile.mkdtemp(prefix=name + "-", dir=self.dir)

    def handout(self, lab):
        """The lab handout's tree (graded in place by the handout proof: it has an obj/)."""
        def make():
            tree = os.path.join(self.work("handout%d" % lab), "tree")
            must([sys.executable, "tools/handout.py", "--lab", str(lab), "--out", tree],
                 "make handout LAB=%d" % lab)
            return tree
        return self.once(("handout", lab), make)

    def cumulative(self, lab):
        """The lab's cumulative handout tree (every solution block of every lab stubbed);
        the fresh handout's tree if their files are the same (lab 1's: no earlier lab). It
        differs from the fresh handout in the files with earlier labs' solutions: built on a
        copy of the fresh handout's build (see built_copy), when that one boots."""
        def make():
            work = self.work("cumulative%d" % lab)
            written = os.path.join(work, "written")
            must([sys.executable, "tools/handout.py", "--lab", str(lab), "--cumulative",
                  "--out", written], "handout.py --cumulative --lab %d" % lab)
            fresh = self.handout(lab)
            files = tree_entries(written)
            if files == tree_entries(fresh):
                return fresh
            if self.booted(fresh, lab):
                return written  # nothing to start from: built from nothing
            return built_copy(fresh, lab, files, os.path.join(work, "tree"))
        return self.once(("cumulative", lab), make)

    def booted(self, tree, lab):
        """None if the tree builds (make LAB=lab iso) and boots to a prompt, else why not
        (once per tree)."""
        def make():
            from gradelib import Grader, boot_check
            ok, out = Grader(lab).build(tree, lab)
            if not ok:
                return "it does not build (make LAB=%d iso):\n%s" % (lab, tail(out, 25))
            why = boot_check(tree, lab, self.work("boot%d" % lab))
            return why and "it builds but does not boot: " + why
        return self.once(("booted", tree), make)

    def checkpoint(self, lab, tree_lab):
        """The lab T handout at an earlier lab's checkpoint: the files of that lab, with
        the solutions and stubs of the lab T handout (labs before T solved), as that lab
        compiles them. (A handout resolves `#if LAB` for its own lab, so it builds as it
        alone.) A file where none of the stubs is compiled at that lab (all of them, but
        for a block marked with the wrong lab) is the reference's own; a file where one is
        keeps every line at its number (markers and the `#if LAB` branches left out become
        blank lines). So a checkpoint with every block it compiles solved is the
        reference's files: it builds into the reference's own kernel (see
        checkpoint_result). The tree starts from a copy of the reference's build of that
        lab (see built_copy): make recompiles only the files that differ, and what includes
        them. Handouts of different labs have the same files at a checkpoint unless such a
        block is stubbed: such trees are made, built and graded once."""
        def make():
            import handout
            solved = self.once(("checkpoint solved", lab),
                               lambda: resolved_for(lab, lambda path, block: False))
            stubbed = resolved_for(lab, lambda path, block: block.lab >= tree_lab)
            files = {path: handout.read_entry(ROOT, path) if entry == solved[path] else entry
                     for path, entry in stubbed.items()}

            def write():
                return built_copy(ROOT, lab, files, os.path.join(
                    self.work("handout%d-at-lab%d" % (tree_lab, lab)), "tree"))
            return self.once(("checkpoint files", lab, tree_digest(files)), write)
        return self.once(("checkpoint", lab, tree_lab), make)

    def reference_graded(self, lab, jobs):
        """(JSON results, output, grading_inputs if it scored full marks) of grade/labN.py on
        the reference tree."""
        def make():
            logdir = os.path.join(ROOT, "obj", "test", "reference")
            os.makedirs(logdir, exist_ok=True)
            res, out = grade(lab, ROOT, logdir, jobs)
            full = res["score"] == res["max_score"]
            return res, out, grading_inputs(ROOT, lab) if full else None
        return self.once(("reference graded", lab), make)

    def checkpoint_result(self, grader_lab, tree_lab, jobs):
        """(JSON results, output) of grade/labG.py on the lab T handout at lab G's
        checkpoint. A checkpoint that builds into the very kernel, ramdisk, programs and
        QEMU command the reference's lab G grading used scores what the reference scored,
        without booting it again; any other is graded."""
        tree = self.checkpoint(grader_lab, tree_lab)

        def make():
            from gradelib import Grader
            ref, ref_out, ref_inputs = self.reference_graded(grader_lab, jobs)
            built, _ = Grader(grader_lab).build(tree, grader_lab)
            if built and ref_inputs and grading_inputs(tree, grader_lab) == ref_inputs:
                return ref, ("builds the reference's lab %d kernel and ramdisk byte for byte: "
                             "its grading is the reference's" % grader_lab)
            return self.graded(grader_lab, tree_lab, jobs)
        return self.once(("checkpoint result", grader_lab, tree), make)

    def graded(self, grader_lab, tree_lab, jobs):
        """(JSON results, output) of grade/labG.py on the lab T handout (at lab G's
        checkpoint, for G < T); one grading per tree."""
        tree = (self.handout(tree_lab) if grader_lab == tree_lab
                else self.checkpoint(grader_lab, tree_lab))
        return self.once(("graded", grader_lab, tree), lambda: grade(
            grader_lab, tree, self.work("logs-lab%d-on-handout%d" % (grader_lab, tree_lab)),
            jobs))

    def copy(self, src, dst):
        """Copy a tree without its build products."""
        shutil.copytree(src, dst, symlinks=True,
                        ignore=lambda d, names: ["obj"] if os.path.samefile(d, src) else [])
        return dst

    def reference_copy(self, dst, built_lab=None):
        """The reference tree's files (those git tracks) copied to dst. With built_lab, with
        their times and with this tree's build of that lab (see built_copy): make in the
        copy then compiles again only what is changed there."""
        import handout
        files = {p: handout.read_entry(ROOT, p) for p in handout.source_files(ROOT)}
        if built_lab is None:
            handout.write_files(files, dst)
            return dst
        return built_copy(ROOT, built_lab, files, dst)


def tree_entries(top):
    """{path: handout.Entry} of every file below top but its .git and obj folders."""
    import handout
    found = {}
    for folder, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if d not in (".git", "obj")]
        for name in names:
            path = os.path.relpath(os.path.join(folder, name), top).replace(os.sep, "/")
            found[path] = handout.read_entry(top, path)
    return found


def built_copy(base, lab, files, dst):
    """A tree at dst holding files ({path: handout.Entry}), with a copy of base's build of
    lab (see build_copy), made so that make at dst does again only what the files that
    differ from base's need: each file as it is in base is copied with its time (older than
    base's build), any other is written after the build's copy (newer than all of it). Like
    make after a student edits those files, the build then ends as one from nothing would
    (the compiler tells make each object's headers, -MMD), for less: most trees the checks
    build differ from one already built in a few files, and a build from nothing, even
    with every compile in ccache, links every program again."""
    import handout
    build_copy(base, lab, os.path.join(dst, "obj", "lab%d" % lab))
    for path in sorted(files):
        same = os.path.lexists(os.path.join(base, path)) and (
            handout.read_entry(base, path) == files[path])
        if same:
            os.makedirs(os.path.dirname(os.path.join(dst, path)), exist_ok=True)
            shutil.copy2(os.path.join(base, path), os.path.join(dst, path),
                         follow_symlinks=False)
        else:
            handout.write_files({path: files[path]}, dst)
    return dst


def resolved_for(lab, stub):
    """{path: handout.Entry} of lab's files with the blocks stub(path, block) says stubbed,
    resolved for lab with every line at its number in the reference."""
    import handout
    errors = []
    made = handout.build_handout(ROOT, lab, handout.source_files(ROOT), errors, stub=stub,
                                 keep_lines=True)
    if errors:
        raise CheckFailed("marker errors:\n" + "\n".join(errors))
    return made.tree


def tree_digest(tree):
    """A digest of a tree's files (handout.Entry by path): equal for equal trees."""
    import hashlib
    h = hashlib.sha256()
    for path in sorted(tree):
        entry = tree[path]
        h.update(b"%s\0%o\0%d\0" % (path.encode(), entry.mode, len(entry.data)))
        h.update(entry.data)
    return h.hexdigest()


SHARED = Shared()


def grading_inputs(tree, lab):
    """A digest of what a grading reads from a tree built for lab (make LAB=N iso): the
    files of its ISO (the kernel without debug information, the ramdisk, GRUB's
    configuration), its kernel.elf (symbols and sections), its musl programs (run on the
    host for Linux's output) and the QEMU command line, the tree's folder left out. Two trees
    with the same digest boot the same guest and get the same grading."""
    import hashlib
    from gradelib import build_lock, qemu_command
    h = hashlib.sha256()
    with build_lock(tree):
        build = os.path.join(tree, os.path.dirname(sh(
            ["make", "-s", "--no-print-directory", "LAB=%d" % lab, "print-iso"], cwd=tree)[1].strip()))
        h.update("\0".join(qemu_command(tree, lab)).replace(tree, "TREE").encode())
        paths = [os.path.join(build, "kernel.elf")]
        for top in ("iso", "musl"):
            for folder, dirs, files in os.walk(os.path.join(build, top)):
                dirs.sort()
                paths += [os.path.join(folder, name) for name in sorted(files)]
        for path in paths:
            with open(path, "rb") as f:
                h.update(b"\0%s\0" % os.path.relpath(path, tree).encode())
                h.update(hashlib.sha256(f.read()).digest())
    return h.hexdigest()


def check_reference_grade(lab, jobs):
    def run():
        res, out, _ = SHARED.reference_graded(lab, jobs)
        if res["score"] != res["max_score"]:
            raise CheckFailed("the reference kernel scores %d/%d on lab %d:\n%s" % (
                res["score"], res["max_score"], lab, tail(out, 60)))
        SHARED.reference_logs[lab] = os.path.join(ROOT, "obj", "test", "reference", "lab%d" % lab)
    return run


def check_robust(jobs):
    """grade/robust.py on the latest lab's reference kernel: full marks."""
    logdir = os.path.join(ROOT, "obj", "test", "robust")
    os.makedirs(logdir, exist_ok=True)
    out_json = os.path.join(logdir, "robust.json")
    rc, out = sh([sys.executable, os.path.join(ROOT, "grade", "robust.py"), "--json", out_json,
                  "--logdir", logdir, "-j", str(jobs)], timeout=1200)
    if not os.path.exists(out_json):
        raise CheckFailed("grade/robust.py wrote no results:\n" + tail(out))
    with open(out_json) as f:
        res = json.load(f)
    if res["score"] != res["max_score"]:
        raise CheckFailed("the robustness suite scores %d/%d:\n%s" % (res["score"], res["max_score"],
                                                                     tail(out, 60)))


LAB_CONDITION_RE = re.compile(r"^\s*#\s*(if|elif|ifdef|ifndef)\b.*\bLAB\b")


def lab_conditions(tree):
    """"path:line: text" of every #if or #elif on LAB left in a handout tree."""
    found = []
    for top, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d not in (".git", "obj")]
        for name in files:
            path = os.path.join(top, name)
            if not os.path.isfile(path) or os.path.islink(path):
                continue
            with open(path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
            for n, line in enumerate(text.splitlines(), 1):
                if LAB_CONDITION_RE.match(line):
                    found.append("%s:%d: %s" % (os.path.relpath(path, tree), n, line.strip()))
    return found


def check_handout_boots(lab):
    """The lab's handouts, fresh and cumulative, hold no #if on LAB (each file reads as if
    written for the lab) and build and boot to a prompt: what a student sees with her first
    `make qemu-nox`."""
    def run():
        problems = []
        for kind, tree in (("fresh", SHARED.handout(lab)), ("cumulative", SHARED.cumulative(lab))):
            left = lab_conditions(tree)
            if left:
                problems.append("the %s lab %d handout still has conditions on LAB:\n  %s"
                                % (kind, lab, "\n  ".join(left)))
            why = SHARED.booted(tree, lab)
            if why:
                problems.append("the %s lab %d handout: %s" % (kind, lab, why))
        if problems:
            raise CheckFailed("\n".join(problems))
    return run


def check_handout_proof(lab, jobs):
    def run():
        # A handout that does not build or boot fails every test, which would prove nothing.
        why = SHARED.booted(SHARED.handout(lab), lab)
        if why:
            raise CheckFailed("the proof needs a lab %d handout that builds and boots, but %s"
                              % (lab, why))
        problems = []
        for earlier in LABS:
            if earlier > lab:
                break
            res, out = (SHARED.graded(earlier, lab, jobs) if earlier == lab
                        else SHARED.checkpoint_result(earlier, lab, jobs))
            if earlier < lab and res["score"] != res["max_score"]:
                problems.append("lab %d's grader should pass on the lab %d handout at lab %d's "
                                "checkpoint (earlier labs come solved) but scores %d/%d:\n%s"
                                % (earlier, lab, earlier, res["score"], res["max_score"],
                                   tail(out)))
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
    return run


MUSL_PROGRAM = r"""
#include <stdio.h>
int main(int argc, char **argv)
{
	printf("musl says: %d arguments, the last is '%s'\n", argc, argv[argc - 1]);
	return 3;
}
"""


def build_copy(tree, lab, dst):
    """A copy of tree's build of lab (obj/labN, made first if need be) at dst, times kept:
    make there (O=dst, or in a copy of the tree) then makes only what differs, such as the
    ramdisk for INITRD_EXTRA or USERLAND, not every object and program again."""
    from gradelib import build_lock
    with build_lock(tree):
        must(["make", "-s", "-j%d" % (os.cpu_count() or 1), "LAB=%d" % lab, "iso"],
             "make LAB=%d iso in %s" % (lab, tree), cwd=tree)
        shutil.copytree(os.path.join(tree, "obj", "lab%d" % lab), dst, symlinks=True)
    return dst


def check_outside_binary():
    """A static x86-64 ELF built outside the tree (here with musl-gcc) is added to the
    ramdisk with INITRD_EXTRA and run as the first program with INIT, without rebuilding the
    kernel for it (lab 3's promise to instructors)."""
    if not shutil.which("musl-gcc"):
        raise CheckFailed("musl-gcc is missing: apt-get install musl-tools")
    work = tempfile.mkdtemp(prefix="sparrow-musl-")
    try:
        src = os.path.join(work, "outside.c")
        with open(src, "w") as f:
            f.write(MUSL_PROGRAM)
        prog = os.path.join(work, "outside")
        must(["musl-gcc", "-static", "-O2", "-o", prog, src], "musl-gcc -static")
        lab = max(l for l in LABS if l >= 3)
        build = build_copy(ROOT, lab, os.path.join(work, "obj"))
        must(["make", "-s", "LAB=%d" % lab, "O=" + build, "kernel"], "make kernel")
        kernel_mtime = os.path.getmtime(os.path.join(build, "kernel.elf"))
        from gradelib import Run
        run = Run(["make", "-s", "-C", ROOT, "LAB=%d" % lab, "O=" + build, "qemu-nox",
                   "INITRD_EXTRA=" + prog, "INIT=/outside one two"],
                  os.path.join(work, "serial.log"), [("K> ", "poweroff\n")], 120)
        run.run()
        out = run.text()
        if os.path.getmtime(os.path.join(build, "kernel.elf")) != kernel_mtime:
            raise CheckFailed("adding a file to the ramdisk rebuilt the kernel")
        if "musl says: 3 arguments, the last is 'two'" not in out:
            raise CheckFailed("the musl program did not print its arguments:\n" + tail(out))
        # Lab 3 reports the first program's end itself; from lab 4 on, init does.
        if not re.search(r"(\[pid 1\]|init:) outside exited with status 3", out):
            raise CheckFailed("the kernel did not report the program's exit status 3:\n" + tail(out))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def applet_lines(text, name="applets"):
    """The lines tests/busybox/NAME.sh prints, from its "NAME: start" marker to its
    "NAME: end" one."""
    lines = [l.rstrip("\r") for l in text.splitlines()]
    if name + ": start" not in lines:
        return []
    lines = lines[lines.index(name + ": start"):]
    return lines[:lines.index(name + ": end") + 1] if name + ": end" in lines else lines


def same_busybox_lines(want, out, name):
    """Sparrow's serial output OUT of tests/busybox/NAME.sh against WANT, the lines the same
    script printed on Linux: the same lines, no call Sparrow lacks, no kernel panic."""
    # The kernel's reports ("[pid 4 busybox] system call 334 (rseq) is not implemented")
    # come between the lines: rseq is the one call glibc makes that Sparrow leaves out
    # (a program may do without it; saying yes would promise restartable sequences).
    reports = [l for l in out.splitlines() if re.match(r"^\[pid \d+ [^]]*\] ", l)]
    missing = [l for l in reports if "(rseq)" not in l]
    if missing:
        raise CheckFailed("busybox made calls Sparrow lacks:\n" + "\n".join(missing[:10]))
    got = [l for l in applet_lines(out, name) if not re.match(r"^\[pid \d+ ", l)]
    for i, (w, g) in enumerate(zip(want, got)):
        if w != g:
            raise CheckFailed("line %d differs from Linux: Sparrow says '%s', Linux '%s'\n%s"
                              % (i + 1, g, w, tail(out)))
    if len(got) != len(want):
        raise CheckFailed("Sparrow printed %d lines, Linux %d:\n%s" % (len(got), len(want), tail(out)))
    for bad in ("kernel panic", "kernel fault"):
        if bad in out:
            raise CheckFailed("the run says '%s':\n%s" % (bad, tail(out)))


def check_busybox_applets():
    """Debian's busybox-static (a static glibc binary built by others) runs its applets in
    Sparrow (lab 5's kernel, added with INITRD_EXTRA, driven by Sparrow's sh) exactly as
    on Linux: tests/busybox/applets.sh runs on both and their output must be the same."""
    busybox = shutil.which("busybox") or "/bin/busybox"
    script = os.path.join(ROOT, "tests", "busybox", "applets.sh")
    if not os.path.exists(busybox):
        raise CheckFailed("busybox is missing: apt-get install busybox-static")
    lab = max(l for l in LABS if l >= 5)
    work = tempfile.mkdtemp(prefix="sparrow-busybox-")
    try:
        host = subprocess.run(["sh", script, busybox, os.path.join(work, "scratch")],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=work,
                              timeout=120)
        want = applet_lines(host.stdout.decode())
        if not want or want[-1] != "applets: end":
            raise CheckFailed("the script did not run to its end on Linux:\n" + tail(host.stdout.decode()))
        build = build_copy(ROOT, lab, os.path.join(work, "obj"))
        from gradelib import Run
        run = Run(["make", "-s", "-C", ROOT, "LAB=%d" % lab, "O=" + build, "qemu-nox",
                   "INITRD_EXTRA=%s %s" % (busybox, script),
                   "INIT=/bin/sh /applets.sh /busybox /tmp/applets"],
                  os.path.join(work, "serial.log"), [("K> ", "poweroff\n")], 300)
        run.run()
        same_busybox_lines(want, run.text(), "applets")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_busybox_shell():
    """Lab 7: Debian's busybox-static's own shell (ash), the userland with USERLAND=busybox,
    runs tests/busybox/shell.sh (pipelines, redirections, loops, functions, command
    substitution, sort | uniq -c, head, tail, find, xargs: every stage a clone) in Sparrow
    exactly as the same busybox runs it on Linux, its applets first in PATH on both."""
    busybox = shutil.which("busybox") or "/bin/busybox"
    script = os.path.join(ROOT, "tests", "busybox", "shell.sh")
    if not os.path.exists(busybox):
        raise CheckFailed("busybox is missing: apt-get install busybox-static")
    work = tempfile.mkdtemp(prefix="sparrow-bbshell-")
    try:
        bindir = os.path.join(work, "bin")
        os.makedirs(bindir)
        must([busybox, "--install", "-s", bindir], "busybox --install")
        env = dict(os.environ, PATH=bindir)
        host = subprocess.run([busybox, "sh", script, os.path.join(work, "scratch")],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=work,
                              env=env, timeout=120)
        want = applet_lines(host.stdout.decode(), "shell")
        if not want or want[-1] != "shell: end":
            raise CheckFailed("the script did not run to its end on Linux:\n"
                              + tail(host.stdout.decode()))
        build = build_copy(ROOT, LABS[-1], os.path.join(work, "obj"))
        from gradelib import Run
        run = Run(["make", "-s", "-C", ROOT, "LAB=%d" % LABS[-1], "O=" + build,
                   "qemu-nox", "USERLAND=busybox", "INITRD_EXTRA=%s" % script,
                   "INIT=/bin/sh /shell.sh /tmp/shell"],
                  os.path.join(work, "serial.log"), [("K> ", "poweroff\n")], 300)
        run.run()
        same_busybox_lines(want, run.text(), "shell")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check_gdb():
    """QEMU as `make qemu-nox-gdb` starts it, gdb -batch with the project's .gdbinit; and the
    helpers' `pt` on a copy-on-write page (cowtest forks) names every flag of kern/mm/vm.h."""
    root_make(["all"], "make")
    port = free_port()
    env = dict(os.environ, GDBPORT=str(port))
    qemu = subprocess.Popen(["make", "-s", "qemu-nox-gdb", "GDBPORT=%d" % port,
                             "CMDLINE=init=/bin/cowtest"], cwd=ROOT, env=env,
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
                      "-ex", "info registers rip", "-ex", "next", "-ex", "info registers rip",
                      # At its first instruction, vm_cow_break(pml4, va) has its arguments
                      # in rdi and rsi: a write to a copy-on-write page.
                      "-ex", "delete", "-ex", "break *vm_cow_break", "-ex", "continue",
                      "-ex", "pt -c $rdi $rsi",
                      "-ex", "python print('helper flags:', ' '.join(n for _, n in BITS))"],
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
    if not re.search(r"4K page at 0x[0-9a-f]+ r-. user  \[[A-Z ]*\bCOW\b", out):
        raise CheckFailed("`pt` on the page vm_cow_break is given should show a user page "
                          "flagged COW:\n" + tail(out))
    with open(os.path.join(ROOT, "kern", "mm", "vm.h")) as f:
        flags = {m.group(1) for m in re.finditer(r"^#define PTE_(\w+)", f.read(), re.M)
                 if not m.group(1).endswith("_MASK")}
    shown = re.search(r"^helper flags: (.*)$", out, re.M)
    missing = flags - set(shown.group(1).split()) if shown else flags
    if missing:
        raise CheckFailed("the gdb helpers do not know kern/mm/vm.h's PTE_%s:\n%s"
                          % (", PTE_".join(sorted(missing)), tail(out)))


ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")


def check_gdb_memview():
    """The gdb helper `memview` prints the same maps as the monitor's `memview`, read from the
    same stopped machine: cowview's child at its first int3, right after its fork."""
    from gradelib import Run, qemu_command
    root_make(["all"], "make")
    port = free_port()
    work = tempfile.mkdtemp(prefix="sparrow-memview-")
    sock = os.path.join(work, "monitor")
    cmd = qemu_command(ROOT, cmdline="init=/bin/cowview onbreak=monitor") + [
        "-display", "none", "-serial", "stdio", "-monitor", "unix:%s,server=on,wait=off" % sock,
        "-gdb", "tcp::%d" % port]
    run = Run(cmd, os.path.join(work, "serial.log"),
              [("K> ", "memview -p 3\n"), ("K> ", "memview -p\n")], 60, monitor_socket=sock)
    thread = threading.Thread(target=run.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while run.text().count("K> ") < 3 and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        if run.text().count("K> ") < 3:
            raise CheckFailed("the monitor did not print both maps:\n" + tail(run.text()))
        env = dict(os.environ, GDBPORT=str(port))
        rc, out = sh(["gdb", "-batch", "-iex", "add-auto-load-safe-path %s/.gdbinit" % ROOT,
                      "-ex", "echo ==pid 3\\n", "-ex", "memview -p 3",
                      "-ex", "echo ==physical\\n", "-ex", "memview -p"], env=env, timeout=120)
    finally:
        run.monitor_command("quit")
        thread.join(10)
        shutil.rmtree(work, ignore_errors=True)
    monitor = {}
    for block in run.text().replace("\r", "").split("K> ")[1:3]:
        lines = [ANSI_RE.sub("", l).rstrip() for l in block.split("\n")]
        monitor[lines[0]] = [l for l in lines[1:] if l]
    helper = {}
    for block in out.split("==")[1:]:
        lines = [l.rstrip() for l in block.split("\n")]
        helper[lines[0]] = [l for l in lines[1:] if l and not l.startswith("[Inferior ")]
    for what, typed in (("pid 3", "memview -p 3"), ("physical", "memview -p")):
        want, got = monitor.get(typed, []), helper.get(what, [])
        if not want or not any(re.match(r"^\s+[0-9a-f]{8,16} \S", l) for l in want):
            raise CheckFailed("the monitor's `%s` printed no map:\n%s" % (typed, "\n".join(want)))
        if got != want:
            diff = "\n".join(difflib.unified_diff(want, got, "monitor", "gdb", lineterm=""))
            raise CheckFailed("gdb's `%s` differs from the monitor's:\n%s" % (typed, tail(diff)))


def check_timeline():
    """`make timeline` boots a program with the scheduler trace: the trace it collects must be
    consistent (tools/timeline.py's check, itself shown to catch a broken trace) and the SVG
    must have one row per process of the trace, with a legend and tick marks."""
    import xml.etree.ElementTree as ET
    import timeline
    for lab, prog, least in ((LABS[-1], "priority", 4), (4, "stresssched", 10)):
        if lab not in LABS:
            continue
        svg = os.path.join(ROOT, "obj", "timeline-%s.svg" % prog)
        log = os.path.join(ROOT, "obj", "timeline-%s.log" % prog)
        for f in (svg, log):
            if os.path.exists(f):
                os.remove(f)
        root_make(["timeline", "LAB=%d" % lab, "PROG=%s" % prog],
                  "make timeline LAB=%d PROG=%s" % (lab, prog), timeout=300)
        with open(log) as f:
            trace = timeline.parse(f.read())
        problems = timeline.check(trace)
        if problems:
            raise CheckFailed("the lab %d trace of %s is inconsistent:\n%s"
                              % (lab, prog, "\n".join(problems[:10])))
        pids = {e["pid"] for e in trace["events"]}
        if len(pids) < least:
            raise CheckFailed("the trace of %s has %d processes, expected at least %d"
                              % (prog, len(pids), least))
        root = ET.parse(svg).getroot()
        ns = "{http://www.w3.org/2000/svg}"
        rows = [g for g in root.iter(ns + "g") if g.get("class") == "process"]
        if sorted(int(g.get("data-pid")) for g in rows) != sorted(pids):
            raise CheckFailed("%s: the SVG's rows are for pids %s, the trace has %s"
                              % (svg, sorted(int(g.get("data-pid")) for g in rows), sorted(pids)))
        for cls in ("legend", "axis"):
            if not any(g.get("class") == cls for g in root.iter(ns + "g")):
                raise CheckFailed("%s has no %s" % (svg, cls))
        if len([l for l in root.iter(ns + "line") if l.get("class") == "tick"]) < 3:
            raise CheckFailed("%s has fewer than 3 tick marks" % svg)
    # The check must catch what it is there for: a switch-in without its switch-out (two
    # processes on the one CPU), and a switch-out of a process that is not running.
    events = trace["events"]
    outs = [i for i, e in enumerate(events) if e["what"] in ("preempted", "yielded", "sleep")
            and i + 1 < len(events) and events[i + 1]["what"] == "run"
            and events[i + 1]["pid"] != e["pid"]]
    if not outs:
        raise CheckFailed("the trace of stresssched has no switch from one process to another")
    for name, broken in (("a switch-out removed", events[:outs[0]] + events[outs[0] + 1:]),
                         ("a switch-in removed", events[:outs[0] + 1] + events[outs[0] + 2:])):
        if not timeline.check(dict(trace, events=broken)):
            raise CheckFailed("tools/timeline.py's check finds nothing wrong with the trace of "
                              "stresssched with %s" % name)


# ---------------------------------------------------------------------------------------
# Instructors' grading tools (docs/instructors.md). The submissions are lab G's reference and
# handout (G = the first lab, the quickest to grade); the handout's expected score is what
# the reference grader gives it directly (shared with the handout proof).

def check_grading_unit_tests(jobs):
    scripts = ["tools/test_gradelib.py", "tools/test_instructor.py"]
    run_together([(s, [sys.executable, s]) for s in scripts], jobs, timeout=300)


def check_official_files():
    import handout
    import labplan
    import official
    paths = handout.source_files(ROOT)
    marked = set(official.marked_files(ROOT, paths))
    problems = []
    plan = labplan.Plan(ROOT)
    for lab in LABS:
        # The programs are official unless they hold an exercise (user/sh.c); the globs
        # written in OFFICIAL_FILES must not claim what they cannot have.
        for pattern in plan.words(lab, "OFFICIAL_FILES"):
            glob_ = labplan.Glob(pattern)
            claimed = sorted(p for p in marked if glob_.matches(p))
            if claimed:
                problems.append("labs/lab%d/lab.mk: OFFICIAL_FILES '%s' claims files with "
                                "solution markers, which the overlay never replaces (students' "
                                "code): %s" % (lab, pattern, ", ".join(claimed)))
        files = official.Official.from_reference(ROOT, lab).files
        for want in ("GNUmakefile", "grade/gradelib.py", "grade/lab%d.py" % lab,
                     "labs/lab%d/lab.mk" % lab):
            if want not in files:
                hint = (" (it is not committed: handouts and official files take the files "
                        "git tracks)" if os.path.exists(os.path.join(ROOT, want)) and
                        want not in paths else "")
                problems.append("%s is not an official file of lab %d%s" % (want, lab, hint))
    if problems:
        raise CheckFailed("\n".join(problems))


def check_lab_plan():
    """The lab plan names files that exist, and each lab's handout has no file riding along:
    every C, assembly and header file in it is compiled by the lab or included (directly or
    not) by something the lab compiles, and every #include finds its file."""
    import handout
    import labplan
    paths = handout.source_files(ROOT)
    plan = labplan.Plan(ROOT)
    problems = plan.problems(paths)
    first_use = {}      # a file -> the first lab whose code uses it (all files present)
    riders = []
    for lab in LABS:
        errors = []
        tree = handout.build_handout(ROOT, lab, paths, errors).tree
        everything = handout.build_handout(ROOT, lab, paths, errors, select=False).tree
        if errors:
            raise CheckFailed("marker errors:\n" + "\n".join(errors))
        files = {p: e.data for p, e in tree.items() if p.endswith(labplan.C_SUFFIXES)}
        used, dangling = labplan.used_files(files, labplan.compiled_roots(plan, lab, files))
        problems += ["the lab %d handout: %s finds no file" % (lab, d) for d in dangling]
        riders += [(lab, p) for p in sorted(set(files) - used)]
        every = {p: e.data for p, e in everything.items() if p.endswith(labplan.C_SUFFIXES)}
        for p in labplan.used_files(every, labplan.compiled_roots(plan, lab, files))[0]:
            first_use.setdefault(p, lab)
    for lab, path in riders:
        where = ("labs/lab%d/lab.mk" % first_use[path] if path in first_use
                 else "the lab plan: no lab uses it")
        problems.append("the lab %d handout has %s, which nothing lab %d compiles uses: "
                        "name it in LAB_FILES of %s" % (lab, path, lab, where))
    if problems:
        raise CheckFailed("\n".join(problems))


GRADED_LAB = LABS[0]
SCORE_RE = re.compile(r"^Submission (\S+): (\d+)/(\d+)", re.M)


def handout_score(jobs):
    res, _ = SHARED.graded(GRADED_LAB, GRADED_LAB, jobs)
    return res


TAMPERED_GRADER = """import json, sys
args = sys.argv
if "--json" in args:
    json.dump({"score": %(max)d, "max_score": %(max)d, "tests": []},
              open(args[args.index("--json") + 1], "w"))
print("Score: %(max)d/%(max)d")
"""


def tampered_submission(dst, full):
    """The handout with its grader, gradelib and build files changed to claim full marks."""
    tree = SHARED.copy(SHARED.handout(GRADED_LAB), dst)
    for name in ("grade/lab%d.py" % GRADED_LAB, "grade/gradelib.py"):
        with open(os.path.join(tree, name), "w") as f:
            f.write(TAMPERED_GRADER % {"max": full})
    with open(os.path.join(tree, "labs", "lab%d" % GRADED_LAB, "lab.mk"), "a") as f:
        f.write("\nLAB_CMDLINE += test=nothing\n")
    return tree


def check_tampered_grader(jobs):
    expect = handout_score(jobs)
    full = expect["max_score"]
    tree = tampered_submission(os.path.join(SHARED.work("tampered"), "mallory"), full)
    own = must([sys.executable, os.path.join(tree, "grade", "lab%d.py" % GRADED_LAB)],
               "the tampered grader")
    if "Score: %d/%d" % (full, full) not in own:
        raise CheckFailed("the tampered grader does not even claim full marks:\n" + tail(own))
    out = must(["make", "-s", "grade-submission", "LAB=%d" % GRADED_LAB, "SUB=" + tree,
                "JOBS=%d" % jobs], "make grade-submission")
    m = SCORE_RE.search(out)
    if not m or (int(m.group(2)), int(m.group(3))) != (expect["score"], expect["max_score"]):
        raise CheckFailed("the tampered handout should get the handout's own score %d/%d, got:\n%s"
                          % (expect["score"], expect["max_score"], tail(out)))
    for name in ("grade/lab%d.py" % GRADED_LAB, "grade/gradelib.py",
                 "labs/lab%d/lab.mk" % GRADED_LAB):
        if name not in out:
            raise CheckFailed("the overlay report does not name the replaced %s:\n%s"
                              % (name, tail(out)))


def make_archive(tree, path):
    """tree as a .tar.gz (wrapped in a folder) or a .zip (flat)."""
    import tarfile
    import zipfile
    if path.endswith(".zip"):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for cur, _, files in os.walk(tree):
                for n in files:
                    full = os.path.join(cur, n)
                    z.write(full, os.path.relpath(full, tree))
    else:
        with tarfile.open(path, "w:gz") as t:
            t.add(tree, arcname="sparrow")
    return path


def check_batch(jobs):
    expect = handout_score(jobs)
    work = SHARED.work("batch")
    subs = os.path.join(work, "submissions")
    os.makedirs(subs)
    ref = SHARED.reference_copy(os.path.join(work, "ref"))
    make_archive(ref, os.path.join(subs, "ada.tar.gz"))
    repo = tampered_submission(os.path.join(subs, "bob"), expect["max_score"])
    import handout
    handout.git_commit(repo, GRADED_LAB)
    broken = SHARED.copy(SHARED.handout(GRADED_LAB), os.path.join(work, "broken"))
    victim = os.path.join(broken, CHEAT_FILE)
    if not os.path.exists(victim):
        raise CheckFailed("the handout has no %s to break" % CHEAT_FILE)
    with open(victim, "a") as f:
        f.write("\nthis is not C;\n")
    make_archive(broken, os.path.join(subs, "carol.zip"))
    out_dir = os.path.join(work, "out")
    rc, out = sh(["make", "-s", "grade-batch", "LAB=%d" % GRADED_LAB, "SUBS=" + subs,
                  "OUT=" + out_dir, "JOBS=%d" % jobs], timeout=900)
    if rc != 0 or not os.path.exists(os.path.join(out_dir, "grades.csv")):
        raise CheckFailed("make grade-batch failed (exit %d):\n%s" % (rc, tail(out)))
    with open(os.path.join(out_dir, "grades.csv")) as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    with open(os.path.join(out_dir, "grades.json")) as f:
        summary = json.load(f)
    full = expect["max_score"]
    want = {"ada": (full, "no"), "bob": (expect["score"], "no"), "carol": (0, "yes")}
    got = {k: (int(r["total"]), r["build_failed"]) for k, r in rows.items()}
    problems = []
    if got != want:
        problems.append("grades.csv has (total, build_failed) %s; expected %s" % (got, want))
    if "bob" in rows:
        for t in expect["tests"]:
            if int(rows["bob"].get(t["name"]) or -1) != t["score"]:
                problems.append("bob's '%s' is %s in grades.csv, %d when graded directly"
                                % (t["name"], rows["bob"].get(t["name"]), t["score"]))
    replaced = rows.get("bob", {}).get("replaced_official_files", "")
    if "grade/lab%d.py" % GRADED_LAB not in replaced:
        problems.append("bob's replaced_official_files does not name his tampered grader")
    if [s["student"] for s in summary.get("students", [])] != ["ada", "bob", "carol"]:
        problems.append("grades.json does not list ada, bob and carol")
    if "[3/3 done]" not in out:
        problems.append("no progress line '[3/3 done] ...':\n" + tail(out))
    for student in ("ada", "bob"):
        if not glob.glob(os.path.join(out_dir, "logs", student, "*.log")):
            problems.append("no serial logs in logs/%s" % student)
    if problems:
        raise CheckFailed("\n".join(problems) + "\n" + tail(out, 10))


# What Gradescope documents for results.json (gradescope-autograders.readthedocs.io, specs).
RESULT_FIELDS = {"score": (int, float), "execution_time": (int, float), "output": str,
                 "visibility": str, "stdout_visibility": str, "extra_data": dict,
                 "tests": list, "leaderboard": list, "output_format": str,
                 "test_output_format": str, "test_name_format": str}
TEST_FIELDS = {"score": (int, float), "max_score": (int, float), "status": str, "name": str,
               "name_format": str, "number": str, "output": str, "output_format": str,
               "tags": list, "visibility": str, "extra_data": dict}
VISIBILITY = {"hidden", "after_due_date", "after_published", "visible"}


def results_json_problems(data):
    """Where data breaks Gradescope's results.json format."""
    problems = []

    def fields(obj, spec, where):
        for k, v in obj.items():
            if k not in spec:
                problems.append("%s: undocumented field '%s'" % (where, k))
            elif not isinstance(v, spec[k]) or isinstance(v, bool):
                problems.append("%s: '%s' has the wrong type (%s)" % (where, k, type(v).__name__))
        for k in ("visibility", "stdout_visibility"):
            if k in obj and obj[k] not in VISIBILITY:
                problems.append("%s: %s '%s' is not one of %s" % (where, k, obj[k], VISIBILITY))

    fields(data, RESULT_FIELDS, "results.json")
    if "score" not in data and any("score" not in t for t in data.get("tests", [])):
        problems.append("results.json: no score, neither overall nor on every test")
    for i, t in enumerate(data.get("tests", [])):
        fields(t, TEST_FIELDS, "tests[%d]" % i)
        if t.get("status", "passed") not in ("passed", "failed"):
            problems.append("tests[%d]: status '%s'" % (i, t["status"]))
    if not problems and "tests" in data and \
            abs(data["score"] - sum(t["score"] for t in data["tests"])) > 1e-9:
        problems.append("results.json: score is not the sum of the tests' scores")
    return problems


def run_autograder(zip_path, submission_tree, work):
    """Gradescope's steps with work/ for /autograder; returns results.json's data."""
    import zipfile
    root = os.path.join(work, "autograder")
    for d in ("source", "submission", "results"):
        os.makedirs(os.path.join(root, d))
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            z.extract(info, os.path.join(root, "source"))
            mode = info.external_attr >> 16
            if mode:
                os.chmod(os.path.join(root, "source", info.filename), mode & 0o777)
    shutil.copy2(os.path.join(root, "source", "run_autograder"),
                 os.path.join(root, "run_autograder"))
    SHARED.copy(submission_tree, os.path.join(root, "submission", "sparrow"))
    env = dict(os.environ, AUTOGRADER_ROOT=root)
    rc, out = sh([os.path.join(root, "run_autograder")], cwd=root, env=env, timeout=900)
    results = os.path.join(root, "results", "results.json")
    if rc != 0 or not os.path.exists(results):
        raise CheckFailed("run_autograder failed (exit %d):\n%s" % (rc, tail(out)))
    with open(results) as f:
        return json.load(f), out


def check_autograder(jobs):
    import zipfile
    expect = handout_score(jobs)
    work = SHARED.work("autograder")
    zip_path = os.path.join(work, "autograder.zip")
    must(["make", "-s", "autograder", "LAB=%d" % GRADED_LAB, "OUT=" + zip_path],
         "make autograder")
    with zipfile.ZipFile(zip_path) as z:
        names = z.namelist()
        modes = {i.filename: i.external_attr >> 16 for i in z.infolist()}
        setup = z.read("setup.sh").decode()
    problems = []
    for name in ("setup.sh", "run_autograder"):
        if name not in names or not modes[name] & 0o100:
            problems.append("the zip has no executable %s at its root" % name)
    for name in ("grade/lab%d.py" % GRADED_LAB, "grade/gradelib.py", "GNUmakefile"):
        if "official/tree/" + name not in names:
            problems.append("the zip lacks the official %s" % name)
    rc, out = sh(["bash", "-n", "-c", setup])
    if rc:
        problems.append("setup.sh is not valid bash: " + out)
    import autograder
    for p in autograder.packages(ROOT):
        if p not in setup.split():
            problems.append("setup.sh does not install %s" % p)
    if expect["score"] >= expect["max_score"]:
        problems.append("the lab %d handout scores full marks: nothing to tell it from the "
                        "reference" % GRADED_LAB)
    ref = SHARED.reference_copy(os.path.join(work, "ref"))
    for who, tree, want in (("reference", ref, expect["max_score"]),
                            ("handout", SHARED.handout(GRADED_LAB), expect["score"])):
        data, out = run_autograder(zip_path, tree, SHARED.work("ag-" + who))
        problems += ["%s: %s" % (who, p) for p in results_json_problems(data)]
        if data.get("score") != want:
            problems.append("the %s scores %s on the autograder, expected %d:\n%s"
                            % (who, data.get("score"), want, tail(out)))
        if len(data.get("tests", [])) != len(expect["tests"]):
            problems.append("the %s's results.json has %d tests, the grader %d"
                            % (who, len(data.get("tests", [])), len(expect["tests"])))
    if problems:
        raise CheckFailed("\n".join(problems))


def check_cumulative_merge(lab):
    def run():
        import test_instructor
        problems = test_instructor.cumulative_merge_problems(ROOT, lab,
                                                             SHARED.work("merge%d" % lab))
        if problems:
            raise CheckFailed("\n".join(problems))
    return run


# ---------------------------------------------------------------------------------------
# A cheating kernel: the lab's reference kernel changed to print, right after it reads its
# command line, every verdict line the real test programs print (as they are and with the
# tags of an earlier run), then power off. No test program runs, so every test with
# verdicts=[...] must score 0, each for want of a valid grading token.
#
# What the cheater prints does not depend on its command line (it stops before it looks at
# it), so every test would boot to the same output: one test is graded end to end, and that
# boot's output is then held against each test's verdicts, as the grader would hold it
# against each test's own boot, under the same token.

CHEAT_FILE = "kern/init/main.c"
CHEAT_ANCHOR = "cmdline_init("   # the cheat is called right after the line holding this
CHEAT_C = """/* A deliberately cheating kernel, made by tools/test.py: it prints the test
 * programs' verdict lines itself. */
#include "core/printk.h"
#include "dev/qemu.h"

static const char *const cheat_lines[] = {
%s};

void cheat(void)
{
\tfor (unsigned i = 0; i < sizeof(cheat_lines) / sizeof(cheat_lines[0]); i++)
\t\tprintk("%%s\\n", cheat_lines[i]);
\tqemu_poweroff();
}
"""


def c_string(text):
    return '"' + "".join(chr(b) if 32 <= b < 127 and chr(b) not in '"\\?' else "\\%03o" % b
                         for b in text.encode()) + '"'


def verdict_lines(logs):
    """The tagged lines in the serial logs, as printed (with tag) and without the tag."""
    from gradelib import split_tag
    lines = []
    for log in logs:
        with open(log, errors="replace") as f:
            for raw in f.read().replace("\r", "").split("\n"):
                body, tag = split_tag(raw)
                if tag:
                    lines += [raw, body]
    return list(dict.fromkeys(lines))


def make_cheater(tree, lines):
    """Turn the reference tree copy at tree into the cheating kernel printing lines."""
    with open(os.path.join(tree, "kern", "core", "cheat.c"), "w") as f:
        f.write(CHEAT_C % "".join("\t%s,\n" % c_string(l) for l in lines))
    with open(os.path.join(tree, "labs", "lab%d" % LABS[0], "lab.mk"), "a") as f:
        f.write("\nKERN_SRCS += kern/core/cheat.c\n")
    path = os.path.join(tree, CHEAT_FILE)
    with open(path) as f:
        src = f.read().split("\n")
    at = [i for i, l in enumerate(src) if CHEAT_ANCHOR in l]
    if not at:
        raise CheckFailed("%s has no line with '%s': update CHEAT_ANCHOR in tools/test.py"
                          % (CHEAT_FILE, CHEAT_ANCHOR))
    src.insert(at[0] + 1, "\t{ extern void cheat(void); cheat(); }")
    with open(path, "w") as f:
        f.write("\n".join(src))


def check_cheating_kernel(lab, jobs):
    def run():
        import secrets
        from gradelib import Output, log_name, split_tag
        grader = exercises_module(lab).g
        vtests = [t for t in grader.tests if t.verdicts]
        if not vtests:
            raise CheckFailed("grade/lab%d.py has no test with verdicts=[...]: nothing shows "
                              "that a kernel cannot print its test programs' results" % lab)
        work = SHARED.work("cheat%d" % lab)
        # The verdict lines of a real run: the reference grading's, if this run made it.
        logs = SHARED.reference_logs.get(lab)
        if not logs:
            only = "^(%s)$" % "|".join(re.escape(t.name) for t in vtests)
            res, out = grade(lab, ROOT, os.path.join(work, "reference"), jobs, only)
            if res["score"] != res["max_score"]:
                raise CheckFailed("the reference fails lab %d's verdict tests:\n%s"
                                  % (lab, tail(out)))
            logs = os.path.join(work, "reference", "lab%d" % lab)
        lines = verdict_lines([os.path.join(logs, log_name(t.name)) for t in vtests])
        tree = SHARED.reference_copy(os.path.join(work, "cheater"), built_lab=lab)
        make_cheater(tree, lines)
        # End to end: the grader boots the cheater for the first of the tests.
        first, token = vtests[0], secrets.token_hex(8)
        res, out = grade(lab, tree, os.path.join(work, "cheat"), jobs,
                         "^%s$" % re.escape(first.name), token)
        problems = []
        for t in res["tests"]:
            if t["score"] != 0:
                problems.append("'%s' scores %s for a kernel that prints its verdicts itself"
                                % (t["name"], t["score"]))
            elif "without a valid grading token" not in t["output"]:
                problems.append("'%s' fails, but not for want of a valid grading token:\n%s"
                                % (t["name"], tail(t["output"], 8)))
        if [t["name"] for t in res["tests"]] != [first.name]:
            problems.append("grading '%s' alone gave results for %s"
                            % (first.name, [t["name"] for t in res["tests"]]))
        with open(os.path.join(work, "cheat", "lab%d" % lab, log_name(first.name)),
                  errors="replace") as f:
            text = f.read()
        said = [split_tag(l)[0] for l in text.replace("\r", "").split("\n")]
        out = Output(text, {"token": token})
        for t in vtests:
            # The same output against every test's verdicts: each must refuse it.
            found = grader.match_verdicts(t, out)
            if not any("without a valid grading token" in p for p in found):
                problems.append("'%s' does not refuse the cheater's unsigned verdict lines "
                                "(%s)" % (t.name, "; ".join(found) or "its verdicts match"))
            # The cheat is real: ignoring tags, its output has every verdict line, in order.
            i = 0
            for rx in t.verdicts:
                while i < len(said) and not rx.search(said[i]):
                    i += 1
                if i == len(said):
                    problems.append("the cheating kernel did not print '%s''s /%s/ (so this "
                                    "proves nothing)" % (t.name, rx.pattern))
                    break
                i += 1
        if problems:
            raise CheckFailed("\n".join(problems))
    return run


def exercises_module(lab):
    import importlib
    return importlib.import_module("lab%d" % lab)


# ---------------------------------------------------------------------------------------

def all_checks(jobs):
    checks = [("deps: every command the build, graders and tests run is from a package in "
               "tools/packages", check_dependencies),
              ("style: tree formatted per .clang-format", check_style),
              ("layers: no kern/ folder includes a header from a layer above it",
               check_layers),
              ("docs: each lab's tests table and exercises agree with its grader",
               check_doc_tables),
              ("host: lib/ printf and string unit tests (ASan/UBSan)",
               lambda: check_host_unit_tests(jobs)),
              ("handout: generator unit tests and marker syntax", check_handout_tool),
              ("handout: the lab plan names real files, and no file of a lab's handout rides "
               "along (each is compiled or included by that lab)", check_lab_plan),
              ("build: compile_commands.json", check_compile_commands)]
    for lab in LABS:
        checks.append(("grade: lab %d reference scores full marks" % lab,
                       check_reference_grade(lab, jobs)))
    checks.append(("robust: hostile arguments answered as Linux does, fuzzing, exhaustion and "
                   "every hardening regression, on the lab %d kernel" % LABS[-1],
                   lambda: check_robust(jobs)))
    # Here rather than last, where it ran alone on one core for its last seconds.
    if 4 in LABS:
        checks.append(("timeline: make timeline's scheduler trace is consistent and its SVG has a "
                       "row per process", check_timeline))
    for lab in LABS:
        checks.append(("handout: the lab %d handout has no #if on LAB, builds and boots, fresh "
                       "and cumulative" % lab, check_handout_boots(lab)))
    for lab in LABS:
        checks.append(("handout: lab %d exercises fail on the lab %d handout, earlier labs pass "
                       "at their checkpoints"
                       % (lab, lab), check_handout_proof(lab, jobs)))
    checks += [
        ("grading: tokens, overlay, unpacking, limits, cumulative patches (unit tests)",
         lambda: check_grading_unit_tests(jobs)),
        ("grading: each lab's official files are build files, graders and test programs, never "
         "students' code", check_official_files),
        ("grading: a lab %d submission with a tampered grader gets the official score"
         % GRADED_LAB, lambda: check_tampered_grader(jobs)),
        ("grading: batch of lab %d submissions (reference .tar.gz, tampered handout repo, "
         "broken .zip)" % GRADED_LAB, lambda: check_batch(jobs)),
        ("grading: lab %d autograder zip run locally (reference full marks, handout less)"
         % GRADED_LAB, lambda: check_autograder(jobs))]
    for lab in LABS[1:]:
        checks.append(("handout: lab %d cumulative patch merges into a solved lab %d repository"
                       % (lab, lab - 1), check_cumulative_merge(lab)))
    for lab in LABS:
        if lab >= 3:
            checks.append(("grading: a kernel printing lab %d's verdicts itself scores 0 on them"
                           % lab, check_cheating_kernel(lab, jobs)))
    if any(l >= 3 for l in LABS):
        checks.append(("run: a static musl binary from outside the tree, via INITRD_EXTRA and INIT",
                       check_outside_binary))
    if any(l >= 5 for l in LABS):
        checks.append(("run: Debian's busybox-static applets (ls, find, xargs, sort, uniq, ln -s, "
                       "stat, kill, ps ...) print in Sparrow what they print on Linux",
                       check_busybox_applets))
    if any(l >= 7 for l in LABS):
        checks.append(("run: Debian's busybox sh (ash) runs a script of pipelines, redirections, "
                       "loops and command substitution in Sparrow as on Linux (lab %d)" % LABS[-1],
                       check_busybox_shell))
    checks.append(("gdb: break, continue, bt, next in 64-bit mode; pt shows a copy-on-write page",
                   check_gdb))
    checks.append(("gdb: the helper's memview prints the monitor's maps of a forked process and "
                   "of physical memory", check_gdb_memview))
    return checks


def share_compiles():
    """The checks build many trees (handouts, checkpoints, submissions, copies of the
    reference) that have most files in common: every build compiles through ccache (make's
    CCACHE), so a file compiled once with the same flags is not compiled again. The trees'
    folders differ, so ccache leaves the folder out of its key (which only changes where
    the debug information says the sources were); their files are new, so it trusts file
    contents over file times."""
    # make runs the build's Python tools with this interpreter (its PYTHON).
    os.environ.setdefault("PYTHON", sys.executable)
    if not shutil.which("ccache"):
        print("(ccache is missing: every tree is compiled in full; apt-get install ccache)")
        return
    os.environ.update(CCACHE="ccache", CCACHE_DIR=os.path.join(ROOT, "obj", "ccache"),
                      CCACHE_NOHASHDIR="1",
                      CCACHE_SLOPPINESS="include_file_mtime,include_file_ctime")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", help="run only checks whose name matches this regex")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                    help="tests or builds each check runs at once (default: number of cores)")
    ap.add_argument("--side-by-side", type=int, default=min(2, os.cpu_count() or 1),
                    metavar="N", help="checks run at once (default: 2, or 1 on one core): one "
                    "check's builds and boots fill the cores while another waits for its own")
    args = ap.parse_args()
    share_compiles()
    checks = [(name, fn) for name, fn in all_checks(args.jobs)
              if not args.only or re.search(args.only, name)]
    counts = {"passed": 0, "failed": 0}
    printing = threading.Lock()

    def run(check):
        name, fn = check
        start = time.monotonic()
        try:
            fn()
            problem = None
        except (CheckFailed, subprocess.TimeoutExpired) as e:
            problem = str(e)
        seconds = time.monotonic() - start
        with printing:
            if problem is None:
                counts["passed"] += 1
                print("ok    %s (%.1fs)" % (name, seconds))
            else:
                counts["failed"] += 1
                print("FAIL  %s (%.1fs)" % (name, seconds))
                for line in problem.splitlines():
                    print("      " + line)
            sys.stdout.flush()

    # In the order listed (a check that shares a tree or a grading with an earlier one finds
    # it made, or waits for it), each printed as it ends.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=max(1, args.side_by_side)) as pool:
        list(pool.map(run, checks))
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
