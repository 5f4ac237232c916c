/*
 * User programs: reading directories. getdents64 hands out raw Linux records; opendir,
 * readdir and closedir (lib/user/dirent.c) read them one entry at a time.
 */
#ifndef SPARROW_INC_DIRENT_H
#define SPARROW_INC_DIRENT_H

#include <types.h>

/* Entry types (d_type), with Linux's values. */
#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10
#define DT_SOCK    12

/* One record of getdents64's buffer: records are d_reclen bytes long, 8-byte aligned. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;     /* where the next record's entry is (the kernel's cookie) */
	uint16_t d_reclen; /* the size of this record, name and padding included */
	uint8_t d_type;    /* DT_* */
	char d_name[];     /* NUL-terminated */
};

/* Fill buf with as many whole records as fit from the directory open on fd. Returns the
 * bytes filled, 0 at the end, -1 with errno (ENOTDIR, EINVAL: buf too small for one). */
ssize_t getdents64(int fd, void *buf, size_t size);

/* One entry, as readdir returns it. */
struct dirent {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type; /* DT_* */
	char d_name[256];
};

typedef struct dir DIR;

/* Open a directory for reading; NULL with errno if it cannot be. */
DIR *opendir(const char *path);
/* The next entry ("." and ".." included), or NULL at the end (errno unchanged) or on an
 * error (errno set). The entry is overwritten by the next call. */
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);

#endif
