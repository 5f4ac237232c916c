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

#endif
