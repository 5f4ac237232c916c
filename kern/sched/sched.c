/*
 * The scheduler: which process runs next, and the switch to it.
 *
 * Policy (the whole of it, in sched_pick): a RUNNABLE process with a lower nice value
 * always runs before one with a higher value; among equal nice values the processes take
 * turns (round robin, in the order of the run queue), each for one timer tick (10 ms)
 * unless it blocks or yields first.
 * When nothing can run, the CPU halts until the next interrupt.
 *
 * The scheduler loop runs on kmain's stack (the "scheduler context"); every switch goes
 * from a process to it and from it to a process, through swtch().
 */
#include <x86.h>
#include <string.h>
#include "core/cpu.h"
#include "core/panic.h"
#include "mm/kas.h"
#include "mm/uvm.h"
#include "proc/fpu.h"
#include "proc/proc.h"
#include "sched/sched.h"
#if LAB >= 7
#include "sched/reaper.h"
#endif

/* The next process to run, or NULL if none is RUNNABLE. */
static struct proc *sched_pick(void)
{
	// LAB 4: Pick the RUNNABLE process with the lowest nice value. The run queue (runq,
	// linked through p->qnext) holds every RUNNABLE process in the order it became
	// RUNNABLE: among equal nice values take the first, the one that has waited longest,
	// so equal processes take turns (a process that yields goes to the end).
	//= BEGIN LAB 4
	struct proc *best = NULL;
	for (struct proc *p = runq; p; p = p->qnext)
		if (!best || p->nice < best->nice)
			best = p;
	return best;
	//= STUB
	//= panic("LAB 4: sched_pick() is not implemented (kern/sched/sched.c)");
	//= END
}

/* Run p until it gives the CPU back (yield, sleep, exit). Called in the scheduler context. */
static void switch_to(struct proc *p)
{
	struct cpu *c = mycpu();

	// LAB 4: The context switch. Make p RUNNING and the CPU's current process; point the
	// TSS (and the syscall entry) at p's kernel stack (cpu_set_kstack); load p's address
	// space (p->mm->pml4) unless it is the one already in CR3; restore p's %fs base
	// (MSR_FS_BASE) and its FPU/SSE registers (fpu_restore); then swtch() from the
	// scheduler context to p. When swtch() returns, p has stopped: save its FPU/SSE
	// registers (fpu_save) and clear the current process.
	//= BEGIN LAB 4
	proc_set_state(p, PROC_RUNNING);
	c->proc = p;
	cpu_set_kstack(p->kstack);
	if (rcr3() != V2P(p->mm->pml4))
		lcr3(V2P(p->mm->pml4));
	wrmsr(MSR_FS_BASE, p->fs_base);
	fpu_restore(p->fpu);
	swtch(&c->scheduler, p->context);
	fpu_save(p->fpu);
	c->proc = NULL;
	//= STUB
	//= (void)c, (void)p;
	//= panic("LAB 4: switch_to() is not implemented (kern/sched/sched.c)");
	//= END
}

static bool any_process(void)
{
	for (int i = 0; i < NPROC; i++)
#if LAB >= 7
		if (procs[i].state != PROC_UNUSED && !procs[i].kthread) /* not the reaper's kind */
#else
		if (procs[i].state != PROC_UNUSED)
#endif
			return true;
	return false;
}

void scheduler(void)
{
	struct cpu *c = mycpu();

	for (;;) {
		struct proc *p = sched_pick();
		if (!p) {
			if (!any_process())
				break;
			/* Idle: wait for an interrupt (sti takes effect after hlt starts, so
			 * none is missed), then look again with interrupts off. */
			asm volatile("sti; hlt; cli" ::: "memory");
			continue;
		}
		c->need_resched = false;
		p->oncpu_tsc = p->entered_tsc = rdtsc();
		switch_to(p);
		uint64_t out = rdtsc();
		p->run_tsc += out - p->oncpu_tsc;
		p->kernel_tsc += out - p->entered_tsc;
		/* A process nobody will wait for is freed as soon as it has exited (lab 7: by the
		 * reaper, a kernel thread). */
#if LAB >= 7
		if (p->state == PROC_ZOMBIE && !p->parent && !reaper_take(p))
#else
		if (p->state == PROC_ZOMBIE && !p->parent)
#endif
			proc_free(p);
	}
	/* Everything has ended: back to the kernel's own address space. */
	lcr3(V2P(kern_pml4));
}

void sched(void)
{
	struct proc *p = myproc();
	if (p->state == PROC_RUNNING)
		panic("sched: process %d is still RUNNING", p->pid);
	swtch(&p->context, mycpu()->scheduler);
}

void yield(void)
{
	proc_set_state(myproc(), PROC_RUNNABLE);
	sched();
}

void sleep_on(void *chan)
{
	struct proc *p = myproc();
	p->chan = chan;
	proc_set_state(p, PROC_SLEEPING);
	sched();
	p->chan = NULL;
}

void sleep_until(void *chan, uint64_t deadline)
{
	struct proc *p = myproc();
	p->wake_tick = deadline;
	sleep_on(chan);
	p->wake_tick = 0;
}

void wakeup_ticks(void)
{
	struct proc *next;

	for (struct proc *p = sleepers; p; p = next) {
		next = p->qnext; /* p leaves the list when it becomes RUNNABLE */
		if (p->chan == (void *)&ticks || (p->wake_tick && p->wake_tick <= ticks))
			proc_set_state(p, PROC_RUNNABLE);
	}
}

void wakeup(void *chan)
{
	struct proc *next;

	for (struct proc *p = sleepers; p; p = next) {
		next = p->qnext; /* p leaves the list when it becomes RUNNABLE */
		if (p->chan == chan)
			proc_set_state(p, PROC_RUNNABLE);
	}
}

void cond_resched(void)
{
	asm volatile("sti; nop; cli" ::: "memory"); /* a pending interrupt comes in at the nop */
	if (mycpu()->need_resched && myproc())
		yield();
}

void cpu_ticks(struct proc *p, uint64_t *user, uint64_t *kernel)
{
	uint64_t run = p->run_tsc, kern = p->kernel_tsc;
	if (p == myproc()) { /* the time since it got the CPU, and since it entered the kernel */
		uint64_t now = rdtsc();
		run += now - p->oncpu_tsc;
		kern += now - p->entered_tsc;
	}
	kern = MIN(kern, run);
	*kernel = tsc_per_tick ? kern / tsc_per_tick : 0;
	*user = tsc_per_tick ? (run - kern) / tsc_per_tick : 0;
}
