#!/usr/bin/env python3
"""Lab 5 tests: files and descriptors, pipes, execve, the heap and mappings, the shell, and
static musl programs.

Each test boots with init="/bin/PROG ARGS": init (pid 1) opens the console as descriptors 0,
1 and 2, runs PROG with fork and execve, reaps it and every orphan, says "init: PROG exited
with status S" and "init: no processes left", and powers the machine off. The test programs
print their checks through verdict() (each line must carry this run's grading token, see
gradelib) and end with "PROG: all checks OK". Up to four such tests share a boot (init runs
init="PROG ARGS ; PROG ARGS ..." in turn; gradelib's Grader.batches). The shell test
compares what a script prints with grade/lab5-testshell.expected; the musl programs, built
with musl's C library instead of Sparrow's, print plain "musl-NAME: OK ..." lines.
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gradelib import Fail, Grader, init_end, oks, program, same_as_linux  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
g = Grader(5)

# The exercises (docs/lab5.md), each with the solution blocks a student writes.
g.exercise("file descriptors and dup2", "kern/sys/sys_file.c:do_dup3")
g.exercise("pipes", "kern/fs/pipe.c:pipe_read", "kern/fs/pipe.c:pipe_write")
g.exercise("execve", "kern/sys/exec.c:sys_execve", foundation=True)
g.exercise("the shell's pipelines and redirections", "user/sh.c:redirect_one",
           "user/sh.c:run_pipeline")


def lab5_test(title, points, name, exercise, verdicts=(), args="", check=None, mem=None,
              timeout=30, forbid=()):
    g.test(title, points, cmdline=program(name, args), timeout=timeout, mem=mem,
           verdicts=list(verdicts) + [r"^%s: all checks OK$" % name],
           expect=init_end(name),
           forbid=[r"^%s: .*FAIL" % name, r"^init: .*(killed by signal|wait failed|cannot)"]
           + list(forbid),
           check=check, exercise=exercise)


# ---------------------------------------------------------------------------------------
# File descriptors: files, directories, sharing.

lab5_test("testfile: files and directories: create, read, append, truncate, unlink, list; "
          "the POSIX errors; EMFILE", 12, "testfile", None,
          verdicts=oks("testfile",
                       "mkdir /tmp/testfile succeeds",
                       "mkdir of an existing directory fails with errno 17",
                       "chdir into it; getcwd then says '/tmp/testfile'",
                       "mkdir with a relative path; stat says it is a directory",
                       "create a.txt and write 10000 bytes into it",
                       "open(O_CREAT | O_EXCL) of an existing file fails with errno 17",
                       "fstat and stat say it is a regular file of 10000 bytes",
                       "read back in pieces of 3000 bytes: the same 10000 bytes, then 0 at the end",
                       "lseek with SEEK_SET and SEEK_END moves the offset for read",
                       "lseek to a negative offset fails with errno 22",
                       "write on a descriptor opened O_RDONLY fails with errno 9",
                       "O_APPEND adds 4 bytes at the end",
                       "O_TRUNC empties the file",
                       "a write past the end leaves a hole that reads as zeros",
                       "read on a descriptor opened O_WRONLY fails with errno 9",
                       "a 3 MiB file reads back intact",
                       "unlink removes it: stat then fails with ENOENT",
                       "a file unlinked while open is gone from its directory but still "
                       "readable through the descriptor",
                       "getdents64 lists . .. a.txt c d with their types",
                       "getdents64 with a buffer too small for one entry fails with errno 22",
                       "readdir lists the same entries",
                       "open of a missing file fails with errno 2",
                       "open(O_CREAT) in a missing directory fails with errno 2",
                       "stat of a missing file fails with errno 2",
                       "unlink of a missing file fails with errno 2",
                       "chdir to a missing directory fails with errno 2",
                       "open of a directory for writing fails with errno 21",
                       "unlink of a directory fails with errno 21",
                       "open of a path through a regular file fails with errno 20",
                       "open(O_DIRECTORY) of a regular file fails with errno 20",
                       "chdir to a regular file fails with errno 20",
                       "mkdir over a regular file fails with errno 17",
                       "open with a bad path pointer fails with errno 14",
                       "read into an unmapped buffer fails with errno 14",
                       "write from a kernel address fails with errno 14",
                       "read on a closed descriptor fails with errno 9",
                       "write on a closed descriptor fails with errno 9",
                       "fstat on a closed descriptor fails with errno 9",
                       "lseek on a closed descriptor fails with errno 9",
                       "close of a closed descriptor fails with errno 9",
                       "read on descriptor -1 fails with errno 9",
                       "read on descriptor 1024, past the table fails with errno 9",
                       "chdir(\"..\") goes to /tmp, where ./testfile/d/../a.txt opens",
                       "dup fails with EMFILE once all 1024 descriptors are open",
                       "open with the table full fails with errno 24",
                       "with one descriptor free, pipe fails with EMFILE and leaves it free",
                       "after closing them, open works again",
                       "/dev/console is a character device",
                       "/dev/null takes every write and reads as end of file"))

lab5_test("testfdsharing: fork and dup share an open file and its offset; a second open does "
          "not; O_APPEND", 10, "testfdsharing", "file descriptors and dup2",
          verdicts=oks("testfdsharing",
                       "a file is created with 10 bytes",
                       "after fork, the child's read moves the parent's offset too: the parent "
                       "is at 4 and reads '456'",
                       "the parent's write lands after the 30 bytes its child wrote",
                       "parent and child writing at once through one shared descriptor never "
                       "overwrite each other: 200 records",
                       "dup'd descriptors share one offset",
                       "dup2 returns the descriptor asked for, sharing the offset",
                       "dup2 onto an open descriptor first closes it, then shares the offset",
                       "dup2 of a descriptor onto itself returns it",
                       "dup2 from a closed descriptor or onto 1024 (past the table) fails with "
                       "EBADF",
                       "dup3 of a descriptor onto itself fails with EINVAL",
                       "fcntl(F_DUPFD, 30) returns a descriptor from 30 up that shares the "
                       "offset",
                       "closing one descriptor leaves its copies open",
                       "a child closing its copy of a descriptor leaves the parent's open",
                       "a second open of the same file has its own offset",
                       "and sees the data written through the first",
                       "O_APPEND writes go to the end, whatever the offset and whoever "
                       "appended last",
                       "two processes appending through opens of their own never overwrite "
                       "each other: 200 records"))

# ---------------------------------------------------------------------------------------
# Pipes.

lab5_test("testpipe: data in order, end of file, EPIPE, atomic 4096-byte writes, blocked "
          "readers and writers woken", 12, "testpipe", "pipes",
          verdicts=oks("testpipe",
                       "pipe() returns two new descriptors",
                       "11 bytes written into a pipe are read back",
                       "the write end cannot be read and the read end cannot be written: EBADF",
                       "lseek on a pipe fails with ESPIPE",
                       "fstat says a pipe is a FIFO",
                       "pipe with a bad pointer fails with EFAULT and leaves no descriptor open",
                       "20000 bytes a child wrote arrive intact and in order",
                       "then read returns 0, end of file, as the writer has exited",
                       "a 20000-byte write, more than a pipe holds, waits for the reader and "
                       "returns 20000",
                       "a reader stays blocked while a duplicate of the write end is still open",
                       "closing the last write end wakes the blocked reader with end of file",
                       "a reader blocked on an empty pipe is woken by a write",
                       "a write with no reader fails with EPIPE, and the writer lives on",
                       "a pipe holds 4096 bytes: a writer that filled it blocks on the next byte",
                       "closing the last read end wakes the blocked writer with EPIPE",
                       "a 4096-byte write into a pipe with room for part of it waits for room "
                       "for all: no other write gets in between",
                       "2 writers' 4096-byte writes are never split",
                       "the 2 writers exited with status 0"))

PRIMES_LIMIT = 1000


def primes_upto(n):
    sieve = [True] * (n + 1)
    for i in range(2, int(n ** 0.5) + 1):
        if sieve[i]:
            sieve[i * i::i] = [False] * len(sieve[i * i::i])
    return [i for i in range(2, n + 1) if sieve[i]]


PRIMES = primes_upto(PRIMES_LIMIT)


def check_primes(out):
    """The "prime N" verdict lines are exactly the primes up to the limit, in order: each
    filter prints before it passes anything on, so the order is fixed."""
    got = [int(m.group(1)) for m in (re.match(r"^prime (\d+)$", l) for l in out.verdicts()) if m]
    if got == PRIMES:
        return
    for i, (a, b) in enumerate(zip(got, PRIMES)):
        if a != b:
            raise Fail("prime number %d should be %d, but the program printed %d (after %s)"
                       % (i + 1, b, a, ", ".join(map(str, got[max(0, i - 3):i])) or "nothing"))
    if len(got) < len(PRIMES):
        raise Fail("only %d of the %d primes up to %d were printed; the first missing is %d"
                   % (len(got), len(PRIMES), PRIMES_LIMIT, PRIMES[len(got)]))
    raise Fail("%d primes were printed, but there are only %d up to %d (extra: %s)"
               % (len(got), len(PRIMES), PRIMES_LIMIT, got[len(PRIMES):][:5]))


lab5_test("primes: the concurrent prime sieve, one process per prime over a chain of pipes, "
          "up to %d" % PRIMES_LIMIT, 8, "primes", "pipes", args=str(PRIMES_LIMIT), timeout=60,
          verdicts=oks("primes",
                       "the last pipe ends with end of file after %d primes up to %d"
                       % (len(PRIMES), PRIMES_LIMIT),
                       "%d filter processes, one per prime, and the generator all exited with "
                       "status 0" % len(PRIMES),
                       "no child is left: waitpid fails with ECHILD"),
          check=check_primes)

# ---------------------------------------------------------------------------------------
# execve; the memory of a program image: the heap and mappings.

FDS = [("closed", "opened with O_CLOEXEC", None), ("closed", "FD_CLOEXEC set by fcntl", None),
       ("closed", "made by dup3 with O_CLOEXEC", None),
       ("closed", "a pipe2 O_CLOEXEC read end", None),
       ("closed", "a pipe2 O_CLOEXEC write end", None),
       ("open", "opened without O_CLOEXEC", "5678"), ("open", "dup of an O_CLOEXEC one", "0123"),
       ("open", "FD_CLOEXEC cleared by fcntl", "2345")]


def fd_verdict(state, what, text):
    if state == "closed":
        return (r"^execprobe: descriptor \d+ \(%s\) is closed in the new image: fstat fails "
                r"with EBADF: OK$" % re.escape(what))
    return (r"^execprobe: descriptor \d+ \(%s\) is still open: a regular file, reading '%s' at "
            r"its offset: OK$" % (re.escape(what), text))


EXEC_ERRORS = [("a missing file", 2), ("a path through a missing directory", 2),
               ("a text file", 8),
               ("an ELF file whose last segment runs past user memory", 8),
               ("a directory", 13), ("a bad path pointer", 14), ("a bad argv pointer", 14),
               ("an argv string at a kernel address", 14), ("a bad envp pointer", 14),
               ("one argument of 200 KiB", 7), ("64 arguments of 64 KiB", 7)]

lab5_test("testexec: argv, envp and auxv arrive intact; failed execs return ENOENT, ENOEXEC, "
          "EACCES, EFAULT, E2BIG; close-on-exec", 14, "testexec", "execve",
          forbid=[r"^execprobe: .*FAIL", r"^testexec: execve\(.*\) failed"],
          verdicts=oks("execprobe",
                       "argv arrived intact: 10 strings",
                       "envp arrived intact right after argv",
                       "getenv(\"EXECPROBE\") is 'a=b=c'",
                       "the pid",
                       "the working directory, /tmp, survived execve",
                       "the stack at _start is 16-byte aligned and starts with argc",
                       "AT_PHDR, AT_PHNUM and AT_PHENT describe this program's headers",
                       "AT_ENTRY is _start and AT_PAGESZ 4096",
                       "AT_RANDOM points at 16 bytes on the stack, not all zero",
                       "the heap starts afresh after this program's bss",
                       "a page the old program had mapped at 0x600000000 is gone")
          + oks("testexec", "a child ran execprobe with execve, and it exited with status 0")
          + oks("execprobe", "an argument of 10000 bytes, more than a page, arrived intact")
          + oks("testexec", "execprobe ran with an argument of 10000 bytes")
          + oks("testexec", *["execve of %s fails with errno %d" % e for e in EXEC_ERRORS])
          + oks("testexec",
                "after 11 failed execs the caller's data and stack are intact",
                "execve(\"./execprobe\") from /bin runs it, and its exit status 7 reaches the "
                "parent",
                "F_GETFD shows FD_CLOEXEC as set by O_CLOEXEC, F_SETFD, dup3 and pipe2, and "
                "cleared on dup's copy")
          + [fd_verdict(*f) for f in FDS]
          + oks("testexec", "execprobe found every descriptor as expected"))

lab5_test("testbrk: the heap grows, shrinks and grows again zeroed; a child's is its own; "
          "requests past the limit fail", 7, "testbrk", "execve", mem=128,
          verdicts=oks("testbrk",
                       "brk(0) returns the break, just past the program's data and bss",
                       "brk grows the heap by 1 MiB + 123 bytes; the new memory reads as zeros",
                       "every page of it can be written and read back",
                       "shrink to one page and grow again: that page kept its data, the others "
                       "read as zeros",
                       "after the heap shrinks, touching what it gave back kills a child with "
                       "SIGSEGV",
                       "a child's writes to its heap and its own brk leave the parent's heap "
                       "and break alone",
                       "a grow to 1 GiB, past the 256 MiB limit, fails: brk returns the old "
                       "break",
                       "a grow to nearly 256 MiB, more than the machine's free memory, fails "
                       "the same way",
                       "brk below the start of the heap fails: it returns the old break",
                       "then the heap still grows: another MiB, zeroed"))

lab5_test("testmmap: anonymous mappings, private across fork; munmap and mprotect(PROT_READ) "
          "make touching them fault", 8, "testmmap", "execve",
          verdicts=oks("testmmap",
                       "mmap of 16 pages returns a page-aligned address, and the memory reads "
                       "as zeros",
                       "every page can be written and read back",
                       "a second mapping does not overlap the first",
                       "mmap of 0 bytes fails with EINVAL",
                       "after fork, the child sees its own writes to a private mapping and not "
                       "the parent's",
                       "and the parent sees its own writes and not the child's",
                       "munmap of the upper half succeeds",
                       "touching memory after munmap kills the process with SIGSEGV",
                       "MAP_FIXED maps a fresh zeroed page at the address asked",
                       "munmap of an unaligned address fails with EINVAL",
                       "after mprotect(PROT_READ) the page reads, and a write kills with SIGSEGV",
                       "mprotect(PROT_READ | PROT_WRITE) makes it writable again",
                       "mprotect on a page shared with a child keeps it copy-on-write",
                       "munmap of everything succeeds"))

lab5_test("leaks: after rounds of fork, exec, pipes, files, brk and mmap, free memory is back "
          "exactly where it was", 5, "leaks", "execve", timeout=60,
          verdicts=oks("leaks",
                       "6 rounds of fork, exec, pipes, files, brk and mmap all did what they "
                       "should",
                       "processes:",
                       "free frames:"))

# ---------------------------------------------------------------------------------------
# The shell.

SHELL_EXPECTED = os.path.join(HERE, "lab5-testshell.expected")


def check_testshell(out):
    """What the script printed, from its first line to its last, is exactly the expected
    file: the shell's and the utilities' own lines carry no verdict tags."""
    with open(SHELL_EXPECTED) as f:
        want = f.read().splitlines()
    lines = out.lines
    start = lines.index(want[0])
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("init: sh ")),
               len(lines))
    got = lines[start:end]
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            raise Fail("line %d of the script's output should be '%s', not '%s' (see %s)"
                       % (i + 1, b, a, os.path.relpath(SHELL_EXPECTED)))
    if len(got) < len(want):
        raise Fail("the script's output stops after %d lines; line %d should be '%s'"
                   % (len(got), len(got) + 1, want[len(got)]))
    if len(got) > len(want):
        raise Fail("the script's output has %d lines more than expected, from '%s' on"
                   % (len(got) - len(want), got[len(want)]))


g.test("testshell: a script with pipelines, redirections < > >> 2> 2>&1, a background job, "
       "cd, quotes, $? and a missing program", 12,
       cmdline='init="/bin/sh /etc/testshell.sh"', timeout=60,
       expect=[r"^testshell: start$", r"^testshell: done$"] + init_end("sh"),
       forbid=[r"user fault", r"^init: .*(killed by signal|wait failed|cannot)"],
       check=check_testshell, exercise="the shell's pipelines and redirections")

# ---------------------------------------------------------------------------------------
# Static musl binaries (user/musl/NAME.c, built with musl-gcc -static into /bin/musl-NAME).

MUSL = {
    "stdio": ["printf formats integers, strings and floating point",
              "fopen, fprintf and fclose write a file",
              "fgets reads its 100 lines back",
              "fseek and ftell move about in it",
              "fopen(\"a\") appends; stat sees the new size",
              "remove deletes it; fopen then fails with ENOENT"],
    "malloc": ["2000 small blocks of 1 to 700 bytes keep their contents",
               "freeing every other one and allocating again leaves the rest intact",
               "a 4 MiB block (mmap) can be written and read",
               "calloc gives 400 KB of zeroes",
               "realloc keeps the contents growing from 16 bytes to 4 MiB and back",
               "after freeing everything, 20 rounds of malloc and free still work"],
    "proc": ["fork and waitpid: the child knows its parent and its exit status 7 arrives",
             "a child killed with SIGKILL is reported as such",
             "100000 bytes go through a pipe to a child, which sees end of file",
             "pipe, dup2 and execv: /bin/echo's output is read from the pipe",
             "execv of a missing program fails with ENOENT, and the program goes on"],
    "dir": ["mkdir, chdir and getcwd",
            "three files and a directory made",
            "opendir and readdir list . .. a b c sub with their types",
            "stat tells a directory from a 2-byte file",
            "unlink removes the three files",
            "and readdir no longer lists them",
            "stat of a removed file fails with ENOENT",
            "getenv(\"PATH\") is /bin",
            "uname names the system",
            "nanosleep(20 ms) lasts at least 20 ms by clock_gettime"],
}
MUSL_TITLES = {"stdio": "stdio: printf, fopen, fgets, fseek",
               "malloc": "malloc, calloc, realloc and free over brk and mmap",
               "proc": "fork, waitpid, kill, pipe, dup2, execv",
               "dir": "mkdir, chdir, opendir/readdir, stat, unlink, getenv, uname, the clock"}

for prog, lines in MUSL.items():
    name = "musl-" + prog
    g.test("%s: a static musl program: %s" % (name, MUSL_TITLES[prog]), 3,
           cmdline=program(name), timeout=30,
           expect=[r"^%s: OK %s$" % (name, re.escape(l)) for l in lines]
           + [r"^%s: all OK$" % name] + init_end(name),
           forbid=[r"^%s: FAIL" % name, r"user fault",
                   r"^init: .*(killed by signal|wait failed|cannot)"],
           exercise="execve")

# ---------------------------------------------------------------------------------------
# Static musl programs that real programs' calls go through, compared with Linux: the same
# binary runs on this machine (in a scratch directory), and every "musl-NAME:" line it
# prints there must come out the same, in the same order, on Sparrow. memcheck runs each
# twice and checks that every frame comes back.

MUSL_LINUX = [
    ("paths", "", "names: the *at calls, rename and renameat2, hard and symbolic links, "
                  "readlink, opendir, chmod, access, umask, stat"),
    ("fileio", "", "data: truncate, pread and pwrite, sendfile, utimensat, private file "
                   "mappings"),
    ("poll", "", "poll, ppoll, select and pselect on pipes, files and /dev/null"),
    ("locks", "", "fcntl record locks between two processes: conflicts, waiting, deadlock, "
                  "release on close and exit, OFD locks"),
    ("procfs", "two 'a b'", "/proc/self and /proc/PID, resource limits, clocks, ids"),
]


for prog, args, what in MUSL_LINUX:
    name = "musl-" + prog
    g.test("%s: a static musl program, compared with Linux: %s" % (name, what), 3,
           cmdline='init="/bin/memcheck /bin/%s /scratch %s"' % (name, args), timeout=60,
           expect=[r"^%s: done$" % name] + init_end("memcheck"),
           verdicts=[r"^memcheck: /bin/%s ended with wait status 0; .*: OK$" % name],
           forbid=[r"user fault", r"kernel (fault|panic)",
                   r"^init: .*(killed by signal|wait failed|cannot)"],
           check=same_as_linux(prog, args), exercise="execve")

g.test("fuzzsys: random system calls, lab 5's among them, never crash the kernel", 5,
       cmdline=program("fuzzsys"), timeout=60,
       verdicts=[r"^fuzzsys: the kernel survived \d+ random system calls$"],
       expect=init_end("fuzzsys"), forbid=[r"kernel fault"])

# Every test runs programs with execve (a foundation exercise). Besides their own exercise,
# the tests whose programs (or the shell, or init) use pipes or dup2 need those.
NEEDS = {"pipes": ["leaks", "testshell", "musl-proc"] + ["musl-" + p for p, _, _ in MUSL_LINUX],
         "file descriptors and dup2": ["testexec", "testshell", "musl-proc"] +
         ["musl-" + p for p, _, _ in MUSL_LINUX]}
for t in g.tests:
    t.needs = tuple(e for e, names in NEEDS.items() if t.short in names and e != t.exercise)

if __name__ == "__main__":
    sys.exit(g.main())
