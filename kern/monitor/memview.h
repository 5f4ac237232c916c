/*
 * The memory viewer: physical memory as a grid of cells colored by owner, and (lab 3 on) a
 * process's address space the same way; as text (the monitor's `memview`) and on the VGA
 * screen above the console (kernel option memview=, or the keys F1 and F2).
 */
#ifndef SPARROW_KERN_MONITOR_MEMVIEW_H
#define SPARROW_KERN_MONITOR_MEMVIEW_H

#include <types.h>
#include "mm/vm.h"

struct trapframe;

/* After memory is up: read the option memview=phys|virt (show the screen panel from the
 * start) and take the function keys. */
void memview_init(void);
/* Redraw the screen panel, if it is shown (before each monitor prompt; on the keys). */
void memview_refresh(void);
/* The timer's hook (lab 4 on): redraw every few ticks, so the panel follows the processes. */
void memview_tick(void);

/*
 * What the viewer found a frame used for: pages[i].view holds the kind, and for a process's
 * frame (MV_USER, MV_SHARED) its letter index << MV_LETTER_SHIFT.
 */
enum mv_kind {
	MV_FREE,     /* on the free list */
	MV_RESERVED, /* never allocated: the first MiB (firmware), the boot information, ... */
	MV_IMAGE,    /* the kernel image (text, data, bss) */
	MV_FRAMES,   /* the frame table, pages[] */
	MV_MODULE,   /* a GRUB module (the initial ramdisk, lab 3 on) */
	MV_HEAP,     /* kmalloc's pages */
	MV_TABLE,    /* a page table (the kernel's or a process's), at any level */
	MV_KSTACK,   /* a kernel stack */
	MV_KERNEL,   /* other kernel memory: file data, pipe buffers, ... */
	MV_USER,     /* mapped by one process only: its own */
	MV_SHARED,   /* mapped with a reference count above 1: shared copy-on-write */
	MV_NKINDS
};
#define MV_KIND_MASK    0xF
#define MV_LETTER_SHIFT 4

/* A process's letter, 'a' + its index: pid 1 is a, pid 2 b, ... (26 letters, in turn). */
static inline int mv_letter(int pid)
{
	return (pid - 1) % 26;
}

/* One line of the view: cells, each a VGA attribute << 8 | a character. Printed as text
 * (with ANSI colors, or plain) or drawn as one row of the screen panel (its first 80). */
#define MV_COLS        96
#define MV_SCREEN_COLS 80
struct mv_line {
	uint16_t cells[MV_COLS];
	int n;
};

/* Where the lines go: printk (color: with ANSI colors), or the panel's rows. */
struct mv_out {
	bool screen;
	bool color;
	int row, rows; /* the panel's next row, and how many it has */
};

#define MV_ATTR_TEXT  0x07 /* light grey on black */
#define MV_ATTR_TITLE 0x70 /* black on light grey */

void mv_clear(struct mv_line *l);
void mv_putc(struct mv_line *l, uint16_t cell);
void mv_puts(struct mv_line *l, uint8_t attr, const char *s);
void mv_printf(struct mv_line *l, uint8_t attr, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
void mv_emit(struct mv_out *o, struct mv_line *l);
/* The cell showing a frame whose view value is v. */
uint16_t mv_cell(uint16_t view);
/* Mark the frames of pml4's page tables covering [lo, hi] (and the top-level table). */
void mv_mark_tables(pte_t *pml4, uintptr_t lo, uintptr_t hi);
/* A process with letter index `letter` maps pp: its own, or shared. */
void mv_claim(struct page *pp, int letter);

#if LAB >= 3
/* The processes' part (kern/monitor/memview_proc.c). */
void mv_scan_procs(void);               /* claim every process's frames and tables */
void mv_legend_procs(struct mv_out *o); /* the letters in use: pid, name, frames */
/* Print (or draw) the address space of process pid; false if there is no such process. */
bool mv_show_proc(struct mv_out *o, int pid);
/* The panel's process: the one on the CPU (or last seen there), or one chosen with F2. */
void mv_draw_proc(struct mv_out *o);
/* F2: the panel shows the process on the CPU; pressed again (next), each other in turn. */
void mv_choose_proc(bool next);
#endif

#endif
