/*
 * User programs: reading and writing several buffers in one call (readv, writev).
 */
#ifndef SPARROW_INC_UIO_H
#define SPARROW_INC_UIO_H

#include <types.h>

struct iovec {
	void *iov_base;
	size_t iov_len;
};

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

#endif
