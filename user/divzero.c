/* divzero: divides by zero. The kernel must kill this process with a divide error. */
#include <stdio.h>

volatile int zero, one = 1;

int main(void)
{
	printf("divzero: about to divide by zero\n");
	printf("divzero: 1/0 is %08x, which is impossible\n", one / zero);
	return 0;
}
