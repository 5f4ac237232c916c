/* hello: the first user program. Prints its pid and its arguments. */
#include <stdio.h>
#include <unistd.h>
#include <verdict.h>

int main(int argc, char **argv)
{
	printf("hello, world\n");
	verdict("hello: i am pid %d", getpid());
	for (int i = 0; i < argc; i++)
		verdict("hello: argv[%d] = '%s'", i, argv[i]);
	return 0;
}
