/*
 * Descriptor tables: chunks of FD_CHUNK slots, allocated as descriptors are used, up to
 * FD_MAX. A slot holds a reference to an open file (kern/fs/file.c) and the descriptor's
 * close-on-exec flag.
 */
#include <errno.h>
#include <string.h>
#include "fs/fdtable.h"
#include "fs/file.h"
#include "mm/kmalloc.h"
#if LAB >= 5
#include "fs/lock.h"
#endif

#define NCHUNKS (FD_MAX / FD_CHUNK)

_Static_assert(FD_CHUNK * sizeof(struct fd_slot) <= KMALLOC_MAX, "a chunk is one allocation");

struct fdtable *fdtable_create(void)
{
	struct fdtable *t = kmalloc(sizeof(*t));
	if (t) {
		memset(t, 0, sizeof(*t));
		t->limit = FD_MAX;
	}
	return t;
}

/* The slot of fd (making its chunk if alloc), or NULL. */
static struct fd_slot *slot(struct fdtable *t, int fd, bool alloc)
{
	if (fd < 0 || fd >= FD_MAX)
		return NULL;
	struct fd_slot **c = &t->chunk[fd / FD_CHUNK];
	if (!*c && alloc) {
		*c = kmalloc(FD_CHUNK * sizeof(struct fd_slot));
		if (*c)
			memset(*c, 0, FD_CHUNK * sizeof(struct fd_slot));
	}
	return *c ? &(*c)[fd % FD_CHUNK] : NULL;
}

/* A descriptor of t for f is closed: as POSIX says, the locks t's process holds on f's
 * file go, whichever descriptor took them (lab 5). */
static void fd_closing(struct fdtable *t, struct file *f)
{
#if LAB >= 5
	lock_release(lock_key(f), t);
#else
	(void)t, (void)f;
#endif
}

void fdtable_destroy(struct fdtable *t)
{
	if (!t)
		return;
	for (int c = 0; c < NCHUNKS; c++) {
		if (!t->chunk[c])
			continue;
		for (int i = 0; i < FD_CHUNK; i++) {
			if (t->chunk[c][i].file) {
				fd_closing(t, t->chunk[c][i].file);
				file_close(t->chunk[c][i].file);
			}
		}
		kfree(t->chunk[c]);
	}
	kfree(t);
}

struct fdtable *fdtable_copy(struct fdtable *t)
{
	struct fdtable *copy = fdtable_create();
	if (!copy)
		return NULL;
	copy->limit = t->limit;
	for (int c = 0; c < NCHUNKS; c++) {
		if (!t->chunk[c])
			continue;
		if (!(copy->chunk[c] = kmalloc(FD_CHUNK * sizeof(struct fd_slot)))) {
			fdtable_destroy(copy);
			return NULL;
		}
		for (int i = 0; i < FD_CHUNK; i++) {
			copy->chunk[c][i] = t->chunk[c][i];
			if (copy->chunk[c][i].file)
				file_dup(copy->chunk[c][i].file);
		}
	}
	return copy;
}

void fdtable_exec(struct fdtable *t)
{
	for (int fd = 0; fd < FD_MAX; fd++) {
		struct fd_slot *s = slot(t, fd, false);
		if (s && s->file && s->cloexec) {
			fd_closing(t, s->file);
			file_close(s->file);
			s->file = NULL;
		}
		if (s)
			s->cloexec = false;
	}
}

struct file *fd_get(struct fdtable *t, int fd)
{
	struct fd_slot *s = slot(t, fd, false);
	return s ? s->file : NULL;
}

int fd_alloc(struct fdtable *t, struct file *f, int min, bool cloexec)
{
	for (int fd = min < 0 ? 0 : min; fd < t->limit; fd++) {
		struct fd_slot *s = slot(t, fd, true);
		if (!s)
			return -ENOMEM;
		if (!s->file) {
			s->file = f;
			s->cloexec = cloexec;
			return fd;
		}
	}
	return -EMFILE;
}

int fd_set(struct fdtable *t, int fd, struct file *f, bool cloexec)
{
	if (fd < 0 || fd >= t->limit)
		return -EBADF;
	struct fd_slot *s = slot(t, fd, true);
	if (!s)
		return -ENOMEM;
	struct file *old = s->file;
	s->file = f;
	s->cloexec = cloexec;
	if (old) {
		fd_closing(t, old);
		file_close(old);
	}
	return fd;
}

struct file *fd_remove(struct fdtable *t, int fd)
{
	struct fd_slot *s = slot(t, fd, false);
	if (!s || !s->file)
		return NULL;
	struct file *f = s->file;
	s->file = NULL;
	s->cloexec = false;
	fd_closing(t, f);
	return f;
}

bool fd_cloexec(struct fdtable *t, int fd)
{
	struct fd_slot *s = slot(t, fd, false);
	return s && s->cloexec;
}

void fd_set_cloexec(struct fdtable *t, int fd, bool on)
{
	struct fd_slot *s = slot(t, fd, false);
	if (s && s->file)
		s->cloexec = on;
}
