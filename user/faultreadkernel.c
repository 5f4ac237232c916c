/* faultreadkernel: reads kernel memory, which is mapped but not user-accessible. */
#include <stdio.h>

int main(void)
{
	printf("faultreadkernel: reading kernel text at 0xffffffff80100000\n");
	printf("faultreadkernel: read %x, which is wrong\n",
	       *(volatile unsigned *)0xffffffff80100000UL);
	return 0;
}
