# Checkpoint 5: files, exec and the shell. The ramdisk becomes a writable in-memory file
# system; file descriptors, pipes, execve, brk and mmap; init starts the shell. The full
# kernel: `make qemu-nox` boots to a shell prompt.

KERN_SRCS += \
	kern/init/lab5.c \
	kern/fs/ramfs.c \
	kern/fs/open.c \
	kern/fs/pipe.c \
	kern/fs/fsinit.c \
	kern/fs/lock.c \
	kern/sys/sys_file.c \
	kern/sys/sys_path.c \
	kern/sys/sys_poll.c \
	kern/sys/sys_mem.c \
	kern/sys/procfs.c

# The user library grows: files, directories, malloc, exec, error messages.
ULIB_EXTRA += lib/user/file.c lib/user/dirent.c lib/user/malloc.c lib/user/mem.c \
	lib/user/exec.c lib/user/errstr.c lib/user/strmisc.c lib/user/sysmisc.c

# The shell and the utilities, and lab 5's test programs.
USER_PROGS += sh ls cat echo wc grep mkdir rm ps kill sleep true false pwd memcheck exhaust \
	testpipe primes testfdsharing testexec execprobe testfile testbrk testmmap leaks hardening

# Static C programs built with Debian's musl-gcc: /bin/musl-NAME.
MUSL_PROGS += stdio malloc proc dir hostile paths fileio poll locks procfs bench

# The shell script grade/lab5.py runs.
INITRD_FILES += etc/testshell.sh=user/testshell.sh

# The lab plan (tools/labplan.py): the other files this lab introduces.
LAB_FILES += kern/fs/fs.h kern/fs/fsinit.h kern/fs/lock.h kern/sys/procfs.h inc/dirent.h inc/stat.h \
	inc/uio.h inc/resource.h \
	inc/utsname.h \
	user/musl/show.h user/busybox/passwd user/busybox/group \
	grade/lab5.py grade/lab5-testshell.expected docs/lab5.md docs/design-lab5-fs.md \
	tests/host/run_fs.sh tests/host/test_fs.c
OFFICIAL_FILES += user/musl/show.h
