/*
 * User programs: waiting for descriptors with poll and select, with Linux's structures and
 * event bits (shared with the kernel, whose files report these bits).
 */
#ifndef SPARROW_INC_POLL_H
#define SPARROW_INC_POLL_H

#include <types.h>

#define POLLIN     0x001 /* a read would not wait: data, or end of file */
#define POLLPRI    0x002
#define POLLOUT    0x004 /* a write would not wait */
#define POLLERR    0x008 /* (out only) an error: a pipe's write end with no reader left */
#define POLLHUP    0x010 /* (out only) hung up: a pipe's read end with no writer left */
#define POLLNVAL   0x020 /* (out only) the descriptor is not open */
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100

struct pollfd {
	int fd;        /* a negative fd is skipped (revents 0) */
	short events;  /* what to wait for */
	short revents; /* what happened */
};

#endif
