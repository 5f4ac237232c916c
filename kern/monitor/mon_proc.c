/*
 * Monitor commands for user programs (lab 3): run a program, continue or single-step one
 * stopped at a breakpoint.
 */
#include <string.h>
#include <x86.h>
#include "core/cmdline.h"
#include "core/printk.h"
#include "monitor/monitor.h"
#include "proc/proc.h"
#include "sys/exec.h"
#include "trap/trap.h"

int mon_continue(int argc, char **argv, struct trapframe *tf)
{
	(void)argc, (void)argv;
	if (!tf) {
		printk("No program is stopped in the monitor.\n");
		return 0;
	}
	tf->rflags &= ~RFLAGS_TF;
	return -1; /* leave the monitor: the program resumes */
}

int mon_step(int argc, char **argv, struct trapframe *tf)
{
	(void)argc, (void)argv;
	if (!tf) {
		printk("No program is stopped in the monitor.\n");
		return 0;
	}
	tf->rflags |= RFLAGS_TF;
	return -1;
}

int mon_run(int argc, char **argv, struct trapframe *tf)
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
