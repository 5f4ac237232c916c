/*
 * The Sparrow virtual address space, drawn once. Every constant is defined beside the
 * line of the picture it names. Lab 1 uses the kernel half; lab 2 fills in the rest.
 */
#ifndef SPARROW_INC_MEMLAYOUT_H
#define SPARROW_INC_MEMLAYOUT_H

/*
 *  Virtual address                                          What lives there
 *
 *  0xFFFFFFFF_FFFFFFFF  +------------------------------+
 *                       |  kernel image                |  text, rodata, data, bss
 *  KERNLINK ----------> +------------------------------+  0xFFFFFFFF_80100000
 *                       |  first MiB of physical memory|
 *  KERNBASE ----------> +------------------------------+  0xFFFFFFFF_80000000
 *                       |  (unused)                    |
 *  DIRECTMAP_END -----> +------------------------------+  DIRECTMAP + 64 TiB
 *                       |  direct map: all physical    |
 *                       |  memory, P2V(pa) = pa + base |
 *  DIRECTMAP ---------> +------------------------------+  0xFFFF8000_00000000
 *                       |  non-canonical hole          |
 *  USER_TOP ----------> +------------------------------+  0x00008000_00000000
 *                       |  (user half: see labs 3-5)   |
 *  0x00000000_00000000  +------------------------------+
 *
 * At boot (kern/boot/entry.S) the first 4 GiB of physical memory are mapped three times:
 * at 0 (identity, needed while paging is switched on), at DIRECTMAP and, the first 1 GiB, at
 * KERNBASE.
 */
#define KERNBASE       0xFFFFFFFF80000000 /* virtual address of physical address 0 for the image */
#define KERNLINK       0xFFFFFFFF80100000 /* where the kernel image is linked (physical 1 MiB) */
#define KERNLOAD       0x100000           /* physical address GRUB loads the image at */
#define DIRECTMAP      0xFFFF800000000000 /* all physical memory is mapped from here */
#define DIRECTMAP_SIZE 0x400000000000     /* 64 TiB */
#define USER_TOP       0x0000800000000000 /* first address above the user half */

#define PGSIZE      4096
#define PGSHIFT     12
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
