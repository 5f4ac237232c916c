/*
 * true: do nothing, successfully (exit status 0). Useful in shell scripts and tests.
 */
int main(void)
{
	return 0;
}
