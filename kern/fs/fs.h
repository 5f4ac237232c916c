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
	size_t size;    /* regular files: bytes; directories: entries, "." and ".." included */
	/* Directories. */
	struct inode *parent;     /* what ".." names (the root: itself); NULL once removed */
	struct fs_entry *entries; /* in the order they were made */
	/* Regular files: data in whole pages, through a two-level map (like page tables):
	 * map is a page of pointers to index pages, each a page of pointers to data pages.
	 * A missing page reads as zeros. */
	void ***map;
	/* Device nodes: the operations and data that ramfs_mknod registered. */
	const struct file_ops *dev_ops;
	void *dev_data;
};

/* One name in a directory. */
struct fs_entry {
	struct fs_entry *next;
	struct inode *node;
	char name[]; /* NUL-terminated, at most NAME_MAX characters */
};

/* What stat reports about a node; the stat system call copies it into Linux's struct stat. */
struct kstat {
	uint32_t ino;
	uint32_t mode;
	uint32_t nlink;
	size_t size;
	size_t blocks; /* 512-byte blocks of data held (holes excluded) */
};

/* An entry of a directory listing, for getdents64. */
struct fs_dirent {
	uint32_t ino;
	uint8_t type; /* DT_* */
	char name[NAME_MAX + 1];
};

/* The largest regular file the two-level map can hold: 1 GiB. */
#define FS_MAX_FILE ((off_t)512 * 512 * 4096)

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
 * understood, repeated slashes are one, and a trailing slash demands a directory. Errors:
 * -ENOENT (a missing name, an empty path), -ENOTDIR (a non-directory in the middle),
 * -ENAMETOOLONG (a name over NAME_MAX, a path of PATH_MAX or more).
 *
 * ramfs_lookup's *out is borrowed: it stays valid until the caller sleeps or changes the
 * tree; inode_get it to keep it longer.
 */
int ramfs_lookup(struct inode *cwd, const char *path, struct inode **out);
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
/* Set a regular file's size: shrinking frees its pages, growing reads as zeros. */
int ramfs_truncate(struct inode *node, off_t size);
/* Entry index of a directory listing ("." and ".." first): 1 with *de filled, 0 past the
 * last entry, -ENOTDIR. */
int ramfs_readdir(struct inode *dir, size_t index, struct fs_dirent *de);
void ramfs_stat(struct inode *node, struct kstat *st);

#endif
