# Checkpoint 5: files, exec and the shell. The ramdisk becomes a writable in-memory file
# system; file descriptors, pipes, execve, brk and mmap; init starts the shell. The full
# kernel: `make qemu-nox` boots to a shell prompt.

KERN_SRCS += \
	kern/fs/ramfs.c \
	kern/fs/open.c \
	kern/fs/pipe.c \
	kern/fs/fsinit.c \
	kern/sys/sys_file.c \
	kern/sys/sys_mem.c \
	kern/sys/procfs.c

# The user library grows: files, directories, malloc, exec, error messages.
ULIB_EXTRA += lib/file.c lib/dirent.c lib/malloc.c lib/mem.c lib/exec.c lib/errstr.c \
	lib/strmisc.c lib/sysmisc.c

# The shell and the utilities, and lab 5's test programs.
USER_PROGS += sh ls cat echo wc grep mkdir rm ps kill sleep true false pwd memcheck exhaust \
	testpipe primes testfdsharing testexec execprobe testfile testbrk testmmap leaks hardening

# Static C programs built with Debian's musl-gcc: /bin/musl-NAME.
MUSL_PROGS += stdio malloc proc dir hostile bench

# The shell script grade/lab5.py runs.
INITRD_FILES += etc/testshell.sh=user/testshell.sh

# The lab plan (tools/labplan.py): the other files this lab introduces.
LAB_FILES += kern/fs/fs.h kern/fs/fsinit.h kern/sys/procfs.h inc/dirent.h inc/stat.h inc/uio.h \
	inc/utsname.h \
	grade/lab5.py grade/lab5-testshell.expected docs/lab5.md docs/design-lab5-fs.md \
	tests/host/run_fs.sh tests/host/test_fs.c
