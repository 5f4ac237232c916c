/*
 * The scheduler trace. The process layer tells the hook here of every state change
 * (proc_state_hook): a process created, run, preempted or yielding, sleeping on a channel,
 * woken, exiting, reaped. Each becomes a 40-byte event in a buffer taken at boot; at
 * power-off the events are printed, one line each, for tools/timeline.py.
 */
#include <string.h>
#include <x86.h>
#include "core/cmdline.h"
#include "core/cpu.h"
#include "core/printk.h"
#include "dev/qemu.h"
#include "mm/page.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sched/trace.h"

#define TRACE_PAGES 64 /* the buffer: 64 pages, 6528 events */

struct trace_event {
	uint64_t tsc;   /* when (rdtsc) */
	int32_t pid;    /* whose state changed */
	uint8_t from;   /* enum proc_state */
	uint8_t to;     /* enum proc_state */
	uint8_t forced; /* RUNNING -> RUNNABLE: its time slice was over (need_resched) */
	uint8_t unused;
	uint64_t arg;             /* the sleep channel, the wait status, or the parent's pid */
	char name[PROC_NAME_LEN]; /* the program's name then */
};

#define PER_PAGE (PGSIZE / sizeof(struct trace_event))

static struct trace_event *buf[TRACE_PAGES];
static size_t capacity, nevents, ndropped;

/* The hook: p goes from p->state to `to` (proc_set_state checked the change is legal). */
static void record(struct proc *p, enum proc_state to)
{
	/* A slot taken, or given back when creation failed: not a process yet. */
	if (p->state == PROC_UNUSED || (p->state == PROC_EMBRYO && to == PROC_UNUSED))
		return;
	if (nevents == capacity) {
		ndropped++;
		return;
	}
	struct trace_event *e = &buf[nevents / PER_PAGE][nevents % PER_PAGE];
	nevents++;
	*e = (struct trace_event){
		.tsc = rdtsc(), .pid = p->pid, .from = (uint8_t)p->state, .to = (uint8_t)to
	};
	memcpy(e->name, p->name, sizeof(e->name));
	e->name[sizeof(e->name) - 1] = '\0';
	if (to == PROC_SLEEPING || p->state == PROC_SLEEPING)
		e->arg = (uintptr_t)p->chan;
	else if (to == PROC_ZOMBIE)
		e->arg = (uint64_t)p->exit_status;
	else if (p->state == PROC_EMBRYO)
		e->arg = p->parent ? (uint64_t)p->parent->pid : 0;
	else if (p->state == PROC_RUNNING)
		e->forced = mycpu()->need_resched;
}

/* What a change is called in the trace; tools/timeline.py knows these words. */
static const char *what(const struct trace_event *e)
{
	switch (e->to) {
	case PROC_RUNNABLE:
		if (e->from == PROC_EMBRYO)
			return "new";
		if (e->from == PROC_SLEEPING)
			return "wake";
		return e->forced ? "preempted" : "yielded";
	case PROC_RUNNING:
		return "run";
	case PROC_SLEEPING:
		return "sleep";
	case PROC_ZOMBIE:
		return "exit";
	default:
		return "reap";
	}
}

/* A sleep channel: the clock (nanosleep), a process (wait4 sleeps on its own), or an
 * address (tools/timeline.py names it from the kernel's symbols where it can). */
static void print_chan(uint64_t chan)
{
	if (chan == (uintptr_t)&ticks)
		printk(" chan=ticks");
	else if (chan >= (uintptr_t)procs && chan < (uintptr_t)(procs + NPROC))
		printk(" chan=wait");
	else
		printk(" chan=0x%lx", chan);
}

static void dump(void)
{
	uint64_t end = rdtsc(); /* the end of the trace: the printing takes time too */

	printk("schedtrace: begin events=%lu dropped=%lu tsc_per_tick=%lu hz=%d\n", nevents,
	       ndropped, tsc_per_tick, HZ);
	for (size_t i = 0; i < nevents; i++) {
		const struct trace_event *e = &buf[i / PER_PAGE][i % PER_PAGE];
		printk("schedtrace: %lu %s pid=%d name=%s", e->tsc, what(e), e->pid, e->name);
		if (e->to == PROC_SLEEPING || e->from == PROC_SLEEPING)
			print_chan(e->arg);
		else if (e->to == PROC_ZOMBIE)
			printk(" status=0x%lx", e->arg);
		else if (e->from == PROC_EMBRYO)
			printk(" parent=%lu", e->arg);
		printk("\n");
	}
	printk("schedtrace: end tsc=%lu\n", end);
}

void trace_init(void)
{
	if (!cmdline_get("schedtrace"))
		return;
	for (int i = 0; i < TRACE_PAGES; i++) {
		if (!(buf[i] = kpage_alloc(0)))
			break;
		capacity += PER_PAGE;
	}
	proc_state_hook = record;
	poweroff_hook = dump;
}
