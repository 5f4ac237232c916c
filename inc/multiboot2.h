/*
 * Multiboot2 boot-information structures (the tags GRUB hands the kernel), as laid out by
 * the Multiboot2 specification and GRUB's implementation of it.
 */
#ifndef SPARROW_INC_MULTIBOOT2_H
#define SPARROW_INC_MULTIBOOT2_H

#include <types.h>

#define MB2_BOOTLOADER_MAGIC 0x36D76289

/* Tag types in the boot information. */
#define MB2_TAG_END           0
#define MB2_TAG_CMDLINE       1
#define MB2_TAG_LOADER_NAME   2
#define MB2_TAG_MODULE        3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_MMAP          6
#define MB2_TAG_ELF_SECTIONS  9

/* Memory map entry types. */
#define MB2_MEM_AVAILABLE        1
#define MB2_MEM_RESERVED         2
#define MB2_MEM_ACPI_RECLAIMABLE 3
#define MB2_MEM_NVS              4
#define MB2_MEM_BADRAM           5

/* The information block starts with its total size; tags follow, each 8-byte aligned. */
struct mb2_info {
	uint32_t total_size;
	uint32_t reserved;
};

struct mb2_tag {
	uint32_t type;
	uint32_t size; /* of this tag, header included, without padding */
};

struct mb2_tag_string { /* CMDLINE, LOADER_NAME */
	uint32_t type;
	uint32_t size;
	char string[];
};

struct mb2_tag_module {
	uint32_t type;
	uint32_t size;
	uint32_t mod_start; /* physical address of the first byte */
	uint32_t mod_end;   /* physical address one past the last byte */
	char cmdline[];
};

struct mb2_mmap_entry {
	uint64_t base_addr;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
};

struct mb2_tag_mmap {
	uint32_t type;
	uint32_t size;
	uint32_t entry_size; /* may grow in later versions: step by this, not sizeof */
	uint32_t entry_version;
	struct mb2_mmap_entry entries[];
};

/* GRUB lays the counts out as 32-bit fields (the spec's text says 16; GRUB wins). */
struct mb2_tag_elf_sections {
	uint32_t type;
	uint32_t size;
	uint32_t num;     /* number of section headers */
	uint32_t entsize; /* bytes per section header */
	uint32_t shndx;   /* index of the section-name string table */
	uint8_t sections[];
};

#endif
