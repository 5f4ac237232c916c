/*
 * Regular files and directories (lab 5): opening a path of the file system (kern/fs/ramfs.c),
 * and the open-file operations on its nodes.
 */
#include <errno.h>
#include <unistd.h> /* SEEK_SET, SEEK_CUR, SEEK_END */
#include "fs/file.h"
#include "fs/fs.h"

static ssize_t node_pread(struct file *f, void *buf, size_t n, off_t off)
{
	return ramfs_read(f->node, buf, n, off);
}

/* As on Linux, O_APPEND sends pwrite's data to the end too, whatever the offset. */
static ssize_t node_pwrite(struct file *f, const void *buf, size_t n, off_t off)
{
	if (f->flags & O_APPEND)
		off = (off_t)f->node->size;
	return ramfs_write(f->node, buf, n, off);
}

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
	.pread = node_pread,
	.pwrite = node_pwrite,
	.seek = node_seek,
};

/* The node path names, made as a regular file if it is missing and flags has O_CREAT. */
static int open_node(struct inode *cwd, const char *path, int flags, uint32_t mode,
                     struct inode **node)
{
	int r = flags & O_NOFOLLOW ? ramfs_lookup_link(cwd, path, node)
	                           : ramfs_lookup(cwd, path, node);
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

	/* acc may also be 3 (O_ACCMODE): neither reading nor writing, as Linux allows (for
	 * ioctl, say). */
	int r = open_node(cwd, path, flags, mode, &node);
	if (r < 0)
		return r;
	if (S_ISLNK(node->mode))
		return -ELOOP; /* O_NOFOLLOW, and the last name is a link */
	if (S_ISDIR(node->mode) && (acc != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (!S_ISDIR(node->mode) && (flags & O_DIRECTORY))
		return -ENOTDIR;
	if (S_ISREG(node->mode) && !node->dev_ops && (flags & O_TRUNC) && acc != O_RDONLY) {
		if ((r = ramfs_truncate(node, 0)) < 0)
			return r;
	}
	const struct file_ops *ops = node->dev_ops ? node->dev_ops : &node_ops;
	struct file *f = file_alloc(ops, flags, node->dev_data);
	if (!f)
		return -ENOMEM;
	f->node = node;
	inode_get(node);
	*out = f;
	return 0;
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
