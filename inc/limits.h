/*
 * User programs: the limits of Sparrow's file system (as in <limits.h>).
 */
#ifndef SPARROW_INC_LIMITS_H
#define SPARROW_INC_LIMITS_H

#define NAME_MAX  255  /* longest name in a directory */
#define PATH_MAX  4096 /* longest path, its NUL included */
#define OPEN_MAX  1024 /* descriptors a process may have: Linux's default RLIMIT_NOFILE */
#define PIPE_BUF  4096 /* writes to a pipe up to this size are atomic */
#define INT_MAX   2147483647
#define INT_MIN   (-INT_MAX - 1)
#define SSIZE_MAX 0x7FFFFFFFFFFFFFFFL /* the largest ssize_t: what one read or write may return */

#endif
