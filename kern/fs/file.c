/*
 * Open files: the shared open-file object and the checks every kind of file shares (lab 3:
 * the console is the only kind; kern/fs/open.c adds lab 5's files and directories).
 */
#include <errno.h>
#include "fs/file.h"
#include "mm/kmalloc.h"
#if LAB >= 5
#include "fs/fs.h"
#include "fs/lock.h"
#endif

void (*file_wakeup_hook)(void *chan);
int file_pollers;

void file_wakeup(void *chan)
{
	if (file_wakeup_hook) {
		file_wakeup_hook(chan);
		if (file_pollers)
			file_wakeup_hook(&file_pollers);
	}
}

/* ---- open files ------------------------------------------------------------------------- */

struct file *file_alloc(const struct file_ops *ops, int flags, void *priv)
{
	struct file *f = kmalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->ops = ops;
	f->refs = 1;
	f->flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC);
	f->off = 0;
	f->node = NULL;
	f->priv = priv;
	return f;
}

struct file *file_dup(struct file *f)
{
	f->refs++;
	return f;
}

void file_close(struct file *f)
{
	if (--f->refs > 0)
		return;
#if LAB >= 5
	lock_release(lock_key(f), f); /* its open-file (F_OFD_SETLK) locks */
#endif
	if (f->ops->close)
		f->ops->close(f);
#if LAB >= 5
	if (f->node)
		inode_put(f->node);
#endif
	kfree(f);
}

/* ---- the operations, checked ------------------------------------------------------------ */

static bool readable(const struct file *f)
{
	int acc = f->flags & O_ACCMODE;
	return acc == O_RDONLY || acc == O_RDWR;
}

static bool writable(const struct file *f)
{
	int acc = f->flags & O_ACCMODE;
	return acc == O_WRONLY || acc == O_RDWR;
}

ssize_t file_read(struct file *f, void *buf, size_t n)
{
	if (!readable(f))
		return -EBADF;
	if (!f->ops->read)
		return -EINVAL;
	return f->ops->read(f, buf, n);
}

ssize_t file_write(struct file *f, const void *buf, size_t n)
{
	if (!writable(f))
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	return f->ops->write(f, buf, n);
}

ssize_t file_pread(struct file *f, void *buf, size_t n, off_t off)
{
	if (!f->ops->pread)
		return -ESPIPE;
	if (!readable(f))
		return -EBADF;
	return f->ops->pread(f, buf, n, off);
}

ssize_t file_pwrite(struct file *f, const void *buf, size_t n, off_t off)
{
	if (!f->ops->pwrite)
		return -ESPIPE;
	if (!writable(f))
		return -EBADF;
	return f->ops->pwrite(f, buf, n, off);
}

int file_poll(struct file *f)
{
	return f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT;
}

off_t file_seek(struct file *f, off_t off, int whence)
{
	if (!f->ops->seek)
		return -ESPIPE;
	return f->ops->seek(f, off, whence);
}

long file_ioctl(struct file *f, unsigned int request, uintptr_t uarg)
{
	if (!f->ops->ioctl)
		return -ENOTTY;
	return f->ops->ioctl(f, request, uarg);
}

void *file_wait_channel(struct file *f)
{
	return f->ops->wait_channel ? f->ops->wait_channel(f) : NULL;
}
