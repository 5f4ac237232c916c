/*
 * Time (lab 4): sleeping, the monotonic clock and CPU times, all counted in timer ticks
 * (HZ a second).
 */
#include <errno.h>
#include <time.h>
#include "proc/proc.h"
#include "sys/syscall.h"
#include "proc/uaccess.h"
#include "sched/sched.h"

#define NSEC_PER_SEC  1000000000L
#define NSEC_PER_TICK (NSEC_PER_SEC / HZ)

/* nanosleep: cut short when the process is to die (lab 6: or takes a signal), it says what
 * was left in *rem, and fails with EINTR (lab 6: even with SA_RESTART, as on Linux; a
 * restart without a handler sleeps the whole time again). */
long sys_nanosleep(const long a[6])
{
	struct proc *p = myproc();
	struct timespec req;

	if (copy_from_user(&req, (uintptr_t)a[0], sizeof(req)) < 0)
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= NSEC_PER_SEC)
		return -EINVAL;
	/* At least the time asked for: whole ticks, rounded up, plus the partial tick now
	 * under way. A very long sleep is capped at about a year of ticks. */
	uint64_t sec = (uint64_t)req.tv_sec < 365UL * 86400 ? (uint64_t)req.tv_sec : 365UL * 86400;
	uint64_t n = sec * HZ + ((uint64_t)req.tv_nsec + NSEC_PER_TICK - 1) / NSEC_PER_TICK;
	uint64_t wake = ticks + n + (n ? 1 : 0);
	while (ticks < wake && !proc_interrupted(p))
		sleep_on((void *)&ticks);
	/* What is left of the sleep (none unless cut short), for rem. */
	uint64_t left = wake > ticks ? wake - ticks : 0;
	struct timespec rem = { (long)(left / HZ), (long)(left % HZ) * NSEC_PER_TICK };
	if (a[1] && copy_to_user((uintptr_t)a[1], &rem, sizeof(rem)) < 0)
		return -EFAULT;
	return left ? -ERESTARTNOHAND : 0;
}

long sys_clock_gettime(const long a[6])
{
	if ((int)a[0] != CLOCK_MONOTONIC && (int)a[0] != CLOCK_REALTIME)
		return -EINVAL;
	uint64_t t = ticks;
	struct timespec ts = { (long)(t / HZ), (long)(t % HZ) * NSEC_PER_TICK };
	return copy_to_user((uintptr_t)a[1], &ts, sizeof(ts));
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
