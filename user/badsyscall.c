/* badsyscall: system calls the kernel must refuse with an error code, never a crash. */
#include <errno.h>
#include <syscall.h>
#include <unistd.h>
#include <verdict.h>

#define ARCH_SET_FS 0x1002

static int failures;

static void expect(const char *what, long got, long want)
{
	if (got != want)
		failures++;
	verdict("badsyscall: %s = %ld, want %ld: %s", what, got, want, got == want ? "OK" : "FAIL");
}

int main(void)
{
	char c = 'x';

	expect("syscall 9999", raw_syscall(9999, 0, 0, 0, 0, 0, 0), -ENOSYS);
	expect("syscall -1", raw_syscall(-1, 0, 0, 0, 0, 0, 0), -ENOSYS);
	expect("syscall 1<<40", raw_syscall(1L << 40, 0, 0, 0, 0, 0, 0), -ENOSYS);
	expect("write(-1)", raw_syscall(SYS_write, -1, (long)&c, 1, 0, 0, 0), -EBADF);
	expect("write(99)", raw_syscall(SYS_write, 99, (long)&c, 1, 0, 0, 0), -EBADF);
	expect("write(1, buf, 0)", raw_syscall(SYS_write, 1, (long)&c, 0, 0, 0, 0), 0);
	expect("write(1, NULL, 5)", raw_syscall(SYS_write, 1, 0, 5, 0, 0, 0), -EFAULT);
	expect("write(1, buf, huge)", raw_syscall(SYS_write, 1, (long)&c, 1L << 62, 0, 0, 0),
	       -EFAULT);
	expect("arch_prctl(0x9999)", raw_syscall(SYS_arch_prctl, 0x9999, 0, 0, 0, 0, 0), -EINVAL);
	expect("arch_prctl(SET_FS, kernel address)",
	       raw_syscall(SYS_arch_prctl, ARCH_SET_FS, (long)0xffff800000000000UL, 0, 0, 0, 0),
	       -EPERM);
	expect("getpid with junk arguments", raw_syscall(SYS_getpid, -1, -1, -1, -1, -1, -1),
	       getpid());
	verdict("badsyscall: %s", failures ? "FAIL" : "all checks OK");
	return 0;
}
