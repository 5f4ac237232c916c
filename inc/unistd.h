/*
 * User programs: system-call wrappers. Each returns what the kernel returned, except that an
 * error (-ERRNO from the kernel) becomes -1 with errno set, as in C libraries.
 */
#ifndef SPARROW_INC_UNISTD_H
#define SPARROW_INC_UNISTD_H

#include <types.h>

extern int errno;
extern char **environ;

/* The raw system call: returns the kernel's value, -ERRNO included; errno untouched. */
long raw_syscall(long n, long a1, long a2, long a3, long a4, long a5, long a6);
/* syscall(2) as in C libraries: -1 and errno on error. */
long syscall(long n, ...);

ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
int close(int fd);
pid_t getpid(void);
void _exit(int status) __attribute__((noreturn));
int arch_prctl(int code, unsigned long addr);

#if LAB >= 4
/* Lab 4. The rest of the process calls are in <wait.h>, <signal.h>, <sched.h>, <time.h>. */

/* A copy of the calling process: returns the child's pid in the parent, 0 in the child;
 * -1 with errno EAGAIN (process table full) or ENOMEM. */
pid_t fork(void);
pid_t getppid(void);

/* reboot(2)'s commands, as in glibc's <sys/reboot.h>. */
#define RB_AUTOBOOT    0x01234567
#define RB_HALT_SYSTEM 0xcdef0123
#define RB_POWER_OFF   0x4321fedc
/* Stop the machine (glibc's reboot(cmd): the wrapper supplies Linux's two magic numbers).
 * Returns only on error. */
int reboot(int cmd);
#endif

#if LAB >= 5
/* Lab 5: files, pipes, exec and memory. The rest is in <fcntl.h>, <stat.h>, <dirent.h>,
 * <mman.h>, <uio.h>, <ioctl.h>, <utsname.h>. */

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* lseek's whence: from the start, from the current offset, from the end. */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

off_t lseek(int fd, off_t off, int whence);
/* Copies of a descriptor: the lowest free one (dup), newfd (dup2: closed first if open),
 * newfd with flags O_CLOEXEC or 0 (dup3; EINVAL if newfd == oldfd). */
int dup(int oldfd);
int dup2(int oldfd, int newfd);
int dup3(int oldfd, int newfd, int flags);
/* A pipe: fds[0] reads what fds[1] writes. pipe2's flags: O_CLOEXEC. */
int pipe(int fds[2]);
int pipe2(int fds[2], int flags);
int unlink(const char *path);
int rmdir(const char *path);
int chdir(const char *path);
/* The working directory's absolute path in buf (size bytes); NULL with errno ERANGE if it
 * does not fit. buf NULL: a malloc'ed buffer of size bytes (PATH_MAX if size is 0). */
char *getcwd(char *buf, size_t size);
/* 1 if fd is a terminal (the console), else 0 with errno ENOTTY or EBADF. */
int isatty(int fd);

/* Replace the program: execve with this environment; execv with environ; execvp also
 * looks for a file name without '/' in each directory of $PATH (default "/bin"). They
 * return only on failure: -1 with errno (ENOENT, ENOEXEC, E2BIG, ...). */
int execve(const char *path, char *const argv[], char *const envp[]);
int execv(const char *path, char *const argv[]);
int execvp(const char *file, char *const argv[]);

/* The program break (the end of the heap): brk sets it, 0 or -1 with errno ENOMEM; sbrk
 * moves it by incr and returns the old one, or (void *)-1 with errno ENOMEM. */
int brk(void *addr);
void *sbrk(intptr_t incr);

/* Fill buf with n random bytes; returns how many, or -1 with errno. */
ssize_t getrandom(void *buf, size_t n, unsigned int flags);
#endif

#if LAB >= 6
/* Lab 6: signals (the rest is in <signal.h>) and process groups. */

/* SIGALRM in `seconds` seconds (0: none); returns the seconds left of the previous alarm. */
unsigned int alarm(unsigned int seconds);
/* Sleep until a signal is handled: returns -1 with errno EINTR. */
int pause(void);
/* Move process pid (0: the caller) into process group pgid (0: pid's own, new group). */
int setpgid(pid_t pid, pid_t pgid);
pid_t getpgid(pid_t pid);
pid_t getpgrp(void);
/* A new session and process group, both led by the caller; its id. */
pid_t setsid(void);
pid_t getsid(pid_t pid);
/* The console's foreground process group (TIOCGPGRP, TIOCSPGRP on terminal fd): the one
 * ^C and ^\ signal. */
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);
#endif

#endif
