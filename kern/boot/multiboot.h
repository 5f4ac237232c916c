/*
 * What the kernel learned from GRUB: the multiboot2 boot information, checked once at boot
 * and then handed out tag by tag.
 */
#ifndef SPARROW_KERN_BOOT_MULTIBOOT_H
#define SPARROW_KERN_BOOT_MULTIBOOT_H

#include <types.h>
#include <multiboot2.h>
#include <elf.h>

/* One physical memory region from the memory map. */
struct mem_region {
	physaddr_t base;
	uint64_t length;
	uint32_t type; /* MB2_MEM_* */
};

#define MAX_MEM_REGIONS 64

/* Check the boot information and remember where each tag is. Returns 0, or -1 with the
 * reason printed when the information is missing or malformed. */
int mb_init(uint32_t magic, physaddr_t info_pa);

const char *mb_cmdline(void);
/* The kernel's ELF section headers GRUB loaded: how many, and header i (NULL if i is out of
 * range). Sections the kernel image does not map (the symbol and string tables) carry the
 * physical address GRUB put them at. */
int mb_section_count(void);
const struct elf64_shdr *mb_section(int i);
int mb_module_count(void);
const struct mb2_tag_module *mb_module(int i);
physaddr_t mb_info_start(void);
physaddr_t mb_info_end(void);

/* Copy up to max regions of the memory map into out[]; returns how many there are. */
int mb_mmap_regions(struct mem_region *out, int max);
const char *mb_mem_type_name(uint32_t type);
void mb_print_mmap(void);

#endif
