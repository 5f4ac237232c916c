/*
 * Memory and string routines for the kernel and user programs (lib/string.c).
 * Same names and meanings as standard C, so students can rely on what they already know.
 */
#ifndef SPARROW_INC_STRING_H
#define SPARROW_INC_STRING_H

#include <types.h>

/* gcc may emit calls to these four on its own (struct copies, large initialisers). */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strncpy(char *dst, const char *src, size_t n);
size_t strlcpy(char *dst, const char *src, size_t size);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);

/* Parse an integer in base 2..36, or 0 to guess from the prefix (0x: 16, 0: 8, else 10). */
unsigned long strtoul(const char *s, char **endptr, int base);
long strtol(const char *s, char **endptr, int base);

#if LAB >= 5
/* User programs from lab 5 (lib/user/strmisc.c, lib/user/errstr.c). */
void *memchr(const void *s, int c, size_t n);
/* The length of the first part of s made only of bytes in accept (strspn), or of bytes not
 * in reject (strcspn). */
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);
/* Copies in malloc'ed memory (NULL if there is none); strndup copies at most n bytes. */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);
/* The next token of s (NULL: go on where *save says) delimited by bytes of delim. */
char *strtok_r(char *s, const char *delim, char **save);
/* The message for an error number: "No such file or directory" for ENOENT. */
char *strerror(int err);
#endif

#endif
