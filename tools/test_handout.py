#!/usr/bin/env python3
"""Unit tests for tools/handout.py, the lab handout generator.

Each test builds a small fake reference tree in a temporary directory. Run with
`python3 tools/test_handout.py`; the exit status is non-zero if a test fails.
"""

import os
import re
import stat
import subprocess
import sys
import tempfile
import unittest

TOOLS = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, TOOLS)
import handout  # noqa: E402
import labplan  # noqa: E402

TOOL = os.path.join(TOOLS, "handout.py")

# A C file with one block for each of labs 1, 2 and 3, used by many tests.
SAMPLE_C = (
    "/* Sample kernel file. */\n"
    "#include <types.h>\n"
    "\n"
    "// LAB 1: Walk the chain of saved frame pointers and print\n"
    "// one line per frame.\n"
    "//= BEGIN LAB 1\n"
    "int backtrace(void)\n"
    "{\n"
    "\treturn walk_frames();\n"
    "}\n"
    "//= STUB\n"
    "//= int backtrace(void)\n"
    "//= {\n"
    "//= \tpanic(\"LAB 1: backtrace not implemented\");\n"
    "//=\n"
    "//= }\n"
    "//= END\n"
    "\n"
    "int map(void)\n"
    "{\n"
    "\t// LAB 2: Map the page.\n"
    "\t//= BEGIN LAB 2\n"
    "\tmap_page();\n"
    "\treturn 0;\n"
    "\t//= STUB\n"
    "\t//= return -ENOSYS;\n"
    "\t//= END\n"
    "}\n"
    "//= BEGIN LAB 3\n"
    "int fork(void) { return copy(); }\n"
    "//= END\n"
    "int last;\n"
)


def clean_git_env(home):
    """An environment in which git sees no user or system configuration."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"),
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_COUNT="1",
               GIT_CONFIG_KEY_0="user.useConfigOnly", GIT_CONFIG_VALUE_0="true")
    return env


def write(root, path, data, mode=None):
    """Create root/path holding data (str or bytes)."""
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    if mode is not None:
        os.chmod(full, mode)


def read(root, path):
    with open(os.path.join(root, path), "rb") as f:
        return f.read()


def tree_files(top, skip=(".git",)):
    """{path: (bytes, executable)} for every file below top, outside the folders named in
    skip."""
    found = {}
    for dirpath, dirs, files in os.walk(top):
        dirs[:] = [d for d in dirs if d not in skip]
        for name in files:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, top).replace(os.sep, "/")
            with open(full, "rb") as f:
                found[rel] = (f.read(), bool(os.stat(full).st_mode & 0o111))
    return found


def render(path, text, lab):
    """The handout text of a file for lab; fails the test on marker errors."""
    data = text.encode() if isinstance(text, str) else text
    items, errors = handout.parse_markers(path, data)
    if errors:
        raise AssertionError("unexpected marker errors: %s" % errors)
    return handout.render(items, lab)[0]


def errors_of(path, text):
    return handout.parse_markers(path, text.encode())[1]


class TempDirTest(unittest.TestCase):
    """A test with a fresh temporary directory self.tmp and a source tree self.src."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="handout-test-")
        self.tmp = os.path.realpath(self._tmp.name)
        self.src = os.path.join(self.tmp, "src")
        os.mkdir(self.src)
        self.home = os.path.join(self.tmp, "home")
        os.mkdir(self.home)
        self.env = clean_git_env(self.home)

    def tearDown(self):
        self._tmp.cleanup()

    def tool(self, *args):
        """Run handout.py as a command; returns the CompletedProcess (text)."""
        return subprocess.run([sys.executable, TOOL] + list(args), env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def git(self, *args, cwd=None):
        return subprocess.run(["git"] + list(args), cwd=cwd or self.src, env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def make_handout(self, lab, out, *extra):
        result = self.tool("--lab", str(lab), "--out", out, "--src", self.src, *extra)
        self.assertEqual(result.returncode, 0, "handout failed: " + result.stderr)
        return result


class TransformTest(unittest.TestCase):
    """What happens to one file's blocks in the handout of each lab."""

    def test_earlier_lab_block_keeps_solution_without_markers_or_stub(self):
        out = render("kern/a.c", SAMPLE_C, 2).decode()
        self.assertIn("int backtrace(void)\n{\n\treturn walk_frames();\n}\n", out)
        self.assertNotIn("panic(", out)

    def test_current_lab_block_becomes_its_stub_uncommented_with_indentation_kept(self):
        out = render("kern/a.c", SAMPLE_C, 2).decode()
        self.assertIn("\t// LAB 2: Map the page.\n\treturn -ENOSYS;\n}\n", out)
        self.assertNotIn("map_page", out)

    def test_stub_line_loses_leader_and_one_space_only(self):
        text = "//= BEGIN LAB 1\nx\n//= STUB\n\t//= a\n//=  two\n//=b\n\t//=\n//= END\n"
        self.assertEqual(render("a.c", text, 1), b"\ta\n two\nb\n\n")

    def test_bare_stub_marker_gives_an_empty_line(self):
        self.assertEqual(render("a.c", "//= BEGIN LAB 1\n//= STUB\n\t//=\n//= END\n", 1), b"\n")

    def test_later_lab_block_without_stub_leaves_nothing(self):
        out = render("kern/a.c", SAMPLE_C, 1).decode()
        self.assertNotIn("fork", out)
        self.assertTrue(out.endswith("\treturn -ENOSYS;\n}\nint last;\n"), out)

    def test_later_lab_block_with_stub_is_stubbed_too(self):
        out = render("kern/a.c", SAMPLE_C, 1).decode()
        self.assertIn("\treturn -ENOSYS;\n", out)
        self.assertIn("panic(\"LAB 1: backtrace not implemented\");", out)

    def test_no_marker_line_remains_in_any_handout(self):
        for lab in range(0, 5):
            out = render("kern/a.c", SAMPLE_C, lab).decode()
            self.assertNotRegex(out, r"(?m)^\s*//=", "lab %d handout" % lab)

    def test_reference_semantics_when_all_blocks_are_earlier_labs(self):
        # The handout of a lab after every block is the source minus its marker lines.
        expected = "".join(line for line in SAMPLE_C.splitlines(True)
                           if not line.lstrip().startswith("//="))
        self.assertEqual(render("kern/a.c", SAMPLE_C, 4).decode(), expected)

    def test_lines_outside_blocks_are_untouched(self):
        out = render("kern/a.c", SAMPLE_C, 1).decode()
        for line in ("/* Sample kernel file. */\n#include <types.h>\n\n",
                     "// LAB 1: Walk the chain", "int map(void)\n{\n", "int last;\n"):
            self.assertIn(line, out)

    def test_block_counts(self):
        items, _ = handout.parse_markers("kern/a.c", SAMPLE_C.encode())
        counts = handout.render(items, 2)[1]
        self.assertEqual((counts.kept, counts.stripped, counts.later), (1, 1, 1))

    def test_crlf_and_non_utf8_bytes_pass_through(self):
        data = (b"caf\xe9\r\n//= BEGIN LAB 1\r\nsol\r\n//= STUB\r\n\t//= stub();\r\n//= END\r\n"
                b"end\xff")
        self.assertEqual(render("a.c", data, 1), b"caf\xe9\r\n\tstub();\r\nend\xff")
        self.assertEqual(render("a.c", data, 2), b"caf\xe9\r\nsol\r\nend\xff")

    def test_assembly_uses_slash_leader(self):
        text = "#include <x.h>\n//= BEGIN LAB 1\n\tmovq %rsp, %rbp\n//= STUB\n//= \tud2\n//= END\n"
        self.assertEqual(render("kern/entry.S", text, 1), b"#include <x.h>\n\tud2\n")

    def test_make_python_and_shell_use_hash_leader(self):
        block = "".join(["x = 1\n", "#= BEGIN LAB 1\n", "x = 2\n", "#= STUB\n",
                         "#= x = 3\n", "#= END\n"])
        for path in ("GNUmakefile", "labs/lab1/lab.mk", "grade/lab1.py", "tools/run.sh",
                     ".gdbinit", "kern/boot.s"):
            self.assertEqual(render(path, block, 1), b"x = 1\nx = 3\n", path)
            self.assertEqual(render(path, block, 2), b"x = 1\nx = 2\n", path)

    def test_other_leader_is_not_a_marker(self):
        c_text = "int a;\n#= BEGIN LAB 1\n"
        py_text = "a = 1\n//= BEGIN LAB 1\n"
        self.assertEqual(render("a.c", c_text, 1), c_text.encode())
        self.assertEqual(render("a.py", py_text, 1), py_text.encode())

    def test_ruler_of_equal_signs_is_an_ordinary_comment(self):
        text = "".join(["#=====================\n", "all:\n"])
        self.assertEqual(render("GNUmakefile", text, 1), text.encode())
        self.assertEqual(render("a.c", "//=========\n", 1), b"//=========\n")

    def test_lab_number_words_may_be_spaced(self):
        self.assertEqual(render("a.c", "//=  BEGIN   LAB  7\nx\n//=END\n", 7), b"")


def resolve(text, lab, path="kern/a.c"):
    """The text with its LAB conditionals resolved for lab; fails the test on errors."""
    data, _, errors = handout.resolve_conditions(path, text.encode(), lab)
    if errors:
        raise AssertionError("unexpected errors: %s" % errors)
    return data.decode()


class ConditionalTest(unittest.TestCase):
    """#if conditions on LAB alone are resolved for the lab; the others stay."""

    KMAIN = ("#include \"a.h\"\n"
             "#if LAB >= 2\n"
             "#include \"mm/page.h\"\n"
             "#endif\n"
             "\n"
             "void kmain(void)\n"
             "{\n"
             "\tconsole_init();\n"
             "\n"
             "#if LAB >= 2\n"
             "\tpage_init();\n"
             "#endif\n"
             "\n"
             "\tmonitor();\n"
             "}\n")

    def test_taken_branch_stays_without_its_directives(self):
        out = resolve(self.KMAIN, 2)
        self.assertEqual(out, self.KMAIN.replace("#if LAB >= 2\n", "").replace("#endif\n", ""))

    def test_branch_not_taken_vanishes_without_doubled_blank_lines(self):
        self.assertEqual(resolve(self.KMAIN, 1),
                         "#include \"a.h\"\n\nvoid kmain(void)\n{\n\tconsole_init();\n\n"
                         "\tmonitor();\n}\n")

    def test_else_and_elif_chains(self):
        text = ("#if LAB < 3\none\n#elif LAB == 3\nthree\n#elif LAB >= 5 && LAB != 6\n"
                "five\n#else\nfour\n#endif\n")
        self.assertEqual([resolve(text, lab) for lab in range(1, 8)],
                         ["one\n", "one\n", "three\n", "four\n", "five\n", "four\n",
                          "five\n"])

    def test_operators_and_parentheses(self):
        for cond, labs in (("!(LAB >= 3)", [1, 2]), ("LAB > 2 || LAB <= 1", [1, 3, 4]),
                           ("(LAB + 1) == 4", [3]), ("LAB - 1 != 1", [1, 3, 4]),
                           ("defined(LAB) && LAB > 3", [4]), ("defined LAB", [1, 2, 3, 4]),
                           ("LAB >= 0x2 /* from lab 2 */", [2, 3, 4]),
                           ("LAB >= 2 // comment", [2, 3, 4])):
            text = "#if %s\nyes\n#endif\n" % cond
            self.assertEqual([lab for lab in range(1, 5) if resolve(text, lab)], labs, cond)

    def test_ifdef_lab_is_always_taken(self):
        self.assertEqual(resolve("#ifdef LAB\na\n#endif\n#ifndef LAB\nb\n#endif\n", 1), "a\n")

    def test_other_conditionals_stay_and_nest(self):
        text = ("#ifndef INC_A_H\n#define INC_A_H\n#if LAB >= 3\n#ifdef DEBUG\nd();\n"
                "#else\nn();\n#endif\n#endif\n#if X\n#if LAB < 3\nx();\n#endif\n#endif\n"
                "#endif\n")
        self.assertEqual(resolve(text, 2), "#ifndef INC_A_H\n#define INC_A_H\n#if X\nx();\n"
                         "#endif\n#endif\n")
        self.assertEqual(resolve(text, 3), "#ifndef INC_A_H\n#define INC_A_H\n#ifdef DEBUG\n"
                         "d();\n#else\nn();\n#endif\n#if X\n#endif\n#endif\n")

    def test_lab_decides_a_mixed_condition_or_it_is_an_error(self):
        self.assertEqual(resolve("#if LAB >= 3 && defined(X)\nx\n#endif\n", 2), "")
        self.assertEqual(resolve("#if LAB >= 3 || X\nx\n#endif\n", 3), "x\n")
        errors = handout.resolve_conditions("kern/a.c", b"a\n#if LAB >= 3 && X\nx\n#endif\n",
                                            3)[2]
        self.assertEqual(len(errors), 1)
        self.assertTrue(errors[0].startswith("kern/a.c:2: #if LAB >= 3 && X: LAB alone"), errors)
        for bad in ("#if LAB >= 4\n#elif X\n#endif\n", "#if X\n#elif LAB > 2\n#endif\n",
                    "#if LAB ** 2\n#endif\n", "#if (LAB\n#endif\n"):
            self.assertEqual(len(handout.resolve_conditions("a.h", bad.encode(), 3)[2]), 1, bad)

    def test_continued_directive_lines(self):
        text = "#if LAB >= 2 && \\\n    LAB < 4\nmid\n#endif\nend\n"
        self.assertEqual(resolve(text, 3), "mid\nend\n")
        self.assertEqual(resolve(text, 4), "end\n")

    def test_assembly_headers_and_linker_scripts_are_resolved(self):
        text = "#if LAB >= 2\n\tcall trap\n#endif\n"
        for path in ("kern/a.S", "kern/a.h", "kern/trapasm.inc", "kern/kernel.ld"):
            self.assertEqual(resolve(text, 1, path), "", path)
        for path in ("GNUmakefile", "grade/lab1.py", "docs/lab1.md", "kern/a.s"):
            self.assertEqual(resolve(text, 1, path), text, path)

    def test_blank_lines_at_the_edges_of_a_vanished_block(self):
        self.assertEqual(resolve("{\n#if LAB >= 2\na();\n#endif\n\nb();\n}\n", 1),
                         "{\nb();\n}\n")
        self.assertEqual(resolve("{\na();\n\n#if LAB >= 2\nb();\n#endif\n}\n", 1),
                         "{\na();\n}\n")
        self.assertEqual(resolve("a;\n\n#if LAB >= 2\nb;\n#endif\n", 1), "a;\n")
        self.assertEqual(resolve("#if LAB >= 2\nb;\n#endif\n\na;\n", 1), "a;\n")
        kept = "a;\n\n\nb;\n"          # blank lines the source itself has stay
        self.assertEqual(resolve(kept, 1), kept)

    def test_markers_are_rendered_first(self):
        text = ("#if LAB >= 2\n//= BEGIN LAB 2\nsolved();\n//= STUB\n//= todo();\n//= END\n"
                "#endif\n")
        items, _ = handout.parse_markers("a.c", text.encode())
        self.assertEqual(handout.resolve_conditions("a.c", handout.render(items, 2)[0], 2)[0],
                         b"todo();\n")

    def test_list_exercises_numbers_lines_of_the_resolved_file(self):
        text = "#if LAB >= 3\nx\ny\n#endif\n// LAB 2: do it.\n//= BEGIN LAB 2\n//= END\n"
        items, _ = handout.parse_markers("a.c", text.encode())
        self.assertEqual(handout.exercises("a.c", items, 2), ["a.c:1: LAB 2: do it."])
        self.assertEqual(handout.exercises("a.c", items, 3), [])


    def test_keep_lines_leaves_every_line_at_its_number(self):
        # What the handout proof's checkpoints use: a solved block and a vanished branch
        # become blank lines, so __LINE__ and the debug lines match the reference's.
        text = ("a;\n#if LAB >= 3\nlater();\n#endif\n//= BEGIN LAB 2\nsolved();\n//= STUB\n"
                "//= todo();\n//= END\n__LINE__;\n")
        items, _ = handout.parse_markers("a.c", text.encode())
        for lab, block in ((3, "solved();\n"), (2, "todo();\n")):
            rendered = handout.render(items, lab, keep_lines=True)[0]
            out = handout.resolve_conditions("a.c", rendered, 2, keep_lines=True)[0]
            body = "\n\n\n" + ("\n" + block + "\n\n\n" if lab == 3 else block + "\n\n\n\n")
            self.assertEqual(out.decode(), "a;\n" + body + "__LINE__;\n", lab)
        longer = "//= BEGIN LAB 2\n//= STUB\n//= one();\n//= two();\n//= END\nz;\n"
        items, _ = handout.parse_markers("a.c", longer.encode())
        self.assertEqual(handout.render(items, 2, keep_lines=True)[0],
                         b"one();\ntwo();\n\n\n\nz;\n")

class MarkerErrorTest(unittest.TestCase):
    """Malformed markers are reported as path:line: message."""

    def assertError(self, text, lineno, fragment, path="kern/a.c"):
        errors = errors_of(path, text)
        prefix = "%s:%d: " % (path, lineno)
        hits = [e for e in errors if e.startswith(prefix) and fragment in e]
        self.assertTrue(hits, "expected %r at %s, got %s" % (fragment, prefix, errors))

    def test_nested_begin(self):
        self.assertError("//= BEGIN LAB 1\n//= BEGIN LAB 2\n//= END\n", 2, "do not nest")

    def test_begin_inside_stub_part(self):
        self.assertError("//= BEGIN LAB 1\n//= STUB\n//= BEGIN LAB 2\n//= END\n", 3, "do not nest")

    def test_unclosed_begin_is_reported_at_the_begin(self):
        self.assertError("a\n//= BEGIN LAB 1\nx\n", 2, "never closed")

    def test_unclosed_stub_part(self):
        self.assertError("//= BEGIN LAB 1\nx\n//= STUB\n//= y\n", 1, "never closed")

    def test_end_without_begin(self):
        self.assertError("x\n//= END\n", 2, "END without BEGIN")

    def test_stub_outside_a_block(self):
        self.assertError("//= STUB\n", 1, "STUB outside a block")

    def test_second_stub(self):
        self.assertError("//= BEGIN LAB 1\n//= STUB\n//= STUB\n//= END\n", 3, "second STUB")

    def test_begin_lab_without_number(self):
        for bad in ("//= BEGIN LAB\n", "//= BEGIN LAB x\n", "//= BEGIN 1\n", "//= BEGIN\n",
                    "//= BEGIN LAB -1\n"):
            self.assertError(bad + "//= END\n", 1, "needs a lab number")

    def test_bad_begin_does_not_cascade_into_end_errors(self):
        self.assertEqual(len(errors_of("a.c", "//= BEGIN LAB\nx\n//= END\n")), 1)

    def test_unknown_marker(self):
        for bad in ("//= BEGN LAB 1\n", "//= END LAB 1\n", "//=\n", "//= stub\n", "//=x\n"):
            self.assertError(bad, 1, "unknown marker")

    def test_unknown_marker_in_solution_part(self):
        self.assertError("//= BEGIN LAB 1\n//= return 0;\n//= END\n", 2, "unknown marker")

    def test_uncommented_line_in_stub_part(self):
        self.assertError("//= BEGIN LAB 1\n//= STUB\n//= a\nb\n//= END\n", 4, "STUB part")
        self.assertError("//= BEGIN LAB 1\n//= STUB\n\n//= END\n", 3, "STUB part")

    def test_hash_leader_errors(self):
        self.assertError("all:\n" + "#= BEGIN LAB\n" + "#= END\n", 2, "needs a lab number",
                         path="GNUmakefile")

    def test_every_error_of_a_file_is_reported(self):
        text = "//= END\n//= STUB\n//= BEGIN LAB 1\n//= BOGUS\n"
        self.assertEqual(len(errors_of("a.c", text)), 4)


class GlobTest(unittest.TestCase):
    """The matcher of the lab plan's LAB_FILES, OFFICIAL_FILES and INSTRUCTOR_FILES."""

    def check(self, pattern, yes, no):
        glob = labplan.Glob(pattern)
        for path in yes:
            self.assertTrue(glob.matches(path), "%r should match %r" % (pattern, path))
        for path in no:
            self.assertFalse(glob.matches(path), "%r should not match %r" % (pattern, path))

    def test_double_star_at_end_matches_everything_below(self):
        self.check("kern/fs/**", ["kern/fs/a.c", "kern/fs/x/y/z.c"],
                   ["kern/fsx/a.c", "kern/a.c", "kern/fs"])

    def test_single_star_stays_in_one_component(self):
        self.check("kern/*.c", ["kern/a.c", "kern/.c"], ["kern/fs/a.c", "kern/a.h", "a.c"])
        self.check("*.c", ["a.c"], ["kern/a.c"])

    def test_double_star_slash_matches_any_depth_including_none(self):
        self.check("**/*.py", ["a.py", "grade/x.py", "a/b/c/d.py"], ["a.pyc"])
        self.check("a/**/b.c", ["a/b.c", "a/x/b.c", "a/x/y/b.c"], ["b.c", "ab.c", "a/xb.c"])

    def test_question_mark_and_sets(self):
        self.check("user/?.c", ["user/a.c"], ["user/ab.c", "user//.c"])
        self.check("user/[ab].c", ["user/a.c", "user/b.c"], ["user/c.c"])
        self.check("user/[!a].c", ["user/b.c"], ["user/a.c"])
        self.check("user/[a-c]x", ["user/bx"], ["user/dx"])

    def test_directory_glob_covers_everything_below(self):
        self.check("kern/fs", ["kern/fs", "kern/fs/a.c", "kern/fs/d/b.c"], ["kern/fsx/a.c"])
        self.check("kern/fs/", ["kern/fs/a.c"], ["kern/fs"])
        self.check("user/sh*", ["user/sh.c", "user/shell/main.c"], ["user/ls.c"])

    def test_leading_dot_slash_and_slash_are_ignored(self):
        self.check("./kern/a.c", ["kern/a.c"], [])
        self.check("/kern/a.c", ["kern/a.c"], [])

    def test_special_characters_are_literal(self):
        self.check("a+b(1).c", ["a+b(1).c"], ["aab1.c"])



class PlanTest(TempDirTest):
    """The lab plan: labs/labN/lab.mk and the GNUmakefile's INSTRUCTOR_FILES."""

    def test_make_assignments_continuations_and_comments(self):
        write(self.src, "a.mk", "# KERN_SRCS += no.c\nKERN_SRCS += a.c \\\n\tb.c # c.c\n"
                                "LAB_FILES := x\nLAB_FILES := y z\nLAB_FILES ?= w\n"
                                "OTHER += $(foo)\nrule: KERN_SRCS\n\tKERN_SRCS += r.c\n")
        self.assertEqual(labplan.make_variables(os.path.join(self.src, "a.mk"),
                                                ("KERN_SRCS", "LAB_FILES")),
                         {"KERN_SRCS": ["a.c", "b.c"], "LAB_FILES": ["y", "z"]})

    def test_make_references_are_refused(self):
        write(self.src, "labs/lab1/lab.mk", "\nKERN_SRCS += $(wildcard kern/*.c)\n")
        with self.assertRaisesRegex(labplan.PlanError, r"lab1/lab.mk:2: KERN_SRCS uses"):
            labplan.Plan(self.src)

    def plan(self):
        write(self.src, "labs/lab1/lab.mk", "KERN_SRCS += kern/a.c lib/s.c\n"
                                            "LAB_FILES += grade/lab1.py\n"
                                            "OFFICIAL_FILES += GNUmakefile grade/\n")
        write(self.src, "labs/lab2/lab.mk", "KERN_SRCS += kern/b.c\nULIB_SRCS += lib/s.c lib/u.c\n"
                                            "USER_PROGS += hello\nMUSL_PROGS += m\n"
                                            "INITRD_FILES += etc/t.sh=user/t.sh\n"
                                            "LAB_FILES += kern/b.h kern/fs/** docs/lab2.md\n"
                                            "OFFICIAL_FILES += user/user.ld\n")
        write(self.src, "labs/lab3/lab.mk", "LAB_FILES += kern/fs/x.c kern/b.h\n")
        write(self.src, "GNUmakefile", "INSTRUCTOR_FILES := tools/handout.py .ci/\n")
        return labplan.Plan(self.src)

    def test_each_file_belongs_to_the_lowest_lab_that_names_it(self):
        plan = self.plan()
        owners = {path: plan.owner(path) for path in (
            "kern/a.c", "lib/s.c", "lib/u.c", "kern/b.c", "kern/b.h", "user/hello.c",
            "user/musl/m.c", "user/t.sh", "kern/fs/x.c", "labs/lab3/lab.mk", "docs/lab2.md",
            "README.md", "tools/handout.py")}
        self.assertEqual(owners, {"kern/a.c": 1, "lib/s.c": 1, "lib/u.c": 2, "kern/b.c": 2,
                                  "kern/b.h": 2, "user/hello.c": 2, "user/musl/m.c": 2,
                                  "user/t.sh": 2, "kern/fs/x.c": 2, "labs/lab3/lab.mk": 3,
                                  "docs/lab2.md": 2, "README.md": None,
                                  "tools/handout.py": None})
        self.assertTrue(plan.in_handout("README.md", 1))
        self.assertFalse(plan.in_handout("kern/b.h", 1))
        self.assertTrue(plan.in_handout("kern/b.h", 2))
        self.assertFalse(plan.in_handout("tools/handout.py", 3))
        self.assertFalse(plan.in_handout(".ci/run", 3))

    def test_sources_programs_and_official_files(self):
        plan = self.plan()
        self.assertEqual(plan.sources(2), ["kern/a.c", "lib/s.c", "kern/b.c", "lib/u.c"])
        self.assertEqual(plan.programs(2), ["user/hello.c", "user/musl/m.c", "user/t.sh"])
        self.assertEqual(plan.official_globs(1), ["GNUmakefile", "grade/"])
        self.assertEqual(plan.official_globs(3), ["GNUmakefile", "grade/", "user/user.ld",
                                                  "user/hello.c", "user/musl/m.c", "user/t.sh"])

    def test_problems_name_missing_files_and_empty_globs(self):
        plan = self.plan()
        paths = ["kern/a.c", "lib/s.c", "lib/u.c", "kern/b.c", "kern/b.h", "user/hello.c",
                 "user/musl/m.c", "user/t.sh", "kern/fs/x.c", "docs/lab2.md", "grade/lab1.py",
                 "GNUmakefile", "grade/lab1.py", "tools/handout.py", ".ci/run"]
        self.assertEqual(plan.problems(paths), [
            "labs/lab2/lab.mk: OFFICIAL_FILES glob 'user/user.ld' matches no file"])
        self.assertIn("labs/lab1/lab.mk names kern/a.c, which is not in the tree",
                      plan.problems(paths[1:]))

    def test_includes_are_followed_against_inc_and_kern(self):
        files = {"kern/a.c": b'#include "b.h"\n#include <x.h>\n  #  include "mm/c.h"\n',
                 "kern/b.h": b'#include "../inc/y.h"\n', "inc/x.h": b"", "inc/y.h": b"",
                 "kern/mm/c.h": b'#include "gone.h"\n', "inc/z.h": b"",
                 "tests/host/t.c": b"#include <stdio.h>\n#include \"../../inc/z.h\"\n",
                 "inc/stdio.h": b""}
        used, dangling = labplan.used_files(files, ["kern/a.c", "tests/host/t.c"])
        self.assertEqual(sorted(used), ["inc/x.h", "inc/y.h", "inc/z.h", "kern/a.c", "kern/b.h",
                                        "kern/mm/c.h", "tests/host/t.c"])
        self.assertEqual(dangling, ['kern/mm/c.h: #include "gone.h"'])


class SelectionTest(TempDirTest):
    """Which files of the reference tree are in a lab's handout."""

    def selected(self, lab):
        return handout.select_files(self.src, handout.source_files(self.src), lab)

    def test_later_lab_folders_are_dropped(self):
        for path in ("labs/lab1/lab.mk", "labs/lab2/lab.mk", "labs/lab3/lab.mk",
                     "labs/common.mk", "labs/lab2x/notes"):
            write(self.src, path, "x\n")
        self.assertEqual(self.selected(2), ["labs/common.mk", "labs/lab1/lab.mk",
                                            "labs/lab2/lab.mk", "labs/lab2x/notes"])

    def test_files_introduced_by_later_labs_are_dropped(self):
        for path in ("kern/main.c", "kern/fs/file.c", "kern/fs/dir/inode.c", "user/sh.c",
                     "user/ls.c"):
            write(self.src, path, "x\n")
        write(self.src, "labs/lab3/lab.mk", "# lab 3: files\nLAB_FILES += kern/fs/**\n")
        write(self.src, "labs/lab4/lab.mk", "USER_PROGS += sh\n")
        self.assertEqual(self.selected(2), ["kern/main.c", "user/ls.c"])
        self.assertEqual(self.selected(3), ["kern/fs/dir/inode.c", "kern/fs/file.c",
                                            "kern/main.c", "labs/lab3/lab.mk", "user/ls.c"])
        self.assertIn("user/sh.c", self.selected(4))

    def test_instructor_only_files_are_dropped(self):
        for path in ("kern/main.c", "docs/instructor.md", "grade/solutions/x.py"):
            write(self.src, path, "x\n")
        write(self.src, "GNUmakefile", "all:\nINSTRUCTOR_FILES := docs/instructor.md \\\n"
                                       "\tgrade/solutions/\n")
        self.assertEqual(self.selected(1), ["GNUmakefile", "kern/main.c"])

    def test_without_a_plan_nothing_is_dropped(self):
        for path in ("kern/main.c", "docs/instructor.md"):
            write(self.src, path, "x\n")
        self.assertEqual(self.selected(1), ["docs/instructor.md", "kern/main.c"])

    def test_walk_skips_git_obj_and_pycache(self):
        for path in ("kern/main.c", "obj/kern/main.o", ".git/HEAD", "grade/__pycache__/a.pyc",
                     "kern/obj/x.o"):
            write(self.src, path, "x\n")
        self.assertEqual(handout.source_files(self.src), ["kern/main.c"])

    def test_git_tree_uses_only_tracked_files(self):
        self.git("init", "-q")
        write(self.src, "kern/main.c", "x\n")
        write(self.src, "obj/tracked.txt", "x\n")
        write(self.src, "kern/scratch.c", "untracked\n")
        self.git("add", "kern/main.c")
        self.git("add", "-f", "obj/tracked.txt")
        self.assertEqual(handout.source_files(self.src), ["kern/main.c", "obj/tracked.txt"])


class WriteTest(TempDirTest):
    """Writing the handout tree with `--lab N --out DIR`."""

    def sample_tree(self):
        write(self.src, "kern/a.c", SAMPLE_C)
        write(self.src, "kern/plain.h", b"/* no markers */\r\nint x;  \n\xfe\xff")
        write(self.src, "tools/run.sh", "#!/bin/sh\necho hi\n", mode=0o755)
        write(self.src, "kern/font.bin", b"\0\1//= BEGIN LAB 1\n")
        write(self.src, "labs/lab2/init", "hello\n")

    def test_handout_tree_content(self):
        self.sample_tree()
        out = os.path.join(self.tmp, "out")
        self.make_handout(1, out)
        files = tree_files(out)
        self.assertEqual(sorted(files), ["kern/a.c", "kern/font.bin", "kern/plain.h",
                                         "tools/run.sh"])
        self.assertEqual(files["kern/a.c"][0], render("kern/a.c", SAMPLE_C, 1))

    def test_unmarked_and_binary_files_are_byte_identical(self):
        self.sample_tree()
        out = os.path.join(self.tmp, "out")
        self.make_handout(1, out)
        for path in ("kern/plain.h", "kern/font.bin", "tools/run.sh"):
            self.assertEqual(read(out, path), read(self.src, path), path)

    def test_executable_bit_is_kept(self):
        self.sample_tree()
        out = os.path.join(self.tmp, "out")
        self.make_handout(1, out)
        self.assertTrue(os.stat(os.path.join(out, "tools/run.sh")).st_mode & stat.S_IXUSR)
        self.assertFalse(os.stat(os.path.join(out, "kern/a.c")).st_mode & stat.S_IXUSR)

    def test_summary_line(self):
        self.sample_tree()
        out = os.path.join(self.tmp, "out")
        result = self.make_handout(2, out)
        self.assertEqual(result.stdout.strip(),
                         "handout lab 2: 5 files, 1 solution blocks stripped (lab 2), "
                         "1 (later labs), 1 kept (earlier labs) -> %s" % out)
        result = self.make_handout(3, out, "--force")
        self.assertEqual(result.stdout.strip(),
                         "handout lab 3: 5 files, 1 solution blocks stripped (lab 3), "
                         "2 kept (earlier labs) -> %s" % out)

    def test_refuses_non_empty_out_without_force(self):
        self.sample_tree()
        out = os.path.join(self.tmp, "out")
        write(out, "mine.txt", "student work\n")
        result = self.tool("--lab", "1", "--out", out, "--src", self.src)
        self.assertEqual(result.returncode, 1)
        self.assertIn("--force", result.stderr)
        self.assertEqual(read(out, "mine.txt"), b"student work\n")

    def test_force_replaces_out(self):
        self.sample_tree()
        out = os.path.join(self.tmp, "out")
        write(out, "mine.txt", "old\n")
        self.make_handout(1, out, "--force")
        self.assertFalse(os.path.exists(os.path.join(out, "mine.txt")))
        self.assertTrue(os.path.exists(os.path.join(out, "kern/a.c")))
        self.assertEqual(sorted(os.listdir(self.tmp)), ["home", "out", "src"])

    def test_empty_out_directory_is_used(self):
        self.sample_tree()
        out = os.path.join(self.tmp, "out")
        os.mkdir(out)
        self.make_handout(1, out)
        self.assertTrue(os.path.exists(os.path.join(out, "kern/a.c")))

    def test_refuses_to_replace_the_source_tree(self):
        self.sample_tree()
        for out in (self.src, self.tmp):
            result = self.tool("--lab", "1", "--out", out, "--src", self.src, "--force")
            self.assertEqual(result.returncode, 1)
            self.assertIn("contains the source tree", result.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.src, "kern/a.c")))

    def test_out_inside_source_tree_is_not_copied_into_itself(self):
        self.sample_tree()
        out = os.path.join(self.src, "handout")
        self.make_handout(1, out)
        self.make_handout(1, out, "--force")
        self.assertNotIn("handout/kern/a.c", tree_files(out))

    def test_marker_error_writes_nothing(self):
        self.sample_tree()
        write(self.src, "kern/bad.c", "int a;\n//= BEGIN LAB 1\nint b;\n")
        out = os.path.join(self.tmp, "out")
        result = self.tool("--lab", "1", "--out", out, "--src", self.src)
        self.assertEqual(result.returncode, 1)
        self.assertIn("kern/bad.c:2: ", result.stderr)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["home", "src"])

    def test_marker_error_keeps_existing_out_even_with_force(self):
        self.sample_tree()
        write(self.src, "kern/bad.c", "//= END\n")
        out = os.path.join(self.tmp, "out")
        write(out, "mine.txt", "keep\n")
        result = self.tool("--lab", "1", "--out", out, "--src", self.src, "--force")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(read(out, "mine.txt"), b"keep\n")
        self.assertEqual(sorted(os.listdir(self.tmp)), ["home", "out", "src"])

    def test_files_of_later_labs_are_not_parsed(self):
        write(self.src, "kern/a.c", "int a;\n")
        write(self.src, "labs/lab3/broken.c", "//= END\n")
        self.make_handout(2, os.path.join(self.tmp, "out"))

    def test_git_repository_with_one_commit_without_user_identity(self):
        self.sample_tree()
        out = os.path.join(self.tmp, "out")
        self.make_handout(2, out, "--git")
        log = self.git("log", "--format=%an <%ae>|%s", cwd=out)
        self.assertEqual(log.returncode, 0, log.stderr)
        self.assertEqual(log.stdout.splitlines(),
                         ["Sparrow handout <handout@sparrow.invalid>|Sparrow lab 2 handout"])
        self.assertEqual(self.git("status", "--porcelain", cwd=out).stdout, "")
        tracked = self.git("ls-files", cwd=out).stdout.split()
        self.assertEqual(sorted(tracked), sorted(tree_files(out)))
        # The student's own commits must not be made in the handout's name.
        self.assertEqual(self.git("config", "user.name", cwd=out).stdout, "")

    def test_git_mode_reference_tree(self):
        self.sample_tree()
        write(self.src, "kern/scratch.c", "//= END\n")      # untracked, so never parsed
        self.git("init", "-q")
        self.git("add", "kern", "tools", "labs")
        self.git("rm", "-q", "--cached", "kern/scratch.c")
        out = os.path.join(self.tmp, "out")
        self.make_handout(1, out)
        self.assertNotIn("kern/scratch.c", tree_files(out))
        self.assertIn("kern/a.c", tree_files(out))


class CheckTest(TempDirTest):
    """`--check` parses the whole tree and writes nothing."""

    def test_clean_tree_passes(self):
        write(self.src, "kern/a.c", SAMPLE_C)
        write(self.src, "labs/lab9/x.c", "//= BEGIN LAB 9\n//= END\n")
        result = self.tool("--check", "--src", self.src)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(),
                         "handout check: 2 files, 4 solution blocks, no marker errors")

    def test_errors_in_every_file_are_reported_and_nothing_written(self):
        write(self.src, "kern/a.c", SAMPLE_C)
        write(self.src, "kern/b.c", "x\n//= STUB\n")
        write(self.src, "labs/lab9/c.py", "".join(["a\n", "#= BEGIN LAB\n", "#= END\n"]))
        write(self.src, "kern/d.bin", b"\0//= END\n")
        before = tree_files(self.tmp)
        result = self.tool("--check", "--src", self.src)
        self.assertEqual(result.returncode, 1)
        self.assertIn("kern/b.c:2: STUB outside a block", result.stderr)
        self.assertIn("labs/lab9/c.py:2: BEGIN needs a lab number", result.stderr)
        self.assertNotIn("d.bin", result.stderr)
        self.assertEqual(tree_files(self.tmp), before)


class ListExercisesTest(TempDirTest):
    """`--list-exercises N` prints what `grep -rn "LAB N:"` shows in the lab N handout."""

    def test_lists_lab_blocks_with_handout_line_numbers(self):
        write(self.src, "kern/a.c", SAMPLE_C)
        write(self.src, "GNUmakefile", "".join([
            "all:\n", "# LAB 2: Add the pager\n", "# to the build.\n", "#= BEGIN LAB 2\n",
            "OBJS += pager.o\n", "#= END\n"]))
        result = self.tool("--list-exercises", "2", "--src", self.src)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.splitlines(), [
            "GNUmakefile:2: LAB 2: Add the pager to the build.",
            "kern/a.c:13: LAB 2: Map the page."])
        out = os.path.join(self.tmp, "out")
        self.make_handout(2, out)
        grep = subprocess.run(["grep", "-rn", "LAB 2:", "."], cwd=out, text=True,
                              stdout=subprocess.PIPE).stdout
        self.assertEqual(sorted(line[2:] for line in grep.splitlines()),
                         ["GNUmakefile:2:# LAB 2: Add the pager",
                          "kern/a.c:13:\t// LAB 2: Map the page."])

    def test_joins_a_multi_line_comment(self):
        write(self.src, "kern/a.c", SAMPLE_C)
        result = self.tool("--list-exercises", "1", "--src", self.src)
        self.assertEqual(result.stdout.splitlines(), [
            "kern/a.c:4: LAB 1: Walk the chain of saved frame pointers and print "
            "one line per frame."])

    def test_block_comment_and_missing_comment(self):
        write(self.src, "kern/b.c", "/*\n * LAB 3: Copy the\n * page table.\n */\n"
                                    "//= BEGIN LAB 3\n//= END\nint x;\n//= BEGIN LAB 3\n"
                                    "//= STUB\n//= y();\n//= END\n")
        result = self.tool("--list-exercises", "3", "--src", self.src)
        self.assertEqual(result.stdout.splitlines(), [
            "kern/b.c:2: LAB 3: Copy the page table.",
            "kern/b.c:6: (no 'LAB 3:' comment above this block)"])

    def test_marker_errors_fail(self):
        write(self.src, "kern/a.c", "//= END\n")
        result = self.tool("--list-exercises", "1", "--src", self.src)
        self.assertEqual(result.returncode, 1)
        self.assertIn("kern/a.c:1: END without BEGIN", result.stderr)


class PatchTest(TempDirTest):
    """`--patch FILE --lab N`: a git-apply patch from the lab N-1 to the lab N handout."""

    def lab_tree(self):
        write(self.src, "kern/a.c", SAMPLE_C)
        write(self.src, "kern/tail.c", "//= BEGIN LAB 1\nint solved;\n//= STUB\n//= int todo;\n"
                                       "//= END\nint end;")
        write(self.src, "labs/lab2/lab.mk", "LAB2 := 1\nLAB_FILES += kern/fs/**\n")
        write(self.src, "kern/fs/disk.img", bytes(range(256)) * 40)
        write(self.src, "kern/fs/mkfs.sh", "#!/bin/sh\nexit 0\n", mode=0o755)
        write(self.src, "kern/fs/empty.h", "")
        write(self.src, "labs/lab2/my prog.c", "int main(void) { return 0; }\n")
        write(self.src, "labs/lab3/lab.mk", "LAB3 := 1\n")

    def test_patch_applies_to_previous_handout_and_gives_this_one(self):
        self.lab_tree()
        lab1, lab2 = os.path.join(self.tmp, "lab1"), os.path.join(self.tmp, "lab2")
        patch = os.path.join(self.tmp, "lab2.patch")
        self.make_handout(1, lab1)
        self.make_handout(2, lab2)
        result = self.tool("--lab", "2", "--patch", patch, "--src", self.src)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(),
                         "patch lab 1 -> lab 2: 5 added, 2 modified, 0 deleted -> " + patch)
        check = self.git("apply", "--check", patch, cwd=lab1)
        self.assertEqual(check.returncode, 0, "git apply --check refused: " + check.stderr)
        applied = self.git("apply", patch, cwd=lab1)
        self.assertEqual(applied.returncode, 0, applied.stderr)
        self.assertEqual(tree_files(lab1), tree_files(lab2))

    def test_patch_and_out_together(self):
        self.lab_tree()
        lab2 = os.path.join(self.tmp, "lab2")
        patch = os.path.join(self.tmp, "lab2.patch")
        result = self.tool("--lab", "2", "--out", lab2, "--patch", patch, "--src", self.src)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.isfile(patch))
        self.assertTrue(os.path.isfile(os.path.join(lab2, "labs/lab2/lab.mk")))

    def test_three_way_apply_in_a_student_repository(self):
        self.lab_tree()
        lab1 = os.path.join(self.tmp, "lab1")
        patch = os.path.join(self.tmp, "lab2.patch")
        self.make_handout(1, lab1, "--git")
        self.tool("--lab", "2", "--patch", patch, "--src", self.src)
        # The student solves lab 1 in their own way and commits it.
        path = os.path.join(lab1, "kern/a.c")
        text = read(lab1, "kern/a.c").replace(b"\tpanic(\"LAB 1: backtrace not implemented\");\n",
                                              b"\treturn my_walk();\n")
        write(lab1, "kern/a.c", text)
        self.git("-c", "user.name=S", "-c", "user.email=s@x", "commit", "-qam", "lab 1", cwd=lab1)
        applied = self.git("apply", "--3way", patch, cwd=lab1)
        # Their lab 1 code conflicts with the reference solution; everything else applies.
        self.assertIn("kern/a.c", applied.stderr)
        self.assertIn(b"<<<<<<<", read(lab1, "kern/a.c"))
        self.assertIn(b"my_walk", read(lab1, "kern/a.c"))
        self.assertTrue(os.path.isfile(os.path.join(lab1, "labs/lab2/lab.mk")))
        self.assertEqual(read(lab1, "kern/tail.c"), b"int solved;\nint end;")
        self.assertTrue(os.path.exists(path))

    def test_deleted_mode_changed_binary_and_symlink_entries(self):
        Entry = handout.Entry
        old = {"gone.c": Entry(0o100644, b"bye\n"),
               "gone.bin": Entry(0o100644, b"\0\1\2"),
               "empty-gone": Entry(0o100644, b""),
               "run.sh": Entry(0o100644, b"#!/bin/sh\n"),
               "edit.sh": Entry(0o100644, b"a\nb\n"),
               "pic.bin": Entry(0o100644, b"\0old" * 100),
               "same.c": Entry(0o100644, b"same\n"),
               "tab\tname.c": Entry(0o100644, b"x\n"),
               "noeol.c": Entry(0o100644, b"one\ntwo")}
        new = {"run.sh": Entry(0o100755, b"#!/bin/sh\n"),
               "edit.sh": Entry(0o100755, b"a\nc\n"),
               "pic.bin": Entry(0o100644, b"\0new" * 120),
               "same.c": Entry(0o100644, b"same\n"),
               "link": Entry(0o120777, b"same.c"),
               "tab\tname.c": Entry(0o100644, b"y\n"),
               "noeol.c": Entry(0o100644, b"one\nthree")}
        patch, added, modified, deleted = handout.make_patch(old, new)
        self.assertEqual((added, modified, deleted), (1, 5, 3))
        self.assertIn(b"--- a/edit.sh\n+++ b/edit.sh\n", patch)       # paths from the top
        self.assertRegex(patch, rb"\nindex [0-9a-f]{40}\.\.[0-9a-f]{40} 100644\n")
        work = os.path.join(self.tmp, "work")
        os.mkdir(work)
        handout.write_files(old, work)
        write(self.tmp, "p.patch", patch)
        applied = self.git("apply", os.path.join(self.tmp, "p.patch"), cwd=work)
        self.assertEqual(applied.returncode, 0, applied.stderr)
        self.assertEqual(sorted(os.listdir(work)), sorted(new))
        for path, entry in new.items():
            full = os.path.join(work, path)
            if path == "link":
                self.assertEqual(os.readlink(full), "same.c")
                continue
            self.assertEqual(read(work, path), entry.data, path)
            self.assertEqual(bool(os.stat(full).st_mode & 0o111), bool(entry.mode & 0o111), path)
        # The reverse direction works too (binary hunks carry the old content).
        reverted = self.git("apply", "-R", os.path.join(self.tmp, "p.patch"), cwd=work)
        self.assertEqual(reverted.returncode, 0, reverted.stderr)
        self.assertEqual(sorted(os.listdir(work)), sorted(old))
        for path, entry in old.items():
            self.assertEqual(read(work, path), entry.data, path)

    def test_identical_trees_give_an_empty_patch(self):
        tree = {"a.c": handout.Entry(0o100644, b"x\n")}
        self.assertEqual(handout.make_patch(tree, dict(tree))[0], b"")

    def test_patch_needs_a_previous_lab(self):
        write(self.src, "a.c", "x\n")
        result = self.tool("--lab", "0", "--patch", os.path.join(self.tmp, "p"), "--src", self.src)
        self.assertEqual(result.returncode, 2)


class CommandLineTest(TempDirTest):
    """Argument combinations that make no sense are refused."""

    def test_bad_combinations(self):
        for args in ([], ["--lab", "1"], ["--check", "--lab", "1", "--out", "x"],
                     ["--out", "x"], ["--lab", "1", "--patch", "p", "--git"],
                     ["--lab", "-1", "--out", "x"], ["--check", "--list-exercises", "1"]):
            result = self.tool(*args)
            self.assertEqual(result.returncode, 2, "accepted %s" % args)

    def test_missing_source_tree(self):
        result = self.tool("--check", "--src", os.path.join(self.tmp, "nope"))
        self.assertEqual(result.returncode, 1)
        self.assertIn("not a directory", result.stderr)


if __name__ == "__main__":
    unittest.main()
