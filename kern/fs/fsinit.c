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
	if (ramfs_mknod(NULL, "/dev/console", S_IFCHR | 0666, &console_ops, NULL) < 0 ||
	    ramfs_mknod(NULL, "/dev/null", S_IFCHR | 0666, &null_ops, NULL) < 0)
		printk("fs: could not make the device files\n");
}
