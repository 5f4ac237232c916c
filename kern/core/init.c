/*
 * kmain: the first C code. Brings the kernel up in lab order (console, boot information,
 * command line; lab 2 memory; lab 3 traps and processes ...) and then runs the selected
 * self-test or program, or the monitor.
 */
#include <memlayout.h>
#include "boot/multiboot.h"
#include "core/cmdline.h"
#include "core/panic.h"
#include "core/printk.h"
#include "debug/debug.h"
#include "debug/selftest.h"
#include "dev/console.h"
#include "dev/qemu.h"
#include "monitor/monitor.h"
#if LAB >= 2
#include "mm/check.h"
#include "mm/kas.h"
#include "mm/page.h"
#include "trap/trap.h"
#endif
#if LAB >= 3
#include "core/cpu.h"
#include "dev/pic.h"
#include "fs/initrd.h"
#include "proc/syscall.h"
#endif
#if LAB >= 4
#include "proc/proc.h"
#include "sched/sched.h"
#endif
#if LAB >= 5
#include "fs/fsinit.h"
#endif

void kmain(uint32_t magic, physaddr_t mbi_pa)
{
	console_init();
	printk("\nSparrow x86-64 teaching kernel (lab %d checkpoint)\n", LAB);
	if (mb_init(magic, mbi_pa) < 0)
		panic("cannot continue without the multiboot2 boot information");
	cmdline_init(mb_cmdline());
	ksym_init();
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
#endif
#if LAB >= 3
	/* Lab 3: user mode. Segments and the TSS, interrupts remapped and masked, system
	 * calls, and the ramdisk the programs come from. */
	cpu_init();
	pic_init();
	syscall_init();
	initrd_init();
#endif
#if LAB >= 4
	/* Lab 4: per-process FPU state, and the timer that preempts user programs. */
	fpu_init();
	timer_init();
#endif
#if LAB >= 5
	/* Lab 5: the file system, from the ramdisk, with the devices. */
	fs_init();
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
