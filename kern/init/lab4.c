/*
 * Lab 4's bring-up: per-process FPU state, the timer that preempts user programs, the
 * scheduler's trace, and sleeping on files (pipes, the console) through the scheduler. The
 * first program is now /bin/init as pid 1, with PROG as its child (there is no exec yet).
 */
#include "core/printk.h"
#include "fs/file.h"
#include "init/init.h"
#include "monitor/memview.h"
#include "proc/fpu.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sched/trace.h"
#include "sys/exec.h"

static void start_init_and_program(void)
{
	char *argv[MAX_INIT_ARGS + 2];
	long err;

	if (init_argv(argv) == 1)
		return;
	printk("Kernel ready: starting %s\n", argv[0]);
	initproc = spawn("/bin/init", argv, NULL, &err);
	if (!initproc)
		return;
	spawn(argv[1], argv + 1, initproc, &err); /* if this fails, init finds no child */
	run_processes();
}

static void lab4_init(void)
{
	fpu_init();
	timer_init();
	trace_init();
	timer_hook = memview_tick;
	file_wakeup_hook = wakeup;
	start_first_program = start_init_and_program;
}
LAB_INIT(4, lab4_init);
