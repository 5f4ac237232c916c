/*
 * File system start-up (lab 5): an empty in-memory tree, filled from the initial ramdisk,
 * plus the device files.
 */
#include "core/panic.h"
#include "core/printk.h"
#include "fs/devices.h"
#include "fs/fs.h"
#include "fs/fsinit.h"
#include "fs/initrd.h"

/* A device node at path with its device number. */
static int make_device(const char *path, const struct file_ops *ops, uint32_t rdev)
{
	struct inode *node;
	int r = ramfs_mknod(NULL, path, S_IFCHR | 0666, ops, NULL);
	if (r == 0 && (r = ramfs_lookup(NULL, path, &node)) == 0)
		node->rdev = rdev;
	return r;
}

void fs_init(void)
{
	size_t size;
	const void *archive = initrd_archive(&size);

	if (ramfs_init() < 0)
		panic("fs_init: no memory for the root directory");
	if (archive) {
		int r = ramfs_populate(archive, size);
		if (r < 0)
			printk("fs: the ramdisk could not be read completely (error %d)\n", r);
	}
	ramfs_mkdir(NULL, "/dev", 0755);
	if (make_device("/dev/console", &console_ops, CONSOLE_RDEV) < 0 ||
	    make_device("/dev/null", &null_ops, NULL_RDEV) < 0)
		printk("fs: could not make the device files\n");
}
