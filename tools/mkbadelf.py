#!/usr/bin/env python3
"""Make deliberately broken copies of a good ELF64 executable, one defect each, for the
loader's tests (user program `badelf` in lab 3). Writes OUTDIR/badelf-NAME for every NAME
in DEFECTS and prints one line per file.

    mkbadelf.py GOOD_ELF OUTDIR
"""

import os
import struct
import sys

EHDR_PHOFF = 0x20
EHDR_PHENTSIZE = 0x36
EHDR_PHNUM = 0x38


def first_load(data):
    """Offset of the first PT_LOAD program header."""
    phoff, = struct.unpack_from("<Q", data, EHDR_PHOFF)
    phentsize, phnum = struct.unpack_from("<HH", data, EHDR_PHENTSIZE)
    for i in range(phnum):
        off = phoff + i * phentsize
        if struct.unpack_from("<I", data, off)[0] == 1:
            return off
    raise SystemExit("mkbadelf: no PT_LOAD segment in the input")


def put(fmt, off, value):
    """A defect that writes value (or value(data)) at off (or off(data))."""
    def defect(data):
        o = off(data) if callable(off) else off
        v = value(data) if callable(value) else value
        struct.pack_into(fmt, data, o, v)
        return data
    return defect


def last_load(data):
    phoff, = struct.unpack_from("<Q", data, EHDR_PHOFF)
    phentsize, phnum = struct.unpack_from("<HH", data, EHDR_PHENTSIZE)
    offs = [phoff + i * phentsize for i in range(phnum)
            if struct.unpack_from("<I", data, phoff + i * phentsize)[0] == 1]
    return offs[-1]


# name -> (what is wrong, function mutating a bytearray and returning the result)
DEFECTS = {
    "magic": ("bad magic number", put("<B", 3, ord("G"))),
    "class": ("32-bit class", put("<B", 4, 1)),
    "machine": ("not x86-64", put("<H", 0x12, 3)),
    "type": ("relocatable, not executable", put("<H", 0x10, 1)),
    "phoff": ("program headers past the end of the file",
              put("<Q", EHDR_PHOFF, lambda d: len(d) + 64)),
    "phentsize": ("wrong program header size", put("<H", EHDR_PHENTSIZE, 40)),
    "kernelseg": ("segment in the kernel half",
                  put("<Q", lambda d: first_load(d) + 0x10, 0xFFFFFFFF80100000)),
    "wrapseg": ("segment runs past the top of user memory",
                put("<Q", lambda d: last_load(d) + 0x28, 0x7FFFFFFFFFFF)),
    "filesz": ("file size larger than memory size",
               put("<Q", lambda d: first_load(d) + 0x20,
                   lambda d: struct.unpack_from("<Q", d, first_load(d) + 0x28)[0] + 4096)),
    "offset": ("segment data past the end of the file",
               put("<Q", lambda d: first_load(d) + 0x08, lambda d: len(d))),
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
