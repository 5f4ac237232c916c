/*
 * The memory viewer's physical map (lab 2 on). A scan finds what each frame is used for
 * from the frame table and the page tables, with no bookkeeping on the allocation paths
 * beyond the heap's PG_HEAP; each frame (or group of frames) is then one colored cell, in
 * the monitor's `memview` or on the VGA panel above the console.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <memlayout.h>
#include "monitor/memview.h"
#include "monitor/monitor.h"
#include "core/tables.h"
#include "mm/kas.h"
#include "mm/page.h"
#include "boot/multiboot.h"
#include "core/cmdline.h"
#include "core/printk.h"
#include "dev/console.h"

/* Each kind's cell (character and VGA colors: background << 4 | foreground) and names. */
static const struct {
	char ch;
	uint8_t attr;
	const char *name, *brief;
} mv_kinds[MV_NKINDS] = {
	[MV_FREE] = { '.', 0x08, "free", "free" },
	[MV_RESERVED] = { 'R', 0x07, "reserved", "reserved" },
	[MV_IMAGE] = { 'K', 0x1F, "kernel image", "kernel" },
	[MV_FRAMES] = { 'F', 0x1E, "frame table", "frame table" },
	[MV_MODULE] = { 'M', 0x70, "boot modules (ramdisk)", "ramdisk" },
	[MV_HEAP] = { 'H', 0x3F, "kernel heap", "heap" },
	[MV_TABLE] = { 'T', 0x6F, "page tables", "page tables" },
	[MV_KSTACK] = { 'S', 0x5F, "kernel stacks", "kernel stacks" },
	[MV_KERNEL] = { 'O', 0x4F, "other kernel memory (files, pipes)", "files, pipes" },
	[MV_USER] = { 'a', 0x0A, "a process's own", "process" },
	[MV_SHARED] = { '*', 0x2F, "shared (refcount > 1)", "shared" },
};
/* A process's cell: its letter, in one of these (bright, on black) by its letter. */
static const uint8_t mv_proc_colors[] = { 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x09, 0x0F };

#define GRID_COLS     64              /* cells in a row of the map */
#define GRID_ROWS     13              /* rows of the map on the panel */
#define PANEL_ROWS    (GRID_ROWS + 3) /* with a title row and two legend rows */
#define REFRESH_TICKS 10              /* the panel is redrawn every 100 ms (lab 4 on) */

enum { PANEL_OFF, PANEL_PHYS, PANEL_VIRT };
static int panel; /* what the panel shows */

uint16_t mv_cell(uint16_t view)
{
	int kind = view & MV_KIND_MASK, letter = view >> MV_LETTER_SHIFT;

	if (kind == MV_USER)
		return (uint16_t)(mv_proc_colors[letter % ARRAY_SIZE(mv_proc_colors)] << 8 |
		                  ('a' + letter));
	return (uint16_t)(mv_kinds[kind].attr << 8 | mv_kinds[kind].ch);
}

/* ---- lines of cells, as text or on the screen ----------------------------------------- */

void mv_clear(struct mv_line *l)
{
	l->n = 0;
}

void mv_putc(struct mv_line *l, uint16_t cell)
{
	if (l->n < MV_COLS)
		l->cells[l->n++] = cell;
}

void mv_puts(struct mv_line *l, uint8_t attr, const char *s)
{
	while (*s)
		mv_putc(l, (uint16_t)(attr << 8 | (uint8_t)*s++));
}

void mv_printf(struct mv_line *l, uint8_t attr, const char *fmt, ...)
{
	char buf[MV_COLS + 1];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mv_puts(l, attr, buf);
}

/* The ANSI sequence selecting VGA attribute attr's colors (VGA and ANSI number the eight
 * colors differently: the table turns one into the other, both ways). */
static int ansi_colors(char *buf, uint8_t attr)
{
	static const uint8_t vga_ansi[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };
	int fg = attr & 0xF, bg = (attr >> 4) & 0x7;

	if (attr == MV_ATTR_TEXT)
		return snprintf(buf, 8, "\x1b[0m");
	return snprintf(buf, 16, "\x1b[0;%d;%dm", (fg & 8 ? 90 : 30) + vga_ansi[fg & 7],
	                40 + vga_ansi[bg]);
}

void mv_emit(struct mv_out *o, struct mv_line *l)
{
	if (o->screen) {
		if (o->row < o->rows)
			vga_draw_row(o->row++, l->cells, l->n);
		mv_clear(l);
		return;
	}
	char buf[MV_COLS * 16 + 8];
	int k = 0, n = l->n;
	uint8_t cur = MV_ATTR_TEXT;
	while (n > 0 && l->cells[n - 1] == (MV_ATTR_TEXT << 8 | ' '))
		n--;
	for (int i = 0; i < n; i++) {
		uint8_t attr = (uint8_t)(l->cells[i] >> 8);
		if (o->color && attr != cur)
			k += ansi_colors(buf + k, cur = attr);
		buf[k++] = (char)l->cells[i];
	}
	if (cur != MV_ATTR_TEXT)
		k += ansi_colors(buf + k, MV_ATTR_TEXT);
	buf[k] = '\0';
	printk("%s\n", buf);
	mv_clear(l);
}

/* Add a legend item (a sample cell and a name) to l, starting a new line when it is full. */
static void legend_item(struct mv_out *o, struct mv_line *l, uint16_t cell, const char *text)
{
	if (l->n + 3 + (int)strlen(text) > MV_SCREEN_COLS - 1) {
		mv_emit(o, l);
		if (!o->screen)
			mv_puts(l, MV_ATTR_TEXT, "   ");
	}
	mv_putc(l, cell);
	mv_printf(l, MV_ATTR_TEXT, o->screen ? " %s " : " %s  ", text);
}

/* ---- finding the owners --------------------------------------------------------------- */

void mv_mark_tables(pte_t *pml4, uintptr_t lo, uintptr_t hi)
{
	struct vm_iter it;

	pa2page(V2P(pml4))->view = MV_TABLE;
	/* The present entries of levels 2, 3 and 4 that are not huge pages point to tables. */
	for (int level = 2; level <= PT_LEVELS; level++)
		for (vm_iter_start(&it, pml4, lo, hi, level); vm_iter_next(&it);)
			if (!pte_is_leaf(*it.pte, it.level))
				pa2page(pte_addr(*it.pte, it.level))->view = MV_TABLE;
}

void mv_claim(struct page *pp, int letter)
{
	int kind = pp->view & MV_KIND_MASK;
	bool shared = pp->refcount > 1 || kind == MV_USER || kind == MV_SHARED;

	pp->view = (uint16_t)((shared ? MV_SHARED : MV_USER) | letter << MV_LETTER_SHIFT);
}

/* The reserved frames of physical [start, end) are of this kind. */
static void mark_range(physaddr_t start, physaddr_t end, int kind)
{
	for (physaddr_t pa = ROUNDDOWN(start, PGSIZE); pa < end && pa < phys_top; pa += PGSIZE)
		if (pages[pa >> PGSHIFT].view == MV_RESERVED)
			pages[pa >> PGSHIFT].view = (uint16_t)kind;
}

/* Set pages[].view for every frame: the frame table's state first, then what the kernel's
 * page tables and (lab 3 on) the processes' show. */
static void scan(void)
{
	extern char __kernel_end[];
	struct vm_iter it;

	for (size_t i = 0; i < npages; i++) {
		uint16_t f = pages[i].flags;
		if (f & PG_FREE)
			pages[i].view = MV_FREE;
		else if (f & PG_RESERVED)
			pages[i].view = MV_RESERVED;
		else
			pages[i].view = (f & PG_HEAP) ? MV_HEAP : MV_KERNEL;
	}
	/* The reserved ranges that are the kernel's own (kern/mm/page.c keeps them). */
	mark_range(KERNLOAD, KV2P(__kernel_end), MV_IMAGE);
	mark_range(V2P(pages), V2P(pages + npages), MV_FRAMES);
	for (int i = 0; i < mb_module_count(); i++)
		mark_range(mb_module(i)->mod_start, mb_module(i)->mod_end, MV_MODULE);
	mv_mark_tables(kern_pml4, KERNEL_HALF, ~(uintptr_t)0);
	for (vm_iter_start(&it, kern_pml4, KSTACKS, KERNBASE - 1, 1); vm_iter_next(&it);)
		if (!(*it.pte & PTE_NOREF))
			pa2page(pte_addr(*it.pte, it.level))->view = MV_KSTACK;
#if LAB >= 3
	mv_scan_procs();
#endif
}

/* Is there something to scan: the frame table, and the kernel's page tables (kas_init)? */
static bool ready(void)
{
	return pages && npages && kern_pml4;
}

/* One past the highest frame that is in use (neither free nor reserved). */
static size_t used_top(void)
{
	size_t top = npages;

	while (top > 0 && (pages[top - 1].view == MV_FREE || pages[top - 1].view == MV_RESERVED))
		top--;
	return top;
}

/* The cell of frames [first, first + n): the view most of them have (ties: the first). */
static uint16_t group_cell(size_t first, size_t n)
{
	uint16_t vals[8];
	size_t counts[8];
	int nvals = 0, best = 0;

	for (size_t i = first; i < first + n && i < npages; i++) {
		int k = 0;
		while (k < nvals && vals[k] != pages[i].view)
			k++;
		if (k == nvals && nvals < 8) {
			vals[nvals] = pages[i].view;
			counts[nvals++] = 0;
		}
		if (k < nvals)
			counts[k]++;
	}
	if (nvals == 0)
		return (uint16_t)(MV_ATTR_TEXT << 8 | ' ');
	for (int k = 1; k < nvals; k++)
		if (counts[k] > counts[best])
			best = k;
	return mv_cell(vals[best]);
}

/* The map of frames [0, ncells * group), GRID_COLS cells a row, each labeled with its first
 * physical address. */
static void grid(struct mv_out *o, size_t ncells, size_t group)
{
	struct mv_line l;

	mv_clear(&l);
	for (size_t c = 0; c < ncells; c++) {
		if (c % GRID_COLS == 0)
			mv_printf(&l, MV_ATTR_TEXT, "%s%08lx ", o->screen ? "" : "  ",
			          (c * group) << PGSHIFT);
		mv_putc(&l, group == 1 ? mv_cell(pages[c].view) : group_cell(c * group, group));
		if (c % GRID_COLS == GRID_COLS - 1 || c == ncells - 1)
			mv_emit(o, &l);
	}
}

/* The legend: each kind's cell and name, with its number of frames on the text view. */
static void legend(struct mv_out *o)
{
	size_t counts[MV_NKINDS] = { 0 };
	struct mv_line l;

	for (size_t i = 0; i < npages; i++)
		counts[pages[i].view & MV_KIND_MASK]++;
	mv_clear(&l);
	if (!o->screen)
		mv_puts(&l, MV_ATTR_TEXT, "Frames:  ");
	for (int k = 0; k < MV_NKINDS; k++) {
		char text[48];
		if (k == MV_USER || (o->screen && counts[k] == 0))
			continue;
		if (o->screen)
			snprintf(text, sizeof(text), "%s", mv_kinds[k].brief);
		else
			snprintf(text, sizeof(text), "%s %lu", mv_kinds[k].name, counts[k]);
		legend_item(o, &l, mv_cell((uint16_t)k), text);
	}
	if (o->screen && counts[MV_USER] + counts[MV_SHARED])
		legend_item(o, &l, mv_cell(MV_USER), "a-z processes");
	mv_emit(o, &l);
#if LAB >= 3
	if (!o->screen)
		mv_legend_procs(o);
#endif
}

static void print_phys(struct mv_out *o)
{
	size_t top = ROUNDUP(used_top(), (size_t)GRID_COLS), nfree = 0, nreserved = 0;

	top = MIN(top, npages);
	printk("Physical memory: %lu frames (%lu MiB) below 0x%lx; one cell per 4 KiB frame\n",
	       npages, npages >> 8, phys_top);
	grid(o, top, 1);
	for (size_t i = top; i < npages; i++)
		nfree += pages[i].view == MV_FREE, nreserved += pages[i].view == MV_RESERVED;
	if (top < npages)
		printk("  %08lx-%08lx not shown: %lu free frames, %lu reserved\n", top << PGSHIFT,
		       phys_top, nfree, nreserved);
	legend(o);
}

/* The panel's physical map: the smallest power-of-two group of frames per cell with which
 * every frame in use fits. */
static void draw_phys(struct mv_out *o)
{
	size_t cells = GRID_ROWS * GRID_COLS, group = 1, top = used_top();
	struct mv_line l;

	while (group * cells < top)
		group *= 2;
	cells = MIN(cells, ROUNDUP(npages, group) / group);
	mv_clear(&l);
	mv_printf(&l, MV_ATTR_TITLE, " Physical memory 0-%lu MiB: a cell is %lu KiB   F1: hide%s ",
	          (cells * group) >> 8, group * 4, LAB >= 3 ? "  F2: processes" : "");
	while (l.n < MV_SCREEN_COLS)
		mv_putc(&l, MV_ATTR_TITLE << 8 | ' ');
	mv_emit(o, &l);
	grid(o, cells, group);
	o->row = o->rows - 2;
	legend(o);
}

/* ---- the screen panel, the keys, the command ------------------------------------------- */

void memview_refresh(void)
{
	struct mv_out o = { .screen = true, .row = 0, .rows = PANEL_ROWS };
	struct mv_line l;

	if (panel == PANEL_OFF || !ready())
		return;
	scan();
	if (panel == PANEL_PHYS)
		draw_phys(&o);
#if LAB >= 3
	else
		mv_draw_proc(&o);
#endif
	mv_clear(&l);
	while (o.row < o.rows)
		mv_emit(&o, &l);
}

/* F1: the physical map (again: hide it). F2 (lab 3 on): a process's address space, first
 * the one on the CPU, then each process in turn. */
static void key(int k)
{
	if (k == KEY_F(1)) {
		panel = panel == PANEL_PHYS ? PANEL_OFF : PANEL_PHYS;
	} else if (k == KEY_F(2) && LAB >= 3) {
#if LAB >= 3
		mv_choose_proc(panel == PANEL_VIRT);
#endif
		panel = PANEL_VIRT;
	} else {
		return;
	}
	vga_reserve_top(panel == PANEL_OFF ? 0 : PANEL_ROWS);
	memview_refresh();
}

void memview_init(void)
{
	const char *opt = cmdline_get("memview");

	console_key_hook = key;
	monitor_prompt_hook = memview_refresh; /* the panel follows each monitor command */
	if (!opt || strcmp(opt, "0") == 0 || strcmp(opt, "off") == 0)
		return;
	panel = (LAB >= 3 && strcmp(opt, "virt") == 0) ? PANEL_VIRT : PANEL_PHYS;
	vga_reserve_top(PANEL_ROWS);
	memview_refresh();
}

void memview_tick(void)
{
	static unsigned n;

	if (panel != PANEL_OFF && ++n % REFRESH_TICKS == 0)
		memview_refresh();
}

static int mon_memview(int argc, char **argv, struct trapframe *tf)
{
	struct mv_out o = { .screen = false, .color = true };
	int i = 1;
	(void)tf;

	if (i < argc && strcmp(argv[i], "-p") == 0) {
		o.color = false;
		i++;
	}
	if (!ready()) {
		printk("memview: the kernel has no frame table or no page tables of its own yet\n");
		return 0;
	}
	scan();
	if (i == argc) {
		print_phys(&o);
		return 0;
	}
#if LAB >= 3
	char *end;
	long pid = strtol(argv[i], &end, 10);
	if (i + 1 == argc && end != argv[i] && *end == '\0') {
		if (!mv_show_proc(&o, (int)pid))
			printk("No process has pid %ld (see ps)\n", pid);
		return 0;
	}
#endif
	printk("usage: memview [-p] [PID]: physical memory%s; -p: without colors\n",
	       LAB >= 3 ? ", or the address space of process PID" : "");
	return 0;
}

MONITOR_COMMAND("memview",
                "memview [-p] [PID]: physical memory (or a process's) as a map of owners",
                mon_memview);
