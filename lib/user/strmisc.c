/*
 * More string routines for user programs (lab 5): searching sets of bytes, copies on the
 * heap, and splitting into tokens. Standard C and POSIX meanings.
 */
#include <types.h>
#include <string.h>
#include <stdlib.h>

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++) {
		if (*p == (unsigned char)c)
			return (void *)p;
	}
	return NULL;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] != '\0' && strchr(accept, s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] != '\0' && !strchr(reject, s[n]))
		n++;
	return n;
}

char *strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *copy = malloc(len + 1);

	if (copy) {
		memcpy(copy, s, len);
		copy[len] = '\0';
	}
	return copy;
}

char *strdup(const char *s)
{
	return strndup(s, strlen(s));
}

/* Skip delimiters, then take everything up to the next delimiter, which becomes a NUL;
 * *save remembers where to go on. */
char *strtok_r(char *s, const char *delim, char **save)
{
	if (s == NULL)
		s = *save;
	s += strspn(s, delim);
	if (*s == '\0') {
		*save = s;
		return NULL;
	}
	char *end = s + strcspn(s, delim);
	if (*end != '\0')
		*end++ = '\0';
	*save = end;
	return s;
}
