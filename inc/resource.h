/*
 * User programs: resource limits (getrlimit, setrlimit, prlimit64), with Linux's numbers
 * and struct rlimit. docs/syscalls.md says what each limit is on Sparrow.
 */
#ifndef SPARROW_INC_RESOURCE_H
#define SPARROW_INC_RESOURCE_H

#include <types.h>

#define RLIMIT_CPU        0 /* CPU seconds */
#define RLIMIT_FSIZE      1 /* the largest file */
#define RLIMIT_DATA       2 /* the data segment and private mappings */
#define RLIMIT_STACK      3 /* the stack */
#define RLIMIT_CORE       4 /* core dumps */
#define RLIMIT_RSS        5
#define RLIMIT_NPROC      6 /* processes */
#define RLIMIT_NOFILE     7 /* descriptors: one more than the highest a process may open */
#define RLIMIT_MEMLOCK    8
#define RLIMIT_AS         9 /* the address space */
#define RLIMIT_LOCKS      10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE   12
#define RLIMIT_NICE       13 /* how far nice may go down: 20 - this */
#define RLIMIT_RTPRIO     14
#define RLIMIT_RTTIME     15
#define RLIM_NLIMITS      16

#define RLIM_INFINITY (~0UL)

struct rlimit {
	uint64_t rlim_cur; /* the soft limit, which counts */
	uint64_t rlim_max; /* the hard limit: how far the soft one may be raised */
};

#endif
