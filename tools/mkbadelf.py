#!/usr/bin/env python3
"""Make deliberately broken copies of a good ELF64 executable, one defect each, for the
loader's tests (user program `badelf` in lab 3). Writes OUTDIR/badelf-NAME for every NAME
in DEFECTS and prints one line per file.

    mkbadelf.py GOOD_ELF OUTDIR
"""

import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "grade"))
from elf import (EHDR_MACHINE, EHDR_PHENTSIZE, EHDR_PHOFF, EHDR_TYPE,  # noqa: E402
                 PHDR_FILESZ, PHDR_MEMSZ, PHDR_OFFSET, PHDR_VADDR, load_segments, u64)


def first_load(data):
    """Offset of the first PT_LOAD program header."""
    loads = load_segments(data)
    if not loads:
        raise SystemExit("mkbadelf: no PT_LOAD segment in the input")
    return loads[0]


def last_load(data):
    return load_segments(data)[-1]


def put(fmt, off, value):
    """A defect that writes value (or value(data)) at off (or off(data))."""
    def defect(data):
        o = off(data) if callable(off) else off
        v = value(data) if callable(value) else value
        struct.pack_into(fmt, data, o, v)
        return data
    return defect


# name -> (what is wrong, function mutating a bytearray and returning the result)
DEFECTS = {
    "magic": ("bad magic number", put("<B", 3, ord("G"))),
    "class": ("32-bit class", put("<B", 4, 1)),
    "machine": ("not x86-64", put("<H", EHDR_MACHINE, 3)),
    "type": ("relocatable, not executable", put("<H", EHDR_TYPE, 1)),
    "phoff": ("program headers past the end of the file",
              put("<Q", EHDR_PHOFF, lambda d: len(d) + 64)),
    "phentsize": ("wrong program header size", put("<H", EHDR_PHENTSIZE, 40)),
    "kernelseg": ("segment in the kernel half",
                  put("<Q", lambda d: first_load(d) + PHDR_VADDR, 0xFFFFFFFF80100000)),
    "wrapseg": ("segment runs past the top of user memory",
                put("<Q", lambda d: last_load(d) + PHDR_MEMSZ, 0x7FFFFFFFFFFF)),
    "filesz": ("file size larger than memory size",
               put("<Q", lambda d: first_load(d) + PHDR_FILESZ,
                   lambda d: u64(d, first_load(d) + PHDR_MEMSZ) + 4096)),
    "offset": ("segment data past the end of the file",
               put("<Q", lambda d: first_load(d) + PHDR_OFFSET, lambda d: len(d))),
    "short": ("truncated file", lambda d: d[:30]),
}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        good = f.read()
    os.makedirs(sys.argv[2], exist_ok=True)
    for name, (what, defect) in DEFECTS.items():
        path = os.path.join(sys.argv[2], "badelf-" + name)
        with open(path, "wb") as f:
            f.write(bytes(defect(bytearray(good))))
        os.chmod(path, 0o755)


if __name__ == "__main__":
    main()
