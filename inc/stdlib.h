/*
 * User programs: process exit, environment, number conversion.
 */
#ifndef SPARROW_INC_STDLIB_H
#define SPARROW_INC_STDLIB_H

#include <types.h>

void exit(int status) __attribute__((noreturn));
char *getenv(const char *name);
int atoi(const char *s);
long atol(const char *s);

#if LAB >= 5
/* Lab 5: the heap (lib/user/malloc.c). malloc returns 16-byte aligned memory, or NULL with errno
 * ENOMEM; free(NULL) does nothing; realloc(p, 0) frees p and returns NULL. */
void *malloc(size_t n);
void free(void *p);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);
/* End the program with SIGABRT (what a failed assertion or a corrupt heap does). */
void abort(void) __attribute__((noreturn));
#endif

#endif
