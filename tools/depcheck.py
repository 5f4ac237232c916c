#!/usr/bin/env python3
"""Does every external command Sparrow runs come from a package in tools/packages?

Reads, without running anything, the commands that the build (GNUmakefile, labs/*/lab.mk),
the shell scripts (tools/, tests/, .ci/) and the Python graders and tools (grade/, tools/)
invoke, finds each on this machine, and asks dpkg which package installed it. A command
passes if that package is in tools/packages, is pulled in by one that is (gcc's compiler
comes from gcc-12, which the package gcc depends on), or is one of Debian's essential
packages (coreutils, bash, sed, grep, ...), which every Debian and Ubuntu machine has.
So a new tool cannot be used without being added to the one list.

    python3 tools/depcheck.py        (make test runs it; prints each command and its package)
"""

import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Shell words that are never external commands.
SHELL_WORDS = {
    "if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "case",
    "esac", "function", "return", "exit", "cd", "set", "export", "exec", "command", "read",
    "local", "shift", "trap", "wait", "eval", "source", ".", "!", "{", "}", "(", ")", "[[",
    "]]", "unset", "declare", "readonly", "break", "continue", ":", "builtin", "type",
}
# Commands used only when present, for something the user could also do by hand.
OPTIONAL = {"sudo"}  # tools/install-deps.sh, when not root
# Commands that a command of ours runs itself, and files the build reads from a package.
INDIRECT = {"grub-mkrescue": ["xorriso", "mformat"]}
FILES = ["/usr/lib/grub/i386-pc/multiboot2.mod"]
COMMAND_RE = re.compile(r"^[A-Za-z_][\w.+-]*$")


def read_packages(root):
    """(package, purpose, [commands]) for each line of tools/packages."""
    out = []
    with open(os.path.join(root, "tools", "packages")) as f:
        for line in f:
            words = line.split()
            if words and not words[0].startswith("#"):
                out.append((words[0], words[1], [c for c in words[2:] if c != "-"]))
    return out


# ---------------------------------------------------------------------------------------
# Finding the commands in the sources.

def shell_commands(text):
    """The first word of each simple command in a line of shell (as make and bash see it).
    Quoted strings and comments are dropped first; a make function other than $(shell)
    hides what it contains."""
    text = re.sub(r"\"(\\.|[^\"\\])*\"|'[^']*'", " STR ", text)
    text = re.sub(r"(^|\s)#.*", "", text)
    found = []
    for part in re.split(r"&&|\|\||[;|&(`{}]|\$\$\(|\bthen\b|\belse\b|\bdo\b|\bif\b|\bwhile\b",
                         text):
        words = part.split()
        while words and ("=" in words[0] and not words[0].startswith("=")):
            words.pop(0)  # VAR=value before the command
        if words:
            found.append(words[0])
    return found


def joined_lines(path):
    """The lines of a file with backslash continuations joined (numbered by their first)."""
    out, pending, first = [], "", 0
    with open(path) as f:
        for n, line in enumerate(f.read().split("\n"), 1):
            if not pending:
                first = n
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            out.append((first, pending + line))
            pending = ""
    return out


def make_commands(path):
    """(command, where) for the recipes and $(shell ...) calls of a make file."""
    lines = joined_lines(path)
    variables = {}
    for _, line in lines:
        m = re.match(r"^([A-Z_]+)\s*[:?]?=\s*(\S+)\s*$", line)
        if m:
            variables[m.group(1)] = m.group(2)

    def expand(text):
        return re.sub(r"\$\(([A-Z_]+)\)", lambda m: variables.get(m.group(1), m.group(0)), text)

    out = []
    for n, line in lines:
        line = expand(line)
        if line.startswith("\t"):
            # A make function in a recipe ($(foreach ...), $(call ...)) is not a subshell.
            text = re.sub(r"(?<!\$)\$\(", "$[", re.sub(r"^\t(\$\(V\)|[@-])*", "", line))
            cmds = shell_commands(text)
        else:
            cmds = [c for m in re.findall(r"\$\(shell ([^)]*)\)", line) for c in shell_commands(m)[:1]]
        out += [(c, "%s:%d" % (os.path.relpath(path, ROOT), n)) for c in cmds]
    return out


def script_commands(path):
    """(command, where) for a shell script; the functions it defines are not commands."""
    lines = joined_lines(path)
    functions = {m.group(1) for _, line in lines
                 for m in [re.match(r"^\s*(?:function\s+)?([\w.-]+)\s*\(\)", line)] if m}
    out = []
    for n, line in lines:
        out += [(c, "%s:%d" % (os.path.relpath(path, ROOT), n)) for c in shell_commands(line)
                if c not in functions]
    return out


# A call that runs a program: subprocess.*, Popen, and this project's sh()/must()/Run()
# helpers, with a literal list whose first element is the command; and shutil.which("x").
PY_CALL_RE = re.compile(r"(?:subprocess\.\w+|Popen|\bsh|\bmust|\bRun)\(\s*\[\s*\"([^\"]+)\"")
PY_WHICH_RE = re.compile(r"shutil\.which\(\s*\"([^\"]+)\"")


def python_commands(path):
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            for rx in (PY_CALL_RE, PY_WHICH_RE):
                out += [(c, "%s:%d" % (os.path.relpath(path, ROOT), n)) for c in rx.findall(line)]
    return out


def source_files(root):
    """The files whose commands are checked."""
    import glob
    pick = lambda *pats: sorted(set(sum((glob.glob(os.path.join(root, p)) for p in pats), [])))
    return (pick("GNUmakefile", "labs/*/lab.mk"),
            pick("tools/*.sh", "tests/*/*.sh", ".ci/run"),
            [p for p in pick("grade/*.py", "tools/*.py") if not p.endswith("depcheck.py")])


def commands(root):
    """{command: first place it is used} over the whole tree."""
    makes, scripts, pys = source_files(root)
    found = {}
    for path in makes:
        for c, where in make_commands(path):
            found.setdefault(c, where)
    for path in scripts:
        for c, where in script_commands(path):
            found.setdefault(c, where)
    for path in pys:
        for c, where in python_commands(path):
            found.setdefault(c, where)
    return {c: w for c, w in found.items()
            if COMMAND_RE.match(c) and c not in SHELL_WORDS | OPTIONAL and c != "STR"}


# ---------------------------------------------------------------------------------------
# Packages.

def dpkg_owners(paths):
    """{path: the package that installed it} for the paths dpkg knows (one dpkg -S call)."""
    p = subprocess.run(["dpkg", "-S"] + sorted(set(paths)), stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    out = {}
    for line in p.stdout.decode().splitlines():
        pkgs, _, path = line.partition(": ")
        out[path.strip()] = pkgs.split(",")[0].strip().split(":")[0]
    return out


def installed_packages():
    """{package: (essential, [dependencies])} of every installed package."""
    p = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${Essential}\t${Status}\t"
                        "${Depends}, ${Pre-Depends}\n"], stdout=subprocess.PIPE, check=True)
    out = {}
    for line in p.stdout.decode().splitlines():
        name, essential, status, deps = line.split("\t")
        if not status.endswith("installed"):
            continue
        names = []
        for alt in deps.split(","):
            for d in alt.split("|"):
                d = d.strip().split(" ")[0].split(":")[0]
                if d:
                    names.append(d)
        out[name] = (essential == "yes", names)
    return out


def closure(pkgs, installed):
    """Every installed package that pkgs need, directly or not (virtual names included)."""
    seen, todo = set(), list(pkgs)
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        todo += installed.get(p, (False, []))[1]
    return seen


def problems(root=ROOT, verbose=False):
    listed = [p for p, _, _ in read_packages(root)]
    if not shutil.which("dpkg"):
        return ["dpkg is not available: this check needs Debian or Ubuntu"]
    installed = installed_packages()
    allowed = closure(listed, installed)
    essential = {p for p, (ess, _) in installed.items() if ess}
    allowed |= closure(essential, installed)
    # The path on PATH may be a shim (pyenv) or a symbolic link: try it, what it points to,
    # and the system's own copy.
    used = commands(root)
    for cmd, helpers in INDIRECT.items():
        if cmd in used:
            used.update({h: "%s (run by %s)" % (used[cmd], cmd) for h in helpers})
    candidates = {}
    for cmd in used:
        path = shutil.which(cmd)
        if path:
            candidates[cmd] = [c for c in (path, os.path.realpath(path), "/usr/bin/" + cmd,
                                           "/bin/" + cmd) if os.path.exists(c)]
    owners = dpkg_owners(sum(candidates.values(), []) + FILES)
    out = []
    for cmd, where in sorted(used.items()):
        if cmd not in candidates:
            out.append("%s (used at %s) is not installed: add the package that provides it to "
                       "tools/packages" % (cmd, where))
            continue
        owner = next((owners[c] for c in candidates[cmd] if c in owners), None)
        out += judge(cmd, where, owner, allowed, verbose)
    for path in FILES:
        out += judge(path, "GNUmakefile", owners.get(path), allowed, verbose)
    return out


def judge(what, where, owner, allowed, verbose):
    if verbose:
        print("  %-22s %-28s %s" % (what, owner or "(no package)", where))
    if not owner:
        return ["%s (used at %s) comes from no Debian package" % (what, where)]
    if owner not in allowed:
        return ["%s (used at %s) comes from the package %s, which tools/packages does not list "
                "(nor needs)" % (what, where, owner)]
    return []


if __name__ == "__main__":
    found = problems(verbose=True)
    for p in found:
        print("PROBLEM: " + p)
    sys.exit(1 if found else 0)
