/*
 * Lab 5's bring-up: the file system, from the ramdisk, with the devices and /proc. The
 * kernel now starts only /bin/init, which runs PROG itself (or, without one, the shell),
 * and powers off if init ever ends.
 */
#include "core/printk.h"
#include "dev/qemu.h"
#include "fs/fs.h"
#include "fs/fsinit.h"
#include "init/init.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sys/exec.h"
#include "sys/procfs.h"

static void start_init(void)
{
	char *argv[MAX_INIT_ARGS + 2];
	long err;

	init_argv(argv);
	printk("Kernel ready: starting %s\n", argv[0]);
	initproc = spawn("/bin/init", argv, NULL, &err);
	if (!initproc)
		return;
	if (init_started_hook)
		init_started_hook();
	run_processes();
	/* init ends only by powering off; if it died instead, there is nothing left to run. */
	printk("init has ended: powering off\n");
	qemu_poweroff();
}

static void lab5_init(void)
{
	fs_clock_hook = clock_realtime;
	fs_init();
	procfs_init();
	exec_init();
	start_first_program = start_init;
}
LAB_INIT(5, lab5_init);
