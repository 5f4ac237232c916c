/* badsegment: loads a selector beyond the end of the GDT into %ds: general-protection fault. */
#include <stdio.h>

int main(void)
{
	printf("badsegment: loading selector 0xf8 into %%ds\n");
	asm volatile("movw $0xf8, %%ax; movw %%ax, %%ds" ::: "rax");
	printf("badsegment: survived, which is wrong\n");
	return 0;
}
