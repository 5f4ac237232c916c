/*
 * ELF64 file structures: used by the kernel's symbol lookup (lab 1) and the program
 * loader (lab 3), and by the host-side tools.
 */
#ifndef SPARROW_INC_ELF_H
#define SPARROW_INC_ELF_H

#include <types.h>

#define ELF_MAGIC 0x464C457FU /* "\x7FELF" read as a little-endian word */

struct elf64_ehdr {
	uint32_t e_magic;
	uint8_t e_class; /* 2 = 64-bit */
	uint8_t e_data;  /* 1 = little endian */
	uint8_t e_version;
	uint8_t e_osabi;
	uint8_t e_pad[8];
	uint16_t e_type;    /* 2 = executable */
	uint16_t e_machine; /* 62 = x86-64 */
	uint32_t e_version2;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

#define ELFCLASS64  2
#define ELFDATA2LSB 1
#define ET_EXEC     2
#define ET_DYN      3
#define EM_X86_64   62

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

#define PT_LOAD      1
#define PT_INTERP    3
#define PT_PHDR      6
#define PT_GNU_STACK 0x6474e551
#define PF_X         1
#define PF_W         2
#define PF_R         4

struct elf64_shdr {
	uint32_t sh_name;
	uint32_t sh_type;
	uint64_t sh_flags;
	uint64_t sh_addr;
	uint64_t sh_offset;
	uint64_t sh_size;
	uint32_t sh_link;
	uint32_t sh_info;
	uint64_t sh_addralign;
	uint64_t sh_entsize;
};

#define SHT_SYMTAB 2
#define SHT_STRTAB 3

struct elf64_sym {
	uint32_t st_name;
	uint8_t st_info;
	uint8_t st_other;
	uint16_t st_shndx;
	uint64_t st_value;
	uint64_t st_size;
};

#define ELF64_ST_TYPE(info) ((info)&0xf)
#define STT_FUNC            2

#endif
