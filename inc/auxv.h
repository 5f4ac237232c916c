/*
 * Auxiliary-vector entry types (System V ABI, Linux values): what the kernel tells a new
 * program about itself on its initial stack.
 */
#ifndef SPARROW_INC_AUXV_H
#define SPARROW_INC_AUXV_H

#define AT_NULL   0
#define AT_PHDR   3 /* address of the program headers in memory */
#define AT_PHENT  4 /* size of one program header */
#define AT_PHNUM  5 /* number of program headers */
#define AT_PAGESZ 6 /* page size */
#define AT_BASE   7 /* interpreter base (0: none) */
#define AT_ENTRY  9 /* the program's entry point */
#define AT_UID    11
#define AT_EUID   12
#define AT_GID    13
#define AT_EGID   14
#define AT_HWCAP  16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25 /* address of 16 random bytes */
#define AT_EXECFN 31 /* the path the program was started from */

#ifndef __ASSEMBLER__
unsigned long getauxval(unsigned long type);
#endif

#endif
