/*
 * Kernel entry. GRUB (multiboot2) jumps to _start in 32-bit protected mode with paging off;
 * this file checks the hand-off, builds the boot page tables, switches to 64-bit long mode,
 * jumps to the higher half and calls kmain(magic, multiboot_info_pa).
 */
#include <memlayout.h>

#define MB2_MAGIC	 0xE85250D6 /* in our header: "this is a multiboot2 kernel" */
#define MB2_BOOT_MAGIC	 0x36D76289 /* in %eax at entry: "GRUB booted you" */
#define MB2_ARCH_I386	 0
#define COM1		 0x3F8

/* ------------------------------------------------------------------------------------
 * Multiboot2 header: must sit 8-byte aligned in the first 32 KiB of the file.
 */
	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* Entry address tag (type 3): the physical address of _start, since the ELF entry
	 * point is a 64-bit higher-half address GRUB cannot jump to. */
	.balign 8
	.word 3, 0
	.long 12
	.long _start
	/* End tag. */
	.balign 8
	.word 0, 0
	.long 8
mb2_header_end:

/* ------------------------------------------------------------------------------------
 * 32-bit code, linked at its physical address (it runs before paging is on).
 */
	.section .boot.text, "ax"
	.code32
	.globl _start
_start:
	cli
	cld
	movl $boot32_stack_top, %esp
	movl %eax, %edi			/* keep GRUB's magic and info pointer for kmain */
	movl %ebx, %esi

	cmpl $MB2_BOOT_MAGIC, %eax
	jne no_multiboot

	/* Long mode is CPUID leaf 0x80000001, EDX bit 29. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb no_long_mode
	movl $0x80000001, %eax
	cpuid
	btl $29, %edx
	jnc no_long_mode

	call build_boot_page_tables

	movl %cr4, %eax			/* PAE is required for long mode */
	orl $(1 << 5), %eax
	movl %eax, %cr4

	movl $boot_pml4, %eax
	movl %eax, %cr3

	movl $0xC0000080, %ecx		/* EFER.LME: long mode enable */
	rdmsr
	orl $(1 << 8), %eax
	wrmsr

	movl %cr0, %eax			/* paging on: the CPU is now in long mode (compat) */
	orl $0x80000001, %eax
	movl %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $long_mode_low

/*
 * Boot page tables: 4 GiB identity mapped with 2 MiB pages, the same 4 GiB at DIRECTMAP,
 * and the first 1 GiB at KERNBASE (where the kernel image is linked).
 */
build_boot_page_tables:
	movl $boot_pdpt_low, %eax
	orl $3, %eax			/* present | writable */
	movl %eax, boot_pml4		/* PML4[0]: identity */
	movl %eax, boot_pml4 + 256 * 8	/* PML4[256]: DIRECTMAP */
	movl $boot_pdpt_high, %eax
	orl $3, %eax
	movl %eax, boot_pml4 + 511 * 8	/* PML4[511]: KERNBASE */

	xorl %ecx, %ecx			/* PDPT_low[0..3] -> the four page directories */
1:	movl %ecx, %eax
	shll $12, %eax
	addl $boot_pd, %eax
	orl $3, %eax
	movl %eax, boot_pdpt_low(, %ecx, 8)
	incl %ecx
	cmpl $4, %ecx
	jne 1b
	movl $boot_pd, %eax		/* PDPT_high[510] -> the first directory (0..1 GiB) */
	orl $3, %eax
	movl %eax, boot_pdpt_high + 510 * 8

	xorl %ecx, %ecx			/* 2048 PD entries of 2 MiB pages: 0..4 GiB */
2:	movl %ecx, %eax
	shll $21, %eax
	orl $0x83, %eax			/* present | writable | page size */
	movl %eax, boot_pd(, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax			/* high dword: bits 32+ of the address */
	movl %eax, boot_pd + 4(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 2b
	ret

/* Print the NUL-terminated string at %esi on COM1, then halt forever. */
boot_fail:
	movw $COM1 + 5, %dx		/* line status register */
1:	inb %dx, %al
	testb $0x20, %al		/* transmit holding register empty? */
	jz 1b
	movb (%esi), %al
	testb %al, %al
	jz 2f
	movw $COM1, %dx
	outb %al, %dx
	incl %esi
	jmp boot_fail
2:	cli
	hlt
	jmp 2b

no_multiboot:
	movl $msg_no_multiboot, %esi
	jmp boot_fail
no_long_mode:
	movl $msg_no_long_mode, %esi
	jmp boot_fail

/* ------------------------------------------------------------------------------------
 * 64-bit code, still at the low (identity) address: load data segments and jump high.
 */
	.code64
long_mode_low:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $long_mode_high, %rax
	jmp *%rax

	.section .boot.data, "aw"
msg_no_multiboot:
	.asciz "Sparrow: not started by a multiboot2 loader (bad magic in %eax); halting.\r\n"
msg_no_long_mode:
	.asciz "Sparrow: this CPU has no 64-bit long mode; halting.\r\n"

	.balign 8
boot_gdt:
	.quad 0				/* 0x00: null */
	.quad 0x00209A0000000000	/* 0x08: kernel code, 64-bit */
	.quad 0x0000920000000000	/* 0x10: kernel data */
boot_gdt_end:
boot_gdt_ptr:				/* for lgdt in 32-bit mode: 2-byte limit, 4-byte base */
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt

	.balign 4096
boot_pml4:
	.space 4096
boot_pdpt_low:
	.space 4096
boot_pdpt_high:
	.space 4096
boot_pd:
	.space 4 * 4096
	.space 1024
boot32_stack_top:

/* ------------------------------------------------------------------------------------
 * 64-bit code in the higher half: switch to the high stack and GDT alias, call kmain.
 */
	.text
	.type long_mode_high, @function
	.cfi_sections .debug_frame
long_mode_high:
	.cfi_startproc simple
	.cfi_def_cfa rsp, 0
	.cfi_undefined rip		/* for gdb: the outermost frame, nothing called this */
	/* Switch to the GDT in .data: lab 2's page tables map neither the identity map nor the
	 * 32-bit boot code, so GDTR must not point there. Then reload every segment register
	 * from it (a far return reloads %cs). */
	lgdt gdt64_ptr(%rip)
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	pushq $0x08
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
1:	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp			/* the end of every backtrace */
	/* %edi = multiboot2 magic, %esi = physical address of the boot information */
	call kmain
1:	cli
	hlt
	jmp 1b
	.cfi_endproc
	.size long_mode_high, . - long_mode_high

	/* The same descriptors as boot_gdt, in the kernel image proper. Lab 3 replaces this
	 * GDT with one that also has user segments and the TSS. */
	.data
	.balign 16
gdt64:
	.quad 0				/* 0x00: null */
	.quad 0x00209A0000000000	/* 0x08: kernel code, 64-bit */
	.quad 0x0000920000000000	/* 0x10: kernel data */
gdt64_end:
	.balign 8
gdt64_ptr:
	.word gdt64_end - gdt64 - 1
	.quad gdt64

	/* The boot stack, in its own section: kernel.ld puts an unmapped guard page below it,
	 * so from lab 2 on an overflow faults instead of overwriting .bss. */
	.section .bootstack, "aw", @nobits
	.balign 4096
	.globl boot_stack, boot_stack_top
boot_stack:
	.space KSTACK_SIZE
boot_stack_top:
