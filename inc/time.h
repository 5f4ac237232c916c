/*
 * User programs: clocks and sleeping. Sparrow's clock is its timer, which ticks CLK_TCK
 * (100) times a second: clock_gettime counts whole ticks (10 ms steps), nanosleep rounds
 * up to whole ticks, and times() counts in ticks, as on Linux.
 */
#ifndef SPARROW_INC_TIME_H
#define SPARROW_INC_TIME_H

#include <types.h>

typedef long time_t;
typedef long clock_t;
typedef int clockid_t;

#define CLOCK_REALTIME  0 /* the time of day: the real-time clock at boot, plus the ticks since */
#define CLOCK_MONOTONIC 1 /* time since boot */

#define CLK_TCK 100 /* clock ticks a second: the unit of times() (sysconf(_SC_CLK_TCK)) */

struct timespec {
	time_t tv_sec;
	long tv_nsec; /* 0 .. 999999999 */
};

/* CPU time, in clock ticks. */
struct tms {
	clock_t tms_utime;  /* this process, in user mode */
	clock_t tms_stime;  /* this process, in the kernel */
	clock_t tms_cutime; /* children it has waited for, user mode (their children included) */
	clock_t tms_cstime; /* the same, in the kernel */
};

/* Sleep for at least *req. -1 with errno EINTR if the sleep was cut short (then *rem,
 * if not NULL, holds what was left), EINVAL for a bad *req, EFAULT for a bad pointer. */
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_gettime(clockid_t clock, struct timespec *tp);
/* Fill *buf; returns the clock ticks since boot. */
clock_t times(struct tms *buf);
/* The monotonic clock in ticks; sleep for n ticks (nanosleep's result). */
long ticks_now(void);
int sleep_ticks(long n);

/* A time in microseconds (gettimeofday, select, the interval timers). */
struct timeval {
	time_t tv_sec;
	long tv_usec; /* 0 .. 999999 */
};

#if LAB >= 6
/* Lab 6: interval timers. ITIMER_REAL sends SIGALRM when it_value has passed, then every
 * it_interval (0: once). Sparrow's timers count whole ticks, rounded up. */
struct itimerval {
	struct timeval it_interval;
	struct timeval it_value;
};
#define ITIMER_REAL 0 /* the only one Sparrow has (VIRTUAL and PROF: EINVAL) */
int setitimer(int which, const struct itimerval *value, struct itimerval *old);
int getitimer(int which, struct itimerval *value);
#endif

#endif
