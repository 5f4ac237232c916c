/*
 * User-side exit, getenv and number conversion.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void exit(int status)
{
	_exit(status);
}

char *getenv(const char *name)
{
	size_t len = strlen(name);
	for (char **e = environ; e && *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

long atol(const char *s)
{
	return strtol(s, NULL, 10);
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}
