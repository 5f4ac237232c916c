/*
 * Error numbers, with Linux's values. System calls return -ERRNO; the user library turns
 * that into -1 with errno set.
 */
#ifndef SPARROW_INC_ERRNO_H
#define SPARROW_INC_ERRNO_H

#define EPERM        1
#define ENOENT       2
#define ESRCH        3
#define EINTR        4
#define EIO          5
#define ENXIO        6
#define E2BIG        7
#define ENOEXEC      8
#define EBADF        9
#define ECHILD       10
#define EAGAIN       11
#define ENOMEM       12
#define EACCES       13
#define EFAULT       14
#define ENOTBLK      15
#define EBUSY        16
#define EEXIST       17
#define EXDEV        18
#define ENODEV       19
#define ENOTDIR      20
#define EISDIR       21
#define EINVAL       22
#define ENFILE       23
#define EMFILE       24
#define ENOTTY       25
#define ETXTBSY      26
#define EFBIG        27
#define ENOSPC       28
#define ESPIPE       29
#define EROFS        30
#define EMLINK       31
#define EPIPE        32
#define EDOM         33
#define ERANGE       34
#define EDEADLK      35
#define ENAMETOOLONG 36
#define ENOLCK       37
#define ENOSYS       38
#define ENOTEMPTY    39
#define ELOOP        40
#define EOVERFLOW    75
#define EOPNOTSUPP   95
#define ETIMEDOUT    110 /* lab 7: a futex wait timed out */

#define MAX_ERRNO 4095 /* a return value in [-MAX_ERRNO, -1] is an error */

#ifndef __ASSEMBLER__
/* User programs: the error of the last failed call (lib/user/syscall.c). */
extern int errno;
/* The name of an errno value, "EFAULT"; "E?" for one without a name (lib/errname.c). */
const char *errno_name(int e);
#endif

#endif
