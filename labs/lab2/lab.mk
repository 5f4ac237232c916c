# Checkpoint 2: memory. The physical page allocator, the page-table walker, the kernel's
# own address space (W^X, NX, SMEP, SMAP, guard pages), the kernel heap, the memory
# self-checks and monitor commands, and the processor-exception path that reports faults.

KERN_SRCS += \
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
	kern/monitor/mon_mm.c
