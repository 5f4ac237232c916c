# Checkpoint 2: memory. The physical page allocator, the page-table walker, the kernel's
# own address space (W^X, NX, SMEP, SMAP, guard pages), the kernel heap, the memory
# self-checks and monitor commands, and the processor-exception path that reports faults.

KERN_SRCS += \
	kern/init/lab2.c \
	kern/trap/vectors.S \
	kern/trap/idt.c \
	kern/trap/trap.c \
	kern/mm/page.c \
	kern/mm/vm.c \
	kern/mm/kas.c \
	kern/mm/kstack.c \
	kern/mm/kmalloc.c \
	kern/mm/check.c \
	kern/mm/mmtest.c \
	kern/monitor/mon_mm.c \
	kern/monitor/memview.c

# Lab 2's boots poison freed frames and heap objects, to catch a use after free in the
# allocators being written (kern/mm/page.h); lab 3 turns it off again.
LAB_CMDLINE += poison=1

# The lab plan (tools/labplan.py): the other files this lab introduces.
LAB_FILES += kern/mm/check.h kern/mm/kas.h kern/mm/kmalloc.h kern/mm/mmtest.h kern/monitor/mon_mm.h \
	kern/monitor/memview.h \
	kern/mm/page.h kern/mm/vm.h kern/trap/trap.h kern/trap/trapasm.inc inc/errno.h \
	grade/lab2.py docs/lab2.md tests/host/run_mm.sh tests/host/test_kmalloc.c \
	tools/bench.py tools/bench-boot.py tools/kprof/ docs/bench.md tools/ppm2png.py tools/screenshot.py \
	docs/images/memview-lab2.png
