/*
 * The Sparrow virtual address space, drawn once. Every constant is defined beside the
 * line of the picture it names. Lab 2 builds the kernel half; labs 3-5 fill the user half.
 */
#ifndef SPARROW_INC_MEMLAYOUT_H
#define SPARROW_INC_MEMLAYOUT_H

/*
 * An x86-64 virtual address has 48 significant bits; bits 63..47 must all be equal
 * ("canonical"), which splits the 2^64 space into a lower half for user programs and an
 * upper half for the kernel, with a huge non-canonical hole between them.
 *
 *  Virtual address                                               Permissions (lab 2)
 *
 *  0xFFFFFFFF_FFFFFFFF +--------------------------------------+
 *                      |  (unmapped)                          |
 *                      +--------------------------------------+  __kernel_end
 *                      |  boot stack, KSTACK_SIZE             |  rw- kernel
 *                      +--------------------------------------+
 *                      |  boot stack guard page (unmapped)    |  __bootstack_guard
 *                      +--------------------------------------+
 *                      |  kernel .data and .bss               |  rw- kernel
 *                      |  kernel .rodata                      |  r-- kernel
 *                      |  kernel .text                        |  r-x kernel
 *                      +--------------------------------------+  __text_start
 *                      |  32-bit boot code alias (unmapped)   |
 *  KERNLINK ---------> +--------------------------------------+  0xFFFFFFFF_80100000
 *                      |  first MiB alias (unmapped)          |
 *  KERNBASE ---------> +--------------------------------------+  0xFFFFFFFF_80000000
 *                      |  kernel stacks: KSTACK_SLOT each,    |  rw- kernel
 *                      |  an unmapped guard page then         |
 *                      |  KSTACK_SIZE of stack                |
 *  KSTACKS ----------> +--------------------------------------+  0xFFFFFFFF_00000000
 *                      |  (unused)                            |
 *                      +--------------------------------------+
 *                      |  lab 5: execve's copied-in arguments |  rw- kernel
 *                      +--------------------------------------+  EXECBUF + EXECBUF_SIZE
 *                      |  lab 5: the file execve is loading,  |  r-- kernel
 *                      |  its pages mapped contiguously       |
 *  EXECBUF ----------> +--------------------------------------+  0xFFFFFFFE_00000000
 *                      |  (unused)                            |
 *  DIRECTMAP_END ----> +--------------------------------------+  0xFFFFC000_00000000
 *                      |  (unused up to the end of the window)|
 *                      +--------------------------------------+  DIRECTMAP + phys_top
 *                      |  direct map: all physical memory,    |  rw- kernel,
 *                      |  P2V(pa) = DIRECTMAP + pa            |  2 MiB pages
 *  DIRECTMAP --------> +--------------------------------------+  0xFFFF8000_00000000
 *  KERNEL_HALF           (the first kernel-half address)
 *                      |                                      |
 *                      |  non-canonical hole: any access      |
 *                      |  raises a general-protection fault   |
 *                      |                                      |
 *  USER_TOP ---------> +--------------------------------------+  0x00008000_00000000
 *                      |  one page no program may map (Linux  |
 *                      |  keeps it too: see USER_LIMIT)       |
 *  USER_LIMIT,         +--------------------------------------+  0x00007FFF_FFFFF000
 *  USTACK_TOP          |  user stack, grows down,             |  rw- user
 *                      |  at most USTACK_SIZE                 |
 *  USTACK_BOTTOM ----> +--------------------------------------+  0x00007FFF_FF7FF000
 *                      |  stack guard page (never mapped)     |
 *  USTACK_GUARD -----> +--------------------------------------+  0x00007FFF_FF7FE000
 *  MMAP_TOP              (mmap area starts here, grows down)
 *                      |  mmap area: anonymous and file       |  as requested
 *                      |  mappings, placed downwards          |
 *                      |               |                      |
 *                      |               v                      |
 *                      |                                      |
 *                      |               ^                      |
 *                      |               |                      |
 *                      |  heap (brk), grows up from the page  |  rw- user
 *                      |  after the last loaded segment       |
 *                      |  program data and bss                |  rw- user
 *                      |  program text and rodata             |  r-x / r-- user
 *  UTEXT ------------> +--------------------------------------+  0x00000000_00400000
 *                      |  free: MAP_FIXED may put regions here|
 *  UMIN -------------> +--------------------------------------+  0x00000000_00010000
 *                      |  never mapped, so NULL pointers fault|
 *  0x00000000_00000000 +--------------------------------------+
 *
 * The user half is a list of regions (kern/mm/uvm.h): the program's segments, the heap,
 * mmap's regions and the stack. Pages of a region are allocated when first touched.
 *
 * Lab 7 randomizes the layout at each execve (kern/proc/aslr.c) unless the kernel option
 * aslr=0 says not to: the picture above moves by whole pages, drawn at random,
 *   - the stack (its top, its guard page and MMAP_TOP with it) down by less than
 *     ASLR_STACK_RANGE;
 *   - the mmap area down by less than ASLR_MMAP_RANGE more, below the stack's guard page;
 *   - the heap up by less than ASLR_HEAP_RANGE, past the page after the last segment.
 * Labs 1 to 6 and aslr=0 use the fixed addresses drawn.
 *
 * At boot (kern/boot/entry.S) the first 4 GiB of physical memory are mapped three times:
 * at 0 (identity, needed while paging is switched on), at DIRECTMAP and, the first 1 GiB, at
 * KERNBASE. Lab 2 (kern/mm/kas.c) replaces those tables with the map above.
 */

/* ---- kernel half ------------------------------------------------------------------- */
#define KERNLINK 0xFFFFFFFF80100000 /* where the kernel image is linked (physical 1 MiB) */
#define KERNLOAD 0x100000           /* physical address GRUB loads the image at */
#define KERNBASE 0xFFFFFFFF80000000 /* virtual address of physical address 0 for the image */

#define KSTACKS      0xFFFFFFFF00000000     /* kernel stacks, up to KERNBASE */
#define EXECBUF      0xFFFFFFFE00000000     /* lab 5: the file execve is loading, mapped here */
#define EXECBUF_SIZE 0x4000000              /* so a program may be at most 64 MiB */
#define KSTACK_SIZE  (4 * PGSIZE)           /* one kernel stack: 16 KiB */
#define KSTACK_SLOT  (KSTACK_SIZE + PGSIZE) /* a stack and the guard page below it */

#define DIRECTMAP_END  0xFFFFC00000000000 /* end of the direct-map window */
#define DIRECTMAP      0xFFFF800000000000 /* all physical memory is mapped from here */
#define DIRECTMAP_SIZE 0x400000000000     /* 64 TiB: the most physical memory Sparrow maps */
#define KERNEL_HALF    0xFFFF800000000000 /* lowest kernel-half (upper canonical) address */

/* ---- user half --------------------------------------------------------------------- */
#define USER_TOP 0x0000800000000000 /* first address above the user half */
/* The first address no program may use: one page below USER_TOP, as on Linux, where a
 * system call made by the last instruction of the user half would return (sysret) to a
 * non-canonical address and fault in the kernel. */
#define USER_LIMIT    0x00007FFFFFFFF000
#define USTACK_TOP    USER_LIMIT                 /* top of the user stack */
#define USTACK_SIZE   0x800000                   /* the stack may grow to 8 MiB */
#define USTACK_BOTTOM (USTACK_TOP - USTACK_SIZE) /* lowest stack address */
#define USTACK_GUARD  (USTACK_BOTTOM - PGSIZE)   /* the unmapped guard page below the stack */
#define MMAP_TOP      USTACK_GUARD               /* mmap area: allocated downwards from here */
#define UTEXT         0x400000                   /* programs are linked from here */
#define UMIN          0x10000 /* nothing is mapped below 64 KiB, so NULL + offset faults */
/* Lab 7's layout randomization: each range is a power of two of bytes, moved by pages. */
#define ASLR_STACK_RANGE 0x40000000 /* the stack top moves down by up to 1 GiB */
#define ASLR_MMAP_RANGE  0x40000000 /* the mmap area by up to 1 GiB more */
#define ASLR_HEAP_RANGE  0x2000000  /* the heap's start moves up by up to 32 MiB (Linux's) */

/* ---- pages ------------------------------------------------------------------------- */
#define PGSIZE      4096        /* a page (and a physical frame): 4 KiB */
#define PGSHIFT     12          /* log2(PGSIZE) */
#define PGSIZE_2M   0x200000    /* a large page, mapped by a page-directory entry */
#define BOOT_MAPPED 0x100000000 /* bytes of physical memory the boot page tables map */

#ifndef __ASSEMBLER__
#include <types.h>

/* Physical address to its direct-map virtual address, and back. */
#define P2V(pa) ((void *)((uintptr_t)(pa) + DIRECTMAP))
#define V2P(va) ((physaddr_t)((uintptr_t)(va)-DIRECTMAP))
/* Kernel-image virtual address (linked above KERNBASE) to physical address. */
#define KV2P(va) ((physaddr_t)((uintptr_t)(va)-KERNBASE))
#endif

#endif
