"""gdb helpers for Sparrow, loaded by the project's .gdbinit (`source tools/gdb/sparrow.py`).

    pt ADDR          walk the page tables loaded in CR3 for the virtual address ADDR (any gdb
                     expression: 0xffffffff8010a000, $rip, &kmain) and print the entry at each
                     of the four levels, then the physical address ADDR maps to
    pt -m ADDR       the same, reading the tables with QEMU's `xp` (true physical memory)
                     instead of through the kernel's direct map
    pt -c TABLE ADDR walk the top-level table TABLE instead of CR3's (a physical address, or
                     a direct-map pointer such as kern_pml4): tables not loaded yet
    meminfo          the frame allocator's counters (frames, usable, free, in use)
    meminfo -v       also count pages[] by state, and walk the free list, to cross-check them

The entry bits, the direct map and the frame flags are read from the kernel's headers when
this file loads, the structure layouts from the kernel's debug information.

They work wherever QEMU is stopped: in the 32-bit boot code (paging is off: they say so),
before page_init() (no frame table yet) and anywhere after. `pt` works with any lab's kernel
(lab 1's boot tables too); `meminfo` needs lab 2's frame allocator. docs/gdb-helpers.md has
examples.
"""

import os
import re
import struct

import gdb

# The kernel's own headers, read when the helpers load, so they cannot drift from it: the
# page-table entry bits (kern/mm/vm.h), the direct map (inc/memlayout.h) and the frame
# flags (kern/mm/page.h). Structure layouts come from the kernel's debug information.
TREE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFINE_RE = re.compile(r"^#define[ \t]+(\w+)[ \t]+\(?[ \t]*(0[xX][0-9a-fA-F]+|[0-9]+)[uUlL]*"
                       r"(?:[ \t]*<<[ \t]*([0-9]+))?[ \t]*\)?[ \t]*(?:/\*|$)", re.M)


def header_numbers(path, prefix):
    """{name: value} of the `#define NAME NUMBER` lines (a number, or `(1UL << N)`) of the
    header at path (relative to the tree) whose names start with prefix."""
    full = os.path.join(TREE, path)
    try:
        with open(full) as f:
            text = f.read()
    except OSError as e:
        raise gdb.GdbError("sparrow helpers: cannot read %s (%s)" % (full, e))
    return {m.group(1): int(m.group(2), 0) << int(m.group(3) or 0)
            for m in DEFINE_RE.finditer(text) if m.group(1).startswith(prefix)}


PTE = header_numbers("kern/mm/vm.h", "PTE_")
# Each one-bit PTE_ flag, by bit number: [(0, "P"), (1, "W"), ...].
BITS = sorted((v.bit_length() - 1, name[len("PTE_"):]) for name, v in PTE.items()
              if v & (v - 1) == 0)
ADDR_MASK = PTE["PTE_ADDR_MASK"]
DIRECTMAP = header_numbers("inc/memlayout.h", "DIRECTMAP")["DIRECTMAP"]
PG = header_numbers("kern/mm/page.h", "PG_")
CR0_PG = 1 << 31
LEVELS = {4: "PML4", 3: "PDPT", 2: "PD", 1: "PT"}
SIZE_NAMES = {1: "4K", 2: "2M", 3: "1G"}


def register(name):
    """The value of a CPU register as an unsigned int, or None if gdb cannot read it."""
    try:
        return int(gdb.parse_and_eval("$" + name)) & 0xFFFFFFFFFFFFFFFF
    except gdb.error:
        pass
    try:  # older gdbs print flag-typed registers but will not convert them
        out = gdb.execute("info registers " + name, to_string=True)
        return int(out.split()[1], 16)
    except (gdb.error, IndexError, ValueError):
        return None


class PhysMem:
    """Reads physical memory: through the kernel's direct map when that works (fast), or
    with QEMU's monitor command `xp` (always the real physical memory)."""

    def __init__(self, use_monitor=False):
        self.use_monitor = use_monitor
        self.inferior = gdb.selected_inferior()

    def u64(self, pa):
        if not self.use_monitor:
            try:
                return struct.unpack("<Q", bytes(self.inferior.read_memory(DIRECTMAP + pa, 8)))[0]
            except gdb.MemoryError:
                self.use_monitor = True  # no direct map here (paging off, or broken)
        out = gdb.execute("monitor xp /1gx 0x%x" % pa, to_string=True)
        m = re.search(r":\s*0x([0-9a-fA-F]+)", out)
        if not m:
            raise gdb.GdbError("cannot read physical address 0x%x (QEMU said: %s)"
                               % (pa, out.strip()))
        return int(m.group(1), 16)

    def how(self):
        return "QEMU xp" if self.use_monitor else "the direct map"


def flags(entry):
    return " ".join(name for bit, name in BITS if entry >> bit & 1)


def perms(entry):
    return "r%s%s %s" % ("w" if entry & PTE["PTE_W"] else "-",
                          "-" if entry & PTE["PTE_NX"] else "x",
                          "user" if entry & PTE["PTE_U"] else "kernel")


def to_address(expr):
    v = gdb.parse_and_eval(expr)
    if v.type.code == gdb.TYPE_CODE_PTR:
        v = v.cast(gdb.lookup_type("unsigned long"))
    return int(v) & 0xFFFFFFFFFFFFFFFF


class PtCommand(gdb.Command):
    """pt [-m] [-c TABLE] ADDR: the page-table entries for virtual address ADDR, level by level.
With -m, read the tables with QEMU's xp instead of through the kernel's direct map.
With -c TABLE, walk the top-level table TABLE (physical, or a direct-map pointer such as
kern_pml4) instead of the one in CR3."""

    def __init__(self):
        super().__init__("pt", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        use_monitor, table_expr = False, None
        while args and args[0] in ("-m", "-c"):
            if args.pop(0) == "-m":
                use_monitor = True
            elif args:
                table_expr = args.pop(0)
        if len(args) != 1:
            raise gdb.GdbError("usage: pt [-m] [-c TABLE] ADDR")
        va = to_address(args[0])
        cr0, cr3 = register("cr0"), register("cr3")
        if table_expr is not None:
            cr3 = to_address(table_expr)
            if cr3 >= DIRECTMAP:
                cr3 -= DIRECTMAP
        if cr3 is None:
            raise gdb.GdbError("gdb cannot read CR3: is this QEMU's gdb stub?")
        if cr0 is not None and not cr0 & CR0_PG:
            print("Paging is off (CR0.PG = 0): the CPU is in the 32-bit boot code and every "
                  "address is physical.")
            return
        if 0x0000800000000000 <= va < 0xFFFF800000000000:
            print("%016x is not canonical: no page table can map it" % va)
            return
        mem = PhysMem(use_monitor)
        table = cr3 & ADDR_MASK
        print("Page-table walk for %016x (%s 0x%x):"
              % (va, "table" if table_expr else "CR3", cr3))
        for level in (4, 3, 2, 1):
            index = (va >> (12 + 9 * (level - 1))) & 511
            at = table + 8 * index
            entry = mem.u64(at)
            line = "  %-4s index %3d at 0x%09x: %016x  " % (LEVELS[level], index, at, entry)
            if not entry & PTE["PTE_P"]:
                print(line + "not present")
                print("  %016x is not mapped" % va)
                break
            if level > 1 and not entry & PTE["PTE_PS"]:
                table = entry & ADDR_MASK
                print(line + "table at 0x%x  [%s]" % (table, flags(entry)))
                continue
            size = 1 << (12 + 9 * (level - 1))
            page = entry & ADDR_MASK & ~(size - 1)
            print(line + "%s page at 0x%x %s  [%s]" % (SIZE_NAMES[level], page, perms(entry),
                                                      flags(entry)))
            print("  %016x -> physical %016x" % (va, page + (va & (size - 1))))
            break
        print("  (tables read through %s)" % mem.how())


def static_value(name):
    """A kernel global or file-static variable, or None if there is no such symbol."""
    try:
        return gdb.parse_and_eval(name)
    except gdb.error:
        pass
    sym = gdb.lookup_static_symbol(name) if hasattr(gdb, "lookup_static_symbol") else None
    return sym.value() if sym else None


class MeminfoCommand(gdb.Command):
    """meminfo [-v]: the frame allocator's counters; -v also counts pages[] by state and
walks the free list, to cross-check the counters."""

    def __init__(self):
        super().__init__("meminfo", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        verbose = "-v" in gdb.string_to_argv(arg)
        cr0 = register("cr0")
        if cr0 is not None and not cr0 & CR0_PG:
            print("Paging is off: the kernel has not reached 64-bit mode, so there is no "
                  "frame allocator yet.")
            return
        values = {n: static_value(n) for n in ("npages", "phys_top", "pages", "nfree",
                                                "nusable", "page_free_list")}
        missing = [n for n, v in values.items() if v is None]
        if missing:
            raise gdb.GdbError("this kernel has no frame allocator (no symbol %s): meminfo needs "
                               "lab 2 or later, e.g. `file obj/lab2/kernel.elf`"
                               % ", ".join(missing))
        try:
            npages = int(values["npages"])
            top = int(values["phys_top"])
            nfree, usable = int(values["nfree"]), int(values["nusable"])
        except gdb.MemoryError:
            raise gdb.GdbError("cannot read the kernel's variables here (no mapping yet?)")
        if npages == 0:
            print("The frame allocator is not initialised yet (page_init() has not run).")
            return
        print("Physical memory: %d frames (%d KiB) below 0x%x" % (npages, npages * 4, top))
        print("Frames: %d usable, %d free, %d in use, %d reserved"
              % (usable, nfree, usable - nfree, npages - usable))
        if verbose:
            self.cross_check(values, npages, nfree)

    def cross_check(self, values, npages, nfree):
        page_t = gdb.lookup_type("struct page")
        size = page_t.sizeof
        fields = {f.name: (f.bitpos // 8, f.type.sizeof) for f in page_t.fields()}
        base = int(values["pages"].cast(gdb.lookup_type("unsigned long")))
        data = bytes(gdb.selected_inferior().read_memory(base, npages * size))

        def field(i, name):
            at, width = fields[name]
            return int.from_bytes(data[i * size + at:i * size + at + width], "little")

        counts = {"free": 0, "reserved": 0, "in use": 0}
        refs = 0
        for i in range(npages):
            fl = field(i, "flags")
            counts["free" if fl & PG["PG_FREE"] else "reserved" if fl & PG["PG_RESERVED"]
                   else "in use"] += 1
            refs += field(i, "refcount")
        print("pages[] by flags: %d free, %d in use, %d reserved; %d references held"
              % (counts["free"], counts["in use"], counts["reserved"], refs))
        walked, pp = 0, values["page_free_list"]
        while int(pp) != 0 and walked <= nfree:
            walked += 1
            pp = pp["next"]
        print("free list: %d frames%s" % (walked, "" if walked == nfree else
                                           "  <-- but nfree says %d" % nfree))
        if counts["free"] != nfree:
            print("  <-- %d frames are marked PG_FREE but nfree says %d" % (counts["free"], nfree))


def process_table():
    """The struct proc array, or raise a GdbError saying this kernel has none."""
    procs = static_value("procs")
    if procs is None:
        raise gdb.GdbError("this kernel has no process table (no symbol procs): it needs lab 3 "
                           "or later, e.g. `file obj/lab4/kernel.elf`")
    return procs


def state_name(value):
    return str(value).replace("PROC_", "")


class ProcsCommand(gdb.Command):
    """procs: the process table: pid, parent, state, nice, name, and the current one (*)."""

    def __init__(self):
        super().__init__("procs", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        procs = process_table()
        current = static_value("cpu0")
        current = int(current["proc"]) if current is not None else 0
        print("  PID  PPID STATE      NICE NAME              struct proc")
        n = procs.type.range()[1] + 1
        for i in range(n):
            p = procs[i]
            if state_name(p["state"]) == "UNUSED":
                continue
            parent = int(p["parent"]["pid"]) if int(p["parent"]) else 0
            nice = int(p["nice"]) if "nice" in [f.name for f in p.type.fields()] else 0
            print("%s%4d %5d %-9s %5d %-16s  %s" % (
                "*" if int(p.address) == current else " ", int(p["pid"]), parent,
                state_name(p["state"]), nice, p["name"].string(), p.address))


class TrapframeCommand(gdb.Command):
    """trapframe [PID]: the saved user registers of process PID (default: the current one)."""

    def __init__(self):
        super().__init__("trapframe", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        procs = process_table()
        argv = gdb.string_to_argv(arg)
        if argv:
            want = int(argv[0], 0)
            found = [procs[i] for i in range(procs.type.range()[1] + 1)
                     if state_name(procs[i]["state"]) != "UNUSED" and int(procs[i]["pid"]) == want]
            if not found:
                raise gdb.GdbError("no process has pid %d (see `procs`)" % want)
            p = found[0]
        else:
            cur = static_value("cpu0")
            if cur is None or int(cur["proc"]) == 0:
                raise gdb.GdbError("no process is running on the CPU; give a pid (see `procs`)")
            p = cur["proc"].dereference()
        tf = p["tf"].dereference()
        print("process %d (%s), trap frame at %s:" % (int(p["pid"]), p["name"].string(), p["tf"]))
        names = [f.name for f in tf.type.fields()]
        for i in range(0, len(names), 3):
            print("  " + "  ".join("%-6s %016x" % (n, int(tf[n]) & (2**64 - 1)) for n in names[i:i + 3]))


PtCommand()
MeminfoCommand()
ProcsCommand()
TrapframeCommand()
