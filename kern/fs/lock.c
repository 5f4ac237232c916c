/*
 * Record locks (lab 5): POSIX advisory locks on byte ranges, as fcntl takes them. Each
 * lock is a record in one list for the whole system: the file it is on (lock_key), its
 * owner (a descriptor table for F_SETLK: a process; an open file for F_OFD_SETLK), its
 * type and range. An owner's locks on a file never overlap: setting a range replaces what
 * the owner had there (splitting a lock that sticks out on both sides), and ranges of the
 * same type that touch are merged, as Linux does. Locks are advisory: read and write never
 * look at them.
 */
#include <errno.h>
#include <fcntl.h>
#include "fs/file.h"
#include "fs/lock.h"
#include "mm/kmalloc.h"

struct lock {
	struct lock *next;
	void *key, *owner;
	int pid;
	int type;
	off_t start, end;
};

static struct lock *locks; /* every lock there is */
static int nlocks;

/* F_SETLKW waiters, for finding deadlocks: who waits for whom. */
static struct {
	void *owner, *blocker;
} waits[64];

void *lock_key(struct file *f)
{
	if (f->node)
		return f->node;
	return f->priv ? f->priv : (void *)f;
}

void *lock_channel(void)
{
	return &locks;
}

static bool overlap(const struct lock *l, off_t start, off_t end)
{
	return l->start <= end && start <= l->end;
}

int lock_test(void *key, void *owner, const struct lock_range *want, struct lock_range *got)
{
	for (struct lock *l = locks; l; l = l->next) {
		if (l->key != key || l->owner == owner || !overlap(l, want->start, want->end))
			continue;
		if (l->type != F_WRLCK && want->type != F_WRLCK)
			continue;
		*got = (struct lock_range){ l->type, l->start, l->end, l->pid, l->owner };
		return 1;
	}
	return 0;
}

static struct lock *lock_new(void)
{
	if (nlocks >= LOCK_MAX)
		return NULL;
	struct lock *l = kmalloc(sizeof(*l));
	if (l)
		nlocks++;
	return l;
}

static void lock_free(struct lock *l)
{
	if (l) {
		nlocks--;
		kfree(l);
	}
}

int lock_set(void *key, void *owner, int pid, const struct lock_range *r, void **blocker)
{
	struct lock_range in_way;
	struct lock *spare[2] = { NULL, NULL }; /* a split, then the new lock */
	int used = 0, need = r->type != F_UNLCK;

	if (r->type != F_UNLCK && lock_test(key, owner, r, &in_way)) {
		*blocker = in_way.owner;
		return -EAGAIN;
	}
	for (struct lock *l = locks; l; l = l->next)
		if (l->key == key && l->owner == owner && l->start < r->start && l->end > r->end)
			need++;
	for (int i = 0; i < need; i++) {
		if (!(spare[i] = lock_new())) {
			lock_free(spare[0]);
			return -ENOLCK;
		}
	}
	/* Take r's bytes out of the owner's locks on key. */
	for (struct lock **pp = &locks; *pp;) {
		struct lock *l = *pp;
		if (l->key != key || l->owner != owner || !overlap(l, r->start, r->end)) {
			pp = &l->next;
			continue;
		}
		if (l->start < r->start && l->end > r->end) { /* sticks out on both sides */
			struct lock *upper = spare[used++];
			*upper = *l;
			upper->start = r->end + 1;
			l->end = r->start - 1;
			upper->next = l->next;
			l->next = upper;
			break;
		}
		if (l->start < r->start) {
			l->end = r->start - 1;
		} else if (l->end > r->end) {
			l->start = r->end + 1;
		} else {
			*pp = l->next;
			lock_free(l);
			continue;
		}
		pp = &l->next;
	}
	if (r->type != F_UNLCK) {
		/* The new lock, grown over the owner's neighbours of the same type. */
		struct lock *n = spare[used++];
		*n = (struct lock){ NULL, key, owner, pid, r->type, r->start, r->end };
		for (struct lock **pp = &locks; *pp;) {
			struct lock *l = *pp;
			bool touches = (n->start > 0 && l->end == n->start - 1) ||
			               (n->end < LOCK_END && l->start == n->end + 1);
			if (l->key == key && l->owner == owner && l->type == n->type && touches) {
				n->start = MIN(n->start, l->start);
				n->end = MAX(n->end, l->end);
				*pp = l->next;
				lock_free(l);
				continue;
			}
			pp = &l->next;
		}
		/* Where Linux keeps it: among the owner's locks on key, in order of start;
		 * an owner's first lock goes last (F_GETLK finds the first in the way). */
		struct lock **at = NULL, **pp = &locks;
		for (; *pp; pp = &(*pp)->next) {
			if ((*pp)->key != key || (*pp)->owner != owner)
				continue;
			if (!at || (*pp)->start < n->start)
				at = (*pp)->start < n->start ? &(*pp)->next : pp;
		}
		if (!at)
			at = pp;
		n->next = *at;
		*at = n;
	}
	file_wakeup(&locks); /* a lock went, shrank or became a read lock */
	return 0;
}

void lock_release(void *key, void *owner)
{
	bool any = false;
	for (struct lock **pp = &locks; *pp;) {
		struct lock *l = *pp;
		if (l->key == key && l->owner == owner) {
			*pp = l->next;
			lock_free(l);
			any = true;
		} else {
			pp = &l->next;
		}
	}
	if (any)
		file_wakeup(&locks);
}

int lock_wait_begin(void *owner, void *blocker)
{
	/* Follow blocker -> what it waits for -> ...: reaching owner is a deadlock. */
	void *b = blocker;
	for (size_t step = 0; b && step < ARRAY_SIZE(waits); step++) {
		if (b == owner)
			return -EDEADLK;
		void *next = NULL;
		for (size_t i = 0; i < ARRAY_SIZE(waits); i++)
			if (waits[i].owner == b)
				next = waits[i].blocker;
		b = next;
	}
	for (size_t i = 0; i < ARRAY_SIZE(waits); i++) {
		if (!waits[i].owner) {
			waits[i].owner = owner;
			waits[i].blocker = blocker;
			return 0;
		}
	}
	return -ENOLCK;
}

void lock_wait_end(void *owner)
{
	for (size_t i = 0; i < ARRAY_SIZE(waits); i++)
		if (waits[i].owner == owner)
			waits[i].owner = waits[i].blocker = NULL;
}
