/*
 * false: do nothing, unsuccessfully (exit status 1). Useful in shell scripts and tests.
 */
int main(void)
{
	return 1;
}
