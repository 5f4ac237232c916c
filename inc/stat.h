/*
 * User programs: file status (stat, fstat) in Linux x86-64's struct stat, file types and
 * mode bits, and mkdir.
 */
#ifndef SPARROW_INC_STAT_H
#define SPARROW_INC_STAT_H

#include <types.h>

/* What stat and fstat fill in: Linux x86-64's layout, 144 bytes. Every file belongs to
 * root (st_uid and st_gid 0); the times are the time of day (lab 5). */
struct stat {
	uint64_t st_dev;
	uint64_t st_ino;   /* the file's number, unique on the device */
	uint64_t st_nlink; /* names it has */
	uint32_t st_mode;  /* type (S_IFMT bits) and permission bits */
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t __pad0;
	uint64_t st_rdev;
	int64_t st_size;    /* bytes */
	int64_t st_blksize; /* the preferred I/O size */
	int64_t st_blocks;  /* 512-byte blocks of data held */
	int64_t st_atime;
	int64_t st_atime_nsec;
	int64_t st_mtime;
	int64_t st_mtime_nsec;
	int64_t st_ctime;
	int64_t st_ctime_nsec;
	int64_t __unused[3];
};

_Static_assert(sizeof(struct stat) == 144, "struct stat must match Linux x86-64");

/* File types in st_mode. */
#define S_IFMT   0170000
#define S_IFSOCK 0140000
#define S_IFLNK  0120000
#define S_IFREG  0100000
#define S_IFBLK  0060000
#define S_IFDIR  0040000
#define S_IFCHR  0020000
#define S_IFIFO  0010000

#define S_ISREG(m)  (((m)&S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m)&S_IFMT) == S_IFDIR)
#define S_ISCHR(m)  (((m)&S_IFMT) == S_IFCHR)
#define S_ISBLK(m)  (((m)&S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m)&S_IFMT) == S_IFIFO)
#define S_ISLNK(m)  (((m)&S_IFMT) == S_IFLNK)
#define S_ISSOCK(m) (((m)&S_IFMT) == S_IFSOCK)

/* Fill *st for the file path names (stat) or fd refers to (fstat). 0, or -1 with errno. */
int stat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
/* Make a directory with permission bits mode (e.g. 0755). -1 with errno EEXIST if the name
 * is taken, ENOENT if the parent is missing. */
int mkdir(const char *path, mode_t mode);

#endif
