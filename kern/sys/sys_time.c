/*
 * Time (lab 4): sleeping, the clocks and CPU times, all counted in timer ticks (HZ a
 * second); the time of day is the real-time clock read at boot plus the ticks since. Lab 5
 * adds what C libraries ask for besides: clock_nanosleep, clock_getres, gettimeofday, time.
 */
#include <errno.h>
#include <time.h>
#include "proc/proc.h"
#include "sys/syscall.h"
#include "proc/uaccess.h"
#include "sched/sched.h"

#define NSEC_PER_SEC  1000000000L
#define NSEC_PER_TICK (NSEC_PER_SEC / HZ)

/* The ticks a sleep of *ts takes at least: whole ticks, rounded up, plus the partial
 * tick now under way. A very long sleep is capped at about a year of ticks. */
static uint64_t sleep_ticks_for(const struct timespec *ts)
{
	uint64_t sec = (uint64_t)ts->tv_sec < 365UL * 86400 ? (uint64_t)ts->tv_sec : 365UL * 86400;
	uint64_t n = sec * HZ + ((uint64_t)ts->tv_nsec + NSEC_PER_TICK - 1) / NSEC_PER_TICK;
	return n ? n + 1 : 0;
}

/* Sleep until tick `wake`: 0, or cut short when the process is to die (lab 6: or takes a
 * signal), -ERESTARTNOHAND after telling what was left in *urem (if urem): the caller
 * fails with EINTR (lab 6: even with SA_RESTART, as on Linux; a restart without a handler
 * sleeps the whole time again). */
static long sleep_till(uint64_t wake, uintptr_t urem)
{
	struct proc *p = myproc();
	while (ticks < wake && !proc_interrupted(p))
		sleep_on((void *)&ticks);
	if (ticks >= wake)
		return 0;
	uint64_t left = wake - ticks;
	struct timespec rem = { (long)(left / HZ), (long)(left % HZ) * NSEC_PER_TICK };
	if (urem && copy_to_user(urem, &rem, sizeof(rem)) < 0)
		return -EFAULT;
	return -ERESTARTNOHAND;
}

static bool timespec_ok(const struct timespec *ts)
{
	return ts->tv_sec >= 0 && ts->tv_nsec >= 0 && ts->tv_nsec < NSEC_PER_SEC;
}

long sys_nanosleep(const long a[6])
{
	struct timespec req;

	if (copy_from_user(&req, (uintptr_t)a[0], sizeof(req)) < 0)
		return -EFAULT;
	if (!timespec_ok(&req))
		return -EINVAL;
	return sleep_till(ticks + sleep_ticks_for(&req), (uintptr_t)a[1]);
}

/* The clocks (Linux's ids). Sparrow's are all made of ticks: the boot-time ones count
 * from boot, the real-time ones from 1970, the CPU ones the process's time. */
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_REALTIME_COARSE    5
#define CLOCK_MONOTONIC_COARSE   6
#define CLOCK_BOOTTIME           7
#define CLOCK_TAI                11
#define TIMER_ABSTIME            1

enum clock_kind { CLK_NONE, CLK_REAL, CLK_MONO, CLK_CPU };

static enum clock_kind clock_kind(int id)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		return CLK_REAL;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		return CLK_MONO;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return CLK_CPU;
	default:
		return CLK_NONE;
	}
}

static void ticks_to_ts(uint64_t t, struct timespec *ts)
{
	ts->tv_sec = (long)(t / HZ);
	ts->tv_nsec = (long)(t % HZ) * NSEC_PER_TICK;
}

static void clock_now(enum clock_kind k, struct timespec *ts)
{
	uint64_t user, kernel;
	switch (k) {
	case CLK_REAL:
		clock_realtime(ts);
		break;
	case CLK_CPU:
		cpu_ticks(myproc(), &user, &kernel);
		ticks_to_ts(user + kernel, ts);
		break;
	default:
		ticks_to_ts(ticks, ts);
		break;
	}
}

long sys_clock_gettime(const long a[6])
{
	struct timespec ts;
	enum clock_kind k = clock_kind((int)a[0]);
	if (k == CLK_NONE)
		return -EINVAL;
	clock_now(k, &ts);
	return copy_to_user((uintptr_t)a[1], &ts, sizeof(ts));
}

long sys_clock_getres(const long a[6])
{
	struct timespec res = { 0, NSEC_PER_TICK };
	if (clock_kind((int)a[0]) == CLK_NONE)
		return -EINVAL;
	return a[1] ? copy_to_user((uintptr_t)a[1], &res, sizeof(res)) : 0;
}

/* clock_nanosleep(clock, flags, req, rem): a relative sleep, or with TIMER_ABSTIME until
 * the clock reads req. The coarse and raw clocks cannot be slept on (as on Linux), nor,
 * in Sparrow, the CPU ones. The result is the error itself (not -1 and errno). */
long sys_clock_nanosleep(const long a[6])
{
	int id = (int)a[0];
	enum clock_kind k = clock_kind(id);
	struct timespec req, now;
	bool abs = false;

	if (k == CLK_NONE || k == CLK_CPU)
		return -EINVAL;
	if (id == CLOCK_MONOTONIC_RAW || id == CLOCK_REALTIME_COARSE ||
	    id == CLOCK_MONOTONIC_COARSE)
		return -EOPNOTSUPP;
	if (copy_from_user(&req, (uintptr_t)a[2], sizeof(req)) < 0)
		return -EFAULT;
	if (!timespec_ok(&req))
		return -EINVAL;
	if ((int)a[1] & TIMER_ABSTIME) {
		clock_now(k, &now);
		if (req.tv_sec < now.tv_sec ||
		    (req.tv_sec == now.tv_sec && req.tv_nsec <= now.tv_nsec))
			return 0;
		abs = true;
		req.tv_sec -= now.tv_sec;
		req.tv_nsec -= now.tv_nsec;
		if (req.tv_nsec < 0) {
			req.tv_sec--;
			req.tv_nsec += NSEC_PER_SEC;
		}
	}
	return sleep_till(ticks + sleep_ticks_for(&req), abs ? 0 : (uintptr_t)a[3]);
}

long sys_gettimeofday(const long a[6])
{
	struct timespec ts;
	int tz[2] = { 0, 0 }; /* struct timezone: UTC, no daylight saving */
	clock_realtime(&ts);
	struct timeval tv = { ts.tv_sec, ts.tv_nsec / 1000 };
	if (a[0] && copy_to_user((uintptr_t)a[0], &tv, sizeof(tv)) < 0)
		return -EFAULT;
	if (a[1] && copy_to_user((uintptr_t)a[1], tz, sizeof(tz)) < 0)
		return -EFAULT;
	return 0;
}

long sys_time(const long a[6])
{
	struct timespec ts;
	clock_realtime(&ts);
	long t = ts.tv_sec;
	if (a[0] && copy_to_user((uintptr_t)a[0], &t, sizeof(t)) < 0)
		return -EFAULT;
	return t;
}

long sys_times(const long a[6])
{
	struct proc *p = myproc();
	uint64_t user, kernel;
	cpu_ticks(p, &user, &kernel);
	struct tms t = { (long)user, (long)kernel, (long)p->cutime, (long)p->cstime };

	if (a[0] && copy_to_user((uintptr_t)a[0], &t, sizeof(t)) < 0)
		return -EFAULT;
	return (long)ticks;
}
