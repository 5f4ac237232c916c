/*
 * The ELF64 loader's front half: checking that an image is a static x86-64 executable
 * whose segments fit the user address space, before anything is mapped.
 */
#ifndef SPARROW_KERN_PROC_ELF_H
#define SPARROW_KERN_PROC_ELF_H

#include <types.h>
#include <elf.h>

/* What the loader needs of a checked image. */
struct elf_info {
	const struct elf64_ehdr *eh;
	const struct elf64_phdr *ph; /* the program headers, inside the image */
	int phnum;
	uint64_t entry;
	uintptr_t phdr_va; /* where the program headers are in memory (AT_PHDR), or 0 */
	uintptr_t end;     /* first address above every segment: the heap starts here */
};

/* Check img[0..size). Returns 0 and fills *info, or -ENOEXEC with *why set to a short
 * reason a person can read ("bad magic number", "segment outside user memory", ...). */
int elf_check(const void *img, size_t size, uintptr_t user_lo, uintptr_t user_hi,
              struct elf_info *info, const char **why);

#endif
