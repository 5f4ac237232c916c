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
    memview [PID]    physical memory as a map of owners (or process PID's address space), as
                     the kernel monitor's memview prints it

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


# ---------------------------------------------------------------------------------------
# memview: the kernel's memory viewer (kern/monitor/memview.c), computed here from the
# machine's state. The same scan, the same cells (read from the kernel's own mv_kinds and
# mv_proc_colors tables) and the same text as the monitor's `memview`.

MEMLAYOUT = header_numbers("inc/memlayout.h", "K")
VMA = header_numbers("kern/mm/uvm.h", "VMA_")
PROT = header_numbers("inc/mman.h", "PROT_")
MV = {}  # the kinds of enum mv_kind (kern/monitor/memview.h) without MV_: {"FREE": 0, ...}
ROW_CELLS = 64
TEXT_ATTR = 0x07
VGA_ANSI = [0, 4, 2, 6, 1, 5, 3, 7]  # VGA's color numbers as ANSI's (and back)


def ansi(attr):
    if attr == TEXT_ATTR:
        return "\x1b[0m"
    fg, bg = attr & 0xF, (attr >> 4) & 7
    return "\x1b[0;%d;%dm" % ((90 if fg & 8 else 30) + VGA_ANSI[fg & 7], 40 + VGA_ANSI[bg])


class Lines:
    """Lines of (attribute, character) cells, printed like the kernel's mv_emit."""

    def __init__(self, color):
        self.color, self.cells = color, []

    def puts(self, text, attr=TEXT_ATTR):
        self.cells += [(attr, c) for c in text]

    def emit(self):
        cells = self.cells
        while cells and cells[-1] == (TEXT_ATTR, " "):
            cells = cells[:-1]
        out, cur = [], TEXT_ATTR
        for attr, c in cells:
            if self.color and attr != cur:
                out.append(ansi(attr))
                cur = attr
            out.append(c)
        if cur != TEXT_ATTR:
            out.append(ansi(TEXT_ATTR))
        print("".join(out))
        self.cells = []


class MemoryScan:
    """What each frame is used for, as the kernel's scan() finds it: pages[i].view."""

    def __init__(self):
        for name in ("npages", "pages", "kern_pml4", "mv_kinds"):
            if static_value(name) is None:
                raise gdb.GdbError("this kernel has no %s: memview needs lab 2 or later, "
                                   "e.g. `file obj/lab2/kernel.elf`" % name)
        MV.update((f.name[len("MV_"):], f.enumval)
                  for f in gdb.lookup_type("enum mv_kind").fields())
        self.inferior = gdb.selected_inferior()
        self.tables = {}
        self.npages = int(static_value("npages"))
        self.phys_top = int(static_value("phys_top"))
        if self.npages == 0:
            raise gdb.GdbError("the frame allocator is not initialised yet (page_init() has "
                               "not run)")
        kinds = static_value("mv_kinds")
        self.kinds = [(int(kinds[i]["attr"]), chr(int(kinds[i]["ch"])),
                       kinds[i]["name"].string()) for i in range(MV["NKINDS"])]
        colors = static_value("mv_proc_colors")
        self.proc_colors = [int(colors[i]) for i in range(colors.type.range()[1] + 1)]
        self.read_pages()
        self.scan()

    def read(self, addr, n):
        return bytes(self.inferior.read_memory(addr, n))

    def table(self, pa):
        if pa not in self.tables:
            self.tables[pa] = struct.unpack("<512Q", self.read(DIRECTMAP + pa, 4096))
        return self.tables[pa]

    def read_pages(self):
        page_t = gdb.lookup_type("struct page")
        size = page_t.sizeof
        fields = {f.name: (f.bitpos // 8, f.type.sizeof) for f in page_t.fields()}
        base = int(static_value("pages").cast(gdb.lookup_type("unsigned long")))
        self.pages_pa = base - DIRECTMAP
        self.page_size = size
        data = self.read(base, self.npages * size)

        def column(name):
            at, width = fields[name]
            return [int.from_bytes(data[i * size + at:i * size + at + width], "little")
                    for i in range(self.npages)]
        self.flags, self.refcount = column("flags"), column("refcount")

    def letter_cell(self, letter):
        return (self.proc_colors[letter % len(self.proc_colors)], chr(ord("a") + letter))

    def cell(self, view):
        kind, letter = view & 0xF, view >> 4
        if kind == MV["USER"]:
            return self.letter_cell(letter)
        return self.kinds[kind][:2]

    def walk(self, pml4_pa, first, last, on_table, on_leaf):
        """Visit the tables and present leaves under top-level entries [first, last]."""
        def visit(pa, level, base, lo, hi):
            entries = self.table(pa)
            for i in range(lo, hi + 1):
                e = entries[i]
                if not e & PTE["PTE_P"]:
                    continue
                va = base + (i << (12 + 9 * (level - 1)))
                if level == 4 and i >= 256:
                    va |= 0xFFFF000000000000
                if level > 1 and not e & PTE["PTE_PS"]:
                    on_table(e & ADDR_MASK)
                    visit(e & ADDR_MASK, level - 1, va, 0, 511)
                else:
                    on_leaf(va, e, level)
        on_table(pml4_pa)
        visit(pml4_pa, 4, 0, first, last)

    def mark(self, pa, kind):
        if 0 <= pa >> 12 < self.npages:
            self.view[pa >> 12] = kind

    def mark_range(self, start, end, kind):
        for i in range(start >> 12, min((end + 4095) >> 12, self.npages)):
            if self.view[i] == MV["RESERVED"]:
                self.view[i] = kind

    def claim(self, pa, letter):
        i = pa >> 12
        kind = self.view[i] & 0xF
        shared = self.refcount[i] > 1 or kind in (MV["USER"], MV["SHARED"])
        self.view[i] = (MV["SHARED"] if shared else MV["USER"]) | letter << 4

    def processes(self):
        """[(pid, name, mm)] of the live processes with an address space (lab 3 on)."""
        procs = static_value("procs")
        if procs is None:
            return []
        out = []
        for i in range(procs.type.range()[1] + 1):
            p = procs[i]
            if state_name(p["state"]) != "UNUSED" and int(p["mm"]) != 0:
                out.append((int(p["pid"]), p["name"].string(), p["mm"].dereference()))
        return out

    def scan(self):
        free, reserved, heap = PG["PG_FREE"], PG["PG_RESERVED"], PG.get("PG_HEAP", 0)
        self.view = [MV["FREE"] if f & free else MV["RESERVED"] if f & reserved else
                     MV["HEAP"] if f & heap else MV["KERNEL"] for f in self.flags]
        kernbase = MEMLAYOUT["KERNBASE"]
        end = int(gdb.parse_and_eval("&__kernel_end").cast(gdb.lookup_type("unsigned long")))
        self.mark_range(MEMLAYOUT["KERNLOAD"], end - kernbase, MV["IMAGE"])
        self.mark_range(self.pages_pa, self.pages_pa + self.npages * self.page_size,
                        MV["FRAMES"])
        modules, nmodules = static_value("modules"), static_value("nmodules")
        for i in range(int(nmodules) if nmodules is not None else 0):
            self.mark_range(int(modules[i]["mod_start"]), int(modules[i]["mod_end"]),
                            MV["MODULE"])
        kern = int(static_value("kern_pml4").cast(gdb.lookup_type("unsigned long"))) - DIRECTMAP
        kstacks = MEMLAYOUT["KSTACKS"]

        def kernel_leaf(va, e, level):
            if kstacks <= va < kernbase and not e & PTE["PTE_NOREF"]:
                self.mark(pte_address(e, level), MV["KSTACK"])
        self.walk(kern, 256, 511, lambda pa: self.mark(pa, MV["TABLE"]), kernel_leaf)
        for pid, name, mm in self.processes():
            letter = (pid - 1) % 26

            def user_leaf(va, e, level, letter=letter):
                if not e & PTE["PTE_NOREF"]:
                    self.claim(pte_address(e, level), letter)
            self.walk(int(mm["pml4"].cast(gdb.lookup_type("unsigned long"))) - DIRECTMAP,
                      0, 255, lambda pa: self.mark(pa, MV["TABLE"]), user_leaf)

    def used_top(self):
        top = self.npages
        while top > 0 and self.view[top - 1] in (MV["FREE"], MV["RESERVED"]):
            top -= 1
        return top

    def count_pages(self, mm):
        """(own, shared, {va: cell}) of the pages an address space maps."""
        own, shared, cells = 0, 0, {}

        def leaf(va, e, level):
            nonlocal own, shared
            if e & PTE["PTE_NOREF"]:
                cells[va] = None
                return
            if self.refcount[pte_address(e, level) >> 12] > 1:
                shared += 1
                cells[va] = "shared"
            else:
                own += 1
                cells[va] = "own"
        self.walk(int(mm["pml4"].cast(gdb.lookup_type("unsigned long"))) - DIRECTMAP, 0, 255,
                  lambda pa: None, leaf)
        return own, shared, cells


def pte_address(entry, level):
    size = 1 << (12 + 9 * (level - 1))
    return entry & ADDR_MASK & ~(size - 1)


class MemviewCommand(gdb.Command):
    """memview [-p|-c] [PID]: physical memory as a map of owners, one character a frame (or the
address space of process PID, one a page), as the kernel monitor's memview prints it. Colors
when gdb's output is a terminal (-p: never, -c: always)."""

    def __init__(self):
        super().__init__("memview", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        color = os.isatty(1)
        while args and args[0] in ("-p", "-c"):
            color = args.pop(0) == "-c"
        cr0 = register("cr0")
        if cr0 is not None and not cr0 & CR0_PG:
            print("Paging is off: the kernel has not reached 64-bit mode, so there is no "
                  "frame allocator yet.")
            return
        if len(args) > 1 or (args and not args[0].isdigit()):
            raise gdb.GdbError("usage: memview [-p|-c] [PID]")
        try:
            scan = MemoryScan()
        except gdb.MemoryError as e:
            raise gdb.GdbError("cannot read the kernel's memory here (%s)" % e)
        out = Lines(color)
        if args:
            self.process(scan, out, int(args[0]))
        else:
            self.physical(scan, out)

    def physical(self, scan, out):
        n = scan.npages
        top = min((scan.used_top() + ROW_CELLS - 1) // ROW_CELLS * ROW_CELLS, n)
        print("Physical memory: %d frames (%d MiB) below 0x%x; one cell per 4 KiB frame"
              % (n, n >> 8, scan.phys_top))
        for row in range(0, top, ROW_CELLS):
            out.puts("  %08x " % (row << 12))
            out.cells += [scan.cell(v) for v in scan.view[row:min(row + ROW_CELLS, top)]]
            out.emit()
        if top < n:
            rest = scan.view[top:]
            print("  %08x-%08x not shown: %d free frames, %d reserved"
                  % (top << 12, scan.phys_top, rest.count(MV["FREE"]),
                     rest.count(MV["RESERVED"])))
        counts = [0] * MV["NKINDS"]
        for v in scan.view:
            counts[v & 0xF] += 1
        out.puts("Frames:  ")
        for kind in range(MV["NKINDS"]):
            if kind == MV["USER"]:
                continue
            text = "%s %d" % (scan.kinds[kind][2], counts[kind])
            if len(out.cells) + 3 + len(text) > 79:
                out.emit()
                out.puts("   ")
            out.cells.append(scan.cell(kind))
            out.puts(" %s  " % text)
        out.emit()
        first = True
        for pid, name, mm in scan.processes():
            own, shared, _ = scan.count_pages(mm)
            if first:
                out.puts("Processes: ")
            elif len(out.cells) > 40:
                out.emit()
                out.puts(" " * 11)
            first = False
            out.puts(" ")
            out.cells.append(scan.letter_cell((pid - 1) % 26))
            out.puts(" pid %d %s (%d own, %d shared) " % (pid, name, own, shared))
        if not first:
            out.emit()

    def process(self, scan, out, pid):
        found = [(p, n, mm) for p, n, mm in scan.processes() if p == pid]
        if not found:
            print("No process has pid %d (see ps)" % pid)
            return
        _, name, mm = found[0]
        own, shared, cells = scan.count_pages(mm)
        letter = (pid - 1) % 26
        print("Address space of pid %d (%s): %d regions; %d pages present: %d its own (%c), "
              "%d shared (*)" % (pid, name, int(mm["nvmas"]), own + shared, own,
                                 chr(ord("a") + letter), shared))
        kinds = {None: scan.letter_cell(letter), "own": scan.letter_cell(letter),
                 "shared": scan.cell(MV["SHARED"]), "untouched": scan.cell(MV["FREE"])}
        v = mm["vmas"]
        while int(v) != 0:
            start, end = int(v["start"]), int(v["end"])
            prot, flags = int(v["prot"]), int(v["flags"])
            what = ("stack" if flags & VMA["VMA_STACK"] else
                    "heap" if flags & VMA["VMA_HEAP"] else "")
            print("  %016x-%016x %s%s%s %-5s %d pages"
                  % (start, end, "r" if prot & PROT["PROT_READ"] else "-",
                     "w" if prot & PROT["PROT_WRITE"] else "-",
                     "x" if prot & PROT["PROT_EXEC"] else "-", what, (end - start) // 4096))
            for row in range(start, end, ROW_CELLS * 4096):
                vas = range(row, min(end, row + ROW_CELLS * 4096), 4096)
                if any(va in cells for va in vas):
                    out.puts("    %016x " % row)
                    out.cells += [kinds[cells.get(va, "untouched")] for va in vas]
                    out.emit()
            v = v["next"]


PtCommand()
MeminfoCommand()
ProcsCommand()
TrapframeCommand()
MemviewCommand()
