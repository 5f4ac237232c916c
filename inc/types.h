/*
 * Basic fixed-width types shared by the kernel, user programs and host tests.
 * Sparrow builds with -nostdinc, so this header stands in for <stdint.h>/<stddef.h>.
 */
#ifndef SPARROW_INC_TYPES_H
#define SPARROW_INC_TYPES_H

#ifndef __ASSEMBLER__

typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
typedef long int64_t;
typedef unsigned long uint64_t;

typedef unsigned long uintptr_t;
typedef long intptr_t;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long ptrdiff_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int mode_t; /* a file's type and permission bits */

/* Physical addresses are kept apart from pointers so the two are never confused. */
typedef uint64_t physaddr_t;

#ifndef __cplusplus
typedef _Bool bool;
#define true 1
#define false 0
#endif

#ifndef NULL
#define NULL ((void *)0)
#endif

#define offsetof(type, member) __builtin_offsetof(type, member)
#define ARRAY_SIZE(a)          (sizeof(a) / sizeof((a)[0]))

/* Round down / up to a multiple of n (n a power of two). */
#define ROUNDDOWN(a, n) ((__typeof__(a))((uint64_t)(a) & ~((uint64_t)(n)-1)))
#define ROUNDUP(a, n)   ROUNDDOWN((uint64_t)(a) + (uint64_t)(n)-1, n)

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#endif /* !__ASSEMBLER__ */
#endif
