/*
 * Waiting for any of several descriptors (lab 5): poll, ppoll, select and pselect6. Each
 * pass asks every file what it is ready for (file_poll: pipes, the console; files and
 * /dev/null always are); if none is, the process sleeps until some file wakes its waiters
 * (every file_wakeup wakes the pollers too) or the timeout's tick comes. The signal masks
 * of ppoll and pselect6 are checked and not used: before lab 6 no signal is delivered.
 */
#include <errno.h>
#include <poll.h>
#include <resource.h>
#include <string.h>
#include <time.h>
#include "fs/fdtable.h"
#include "fs/file.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "sys/files.h"
#include "sys/syscall.h"

#define NSEC_PER_SEC  1000000000L
#define NSEC_PER_TICK (NSEC_PER_SEC / HZ)
#define POLL_CHUNK    64 /* struct pollfd handled at a time, on the stack */
#define SIGSET_LEN    8

#define POLLIN_SET  (POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define POLLOUT_SET (POLLOUT | POLLWRNORM | POLLERR)
#define POLLEX_SET  POLLPRI

/* A timeout: until which tick to wait; FOREVER for none, 0 for not at all. */
#define FOREVER (~0UL)

/* The tick by which a wait of ts is over (at least ts, as nanosleep rounds it). */
static uint64_t deadline_of(const struct timespec *ts)
{
	uint64_t sec = MIN((uint64_t)ts->tv_sec, 365UL * 86400); /* capped at about a year */
	uint64_t n = sec * HZ + ((uint64_t)ts->tv_nsec + NSEC_PER_TICK - 1) / NSEC_PER_TICK;
	return n ? ticks + n + 1 : 0;
}

/* Sleep until a file wakes its waiters or the deadline: -EINTR if killed. */
static long wait_files(uint64_t deadline)
{
	struct proc *p = myproc();
	if (p->killed)
		return -EINTR;
	file_pollers++;
	sleep_until(&file_pollers, deadline == FOREVER ? 0 : deadline);
	file_pollers--;
	return p->killed ? -EINTR : 0;
}

static bool expired(uint64_t deadline)
{
	return deadline != FOREVER && ticks >= deadline;
}

/* What descriptor fd is ready for (POLLNVAL if it is not open). */
static int fd_ready(int fd)
{
	struct file *f = fd_file(fd);
	return f ? file_poll(f) : POLLNVAL;
}

/* ---- poll ------------------------------------------------------------------------------- */

/* One pass over the user's array: revents written back; how many are ready. */
static long poll_pass(uintptr_t ufds, size_t nfds, bool *fault)
{
	struct pollfd chunk[POLL_CHUNK];
	long ready = 0;

	for (size_t i = 0; i < nfds; i += POLL_CHUNK) {
		size_t k = MIN(nfds - i, (size_t)POLL_CHUNK);
		if (copy_from_user(chunk, ufds + i * sizeof(chunk[0]), k * sizeof(chunk[0])) < 0) {
			*fault = true;
			return -EFAULT;
		}
		for (size_t j = 0; j < k; j++) {
			struct pollfd *pf = &chunk[j];
			pf->revents = 0;
			if (pf->fd < 0)
				continue;
			int mask = fd_ready(pf->fd);
			pf->revents = (short)(mask & (pf->events | POLLERR | POLLHUP | POLLNVAL));
			ready += pf->revents != 0;
		}
		if (copy_to_user(ufds + i * sizeof(chunk[0]), chunk, k * sizeof(chunk[0])) < 0)
			*fault = true;
	}
	return ready;
}

static long do_poll(uintptr_t ufds, size_t nfds, uint64_t deadline)
{
	if (nfds > myproc()->rlim[RLIMIT_NOFILE].cur)
		return -EINVAL;
	/* Linux reads the whole array in before anything else. */
	if (!user_range_ok(ufds, nfds * sizeof(struct pollfd), false))
		return -EFAULT;
	for (;;) {
		bool fault = false;
		long r = poll_pass(ufds, nfds, &fault);
		if (fault)
			return -EFAULT;
		if (r > 0 || deadline == 0 || expired(deadline))
			return r;
		if ((r = wait_files(deadline)) < 0)
			return r;
	}
}

long sys_poll(const long a[6])
{
	int ms = (int)a[2];
	uint64_t deadline = FOREVER;
	if (ms >= 0) {
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
		deadline = deadline_of(&ts);
	}
	return do_poll((uintptr_t)a[0], (size_t)(unsigned int)a[1], deadline);
}

/* A timespec timeout (NULL: none), checked: the deadline, -EFAULT or -EINVAL. */
static long get_timeout(uintptr_t uts, uint64_t *deadline)
{
	struct timespec ts;
	*deadline = FOREVER;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	*deadline = deadline_of(&ts);
	return 0;
}

/* A signal mask argument: checked (size, pointer), not used before lab 6. */
static long check_sigmask(uintptr_t umask, size_t size)
{
	uint64_t mask;
	if (!umask)
		return 0;
	if (size != SIGSET_LEN)
		return -EINVAL;
	return copy_from_user(&mask, umask, sizeof(mask));
}

long sys_ppoll(const long a[6])
{
	uint64_t deadline;
	long r = get_timeout((uintptr_t)a[2], &deadline);
	if (r == 0)
		r = check_sigmask((uintptr_t)a[3], (size_t)a[4]);
	if (r == 0)
		r = do_poll((uintptr_t)a[0], (size_t)(unsigned int)a[1], deadline);
	return r;
}

/* ---- select ----------------------------------------------------------------------------- */

#define SET_WORDS (FD_MAX / 64)

struct fd_sets {
	uint64_t in[SET_WORDS], out[SET_WORDS], ex[SET_WORDS];
};

/* Copy in the set at uset for n descriptors (NULL: empty). */
static long get_set(uintptr_t uset, int n, uint64_t *set)
{
	size_t bytes = (size_t)(n + 63) / 64 * 8;
	memset(set, 0, SET_WORDS * 8);
	return uset ? copy_from_user(set, uset, bytes) : 0;
}

static bool isset(const uint64_t *set, int fd)
{
	return set[fd / 64] & (1UL << (fd % 64));
}

/* One pass: the ready descriptors' bits in res; how many bits. -EBADF if a set names a
 * descriptor that is not open. */
static long select_pass(int n, const struct fd_sets *want, struct fd_sets *res)
{
	long ready = 0;
	memset(res, 0, sizeof(*res));
	for (int fd = 0; fd < n; fd++) {
		uint64_t bit = 1UL << (fd % 64);
		if (!isset(want->in, fd) && !isset(want->out, fd) && !isset(want->ex, fd))
			continue;
		int mask = fd_ready(fd);
		if (mask & POLLNVAL)
			return -EBADF;
		if (isset(want->in, fd) && (mask & POLLIN_SET)) {
			res->in[fd / 64] |= bit;
			ready++;
		}
		if (isset(want->out, fd) && (mask & POLLOUT_SET)) {
			res->out[fd / 64] |= bit;
			ready++;
		}
		if (isset(want->ex, fd) && (mask & POLLEX_SET)) {
			res->ex[fd / 64] |= bit;
			ready++;
		}
	}
	return ready;
}

static long put_set(uintptr_t uset, int n, const uint64_t *set)
{
	return uset ? copy_to_user(uset, set, (size_t)(n + 63) / 64 * 8) : 0;
}

static long do_select(int n, uintptr_t uin, uintptr_t uout, uintptr_t uex, uint64_t deadline)
{
	struct fd_sets want, res;
	long r;

	if (n < 0)
		return -EINVAL;
	n = MIN(n, FD_MAX);
	if (get_set(uin, n, want.in) < 0 || get_set(uout, n, want.out) < 0 ||
	    get_set(uex, n, want.ex) < 0)
		return -EFAULT;
	for (;;) {
		r = select_pass(n, &want, &res);
		if (r != 0 || deadline == 0 || expired(deadline))
			break;
		if ((r = wait_files(deadline)) < 0)
			return r;
	}
	if (r < 0)
		return r;
	if (put_set(uin, n, res.in) < 0 || put_set(uout, n, res.out) < 0 ||
	    put_set(uex, n, res.ex) < 0)
		return -EFAULT;
	return r;
}

/* The time left of a wait until deadline, as select and pselect6 write it back. */
static void time_left(uint64_t deadline, struct timespec *ts)
{
	uint64_t left = deadline > ticks ? deadline - ticks : 0;
	ts->tv_sec = (long)(left / HZ);
	ts->tv_nsec = (long)(left % HZ) * NSEC_PER_TICK;
}

long sys_select(const long a[6])
{
	uintptr_t utv = (uintptr_t)a[4];
	uint64_t deadline = FOREVER;
	struct timeval tv;

	if (utv) {
		if (copy_from_user(&tv, utv, sizeof(tv)) < 0)
			return -EFAULT;
		struct timespec ts = { tv.tv_sec + tv.tv_usec / 1000000,
			               (tv.tv_usec % 1000000) * 1000 };
		if (ts.tv_sec < 0 || ts.tv_nsec < 0)
			return -EINVAL;
		deadline = deadline_of(&ts);
	}
	long r = do_select((int)a[0], (uintptr_t)a[1], (uintptr_t)a[2], (uintptr_t)a[3], deadline);
	if (utv && r >= 0) { /* what is left, as Linux writes it (an error there is ignored) */
		struct timespec left;
		time_left(deadline, &left);
		tv = (struct timeval){ left.tv_sec, left.tv_nsec / 1000 };
		copy_to_user(utv, &tv, sizeof(tv));
	}
	return r;
}

long sys_pselect6(const long a[6])
{
	uintptr_t uts = (uintptr_t)a[4], upack = (uintptr_t)a[5];
	uint64_t deadline;
	struct {
		uintptr_t mask;
		size_t size;
	} pack;

	long r = get_timeout(uts, &deadline);
	if (r == 0 && upack && copy_from_user(&pack, upack, sizeof(pack)) < 0)
		r = -EFAULT;
	if (r == 0 && upack)
		r = check_sigmask(pack.mask, pack.size);
	if (r == 0)
		r = do_select((int)a[0], (uintptr_t)a[1], (uintptr_t)a[2], (uintptr_t)a[3],
		              deadline);
	if (uts && r >= 0) {
		struct timespec left;
		time_left(deadline, &left);
		copy_to_user(uts, &left, sizeof(left));
	}
	return r;
}
