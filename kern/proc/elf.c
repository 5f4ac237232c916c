/*
 * ELF64 image checks. Every number in the headers comes from a file a student (or an
 * attacker) wrote, so each offset and size is checked against the file and the user address
 * range, with overflow in mind, before the loader trusts it. Pure code: also unit-tested on
 * the host (tests/host/test_loader.c).
 */
#include <errno.h>
#include "proc/elf.h"

#define MAX_PHNUM 64

/* a + b <= limit, without overflow. */
static bool fits(uint64_t a, uint64_t b, uint64_t limit)
{
	return a <= limit && b <= limit - a;
}

static int refuse(const char **why, const char *reason)
{
	*why = reason;
	return -ENOEXEC;
}

/* The header checks: is this a static x86-64 executable whose program headers are inside
 * the file? */
static int check_header(const struct elf64_ehdr *eh, size_t size, const char **why)
{
	if (size < sizeof(*eh))
		return refuse(why, "file too short for an ELF header");
	// LAB 3: Check the ELF header: the magic number (ELF_MAGIC), 64-bit class, little
	// endian, an executable (ET_EXEC) for x86-64 (EM_X86_64), program headers of the
	// right size (sizeof(struct elf64_phdr)), at most MAX_PHNUM of them and all inside the
	// file and 8-byte aligned. Refuse with a short reason for each.
	//= BEGIN LAB 3
	if (eh->e_magic != ELF_MAGIC)
		return refuse(why, "bad magic number");
	if (eh->e_class != ELFCLASS64 || eh->e_data != ELFDATA2LSB)
		return refuse(why, "not a 64-bit little-endian ELF file");
	if (eh->e_machine != EM_X86_64)
		return refuse(why, "not an x86-64 program");
	if (eh->e_type != ET_EXEC)
		return refuse(why, "not a static executable (ELF type is not EXEC)");
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return refuse(why, "wrong program header size");
	if (eh->e_phnum == 0 || eh->e_phnum > MAX_PHNUM)
		return refuse(why, "bad number of program headers");
	if (!fits(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(struct elf64_phdr), size))
		return refuse(why, "program headers outside the file");
	if (eh->e_phoff % 8 != 0)
		return refuse(why, "misaligned program headers");
	return 0;
	//= STUB
	//= (void)eh;
	//= (void)size;
	//= (void)fits;
	//= return refuse(why, "LAB 3: ELF header checks not implemented (kern/proc/elf.c)");
	//= END
}

/* The segment checks: each PT_LOAD inside the file and inside [lo, hi). */
static int check_segment(const struct elf64_phdr *ph, size_t size, uintptr_t lo, uintptr_t hi,
                         const char **why)
{
	// LAB 3: Check one PT_LOAD segment: filesz <= memsz, the file data [offset,
	// offset + filesz) inside the file, and the memory [vaddr, vaddr + memsz) inside the
	// user range [lo, hi) -- all without integer overflow (use fits()).
	//= BEGIN LAB 3
	if (ph->p_filesz > ph->p_memsz)
		return refuse(why, "segment's file size is larger than its memory size");
	if (!fits(ph->p_offset, ph->p_filesz, size))
		return refuse(why, "segment data outside the file");
	if (ph->p_vaddr < lo || !fits(ph->p_vaddr, ph->p_memsz, hi))
		return refuse(why, "segment outside user memory");
	return 0;
	//= STUB
	//= (void)ph;
	//= (void)size;
	//= (void)lo;
	//= (void)hi;
	//= return refuse(why, "LAB 3: ELF segment checks not implemented (kern/proc/elf.c)");
	//= END
}

int elf_check(const void *img, size_t size, uintptr_t user_lo, uintptr_t user_hi,
              struct elf_info *info, const char **why)
{
	const struct elf64_ehdr *eh = img;
	int r = check_header(eh, size, why);
	if (r < 0)
		return r;

	const struct elf64_phdr *ph = (const void *)((const char *)img + eh->e_phoff);
	int nload = 0;
	info->eh = eh;
	info->ph = ph;
	info->phnum = eh->e_phnum;
	info->entry = eh->e_entry;
	info->phdr_va = 0;
	info->end = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type == PT_INTERP)
			return refuse(why, "dynamically linked (needs an interpreter)");
		if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
			continue;
		r = check_segment(&ph[i], size, user_lo, user_hi, why);
		if (r < 0)
			return r;
		nload++;
		if (ph[i].p_vaddr + ph[i].p_memsz > info->end)
			info->end = ph[i].p_vaddr + ph[i].p_memsz;
		/* The program headers are in memory if a segment loads that part of the file. */
		if (eh->e_phoff >= ph[i].p_offset && eh->e_phoff - ph[i].p_offset < ph[i].p_filesz)
			info->phdr_va = ph[i].p_vaddr + (eh->e_phoff - ph[i].p_offset);
	}
	if (nload == 0)
		return refuse(why, "no loadable segments");
	if (info->entry < user_lo || info->entry >= user_hi)
		return refuse(why, "entry point outside user memory");
	return 0;
}
