# Checkpoint 7: threads, shared mappings and layout randomization.

# Memory: shared mappings and layout randomization. MAP_SHARED mappings, anonymous (shared
# across fork) and of ramfs files (the file's own pages), and a layout that moves by a
# random number of pages at each execve (the kernel option aslr=0 turns it off).
KERN_SRCS += kern/mm/shared.c kern/fs/filemap.c kern/proc/aslr.c
USER_PROGS += sharedmem aslr
MUSL_PROGS += sharedmap
LAB_FILES += kern/mm/shared.h kern/fs/filemap.h kern/proc/aslr.h grade/lab7.py docs/lab7.md
