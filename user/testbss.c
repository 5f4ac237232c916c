/* testbss: a large bss must start zero and be writable, page after page. */
#include <stdio.h>
#include <verdict.h>

#define N (1 << 18)
static unsigned int big[N]; /* 1 MiB of bss */

int main(void)
{
	for (int i = 0; i < N; i++) {
		if (big[i] != 0) {
			verdict("testbss: FAIL big[%d] is %x, not 0", i, big[i]);
			return 1;
		}
	}
	for (int i = 0; i < N; i++)
		big[i] = (unsigned)i * 2654435761u;
	for (int i = 0; i < N; i++) {
		if (big[i] != (unsigned)i * 2654435761u) {
			verdict("testbss: FAIL big[%d] did not keep its value", i);
			return 1;
		}
	}
	verdict("testbss: OK, %d KiB of bss zero and writable", (int)(sizeof(big) / 1024));
	return 0;
}
