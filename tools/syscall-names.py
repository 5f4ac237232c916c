#!/usr/bin/env python3
"""Write kern/sys/syscall_names.c: Linux x86-64's system-call names by number, read from
musl's <bits/syscall.h> (Debian's musl-dev). Run it when a newer musl knows more calls.

    python3 tools/syscall-names.py [HEADER]
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = "/usr/include/x86_64-linux-musl/bits/syscall.h"


def main():
    names = {}
    with open(sys.argv[1] if len(sys.argv) > 1 else HEADER) as f:
        for line in f:
            m = re.match(r"#define __NR_(\w+)\s+(\d+)", line)
            if m:
                names[int(m.group(2))] = m.group(1)
    out = ["/*",
           " * The names of Linux x86-64's system calls by number, for the trace (strace=) and for the",
           " * line that reports a call Sparrow does not have. Made from the numbers in musl's",
           " * <bits/syscall.h> (Debian's musl-dev) by tools/syscall-names.py.",
           " */",
           '#include "sys/syscall.h"',
           "",
           "const char *const linux_syscall_names[LINUX_NSYSCALLS] = {"]
    out += ['\t[%d] = "%s",' % (n, names[n]) for n in sorted(names)]
    out.append("};")
    with open(os.path.join(ROOT, "kern", "sys", "syscall_names.c"), "w") as f:
        f.write("\n".join(out) + "\n")
    print("kern/sys/syscall_names.c: %d names, LINUX_NSYSCALLS must be at least %d"
          % (len(names), max(names) + 1))


if __name__ == "__main__":
    main()
