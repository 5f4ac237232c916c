/*
 * sighandler: handlers. A signal a process sends itself runs its handler before kill
 * returns, with the right siginfo and mask; blocked signals wait as pending and are
 * delivered when unblocked, once however often they were sent (standard signals do not
 * queue); SIG_IGN discards; sa_mask, SA_NODEFER and SA_RESETHAND do what Linux does; a
 * signal sent to another process runs that process's handler.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syscall.h>
#include <time.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define BIT(sig) (1UL << ((sig)-1))

static volatile int runs[NSIG + 1];
static volatile int seen_signo, seen_code, seen_pid, seen_arg;
static volatile sigset_t mask_inside, uc_mask;
static volatile int order[8], norder;

static sigset_t mask_now(void)
{
	sigset_t m;
	sigprocmask(SIG_BLOCK, NULL, &m);
	return m;
}

static sigset_t pending_now(void)
{
	sigset_t m = 0;
	sigpending(&m);
	return m;
}

static void on_info(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	runs[sig]++;
	seen_arg = sig;
	seen_signo = si->si_signo;
	seen_code = si->si_code;
	seen_pid = si->si_pid;
	mask_inside = mask_now();
	uc_mask = uc->uc_sigmask;
	if (norder < 8)
		order[norder++] = sig;
}

static void on_plain(int sig)
{
	runs[sig]++;
	if (norder < 8)
		order[norder++] = sig;
}

static void raise_inside(int sig)
{
	runs[sig]++;
	raise(SIGUSR2);
	mask_inside = pending_now(); /* SIGUSR2 is in sa_mask: still pending here */
}

static void again_inside(int sig)
{
	runs[sig]++;
	if (runs[sig] < 3)
		raise(sig);
}

static int install(int sig, void *handler, unsigned long flags, sigset_t mask)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = flags, .sa_mask = mask };
	return sigaction(sig, &sa, NULL);
}

static void delivery(void)
{
	install(SIGUSR1, on_info, SA_SIGINFO, BIT(SIGHUP));
	int r = kill(getpid(), SIGUSR1);
	check(r == 0 && runs[SIGUSR1] == 1,
	      "kill(getpid(), SIGUSR1) returns 0 with the handler already run once (ran %d times)",
	      runs[SIGUSR1]);
	check(seen_arg == SIGUSR1 && seen_signo == SIGUSR1 && seen_code == SI_USER &&
	              seen_pid == getpid(),
	      "the handler got sig 10 and a siginfo with si_signo 10, si_code SI_USER, si_pid the "
	      "sender (got %d, %d, %d, %d)",
	      seen_arg, seen_signo, seen_code, seen_pid);
	check(mask_inside == (BIT(SIGUSR1) | BIT(SIGHUP)) && uc_mask == 0 && mask_now() == 0,
	      "inside, the signal and sa_mask are blocked; the ucontext holds the old mask, back "
	      "after the handler (inside %#lx, uc %#lx, after %#lx)",
	      mask_inside, uc_mask, mask_now());

	struct sigaction old;
	sigaction(SIGUSR1, NULL, &old);
	check(old.sa_sigaction == on_info && (old.sa_flags & SA_SIGINFO) &&
	              old.sa_mask == BIT(SIGHUP),
	      "sigaction reads the handler, SA_SIGINFO and sa_mask back");

	r = raise(SIGUSR1);
	check(r == 0 && runs[SIGUSR1] == 2 && seen_code == SI_TKILL,
	      "raise (tgkill) runs it too, with si_code SI_TKILL (got %d)", seen_code);
}

static void blocking(void)
{
	sigset_t usr1 = BIT(SIGUSR1), old;
	runs[SIGUSR1] = 0;
	sigprocmask(SIG_BLOCK, &usr1, &old);
	kill(getpid(), SIGUSR1);
	check(runs[SIGUSR1] == 0 && (pending_now() & BIT(SIGUSR1)),
	      "blocked: kill does not run the handler; sigpending shows SIGUSR1 (%#lx)",
	      pending_now());
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1);
	sigprocmask(SIG_SETMASK, &old, NULL);
	check(runs[SIGUSR1] == 1 && pending_now() == 0,
	      "sent 3 times while blocked, it runs once when unblocked, before sigprocmask returns "
	      "(ran %d times)",
	      runs[SIGUSR1]);

	sigset_t all = ~0UL, got;
	sigprocmask(SIG_SETMASK, &all, &old);
	got = mask_now();
	sigprocmask(SIG_SETMASK, &old, NULL);
	check(got == (~0UL & ~BIT(SIGKILL) & ~BIT(SIGSTOP)),
	      "blocking everything blocks all but SIGKILL and SIGSTOP (%#lx)", got);

	install(SIGUSR2, on_plain, 0, 0);
	install(SIGTERM, on_plain, 0, 0);
	sigset_t three = BIT(SIGUSR1) | BIT(SIGUSR2) | BIT(SIGTERM);
	sigprocmask(SIG_BLOCK, &three, NULL);
	kill(getpid(), SIGTERM);
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	norder = 0;
	sigprocmask(SIG_UNBLOCK, &three, NULL);
	check(norder == 3 && order[0] == SIGTERM && order[1] == SIGUSR2 && order[2] == SIGUSR1,
	      "3 pending signals unblocked at once each run, nested as on Linux: the lowest frame "
	      "first, so SIGTERM's handler runs first (order %d %d %d)",
	      order[0], order[1], order[2]);
}

static void ignoring(void)
{
	runs[SIGUSR1] = 0;
	signal(SIGUSR1, SIG_IGN);
	kill(getpid(), SIGUSR1);
	check(runs[SIGUSR1] == 0 && pending_now() == 0,
	      "SIG_IGN: the signal is discarded, not even pending");

	sigset_t usr1 = BIT(SIGUSR1);
	install(SIGUSR1, on_plain, 0, 0);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	kill(getpid(), SIGUSR1);
	signal(SIGUSR1, SIG_IGN);
	sigset_t p = pending_now();
	install(SIGUSR1, on_plain, 0, 0);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	check(p == 0 && runs[SIGUSR1] == 0,
	      "setting SIG_IGN discards a blocked pending signal (pending %#lx, ran %d)", p,
	      runs[SIGUSR1]);

	sigprocmask(SIG_BLOCK, &usr1, NULL);
	signal(SIGUSR1, SIG_IGN);
	kill(getpid(), SIGUSR1);
	p = pending_now();
	install(SIGUSR1, on_plain, 0, 0);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	check((p & BIT(SIGUSR1)) && runs[SIGUSR1] == 1,
	      "an ignored signal sent while blocked is kept pending and runs the handler set "
	      "before the unblock (pending %#lx, ran %d)",
	      p, runs[SIGUSR1]);
}

static void flags(void)
{
	runs[SIGUSR1] = runs[SIGUSR2] = 0;
	install(SIGUSR2, on_plain, 0, 0);
	install(SIGUSR1, raise_inside, 0, BIT(SIGUSR2));
	raise(SIGUSR1);
	check((mask_inside & BIT(SIGUSR2)) && runs[SIGUSR2] == 1,
	      "a signal in sa_mask raised inside the handler waits, pending, until it returns");

	runs[SIGUSR1] = 0;
	install(SIGUSR1, again_inside, SA_NODEFER, 0);
	raise(SIGUSR1);
	int nodefer = runs[SIGUSR1];
	runs[SIGUSR1] = 0;
	install(SIGUSR1, again_inside, 0, 0);
	raise(SIGUSR1);
	check(nodefer == 3 && runs[SIGUSR1] == 3,
	      "SA_NODEFER lets the handler interrupt itself; without it the signal waits: both run "
	      "3 times (%d, %d)",
	      nodefer, runs[SIGUSR1]);

	runs[SIGUSR1] = 0;
	install(SIGUSR1, on_plain, SA_RESETHAND, 0);
	raise(SIGUSR1);
	struct sigaction now;
	sigaction(SIGUSR1, NULL, &now);
	check(runs[SIGUSR1] == 1 && now.sa_handler == SIG_DFL,
	      "SA_RESETHAND: the handler runs once and the action is SIG_DFL again");
	signal(SIGUSR1, SIG_DFL);
}

static void between(void)
{
	int p[2], q[2];
	pipe(p);
	pipe(q);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		install(SIGUSR1, on_info, SA_SIGINFO, 0);
		write(q[1], "r", 1); /* ready */
		while (runs[SIGUSR1] == 0)
			pause();
		char c = seen_pid == parent && seen_code == SI_USER ? 'y' : 'n';
		write(p[1], &c, 1);
		exit(0);
	}
	char c = 0;
	read(q[0], &c, 1);
	kill(pid, SIGUSR1);
	read(p[0], &c, 1);
	int status;
	waitpid(pid, &status, 0);
	check(c == 'y' && status == 0,
	      "a signal sent to a child waiting in pause runs the child's handler, with the "
	      "sender's pid");
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

int main(void)
{
	check_prefix = "sighandler";
	delivery();
	blocking();
	ignoring();
	flags();
	between();
	verdict("sighandler: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
