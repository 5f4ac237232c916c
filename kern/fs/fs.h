/*
 * The file system (lab 5): an in-memory tree of directories, regular files and device nodes
 * (ramfs), built from the initial ramdisk and writable by programs. See docs/design-lab5-fs.md.
 */
#ifndef SPARROW_KERN_FS_FS_H
#define SPARROW_KERN_FS_FS_H

#include <types.h>
#include <dirent.h> /* DT_*: entry types in a directory listing, with Linux's values */
#include <stat.h>   /* S_IF*, S_IS*: file types in a mode, with Linux's values */
#include <limits.h> /* NAME_MAX, PATH_MAX */
#include <time.h>   /* struct timespec: file times */

#define FS_MAX_LINKS 40 /* symbolic links one lookup may follow (Linux's MAXSYMLINKS) */

/* The devices stat reports (st_dev): the tree, and /proc, which only the kernel changes. */
#define FS_DEV_ROOT 1
#define FS_DEV_PROC 2

struct file_ops;
struct fs_entry;

/*
 * One file, directory or device node. A node lives while a directory entry names it
 * (nlink > 0) or something holds a reference (refs > 0: an open file, a process's working
 * directory); the last inode_put of an unlinked node frees it and its data.
 */
struct inode {
	uint32_t ino;   /* inode number, unique while the system runs */
	uint32_t mode;  /* S_IF* type and permission bits (kept, not enforced) */
	uint32_t nlink; /* names: 1 for a file; 2 + subdirectories for a directory; 0 removed */
	uint32_t refs;  /* references held outside the tree */
	uint32_t dev;   /* FS_DEV_*: programs may not add, remove or rename under FS_DEV_PROC */
	uint32_t rdev;  /* device nodes: the device number (Linux's, as makedev makes it) */
	size_t size;    /* regular files: bytes; directories: entries, "." and ".." included;
	                   symbolic links: the target's length */
	struct timespec atime, mtime, ctime; /* last read (as set), data change, any change */
	/* Directories. */
	struct inode *parent;     /* what ".." names (the root: itself); NULL once removed */
	struct fs_entry *entries; /* in the order they were made */
	/* Regular files: data in whole pages, through a two-level map (like page tables):
	 * map is a page of pointers to index pages, each a page of pointers to data pages.
	 * A missing page reads as zeros. */
	void ***map;
	/* Device nodes and the files /proc makes: the operations and data their open files
	 * use (ramfs_mknod, ramfs_add). */
	const struct file_ops *dev_ops;
	void *dev_data;
	/* Symbolic links: the target (a NUL-terminated copy, size bytes), or, for the links
	 * /proc makes (/proc/self), a function that writes it into buf at each look: its
	 * length, or an error. Files /proc makes with fixed contents (cmdline): those, size
	 * bytes. Freed with the node. */
	char *text;
	int (*link_fn)(void *data, char *buf, size_t size);
};

/* One name in a directory. */
struct fs_entry {
	struct fs_entry *next;
	struct inode *node;
	char name[]; /* NUL-terminated, at most NAME_MAX characters */
};

/* What stat reports about a node; the stat system call copies it into Linux's struct stat. */
struct kstat {
	uint32_t dev;
	uint32_t ino;
	uint32_t mode;
	uint32_t nlink;
	uint32_t rdev;
	size_t size;
	size_t blocks; /* 512-byte blocks of data held (holes excluded) */
	struct timespec atime, mtime, ctime;
};

/* An entry of a directory listing, for getdents64. */
struct fs_dirent {
	uint32_t ino;
	uint8_t type; /* DT_* */
	char name[NAME_MAX + 1];
};

/* The largest regular file the two-level map can hold: 1 GiB. */
#define FS_MAX_FILE ((off_t)512 * 512 * 4096)

/* The wall-clock time for file times: the kernel sets it at boot (NULL: all times are 0). */
extern void (*fs_clock_hook)(struct timespec *now);

/* Make the empty root directory. 0, or -ENOMEM. */
int ramfs_init(void);
/* Add every directory and regular file of a cpio "newc" archive to the tree, creating
 * missing parents; other kinds of member are skipped with a warning. 0, or -EINVAL for a
 * malformed archive, -EEXIST, -ENOMEM... (what is added before an error stays). */
int ramfs_populate(const void *archive, size_t size);
/* Free the whole tree. Only for tests: every open file must have been closed. */
void ramfs_destroy(void);
/* The root directory. */
struct inode *ramfs_root(void);

/* Take and drop a reference on a node (open files, working directories). */
void inode_get(struct inode *node);
void inode_put(struct inode *node);

/*
 * Paths. Each starts at cwd (NULL: the root) unless it begins with '/'; "." and ".." are
 * understood, repeated slashes are one, and a trailing slash demands a directory. Symbolic
 * links are followed, relative to the directory holding them, except a last name that is a
 * link where the call says otherwise (ramfs_lookup_link, unlink, rename, ...). Errors:
 * -ENOENT (a missing name, an empty path), -ENOTDIR (a non-directory in the middle),
 * -ENAMETOOLONG (a name over NAME_MAX, a path of PATH_MAX or more), -ELOOP (more than
 * FS_MAX_LINKS links), -ENOMEM (a link /proc makes could not be read).
 *
 * ramfs_lookup's *out is borrowed: it stays valid until the caller sleeps or changes the
 * tree; inode_get it to keep it longer.
 */
int ramfs_lookup(struct inode *cwd, const char *path, struct inode **out);
/* The same, but a last name that is a symbolic link gives the link itself (lstat). */
int ramfs_lookup_link(struct inode *cwd, const char *path, struct inode **out);
/* Make a regular file (-EEXIST if the name is taken), *out borrowed as above. */
int ramfs_create(struct inode *cwd, const char *path, uint32_t perm, struct inode **out);
/* Make a directory; -EEXIST if the name is taken. */
int ramfs_mkdir(struct inode *cwd, const char *path, uint32_t perm);
/* Make a device node (type S_IFCHR in mode) whose open files use ops, with data for them. */
int ramfs_mknod(struct inode *cwd, const char *path, uint32_t mode, const struct file_ops *ops,
                void *data);
/* Remove a name that is not a directory (-EISDIR); the node goes with its last reference. */
int ramfs_unlink(struct inode *cwd, const char *path);
/* Remove an empty directory: -ENOTDIR, -ENOTEMPTY, -EINVAL for ".", -EBUSY for the root. */
int ramfs_rmdir(struct inode *cwd, const char *path);
/* A symbolic link at path whose target is the string target (-ENOENT if empty). */
int ramfs_symlink(struct inode *cwd, const char *path, const char *target);
/* A second name, path, for node: -EEXIST if path is taken, -EXDEV across FS_DEV_*
 * devices, -EPERM for a directory, -EMLINK at 65000 names. */
int ramfs_link(struct inode *node, struct inode *cwd, const char *path);
/* rename and renameat2 with Linux's flags (RENAME_NOREPLACE, RENAME_EXCHANGE) and errors:
 * -EINVAL (a directory into itself, unknown flags), -ENOTEMPTY, -EISDIR, -ENOTDIR, -EBUSY
 * ("." or ".." as a last name), -EEXIST, -EXDEV, -EPERM. */
int ramfs_rename(struct inode *oldcwd, const char *oldpath, struct inode *newcwd,
                 const char *newpath, unsigned int flags);
#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE  2
#define RENAME_WHITEOUT  4
/* The absolute path, with no link in its last name, of the file path names (as Linux's
 * /proc/PID/exe shows a program): its length, or an error (-ERANGE: more than size). */
int ramfs_realpath(struct inode *cwd, const char *path, char *buf, size_t size);
/* The target of the symbolic link node, at most size bytes of it, without a NUL: its
 * length, or -EINVAL if node is not a link. */
int ramfs_readlink(struct inode *node, char *buf, size_t size);
/* Change a node's permission bits (the type stays): -EPERM under /proc. */
int ramfs_chmod(struct inode *node, uint32_t perm);
/* Set a node's access and data-change times (ctime becomes now). */
void ramfs_set_times(struct inode *node, const struct timespec *atime,
                     const struct timespec *mtime);
/* The time now, as file times have it. */
void ramfs_now(struct timespec *ts);

/* For the kernel's own files (/proc): make a node named name in dir, whatever dir's device
 * (the new node is on it too), or remove one with everything below it. No paths, no
 * checks: the caller knows the names are new (or there). NULL if out of memory. */
struct inode *ramfs_add(struct inode *dir, const char *name, uint32_t mode);
void ramfs_remove(struct inode *dir, const char *name);
/* The absolute path of a directory, for getcwd: its length, -ENOENT if it was removed, or
 * -ERANGE if it does not fit in size bytes. */
int ramfs_path(struct inode *dir, char *buf, size_t size);

/* A regular file's data at offset off: bytes read (0 at or past the end), or bytes written
 * (or -ENOMEM if none could be, -EFBIG past FS_MAX_FILE, -EINVAL for a negative offset). */
ssize_t ramfs_read(struct inode *node, void *buf, size_t n, off_t off);
ssize_t ramfs_write(struct inode *node, const void *buf, size_t n, off_t off);
/* The data of a regular file's page number pn (its kernel address; execve maps it), or NULL
 * for a page that holds nothing (a hole, which reads as zeros). Valid until the file
 * changes. */
const void *ramfs_page(struct inode *node, size_t pn);
#if LAB >= 7
/* The same, but a hole gets a page (zeroed) first: shared mappings map it. NULL when memory
 * runs out. */
void *ramfs_page_make(struct inode *node, size_t pn);
/* A regular file of size bytes (all holes) that no directory names and nothing holds yet:
 * what a MAP_SHARED|MAP_ANONYMOUS mapping maps (Linux's shmem_zero_setup). The first
 * inode_get/inode_put pair frees it. NULL when memory runs out. */
struct inode *ramfs_unnamed(size_t size);
#endif
/* Set a regular file's size: shrinking frees its pages, growing reads as zeros. -EISDIR,
 * -EINVAL for what is not a regular file, -EFBIG past FS_MAX_FILE. */
int ramfs_truncate(struct inode *node, off_t size);
/* Entry index of a directory listing ("." and ".." first): 1 with *de filled, 0 past the
 * last entry, -ENOTDIR. */
int ramfs_readdir(struct inode *dir, size_t index, struct fs_dirent *de);
void ramfs_stat(struct inode *node, struct kstat *st);

#endif
