/*
 * The two ways the kernel talks to QEMU itself: fw_cfg files (the per-run command line a
 * grader passes with -fw_cfg) and powering the virtual machine off at the end of a run.
 */
#ifndef SPARROW_KERN_DEV_QEMU_H
#define SPARROW_KERN_DEV_QEMU_H

#include <types.h>

/* Copy fw_cfg file NAME into buf (at most size-1 bytes, NUL-terminated). Returns the
 * length, or -1 if there is no fw_cfg device or no such file. */
int fwcfg_read_file(const char *name, char *buf, size_t size);

/* Say so and power off; first runs poweroff_hook, if set (the scheduler trace's dump). */
void qemu_poweroff(void) __attribute__((noreturn));
extern void (*poweroff_hook)(void);
void qemu_poweroff_or_halt(void) __attribute__((noreturn));

#endif
