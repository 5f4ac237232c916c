/*
 * kmain: the first C code. Brings up lab 1's kernel (console, boot information, command
 * line, symbols, the monitor), then each later lab's part in lab order (kern/init/labN.c,
 * registered with LAB_INIT), then runs the selected self-test or the first program, and
 * ends in the monitor.
 */
#include "boot/multiboot.h"
#include "core/cmdline.h"
#include "core/panic.h"
#include "core/printk.h"
#include "debug/debug.h"
#include "dev/console.h"
#include "dev/qemu.h"
#include "init/init.h"
#include "monitor/selftest.h"
#include "monitor/monitor.h"

void (*start_first_program)(void);
void (*init_started_hook)(void);

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
	for (const lab_init_fn *f = __labinit_start; f < __labinit_end; f++)
		(*f)();

	const char *test = cmdline_get("test");
	if (test) {
		if (!selftest_run(test)) {
			printk("No kernel self-test named '%s'. There are:\n", test);
			selftest_list();
		}
		qemu_poweroff();
	}
	if (start_first_program)
		start_first_program();
	for (;;)
		monitor(NULL);
}
