/*
 * Reading the multiboot2 boot information GRUB leaves in memory: a size header followed by
 * 8-byte-aligned tags (command line, memory map, ELF section headers, modules, ...).
 */
#include <string.h>
#include <memlayout.h>
#include <elf.h>
#include "boot/multiboot.h"
#include "core/printk.h"

#define MAX_MODULES 16

static physaddr_t info_pa;
static uint32_t info_size;
static const char *cmdline;
static const char *loader_name;
static const struct mb2_tag_mmap *mmap_tag;
static const struct mb2_tag_elf_sections *elf_tag;
static const struct mb2_tag_module *modules[MAX_MODULES];
static int nmodules;

/* Check that a tag of this type is at least `min` bytes; say what is wrong if not. */
static bool tag_ok(const struct mb2_tag *tag, uint32_t min, const char *what)
{
	if (tag->size < min) {
		printk("multiboot: %s tag is %u bytes, shorter than %u; ignoring it\n", what,
		       tag->size, min);
		return false;
	}
	return true;
}

static void record_tag(const struct mb2_tag *tag)
{
	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		if (tag_ok(tag, sizeof(struct mb2_tag_string), "command line"))
			cmdline = ((const struct mb2_tag_string *)tag)->string;
		break;
	case MB2_TAG_LOADER_NAME:
		if (tag_ok(tag, sizeof(struct mb2_tag_string), "boot loader name"))
			loader_name = ((const struct mb2_tag_string *)tag)->string;
		break;
	case MB2_TAG_MMAP:
		if (tag_ok(tag, sizeof(struct mb2_tag_mmap), "memory map")) {
			const struct mb2_tag_mmap *m = (const void *)tag;
			if (m->entry_size < sizeof(struct mb2_mmap_entry))
				printk("multiboot: memory map entries are %u bytes, too small; "
				       "ignoring the map\n",
				       m->entry_size);
			else
				mmap_tag = m;
		}
		break;
	case MB2_TAG_ELF_SECTIONS:
		if (tag_ok(tag, sizeof(struct mb2_tag_elf_sections), "ELF sections"))
			elf_tag = (const void *)tag;
		break;
	case MB2_TAG_MODULE:
		if (!tag_ok(tag, sizeof(struct mb2_tag_module), "module"))
			break;
		if (nmodules == MAX_MODULES)
			printk("multiboot: more than %d modules; ignoring the rest\n", MAX_MODULES);
		else
			modules[nmodules++] = (const void *)tag;
		break;
	}
}

int mb_init(uint32_t magic, physaddr_t pa)
{
	if (magic != MB2_BOOTLOADER_MAGIC) {
		printk("multiboot: bad magic %#x (want %#x): not booted by a multiboot2 loader\n",
		       magic, MB2_BOOTLOADER_MAGIC);
		return -1;
	}
	if (pa == 0 || pa % 8 != 0 || pa >= BOOT_MAPPED) {
		printk("multiboot: boot information at %#lx is not usable\n", pa);
		return -1;
	}
	const struct mb2_info *info = P2V(pa);
	if (info->total_size < sizeof(*info) + sizeof(struct mb2_tag) ||
	    pa + info->total_size > BOOT_MAPPED) {
		printk("multiboot: boot information size %u is not plausible\n", info->total_size);
		return -1;
	}
	info_pa = pa;
	info_size = info->total_size;

	const uint8_t *p = (const uint8_t *)(info + 1);
	const uint8_t *end = (const uint8_t *)info + info->total_size;
	bool ended = false;
	while (p + sizeof(struct mb2_tag) <= end) {
		const struct mb2_tag *tag = (const void *)p;
		if (tag->type == MB2_TAG_END) {
			ended = true;
			break;
		}
		if (tag->size < sizeof(struct mb2_tag) || p + tag->size > end) {
			printk("multiboot: tag type %u has bad size %u; ignoring the rest\n",
			       tag->type, tag->size);
			break;
		}
		record_tag(tag);
		p += ROUNDUP(tag->size, 8);
	}
	if (!ended)
		printk("multiboot: boot information has no end tag\n");
	if (!mmap_tag)
		printk("multiboot: no memory map from the boot loader\n");
	if (!elf_tag)
		printk("multiboot: no ELF section headers: backtraces will lack names\n");
	return 0;
}

const char *mb_cmdline(void)
{
	return cmdline;
}

int mb_section_count(void)
{
	if (!elf_tag || elf_tag->entsize < sizeof(struct elf64_shdr))
		return 0;
	return (int)elf_tag->num;
}

const struct elf64_shdr *mb_section(int i)
{
	if (i < 0 || i >= mb_section_count())
		return NULL;
	return (const void *)(elf_tag->sections + (size_t)i * elf_tag->entsize);
}

int mb_module_count(void)
{
	return nmodules;
}

const struct mb2_tag_module *mb_module(int i)
{
	return i >= 0 && i < nmodules ? modules[i] : NULL;
}

physaddr_t mb_info_start(void)
{
	return info_pa;
}

physaddr_t mb_info_end(void)
{
	return info_pa + info_size;
}

int mb_mmap_regions(struct mem_region *out, int max)
{
	if (!mmap_tag)
		return 0;
	// LAB 1: Walk the entries of the memory-map tag (mmap_tag) and copy each entry's base,
	// length and type into out[] (at most `max` of them). Step from one entry to the next
	// by mmap_tag->entry_size, not by sizeof: later versions of the format may grow entries.
	// Return the number of entries in the map (even if that is more than max).
	//= BEGIN LAB 1
	const uint8_t *p = (const uint8_t *)mmap_tag->entries;
	const uint8_t *end = (const uint8_t *)mmap_tag + mmap_tag->size;
	int n = 0;
	for (; p + mmap_tag->entry_size <= end; p += mmap_tag->entry_size, n++) {
		const struct mb2_mmap_entry *e = (const void *)p;
		if (n < max) {
			out[n].base = e->base_addr;
			out[n].length = e->length;
			out[n].type = e->type;
		}
	}
	return n;
	//= STUB
	//= (void)out;
	//= (void)max;
	//= printk("LAB 1: mb_mmap_regions() is not implemented (kern/boot/multiboot.c)\n");
	//= return 0;
	//= END
}

const char *mb_mem_type_name(uint32_t type)
{
	switch (type) {
	case MB2_MEM_AVAILABLE:
		return "usable";
	case MB2_MEM_ACPI_RECLAIMABLE:
		return "ACPI data";
	case MB2_MEM_NVS:
		return "ACPI NVS";
	case MB2_MEM_BADRAM:
		return "bad RAM";
	default:
		return "reserved";
	}
}

void mb_print_mmap(void)
{
	struct mem_region r[MAX_MEM_REGIONS];
	int n = mb_mmap_regions(r, MAX_MEM_REGIONS);
	uint64_t usable = 0;
	int nusable = 0;

	printk("Memory map from %s (%d regions):\n", loader_name ? loader_name : "the boot loader",
	       n);
	for (int i = 0; i < n && i < MAX_MEM_REGIONS; i++) {
		printk("  [mem 0x%016lx-0x%016lx] %s\n", r[i].base, r[i].base + r[i].length - 1,
		       mb_mem_type_name(r[i].type));
		if (r[i].type == MB2_MEM_AVAILABLE) {
			usable += r[i].length;
			nusable++;
		}
	}
	printk("Usable memory: %lu KiB (%lu MiB) in %d regions\n", usable / 1024,
	       usable / (1024 * 1024), nusable);
}
