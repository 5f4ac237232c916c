#!/usr/bin/env python3
"""Do the kernel's layers point one way? Each folder of kern/ is a layer, from the bottom:

    core dev boot debug   printing, panic, the command line, the CPU's tables, devices,
                          the boot information, symbols (one layer: they use each other)
    mm                    frames, page tables, the kernel heap, user address spaces
    trap                  the IDT, the entry and exit paths, interrupts
    proc                  the process table, program images, checked user copies, faults
    sched                 the scheduler, sleeping, the timer, CPU time
    fs                    open files, descriptor tables, the file system, pipes, devices
    sys                   the system calls, and starting and ending processes
    monitor               the kernel monitor and the self-tests it runs
    init                  kmain, which brings everything up and starts the first program

A file may include headers of its own layer and of the layers below it, never above: a
lower layer reaches a higher one only through a hook the higher one registers (trap_hooks,
the debugger, file_wakeup_hook). This prints every include that breaks the rule.

    python3 tools/layers.py        (make test runs it)
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ORDER = [("core", "dev", "boot", "debug"), ("mm",), ("trap",), ("proc",), ("sched",), ("fs",),
         ("sys",), ("monitor",), ("init",)]
LAYER = {folder: i for i, group in enumerate(ORDER) for folder in group}
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)


def problems(root=ROOT):
    out = []
    kern = os.path.join(root, "kern")
    for folder in sorted(os.listdir(kern)):
        if folder not in LAYER:
            if os.path.isdir(os.path.join(kern, folder)):
                out.append("kern/%s/ is in no layer: add it to tools/layers.py" % folder)
            continue
        for name in sorted(os.listdir(os.path.join(kern, folder))):
            path = os.path.join(kern, folder, name)
            if not name.endswith((".c", ".h", ".S", ".inc")):
                continue
            with open(path) as f:
                text = f.read()
            for m in INCLUDE_RE.finditer(text):
                target = m.group(1)
                if target in LAYER and LAYER[target] > LAYER[folder]:
                    line = text.count("\n", 0, m.start()) + 1
                    out.append("kern/%s/%s:%d includes %s/ (layer %s above %s)" % (
                        folder, name, line, target, "/".join(ORDER[LAYER[target]]),
                        "/".join(ORDER[LAYER[folder]])))
    return out


if __name__ == "__main__":
    found = problems()
    for p in found:
        print(p)
    print("%d include%s against the layers" % (len(found), "" if len(found) == 1 else "s"))
    sys.exit(1 if found else 0)
