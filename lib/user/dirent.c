/*
 * Reading directories one entry at a time (opendir, readdir, closedir) on top of
 * getdents64, which returns as many raw records as fit in a buffer.
 */
#include <types.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <fcntl.h>
#include <dirent.h>

struct dir {
	int fd;
	size_t pos, end;   /* the next record in buf, and the end of what getdents64 filled */
	struct dirent ent; /* what readdir returns */
	uint64_t buf[512]; /* records (8-byte aligned, as the kernel lays them out) */
};

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	DIR *d = malloc(sizeof(*d));
	if (d == NULL) {
		close(fd);
		return NULL;
	}
	d->fd = fd;
	d->pos = d->end = 0;
	return d;
}

struct dirent *readdir(DIR *d)
{
	if (d->pos >= d->end) {
		ssize_t n = getdents64(d->fd, d->buf, sizeof(d->buf));
		if (n <= 0)
			return NULL;
		d->pos = 0;
		d->end = (size_t)n;
	}
	const struct linux_dirent64 *rec = (const void *)((const char *)d->buf + d->pos);
	d->pos += rec->d_reclen;
	d->ent.d_ino = rec->d_ino;
	d->ent.d_off = rec->d_off;
	d->ent.d_reclen = sizeof(d->ent);
	d->ent.d_type = rec->d_type;
	strlcpy(d->ent.d_name, rec->d_name, sizeof(d->ent.d_name));
	return &d->ent;
}

int closedir(DIR *d)
{
	int r = close(d->fd);
	free(d);
	return r;
}
