/* evilhello: asks write() to print kernel memory. The kernel must refuse with EFAULT. */
#include <errno.h>
#include <unistd.h>
#include <verdict.h>

int main(void)
{
	long r = write(1, (const char *)0xffff800000100000UL, 64);
	verdict("evilhello: write(1, kernel memory, 64) = %ld, errno %d%s", r, errno,
	        r == -1 && errno == EFAULT ? " (EFAULT)" : "");
	/* A buffer that starts in user memory and runs into the kernel half. */
	r = write(1, (const char *)0x00007ffffffffff0UL, 64);
	verdict("evilhello: write across the top of user memory = %ld, errno %d%s", r, errno,
	        r == -1 && errno == EFAULT ? " (EFAULT)" : "");
	return 0;
}
