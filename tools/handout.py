#!/usr/bin/env python3
r"""Write the student tree for one lab from the instructors' reference tree.

This repository holds the full solutions. `make handout LAB=N` runs this tool,
which copies the tree with the solution code of lab N (and of later labs) cut
out and replaced by stubs, and the solutions of earlier labs kept.

Marking solution code
---------------------
Solution code sits between marker lines. A marker line is a line whose text,
after its indentation, starts with the comment leader followed at once by "=".
The leader is "//" in C-like files (.c .h .S .cc .cpp .hpp .ld .lds) and "#"
in every other file (make files, Python, shell, gdb scripts, plain .s files).
An exercise in C looks like this:

    // LAB 1: Walk the chain of saved frame pointers and print one line
    // per frame with the return address and its symbol.
    //= BEGIN LAB 1
    ... solution lines, exactly as they should compile ...
    //= STUB
    //= panic("LAB 1: backtrace not implemented");
    //= END

In a make file the same block is spelled with "#": a line "#= BEGIN LAB 2",
the solution, an optional "#= STUB" with its commented stub lines, "#= END".

- "BEGIN LAB <n>" opens the solution block of lab n. Blocks do not nest.
- "STUB" (optional) ends the solution and starts the stub part. Every stub
  line must start with the leader and "="; in the handout the leader, the "="
  and one following space are removed and the indentation is kept, so
  "\t//= return 0;" becomes "\treturn 0;" and a bare "//=" an empty line.
- "END" closes the block.
- The "LAB <n>:" comment above BEGIN is an ordinary comment and stays in every
  handout, so `grep -rn "LAB 1:"` lists the places where students write code.
- A line of the leader and two or more "=" (a ruler such as "//=====") is an
  ordinary comment, not a marker.

In the handout for lab N:

- a block of a lab below N keeps its solution; its marker and stub lines go;
- a block of lab N or later loses its solution and keeps its stub, uncommented
  (a block without STUB leaves nothing behind);
- every line outside a block is copied unchanged, and no marker line remains.

Then, in C, assembly, header and linker-script files (.c .h .S .inc .ld .lds),
every preprocessor conditional whose condition depends only on LAB is resolved
for lab N, so each file reads as if it were written for lab N:

    #if LAB >= 2                      the lab 1 handout has neither line nor call;
        page_init();                  the lab 2 handout has the call without the
    #endif                            two directive lines

- #if, #ifdef, #ifndef, #elif, #else and #endif are understood; a condition may
  use LAB, integers, defined(LAB), ! && || ( ), + - and the comparisons
  < <= > >= == !=. The lines of the taken branch stay, the directives and the
  other branches go, and a block that vanishes leaves no doubled blank line.
- Conditionals that do not mention LAB stay as they are (nested ones too).
- A condition that mixes LAB with another macro is simplified when LAB decides
  it ("LAB >= 5 && defined(X)" is false for lab 4); otherwise, and for an #elif
  that mixes the two kinds in one chain, it is an error reported as path:line.
- The reference tree keeps its conditions; -DLAB=N stays in the build.

A marker that is not one of the three above, a nested BEGIN, a STUB or END
outside a block, a BEGIN without a lab number, a block left open at the end
of the file, or an uncommented line in a stub part is an error, reported as
"path:line: what is wrong"; nothing is written then.

Which files go into the handout
-------------------------------
- The files git tracks in the source tree (`git ls-files`); outside git, every
  file except those under .git/, obj/ and __pycache__/ directories.
- Of those, the files the lab plan gives to labs 1 to N, without the files
  that stay with the instructors. The plan is written once, in each lab's
  labs/labN/lab.mk (its sources, programs and LAB_FILES) and in the
  GNUmakefile's INSTRUCTOR_FILES; tools/labplan.py reads it and has the rules.
- Binary files (a NUL byte in the first 8 KiB) and symbolic links are copied
  as they are; file modes are kept.

Usage
-----
    handout.py --lab N --out DIR [--force] [--git] [--src ROOT]
    handout.py --lab N --patch FILE [--src ROOT]
    handout.py --lab N --cumulative (--out DIR | --patch FILE) [--src ROOT]
    handout.py --check [--src ROOT]
    handout.py --list-exercises N [--src ROOT]

--out writes the lab N tree to DIR (refusing a non-empty DIR unless --force),
and with --git makes it a git repository with one commit. --patch writes the
patch from the lab N-1 handout to the lab N handout, made by git itself
(`git diff --no-index --binary` between the two trees, paths a/... and b/...
from the tree's top): `git apply` accepts it on a lab N-1 tree, and its full
blob ids let `git apply --3way` work in a student repository made with --git. --check reports every marker
error of the whole tree and writes nothing.

--cumulative is for courses where students carry their own code from lab to lab: the
trees it writes (and diffs) keep every solution block of every lab as its stub, so the
lab N --cumulative --patch adds lab N's files, stubs and graders to a student's lab N-1
tree without touching (or revealing) any solution; `git apply --3way` merges it around
the student's own code. --list-exercises prints each lab N
block as "path:line: LAB N: ..." with the line number in the lab N handout.
"""

import argparse
import dataclasses
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

import labplan  # which files belong to which lab

DEFAULT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLASH_SUFFIXES = (".c", ".h", ".S", ".cc", ".cpp", ".hpp", ".ld", ".lds")
SKIP_DIRS = {".git", "obj", "__pycache__"}
GIT_NAME = "Sparrow handout"
GIT_EMAIL = "handout@sparrow.invalid"


class HandoutError(Exception):
    """A problem that stops the tool; the message is meant for the user."""


# ---------------------------------------------------------------------------
# Markers: parse a file into text lines and blocks, then render it for a lab.
# All text is handled as bytes, so encodings and line endings pass unchanged.


@dataclasses.dataclass
class Block:
    """One BEGIN LAB ... END block; stub lines are already uncommented."""
    lab: int
    line: int
    solution: list = dataclasses.field(default_factory=list)
    stub: list = dataclasses.field(default_factory=list)
    has_stub: bool = False
    end: int = 0      # the line of its END marker

    def name(self):
        if self.lab < 0:
            return "the block at line %d" % self.line
        return "the lab %d block (line %d)" % (self.lab, self.line)


@dataclasses.dataclass
class Counts:
    """How many blocks a rendering kept, stripped for lab N, and stripped for later labs."""
    kept: int = 0
    stripped: int = 0
    later: int = 0

    def add(self, other):
        self.kept += other.kept
        self.stripped += other.stripped
        self.later += other.later


def comment_leader(path):
    """The comment leader of the file at path: b"//" for C-like files, else b"#"."""
    return b"//" if path.endswith(SLASH_SUFFIXES) else b"#"


def split_lines(data):
    """Split bytes after each b"\\n", keeping the endings (as git does)."""
    lines = data.split(b"\n")
    last = lines.pop()
    lines = [line + b"\n" for line in lines]
    if last:
        lines.append(last)
    return lines


def is_binary(data):
    """True if data looks binary: a NUL byte in its first 8 KiB."""
    return b"\0" in data[:8192]


def split_eol(line):
    """Split a line into its text and its line ending (b"\\r\\n", b"\\n" or b"")."""
    for eol in (b"\r\n", b"\n"):
        if line.endswith(eol):
            return line[:-len(eol)], eol
    return line, b""


def uncomment(line, mark):
    """Turn the stub line "<indent><mark> text" into "<indent>text"."""
    body, eol = split_eol(line)
    text = body.lstrip(b" \t")
    indent = body[:len(body) - len(text)]
    rest = text[len(mark):]
    if rest.startswith(b" "):
        rest = rest[1:]
    if not rest.strip():
        return eol
    return indent + rest + eol


def marker_words(text, mark):
    """The words after the mark, or None if the stripped line is not a marker line."""
    if not text.startswith(mark) or text.startswith(mark + b"="):
        return None
    return text[len(mark):].decode("utf-8", "replace").split()


def parse_markers(path, data):
    """Parse data (the bytes of path) into a list of lines and Blocks.

    Returns (items, errors); errors are "path:line: message" strings, and the
    parse goes on after an error so that one run reports all of them.
    """
    mark = comment_leader(path) + b"="
    shown = mark.decode()
    items, errors = [], []
    block, in_stub = None, False

    def error(lineno, message):
        errors.append("%s:%d: %s" % (path, lineno, message))

    for lineno, line in enumerate(split_lines(data), 1):
        text = split_eol(line)[0].lstrip(b" \t")
        if block is not None and in_stub:
            if not text.startswith(mark):
                error(lineno, "line in the STUB part of %s does not start with '%s'; "
                      "comment it out or close the block with '%s END'"
                      % (block.name(), shown, shown))
                continue
            words = text[len(mark):].decode("utf-8", "replace").split()
            if words == ["END"]:
                block.end, block, in_stub = lineno, None, False
            elif words == ["STUB"]:
                error(lineno, "second STUB in %s" % block.name())
            elif words[:1] == ["BEGIN"]:
                error(lineno, "BEGIN inside %s; blocks do not nest" % block.name())
            else:
                block.stub.append(uncomment(line, mark))
            continue

        words = marker_words(text, mark)
        if words is None:
            (block.solution if block is not None else items).append(line)
        elif words[:1] == ["BEGIN"]:
            numbered = len(words) == 3 and words[1] == "LAB" and words[2].isdigit()
            if block is not None:
                error(lineno, "BEGIN inside %s; blocks do not nest" % block.name())
            elif not numbered:
                error(lineno, "BEGIN needs a lab number: write '%s BEGIN LAB <n>'" % shown)
                block = Block(lab=-1, line=lineno)      # parse on to its END, render nothing
            else:
                block = Block(lab=int(words[2]), line=lineno)
                items.append(block)
        elif words == ["STUB"]:
            if block is None:
                error(lineno, "STUB outside a block")
            else:
                block.has_stub, in_stub = True, True
        elif words == ["END"]:
            if block is None:
                error(lineno, "END without BEGIN")
            else:
                block.end, block = lineno, None
        else:
            error(lineno, "unknown marker '%s'; expected '%s BEGIN LAB <n>', '%s STUB' or '%s END'"
                  % (text.decode("utf-8", "replace").strip(), shown, shown, shown))
    if block is not None:
        error(block.line, "%s is never closed; add '%s END'" % (block.name(), shown))
    return items, errors


def render(items, lab, stub=None, keep_lines=False):
    """The handout text of parsed items for lab: returns (bytes, Counts). stub, if given,
    decides instead which blocks lose their solution: stub(block) is true for those. With
    keep_lines, a block's marker lines become blank lines (and a stub shorter than its
    block is padded), so the lines after a block keep their numbers."""
    out, counts = [], Counts()
    for item in items:
        if not isinstance(item, Block):
            out.append(item)
            continue
        if (not stub(item)) if stub else item.lab < lab:
            text = ([b"\n"] if keep_lines else []) + item.solution
            counts.kept += 1
        else:
            text = item.stub
            if item.lab == lab:
                counts.stripped += 1
            else:
                counts.later += 1
        out.extend(text)
        if keep_lines:
            out.extend([b"\n"] * (item.end - item.line + 1 - len(text)))
    return b"".join(out), counts


def is_comment(text, leader):
    """True if the stripped line text is a comment line in a file with this leader."""
    if text.startswith(leader):
        return True
    return leader == b"//" and (text.startswith((b"/*", b"* ", b"*/")) or text == b"*")


def comment_text(text, leader):
    """The words of a comment line without its comment syntax."""
    for opener in (leader, b"/*", b"*/", b"*"):
        if text.startswith(opener):
            text = text[len(opener):]
            break
    if text.endswith(b"*/"):
        text = text[:-2]
    return text.strip().decode("utf-8", "replace")


def exercises(path, items, lab):
    """One "path:line: LAB n: ..." entry per lab block, numbered as in the lab handout.

    The text is the "LAB n:" comment right above the BEGIN, from the line that
    says "LAB n:" down to the BEGIN, joined into one line.
    """
    rendered = render(items, lab)[0]
    kept = resolve_conditions(path, rendered, lab)[1]
    number = [0]                    # line i of the rendered text is line number[i] out
    for k in kept:
        number.append(number[-1] + k)
    return ["%s:%d:%s" % (path, number[n], text)
            for n, text in rendered_exercises(path, items, lab) if kept[n - 1]]


def rendered_exercises(path, items, lab):
    """[(line in the rendered text, " LAB n: ...")] for the lab blocks of items."""
    leader = comment_leader(path)
    tag = "LAB %d:" % lab
    found = []
    outline = 0          # lines of the handout written so far
    run = []             # (handout line, text) of the comment lines just above
    for item in items:
        if not isinstance(item, Block):
            outline += 1
            text = split_eol(item)[0].strip()
            run = run + [(outline, text)] if is_comment(text, leader) else []
            continue
        if item.lab == lab:
            start = [i for i, (_, text) in enumerate(run) if tag.encode() in text]
            if start:
                first = start[-1]
                words = [comment_text(text, leader) for _, text in run[first:]]
                words[0] = words[0][words[0].index(tag):]
                found.append((run[first][0], " " + " ".join(w for w in words if w)))
            else:
                found.append((outline + 1, " (no '%s' comment above this block)" % tag))
        outline += len(item.solution if item.lab < lab else item.stub)
        run = []
    return found


FUNCTION_RE = re.compile(rb"^[A-Za-z_][^;=]*?\b([A-Za-z_]\w*)\s*\(")


def block_functions(path, items):
    """[(Block, name of the C function it is in, or None)] for the blocks of parsed items:
    the function is the last definition (a line at column 0 naming a function, not a
    declaration) above the block."""
    out, current = [], None
    for item in items:
        if isinstance(item, Block):
            out.append((item, current if comment_leader(path) == b"//" else None))
            continue
        m = FUNCTION_RE.match(item)
        if m and not item.rstrip().endswith(b";"):
            current = m.group(1).decode()
    return out


def parsed_files(root, paths, errors):
    """(path, parsed items) for each text file of paths in root (symbolic links and binary
    files are skipped); marker errors go to errors."""
    for path in paths:
        entry = read_entry(root, path)
        if stat.S_ISLNK(entry.mode) or is_binary(entry.data):
            continue
        items, errs = parse_markers(path, entry.data)
        errors.extend(errs)
        yield path, items


def lab_blocks(root, lab, paths=None):
    """[(path, Block, function)] for every solution block of lab in the lab's files."""
    paths = source_files(root) if paths is None else paths
    found, errors = [], []
    for path, items in parsed_files(root, select_files(root, paths, lab), errors):
        found += [(path, b, f) for b, f in block_functions(path, items) if b.lab == lab]
    if errors:
        raise HandoutError("marker errors:\n" + "\n".join(errors))
    return found


# ---------------------------------------------------------------------------
# Conditionals: in C, assembly, headers and linker scripts, every "#if" whose condition
# depends only on LAB is resolved for the lab: the taken branch's lines stay, the directives
# and the other branches go. The reference tree keeps its conditions.

CPP_SUFFIXES = (".c", ".h", ".S", ".inc", ".ld", ".lds")
DIRECTIVE_RE = re.compile(rb"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)$", re.S)
CPP_TOKEN_RE = re.compile(r"\s*(?:(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*|([A-Za-z_]\w*)|"
                          r"(&&|\|\||==|!=|<=|>=|[!<>()+-]))")
# The binary operators a condition may use, loosest first (C's precedence).
BINARY_LEVELS = [("||",), ("&&",), ("==", "!="), ("<", "<=", ">", ">="), ("+", "-")]
COMPARE = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
           "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
           "+": lambda a, b: a + b, "-": lambda a, b: a - b}


class Unreadable(Exception):
    """A condition that mentions LAB but that this tool cannot parse."""


def cpp_tokens(text):
    """The tokens of a condition (without comments): ints, names and operators."""
    tokens, pos = [], 0
    while text[pos:].strip():
        m = CPP_TOKEN_RE.match(text, pos)
        if not m:
            raise Unreadable("cannot read '%s'" % text[pos:].strip())
        number, name, op = m.groups()
        tokens.append(int(number, 0) if number else name or op)
        pos = m.end()
    return tokens


def lab_condition(tokens, lab):
    """The value of a condition when LAB is lab: True, False, or None if another macro
    leaves it open (&& and || decide what they can: "LAB >= 9 && X" is False for lab 3)."""
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take(expected=None):
        nonlocal pos
        tok = peek()
        if tok is None or (expected is not None and tok != expected):
            raise Unreadable("expected '%s'" % (expected or "an operand"))
        pos += 1
        return tok

    def unary():
        tok = take()
        if tok in ("!", "-", "+"):
            v = unary()
            return None if v is None else {"!": int(not v), "-": -v, "+": v}[tok]
        if tok == "(":
            v = binary(0)
            take(")")
            return v
        if tok == "defined":
            paren = peek() == "("
            if paren:
                take("(")
            name = take()
            if paren:
                take(")")
            return 1 if name == "LAB" else None
        if tok == "LAB":
            return lab
        if isinstance(tok, int):
            return tok
        if tok[0].isalpha() or tok[0] == "_":
            return None          # another macro: its value is not known here
        raise Unreadable("unexpected '%s'" % tok)

    def binary(level):
        if level == len(BINARY_LEVELS):
            return unary()
        left = binary(level + 1)
        while peek() in BINARY_LEVELS[level]:
            op, right = take(), binary(level + 1)
            if op == "||":
                left = 1 if left or right else None if None in (left, right) else 0
            elif op == "&&":
                left = 0 if 0 in (left, right) else None if None in (left, right) else 1
            else:
                left = None if None in (left, right) else int(COMPARE[op](left, right))
        return left

    value = binary(0)
    if pos != len(tokens):
        raise Unreadable("unexpected '%s'" % tokens[pos])
    return None if value is None else bool(value)


def directive(text):
    """(keyword, condition) of a conditional directive line (continuations joined), with
    #ifdef X as the condition "defined(X)"; None for any other line."""
    m = DIRECTIVE_RE.match(text)
    if not m:
        return None
    keyword = m.group(1).decode()
    cond = m.group(2).decode("utf-8", "replace").replace("\\\n", " ")
    cond = re.sub(r"/\*.*?\*/", " ", cond, flags=re.S)
    cond = re.sub(r"//.*", "", cond).strip()
    if keyword in ("ifdef", "ifndef"):
        cond = "%sdefined(%s)" % ("!" if keyword == "ifndef" else "", cond)
        keyword = "if"
    return keyword, cond


def mentions_lab(cond):
    return re.search(r"\bLAB\b", cond) is not None


def resolve_conditions(path, data, lab, keep_lines=False):
    """data (the bytes of path) with its LAB conditionals resolved for lab. Returns (bytes,
    kept, errors): kept[i] tells whether input line i is in the output; errors are
    "path:line: message" for conditions on LAB that LAB alone does not decide. With
    keep_lines, the lines left out become blank lines, so every line keeps its number."""
    lines = split_lines(data)
    if not path.endswith(CPP_SUFFIXES) or b"LAB" not in data:
        return data, [True] * len(lines), []
    kept, errors = [False] * len(lines), []
    stack = []        # per open #if: "other" (left alone), "dead" (inside a dropped branch)
    taken = []        # or [kind "lab", branch taken so far, this branch kept]
    i = 0
    while i < len(lines):
        first = i
        text = lines[i]
        while text.rstrip(b"\r\n").endswith(b"\\") and i + 1 < len(lines):
            i += 1
            text = text.rstrip(b"\r\n")[:-1] + b"\\\n" + lines[i]
        i += 1
        live = all(frame[0] == "other" or frame[2] for frame in stack)
        found = directive(text)
        if found is None:
            kept[first:i] = [live] * (i - first)
            continue
        keyword, cond = found

        def error(message):
            errors.append("%s:%d: %s" % (path, first + 1, message))

        def decide():
            try:
                value = lab_condition(cpp_tokens(cond), lab)
            except Unreadable as e:
                error("#%s %s: %s" % (keyword, cond, e))
                return False
            if value is None:
                error("#%s %s: LAB alone does not decide it; write the LAB test on its own "
                      "line" % (keyword, cond))
                return False
            return value

        top = stack[-1] if stack else None
        leave = False         # the line stays as it is (a conditional on other macros)
        if keyword == "if":
            if not live:
                stack.append(["dead", True, False])
            elif mentions_lab(cond):
                value = decide()
                stack.append(["lab", value, value])
            else:
                stack.append(["other", False, True])
                leave = True
        elif top is None:
            leave = live      # unbalanced: the compiler will say so
        elif keyword == "elif":
            if top[0] == "other":
                leave = True
                if mentions_lab(cond):
                    error("#elif %s: a test of LAB inside a conditional on other macros; "
                          "nest it as an #if of its own" % cond)
            elif top[0] == "lab":
                if top[1]:
                    top[2] = False
                elif not mentions_lab(cond):
                    error("#elif %s: a conditional on LAB goes on with another macro; "
                          "nest it as an #if of its own" % cond)
                else:
                    top[2] = top[1] = decide()
        elif keyword == "else":
            leave = top[0] == "other"
            if top[0] == "lab":
                top[1], top[2] = True, not top[1]
        else:
            leave = stack.pop()[0] == "other"
        kept[first:i] = [leave] * (i - first)
    if keep_lines:
        return b"".join(l if k else b"\n" for l, k in zip(lines, kept)), kept, errors
    kept = tidy_blank_lines(lines, kept)
    return b"".join(l for l, k in zip(lines, kept) if k), kept, errors


def tidy_blank_lines(lines, kept):
    """kept, changed so that a block that vanished leaves no doubled blank line, and no blank
    line at the start or end of a brace block or of the file."""
    kept = list(kept)
    out = []              # indices of the lines kept so far
    gap = False           # lines were dropped since the last kept line
    for i, line in enumerate(lines):
        if not kept[i]:
            gap = True
            continue
        text = line.strip()
        before = lines[out[-1]].strip() if out else None
        if gap and not text and (before is None or before == b"" or before.endswith(b"{")):
            kept[i] = False
            continue
        if gap and before == b"" and text.startswith(b"}"):
            kept[out.pop()] = False
        gap = False
        out.append(i)
    if gap and out and not lines[out[-1]].strip():
        kept[out[-1]] = False
    return kept


# ---------------------------------------------------------------------------
# File selection: which files of the reference tree belong to a lab's handout.


def git_env():
    """The environment for running git, without variables that point it elsewhere."""
    env = dict(os.environ)
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
                 "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_COMMON_DIR", "GIT_PREFIX"):
        env.pop(name, None)
    return env


def run_git(args, cwd, env=None):
    """Run git with args in cwd; raise HandoutError if it fails."""
    try:
        result = subprocess.run(["git"] + args, cwd=cwd, env=env or git_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise HandoutError("git is not installed")
    if result.returncode != 0:
        raise HandoutError("git %s failed in %s: %s"
                           % (" ".join(args), cwd, result.stderr.decode(errors="replace").strip()))
    return result.stdout


def is_git_tree(root):
    """True if root is inside a git work tree."""
    try:
        return run_git(["rev-parse", "--is-inside-work-tree"], root).strip() == b"true"
    except HandoutError:
        return False


def source_files(root):
    """Every file of the source tree, as sorted posix paths relative to root."""
    if is_git_tree(root):
        listed = run_git(["ls-files", "-z"], root).split(b"\0")
        paths = []
        for name in filter(None, listed):
            path = os.fsdecode(name)
            full = os.path.join(root, path)
            if os.path.islink(full) or os.path.isfile(full):
                paths.append(path)
            elif not os.path.isdir(full):
                print("warning: %s is tracked but missing; left out" % path, file=sys.stderr)
        return sorted(paths)
    paths = []
    for top, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in files:
            rel = os.path.relpath(os.path.join(top, name), root)
            paths.append(rel.replace(os.sep, "/"))
    return sorted(paths)


def select_files(root, paths, lab):
    """The paths that belong to the handout of lab, by the lab plan (tools/labplan.py)."""
    try:
        plan = labplan.Plan(root)
    except labplan.PlanError as e:
        raise HandoutError(str(e))
    return [path for path in paths if plan.in_handout(path, lab)]


# ---------------------------------------------------------------------------
# Trees: a handout is built in memory as {path: Entry} before anything is written.


@dataclasses.dataclass
class Entry:
    """One file of a tree: its st_mode (regular file or symlink) and its bytes."""
    mode: int
    data: bytes

    def git_mode(self):
        if stat.S_ISLNK(self.mode):
            return 0o120000
        return 0o100755 if self.mode & 0o111 else 0o100644


def read_entry(root, path):
    """The Entry of path in root; a symlink's data is its target."""
    full = os.path.join(root, path)
    st = os.lstat(full)
    if stat.S_ISLNK(st.st_mode):
        return Entry(st.st_mode, os.fsencode(os.readlink(full)))
    with open(full, "rb") as f:
        return Entry(st.st_mode, f.read())


@dataclasses.dataclass
class Handout:
    """A lab's tree with the block counts of the transformation."""
    lab: int
    tree: dict
    counts: Counts


def build_handout(root, lab, paths, errors, stub_all=False, stub=None, select=True,
                  keep_lines=False):
    """The Handout of lab from root's files in paths; marker errors go to errors. With
    stub_all, every solution block of every lab is replaced by its stub (the cumulative
    tree, see build_cumulative). stub(path, block), if given, decides which blocks are
    stubbed instead (tools/exercises.py stubs one block at a time). With select=False,
    every file of paths is rendered for lab, whichever lab it belongs to."""
    tree, counts = {}, Counts()
    for path in (select_files(root, paths, lab) if select else paths):
        entry = read_entry(root, path)
        if stat.S_ISLNK(entry.mode) or is_binary(entry.data):
            tree[path] = entry
            continue
        items, errs = parse_markers(path, entry.data)
        errors.extend(errs)
        blocks = [item for item in items if isinstance(item, Block)]
        data = entry.data
        if blocks:
            data, file_counts = render(items, 0 if stub_all else lab,
                                       (lambda b, path=path: stub(path, b)) if stub else None,
                                       keep_lines)
            if stub_all:
                counts.stripped += sum(1 for b in blocks if b.lab <= lab)
                counts.later += sum(1 for b in blocks if b.lab > lab)
            else:
                counts.add(file_counts)
        data, _, errs = resolve_conditions(path, data, lab, keep_lines)
        errors.extend(errs)
        tree[path] = entry if data == entry.data else Entry(entry.mode, data)
    return Handout(lab, tree, counts)


def build_cumulative(root, lab, paths, errors):
    """The cumulative tree of lab: the files of lab's handout with every solution block, of
    every lab, replaced by its stub. It is what a student who has written every exercise
    up to lab N herself started from, so the patch between two of them (--cumulative
    --patch) brings in lab N's new material and never touches code a student wrote."""
    return build_handout(root, lab, paths, errors, stub_all=True)


def check_tree(root, paths):
    """Parse every text file; returns (errors, number of blocks)."""
    errors = []
    blocks = sum(isinstance(item, Block) for _, items in parsed_files(root, paths, errors)
                 for item in items)
    return errors, blocks


def write_files(tree, top):
    """Write every Entry of tree below the existing directory top."""
    for path in sorted(tree):
        entry = tree[path]
        full = os.path.join(top, *path.split("/"))
        os.makedirs(os.path.dirname(full), exist_ok=True)
        if stat.S_ISLNK(entry.mode):
            os.symlink(os.fsdecode(entry.data), full)
            continue
        with open(full, "wb") as f:
            f.write(entry.data)
        os.chmod(full, stat.S_IMODE(entry.mode))


def git_commit(top, lab):
    """Make top a git repository holding its files in one commit."""
    env = git_env()
    env.update(GIT_AUTHOR_NAME=GIT_NAME, GIT_AUTHOR_EMAIL=GIT_EMAIL,
               GIT_COMMITTER_NAME=GIT_NAME, GIT_COMMITTER_EMAIL=GIT_EMAIL)
    run_git(["-c", "init.defaultBranch=main", "init", "-q"], top, env)
    run_git(["add", "-A", "-f"], top, env)
    run_git(["-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty",
             "-m", "Sparrow lab %d handout" % lab], top, env)


def is_empty_dir(path):
    return os.path.isdir(path) and not os.path.islink(path) and not os.listdir(path)


def check_out_dir(out, root, force):
    """Refuse an OUT that holds the source tree, or that is not empty without --force."""
    real_out, real_root = os.path.realpath(out), os.path.realpath(root)
    if real_out == real_root or real_root.startswith(real_out.rstrip(os.sep) + os.sep):
        raise HandoutError("refusing to write the handout to %s: it contains the source tree %s"
                           % (out, root))
    if os.path.lexists(out) and not is_empty_dir(out) and not force:
        raise HandoutError("%s exists and is not empty; use --force to replace it" % out)


def write_tree(tree, out, lab, git):
    """Write tree to the directory out, replacing out; nothing is left behind on failure."""
    out = os.path.abspath(out)
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(dir=parent, prefix=os.path.basename(out) + ".tmp-")
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)
        write_files(tree, tmp)
        if git:
            git_commit(tmp, lab)
        old = None
        if os.path.isdir(out) and not os.path.islink(out):
            old = tempfile.mkdtemp(dir=parent, prefix=os.path.basename(out) + ".old-")
            os.rename(out, os.path.join(old, "tree"))
        elif os.path.lexists(out):
            os.unlink(out)
        os.rename(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if old:
        shutil.rmtree(old, ignore_errors=True)


# ---------------------------------------------------------------------------
# Patches: git's own diff between two trees written out.


def make_patch(old_tree, new_tree):
    """A patch that `git apply` (and `git apply --3way`, from full blob ids) accepts to turn
    old_tree into new_tree, made by `git diff --no-index --binary` between the two trees
    written to a/ and b/; returns (patch bytes, added, modified, deleted)."""
    with tempfile.TemporaryDirectory(prefix="handout-patch-") as tmp:
        for name, tree in (("a", old_tree), ("b", new_tree)):
            os.mkdir(os.path.join(tmp, name))
            write_files(tree, os.path.join(tmp, name))
        # Run in tmp, so the trees' top folders a/ and b/ are the patch's path prefixes.
        args = ["-c", "core.quotePath=true", "diff", "--no-index", "--binary", "--full-index",
                "--no-prefix", "--no-renames", "--no-color", "--no-ext-diff", "--no-textconv",
                "--unified=3", "a", "b"]
        try:
            result = subprocess.run(["git"] + args, cwd=tmp, env=git_env(),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        except FileNotFoundError:
            raise HandoutError("git is not installed")
        if result.returncode not in (0, 1):     # 1: the trees differ
            raise HandoutError("git diff --no-index failed: %s"
                               % result.stderr.decode(errors="replace").strip())
    paths = set(old_tree) | set(new_tree)
    added = sum(1 for p in paths if p not in old_tree)
    deleted = sum(1 for p in paths if p not in new_tree)
    modified = sum(1 for p in paths if p in old_tree and p in new_tree and
                   old_tree[p] != new_tree[p])
    return result.stdout, added, modified, deleted


def write_file_atomically(path, data):
    """Write data to path through a temporary file in the same directory."""
    path = os.path.abspath(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=os.path.basename(path) + ".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.rename(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------------------
# Command line.


def lab_number(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("lab numbers are 0 or more")
    return value


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Write the student tree for one lab from the reference tree "
                    "(see the top of this file for the marker syntax).")
    parser.add_argument("--lab", type=lab_number, metavar="N", help="the lab to hand out")
    parser.add_argument("--out", metavar="DIR", help="write the lab N tree to DIR")
    parser.add_argument("--force", action="store_true", help="replace DIR if it is not empty")
    parser.add_argument("--git", action="store_true",
                        help="make DIR a git repository with the handout as its first commit")
    parser.add_argument("--patch", metavar="FILE",
                        help="write a patch from the lab N-1 handout to the lab N handout")
    parser.add_argument("--cumulative", action="store_true",
                        help="keep the solutions of every lab stubbed (for --out and --patch; "
                             "see the top of this file)")
    parser.add_argument("--src", metavar="ROOT", default=DEFAULT_ROOT,
                        help="the reference tree (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="report every marker error in ROOT and write nothing")
    parser.add_argument("--list-exercises", type=lab_number, metavar="N",
                        help="list the lab N exercises as path:line: text")
    args = parser.parse_args(argv)
    modes = (args.check, args.list_exercises is not None, args.lab is not None)
    if sum(modes) != 1:
        parser.error("give exactly one of --lab N, --check and --list-exercises N")
    if args.lab is not None and not (args.out or args.patch):
        parser.error("--lab N needs --out DIR, --patch FILE or both")
    if args.lab is None and (args.out or args.patch or args.force or args.git or
                             args.cumulative):
        parser.error("--out, --patch, --force, --git and --cumulative go with --lab N")
    if (args.force or args.git) and not args.out:
        parser.error("--force and --git go with --out DIR")
    if args.patch and args.lab == 0:
        parser.error("--patch needs --lab 1 or higher (it diffs lab N-1 against lab N)")
    return args


def report(errors):
    for error in errors:
        print(error, file=sys.stderr)
    if errors:
        print("handout: %d marker error%s; nothing written"
              % (len(errors), "" if len(errors) == 1 else "s"), file=sys.stderr)


def run(args):
    """Carry out the parsed command line; returns the exit status."""
    root = args.src
    if not os.path.isdir(root):
        raise HandoutError("%s is not a directory" % root)
    paths = source_files(root)

    if args.check:
        errors, blocks = check_tree(root, paths)
        report(errors)
        if not errors:
            print("handout check: %d files, %d solution blocks, no marker errors"
                  % (len(paths), blocks))
        return 1 if errors else 0

    if args.list_exercises is not None:
        lab, errors, found = args.list_exercises, [], []
        for path, items in parsed_files(root, select_files(root, paths, lab), errors):
            found += exercises(path, items, lab)
        report(errors)
        if errors:
            return 1
        for line in found:
            print(line)
        return 0

    lab, errors = args.lab, []
    if args.out:
        check_out_dir(args.out, root, args.force)
        rel = os.path.relpath(os.path.realpath(args.out), os.path.realpath(root))
        if rel != ".." and not rel.startswith(".." + os.sep):
            inside = rel.replace(os.sep, "/") + "/"
            paths = [path for path in paths if not path.startswith(inside)]
    build = build_cumulative if args.cumulative else build_handout
    handout = build(root, lab, paths, errors)
    previous = build(root, lab - 1, paths, errors) if args.patch else None
    report(errors)
    if errors:
        return 1
    if args.out:
        write_tree(handout.tree, args.out, lab, args.git)
        counts = handout.counts
        later = ", %d (later labs)" % counts.later if counts.later else ""
        if args.cumulative:
            print("cumulative handout lab %d: %d files, %d solution blocks stripped (labs up "
                  "to %d)%s -> %s" % (lab, len(handout.tree), counts.stripped, lab, later,
                                      args.out))
        else:
            print("handout lab %d: %d files, %d solution blocks stripped (lab %d)%s, "
                  "%d kept (earlier labs) -> %s"
                  % (lab, len(handout.tree), counts.stripped, lab, later, counts.kept,
                     args.out))
    if args.patch:
        patch, added, modified, deleted = make_patch(previous.tree, handout.tree)
        write_file_atomically(args.patch, patch)
        print("%spatch lab %d -> lab %d: %d added, %d modified, %d deleted -> %s"
              % ("cumulative " if args.cumulative else "", lab - 1, lab, added, modified,
                 deleted, args.patch))
    return 0


def main(argv=None):
    args = parse_args(argv)
    try:
        return run(args)
    except (HandoutError, OSError) as e:
        print("handout: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
