/*
 * cpio "newc" archive reader. Each member is a 110-byte ASCII header ("070701" and thirteen
 * 8-digit hex fields), the NUL-terminated name padded to 4 bytes, then the data padded to 4
 * bytes. The member named "TRAILER!!!" ends the archive.
 */
#include <errno.h>
#include <string.h>
#include "fs/cpio.h"

#define HDR_SIZE       110
#define FIELD_MODE     1
#define FIELD_SIZE     6
#define FIELD_NAMESIZE 11

/* Field i of the header (each 8 hex digits after the 6-byte magic); -1 if not hex. */
static long field(const char *hdr, int i)
{
	long v = 0;
	for (int k = 0; k < 8; k++) {
		char c = hdr[6 + 8 * i + k];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

int cpio_next(const void *archive, size_t archive_size, size_t *pos, struct cpio_entry *e)
{
	const char *base = archive;
	size_t p = *pos;

	if (p > archive_size || archive_size - p < HDR_SIZE)
		return -1;
	const char *hdr = base + p;
	if (memcmp(hdr, "070701", 6) != 0)
		return -1;
	long mode = field(hdr, FIELD_MODE), size = field(hdr, FIELD_SIZE);
	long namesize = field(hdr, FIELD_NAMESIZE);
	if (mode < 0 || size < 0 || namesize < 1)
		return -1;
	size_t name_at = p + HDR_SIZE;
	if (archive_size - name_at < (size_t)namesize || base[name_at + namesize - 1] != '\0')
		return -1;
	size_t data_at = ROUNDUP(name_at + namesize, 4);
	if (data_at > archive_size || archive_size - data_at < (size_t)size)
		return -1;

	e->name = base + name_at;
	e->namelen = (size_t)namesize - 1;
	if (e->namelen == 10 && memcmp(e->name, "TRAILER!!!", 10) == 0)
		return 0;
	e->mode = (uint32_t)mode;
	e->data = base + data_at;
	e->size = (size_t)size;
	*pos = ROUNDUP(data_at + size, 4);
	return 1;
}

int cpio_find(const void *archive, size_t archive_size, const char *path, struct cpio_entry *e)
{
	size_t pos = 0;

	while (*path == '/')
		path++;
	size_t len = strlen(path);
	while (cpio_next(archive, archive_size, &pos, e) == 1) {
		if ((e->mode & CPIO_S_IFMT) == CPIO_S_IFREG && e->namelen == len &&
		    memcmp(e->name, path, len) == 0)
			return 0;
	}
	return -ENOENT;
}
