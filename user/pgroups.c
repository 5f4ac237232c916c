/*
 * pgroups: process groups and sessions. setpgid, getpgid, getpgrp, setsid and getsid with
 * Linux's rules and errors; kill(-pgid) reaches every process of a group and no other,
 * kill(0) the caller's own group, kill(-1) every process but init and the caller; wait4
 * for a group; the console's foreground group (TIOCSPGRP, TIOCGPGRP).
 */
#include <errno.h>
#include <ioctl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

/* A child that waits in pause(), in process group pgid (0: its own; -1: its parent's), and
 * exits 0 on SIGUSR1; ready when this returns. */
static pid_t member(pid_t pgid)
{
	int p[2];
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGUSR1, SIG_DFL);
		if (pgid >= 0)
			setpgid(0, pgid);
		write(p[1], "r", 1);
		for (;;)
			pause();
	}
	if (pgid >= 0)
		setpgid(pid, pgid); /* both sides, as shells do: whoever runs first */
	char c;
	read(p[0], &c, 1);
	close(p[0]);
	close(p[1]);
	return pid;
}

static void ids(void)
{
	pid_t me = getpid();
	check(getpgid(0) == getpgrp() && getpgid(me) == getpgrp() && getsid(0) == getsid(me),
	      "getpgid(0), getpgid(getpid()) and getpgrp() agree, as do getsid(0) and "
	      "getsid(getpid())");
	check(getsid(0) > 0 && getpgrp() > 0, "a session and a group from init (%d, %d)", getsid(0),
	      getpgrp());
	errno = 0;
	int r = setpgid(0, 0);
	check(r == 0 && getpgrp() == me, "setpgid(0, 0) makes a new group led by the caller");
	errno = 0;
	r = setsid();
	check(r == -1 && errno == EPERM, "a group leader cannot setsid: EPERM");
	errno = 0;
	r = setpgid(0, -1);
	int e = errno;
	errno = 0;
	int r2 = getpgid(99999);
	check(r == -1 && e == EINVAL && r2 == -1 && errno == ESRCH,
	      "setpgid with a negative group: EINVAL; getpgid of no process: ESRCH");
	errno = 0;
	r = setpgid(1, 0);
	check(r == -1 && errno == ESRCH, "setpgid of a process that is not a child: ESRCH");
}

static void groups(void)
{
	pid_t a = member(0);
	pid_t b = member(a);
	pid_t c = member(-1); /* in our group */
	check(getpgid(a) == a && getpgid(b) == a && getpgid(c) == getpgrp(),
	      "a child leads its own group, a second joins it, a third stays in ours");

	kill(-a, SIGTERM);
	int sa = reap_within(a, 500), sb = reap_within(b, 500);
	int status;
	pid_t alive = waitpid(c, &status, WNOHANG);
	check(WIFSIGNALED(sa) && WTERMSIG(sa) == SIGTERM && WIFSIGNALED(sb) &&
	              WTERMSIG(sb) == SIGTERM && alive == 0,
	      "kill(-pgid, SIGTERM) ends both members of the group and not the third (%#x %#x %d)",
	      sa, sb, alive);
	errno = 0;
	int r = kill(-a, SIGTERM);
	check(r == -1 && errno == ESRCH, "once they are gone, kill(-pgid) fails with ESRCH");
	kill(c, SIGKILL);
	reap_within(c, 500);

	/* kill(0): our own group, ourselves included. */
	a = member(-1);
	signal(SIGUSR2, SIG_IGN);
	kill(0, SIGUSR2); /* ignored here; kills the child (default action) */
	sa = reap_within(a, 500);
	check(WIFSIGNALED(sa) && WTERMSIG(sa) == SIGUSR2,
	      "kill(0, SIGUSR2) reaches the caller's group: a child in it dies");
	signal(SIGUSR2, SIG_DFL);

	/* wait4 by group. */
	a = member(0);
	b = member(a);
	c = member(-1);
	kill(b, SIGTERM);
	kill(c, SIGTERM);
	sleep_ticks(5);
	pid_t w1 = waitpid(-a, &status, 0);
	pid_t w2 = waitpid(0, &status, 0);
	errno = 0;
	pid_t w3 = waitpid(-a, &status, WNOHANG);
	check(w1 == b && w2 == c && w3 == 0,
	      "waitpid(-pgid) reaps a child of that group, waitpid(0) one of the caller's group "
	      "(%d %d %d)",
	      w1, w2, w3);
	kill(a, SIGKILL);
	reap_within(a, 500);
}

static void sessions(void)
{
	int p[2];
	pipe(p);
	pid_t pid = fork();
	if (pid == 0) {
		pid_t parent_group = getpgrp();
		pid_t sid = setsid();
		char r[4] = { sid == getpid() ? 's' : '-', getpgrp() == getpid() ? 'g' : '-', '-',
			      0 };
		errno = 0;
		if (setpgid(0, parent_group) == -1 && errno == EPERM)
			r[2] = 'e';
		write(p[1], r, 3);
		exit(0);
	}
	char r[4] = "";
	read(p[0], r, 3);
	waitpid(pid, NULL, 0);
	close(p[0]);
	close(p[1]);
	check(r[0] == 's' && r[1] == 'g',
	      "a child's setsid makes it the leader of a new session and group (%s)", r);
	check(r[2] == 'e', "from there it cannot join a group of another session: EPERM");

	pid = fork();
	if (pid == 0) {
		char *args[] = { "sleep", "1", NULL };
		execve("/bin/sleep", args, environ);
		exit(127);
	}
	sleep_ticks(20);
	errno = 0;
	int rr = setpgid(pid, pid);
	check(rr == -1 && errno == EACCES,
	      "setpgid of a child that has called execve fails with EACCES (%d)", errno);
	waitpid(pid, NULL, 0);
}

static void everybody(void)
{
	pid_t a = member(0), b = member(-1);
	signal(SIGTERM, SIG_IGN);
	int r = kill(-1, SIGTERM);
	signal(SIGTERM, SIG_DFL);
	int sa = reap_within(a, 500), sb = reap_within(b, 500);
	check(r == 0 && WIFSIGNALED(sa) && WTERMSIG(sa) == SIGTERM && WIFSIGNALED(sb) &&
	              WTERMSIG(sb) == SIGTERM,
	      "kill(-1) reaches every process but init and the caller, in any group");
}

static void console(void)
{
	pid_t fg = tcgetpgrp(0);
	int r = tcsetpgrp(0, getpgrp());
	check(fg > 0 && r == 0 && tcgetpgrp(0) == getpgrp(),
	      "TIOCSPGRP makes the caller's group the console's foreground group; TIOCGPGRP says "
	      "so (was %d)",
	      fg);
	errno = 0;
	r = tcsetpgrp(0, 99999);
	int e = errno;
	int p[2];
	pipe(p);
	errno = 0;
	int r2 = tcsetpgrp(p[0], getpgrp());
	check(r == -1 && e == ESRCH && r2 == -1 && errno == ENOTTY,
	      "a group that does not exist: ESRCH; a pipe is no terminal: ENOTTY");
	close(p[0]);
	close(p[1]);
	tcsetpgrp(0, fg);
}

int main(void)
{
	check_prefix = "pgroups";
	ids();
	groups();
	sessions();
	everybody();
	console();
	verdict("pgroups: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
