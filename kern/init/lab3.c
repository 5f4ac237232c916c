/*
 * Lab 3's bring-up: user mode. Segments and the TSS, interrupts remapped and masked, system
 * calls and user traps, the ramdisk the programs come from, console input. The first
 * program is init="PROG ARGS" from the command line, run alone (there is no init yet).
 */
#include <string.h>
#include "core/cmdline.h"
#include "core/cpu.h"
#include "core/printk.h"
#include "dev/pic.h"
#include "fs/devices.h"
#include "fs/initrd.h"
#include "init/init.h"
#include "sys/exec.h"
#include "sys/syscall.h"
#include "trap/trap.h"

int init_argv(char *argv[])
{
	static char buf[256];
	int argc = 1;

	argv[0] = "/bin/init";
	const char *init = cmdline_get("init");
	strlcpy(buf, init ? init : "", sizeof(buf));
	for (char *p = buf; *p && argc <= MAX_INIT_ARGS;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv[argc] = NULL;
	return argc;
}

/* PROG, alone, until it and its children have ended. */
static void start_program(void)
{
	char *argv[MAX_INIT_ARGS + 2];
	long err;

	if (init_argv(argv) == 1)
		return;
	/* The end of the kernel's own start-up (tools/bench-boot.py times it from here). */
	printk("Kernel ready: starting %s\n", argv[1]);
	if (spawn(argv[1], argv + 1, NULL, &err))
		run_processes();
}

static void lab3_init(void)
{
	cpu_init();
	pic_init();
	syscall_init();
	sys_init();
	initrd_init();
	console_input_init();
	start_first_program = start_program;
}
LAB_INIT(3, lab3_init);
