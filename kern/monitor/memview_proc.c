/*
 * The memory viewer's processes (lab 3 on): each process's frames and page tables for the
 * physical map, and one process's address space, region by region, a cell per page.
 */
#include <stdio.h>
#include <memlayout.h>
#include "monitor/memview.h"
#include "mm/page.h"
#include "mm/uvm.h"
#include "proc/proc.h"
#include "core/printk.h"

#define ROW_PAGES 64 /* pages in a row of a process's map */

static int panel_pid; /* the process the panel shows; 0: the one on the CPU */

/* The live processes with an address space. */
static struct proc *proc_at(int i)
{
	struct proc *p = &procs[i];
	return p->state != PROC_UNUSED && p->mm ? p : NULL;
}

void mv_scan_procs(void)
{
	struct vm_iter it;

	for (int i = 0; i < NPROC; i++) {
		struct proc *p = proc_at(i);
		if (!p)
			continue;
		mv_mark_tables(p->mm->pml4, 0, USER_TOP - 1);
		for (vm_iter_start(&it, p->mm->pml4, 0, USER_TOP - 1, 1); vm_iter_next(&it);)
			if (!(*it.pte & PTE_NOREF))
				mv_claim(pa2page(pte_addr(*it.pte, it.level)), mv_letter(p->pid));
	}
}

/* The pages p maps: those with one reference (its own) and those shared. */
static void count_pages(struct proc *p, size_t *own, size_t *shared)
{
	struct vm_iter it;

	*own = *shared = 0;
	for (vm_iter_start(&it, p->mm->pml4, 0, USER_TOP - 1, 1); vm_iter_next(&it);) {
		if (*it.pte & PTE_NOREF)
			continue;
		if (pa2page(pte_addr(*it.pte, it.level))->refcount > 1)
			(*shared)++;
		else
			(*own)++;
	}
}

static uint16_t letter_cell(int pid)
{
	return mv_cell((uint16_t)(MV_USER | mv_letter(pid) << MV_LETTER_SHIFT));
}

void mv_legend_procs(struct mv_out *o)
{
	struct mv_line l;
	bool any = false;

	mv_clear(&l);
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = proc_at(i);
		size_t own, shared;
		if (!p)
			continue;
		count_pages(p, &own, &shared);
		if (!any)
			mv_puts(&l, MV_ATTR_TEXT, "Processes: ");
		else if (l.n > MV_SCREEN_COLS - 40) {
			mv_emit(o, &l);
			mv_puts(&l, MV_ATTR_TEXT, "           ");
		}
		any = true;
		mv_printf(&l, MV_ATTR_TEXT, " ");
		mv_putc(&l, letter_cell(p->pid));
		mv_printf(&l, MV_ATTR_TEXT, " pid %d %s (%lu own, %lu shared) ", p->pid, p->name,
		          own, shared);
	}
	if (any)
		mv_emit(o, &l);
}

/* The cell of page va of p: untouched (in a region, no page yet), its own, or shared. */
static uint16_t page_cell(struct proc *p, uintptr_t va)
{
	int level;
	pte_t *pte = vm_lookup(p->mm->pml4, va, &level);

	if (!pte)
		return mv_cell(MV_FREE);
	if (!(*pte & PTE_NOREF) && pa2page(pte_addr(*pte, level))->refcount > 1)
		return mv_cell(MV_SHARED);
	return letter_cell(p->pid);
}

bool mv_show_proc(struct mv_out *o, int pid)
{
	struct proc *p = proc_find(pid);
	struct mv_line l;
	size_t own, shared;

	if (!p || !p->mm)
		return false;
	count_pages(p, &own, &shared);
	mv_clear(&l);
	if (o->screen) {
		mv_printf(&l, MV_ATTR_TITLE,
		          " pid %d %s: %d regions, %lu pages: %lu own, %lu shared   F2: next  F1: "
		          "physical ",
		          pid, p->name, p->mm->nvmas, own + shared, own, shared);
		while (l.n < MV_SCREEN_COLS)
			mv_putc(&l, MV_ATTR_TITLE << 8 | ' ');
		mv_emit(o, &l);
		o->rows--; /* the last row is the legend's */
	} else {
		printk("Address space of pid %d (%s): %d regions; %lu pages present: %lu its own "
		       "(%c), "
		       "%lu shared (*)\n",
		       pid, p->name, p->mm->nvmas, own + shared, own, 'a' + mv_letter(pid), shared);
	}
	for (struct vma *v = p->mm->vmas; v; v = v->next) {
		if (!o->screen)
			printk("  %016lx-%016lx %c%c%c %-5s %lu pages\n", v->start, v->end,
			       (v->prot & PROT_READ) ? 'r' : '-',
			       (v->prot & PROT_WRITE) ? 'w' : '-',
			       (v->prot & PROT_EXEC) ? 'x' : '-',
			       (v->flags & VMA_STACK)  ? "stack"
			       : (v->flags & VMA_HEAP) ? "heap"
			                               : "",
			       (v->end - v->start) / PGSIZE);
		/* A row per ROW_PAGES pages; rows without a page are left out. */
		for (uintptr_t row = v->start; row < v->end; row += ROW_PAGES * PGSIZE) {
			bool present = false;
			mv_printf(&l, MV_ATTR_TEXT, o->screen ? "%012lx " : "    %016lx ", row);
			for (uintptr_t va = row; va < v->end && va < row + ROW_PAGES * PGSIZE;
			     va += PGSIZE) {
				uint16_t c = page_cell(p, va);
				present |= c != mv_cell(MV_FREE);
				mv_putc(&l, c);
			}
			if (present)
				mv_emit(o, &l);
			mv_clear(&l);
		}
	}
	if (o->screen) {
		o->rows++;
		o->row = o->rows - 1;
		mv_putc(&l, mv_cell(MV_FREE));
		mv_puts(&l, MV_ATTR_TEXT, " not touched yet ");
		mv_putc(&l, letter_cell(pid));
		mv_puts(&l, MV_ATTR_TEXT, " its own ");
		mv_putc(&l, mv_cell(MV_SHARED));
		mv_puts(&l, MV_ATTR_TEXT, " shared   (rows without a page left out)");
		mv_emit(o, &l);
	}
	return true;
}

/* The process on the CPU, or the last one seen there if it still exists, or else the
 * newest process (the highest pid); 0 if there is none. */
static int current_pid(void)
{
	static int last;
	struct proc *p = myproc();

	if (p && p->mm)
		last = p->pid;
	if (last && proc_find(last))
		return last;
	last = 0;
	for (int i = 0; i < NPROC; i++)
		if (proc_at(i) && procs[i].pid > last)
			last = procs[i].pid;
	return last;
}

/* The pid after pid in the process table (the first for 0; 0 after the last). */
static int next_pid(int pid)
{
	int i = 0;

	if (pid) {
		while (i < NPROC && !(proc_at(i) && procs[i].pid == pid))
			i++;
		i++;
	}
	for (; i < NPROC; i++)
		if (proc_at(i))
			return procs[i].pid;
	return 0;
}

void mv_choose_proc(bool next)
{
	panel_pid = next ? next_pid(panel_pid) : 0;
}

void mv_draw_proc(struct mv_out *o)
{
	struct mv_line l;

	if (mv_show_proc(o, panel_pid ? panel_pid : current_pid()))
		return;
	panel_pid = 0;
	mv_clear(&l);
	mv_puts(&l, MV_ATTR_TITLE, " No process to show   F1: physical memory ");
	mv_emit(o, &l);
}
