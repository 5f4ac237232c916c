/*
 * Locating the initial ramdisk among the multiboot2 modules and looking files up in it.
 */
#include <errno.h>
#include <string.h>
#include <memlayout.h>
#include "boot/multiboot.h"
#include "core/printk.h"
#include "fs/cpio.h"
#include "fs/initrd.h"

static const void *archive;
static size_t archive_size;

void initrd_init(void)
{
	for (int i = 0; i < mb_module_count(); i++) {
		const struct mb2_tag_module *m = mb_module(i);
		if (strcmp(m->cmdline, "initrd") != 0 || m->mod_end < m->mod_start)
			continue;
		archive = P2V(m->mod_start);
		archive_size = m->mod_end - m->mod_start;
		return;
	}
	printk("initrd: GRUB loaded no module named 'initrd': no programs to run\n");
}

const void *initrd_archive(size_t *size)
{
	*size = archive_size;
	return archive;
}

int initrd_lookup(const char *path, const void **data, size_t *size)
{
	struct cpio_entry e;
	if (!archive || cpio_find(archive, archive_size, path, &e) < 0)
		return -ENOENT;
	*data = e.data;
	*size = e.size;
	return 0;
}
