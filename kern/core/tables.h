/*
 * Tables the linker puts together. A file adds an entry to a table (a monitor command, a
 * self-test, a lab's bring-up) where it defines what the entry names, so a lab brings its
 * commands and tests by compiling its files: no list elsewhere needs an #if for it. Each
 * entry is a pointer in the table's section; kern/boot/kernel.ld gathers each section
 * between TABLE_start and TABLE_end symbols.
 */
#ifndef SPARROW_KERN_CORE_TABLES_H
#define SPARROW_KERN_CORE_TABLES_H

#include <types.h>

/* A pointer to obj in section sect (the pointer's own name made from id). */
#define TABLE_ENTRY(sect, id, obj) \
	static const void *const table_entry_##id __attribute__((used, section(sect))) = &(obj)

struct trapframe;

/* A kernel monitor command (kern/monitor/monitor.c runs them): a negative result leaves
 * the monitor; tf is the stopped program's trap frame, or NULL. */
struct monitor_command {
	const char *name;
	const char *help;
	int (*fn)(int argc, char **argv, struct trapframe *tf);
};
#define MONITOR_COMMAND(cmd_name, cmd_help, cmd_fn)                                           \
	static const struct monitor_command moncmd_##cmd_fn = { cmd_name, cmd_help, cmd_fn }; \
	TABLE_ENTRY(".table.moncmd", moncmd_##cmd_fn, moncmd_##cmd_fn)
extern const struct monitor_command *const __moncmd_start[], *const __moncmd_end[];

/* A kernel self-test, run with test=NAME on the command line (kern/monitor/selftest.c). */
struct selftest {
	const char *name;
	void (*fn)(void);
	const char *what;
};
#define SELFTEST(test_name, test_fn, test_what)                                              \
	static const struct selftest selftest_##test_fn = { test_name, test_fn, test_what }; \
	TABLE_ENTRY(".table.selftest", selftest_##test_fn, selftest_##test_fn)
extern const struct selftest *const __selftest_start[], *const __selftest_end[];

/* Lab n's part of the kernel's bring-up (kern/init/labN.c); kmain calls them in lab order
 * (the linker sorts the sections by name). */
typedef void (*lab_init_fn)(void);
#define LAB_INIT(n, fn)                       \
	static const lab_init_fn lab_init_##n \
	        __attribute__((used, section(".table.labinit." #n))) = fn
extern const lab_init_fn __labinit_start[], __labinit_end[];

#endif
