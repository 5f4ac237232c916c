/*
 * File system start-up (lab 5): an empty in-memory tree, filled from the initial ramdisk,
 * plus the device files; and the hook through which pipes and devices wake sleepers
 * without the file system calling up into the scheduler.
 */
#include "core/panic.h"
#include "core/printk.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/fsinit.h"
#include "fs/initrd.h"
#include "sched/sched.h"

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
	devices_init();
	file_wakeup_hook = wakeup;
}
