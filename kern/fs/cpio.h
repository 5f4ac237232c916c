/*
 * Reading the initial ramdisk, a cpio archive in the "newc" format (tools/mkinitrd.py
 * writes it). The one archive reader: lab 3 finds programs with it, lab 5 builds the file
 * system from it.
 */
#ifndef SPARROW_KERN_FS_CPIO_H
#define SPARROW_KERN_FS_CPIO_H

#include <types.h>

struct cpio_entry {
	const char *name; /* path inside the archive, no leading slash, not NUL-terminated */
	size_t namelen;
	uint32_t mode; /* file type and permission bits, as in stat */
	const void *data;
	size_t size;
};

/* Read the entry at *pos (start with 0) and advance *pos. Returns 1 for an entry, 0 at the
 * end of the archive, -1 if the archive is malformed there. */
int cpio_next(const void *archive, size_t archive_size, size_t *pos, struct cpio_entry *e);

/* Find a regular file by path ("/bin/hello" or "bin/hello"). Returns 0, or -ENOENT. A
 * malformed archive reads as ending where it breaks. */
int cpio_find(const void *archive, size_t archive_size, const char *path, struct cpio_entry *e);

#define CPIO_S_IFMT  0170000
#define CPIO_S_IFDIR 0040000
#define CPIO_S_IFREG 0100000
#define CPIO_S_IFLNK 0120000 /* a symbolic link: the data is its target */

#endif
