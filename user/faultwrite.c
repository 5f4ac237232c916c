/* faultwrite: writes address 0, which is never mapped. */
#include <stdio.h>

int main(void)
{
	printf("faultwrite: writing address 0\n");
	*(volatile unsigned *)0 = 0xdead;
	printf("faultwrite: survived, which is wrong\n");
	return 0;
}
