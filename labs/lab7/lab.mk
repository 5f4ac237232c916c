# Checkpoint 7: threads and memory. A process becomes a thread group: clone with Linux's
# flags chooses what a new task shares, futex lets threads wait for each other, vfork and
# kernel threads; shared mappings and layout randomization. `make qemu-nox` boots the full
# kernel.

# Threads
KERN_SRCS += \
	kern/init/lab7.c \
	kern/proc/thread.c \
	kern/proc/kthread.c \
	kern/sched/reaper.c \
	kern/sys/clone.c \
	kern/sys/futex.c

# Threads: static musl programs (pthreads, clone, futex, vfork, posix_spawn) compared with
# the same binaries run on Linux.
MUSL_PROGS += threads futextest clonetest threadexit forkthread vforktest spawntest

# Memory: shared mappings and layout randomization. MAP_SHARED mappings, anonymous (shared
# across fork) and of ramfs files (the file's own pages), and a layout that moves by a
# random number of pages at each execve (the kernel option aslr=0 turns it off).
KERN_SRCS += kern/mm/shared.c kern/fs/filemap.c kern/proc/aslr.c
USER_PROGS += sharedmem aslr
MUSL_PROGS += sharedmap

# The lab plan (tools/labplan.py): the other files this lab introduces.
LAB_FILES += kern/proc/thread.h kern/proc/kthread.h kern/sched/reaper.h kern/sys/clone.h \
	kern/mm/shared.h kern/fs/filemap.h kern/proc/aslr.h grade/lab7.py docs/lab7.md
