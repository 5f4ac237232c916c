/*
 * Pipes (lab 5): a bounded buffer between a read end and a write end. Nothing here sleeps:
 * an operation that would block returns -EAGAIN, and the system call sleeps on the file's
 * wait channel; wakeups go through file_wakeup (see docs/design-lab5-fs.md).
 */
#include <errno.h>
#include <string.h>
#include "fs/file.h"
#include "fs/fs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"

struct pipe {
	char *buf;     /* PIPE_SIZE bytes, used as a ring */
	size_t nread;  /* bytes read since the pipe was made: a writer waits for it to move */
	size_t nwrite; /* bytes written: a reader waits for it to move */
	int readers, writers; /* open files at each end */
};

/* Bytes in the buffer. The counters only grow, so this is right even when they wrap. */
static size_t pipe_used(const struct pipe *p)
{
	return p->nwrite - p->nread;
}

/* Data if there is some (at most n bytes); 0 (end of file) once every writer has closed;
 * otherwise -EAGAIN. */
static ssize_t pipe_read(struct file *f, void *buf, size_t n)
{
	struct pipe *p = f->priv;

	// LAB 5: Read up to n bytes from the pipe's ring buffer (p->buf, PIPE_SIZE bytes; the
	// counters p->nread and p->nwrite only grow, so the data is at index % PIPE_SIZE).
	// Empty pipe: 0 (end of file) once no writer is left, else -EAGAIN (the caller sleeps).
	// Wake writers waiting for room: file_wakeup(&p->nread).
	//= BEGIN LAB 5
	if (n == 0)
		return 0;
	if (pipe_used(p) == 0)
		return p->writers > 0 ? -EAGAIN : 0;
	n = MIN(n, pipe_used(p));
	for (size_t i = 0; i < n; i++)
		((char *)buf)[i] = p->buf[(p->nread + i) % PIPE_SIZE];
	p->nread += n;
	file_wakeup(&p->nread);
	return (ssize_t)n;
	//= STUB
	//= (void)p, (void)buf, (void)n, (void)pipe_used;
	//= return -ENOSYS;
	//= END
}

/* -EPIPE without readers. A write of up to PIPE_SIZE bytes goes in whole or not at all
 * (-EAGAIN until there is room for all of it); a larger one puts in what fits. */
static ssize_t pipe_write(struct file *f, const void *buf, size_t n)
{
	struct pipe *p = f->priv;

	// LAB 5: Write to the ring buffer. No reader left: -EPIPE. A write of up to PIPE_SIZE
	// bytes goes in whole or not at all (-EAGAIN until there is room for all of it, so it is
	// atomic); a larger one puts in what fits (-EAGAIN if nothing does). Wake readers:
	// file_wakeup(&p->nwrite).
	//= BEGIN LAB 5
	if (p->readers == 0)
		return -EPIPE;
	if (n == 0)
		return 0;
	size_t room = PIPE_SIZE - pipe_used(p);
	if (room == 0 || (n <= PIPE_SIZE && room < n))
		return -EAGAIN;
	n = MIN(n, room);
	for (size_t i = 0; i < n; i++)
		p->buf[(p->nwrite + i) % PIPE_SIZE] = ((const char *)buf)[i];
	p->nwrite += n;
	file_wakeup(&p->nwrite);
	return (ssize_t)n;
	//= STUB
	//= (void)p, (void)buf, (void)n;
	//= return -ENOSYS;
	//= END
}

static int pipe_stat(struct file *f, struct kstat *st)
{
	struct pipe *p = f->priv;

	memset(st, 0, sizeof(*st));
	st->mode = S_IFIFO | 0600;
	st->nlink = 1;
	st->size = pipe_used(p);
	return 0;
}

/* One end is closed: the other side may now see end of file or -EPIPE, so wake it. */
static void pipe_close(struct file *f)
{
	struct pipe *p = f->priv;

	if ((f->flags & O_ACCMODE) == O_RDONLY) {
		p->readers--;
		file_wakeup(&p->nread);
	} else {
		p->writers--;
		file_wakeup(&p->nwrite);
	}
	if (p->readers == 0 && p->writers == 0) {
		kpage_free(p->buf);
		kfree(p);
	}
}

/* As Linux: the read end is readable with data in the buffer and hung up once no writer
 * is left; the write end is writable with room for a byte, in error once no reader is. */
static int pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return (pipe_used(p) ? POLLIN | POLLRDNORM : 0) | (p->writers ? 0 : POLLHUP);
	return (pipe_used(p) < PIPE_SIZE ? POLLOUT | POLLWRNORM : 0) | (p->readers ? 0 : POLLERR);
}

static void *pipe_wait_channel(struct file *f)
{
	struct pipe *p = f->priv;

	return (f->flags & O_ACCMODE) == O_RDONLY ? (void *)&p->nwrite : (void *)&p->nread;
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.stat = pipe_stat,
	.poll = pipe_poll,
	.close = pipe_close,
	.wait_channel = pipe_wait_channel,
};

int pipe_create(struct file **rf, struct file **wf, int flags)
{
	struct pipe *p = kmalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));
	_Static_assert(PIPE_SIZE == PGSIZE, "a pipe's buffer is one page");
	if (!(p->buf = kpage_alloc(0))) {
		kfree(p);
		return -ENOMEM;
	}
	flags &= O_NONBLOCK;
	if (!(*rf = file_alloc(&pipe_ops, O_RDONLY | flags, p)))
		goto fail;
	if (!(*wf = file_alloc(&pipe_ops, O_WRONLY | flags, p))) {
		p->readers = 1; /* the read end's close frees the pipe */
		file_close(*rf);
		return -ENOMEM;
	}
	p->readers = p->writers = 1;
	return 0;
fail:
	kpage_free(p->buf);
	kfree(p);
	return -ENOMEM;
}
