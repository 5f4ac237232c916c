/*
 * Building a program image in an address space: load an ELF executable's segments and the
 * System V initial stack (argc, argv, envp, auxiliary vector).
 */
#ifndef SPARROW_KERN_PROC_EXEC_H
#define SPARROW_KERN_PROC_EXEC_H

#include <types.h>
#include "mm/vm.h"

#define ARG_MAX  (128 * 1024) /* bytes of argument and environment strings */
#define MAX_ARGS 1024         /* argv + envp entries */

/* Where a loaded program starts. */
struct exec_result {
	uintptr_t entry; /* first instruction */
	uintptr_t rsp;   /* initial stack pointer: points at argc, 16-byte aligned */
	uintptr_t brk;   /* the heap starts here: the page after the last segment */
};

/*
 * Load the ELF image img[0..size) into the empty user half of pml4 and build the initial
 * stack with argv and envp (NULL-terminated arrays of kernel strings). Returns 0, or a
 * negative errno (-ENOEXEC with *why saying what is wrong with the image, -E2BIG, -ENOMEM).
 * On failure pml4 may hold part of the image: the caller destroys it.
 */
int exec_load(pte_t *pml4, const void *img, size_t size, char *const argv[], char *const envp[],
              struct exec_result *res, const char **why);

#endif
