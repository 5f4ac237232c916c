/*
 * kmain: the first C code. Brings the kernel up layer by layer (console, boot information,
 * command line; lab 2 memory; lab 3 traps and processes ...), then runs the selected
 * self-test or the first program, and ends in the monitor. The one place that knows every
 * subsystem: each registers its hooks with the layers below here.
 */
#include <string.h>
#include <memlayout.h>
#include "boot/multiboot.h"
#include "core/cmdline.h"
#include "core/panic.h"
#include "core/printk.h"
#include "debug/debug.h"
#include "dev/console.h"
#include "dev/qemu.h"
#include "monitor/selftest.h"
#include "monitor/monitor.h"
#if LAB >= 2
#include "mm/check.h"
#include "mm/kas.h"
#include "mm/page.h"
#include "monitor/memview.h"
#include "trap/trap.h"
#endif
#if LAB >= 3
#include "core/cpu.h"
#include "dev/pic.h"
#include "fs/devices.h"
#include "fs/initrd.h"
#include "proc/proc.h"
#include "sys/exec.h"
#include "sys/syscall.h"
#endif
#if LAB >= 4
#include "fs/file.h"
#include "proc/fpu.h"
#include "sched/sched.h"
#include "sched/trace.h"
#if LAB >= 7
#include "sched/reaper.h"
#endif
#endif
#if LAB >= 5
#include "fs/fs.h"
#include "fs/fsinit.h"
#include "sys/procfs.h"
#endif

#if LAB >= 3
#define MAX_INIT_ARGS 32

/*
 * The first program: init="PROG ARGS" on the command line. Lab 3 runs PROG alone; lab 4
 * starts /bin/init as pid 1 and PROG as its child (there is no exec yet); from lab 5 the
 * kernel starts only /bin/init, which runs PROG itself (or, without one, the shell).
 */
static void run_init(void)
{
	static char buf[256];
	char *argv[MAX_INIT_ARGS + 2] = { "/bin/init" };
	int argc = 1;
	long err;

	const char *init = cmdline_get("init");
#if LAB < 5
	if (!init || !*init)
		return;
#endif
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
	/* The end of the kernel's own start-up (tools/bench-boot.py times it from here). */
	printk("Kernel ready: starting %s\n", LAB >= 4 ? argv[0] : argc > 1 ? argv[1] : "nothing");
#if LAB >= 4
	initproc = spawn("/bin/init", argv, NULL, &err);
	if (!initproc)
		return;
#if LAB >= 7
	reaper_start(); /* lab 7: the kernel thread that frees exited threads (after pid 1) */
#endif
#if LAB < 5
	spawn(argv[1], argv + 1, initproc, &err); /* if this fails, init finds no child */
#endif
	run_processes();
#if LAB >= 5
	/* init ends only by powering off; if it died instead, there is nothing left to run. */
	printk("init has ended: powering off\n");
	qemu_poweroff();
#endif
#else
	if (spawn(argv[1], argv + 1, NULL, &err))
		run_processes();
#endif
}
#endif

void kmain(uint32_t magic, physaddr_t mbi_pa)
{
	console_init();
	printk("\nSparrow x86-64 teaching kernel (lab %d checkpoint)\n", LAB);
	if (mb_init(magic, mbi_pa) < 0)
		panic("cannot continue without the multiboot2 boot information");
	cmdline_init(mb_cmdline());
	ksym_init();
	monitor_init(); /* from here on a panic ends in the monitor */
	if (cmdline_string()[0])
		printk("Command line: %s\n", cmdline_string());
	mb_print_mmap();
#if LAB >= 2
	/* Lab 2: exceptions are reported from here on; then memory, each part checked. */
	trap_init();
	page_init();
	check_page_alloc();
	check_vm();
	kas_init();
	check_kas();
	check_kmalloc();
	memview_init();
#endif
#if LAB >= 3
	/* Lab 3: user mode. Segments and the TSS, interrupts remapped and masked, system
	 * calls and user traps, the ramdisk the programs come from, console input. */
	cpu_init();
	pic_init();
	syscall_init();
	sys_init();
	initrd_init();
	console_input_init();
#endif
#if LAB >= 4
	/* Lab 4: per-process FPU state, the timer that preempts user programs, and sleeping
	 * on files (pipes, the console) through the scheduler. */
	fpu_init();
	timer_init();
	trace_init();
	timer_hook = memview_tick;
	file_wakeup_hook = wakeup;
#endif
#if LAB >= 5
	/* Lab 5: the file system, from the ramdisk, with the devices and /proc. */
	fs_clock_hook = clock_realtime;
	fs_init();
	procfs_init();
	exec_init();
#endif
#if LAB >= 6
	/* Lab 6: signals (misaligned accesses fault, for SIGBUS). */
	signal_init();
#endif

	const char *test = cmdline_get("test");
	if (test) {
		if (!selftest_run(test)) {
			printk("No kernel self-test named '%s'. There are:\n", test);
			selftest_list();
		}
		qemu_poweroff();
	}
#if LAB >= 3
	run_init();
#endif
	for (;;)
		monitor(NULL);
}
