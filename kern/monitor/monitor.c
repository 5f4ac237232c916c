/*
 * The kernel monitor's command loop and its lab 1 commands. Each command is a function
 * taking argc/argv (and the trap frame of a stopped program, if any); a command returning
 * a negative number leaves the monitor.
 */
#include <string.h>
#include <x86.h>
#include <memlayout.h>
#include "monitor/monitor.h"
#include "core/printk.h"
#include "core/panic.h"
#include "core/cmdline.h"
#include "dev/console.h"
#include "dev/qemu.h"
#include "boot/multiboot.h"
#include "debug/debug.h"
#include "monitor/selftest.h"
#include "core/tables.h"

#define MAX_ARGS 16

static int mon_help(int argc, char **argv, struct trapframe *tf);

static int mon_kerninfo(int argc, char **argv, struct trapframe *tf)
{
	extern char __kernel_start[], __kernel_end[];
	extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
	extern char __data_start[], __data_end[], __bss_start[], __bss_end[];
	static const struct {
		const char *name;
		char *start, *end;
	} sections[] = {
		{ ".text", __text_start, __text_end },
		{ ".rodata", __rodata_start, __rodata_end },
		{ ".data", __data_start, __data_end },
		{ ".bss", __bss_start, __bss_end },
	};
	(void)argc, (void)argv, (void)tf;

	printk("Kernel sections (virtual address range, size):\n");
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
		char *s = sections[i].start, *e = sections[i].end;
		printk("  %-8s %016lx-%016lx %8lu bytes  (physical %08lx)\n", sections[i].name,
		       (uintptr_t)s, (uintptr_t)e, (size_t)(e - s), KV2P(s));
	}
	printk("Kernel image in memory: %lu KiB, physical %#lx-%#lx\n",
	       (size_t)(__kernel_end - __kernel_start) / 1024, KV2P(__kernel_start),
	       KV2P(__kernel_end));
	return 0;
}

static int mon_backtrace(int argc, char **argv, struct trapframe *tf)
{
	(void)argc, (void)argv, (void)tf;
	backtrace_print(read_rbp());
	return 0;
}

static int mon_mmap(int argc, char **argv, struct trapframe *tf)
{
	(void)argc, (void)argv, (void)tf;
	mb_print_mmap();
	return 0;
}

static int mon_cmdline(int argc, char **argv, struct trapframe *tf)
{
	(void)argc, (void)argv, (void)tf;
	printk("Kernel command line: %s\n", cmdline_string());
	printk("Self-tests (test=NAME or make run-NAME):\n");
	selftest_list();
	return 0;
}

static int mon_poweroff(int argc, char **argv, struct trapframe *tf)
{
	(void)argc, (void)argv, (void)tf;
	qemu_poweroff();
}

/* Lab 1's commands; the later labs' are in their own files (MONITOR_COMMAND). */
static const struct monitor_command commands[] = {
	{ "help", "list the commands", mon_help },
	{ "kerninfo", "kernel sections: addresses and sizes", mon_kerninfo },
	{ "backtrace", "stack backtrace of the monitor itself", mon_backtrace },
	{ "mmap", "the physical memory map from the boot loader", mon_mmap },
	{ "cmdline", "the kernel command line and the self-tests", mon_cmdline },
	{ "poweroff", "power the machine off (ends QEMU)", mon_poweroff },
};

void (*monitor_prompt_hook)(void);

static int mon_help(int argc, char **argv, struct trapframe *tf)
{
	(void)argc, (void)argv, (void)tf;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printk("  %-12s %s\n", commands[i].name, commands[i].help);
	for (const struct monitor_command *const *c = __moncmd_start; c < __moncmd_end; c++)
		printk("  %-12s %s\n", (*c)->name, (*c)->help);
	return 0;
}

/* The command called name: lab 1's, then those the later labs' files add. */
static const struct monitor_command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	for (const struct monitor_command *const *c = __moncmd_start; c < __moncmd_end; c++)
		if (strcmp(name, (*c)->name) == 0)
			return *c;
	return NULL;
}

/* Read one line (the console's line editor); NULL on ^D at the start of a line. */
static char *readline(const char *prompt)
{
	static struct line l;

	printk("%s", prompt);
	l.len = 0;
	for (;;) {
		enum line_state st = line_feed(&l, cgetchar());
		if (st == LINE_EOF && l.len == 0) {
			printk("\n");
			return NULL;
		}
		if (st == LINE_DONE) {
			l.buf[l.len - 1] = '\0';
			return l.buf;
		}
	}
}

/* Split line into words in place and run the command. Returns the command's result. */
static int runcmd(char *line, struct trapframe *tf)
{
	char *argv[MAX_ARGS + 1];
	int argc = 0;

	for (char *p = line;;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == MAX_ARGS) {
			printk("Too many arguments (at most %d)\n", MAX_ARGS);
			return 0;
		}
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	argv[argc] = NULL;
	if (argc == 0)
		return 0;
	const struct monitor_command *c = find_command(argv[0]);
	if (c)
		return c->fn(argc, argv, tf);
	printk("Unknown command '%s' (try 'help')\n", argv[0]);
	return 0;
}

void monitor_init(void)
{
	debugger = monitor;
}

void monitor(struct trapframe *tf)
{
	if (panicstr)
		printk("The kernel has panicked; the monitor still works. Type 'help'.\n");
	else
		printk("Welcome to the Sparrow kernel monitor. Type 'help' for commands.\n");
	for (;;) {
		if (monitor_prompt_hook)
			monitor_prompt_hook();
		char *line = readline("K> ");
		if (!line)
			continue;
		if (runcmd(line, tf) < 0)
			return;
	}
}
