/*
 * Building a program image in an address space: load an ELF executable's segments and the
 * System V initial stack (argc, argv, envp, auxiliary vector).
 */
#ifndef SPARROW_KERN_PROC_EXEC_H
#define SPARROW_KERN_PROC_EXEC_H

#include <types.h>

#define ARG_MAX  (128 * 1024) /* bytes of argument and environment strings */
#define MAX_ARGS 1024         /* argv + envp entries */

/* Where a loaded program starts. */
struct exec_result {
	uintptr_t entry; /* first instruction */
	uintptr_t rsp;   /* initial stack pointer: points at argc, 16-byte aligned */
};

/* Where execve puts the stack, the mmap area and the heap: inc/memlayout.h's fixed layout,
 * or (lab 7) one moved at random. */
struct layout {
	uintptr_t stack_top; /* the stack region is [stack_top - USTACK_SIZE, stack_top) */
	uintptr_t mmap_top;  /* mmap places regions downwards from here */
	uintptr_t heap_gap;  /* bytes between the page after the last segment and the heap */
};

struct mm;
struct proc;

/*
 * Load the ELF image img[0..size) into mm, an empty address space: a region for each
 * segment, with its pages and bytes, a region for the stack with argv and envp
 * (NULL-terminated arrays of kernel strings) on it, and the heap's start after the last
 * segment. Returns 0, or a negative errno (-ENOEXEC with *why saying what is wrong with
 * the image, -E2BIG, -ENOMEM). On failure mm may hold part of the image: the caller
 * destroys it.
 */
int exec_load(struct mm *mm, const void *img, size_t size, char *const argv[], char *const envp[],
              struct exec_result *res, const char **why);

/*
 * Make mm, loaded by exec_load, p's address space (switching CR3 if p is running), and
 * start p's user registers afresh at the program's entry: everything zero but rip, rsp,
 * the user segments and flags (interrupts on), no %fs base, a clean FPU (lab 4). The
 * process is named after the path's last component. Returns the old address space, for
 * the caller to destroy (NULL if p had none).
 */
struct mm *exec_commit(struct proc *p, struct mm *mm, const struct exec_result *res,
                       const char *path);

#endif
