/*
 * Open files (lab 5): opening a path, the shared open-file object, the checks every kind of
 * file shares, and the operations of regular files and directories on top of ramfs.
 */
#include <errno.h>
#include "fs/file.h"
#include "fs/fs.h"
#include "mm/kmalloc.h"

void (*file_wakeup_hook)(void *chan);

void file_wakeup(void *chan)
{
	if (file_wakeup_hook)
		file_wakeup_hook(chan);
}

/* ---- regular files and directories ------------------------------------------------------ */

static ssize_t node_read(struct file *f, void *buf, size_t n)
{
	ssize_t r = ramfs_read(f->node, buf, n, f->off);
	if (r > 0)
		f->off += r;
	return r;
}

static ssize_t node_write(struct file *f, const void *buf, size_t n)
{
	if (f->flags & O_APPEND)
		f->off = (off_t)f->node->size;
	ssize_t r = ramfs_write(f->node, buf, n, f->off);
	if (r > 0)
		f->off += r;
	return r;
}

/* lseek: a regular file may be positioned past its end (a later write leaves a hole); a
 * directory's offset is an entry index, so only SEEK_SET and SEEK_CUR make sense there. */
static off_t node_seek(struct file *f, off_t off, int whence)
{
	off_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->off;
		break;
	case SEEK_END:
		if (S_ISDIR(f->node->mode))
			return -EINVAL;
		base = (off_t)f->node->size;
		break;
	default:
		return -EINVAL;
	}
	if ((off < 0 && base + off < 0) || (off > 0 && off > FS_MAX_FILE - base))
		return -EINVAL;
	f->off = base + off;
	return f->off;
}

static const struct file_ops node_ops = {
	.read = node_read,
	.write = node_write,
	.seek = node_seek,
};

/* ---- open files ------------------------------------------------------------------------- */

struct file *file_alloc(const struct file_ops *ops, struct inode *node, int flags, void *priv)
{
	struct file *f = kmalloc(sizeof(*f));
	if (!f)
		return NULL;
	f->ops = ops;
	f->refs = 1;
	f->flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC);
	f->off = 0;
	f->node = node;
	f->priv = priv;
	if (node)
		inode_get(node);
	return f;
}

/* The node path names, made as a regular file if it is missing and flags has O_CREAT. */
static int open_node(struct inode *cwd, const char *path, int flags, uint32_t mode,
                     struct inode **node)
{
	int r = ramfs_lookup(cwd, path, node);
	if (r == 0 && (flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (r == -ENOENT && (flags & O_CREAT))
		r = ramfs_create(cwd, path, mode, node);
	return r;
}

int file_open(struct inode *cwd, const char *path, int flags, uint32_t mode, struct file **out)
{
	struct inode *node;
	int acc = flags & O_ACCMODE;

	if (acc != O_RDONLY && acc != O_WRONLY && acc != O_RDWR)
		return -EINVAL;
	int r = open_node(cwd, path, flags, mode, &node);
	if (r < 0)
		return r;
	if (S_ISDIR(node->mode) && (acc != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (!S_ISDIR(node->mode) && (flags & O_DIRECTORY))
		return -ENOTDIR;
	if (S_ISREG(node->mode) && (flags & O_TRUNC) && acc != O_RDONLY) {
		if ((r = ramfs_truncate(node, 0)) < 0)
			return r;
	}
	const struct file_ops *ops = S_ISCHR(node->mode) ? node->dev_ops : &node_ops;
	struct file *f = file_alloc(ops, node, flags, node->dev_data);
	if (!f)
		return -ENOMEM;
	*out = f;
	return 0;
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
	if (f->ops->close)
		f->ops->close(f);
	if (f->node)
		inode_put(f->node);
	kfree(f);
}

/* ---- the operations, checked ------------------------------------------------------------ */

static bool readable(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static bool writable(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
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

off_t file_seek(struct file *f, off_t off, int whence)
{
	if (!f->ops->seek)
		return -ESPIPE;
	return f->ops->seek(f, off, whence);
}

int file_stat(struct file *f, struct kstat *st)
{
	if (f->ops->stat)
		return f->ops->stat(f, st);
	if (!f->node)
		return -EINVAL;
	ramfs_stat(f->node, st);
	return 0;
}

int file_readdir(struct file *f, struct fs_dirent *de)
{
	if (!f->node || !S_ISDIR(f->node->mode))
		return -ENOTDIR;
	if (f->off < 0)
		return 0;
	return ramfs_readdir(f->node, (size_t)f->off, de);
}

void *file_wait_channel(struct file *f)
{
	return f->ops->wait_channel ? f->ops->wait_channel(f) : NULL;
}
