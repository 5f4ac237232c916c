/*
 * User programs: mapping memory. Anonymous private mappings (MAP_PRIVATE | MAP_ANONYMOUS,
 * fd -1: zeroed memory, as malloc uses for large blocks) and private copies of files; from
 * lab 7, MAP_SHARED mappings of files and anonymous memory shared with children.
 */
#ifndef SPARROW_INC_MMAN_H
#define SPARROW_INC_MMAN_H

#include <types.h>

#define PROT_NONE  0
#define PROT_READ  1
#define PROT_WRITE 2
#define PROT_EXEC  4

#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS

#define MAP_FAILED ((void *)-1) /* mmap's error return */

/* Map len bytes (rounded up to pages); returns the address, or MAP_FAILED with errno. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);

#endif
