/*
 * Monitor commands for user programs (lab 3): run a program, continue or single-step one
 * stopped at a breakpoint.
 */
#include <string.h>
#include <x86.h>
#include "core/cmdline.h"
#include "core/printk.h"
#include "monitor/monitor.h"
#include "core/tables.h"
#include "proc/proc.h"
#include "sys/exec.h"
#include "trap/trap.h"

static int mon_continue(int argc, char **argv, struct trapframe *tf)
{
	(void)argc, (void)argv;
	if (!tf) {
		printk("No program is stopped in the monitor.\n");
		return 0;
	}
	tf->rflags &= ~RFLAGS_TF;
	return -1; /* leave the monitor: the program resumes */
}

static int mon_step(int argc, char **argv, struct trapframe *tf)
{
	(void)argc, (void)argv;
	if (!tf) {
		printk("No program is stopped in the monitor.\n");
		return 0;
	}
	tf->rflags |= RFLAGS_TF;
	return -1;
}

static int mon_run(int argc, char **argv, struct trapframe *tf)
{
	long err;

	if (tf || myproc()) {
		printk("A program is already running; 'continue' it first.\n");
		return 0;
	}
	if (argc < 2) {
		printk("usage: run /bin/PROGRAM [ARGS...]\n");
		return 0;
	}
	if (spawn(argv[1], argv + 1, NULL, &err))
		run_processes();
	return 0;
}

static int mon_ps(int argc, char **argv, struct trapframe *tf)
{
	(void)argc, (void)argv, (void)tf;
#if LAB >= 4
	printk("  PID  PPID STATE      PRI NAME\n");
#else
	printk("  PID  PPID STATE     NAME\n");
#endif
	for (int i = 0; i < NPROC; i++) {
		struct proc *p = &procs[i];
		if (p->state == PROC_UNUSED)
			continue;
		printk("%c%4d %5d %-9s ", p == myproc() ? '*' : ' ', p->pid,
		       p->parent ? p->parent->pid : 0, proc_state_name(p->state));
#if LAB >= 4
		printk("%4d ", p->nice);
#endif
		printk("%s\n", p->name);
	}
	return 0;
}

MONITOR_COMMAND("run", "run /bin/PROGRAM [ARGS]: run a user program until it ends", mon_run);
MONITOR_COMMAND("ps", "the processes, the current one marked *", mon_ps);
MONITOR_COMMAND("continue", "resume the program stopped here", mon_continue);
MONITOR_COMMAND("step", "execute one instruction of the stopped program", mon_step);
