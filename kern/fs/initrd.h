/*
 * The initial ramdisk: the cpio archive GRUB loaded as the module named "initrd".
 */
#ifndef SPARROW_KERN_FS_INITRD_H
#define SPARROW_KERN_FS_INITRD_H

#include <types.h>

/* Find the archive among GRUB's modules; prints a warning if there is none. */
void initrd_init(void);
/* The archive itself, for the file system (lab 5): its bytes and size, or NULL. */
const void *initrd_archive(size_t *size);
/* A regular file by path: 0 with *data and *size set, or -ENOENT. */
int initrd_lookup(const char *path, const void **data, size_t *size);

#endif
