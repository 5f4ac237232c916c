/*
 * Debugging aids: stack backtraces by frame pointer, and kernel symbol lookup from the ELF
 * symbol table GRUB loads with the kernel.
 */
#ifndef SPARROW_KERN_DEBUG_DEBUG_H
#define SPARROW_KERN_DEBUG_DEBUG_H

#include <types.h>

/* Load the symbol table named by the multiboot2 ELF-sections tag. */
void ksym_init(void);
/* Name of the function containing addr, with *offset set to addr minus its start;
 * NULL if unknown. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);

/* One frame of a backtrace: the frame pointer and the return address saved in it. */
struct frame {
	uintptr_t rbp;
	uintptr_t rip;
};

/* Fill frames[] walking the saved-frame-pointer chain from rbp; returns the count. */
int backtrace_collect(uintptr_t rbp, struct frame *frames, int max);
void backtrace_print(uintptr_t rbp);

#endif
