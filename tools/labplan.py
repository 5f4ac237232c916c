#!/usr/bin/env python3
"""The lab plan: which files, user programs and tests belong to which lab, read from the one
place that says so, each lab's make fragment labs/labN/lab.mk.

A lab.mk names what checkpoint N adds, in make variables:

    KERN_SRCS += kern/mm/page.c ...        kernel sources the lab compiles
    ULIB_SRCS += lib/user/crt0.S ...       user library sources (ULIB_EXTRA too)
    USER_PROGS += hello ...                user programs: user/NAME.c
    MUSL_PROGS += stdio ...                musl-gcc programs: user/musl/NAME.c
    INITRD_FILES += etc/x=user/x           ramdisk files: the source after "="
    LAB_FILES += kern/mm/page.h grade/lab2.py docs/lab2.md ...
                                           every other file the lab introduces: headers,
                                           its grader and handout page, host tests, tools
    OFFICIAL_FILES += GNUmakefile grade/ ...
                                           files whose instructors' copy is used when this
                                           lab or a later one is graded (grade/official.py)

LAB_FILES and OFFICIAL_FILES take globs: "*" and "?" stay inside one path component, "**"
crosses components, "[abc]" is a set, and a glob naming a directory covers everything below
it. The GNUmakefile names in INSTRUCTOR_FILES (same globs) the files that stay with the
instructors: no handout has them.

The rules derived from these lists:

- A file belongs to the lowest lab that names it (in any of the variables above);
  labs/labN/ belongs to lab N. A file that no lab names belongs to every lab.
- The lab N handout has the files of labs 1 to N, except INSTRUCTOR_FILES.
- The official files of lab N are the OFFICIAL_FILES globs of labs 1 to N and the programs
  of labs 1 to N (USER_PROGS, MUSL_PROGS, INITRD_FILES): the test programs. A file with
  solution markers is never official (grade/official.py sees to that).

Only plain assignments are read (`VAR += words`, `VAR := words`, backslash continuations,
"#" comments); a variable above whose words use make's $(...) is an error. Python standard
library only.

    labplan.py [--src ROOT] [--lab N]     print each lab's files (or lab N's), by kind
"""

import argparse
import os
import posixpath
import re
import sys

DEFAULT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCE_VARS = ("KERN_SRCS", "ULIB_SRCS", "ULIB_EXTRA")
PROGRAM_VARS = ("USER_PROGS", "MUSL_PROGS", "INITRD_FILES")
GLOB_VARS = ("LAB_FILES", "OFFICIAL_FILES")
PLAN_VARS = SOURCE_VARS + PROGRAM_VARS + GLOB_VARS
INCLUDE_RE = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.M)
C_SUFFIXES = (".c", ".S", ".h", ".inc")
INCLUDE_DIRS = ("inc", "kern")                  # the build's -Iinc -Ikern
SYSTEM_DIRS = ("user/musl/", "tests/host/", "tools/")  # built against the system's headers
ASSIGN_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(\+=|:=|::=|\?=|=)(.*)$", re.S)


class PlanError(Exception):
    """A lab.mk the plan cannot read; the message is meant for the instructor."""


# ---------------------------------------------------------------------------------------
# Globs.

class Glob:
    """A path glob relative to the tree top; see the top of this file for the syntax."""

    def __init__(self, pattern):
        pattern = pattern.strip()
        while pattern.startswith("./"):
            pattern = pattern[2:]
        pattern = pattern.lstrip("/")
        self.pattern = pattern
        self.dir_only = pattern.endswith("/")
        self.regex = re.compile(glob_regex(pattern.rstrip("/")), re.S)

    def matches(self, path):
        """True if path, or a directory above it, matches the glob."""
        parts = path.split("/")
        names = ["/".join(parts[:i]) for i in range(1, len(parts))]
        if not self.dir_only:
            names.append(path)
        return any(self.regex.fullmatch(name) for name in names)


def glob_regex(pattern):
    """Translate a glob into a regular expression ("*" never crosses "/", "**" does)."""
    out, i, n = [], 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = i + 1
            if j < n and pattern[j] in "!^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j >= n:
                out.append(re.escape(c))
                i += 1
                continue
            inner = pattern[i + 1:j]
            negate = inner[:1] in ("!", "^")
            if negate:
                inner = inner[1:]
            inner = inner.replace("\\", "\\\\").replace("[", "\\[")
            out.append("(?!/)[%s%s]" % ("^" if negate else "", inner))
            i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


# ---------------------------------------------------------------------------------------
# Reading make fragments.

def make_variables(path, names):
    """{name: [words]} for the variables names as the plain assignments of the make file at
    path leave them ({} for a missing file)."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return {}
    values = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        lineno, line = i + 1, lines[i]
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + " " + lines[i]
        i += 1
        m = ASSIGN_RE.match(line)
        if not m or m.group(1) not in names:
            continue
        name, op, value = m.groups()
        words = re.sub(r"(^|\s)#.*", "", value).split()
        if any("$" in w for w in words):
            raise PlanError("%s:%d: %s uses make's $(...); the lab plan (tools/labplan.py) "
                            "reads plain words only" % (path, lineno, name))
        if op == "+=":
            values.setdefault(name, []).extend(words)
        elif op != "?=" or name not in values:
            values[name] = words
    return values


def lab_numbers(root):
    """The checkpoints, as the GNUmakefile sees them: labs/labN/ with a lab.mk."""
    top = os.path.join(root, "labs")
    if not os.path.isdir(top):
        return []
    return sorted(int(m.group(1)) for m in (re.match(r"lab(\d+)$", d) for d in os.listdir(top))
                  if m and os.path.isfile(os.path.join(top, m.group(0), "lab.mk")))


# ---------------------------------------------------------------------------------------
# The plan.

class Plan:
    """The lab plan of the tree at root."""

    def __init__(self, root):
        self.root = root
        self.labs = lab_numbers(root)
        self.vars = {lab: make_variables(os.path.join(root, "labs", "lab%d" % lab, "lab.mk"),
                                         PLAN_VARS) for lab in self.labs}
        self.instructor = [Glob(g) for g in make_variables(
            os.path.join(root, "GNUmakefile"), ("INSTRUCTOR_FILES",)).get("INSTRUCTOR_FILES", [])]
        self.first = {}          # path -> the lowest lab naming it exactly
        for lab in reversed(self.labs):
            for path in self.sources(lab, only=True) + self.programs(lab, only=True):
                self.first[path] = lab
        self.globs = [(lab, Glob(g)) for lab in self.labs for g in self.words(lab, "LAB_FILES")]

    def words(self, lab, name):
        return self.vars.get(lab, {}).get(name, [])

    def upto(self, lab):
        return [n for n in self.labs if n <= lab]

    def sources(self, lab, only=False):
        """The kernel and user-library sources lab compiles (with only: that it adds)."""
        labs = [lab] if only else self.upto(lab)
        return unique(w for n in labs for v in SOURCE_VARS for w in self.words(n, v))

    def programs(self, lab, only=False):
        """The sources of lab's programs: user/NAME.c, user/musl/NAME.c and the ramdisk
        files (with only: those lab adds)."""
        out = []
        for n in ([lab] if only else self.upto(lab)):
            out += ["user/%s.c" % p for p in self.words(n, "USER_PROGS")]
            out += ["user/musl/%s.c" % p for p in self.words(n, "MUSL_PROGS")]
            out += [f.split("=", 1)[-1] for f in self.words(n, "INITRD_FILES")]
        return unique(out)

    def owner(self, path):
        """The lab that introduces path, or None if it belongs to every lab."""
        m = re.match(r"labs/lab(\d+)/", path)
        if m:
            return int(m.group(1))
        labs = [lab for lab, glob in self.globs if glob.matches(path)]
        if path in self.first:
            labs.append(self.first[path])
        return min(labs) if labs else None

    def is_instructors(self, path):
        return any(g.matches(path) for g in self.instructor)

    def in_handout(self, path, lab):
        """True if path belongs to the handout of lab."""
        owner = self.owner(path)
        return (owner is None or owner <= lab) and not self.is_instructors(path)

    def official_globs(self, lab):
        """The globs of lab's official files: OFFICIAL_FILES and the programs of labs up
        to lab."""
        return unique([g for n in self.upto(lab) for g in self.words(n, "OFFICIAL_FILES")] +
                      self.programs(lab))

    def problems(self, paths):
        """What is wrong with the plan for the tree's files paths: names of files that do
        not exist, globs that match none."""
        out = []
        have = set(paths)
        for lab in self.labs:
            where = "labs/lab%d/lab.mk" % lab
            for path in self.sources(lab, only=True) + self.programs(lab, only=True):
                if path not in have:
                    out.append("%s names %s, which is not in the tree" % (where, path))
            for name in GLOB_VARS:
                for g in self.words(lab, name):
                    if not any(Glob(g).matches(p) for p in paths):
                        out.append("%s: %s glob '%s' matches no file" % (where, name, g))
        for g in self.instructor:
            if not any(g.matches(p) for p in paths):
                out.append("GNUmakefile: INSTRUCTOR_FILES glob '%s' matches no file" % g.pattern)
        return out


def compiled_roots(plan, lab, paths):
    """The C and assembly files of paths that lab compiles: its kernel, library and program
    sources, and what is built for the host among paths: the unit tests (tests/host/) and
    the tools' own C programs (tools/, such as the kprof plugin)."""
    roots = plan.sources(lab) + plan.programs(lab)
    roots += [p for p in paths if p.startswith(("tests/host/", "tools/"))
              and p.endswith((".c", ".S"))]
    return [p for p in unique(roots) if p.endswith((".c", ".S")) and p in paths]


def used_files(files, roots):
    """What compiling roots reads from files ({path: bytes}): (the set of the roots and the
    files they include, transitively, and the "path: #include ..." lines that name no file
    of files). Quoted names are looked up next to the including file first, then in inc/
    and kern/; in user/musl/ and tests/host/, <...> names are the system's headers."""
    used, todo, dangling = set(), list(roots), []
    while todo:
        path = todo.pop()
        if path in used:
            continue
        used.add(path)
        for m in INCLUDE_RE.finditer(files[path]):
            quoted, name = m.group(1) == b'"', m.group(2).decode("utf-8", "replace")
            if not quoted and path.startswith(SYSTEM_DIRS):
                continue
            dirs = ([posixpath.dirname(path)] if quoted else []) + list(INCLUDE_DIRS)
            found = [f for f in (posixpath.normpath(posixpath.join(d, name)) for d in dirs)
                     if f in files]
            if found:
                todo.append(found[0])
            else:
                dangling.append("%s: %s" % (path, m.group(0).decode("utf-8", "replace")))
    return used, dangling


def unique(items):
    return list(dict.fromkeys(items))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Print the lab plan read from labs/labN/lab.mk.")
    ap.add_argument("--src", default=DEFAULT_ROOT, help="the reference tree")
    ap.add_argument("--lab", type=int, help="only this lab")
    args = ap.parse_args(argv)
    try:
        plan = Plan(args.src)
    except (PlanError, OSError) as e:
        print("labplan: %s" % e, file=sys.stderr)
        return 1
    for lab in plan.labs:
        if args.lab is not None and lab != args.lab:
            continue
        print("lab %d compiles %s" % (lab, " ".join(plan.sources(lab, only=True)) or "-"))
        print("lab %d programs %s" % (lab, " ".join(plan.programs(lab, only=True)) or "-"))
        print("lab %d files    %s" % (lab, " ".join(plan.words(lab, "LAB_FILES")) or "-"))
        print("lab %d official %s" % (lab, " ".join(plan.official_globs(lab)) or "-"))
    print("instructors     %s" % " ".join(g.pattern for g in plan.instructor))
    return 0


if __name__ == "__main__":
    sys.exit(main())
