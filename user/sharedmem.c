/*
 * sharedmem: shared mappings (lab 7). MAP_SHARED|MAP_ANONYMOUS memory is one memory for a
 * parent and its children (not copy-on-write); a MAP_SHARED mapping of a file is the file:
 * writes through it reach read(), write() is seen through it, past the end is SIGBUS; a
 * MAP_PRIVATE one is a copy. Every frame comes back once the mappings are gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <mman.h>
#include <setjmp.h>
#include <signal.h>
#include <stat.h>
#include <stdio.h>
#include <string.h>
#include <syscall.h>
#include <sysinfo.h>
#include <unistd.h>
#include <verdict.h>
#include <wait.h>

#define PG       4096
#define RW       (PROT_READ | PROT_WRITE)
#define CHILDREN 8
#define FILE     "/tmp/sharedmem"

static sigjmp_buf escape;
static volatile int caught;

static void on_fault(int sig)
{
	caught = sig;
	siglongjmp(escape, 1);
}

/* Touch the byte at p (write v there if write): 0, or the signal the access raised. */
static int touch(volatile char *p, bool write, char v)
{
	caught = 0;
	if (sigsetjmp(escape, 1))
		return caught;
	if (write)
		*p = v;
	else
		(void)*p;
	return 0;
}

static long free_frames(void)
{
	struct sysinfo si;
	return sysinfo(&si) < 0 ? -1 : (long)(si.freeram * si.mem_unit / PG);
}

static int wait_status(pid_t pid)
{
	int status = -1;
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

static char file_byte(int fd, off_t off)
{
	char c = 0;
	syscall(SYS_pread64, fd, &c, 1, off);
	return c;
}

static void anonymous(void)
{
	char *m = mmap(NULL, 4 * PG, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	check(m != MAP_FAILED, "mmap of 4 pages MAP_SHARED|MAP_ANONYMOUS succeeds");
	if (m == MAP_FAILED)
		return;
	m[0] = 'p';
	pid_t pid = fork();
	if (pid == 0) {
		int ok = m[0] == 'p';
		m[1] = 'c';
		m[3 * PG] = 'C'; /* a page untouched before the fork */
		_exit(ok ? 0 : 1);
	}
	check(wait_status(pid) == 0, "a child sees what the parent wrote before fork");
	check(m[1] == 'c' && m[3 * PG] == 'C',
	      "the parent sees the child's writes, in a touched and an untouched page");

	/* Each child adds its turn to a counter in the shared page, one after another. */
	long *counter = (long *)(m + PG);
	for (int i = 0; i < CHILDREN; i++) {
		if ((pid = fork()) == 0) {
			*counter += i + 1;
			_exit(0);
		}
		wait_status(pid);
	}
	check(*counter == CHILDREN * (CHILDREN + 1) / 2, "%d children add to one counter: %ld",
	      CHILDREN, *counter);

	int p[2];
	pipe(p);
	if ((pid = fork()) == 0) {
		char c;
		read(p[0], &c, 1);
		_exit(m[2] == 'x' ? 0 : 1);
	}
	m[2] = 'x';
	write(p[1], "g", 1);
	check(wait_status(pid) == 0, "a write after the fork reaches the running child");
	close(p[0]);
	close(p[1]);

	check(munmap(m, PG) == 0 && touch(m, false, 0) == SIGSEGV && *counter != 0,
	      "munmap of one page leaves the others");
	check(mprotect(m + PG, PG, PROT_READ) == 0 && touch(m + PG, true, 1) == SIGSEGV,
	      "mprotect(PROT_READ) forbids writes");
	check(mprotect(m + PG, PG, RW) == 0 && touch(m + PG, true, 'w') == 0,
	      "mprotect(PROT_READ|PROT_WRITE) allows them again");
	if ((pid = fork()) == 0) {
		m[PG + 1] = 'k';
		_exit(0);
	}
	wait_status(pid);
	check(m[PG + 1] == 'k', "and the page is still shared with children");
	munmap(m + PG, 3 * PG);
}

static void file(void)
{
	char data[3000];
	int fd = open(FILE, O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(data, 'a', sizeof(data));
	write(fd, data, sizeof(data));

	char *m = mmap(NULL, 2 * PG, RW, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED, "mmap MAP_SHARED of a 3000-byte file succeeds");
	if (m == MAP_FAILED)
		return;
	check(m[0] == 'a' && m[2999] == 'a' && m[3000] == 0, "it shows the file, zeros after");
	m[10] = 'Z';
	check(file_byte(fd, 10) == 'Z', "a write through the mapping reaches read()");
	syscall(SYS_pwrite64, fd, "W", 1, 20);
	check(m[20] == 'W', "a pwrite() is seen through the mapping");
	pid_t pid = fork();
	if (pid == 0) {
		m[30] = 'K';
		_exit(0);
	}
	wait_status(pid);
	check(file_byte(fd, 30) == 'K', "a child's write through the mapping reaches the file");
	check(touch(m + PG, false, 0) == SIGBUS, "a page past the end of the file is SIGBUS");
	syscall(SYS_ftruncate, fd, 2 * PG);
	check(touch(m + PG, true, 'y') == 0 && file_byte(fd, PG) == 'y',
	      "once the file grows the page is there, and shared");

	char *priv = mmap(NULL, PG, RW, MAP_PRIVATE, fd, 0);
	check(priv != MAP_FAILED && priv[10] == 'Z', "a MAP_PRIVATE mapping shows the file");
	if (priv != MAP_FAILED) {
		priv[10] = 'P';
		check(file_byte(fd, 10) == 'Z' && m[10] == 'Z',
		      "its writes reach neither the file nor the shared mapping");
		munmap(priv, PG);
	}

	int ro = open(FILE, O_RDONLY);
	char *r = mmap(NULL, PG, PROT_READ, MAP_SHARED, ro, 0);
	check(r != MAP_FAILED && r[30] == 'K', "PROT_READ MAP_SHARED of an O_RDONLY file");
	if (r != MAP_FAILED) {
		check(touch(r, true, 'n') == SIGSEGV, "a write to it is SIGSEGV");
		errno = 0;
		check(mprotect(r, PG, RW) < 0 && errno == EACCES,
		      "mprotect(PROT_WRITE) of it fails with EACCES");
		munmap(r, PG);
	}
	errno = 0;
	check(mmap(NULL, PG, RW, MAP_SHARED, ro, 0) == MAP_FAILED && errno == EACCES,
	      "PROT_WRITE MAP_SHARED of an O_RDONLY file fails with EACCES");
	close(ro);
	unlink(FILE);
	close(fd);
	check(m[20] == 'W', "the mapping outlives the file's name and descriptor");
	munmap(m, 2 * PG);
}

int main(void)
{
	check_prefix = "sharedmem";
	struct sigaction sa = { .sa_handler = on_fault };
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	if (mkdir("/tmp", 0755) < 0 && errno != EEXIST)
		check(false, "mkdir /tmp failed, errno %d", errno);

	/* A first round, in a child whose output is thrown away, warms the kernel's caches;
	 * the second is checked and measured. */
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		anonymous();
		file();
		_exit(0);
	}
	wait_status(pid);
	long before = free_frames();
	anonymous();
	file();
	long after = free_frames();
	check(before == after, "every frame comes back (%ld free before, %ld after)", before,
	      after);
	if (check_failures == 0)
		verdict("sharedmem: all checks OK");
	return check_failures ? 1 : 0;
}
