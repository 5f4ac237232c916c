"""Reading ELF64 files (x86-64, little-endian): the one ELF reader of Sparrow's Python tools.

The graders use it to compare a kernel's output with what was really built (section and
function addresses, grade/gradelib.py), and tools/mkbadelf.py to find the program headers
it breaks on purpose. The layouts are those of inc/elf.h. Python 3 standard library only.
"""

import struct

# Offsets of Elf64_Ehdr fields.
EHDR_TYPE = 0x10
EHDR_MACHINE = 0x12
EHDR_PHOFF = 0x20
EHDR_SHOFF = 0x28
EHDR_PHENTSIZE = 0x36
EHDR_PHNUM = 0x38
EHDR_SHENTSIZE = 0x3A
# Offsets of Elf64_Phdr fields.
PHDR_OFFSET = 0x08
PHDR_VADDR = 0x10
PHDR_FILESZ = 0x20
PHDR_MEMSZ = 0x28

PT_LOAD = 1
SHT_SYMTAB = 2
STT_OBJECT = 1
STT_FUNC = 2
SYM_SIZE = 24        # sizeof(Elf64_Sym)


def u64(data, offset):
    return struct.unpack_from("<Q", data, offset)[0]


def load_segments(data):
    """The file offsets of the PT_LOAD program headers of the ELF64 image data, in order."""
    phoff = u64(data, EHDR_PHOFF)
    phentsize, phnum = struct.unpack_from("<HH", data, EHDR_PHENTSIZE)
    offsets = [phoff + i * phentsize for i in range(phnum)]
    return [off for off in offsets if struct.unpack_from("<I", data, off)[0] == PT_LOAD]


def section_headers(data):
    """The section headers of the ELF64 image data, as tuples of Elf64_Shdr fields (name,
    type, flags, addr, offset, size, link, info, addralign, entsize), and the index of the
    section-name string table."""
    shoff = u64(data, EHDR_SHOFF)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, EHDR_SHENTSIZE)
    headers = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
               for i in range(shnum)]
    return headers, shstrndx


def cstring(data, offset):
    return data[offset:data.index(b"\0", offset)].decode()


def read(path):
    with open(path, "rb") as f:
        return f.read()


def elf_sections(path):
    """Map section name -> (address, size) of the ELF64 file at path."""
    data = read(path)
    headers, shstrndx = section_headers(data)
    names = headers[shstrndx][4]
    return {cstring(data, names + h[0]): (h[3], h[5]) for h in headers}


def elf_functions(path):
    """Map function name -> (address, size) from the symbol table of the ELF64 file at path."""
    return elf_symbols(path, STT_FUNC)


def elf_objects(path):
    """Map variable name -> (address, size) from the symbol table of the ELF64 file at path."""
    return elf_symbols(path, STT_OBJECT)


def elf_symbols(path, kind):
    """Map name -> (address, size) of the symbols of type kind (STT_FUNC, STT_OBJECT)."""
    data = read(path)
    headers, _ = section_headers(data)
    out = {}
    for h in headers:
        if h[1] != SHT_SYMTAB:
            continue
        strings = headers[h[6]][4]
        for i in range(h[5] // SYM_SIZE):
            name, info, _, _, value, size = struct.unpack_from("<IBBHQQ", data,
                                                               h[4] + i * SYM_SIZE)
            if info & 0xF == kind:
                out[cstring(data, strings + name)] = (value, size)
    return out
