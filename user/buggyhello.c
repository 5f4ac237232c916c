/* buggyhello: passes an unmapped pointer to write(). The kernel must return EFAULT, not
 * fault itself. */
#include <errno.h>
#include <unistd.h>
#include <verdict.h>

int main(void)
{
	long r = write(1, (const char *)1, 1);
	verdict("buggyhello: write(1, 0x1, 1) = %ld, errno %d%s", r, errno,
	        r == -1 && errno == EFAULT ? " (EFAULT)" : "");
	return 0;
}
