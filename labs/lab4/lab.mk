# Checkpoint 4: preemptive multitasking. The timer, the scheduler, the context switch with
# FPU state, fork with copy-on-write, exit/wait/kill, sleeping, priorities. init (pid 1)
# waits for the program named by init= and reaps orphans.

KERN_SRCS += \
	kern/sched/timer.c \
	kern/sched/sched.c \
	kern/sched/sys_sched.c \
	kern/mm/cow.c \
	kern/proc/fork.c \
	kern/proc/wait.c \
	kern/proc/sys_time.c \
	kern/proc/sys_misc.c

USER_PROGS += init spin forktree cowtest cowcopyout fputest stresssched priority sleeptest \
	waittest orphans forkbomb faultstatus

# The lab plan (tools/labplan.py): the other files this lab introduces.
LAB_FILES += kern/mm/cow.h kern/sched/sched.h inc/sched.h inc/sysinfo.h inc/time.h inc/wait.h \
	grade/lab4.py docs/lab4.md
