/*
 * Device files (lab 5): /dev/console (the serial and VGA console, with a line discipline:
 * echo, backspace, ^D for end of file), /dev/null, and /proc/ps, a text listing of the
 * processes that the ps utility prints.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "core/printk.h"
#include "dev/console.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "proc/proc.h"
#include "proc/syscall.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "fs/fd.h"
#include "fs/fsinit.h"

#define LINE_MAX 256
#define CTRL_D   4

/* The console's input line: characters are collected (and echoed) until a newline or ^D
 * completes it; readers then take it. */
static struct {
	char buf[LINE_MAX];
	size_t len; /* characters collected */
	bool ready; /* a whole line (or an end of file) is waiting */
	bool eof;   /* ^D on an empty line: the next read returns 0 */
} line;

/* Take the characters that have arrived. The console has no interrupt: readers poll at
 * every timer tick (their wait channel is `ticks`). */
static void console_poll(void)
{
	int c;
	while (!line.ready && (c = cgetchar_nowait()) >= 0) {
		if (c == '\b') {
			if (line.len > 0) {
				line.len--;
				printk("\b \b");
			}
		} else if (c == CTRL_D) {
			line.ready = true;
			line.eof = line.len == 0;
		} else if (c == '\n' || (c >= ' ' && c < 0x7F) || c == '\t') {
			if (line.len < LINE_MAX - 1 || c == '\n') {
				line.buf[line.len++] = (char)c;
				cputchar(c);
			}
			if (c == '\n')
				line.ready = true;
		}
	}
}

static ssize_t console_read(struct file *f, void *buf, size_t n)
{
	(void)f;
	console_poll();
	if (!line.ready)
		return -EAGAIN;
	if (line.eof) {
		line.eof = line.ready = false;
		return 0;
	}
	size_t k = MIN(n, line.len);
	memcpy(buf, line.buf, k);
	memmove(line.buf, line.buf + k, line.len - k);
	line.len -= k;
	if (line.len == 0)
		line.ready = false;
	return (ssize_t)k;
}

static ssize_t console_write(struct file *f, const void *buf, size_t n)
{
	(void)f;
	for (size_t i = 0; i < n; i++)
		cputchar(((const char *)buf)[i]);
	return (ssize_t)n;
}

static void *console_wait(struct file *f)
{
	(void)f;
	return (void *)&ticks;
}

static const struct file_ops console_ops = {
	.read = console_read,
	.write = console_write,
	.wait_channel = console_wait,
};

static ssize_t null_read(struct file *f, void *buf, size_t n)
{
	(void)f, (void)buf, (void)n;
	return 0;
}

static ssize_t null_write(struct file *f, const void *buf, size_t n)
{
	(void)f, (void)buf;
	return (ssize_t)n;
}

static const struct file_ops null_ops = {
	.read = null_read,
	.write = null_write,
};

/* /proc/ps: the process table as text, made afresh at each read from the file offset. */
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

void devices_init(void)
{
	ramfs_mkdir(NULL, "/dev", 0755);
	ramfs_mkdir(NULL, "/proc", 0555);
	if (ramfs_mknod(NULL, "/dev/console", S_IFCHR | 0666, &console_ops, NULL) < 0 ||
	    ramfs_mknod(NULL, "/dev/null", S_IFCHR | 0666, &null_ops, NULL) < 0 ||
	    ramfs_mknod(NULL, "/proc/ps", S_IFCHR | 0444, &ps_ops, NULL) < 0)
		printk("fs: could not make the device files\n");
}

/* ioctl: the console answers the two questions C libraries ask (is it a terminal, how wide
 * is it); everything else is not a terminal. */
#define TCGETS     0x5401
#define TIOCGWINSZ 0x5413

long sys_ioctl(const long a[6])
{
	struct file *f = fd_get((int)a[0]);
	if (!f)
		return -EBADF;
	if (!f->node || f->node->dev_ops != &console_ops)
		return -ENOTTY;
	if (a[1] == TIOCGWINSZ) {
		uint16_t ws[4] = { 25, 80, 0, 0 }; /* rows, columns, pixels */
		return copy_to_user((uintptr_t)a[2], ws, sizeof(ws));
	}
	if (a[1] == TCGETS) {
		uint8_t termios[60];
		memset(termios, 0, sizeof(termios));
		return copy_to_user((uintptr_t)a[2], termios, sizeof(termios));
	}
	return -EINVAL;
}
