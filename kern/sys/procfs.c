/*
 * /proc (lab 5): files whose contents the kernel makes at each read from its own tables.
 * /proc/ps is the process table as text, which the ps utility prints.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "core/printk.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "proc/proc.h"
#include "sys/procfs.h"

/* /proc/ps: made afresh at each read, from the file offset on. */
static ssize_t ps_read(struct file *f, void *buf, size_t n)
{
	static char text[NPROC * 64 + 64];
	size_t len = (size_t)snprintf(text, sizeof(text), "  PID  PPID STATE      PRI NAME\n");
	for (int i = 0; i < NPROC && len < sizeof(text); i++) {
		struct proc *p = &procs[i];
		if (p->state == PROC_UNUSED)
			continue;
		len += (size_t)snprintf(text + len, sizeof(text) - len, " %4d %5d %-9s %4d %s\n",
		                        p->pid, p->parent ? p->parent->pid : 0,
		                        proc_state_name(p->state), p->nice, p->name);
	}
	len = MIN(len, sizeof(text) - 1);
	if (f->off >= (off_t)len)
		return 0;
	size_t k = MIN(n, len - (size_t)f->off);
	memcpy(buf, text + f->off, k);
	f->off += (off_t)k;
	return (ssize_t)k;
}

static const struct file_ops ps_ops = {
	.read = ps_read,
};

void procfs_init(void)
{
	if (ramfs_mkdir(NULL, "/proc", 0555) < 0 ||
	    ramfs_mknod(NULL, "/proc/ps", S_IFCHR | 0444, &ps_ops, NULL) < 0)
		printk("procfs: could not make /proc\n");
}
