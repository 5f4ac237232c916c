#!/usr/bin/env python3
"""Lab 2 tests: the page allocator, the page tables, the kernel address space and the heap.

Every expected value is computed here: from the kernel ELF that was built (section addresses
and functions), from the memory size this grader gave QEMU, and from the address-space
layout documented in inc/memlayout.h. What the kernel prints is only ever compared with
those, or with another thing the kernel printed in the same run (pt against showmappings).
"""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gradelib import Fail, Grader, elf_functions, elf_sections  # noqa: E402

g = Grader(2)

# The exercises (docs/lab2.md), each with the solution blocks a student writes.
g.exercise("the frame allocator", "kern/mm/page.c:page_init", "kern/mm/page.c:page_alloc",
           "kern/mm/page.c:page_free")
g.exercise("the walker", "kern/mm/vm.c:pt_walk")
g.exercise("map, insert, unmap, lookup", "kern/mm/vm.c:vm_map", "kern/mm/vm.c:vm_insert",
           "kern/mm/vm.c:vm_unmap", "kern/mm/vm.c:vm_lookup")
g.exercise("the kernel address space", "kern/mm/kas.c:kas_init")

# The layout (inc/memlayout.h) and the poison pattern (kern/mm/page.h), as documented.
KERNBASE = 0xFFFFFFFF80000000
KERNLINK = 0xFFFFFFFF80100000
DIRECTMAP = 0xFFFF800000000000
USER_TOP = 0x0000800000000000
UTEXT = 0x400000
PAGE = 0x1000
MB = 1 << 20
PAGE_POISON = 0xCCCCCCCCCCCCCCCC
# QEMU's firmware keeps the top 128 KiB of the low RAM for itself.
BIOS_TOP_RESERVED = 0x20000

def roundup(x, n):
    return (x + n - 1) // n * n


def kernel_layout(out):
    """The kernel image's parts, from the ELF: (start, end, perms) per part, page-aligned,
    and the guard page below the boot stack."""
    s = elf_sections(out.ctx["kernel"])
    text, rodata, data, stack = s[".text"][0], s[".rodata"][0], s[".data"][0], s[".bootstack"][0]
    end = roundup(stack + s[".bootstack"][1], PAGE)
    for name, addr in ((".text", text), (".rodata", rodata), (".data", data),
                       (".bootstack", stack)):
        if addr % PAGE:
            raise Fail("the ELF's %s section starts at %x, not on a page boundary "
                       "(kern/boot/kernel.ld must keep sections page-aligned)" % (name, addr))
    guard = stack - PAGE
    parts = [(text, rodata, "r-x"), (rodata, data, "r--"), (data, guard, "rw-"),
             (guard, stack, None), (stack, end, "rw-")]
    return parts, end


# ---------------------------------------------------------------------------------------
# Parsing the monitor's memory commands.
MAP_RE = re.compile(r"^\s+([0-9a-f]{16})-([0-9a-f]{16})\s+(4K|2M|1G)\s+->\s+([0-9a-f]{16})\s+"
                    r"(r[w-][x-]) (kernel|user)\s*$")
UNMAPPED_RE = re.compile(r"^\s+([0-9a-f]{16})-([0-9a-f]{16})\s+not mapped\s*$")
SIZES = {"4K": 0x1000, "2M": 0x200000, "1G": 0x40000000}


def showmappings(out, after):
    """The mapped and unmapped ranges printed after the line matching `after`, as
    (start, last, size, pa, perms, who) with size/pa/perms None for unmapped runs."""
    rows = []
    for line in out.after(after):
        m = MAP_RE.match(line)
        if m:
            rows.append((int(m.group(1), 16), int(m.group(2), 16), SIZES[m.group(3)],
                         int(m.group(4), 16), m.group(5), m.group(6)))
            continue
        m = UNMAPPED_RE.match(line)
        if m:
            rows.append((int(m.group(1), 16), int(m.group(2), 16), None, None, None, None))
            continue
        if line.startswith("K> ") or (rows and not line.startswith(" ")):
            break
    if not rows:
        raise Fail("no showmappings lines after '%s' (expected lines like "
                   "'  ffffffff8010a000-ffffffff8010afff  4K -> 000000000010a000  r-x kernel')"
                   % after.replace("\\", ""))
    return rows


def page_view(rows):
    """page address -> (pa of that page, perms, who) or None for an unmapped page."""
    pages = {}
    for start, last, size, pa, perms, who in rows:
        if size is not None and (last - start + 1 != size or start % size or pa % size):
            raise Fail("showmappings line %x-%x (%x bytes) does not describe one aligned page "
                       "of its size" % (start, last, size))
        for va in range(start, last + 1, PAGE):
            pages[va] = None if size is None else (pa + (va - start), perms, who)
    return pages


# ---------------------------------------------------------------------------------------
# The boot runs the checks in exercise order; each of these tests only needs its own line,
# so an exercise earns its points even while a later one still panics.
g.test("check_page_alloc: the frame allocator passes check_page_alloc()", 10, inputs=["poweroff"], expect_panic=True,
       expect=[r"^check_page_alloc\(\) succeeded!$"], exercise="the frame allocator")
g.test("check_vm: the page-table walker and map/unmap/lookup pass check_vm()", 10, inputs=["poweroff"],
       expect_panic=True, expect=[r"^check_vm\(\) succeeded!$"],
       exercise="map, insert, unmap, lookup")
g.test("check_kas: the kernel address space passes check_kas()", 10, inputs=["poweroff"], expect_panic=True,
       expect=[r"^check_kas\(\) succeeded!$"], exercise="the kernel address space")
g.test("check_kmalloc: the kernel heap passes check_kmalloc() and the monitor starts", 5, inputs=["poweroff"],
       expect=[r"^check_page_alloc\(\) succeeded!$", r"^check_vm\(\) succeeded!$",
               r"^check_kas\(\) succeeded!$", r"^check_kmalloc\(\) succeeded!$", r"K> "],
       exercise=None)


# ---------------------------------------------------------------------------------------
# showmappings against the ELF: every page of the image, its neighbours, and the guard.
def check_image(out):
    parts, end = kernel_layout(out)
    pages = page_view(showmappings(out, r"^K> showmappings 0xffffffff80000000 "))
    expect = {}
    for va in range(KERNBASE, KERNLINK, PAGE):
        expect[va] = None  # the first-MiB alias is gone
    text = parts[0][0]
    for va in range(KERNLINK, text, PAGE):
        expect[va] = None  # so is the 32-bit boot code's alias
    for start, stop, perms in parts:
        for va in range(start, stop, PAGE):
            expect[va] = None if perms is None else (va - KERNBASE, perms, "kernel")
    for va in range(end, end + 2 * PAGE, PAGE):
        expect[va] = None
    for va, want in sorted(expect.items()):
        if va not in pages:
            raise Fail("showmappings printed nothing for page %x" % va)
        if pages[va] != want:
            raise Fail("page %x (%s): showmappings says %s, but it should be %s"
                       % (va, part_name(parts, va), describe(pages[va]), describe(want)))


def part_name(parts, va):
    names = [".text", ".rodata", ".data/.bss", "guard page", "boot stack"]
    for (start, stop, _), name in zip(parts, names):
        if start <= va < stop:
            return name
    return "outside the image"


def describe(mapping):
    return "unmapped" if mapping is None else "-> %x %s %s" % mapping


# The range covers the first MiB alias, the whole image and two pages after it; the image
# is well under 16 MiB, and everything above its end must print as unmapped.
g.test("showmappings image: the kernel image with each ELF section's permissions", 10,
       inputs=["showmappings 0xffffffff80000000 0xffffffff80ffffff", "poweroff"],
       check=check_image, exercise="the kernel address space")


def check_directmap(mem):
    def check(out):
        rows = showmappings(out, r"^K> showmappings 0xffff800000000000 ")
        top = mem * MB
        covered = DIRECTMAP
        for start, last, size, pa, perms, who in rows:
            if start >= DIRECTMAP + top:
                if size is not None:
                    raise Fail("%x is mapped, but the direct map should end at %x (%d MiB)"
                               % (start, DIRECTMAP + top, mem))
                continue
            if size is None:
                raise Fail("%x-%x is not mapped, but the direct map should cover all %d MiB"
                           % (start, last, mem))
            if start != covered:
                raise Fail("the direct map has a gap or overlap at %x" % covered)
            if size < SIZES["2M"]:
                raise Fail("%x is mapped with a 4 KiB page: the direct map should use 2 MiB "
                           "pages (%d MiB is a multiple of 2 MiB)" % (start, mem))
            if pa != start - DIRECTMAP:
                raise Fail("%x maps physical %x; the direct map puts physical address pa at "
                           "DIRECTMAP + pa" % (start, pa))
            if (perms, who) != ("rw-", "kernel"):
                raise Fail("%x is %s %s; the direct map should be rw- (writable, not "
                           "executable) and kernel-only" % (start, perms, who))
            covered = last + 1
        if covered != DIRECTMAP + top:
            raise Fail("the direct map ends at %x; with %d MiB of RAM it should end at %x"
                       % (covered, mem, DIRECTMAP + top))
        if not any(size is None and start <= DIRECTMAP + top <= last
                   for start, last, size, _, _, _ in rows):
            raise Fail("showmappings should report the memory above the direct map as unmapped")
    return check


g.test("showmappings directmap: all RAM in the direct map as 2 MiB rw- kernel pages", 5, mem=128,
       inputs=["showmappings 0xffff800000000000 0xffff800008ffffff", "poweroff"],
       check=check_directmap(128), exercise="the kernel address space")


def check_nothing_user(out):
    low = showmappings(out, r"^K> showmappings 0x0 ")
    if any(size is not None for _, _, size, _, _, _ in low):
        raise Fail("the kernel's address space maps something in the user half: %x"
                   % next(s for s, _, size, _, _, _ in low if size is not None))
    if (low[0][0], low[-1][1]) != (0, USER_TOP - 1):
        raise Fail("showmappings 0x0 0x7fffffffffff should cover the whole user half")
    high = showmappings(out, r"^K> showmappings 0xffff800000000000 0xffffffffffffffff")
    mapped = [r for r in high if r[2] is not None]
    if len(mapped) < 10:
        raise Fail("only %d mappings in the kernel half; expected the direct map and the "
                   "kernel image" % len(mapped))
    for start, _, _, _, perms, who in mapped:
        if who != "kernel":
            raise Fail("%x is user-accessible: nothing in the kernel half may be" % start)
        if perms == "rwx":
            raise Fail("%x is writable and executable (W^X forbids that)" % start)


g.test("no user, no W+X: nothing in the kernel's address space is user-accessible or writable+executable", 5,
       inputs=["showmappings 0x0 0x7fffffffffff",
               "showmappings 0xffff800000000000 0xffffffffffffffff", "poweroff"],
       check=check_nothing_user, exercise="the kernel address space")

# ---------------------------------------------------------------------------------------
# pt against showmappings and the layout.
PT_HEAD_RE = re.compile(r"^Page-table walk for ([0-9a-f]{16}) \(CR3 0x([0-9a-f]+)\):")
PT_RE = re.compile(r"^\s+(PML4|PDPT|PD|PT)\s+index\s+(\d+) at 0x([0-9a-f]+): ([0-9a-f]{16})\s+"
                   r"(.*?)\s*$")
PT_TABLE_RE = re.compile(r"^table at 0x([0-9a-f]+) ([w-])([u-])$")
PT_LEAF_RE = re.compile(r"^(4K|2M|1G) page at 0x([0-9a-f]+) (r[w-][x-]) (kernel|user)$")
PT_PHYS_RE = re.compile(r"^\s+([0-9a-f]{16}) -> physical ([0-9a-f]{16})$")
LEVELS = ["PML4", "PDPT", "PD", "PT"]
ADDR_MASK = 0x000FFFFFFFFFF000


def parse_pt(out, va):
    """Check the walk pt printed for va; returns (physical address, perms) or None."""
    lines = out.after(r"^K> pt 0x%x$" % va)
    if not lines or not PT_HEAD_RE.match(lines[0]):
        raise Fail("no 'Page-table walk for ...' after 'pt 0x%x'" % va)
    table = int(PT_HEAD_RE.match(lines[0]).group(2), 16) & ADDR_MASK
    for i, line in enumerate(lines[1:5]):
        m = PT_RE.match(line)
        if not m:
            raise Fail("pt 0x%x: expected the %s entry, got: %s" % (va, LEVELS[i], line.strip()))
        name, index, at, value, rest = (m.group(1), int(m.group(2)), int(m.group(3), 16),
                                        int(m.group(4), 16), m.group(5))
        level = 4 - i
        want_index = (va >> (12 + 9 * (level - 1))) & 511
        if name != LEVELS[i] or index != want_index:
            raise Fail("pt 0x%x: level %d should be %s index %d, not %s index %d"
                       % (va, level, LEVELS[i], want_index, name, index))
        if at != table + 8 * index:
            raise Fail("pt 0x%x: the %s entry should be at 0x%x (its table 0x%x + 8 * %d), "
                       "not 0x%x" % (va, name, table + 8 * index, table, index, at))
        if rest == "not present":
            if value & 1:
                raise Fail("pt 0x%x: %s entry %016x has the present bit but is called "
                           "not present" % (va, name, value))
            return None
        if not value & 1:
            raise Fail("pt 0x%x: %s entry %016x lacks the present bit" % (va, name, value))
        t = PT_TABLE_RE.match(rest)
        if t:
            nxt = int(t.group(1), 16)
            if value & ADDR_MASK != nxt or value & 0x80:
                raise Fail("pt 0x%x: %s entry %016x does not point at table 0x%x"
                           % (va, name, value, nxt))
            if (t.group(2) == "w") != bool(value & 2) or (t.group(3) == "u") != bool(value & 4):
                raise Fail("pt 0x%x: %s entry %016x: flags '%s%s' do not match its bits"
                           % (va, name, value, t.group(2), t.group(3)))
            table = nxt
            continue
        leaf = PT_LEAF_RE.match(rest)
        if not leaf:
            raise Fail("pt 0x%x: cannot read the %s entry: %s" % (va, name, rest))
        size = SIZES[leaf.group(1)]
        pa, perms, who = int(leaf.group(2), 16), leaf.group(3), leaf.group(4)
        want_size = {1: SIZES["4K"], 2: SIZES["2M"], 3: SIZES["1G"]}[level]
        if size != want_size or (level > 1) != bool(value & 0x80):
            raise Fail("pt 0x%x: a %s entry maps a %s page only %s the PS bit"
                       % (va, name, leaf.group(1), "with" if level > 1 else "without"))
        if value & ADDR_MASK & ~(size - 1) != pa:
            raise Fail("pt 0x%x: entry %016x does not hold page address 0x%x" % (va, value, pa))
        bits = "r%s%s" % ("w" if value & 2 else "-", "-" if value >> 63 else "x")
        if bits != perms or (who == "user") != bool(value & 4):
            raise Fail("pt 0x%x: entry %016x is %s %s, but pt printed %s %s"
                       % (va, value, bits, "user" if value & 4 else "kernel", perms, who))
        phys = PT_PHYS_RE.match(lines[2 + i]) if len(lines) > 2 + i else None
        if not phys or int(phys.group(2), 16) != pa + (va & (size - 1)):
            raise Fail("pt 0x%x: expected '  %016x -> physical %016x' after the walk"
                       % (va, va, pa + (va & (size - 1))))
        return pa + (va & (size - 1)), perms
    raise Fail("pt 0x%x: the walk printed four levels without reaching a page" % va)


def pt_addresses(kernel):
    """A text, a data, a direct-map and a guard-page address, from the ELF."""
    s = elf_sections(kernel)
    return [s[".text"][0] + 0x123, s[".data"][0] + 0x10, DIRECTMAP + 0x123456,
            s[".bootstack"][0] - PAGE + 8]


def pt_inputs(kernel):
    lines = []
    for va in pt_addresses(kernel):
        lines += ["pt 0x%x" % va, "showmappings 0x%x 0x%x" % (va, va)]
    return lines + ["poweroff"]


def check_pt(out):
    for va in pt_addresses(out.ctx["kernel"]):
        walk = parse_pt(out, va)
        rows = showmappings(out, r"^K> showmappings 0x%x 0x%x$" % (va, va))
        pages = page_view(rows)
        got = pages.get(va & ~(PAGE - 1))
        if walk is None:
            if got is not None:
                raise Fail("pt says 0x%x is not mapped; showmappings says it is" % va)
            continue
        if got is None:
            raise Fail("pt maps 0x%x; showmappings says it is not mapped" % va)
        if (got[0] + (va & (PAGE - 1)), got[1]) != walk:
            raise Fail("0x%x: pt says physical 0x%x %s, showmappings 0x%x %s"
                       % (va, walk[0], walk[1], got[0] + (va & (PAGE - 1)), got[1]))
        want = va - (DIRECTMAP if va < KERNBASE else KERNBASE)
        if walk[0] != want:
            raise Fail("0x%x should map physical 0x%x, pt says 0x%x" % (va, want, walk[0]))


g.test("pt: walks all four levels and agrees with showmappings", 5, inputs_from=pt_inputs,
       check=check_pt, exercise="the walker")


# ---------------------------------------------------------------------------------------
# meminfo against the memory size QEMU was given.
MEMINFO_RE = re.compile(r"^Physical memory: (\d+) frames \((\d+) KiB\) below 0x([0-9a-f]+)$")
FRAMES_RE = re.compile(r"^Frames: (\d+) usable, (\d+) free, (\d+) in use, (\d+) reserved$")


def usable_bounds(out, mem):
    """The least and most frames the allocator may manage with mem MiB: RAM from 1 MiB to
    the firmware's reserve, less the kernel image; at most 64 bytes per frame of
    bookkeeping and 64 frames of boot information may go on top."""
    _, end = kernel_layout(out)
    ram = (mem * MB - BIOS_TOP_RESERVED - MB) // PAGE
    most = ram - (end - KERNLINK) // PAGE
    least = most - (mem * MB // PAGE) * 64 // PAGE - 64
    return least, most


def check_meminfo(mem):
    def check(out):
        m = [MEMINFO_RE.match(l) for l in out.after(r"^K> meminfo")]
        m = [x for x in m if x]
        f = [FRAMES_RE.match(l) for l in out.after(r"^K> meminfo")]
        f = [x for x in f if x]
        if not m or not f:
            raise Fail("meminfo should print 'Physical memory: N frames (K KiB) below 0x...' "
                       "and 'Frames: U usable, F free, I in use, R reserved'")
        total, kib, top = int(m[0].group(1)), int(m[0].group(2)), int(m[0].group(3), 16)
        if (total, kib, top) != (mem * MB // PAGE, mem * 1024, mem * MB):
            raise Fail("with %d MiB: expected %d frames (%d KiB) below 0x%x, meminfo says "
                       "%d frames (%d KiB) below 0x%x"
                       % (mem, mem * MB // PAGE, mem * 1024, mem * MB, total, kib, top))
        usable, free, used, reserved = (int(x) for x in f[0].groups())
        if usable + reserved != total or free + used != usable:
            raise Fail("meminfo's counts do not add up: %d usable + %d reserved != %d, or "
                       "%d free + %d in use != %d usable"
                       % (usable, reserved, total, free, used, usable))
        least, most = usable_bounds(out, mem)
        if not least <= usable <= most:
            raise Fail("%d usable frames with %d MiB of RAM: expected between %d and %d "
                       "(RAM above 1 MiB, less the kernel image and bookkeeping)"
                       % (usable, mem, least, most))
        if not 4 <= used <= 64:
            raise Fail("%d frames in use at the monitor prompt: expected the kernel's own "
                       "page tables (at least 4) and little else" % used)
    return check


g.test("meminfo 128 MiB: agrees with 128 MiB of guest memory", 5, mem=128,
       inputs=["meminfo", "poweroff"], check=check_meminfo(128), exercise="the frame allocator")
g.test("meminfo 1 GiB: agrees with 1 GiB of guest memory", 5, mem=1024,
       inputs=["meminfo", "poweroff"], check=check_meminfo(1024), exercise="the frame allocator")

# ---------------------------------------------------------------------------------------
# Permissions are enforced: each access faults, is reported in one line, and panics.
FAULT_RE = re.compile(r"^kernel fault: page fault at 0x([0-9a-f]+) \(([^)]*), error 0x([0-9a-f]+)\), "
                      r"rip 0x([0-9a-f]+)$")
PF_WORDS = {0x0: "read, page not present, kernel mode",
            0x1: "read, protection violation, kernel mode",
            0x3: "write, protection violation, kernel mode",
            0x11: "instruction fetch, protection violation, kernel mode"}


def fault_check(err, where):
    """A check that the one page fault reported has error code err and passes where(out,
    addr, rip), which raises Fail."""
    def check(out):
        faults = [FAULT_RE.match(l) for l in out.lines if l.startswith("kernel fault:")]
        if not faults or not faults[0]:
            raise Fail("no 'kernel fault: page fault at 0x... (...), rip 0x...' line")
        m = faults[0]
        addr, words, code, rip = (int(m.group(1), 16), m.group(2), int(m.group(3), 16),
                                  int(m.group(4), 16))
        if code != err:
            raise Fail("error code 0x%x, expected 0x%x (%s)" % (code, err, PF_WORDS[err]))
        if words != PF_WORDS[err]:
            raise Fail("error 0x%x should read '%s', not '%s'" % (err, PF_WORDS[err], words))
        where(out, addr, rip)
    return check


def in_function(name):
    def where(out, addr, rip):
        start, size = elf_functions(out.ctx["kernel"])[name]
        if addr != start:
            raise Fail("the fault address should be %s's first byte 0x%x, not 0x%x"
                       % (name, start, addr))
        if not start <= rip < start + size:
            raise Fail("rip 0x%x is not in %s (0x%x-0x%x)" % (rip, name, start, start + size))
    return where


def in_section(section, function=None):
    def where(out, addr, rip):
        start, size = elf_sections(out.ctx["kernel"])[section]
        if not start <= addr < start + size:
            raise Fail("the fault address 0x%x is not in %s (0x%x-0x%x)"
                       % (addr, section, start, start + size))
        if function:
            fstart, fsize = elf_functions(out.ctx["kernel"])[function]
            if not fstart <= rip < fstart + fsize:
                raise Fail("rip 0x%x is not in %s" % (rip, function))
        elif rip != addr:
            raise Fail("an instruction fetch fault should have rip == the fault address")
    return where


def in_directmap(mem):
    def where(out, addr, rip):
        if not DIRECTMAP <= addr < DIRECTMAP + mem * MB or rip != addr:
            raise Fail("expected an instruction fetch inside the direct map "
                       "(0x%x-0x%x) with rip == address; got 0x%x, rip 0x%x"
                       % (DIRECTMAP, DIRECTMAP + mem * MB, addr, rip))
    return where


def in_guard(out, addr, rip):
    stack = elf_sections(out.ctx["kernel"])[".bootstack"][0]
    if not stack - PAGE <= addr < stack:
        raise Fail("the fault address 0x%x is not in the guard page below the boot stack "
                   "(0x%x-0x%x)" % (addr, stack - PAGE, stack))


def at_utext(execute):
    def where(out, addr, rip):
        if addr != UTEXT or (execute and rip != UTEXT):
            raise Fail("expected the fault at the user page 0x%x%s; got 0x%x, rip 0x%x"
                       % (UTEXT, " with rip there" if execute else "", addr, rip))
    return where


NOT_FAULTED = [r"did not fault"]
PANIC_AFTER = [r"^kernel fault: page fault at ", r"^kernel panic at kern/trap/", r"^Stack backtrace:"]

for name, points, test, err, where in [
        ("pf-write-text: writing kernel text page-faults (W^X, CR0.WP)", 3, "pf-write-text", 0x3,
         in_function("mmtest_write_text")),
        ("pf-write-rodata: writing kernel rodata page-faults", 3, "pf-write-rodata", 0x3,
         in_section(".rodata", "mmtest_write_rodata")),
        ("pf-exec-data: executing kernel data page-faults (NX)", 3, "pf-exec-data", 0x11, in_section(".data")),
        ("pf-exec-directmap: executing the direct map page-faults (NX)", 3, "pf-exec-directmap", 0x11,
         in_directmap(128)),
        ("pf-read-guard: reading the boot stack's guard page page-faults", 3, "pf-read-guard", 0x0, in_guard),
        ("pf-user-read: the kernel reading a user page faults (SMAP)", 2, "pf-user-read", 0x1, at_utext(False)),
        ("pf-user-exec: the kernel executing a user page faults (SMEP)", 2, "pf-user-exec", 0x11,
         at_utext(True))]:
    g.test(name, points, cmdline="test=" + test, mem=128, expect_panic=True, expect=PANIC_AFTER,
           forbid=NOT_FAULTED, check=fault_check(err, where), exercise="the kernel address space")


# ---------------------------------------------------------------------------------------
# Allocator misuse panics, naming the frame; running out of memory does not.
def panic_names_frame(announce):
    def check(out):
        m = out.grep(announce)
        if not m:
            raise Fail("the self-test did not say which frame it used")
        pa = int(m[0].group(1), 16)
        panics = [l for l in out.lines if l.startswith("kernel panic at ")]
        if not panics:
            raise Fail("no kernel panic")
        if not re.search(r"0x0*%x\b" % pa, panics[0]):
            raise Fail("the panic should name frame 0x%x: %s" % (pa, panics[0]))
    return check


g.test("double free: freeing a frame twice panics naming the frame", 2, cmdline="test=double-free",
       expect_panic=True, expect=[r"^mmtest: freeing frame 0x[0-9a-f]+ twice$", r"^kernel panic at "],
       forbid=[r"did not panic"],
       check=panic_names_frame(r"^mmtest: freeing frame 0x([0-9a-f]+) twice$"),
       exercise="the frame allocator")
g.test("free referenced: freeing a frame still referenced panics naming the frame", 2, cmdline="test=free-referenced",
       expect_panic=True, expect=[r"^mmtest: freeing frame 0x[0-9a-f]+ while", r"^kernel panic at "],
       forbid=[r"did not panic"],
       check=panic_names_frame(r"^mmtest: freeing frame 0x([0-9a-f]+) while"),
       exercise="the frame allocator")


def check_poison(out):
    m = out.grep(r"^mmtest: frame 0x([0-9a-f]+) holds 0x([0-9a-f]{16}) after page_free$")
    if not m:
        raise Fail("the self-test did not print what the freed frame holds")
    if int(m[0].group(2), 16) != PAGE_POISON:
        raise Fail("a freed frame should be filled with the poison pattern %016x; it holds %s"
                   % (PAGE_POISON, m[0].group(2)))
    panic_names_frame(r"^mmtest: frame 0x([0-9a-f]+) holds")(out)


g.test("poison: freed frames are poisoned and a write after free is caught", 2,
       cmdline="test=use-after-free poison=1", expect_panic=True,
       expect=[r"^mmtest: wrote to frame", r"^kernel panic at .*written after it was freed"],
       forbid=[r"did not notice"], check=check_poison, exercise="the frame allocator")

OOM_FREE_RE = r"^oom: (\d+) frames free$"
OOM_NULL_RE = r"^oom: page_alloc returned NULL after (\d+) frames; (\d+) free$"
OOM_BACK_RE = r"^oom: freed everything: (\d+) frames free, (\d+) before$"


def check_oom(out):
    before = int(out.grep(OOM_FREE_RE)[0].group(1))
    m = out.grep(OOM_NULL_RE)[0]
    taken, left = int(m.group(1)), int(m.group(2))
    back = out.grep(OOM_BACK_RE)[0]
    if left != 0 or taken != before:
        raise Fail("page_alloc gave %d frames of %d free, then said %d are left"
                   % (taken, before, left))
    least, most = usable_bounds(out, 128)
    if not least - 64 <= taken <= most:
        raise Fail("with 128 MiB, %d frames could be allocated; expected between %d and %d"
                   % (taken, least - 64, most))
    if int(back.group(1)) != before:
        raise Fail("after freeing everything, %s frames are free; %d were before"
                   % (back.group(1), before))


g.test("out of memory: allocators return NULL, and every frame comes back", 5,
       cmdline="test=oom", mem=128,
       expect=[OOM_FREE_RE, OOM_NULL_RE, r"^oom: kmalloc\(64\) returned NULL",
               r"^oom: kmalloc\(4096\) returned NULL$", r"^oom: vm_create\(\) returned NULL$",
               r"^oom: kstack_alloc\(\) returned NULL$", OOM_BACK_RE],
       check=check_oom, exercise="the frame allocator")

# ---------------------------------------------------------------------------------------
# The exercises build on one another at boot: check_page_alloc() needs the frame allocator,
# check_vm() the walker too, check_kas() all but itself, and the monitor (where every other
# test runs) is reached only once all four pass. So each test needs the exercises that run
# before its own check and, past the three boot checks, every exercise.
ORDER = [e.name for e in g.exercises]
BOOT_CHECKS = {"check_page_alloc": 0, "check_vm": 2, "check_kas": 3}
for t in g.tests:
    upto = BOOT_CHECKS.get(t.short, len(ORDER))
    t.needs = tuple(e for e in ORDER[:upto] if e != t.exercise)

if __name__ == "__main__":
    sys.exit(g.main())
