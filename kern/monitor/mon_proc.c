/*
 * Monitor commands for user programs (lab 3): run a program, continue or single-step one
 * stopped at a breakpoint, and start the program named by the init= kernel option.
 */
#include <string.h>
#include "core/cmdline.h"
#include "core/printk.h"
#include "monitor/monitor.h"
#include "proc/proc.h"
#include "trap/trap.h"

#define RFLAGS_TF     0x100 /* trap flag: a debug exception after each instruction */
#define MAX_INIT_ARGS 32

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

/* Create a process for argv[0] and run it until it ends. */
static void run_program(char *const argv[])
{
	long err;
	struct proc *p = proc_spawn(argv[0], argv, NULL, &err);
	if (p)
		proc_run(p);
}

int mon_run(int argc, char **argv, struct trapframe *tf)
{
	if (tf || myproc()) {
		printk("A program is already running; 'continue' it first.\n");
		return 0;
	}
	if (argc < 2) {
		printk("usage: run /bin/PROGRAM [ARGS...]\n");
		return 0;
	}
	run_program(argv + 1);
	return 0;
}

void run_init(void)
{
	static char buf[256];
	char *argv[MAX_INIT_ARGS + 1];
	int argc = 0;

	const char *init = cmdline_get("init");
#if LAB >= 5
	if (!init)
		init = ""; /* lab 5: always start init; without a program it runs the shell */
#else
	if (!init || !*init)
		return;
#endif
	strlcpy(buf, init, sizeof(buf));
	for (char *p = buf; *p && argc < MAX_INIT_ARGS;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv[argc] = NULL;
#if LAB >= 4
	/* /bin/init becomes pid 1, with the program and its arguments as its own arguments.
	 * Lab 5: init opens the console and execs the program (or, without one, the shell).
	 * Lab 4 has no exec, so the kernel also starts the program, as init's first child
	 * (pid 2); init waits for it and for every orphan. */
	long err;
	char *init_argv[MAX_INIT_ARGS + 2] = { "/bin/init" };
#if LAB < 5
	if (argc == 0)
		return;
#endif
	memcpy(init_argv + 1, argv, sizeof(char *) * (size_t)(argc + 1));
	initproc = proc_spawn("/bin/init", init_argv, NULL, &err);
	if (!initproc)
		return;
#if LAB < 5
	proc_spawn(argv[0], argv, initproc, &err); /* if this fails, init finds no child */
#endif
	proc_run(initproc);
#else
	if (argc > 0)
		run_program(argv);
#endif
}
