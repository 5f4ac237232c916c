#!/usr/bin/env python3
"""The parts of docs/labN.md that the graders define, generated from grade/labN.py.

- The tests-and-points table, between the lines `<!-- BEGIN tests ... -->` and
  `<!-- END tests -->`: every test of the grader with its points, the exercise it grades,
  the other exercises it needs, and what it checks (the test's name after its first colon).
- Under each `### Exercise K: TITLE (...)` heading, the paragraph that starts with
  `*Tests:*`: the tests tied to that exercise and those that need it. TITLE (without
  backticks) must be the name of an exercise the grader declares, and every declared
  exercise must have its heading.

    python3 tools/doctables.py --write     (make docs: rewrite those parts)
    python3 tools/doctables.py --check     (make test: fail if they are out of date)
"""

import argparse
import difflib
import importlib
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "grade"))

BEGIN = "<!-- BEGIN tests: generated from grade/lab%d.py by `make docs`; do not edit -->"
END = "<!-- END tests -->"
HEADING_RE = re.compile(r"^### Exercise \d+: (.*?)(?: \(`.*)?$")


def labs():
    return sorted(int(m.group(1)) for m in
                  (re.match(r"lab(\d+)\.py$", f) for f in os.listdir(os.path.join(ROOT, "grade")))
                  if m)


def plain(title):
    return title.replace("`", "")


def cell(text):
    return text.replace("|", "\\|")


def table(lab, grader):
    lines = [BEGIN % lab, "", "| test | points | exercise | also needs | what it checks |",
             "|---|---|---|---|---|"]
    for t in grader.tests:
        what = t.name.split(":", 1)[1].strip() if ":" in t.name else ""
        lines.append("| %s | %d | %s | %s | %s |" % (
            cell(t.short), t.points, cell(t.exercise or "-"),
            cell(", ".join(t.needs) or "-"), cell(what)))
    lines.append("| **total** | **%d** | | | |" % sum(t.points for t in grader.tests))
    lines += ["", END]
    return lines


def tests_paragraph(grader, name):
    ex = next(e for e in grader.exercises if e.name == name)
    tied = [t.short for t in grader.tests if t.exercise == name]
    needing = [t.short for t in grader.tests if name in t.needs]
    text = "*Tests:* " + ", ".join("**%s**" % n for n in dict.fromkeys(tied))
    if ex.foundation:
        text += "; every other test of the lab needs it too"
    elif len(needing) > 6:
        text += "; %d other tests need it too (see the table)" % len(needing)
    elif needing:
        text += "; also needed by " + ", ".join("**%s**" % n for n in dict.fromkeys(needing))
    return text + "."


def render(lab):
    """(new text of docs/labN.md, problems that --write cannot fix)."""
    grader = importlib.import_module("lab%d" % lab).g
    path = os.path.join(ROOT, "docs", "lab%d.md" % lab)
    with open(path) as f:
        lines = f.read().split("\n")
    problems = []
    names = {e.name: e for e in grader.exercises}
    seen = set()
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        m = HEADING_RE.match(line)
        if line == BEGIN % lab:
            j = lines.index(END, i)
            out += table(lab, grader)
            i = j + 1
            continue
        out.append(line)
        i += 1
        if not m:
            continue
        name = plain(m.group(1))
        if name not in names:
            problems.append("docs/lab%d.md: '%s' is not an exercise of grade/lab%d.py (it has: %s)"
                            % (lab, line, lab, ", ".join(names)))
            continue
        seen.add(name)
        # The paragraph of this section that starts with *Tests:* is regenerated.
        j = i
        while j < len(lines) and not lines[j].startswith("#") and not lines[j].startswith("*Tests:*"):
            j += 1
        if j == len(lines) or lines[j].startswith("#"):
            problems.append("docs/lab%d.md: the section '%s' has no '*Tests:*' paragraph"
                            % (lab, line))
            continue
        out += lines[i:j]
        out.append(tests_paragraph(grader, name))
        i = j + 1
        while i < len(lines) and lines[i].strip():
            i += 1  # the rest of the old paragraph
    for name in names:
        if name not in seen:
            problems.append("docs/lab%d.md has no '### Exercise K: %s (...)' section" % (lab, name))
    if BEGIN % lab not in lines:
        problems.append("docs/lab%d.md has no generated tests table: add the two lines\n  %s\n  %s\n"
                        "where it belongs, then run make docs" % (lab, BEGIN % lab, END))
    return "\n".join(out), problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    failed = False
    for lab in labs():
        path = os.path.join(ROOT, "docs", "lab%d.md" % lab)
        text, problems = render(lab)
        with open(path) as f:
            old = f.read()
        for p in problems:
            print(p)
            failed = True
        if text != old:
            if args.write:
                with open(path, "w") as f:
                    f.write(text)
                print("wrote %s" % os.path.relpath(path, ROOT))
            else:
                failed = True
                print("docs/lab%d.md is out of date with grade/lab%d.py (run `make docs`):" % (lab, lab))
                for d in list(difflib.unified_diff(old.split("\n"), text.split("\n"), lineterm="",
                                                   n=0))[2:40]:
                    print("  " + d)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
