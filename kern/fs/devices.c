/*
 * Device files. The console (lab 3 on): what is typed on the serial port or the keyboard
 * arrives by interrupt, is edited a line at a time (echo, backspace, ^D for end of file:
 * kern/dev/console.c's line editor) and queued for readers; writes go to the screen. Lab 5
 * adds /dev/null and gives them names in the file system (kern/fs/fsinit.c); lab 6 sends
 * ^C and ^\ to the console's foreground process group.
 */
#include <errno.h>
#include <ioctl.h>
#include <string.h>
#include "dev/console.h"
#include "dev/pic.h"
#include "fs/devices.h"
#include "fs/file.h"
#include "proc/uaccess.h"
#if LAB >= 5
#include "fs/fs.h"
#endif
#include "trap/trap.h"
#if LAB >= 6
#include "proc/proc.h"
#endif

#define INPUT_BUF 1024 /* bytes of typed lines waiting for a reader */
#define INPUT_MAX 32   /* lines waiting */

/*
 * The console's input. Characters are edited into `edit`; a newline (or ^D) moves the line
 * into the queue of finished lines, which readers take. A read returns at most one line;
 * an empty line finished by ^D is an end of file (a read returns 0).
 */
static struct {
	struct line edit;
	char buf[INPUT_BUF];     /* finished lines, back to back, as a ring */
	size_t head, tail;       /* buf[tail % INPUT_BUF .. head % INPUT_BUF): counters */
	uint16_t len[INPUT_MAX]; /* the finished lines' lengths, oldest first, as a ring */
	size_t first, nlines;
} in;

/* Queue the edited line (length n, 0 for an end of file); dropped if the queue is full. */
static void finish_line(size_t n)
{
	if (in.nlines < INPUT_MAX && in.head - in.tail + n <= INPUT_BUF) {
		for (size_t i = 0; i < n; i++)
			in.buf[in.head++ % INPUT_BUF] = in.edit.buf[i];
		in.len[(in.first + in.nlines++) % INPUT_MAX] = (uint16_t)n;
		file_wakeup(&in);
	}
	in.edit.len = 0;
}

/* The terminal settings, in the kernel's layout (Linux's struct termios as the TCGETS
 * ioctl sees it: 36 bytes, not the C libraries' larger one). Kept as set; of its flags,
 * ICANON and ECHO count: without ICANON (a program that edits lines itself, such as a
 * shell with history) each character is passed on as it comes, echoed only with ECHO. */
static struct termios termios = {
	.c_iflag = ICRNL,
	.c_oflag = OPOST | ONLCR,
	.c_cflag = B38400 | CS8 | CREAD,
	.c_lflag = ISIG | ICANON | ECHO | ECHOE,
	.c_cc = { [VINTR] = 3,
	          [VQUIT] = 0x1c,
	          [VERASE] = 0x7f,
	          [VKILL] = 0x15,
	          [VEOF] = 4,
	          [VMIN] = 1 },
};

#if LAB >= 6
static bool console_signal(int c);
#endif

/* Take the characters that have arrived (the interrupt handler; readers too). */
static void console_poll(void)
{
	int c;
	while ((c = cgetchar_nowait()) >= 0) {
#if LAB >= 6
		if (console_signal(c))
			continue;
#endif
		if (!(termios.c_lflag & ICANON)) {
			in.edit.buf[0] = (char)c;
			in.edit.len = 1;
			if (termios.c_lflag & ECHO)
				cputchar(c);
			finish_line(1);
			continue;
		}
		enum line_state st = line_feed(&in.edit, c);
		if (st != LINE_MORE)
			finish_line(in.edit.len);
	}
}

static void console_intr(struct trapframe *tf)
{
	(void)tf;
	console_poll();
}

static ssize_t console_read(struct file *f, void *buf, size_t n)
{
	(void)f;
	console_poll();
	if (in.nlines == 0)
		return -EAGAIN;
	size_t len = in.len[in.first];
	size_t k = MIN(n, len);
	for (size_t i = 0; i < k; i++)
		((char *)buf)[i] = in.buf[in.tail++ % INPUT_BUF];
	in.len[in.first] = (uint16_t)(len - k);
	if (k == len) { /* the whole line (or the end of file) is taken */
		in.first = (in.first + 1) % INPUT_MAX;
		in.nlines--;
	}
	return (ssize_t)k;
}

static ssize_t console_write(struct file *f, const void *buf, size_t n)
{
	(void)f;
	for (size_t i = 0; i < n; i++)
		cputchar(((const char *)buf)[i]);
	return (ssize_t)n;
}

#if LAB >= 6
/* Lab 6: the console's foreground process group, which ^C and ^\ signal; a shell hands the
 * console to each job it runs in the foreground (TIOCSPGRP). At boot: init's group. */
static int console_pgrp = 1;

/* ^C (VINTR) and ^\ (VQUIT), when ISIG is on: SIGINT or SIGQUIT to the foreground group,
 * and the input not read yet is dropped, as Linux's terminals do. True if c was one. */
static bool console_signal(int c)
{
	int sig;
	if (!(termios.c_lflag & ISIG) || c <= 0)
		return false;
	if (c == termios.c_cc[VINTR])
		sig = SIGINT;
	else if (c == termios.c_cc[VQUIT])
		sig = SIGQUIT;
	else
		return false;
	cputchar('^');
	cputchar(c + '@'); /* ^C, ^\ */
	cputchar('\n');
	in.edit.len = 0;
	in.tail = in.head;
	in.nlines = 0;
	signal_send_group(console_pgrp, sig, NULL);
	return true;
}

/* TIOCSPGRP: the group must exist, in the caller's session. */
static long set_foreground(uintptr_t uarg)
{
	int pgrp;
	if (copy_from_user(&pgrp, uarg, sizeof(pgrp)) < 0)
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	int sid = pgrp_session(pgrp);
	if (sid < 0)
		return sid;
	if (sid != myproc()->sid)
		return -EPERM;
	console_pgrp = pgrp;
	return 0;
}
#endif

static long console_ioctl(struct file *f, unsigned int request, uintptr_t uarg)
{
	(void)f;
	switch (request) {
#if LAB >= 6
	case TIOCGPGRP:
		return copy_to_user(uarg, &console_pgrp, sizeof(console_pgrp));
	case TIOCSPGRP:
		return set_foreground(uarg);
#endif
	case TCGETS:
		return copy_to_user(uarg, &termios, sizeof(termios));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return copy_from_user(&termios, uarg, sizeof(termios));
	case TIOCGWINSZ: {
		struct winsize ws = { .ws_row = 25, .ws_col = 80 };
		return copy_to_user(uarg, &ws, sizeof(ws));
	}
	default:
		return -ENOTTY;
	}
}

/* Readable once a whole line (or an end of file) has been typed; always writable. */
static int console_poll_ready(struct file *f)
{
	(void)f;
	console_poll();
	return (in.nlines ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM;
}

#if LAB >= 5
/* The console is Linux's /dev/console, character device 5:1. */
static int console_stat(struct file *f, struct kstat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->mode = S_IFCHR | 0620;
	st->nlink = 1;
	st->rdev = CONSOLE_RDEV;
	return 0;
}
#endif

static void *console_wait(struct file *f)
{
	(void)f;
	return &in;
}

const struct file_ops console_ops = {
	.read = console_read,
	.write = console_write,
	.poll = console_poll_ready,
#if LAB >= 5
	.stat = console_stat,
#endif
	.ioctl = console_ioctl,
	.wait_channel = console_wait,
};

struct file *console_open(int flags)
{
	return file_alloc(&console_ops, flags, NULL);
}

void console_input_init(void)
{
	irq_register(IRQ_COM1, console_intr);
	irq_register(IRQ_KBD, console_intr);
	serial_irq_enable();
}

#if LAB >= 5
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

static ssize_t null_pread(struct file *f, void *buf, size_t n, off_t off)
{
	(void)off;
	return null_read(f, buf, n);
}

static ssize_t null_pwrite(struct file *f, const void *buf, size_t n, off_t off)
{
	(void)off;
	return null_write(f, buf, n);
}

const struct file_ops null_ops = {
	.read = null_read,
	.write = null_write,
	.pread = null_pread,
	.pwrite = null_pwrite,
};
#endif
