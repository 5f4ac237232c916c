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

# The lab plan (tools/labplan.py): the other files this lab introduces.
LAB_FILES += kern/proc/thread.h kern/proc/kthread.h kern/sched/reaper.h kern/sys/clone.h \
	grade/lab7.py docs/lab7.md
