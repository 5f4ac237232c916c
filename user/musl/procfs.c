/*
 * musl-procfs: what a process learns about itself and the system through musl: /proc/self
 * and /proc/PID (exe, stat, status, cmdline, cwd) for itself and a child, resource limits
 * (getrlimit, setrlimit, prlimit, RLIMIT_NOFILE enforced), the clocks (gettimeofday, time,
 * clock_getres, clock_nanosleep), ids, prctl's name and the CPU mask. Every line is
 * compared with the same binary's on Linux (grade/lab5.py runs it there).
 *
 *	musl-procfs DIR ARG...	(DIR: a scratch directory, emptied first and at the end)
 */
#define _GNU_SOURCE /* sched_getaffinity */
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "show.h"

static char text[4096];

/* The contents of a file, NUL-terminated (at most 4095 bytes); their length or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;
	if (fd < 0)
		return -1;
	while ((r = read(fd, text + n, sizeof(text) - 1 - n)) > 0)
		n += r;
	close(fd);
	text[n] = '\0';
	return n;
}

/* Field k (1-based) of /proc/PID/stat's text: the comm field (2) is the name between the
 * parentheses; the others come after the last ')'. */
static const char *stat_field(int k, char *out, size_t size)
{
	const char *open = strchr(text, '('), *close = strrchr(text, ')');
	if (!open || !close)
		return "?";
	if (k == 1)
		snprintf(out, size, "%.*s", (int)(open - text - 1), text);
	else if (k == 2)
		snprintf(out, size, "%.*s", (int)(close - open - 1), open + 1);
	else {
		const char *p = close + 2;
		for (int i = 3; i < k && p; i++)
			p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
		snprintf(out, size, "%.*s", p ? (int)strcspn(p, " \n") : 1, p ? p : "?");
	}
	return out;
}

static int stat_fields(void)
{
	const char *close = strrchr(text, ')');
	int n = 2;
	for (const char *p = close ? close + 1 : text; *p; p++)
		n += *p == ' ';
	return n;
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static void self(int argc, char **argv)
{
	char buf[4096], f[64], want[64];
	long n;

	memset(buf, 0, sizeof(buf));
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	show(n > 0 && strcmp(buf, argv[0]) == 0, "readlink(/proc/self/exe) is the program's path");
	snprintf(want, sizeof(want), "%d", getpid());
	memset(buf, 0, sizeof(buf));
	show(readlink("/proc/self", buf, sizeof(buf)) > 0 && strcmp(buf, want) == 0,
	     "readlink(/proc/self) is the pid");
	show(slurp("/proc/self/stat") > 0, "read /proc/self/stat");
	show(atoi(stat_field(1, f, sizeof(f))) == getpid(), "its pid field");
	show(strncmp(stat_field(2, f, sizeof(f)), base(argv[0]), 15) == 0, "its name field");
	show(stat_field(3, f, sizeof(f))[0] == 'R', "its state: R");
	show(atoi(stat_field(4, f, sizeof(f))) == getppid(), "its parent's pid");
	show(atoi(stat_field(20, f, sizeof(f))), "its threads");
	show(stat_fields(), "its fields");
	n = slurp("/proc/self/cmdline");
	long want_len = 0;
	for (int i = 0; i < argc; i++)
		want_len += (long)strlen(argv[i]) + 1;
	show(n == want_len, "read /proc/self/cmdline: the arguments, each with its NUL");
	show(strcmp(text + strlen(argv[0]) + 1, argv[1]) == 0, "they are argv");
	show(slurp("/proc/self/status") > 0, "read /proc/self/status");
	snprintf(buf, sizeof(buf), "Name:\t%.15s\n", base(argv[0]));
	show(strncmp(text, buf, strlen(buf)) == 0, "it starts with the name");
	snprintf(buf, sizeof(buf), "\nPid:\t%d\n", getpid());
	show(strstr(text, buf) != NULL, "and has the pid");
	char cwd[256];
	getcwd(cwd, sizeof(cwd));
	memset(buf, 0, sizeof(buf));
	show(readlink("/proc/self/cwd", buf, sizeof(buf)) > 0 && strcmp(buf, cwd) == 0,
	     "readlink(/proc/self/cwd) is the working directory");
	show(prctl(PR_SET_NAME, "renamed"), "prctl(PR_SET_NAME, renamed)");
	slurp("/proc/self/stat");
	show(strcmp(stat_field(2, f, sizeof(f)), "renamed") == 0, "the stat name field follows");
	memset(f, 0, sizeof(f));
	show(prctl(PR_GET_NAME, f), "prctl(PR_GET_NAME)");
	show(strcmp(f, "renamed") == 0, "says renamed");
	show(prctl(12345, 0), "prctl(12345)");
	show(open("/proc/self/stat", O_WRONLY) >= 0, "open(/proc/self/stat, O_WRONLY)");
	show(write(open("/proc/self/stat", O_WRONLY), "x", 1), "write(/proc/self/stat)");
	show(mkdir("/proc/x", 0755), "mkdir(/proc/x)");
	show(unlink("/proc/self/stat"), "unlink(/proc/self/stat)");
	show(slurp("/proc/uptime") > 0 && strchr(text, '.') != NULL, "/proc/uptime has seconds");
	show(slurp("/proc/meminfo") > 0 && strncmp(text, "MemTotal:", 9) == 0,
	     "/proc/meminfo starts with MemTotal");
}

static void child(void)
{
	char path[64], f[64];
	int p[2];
	pipe(p);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(p[1]);
		read(p[0], &c, 1); /* sleeps until the parent closes its end */
		_exit(3);
	}
	close(p[0]);
	usleep(20000);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	show(slurp(path) > 0, "read /proc/CHILD/stat");
	show(stat_field(3, f, sizeof(f))[0] == 'S', "the child sleeps: S");
	show(atoi(stat_field(4, f, sizeof(f))) == getpid(), "its parent is this process");
	int found = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d)))
		found += atoi(e->d_name) == pid || atoi(e->d_name) == getpid();
	closedir(d);
	show(found, "opendir(/proc) lists both processes");
	close(p[1]);
	usleep(20000);
	show(slurp(path) > 0 && stat_field(3, f, sizeof(f))[0] == 'Z',
	     "after its exit, unwaited: Z");
	waitpid(pid, NULL, 0);
	show(slurp(path), "after waitpid, read /proc/CHILD/stat");
	snprintf(path, sizeof(path), "/proc/%d", pid);
	show(access(path, F_OK), "access(/proc/CHILD)");
}

static void limits(void)
{
	struct rlimit rl, old;
	show(getrlimit(RLIMIT_NOFILE, &rl), "getrlimit(RLIMIT_NOFILE)");
	rl = (struct rlimit){ 64, 64 };
	show(setrlimit(RLIMIT_NOFILE, &rl), "setrlimit(RLIMIT_NOFILE, 64)");
	show(getrlimit(RLIMIT_NOFILE, &rl), "getrlimit(RLIMIT_NOFILE)");
	show((long)rl.rlim_cur, "soft");
	show((long)rl.rlim_max, "hard");
	int last = -1, fd;
	while ((fd = open("/dev/null", O_RDONLY)) >= 0)
		last = fd;
	show(fd, "opening until none is left");
	show(last, "the last descriptor");
	for (int i = 3; i <= last; i++)
		close(i);
	show(dup2(0, 63), "dup2(0, 63)");
	show(dup2(0, 64), "dup2(0, 64)");
	show(fcntl(0, F_DUPFD, 64), "fcntl(0, F_DUPFD, 64)");
	close(63);
	rl = (struct rlimit){ 65, 64 };
	show(setrlimit(RLIMIT_NOFILE, &rl), "setrlimit(soft 65 > hard 64)");
	rl = (struct rlimit){ 1L << 21, 1L << 21 };
	show(setrlimit(RLIMIT_NOFILE, &rl), "setrlimit(RLIMIT_NOFILE, 2 Mi)");
	show(getrlimit(99, &rl), "getrlimit(99)");
	show(CALL(SYS_getrlimit, RLIMIT_NOFILE, 8L), "getrlimit(bad pointer)");
	show(CALL(SYS_setrlimit, RLIMIT_NOFILE, 8L), "setrlimit(bad pointer)");
	show(prlimit(0, RLIMIT_NOFILE, NULL, &old), "prlimit(0, RLIMIT_NOFILE)");
	show((long)old.rlim_cur, "soft");
	rl = (struct rlimit){ 32, 64 };
	show(prlimit(getpid(), RLIMIT_NOFILE, &rl, &old), "prlimit(self, 32, 64)");
	show((long)old.rlim_cur, "the old soft");
	show(prlimit(999999, RLIMIT_NOFILE, NULL, &old), "prlimit(999999)");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		_exit((int)rl.rlim_cur);
	}
	int status;
	waitpid(pid, &status, 0);
	show(WEXITSTATUS(status), "a child's soft RLIMIT_NOFILE");
}

static void clocks(void)
{
	struct timespec t0, t1, res;
	struct timeval tv;
	time_t t = time(NULL);

	show(gettimeofday(&tv, NULL), "gettimeofday");
	show(tv.tv_sec >= t && tv.tv_sec <= t + 1 && tv.tv_usec >= 0 && tv.tv_usec < 1000000,
	     "it agrees with time()");
	clock_gettime(CLOCK_REALTIME, &t0);
	show(t0.tv_sec >= t && t0.tv_sec <= t + 1, "CLOCK_REALTIME agrees with time()");
	show(t > 1600000000, "the time is after 2020");
	show(clock_getres(CLOCK_MONOTONIC, &res), "clock_getres(CLOCK_MONOTONIC)");
	show(res.tv_sec == 0 && res.tv_nsec > 0, "a fraction of a second");
	show(clock_getres(CLOCK_REALTIME, NULL), "clock_getres(CLOCK_REALTIME, NULL)");
	show(clock_getres(1234, &res), "clock_getres(1234)");
	struct timespec d = { 0, 20000000 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	show(clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL), "clock_nanosleep(MONOTONIC, 20 ms)");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	show((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 20,
	     "it slept 20 ms");
	t1.tv_nsec += 30000000;
	if (t1.tv_nsec >= 1000000000) {
		t1.tv_sec++;
		t1.tv_nsec -= 1000000000;
	}
	show(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t1, NULL),
	     "clock_nanosleep(MONOTONIC, TIMER_ABSTIME, in 30 ms)");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	show(t0.tv_sec > t1.tv_sec || (t0.tv_sec == t1.tv_sec && t0.tv_nsec >= t1.tv_nsec),
	     "it woke after that time");
	clock_gettime(CLOCK_REALTIME, &t0);
	t0.tv_sec -= 10;
	show(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &t0, NULL),
	     "clock_nanosleep(REALTIME, TIMER_ABSTIME, 10 s ago)");
	show(clock_nanosleep(1234, 0, &d, NULL), "clock_nanosleep(1234): the error");
	show(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &d, NULL),
	     "clock_nanosleep(THREAD_CPUTIME_ID): the error");
	d.tv_nsec = 1000000000;
	show(clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL),
	     "clock_nanosleep(tv_nsec 1e9): the error");
	show(CALL(SYS_gettimeofday, 8L, NULL), "gettimeofday(bad pointer)");
	show(CALL(SYS_time, NULL) > 0, "time(NULL) works");
}

static void who(void)
{
	cpu_set_t set;
	struct sysinfo si;
	show(getuid() == geteuid() && getgid() == getegid(), "real and effective ids agree");
	show(setuid(getuid()), "setuid(getuid())");
	show(setgid(getgid()), "setgid(getgid())");
	show(CALL(SYS_setuid, -1), "setuid(-1)");
	CPU_ZERO(&set);
	show(sched_getaffinity(0, sizeof(set), &set), "sched_getaffinity(0)");
	show(CPU_ISSET(0, &set), "CPU 0 is in the mask");
	show(CALL(SYS_sched_getaffinity, 0, 4, &set), "sched_getaffinity(len 4)");
	show(CALL(SYS_sched_getaffinity, 0, 0, &set), "sched_getaffinity(len 0)");
	show(CALL(SYS_sched_getaffinity, 999999, 8, &set), "sched_getaffinity(999999)");
	show(sysinfo(&si), "sysinfo");
	show(si.procs >= 1 && si.totalram >= si.freeram && si.mem_unit > 0,
	     "its counts make sense");
	show(umask(027) >= 0 && umask(022) == 027, "umask gives the old mask back");
}

int main(int argc, char **argv)
{
	show_prefix = "musl-procfs";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3 || scratch(argv[1]) < 0) {
		printf("usage: musl-procfs DIR ARG... (a scratch directory, emptied first)\n");
		return 2;
	}
	self(argc, argv);
	child();
	who();
	clocks();
	limits();
	scratch_done(argv[1]);
	printf("musl-procfs: done\n");
	return 0;
}
