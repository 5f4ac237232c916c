/* breakpoint: int3 drops into the kernel monitor; `continue` comes back here, `step`
 * executes one instruction at a time. */
#include <stdio.h>
#include <verdict.h>

volatile int counter;

int main(void)
{
	printf("breakpoint: before int3\n");
	asm volatile("int3");
	counter++;
	counter++;
	verdict("breakpoint: continued after int3, counter %d", counter);
	return 0;
}
