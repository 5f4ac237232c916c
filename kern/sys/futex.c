/*
 * futex (lab 7): a task sleeps while a word of its memory holds a value (FUTEX_WAIT) until
 * another wakes it (FUTEX_WAKE); the C library builds mutexes, condition variables and
 * pthread_join on it. A waiter is keyed by its address space and the word's address, so
 * private and shared futexes are the same here (Sparrow's memory is private to a process).
 */
#include <errno.h>
#include <time.h>
#include <memlayout.h>
#include "proc/proc.h"
#include "proc/uaccess.h"
#include "sched/sched.h"
#include "sys/clone.h"
#include "sys/syscall.h"

#define FUTEX_WAIT           0
#define FUTEX_WAKE           1
#define FUTEX_REQUEUE        3
#define FUTEX_CMP_REQUEUE    4
#define FUTEX_WAIT_BITSET    9
#define FUTEX_WAKE_BITSET    10
#define FUTEX_PRIVATE_FLAG   128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK       (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

#define NSEC_PER_SEC  1000000000L
#define NSEC_PER_TICK (NSEC_PER_SEC / HZ)

/* What every futex waiter sleeps on; its futex_addr and mm say which word. */
static char futex_queue;

/* Is q waiting on the word at uaddr of address space mm? */
static bool waits_on(const struct proc *q, const struct mm *mm, uintptr_t uaddr)
{
	return q->chan == &futex_queue && q->futex_addr == uaddr && q->mm == mm;
}

/* Sleep while the word at uaddr holds val, until woken, the deadline (a tick; 0: none) or
 * a signal. */
static long futex_wait(uintptr_t uaddr, uint32_t val, uint64_t deadline)
{
	struct proc *p = myproc();
	uint32_t now;

	// LAB 7: Read the word (copy_from_user: -EFAULT); if it is not val, -EAGAIN: the
	// waker changed it already, and sleeping would miss its wake-up. Otherwise sleep on
	// &futex_queue with p->futex_addr = uaddr (sleep_until the deadline if there is one,
	// else sleep_on) until futex_wake clears p->futex_addr (return 0). Give up with
	// -ETIMEDOUT once `ticks` reaches the deadline and -ERESTARTSYS if proc_interrupted(p),
	// clearing p->futex_addr either way; wake-ups for other reasons sleep again.
	//= BEGIN LAB 7
	if (copy_from_user(&now, uaddr, sizeof(now)) < 0)
		return -EFAULT;
	if (now != val)
		return -EAGAIN;
	p->futex_addr = uaddr;
	for (;;) {
		if (deadline)
			sleep_until(&futex_queue, deadline);
		else
			sleep_on(&futex_queue);
		if (!p->futex_addr)
			return 0;
		if (deadline && ticks >= deadline) {
			p->futex_addr = 0;
			return -ETIMEDOUT;
		}
		if (proc_interrupted(p)) {
			p->futex_addr = 0;
			return -ERESTARTSYS;
		}
	}
	//= STUB
	//= (void)p, (void)now, (void)uaddr, (void)val, (void)deadline;
	//= return -ENOSYS;
	//= END
}

/* Wake up to n of the tasks waiting on the word at uaddr of mm,
 * those that waited longest first; move up to `requeue` of the rest to the word at uaddr2.
 * How many were woken. */
static int futex_wake(struct mm *mm, uintptr_t uaddr, int n, int requeue, uintptr_t uaddr2)
{
	int woken = 0;
	struct proc *next;

	// LAB 7: Walk the sleepers (the list sleep_on keeps, linked through qnext, in the
	// order they fell asleep): each one waits_on(q, mm, uaddr) is woken (futex_addr = 0,
	// then proc_set_state RUNNABLE, which takes it off the list: keep the next one first)
	// until n are; after that, up to `requeue` others wait on uaddr2 instead.
	//= BEGIN LAB 7
	for (struct proc *q = sleepers; q; q = next) {
		next = q->qnext;
		if (!waits_on(q, mm, uaddr))
			continue;
		if (woken < n) {
			q->futex_addr = 0;
			proc_set_state(q, PROC_RUNNABLE);
			woken++;
		} else if (requeue > 0) {
			q->futex_addr = uaddr2;
			requeue--;
		}
	}
	return woken;
	//= STUB
	//= (void)mm, (void)uaddr, (void)n, (void)requeue, (void)uaddr2, (void)next, (void)waits_on;
	//= return woken;
	//= END
}

int futex_wake_addr(struct proc *p, uintptr_t uaddr, int n)
{
	return futex_wake(p->mm, uaddr, n, 0, 0);
}

/* The tick a timeout ends at: relative (FUTEX_WAIT) or absolute on the boot-time clock
 * (FUTEX_WAIT_BITSET), whole ticks rounded up. 0 with *err set if it is not valid. */
static uint64_t futex_deadline(uintptr_t uts, bool absolute, long *err)
{
	struct timespec ts;
	if (copy_from_user(&ts, uts, sizeof(ts)) < 0) {
		*err = -EFAULT;
		return 0;
	}
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NSEC_PER_SEC) {
		*err = -EINVAL;
		return 0;
	}
	uint64_t sec = (uint64_t)ts.tv_sec < 365UL * 86400 ? (uint64_t)ts.tv_sec : 365UL * 86400;
	uint64_t n = sec * HZ + ((uint64_t)ts.tv_nsec + NSEC_PER_TICK - 1) / NSEC_PER_TICK;
	if (absolute)
		return n > ticks ? n : ticks + 1; /* passed: time out at once */
	return ticks + n + 1;                     /* the partial tick under way does not count */
}

long sys_futex(const long a[6])
{
	struct proc *p = myproc();
	uintptr_t uaddr = (uintptr_t)a[0], uts = (uintptr_t)a[3], uaddr2 = (uintptr_t)a[4];
	int op = (int)a[1], cmd = op & FUTEX_CMD_MASK;
	uint32_t val = (uint32_t)a[2], val3 = (uint32_t)a[5];
	long err = 0;

	if (uaddr & 3)
		return -EINVAL;
	if (uaddr >= USER_LIMIT)
		return -EFAULT;
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET: {
		if (cmd == FUTEX_WAIT_BITSET && val3 == 0)
			return -EINVAL;
		uint64_t deadline = uts ? futex_deadline(uts, cmd == FUTEX_WAIT_BITSET, &err) : 0;
		if (err)
			return err;
		return futex_wait(uaddr, val, deadline);
	}
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if (cmd == FUTEX_WAKE_BITSET && val3 == 0)
			return -EINVAL;
		/* As Linux: 0 (or a negative count) still wakes one. */
		return futex_wake(p->mm, uaddr, (int)val > 0 ? (int)val : 1, 0, 0);
	case FUTEX_CMP_REQUEUE:
	case FUTEX_REQUEUE: {
		/* The fourth argument is a count here: how many to move to uaddr2. */
		if ((uaddr2 & 3) || uaddr2 >= USER_LIMIT || (long)uts < 0)
			return -EINVAL;
		if (cmd == FUTEX_CMP_REQUEUE) {
			uint32_t now;
			if (copy_from_user(&now, uaddr, sizeof(now)) < 0)
				return -EFAULT;
			if (now != val3)
				return -EAGAIN;
		}
		int moved = (int)MIN(uts, (uintptr_t)NPROC);
		return futex_wake(p->mm, uaddr, (int)val, moved, uaddr2);
	}
	default:
		return -ENOSYS;
	}
}
