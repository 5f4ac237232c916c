/*
 * Host tests for the lab 5 file system core (kern/fs/ramfs.c, file.c, pipe.c), built with
 * ASan/UBSan by tests/host/run_fs.sh. The shim at the top stands in for the kernel's heap,
 * page allocator, printk and panic, and counts what is allocated so leaks are caught.
 *
 *     test_fs ARCHIVE   (the cpio archive run_fs.sh makes with tools/mkinitrd.py)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h> /* the host's struct stat and S_IF* (Linux's values, as Sparrow's) */
/* Sparrow's <stat.h>, which the file system's headers include, would define struct stat
 * and stat() again: its include guard is set so that the host's are used instead. */
#define SPARROW_INC_STAT_H
#include "fs/file.h"
#include "fs/fs.h"

#define PAGE 4096

/* Linux's errno values (inc/errno.h cannot be included next to the host's headers). */
#define ENOENT       2
#define EBADF        9
#define EAGAIN       11
#define ENOMEM       12
#define EBUSY        16
#define EEXIST       17
#define ENOTDIR      20
#define EISDIR       21
#define EINVAL       22
#define EFBIG        27
#define ESPIPE       29
#define EPIPE        32
#define ERANGE       34
#define ENAMETOOLONG 36
#define ENOTEMPTY    39
#define EPERM        1
#define EXDEV        18
#define ELOOP        40

static int checks, failed;

#define CHECK(cond, ...)                                                                \
	do {                                                                            \
		checks++;                                                               \
		if (!(cond)) {                                                          \
			failed++;                                                       \
			printf("test_fs: FAIL %s:%d: %s: ", __func__, __LINE__, #cond); \
			printf(__VA_ARGS__);                                            \
			printf("\n");                                                   \
		}                                                                       \
	} while (0)

/* ---- what the kernel would provide ------------------------------------------------------ */

static long kmalloc_live, kpage_live;               /* objects and pages handed out, not freed */
static long kmalloc_budget = -1, kpage_budget = -1; /* how many more may succeed; -1: any */

void *kmalloc(size_t size)
{
	if (size == 0 || size > PAGE || kmalloc_budget == 0)
		return NULL;
	if (kmalloc_budget > 0)
		kmalloc_budget--;
	void *p = malloc(size);
	memset(p, 0xA5, size); /* not zeroed: the file system must not rely on it */
	kmalloc_live++;
	return p;
}

void kfree(void *ptr)
{
	if (!ptr)
		return;
	kmalloc_live--;
	free(ptr);
}

void *kpage_alloc(int flags)
{
	if (kpage_budget == 0)
		return NULL;
	if (kpage_budget > 0)
		kpage_budget--;
	void *p = aligned_alloc(PAGE, PAGE);
	memset(p, (flags & 1) ? 0 : 0xCC, PAGE); /* 1 is ALLOC_ZERO */
	kpage_live++;
	return p;
}

void kpage_free(void *kva)
{
	if (!kva) {
		printf("test_fs: kpage_free(NULL): the kernel would fault here\n");
		abort();
	}
	kpage_live--;
	free(kva);
}

int printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("printk: ");
	int r = vprintf(fmt, ap);
	va_end(ap);
	return r;
}

void _panic(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("test_fs: kernel panic at %s:%d: ", file, line);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	abort();
}

/* The wakeup hook: remembers the last channels woken. */
static void *woken[8];
static int nwoken;

static void record_wakeup(void *chan)
{
	if (nwoken < 8)
		woken[nwoken++] = chan;
}

static int was_woken(void *chan)
{
	for (int i = 0; i < nwoken; i++) {
		if (woken[i] == chan)
			return 1;
	}
	return 0;
}

/* ---- helpers ---------------------------------------------------------------------------- */

static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	fseek(f, 0, SEEK_END);
	*size = (size_t)ftell(f);
	rewind(f);
	unsigned char *buf = malloc(*size ? *size : 1);
	if (fread(buf, 1, *size, f) != *size)
		exit(2);
	fclose(f);
	return buf;
}

/* The bytes run_fs.sh puts in data/big (the same formula). */
static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 7 % 251);
}

/* The whole content of the file at path, NUL-terminated, in buf (size bytes); its length
 * or a negative error. */
static long read_all(struct inode *cwd, const char *path, char *buf, size_t size)
{
	struct file *f;
	int r = file_open(cwd, path, O_RDONLY, 0, &f);
	if (r < 0)
		return r;
	long n = file_read(f, buf, size - 1);
	file_close(f);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Make the file at path hold exactly text. */
static int write_file(struct inode *cwd, const char *path, const char *text)
{
	struct file *f;
	int r = file_open(cwd, path, O_WRONLY | O_CREAT | O_TRUNC, 0644, &f);
	if (r < 0)
		return r;
	long n = file_write(f, text, strlen(text));
	file_close(f);
	return n == (long)strlen(text) ? 0 : -1;
}

static struct inode *lookup(struct inode *cwd, const char *path)
{
	struct inode *node = NULL;
	return ramfs_lookup(cwd, path, &node) == 0 ? node : NULL;
}

/* ---- the tests -------------------------------------------------------------------------- */

static void populate_builds_the_tree_from_the_archive(const unsigned char *archive, size_t size)
{
	char buf[256];
	struct kstat st;

	CHECK(ramfs_populate(archive, size) == 0, "populating from the archive failed");
	CHECK(read_all(NULL, "/etc/motd", buf, sizeof(buf)) == 23, "etc/motd: wrong size");
	CHECK(strcmp(buf, "hello from the ramdisk\n") == 0, "etc/motd reads '%s'", buf);

	struct inode *tool = lookup(NULL, "/bin/tool"), *motd = lookup(NULL, "etc/motd");
	CHECK(tool && tool->mode == (S_IFREG | 0755), "bin/tool is not an executable file");
	CHECK(motd && motd->mode == (S_IFREG | 0644), "etc/motd is not a 0644 file");
	struct inode *bin = lookup(NULL, "/bin");
	CHECK(bin && bin->mode == (S_IFDIR | 0755), "/bin is not a 0755 directory");
	CHECK(lookup(NULL, "/a/b/c/deep.txt") != NULL, "nested parents were not made");
	ramfs_stat(ramfs_root(), &st);
	CHECK(st.nlink == 2 + 4, "the root has %u links, not 2 + its 4 subdirectories", st.nlink);

	struct inode *big = lookup(NULL, "data/big");
	CHECK(big && big->size == 300000, "data/big has the wrong size");
	static unsigned char data[300001];
	CHECK(big && ramfs_read(big, data, sizeof(data), 0) == 300000, "data/big: short read");
	size_t bad = 0;
	while (bad < 300000 && data[bad] == pattern(bad))
		bad++;
	CHECK(bad == 300000, "data/big differs from the archive at byte %zu", bad);

	CHECK(ramfs_populate(archive, size) == -EEXIST, "populating twice must say -EEXIST");
}

static void malformed_archives_are_refused(const unsigned char *archive, size_t size)
{
	/* Exact-size heap copies, so ASan sees any read past the end. */
	unsigned char *cut = malloc(size - 10);
	memcpy(cut, archive, size - 10);
	ramfs_destroy();
	CHECK(ramfs_populate(cut, size - 10) == -EINVAL, "a truncated archive is not -EINVAL");
	memset(cut, 'x', 200);
	ramfs_destroy();
	CHECK(ramfs_populate(cut, size - 10) == -EINVAL, "a garbage archive is not -EINVAL");
	CHECK(lookup(NULL, "/") == ramfs_root(), "the root must exist even after a failure");
	free(cut);
	ramfs_destroy();
}

static void paths_resolve_dot_dotdot_and_relative(void)
{
	struct inode *deep = lookup(NULL, "/a/b/c/deep.txt"), *b = lookup(NULL, "/a/b");
	struct inode *root = ramfs_root(), *node;

	CHECK(deep && b, "the populated tree is missing /a/b/c/deep.txt");
	CHECK(lookup(NULL, "/") == root && lookup(NULL, "///") == root, "/ is not the root");
	CHECK(lookup(NULL, "/..") == root && lookup(NULL, "../../..") == root,
	      ".. of the root must be the root");
	CHECK(lookup(NULL, "/a/b/../b/./c/deep.txt") == deep, ". and .. in the middle");
	CHECK(lookup(NULL, "//a///b//c/deep.txt") == deep, "repeated slashes");
	CHECK(lookup(b, "c/deep.txt") == deep, "relative to a working directory");
	CHECK(lookup(b, ".") == b && lookup(b, "..") == lookup(NULL, "/a"), ". and .. of cwd");
	CHECK(lookup(b, "../../etc/motd") == lookup(NULL, "/etc/motd"), "relative with ..");
	CHECK(lookup(b, "/etc/motd") == lookup(NULL, "/etc/motd"), "absolute ignores cwd");
	CHECK(lookup(b, "c/") == lookup(b, "c"), "a trailing slash on a directory");

	CHECK(ramfs_lookup(NULL, "", &node) == -ENOENT, "an empty path is -ENOENT");
	CHECK(ramfs_lookup(NULL, "/nope", &node) == -ENOENT, "a missing name is -ENOENT");
	CHECK(ramfs_lookup(NULL, "/nope/x", &node) == -ENOENT, "a missing parent is -ENOENT");
	CHECK(ramfs_lookup(NULL, "/etc/motd/", &node) == -ENOTDIR, "file/ is -ENOTDIR");
	CHECK(ramfs_lookup(NULL, "/etc/motd/x", &node) == -ENOTDIR, "file/x is -ENOTDIR");
	CHECK(ramfs_lookup(NULL, "/etc/motd/..", &node) == -ENOTDIR, "file/.. is -ENOTDIR");

	char name[300], path[PATH_MAX + 10];
	memset(name, 'n', 255);
	name[255] = '\0';
	CHECK(ramfs_create(NULL, name, 0644, &node) == 0, "a 255-character name is allowed");
	CHECK(lookup(NULL, name) == node, "a 255-character name is found again");
	CHECK(ramfs_unlink(NULL, name) == 0, "unlinking the long name");
	strcpy(name + 255, "n");
	CHECK(ramfs_lookup(NULL, name, &node) == -ENAMETOOLONG, "a 256-character name");
	CHECK(ramfs_create(NULL, name, 0644, &node) == -ENAMETOOLONG, "creating a long name");
	for (size_t i = 0; i < PATH_MAX; i += 2)
		memcpy(path + i, "./", 2);
	path[PATH_MAX] = '\0';
	CHECK(ramfs_lookup(NULL, path, &node) == -ENAMETOOLONG, "a 4096-byte path");
	path[PATH_MAX - 1] = '\0';
	CHECK(ramfs_lookup(NULL, path, &node) == 0 && node == root, "a 4095-byte path is fine");
}

static void files_are_created_written_appended_truncated_unlinked(void)
{
	char buf[256];
	struct file *f, *g;
	struct kstat st;

	CHECK(write_file(NULL, "/tmp1", "hello") == 0, "creating and writing /tmp1");
	CHECK(read_all(NULL, "/tmp1", buf, sizeof(buf)) == 5 && strcmp(buf, "hello") == 0,
	      "/tmp1 reads back '%s'", buf);

	CHECK(file_open(NULL, "/tmp1", O_RDONLY, 0, &f) == 0, "open for reading");
	CHECK(file_read(f, buf, 3) == 3 && file_read(f, buf, 100) == 2, "reads move the offset");
	CHECK(file_read(f, buf, 100) == 0, "a read at the end of the file returns 0");
	CHECK(file_seek(f, 1000, SEEK_SET) == 1000 && file_read(f, buf, 10) == 0,
	      "a read past the end returns 0");
	CHECK(file_seek(f, -2, SEEK_END) == 3 && file_read(f, buf, 10) == 2 &&
	              memcmp(buf, "lo", 2) == 0,
	      "SEEK_END");
	CHECK(file_seek(f, -1, SEEK_CUR) == 4, "SEEK_CUR");
	CHECK(file_seek(f, -10, SEEK_CUR) == -EINVAL, "seeking before 0 is -EINVAL");
	CHECK(file_seek(f, 0, 7) == -EINVAL, "a bad whence is -EINVAL");
	CHECK(file_write(f, "x", 1) == -EBADF, "writing a read-only file is -EBADF");
	CHECK(file_stat(f, &st) == 0 && st.size == 5 && st.mode == (S_IFREG | 0644) &&
	              st.nlink == 1 && st.ino == lookup(NULL, "/tmp1")->ino,
	      "stat of an open file");
	file_close(f);

	CHECK(file_open(NULL, "/tmp1", O_WRONLY | O_APPEND, 0, &f) == 0, "open for append");
	CHECK(file_read(f, buf, 1) == -EBADF, "reading a write-only file is -EBADF");
	CHECK(file_seek(f, 0, SEEK_SET) == 0 && file_write(f, " world", 6) == 6,
	      "appending after a seek to 0");
	file_close(f);
	CHECK(read_all(NULL, "/tmp1", buf, sizeof(buf)) == 11 && strcmp(buf, "hello world") == 0,
	      "O_APPEND writes at the end: '%s'", buf);

	CHECK(file_open(NULL, "/tmp1", O_RDWR, 0, &f) == 0, "open read-write");
	CHECK(file_write(f, "J", 1) == 1 && file_read(f, buf, 4) == 4 &&
	              memcmp(buf, "ello", 4) == 0,
	      "writing then reading at the shared offset");
	file_close(f);
	CHECK(read_all(NULL, "/tmp1", buf, sizeof(buf)) == 11 && strcmp(buf, "Jello world") == 0,
	      "an overwrite in place: '%s'", buf);

	CHECK(file_open(NULL, "/tmp1", O_RDONLY | O_TRUNC, 0, &f) == 0, "O_RDONLY|O_TRUNC");
	file_close(f);
	CHECK(lookup(NULL, "/tmp1")->size == 11, "O_TRUNC without write access truncates");
	CHECK(file_open(NULL, "/tmp1", O_WRONLY | O_TRUNC, 0, &f) == 0, "open with O_TRUNC");
	file_close(f);
	CHECK(lookup(NULL, "/tmp1")->size == 0, "O_TRUNC empties the file");

	/* Shrinking then growing must read zeros where the old data was. */
	struct inode *n = lookup(NULL, "/tmp1");
	CHECK(ramfs_write(n, "abcdefgh", 8, 0) == 8 && ramfs_truncate(n, 3) == 0 &&
	              ramfs_truncate(n, 8) == 0,
	      "truncate down and up");
	CHECK(ramfs_read(n, buf, 100, 0) == 8 && memcmp(buf, "abc\0\0\0\0\0", 8) == 0,
	      "bytes cut off by truncate come back as zeros");
	CHECK(ramfs_truncate(n, -1) == -EINVAL, "a negative size is -EINVAL");
	CHECK(ramfs_truncate(lookup(NULL, "/etc"), 0) == -EISDIR, "truncating a directory");
	CHECK(ramfs_write(n, "x", 1, -1) == -EINVAL, "a negative offset is -EINVAL");

	/* A write past the end leaves a hole that reads as zeros. */
	CHECK(ramfs_write(n, "Z", 1, 3 * PAGE + 5) == 1 && n->size == 3 * PAGE + 6,
	      "a write past the end grows the file");
	static char hole[4 * PAGE];
	CHECK(ramfs_read(n, hole, sizeof(hole), 0) == 3 * PAGE + 6 && hole[3 * PAGE + 5] == 'Z' &&
	              hole[2 * PAGE] == 0 && hole[8] == 0,
	      "a hole reads as zeros");

	CHECK(file_open(NULL, "/tmp1", O_RDONLY, 0, &g) == 0, "open before unlink");
	CHECK(ramfs_unlink(NULL, "/tmp1") == 0, "unlink");
	CHECK(lookup(NULL, "/tmp1") == NULL, "an unlinked name is gone");
	CHECK(file_read(g, buf, 3) == 3 && memcmp(buf, "abc", 3) == 0,
	      "an unlinked file stays readable while open");
	file_close(g);

	CHECK(ramfs_unlink(NULL, "/tmp1") == -ENOENT, "unlinking a missing name");
	CHECK(ramfs_unlink(NULL, "/etc") == -EISDIR, "unlinking a directory is -EISDIR");
	CHECK(ramfs_unlink(NULL, "/") == -EISDIR, "unlinking / is -EISDIR");
	CHECK(ramfs_unlink(NULL, "/etc/motd/") == -ENOTDIR, "unlinking file/ is -ENOTDIR");
	CHECK(file_open(NULL, "/nope", O_RDONLY, 0, &f) == -ENOENT, "open without O_CREAT");
	CHECK(file_open(NULL, "/etc/motd", O_RDONLY | O_CREAT | O_EXCL, 0, &f) == -EEXIST,
	      "O_CREAT|O_EXCL of an existing file is -EEXIST");
	CHECK(file_open(NULL, "/etc/motd", 3, 0, &f) == 0, "access mode 3 opens, as on Linux");
	CHECK(file_read(f, buf, 1) == -EBADF && file_write(f, "x", 1) == -EBADF,
	      "but a file opened with access mode 3 can be neither read nor written");
	file_close(f);
	CHECK(file_open(NULL, "/newdir/", O_WRONLY | O_CREAT, 0644, &f) == -EISDIR,
	      "O_CREAT of name/ is -EISDIR");
	CHECK(file_open(NULL, "/etc/motd", O_RDONLY | O_DIRECTORY, 0, &f) == -ENOTDIR,
	      "O_DIRECTORY of a file is -ENOTDIR");
	CHECK(file_open(NULL, "/etc", O_WRONLY, 0, &f) == -EISDIR, "a directory for writing");
	CHECK(file_open(NULL, "/etc", O_RDONLY | O_CREAT, 0, &f) == -EISDIR, "O_CREAT of a dir");
	CHECK(file_open(NULL, "/etc", O_RDONLY, 0, &f) == 0, "a directory for reading");
	CHECK(file_read(f, buf, 10) == -EISDIR, "read(2) of a directory is -EISDIR");
	CHECK(file_seek(f, 0, SEEK_END) == -EINVAL, "SEEK_END of a directory is -EINVAL");
	file_close(f);
}

/* The listing of dir as "name:type " words, with each inode number checked against stat. */
static void listing(struct inode *dir, char *out, size_t size)
{
	struct fs_dirent de;
	struct file *f;

	out[0] = '\0';
	if (file_open(dir, ".", O_RDONLY | O_DIRECTORY, 0, &f) < 0)
		return;
	while (file_readdir(f, &de) == 1) {
		struct inode *n = lookup(dir, de.name);
		CHECK(n && n->ino == de.ino, "the inode number of '%s' in a listing", de.name);
		snprintf(out + strlen(out), size - strlen(out), "%s:%d ", de.name, de.type);
		f->off++;
	}
	file_close(f);
}

static void directories_are_made_listed_and_removed(void)
{
	char buf[512];
	struct inode *node;
	struct kstat st;

	CHECK(ramfs_mkdir(NULL, "/d", 0755) == 0, "mkdir /d");
	CHECK(ramfs_mkdir(NULL, "/d", 0755) == -EEXIST, "mkdir of an existing name");
	CHECK(ramfs_mkdir(NULL, "/", 0755) == -EEXIST, "mkdir /");
	CHECK(ramfs_mkdir(NULL, "/etc/motd/x", 0755) == -ENOTDIR, "mkdir under a file");
	CHECK(ramfs_mkdir(NULL, "/x/y", 0755) == -ENOENT, "mkdir under a missing directory");
	struct inode *d = lookup(NULL, "/d");
	CHECK(ramfs_mkdir(d, "sub/", 0700) == 0, "mkdir name/ relative to a directory");
	CHECK(write_file(d, "f1", "1") == 0 && write_file(d, "f2", "22") == 0, "files in /d");
	ramfs_stat(d, &st);
	CHECK(st.nlink == 3 && st.mode == (S_IFDIR | 0755), "/d has 3 links (., its name, sub/..)");
	listing(d, buf, sizeof(buf));
	CHECK(strcmp(buf, ".:4 ..:4 sub:4 f1:8 f2:8 ") == 0, "the listing of /d is '%s'", buf);

	CHECK(ramfs_rmdir(NULL, "/d") == -ENOTEMPTY, "rmdir of a non-empty directory");
	CHECK(ramfs_rmdir(NULL, "/d/f1") == -ENOTDIR, "rmdir of a file");
	CHECK(ramfs_rmdir(d, ".") == -EINVAL, "rmdir .");
	CHECK(ramfs_rmdir(d, "sub/..") == -ENOTEMPTY, "rmdir ..");
	CHECK(ramfs_rmdir(NULL, "/") == -EBUSY, "rmdir /");
	CHECK(ramfs_rmdir(NULL, "/d/nope") == -ENOENT, "rmdir of a missing name");

	CHECK(ramfs_path(lookup(NULL, "/a/b/c"), buf, sizeof(buf)) == 6 &&
	              strcmp(buf, "/a/b/c") == 0,
	      "the path of /a/b/c is '%s'", buf);
	CHECK(ramfs_path(ramfs_root(), buf, 2) == 1 && strcmp(buf, "/") == 0, "the path of /");
	CHECK(ramfs_path(lookup(NULL, "/a/b/c"), buf, 6) == -ERANGE, "getcwd into a short buffer");
	CHECK(ramfs_path(lookup(NULL, "/a/b/c"), buf, 7) == 6, "getcwd into an exact buffer");

	/* A removed directory someone still holds (a working directory) is empty. */
	struct inode *sub = lookup(d, "sub");
	inode_get(sub);
	CHECK(ramfs_rmdir(d, "sub") == 0, "rmdir of an empty directory");
	CHECK(lookup(d, "sub") == NULL, "a removed directory is gone from its parent");
	ramfs_stat(d, &st);
	CHECK(st.nlink == 2, "rmdir drops the parent's link count to %u", st.nlink);
	CHECK(ramfs_lookup(sub, "..", &node) == -ENOENT, ".. of a removed directory");
	CHECK(ramfs_create(sub, "x", 0644, &node) == -ENOENT, "creating in a removed directory");
	CHECK(ramfs_path(sub, buf, sizeof(buf)) == -ENOENT, "getcwd of a removed directory");
	CHECK(ramfs_readdir(sub, 0, &(struct fs_dirent){ 0 }) == 0, "listing a removed one");
	inode_put(sub);

	CHECK(ramfs_unlink(d, "f1") == 0 && ramfs_unlink(d, "f2") == 0, "unlink the files");
	CHECK(ramfs_rmdir(NULL, "/d/") == 0, "rmdir of name/");
	CHECK(lookup(NULL, "/d") == NULL, "/d is gone");
	CHECK(ramfs_readdir(lookup(NULL, "/etc/motd"), 0, &(struct fs_dirent){ 0 }) == -ENOTDIR,
	      "listing a file is -ENOTDIR");
}

/* A device for the tests: writes are kept, reads give what was written last. */
static char console_out[64];
static size_t console_len;

static ssize_t console_write(struct file *f, const void *buf, size_t n)
{
	(void)f;
	n = n < sizeof(console_out) - console_len ? n : sizeof(console_out) - console_len;
	memcpy(console_out + console_len, buf, n);
	console_len += n;
	return (ssize_t)n;
}

static ssize_t null_read(struct file *f, void *buf, size_t n)
{
	(void)f, (void)buf, (void)n;
	return 0;
}

static ssize_t null_write(struct file *f, const void *buf, size_t n)
{
	(void)f, (void)buf;
	return (ssize_t)n;
}

static const struct file_ops console_ops = { .write = console_write };
static const struct file_ops null_ops = { .read = null_read, .write = null_write };

static void devices_use_their_registered_operations(void)
{
	struct file *f;
	struct kstat st;
	char buf[8];
	int dummy;

	CHECK(ramfs_mkdir(NULL, "/dev", 0755) == 0, "mkdir /dev");
	CHECK(ramfs_mknod(NULL, "/dev/console", S_IFCHR | 0666, &console_ops, &dummy) == 0,
	      "register /dev/console");
	CHECK(ramfs_mknod(NULL, "/dev/null", S_IFCHR | 0666, &null_ops, NULL) == 0,
	      "register /dev/null");
	CHECK(ramfs_mknod(NULL, "/dev/bad", S_IFREG | 0666, &null_ops, NULL) == -EINVAL,
	      "a device node must be S_IFCHR");
	CHECK(ramfs_mknod(NULL, "/dev/null", S_IFCHR | 0666, &null_ops, NULL) == -EEXIST,
	      "registering a device twice");

	CHECK(file_open(NULL, "/dev/console", O_WRONLY, 0, &f) == 0, "open /dev/console");
	CHECK(f->priv == &dummy, "the device's data reaches its open files");
	CHECK(file_write(f, "hi\n", 3) == 3 && console_len == 3 &&
	              memcmp(console_out, "hi\n", 3) == 0,
	      "a write reaches the console device");
	CHECK(file_seek(f, 0, SEEK_SET) == -ESPIPE, "a device without seek is -ESPIPE");
	CHECK(file_stat(f, &st) == 0 && st.mode == (S_IFCHR | 0666), "stat of a device node");
	file_close(f);
	CHECK(file_open(NULL, "/dev/console", O_RDONLY, 0, &f) == 0, "open the console to read");
	CHECK(file_read(f, buf, 8) == -EINVAL, "a device without read is -EINVAL");
	file_close(f);
	CHECK(file_open(NULL, "/dev/null", O_RDWR, 0, &f) == 0, "open /dev/null");
	CHECK(file_read(f, buf, 8) == 0 && file_write(f, buf, 8) == 8, "/dev/null");
	file_close(f);
	char list[256];
	listing(lookup(NULL, "/dev"), list, sizeof(list));
	CHECK(strcmp(list, ".:4 ..:4 console:2 null:2 ") == 0, "/dev lists '%s'", list);
}

static void dup_shares_the_offset_and_a_second_open_does_not(void)
{
	struct file *f, *f2, *g;
	char buf[8] = "";

	CHECK(write_file(NULL, "/abc", "abcdef") == 0, "writing /abc");
	CHECK(file_open(NULL, "/abc", O_RDONLY, 0, &f) == 0, "first open");
	f2 = file_dup(f);
	CHECK(file_read(f, buf, 2) == 2 && file_read(f2, buf + 2, 2) == 2 &&
	              memcmp(buf, "abcd", 4) == 0,
	      "two descriptors of one open file share the offset: '%.4s'", buf);
	CHECK(file_open(NULL, "/abc", O_RDONLY, 0, &g) == 0, "second open");
	CHECK(file_read(g, buf, 2) == 2 && memcmp(buf, "ab", 2) == 0,
	      "a second open has its own offset");
	file_close(f);
	CHECK(file_read(f2, buf, 8) == 2 && memcmp(buf, "ef", 2) == 0,
	      "closing one descriptor leaves the other open at the shared offset");
	file_close(f2);
	file_close(g);

	CHECK(file_open(NULL, "/abc", O_WRONLY | O_APPEND, 0, &f) == 0, "open for append");
	f2 = file_dup(f);
	CHECK(file_write(f, "1", 1) == 1 && file_write(f2, "2", 1) == 1, "appends through both");
	file_close(f);
	file_close(f2);
	char all[16];
	CHECK(read_all(NULL, "/abc", all, sizeof(all)) == 8 && strcmp(all, "abcdef12") == 0,
	      "shared O_APPEND: '%s'", all);
	CHECK(ramfs_unlink(NULL, "/abc") == 0, "unlink /abc");
}

static void large_files_work_and_give_their_pages_back(void)
{
	const size_t size = 5 * 1024 * 1024 + 123; /* 5 MiB, not a whole number of pages */
	unsigned char *src = malloc(size), *dst = malloc(size);
	struct file *f;
	struct kstat st;

	for (size_t i = 0; i < size; i++)
		src[i] = (unsigned char)(i * 31 % 253);
	long pages_before = kpage_live;
	CHECK(file_open(NULL, "/large", O_RDWR | O_CREAT | O_EXCL, 0600, &f) == 0, "create");
	size_t done = 0;
	while (done < size) {
		size_t n = size - done < 1000 ? size - done : 1000;
		if (file_write(f, src + done, n) != (ssize_t)n)
			break;
		done += n;
	}
	CHECK(done == size, "writing 5 MiB in 1000-byte pieces stopped at %zu", done);
	CHECK(file_seek(f, 0, SEEK_SET) == 0, "rewind");
	done = 0;
	ssize_t r;
	while ((r = file_read(f, dst + done, 4093)) > 0)
		done += (size_t)r;
	CHECK(done == size && memcmp(src, dst, size) == 0, "5 MiB read back in 4093-byte pieces");
	CHECK(file_stat(f, &st) == 0 && st.size == size &&
	              st.blocks == (size + PAGE - 1) / PAGE * (PAGE / 512),
	      "stat of the large file: size %zu, %zu blocks", st.size, st.blocks);

	struct inode *n = f->node;
	CHECK(ramfs_truncate(n, 3 * 1024 * 1024 + 17) == 0, "truncate to 3 MiB + 17");
	CHECK(ramfs_read(n, dst, size, 0) == 3 * 1024 * 1024 + 17 &&
	              memcmp(src, dst, 3 * 1024 * 1024 + 17) == 0,
	      "what truncate keeps is intact");
	CHECK(kpage_live - pages_before < 770 + 3, "truncate gave back the pages past the end");
	CHECK(ramfs_truncate(n, 0) == 0 && kpage_live == pages_before,
	      "truncate to 0 gives back every page (%ld still held)", kpage_live - pages_before);

	CHECK(ramfs_write(n, "x", 1, FS_MAX_FILE) == -EFBIG, "a write at the size limit");
	CHECK(ramfs_write(n, "0123456789", 10, FS_MAX_FILE - 4) == 4, "a write up to the limit");
	CHECK(ramfs_truncate(n, FS_MAX_FILE + 1) == -EFBIG, "truncate past the limit");
	CHECK(ramfs_truncate(n, 0) == 0 && kpage_live == pages_before, "the far pages are freed");

	/* Out of memory: nothing written is -ENOMEM; a partial write reports what it wrote. */
	kpage_budget = 0;
	CHECK(ramfs_write(n, src, 100, 0) == -ENOMEM, "no pages at all is -ENOMEM");
	kpage_budget = 4; /* the map, one index page and two data pages */
	CHECK(ramfs_write(n, src, 3 * PAGE, 0) == 2 * PAGE && n->size == 2 * PAGE,
	      "a write that runs out of pages is short");
	kpage_budget = -1;
	kmalloc_budget = 0;
	struct file *g = NULL;
	CHECK(file_open(NULL, "/nomem", O_WRONLY | O_CREAT, 0600, &g) == -ENOMEM,
	      "create without memory is -ENOMEM");
	CHECK(ramfs_mkdir(NULL, "/nomem", 0755) == -ENOMEM, "mkdir without memory is -ENOMEM");
	kmalloc_budget = 1; /* the node, not its directory entry */
	CHECK(ramfs_mkdir(NULL, "/nomem", 0755) == -ENOMEM, "mkdir without an entry is -ENOMEM");
	kmalloc_budget = -1;
	CHECK(lookup(NULL, "/nomem") == NULL, "a failed create leaves nothing behind");

	file_close(f);
	CHECK(ramfs_unlink(NULL, "/large") == 0 && kpage_live == pages_before,
	      "unlinking the large file gives its pages back");
	free(src);
	free(dst);
}

static char stream(size_t j)
{
	return (char)(j * 13 % 241);
}

static void pipes_pass_data_and_report_eof_epipe_and_eagain(void)
{
	struct file *r, *w, *w2;
	struct kstat st;
	static char big[3 * PAGE], back[3 * PAGE];
	char buf[16];

	file_wakeup_hook = record_wakeup;
	CHECK(pipe_create(&r, &w, 0) == 0, "pipe_create");
	void *rchan = file_wait_channel(r), *wchan = file_wait_channel(w);
	CHECK(rchan && wchan && rchan != wchan, "each end has its own wait channel");

	CHECK(file_read(r, buf, sizeof(buf)) == -EAGAIN, "reading an empty pipe is -EAGAIN");
	nwoken = 0;
	CHECK(file_write(w, "abc", 3) == 3, "write 3 bytes");
	CHECK(was_woken(rchan), "a write wakes the readers");
	CHECK(file_stat(r, &st) == 0 && st.mode == (S_IFIFO | 0600) && st.size == 3, "stat");
	nwoken = 0;
	CHECK(file_read(r, buf, sizeof(buf)) == 3 && memcmp(buf, "abc", 3) == 0, "read them");
	CHECK(was_woken(wchan), "a read wakes the writers");
	CHECK(file_read(r, buf, 0) == 0 && file_write(w, buf, 0) == 0, "zero-byte transfers");

	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 13 % 241);
	CHECK(file_write(w, big, PIPE_SIZE) == PIPE_SIZE, "a full buffer in one write");
	CHECK(file_write(w, big, 1) == -EAGAIN, "writing a full pipe is -EAGAIN");
	CHECK(file_read(r, back, 100) == 100, "make room for 100 bytes");
	CHECK(file_write(w, big + PIPE_SIZE, 101) == -EAGAIN,
	      "a write that does not fit waits whole (atomic up to PIPE_SIZE)");
	CHECK(file_write(w, big + PIPE_SIZE, 100) == 100, "a write that fits");
	CHECK(file_read(r, back + 100, sizeof(back)) == PIPE_SIZE &&
	              memcmp(back, big, PIPE_SIZE + 100) == 0,
	      "the data comes out in order across the ring's end");
	CHECK(file_write(w, big, sizeof(big)) == PIPE_SIZE,
	      "a write larger than the buffer puts in what fits");
	CHECK(file_read(r, back, sizeof(back)) == PIPE_SIZE, "and it comes out");

	/* Many odd-sized rounds through the ring: byte j of the stream is stream(j). */
	size_t in = 0, out = 0, bad = 0, refused = 0;
	for (int round = 0; round < 500; round++) {
		size_t n = (size_t)(round * 37 % 1500) + 1;
		for (size_t i = 0; i < n; i++)
			big[i] = stream(in + i);
		ssize_t k = file_write(w, big, n);
		if (k > 0)
			in += (size_t)k;
		else
			refused++;
		k = file_read(r, back, (size_t)(round * 53 % 1200) + 1);
		for (ssize_t i = 0; i < k; i++, out++)
			bad += back[i] != stream(out);
	}
	CHECK(bad == 0 && in - out <= PIPE_SIZE && refused > 0 && in > 100000,
	      "a stream through the ring: %zu bytes wrong, %zu in flight, %zu writes refused", bad,
	      in - out, refused);

	CHECK(file_seek(r, 0, SEEK_SET) == -ESPIPE, "seek on a pipe is -ESPIPE");
	CHECK(file_write(r, "x", 1) == -EBADF, "writing the read end is -EBADF");
	CHECK(file_read(w, buf, 1) == -EBADF, "reading the write end is -EBADF");

	/* End of file only once every writer has closed. */
	int rounds = 0;
	while (file_read(r, back, sizeof(back)) > 0 && rounds < 10)
		rounds++;
	CHECK(rounds <= 2, "draining the pipe took %d reads of 3 pages", rounds);
	CHECK(file_write(w, "xy", 2) == 2, "write before closing");
	w2 = file_dup(w);
	file_close(w);
	CHECK(file_read(r, buf, 1) == 1, "data left after one writer closed");
	CHECK(file_read(r, buf, 8) == 1 && file_read(r, buf, 8) == -EAGAIN,
	      "with a writer still open, an empty pipe is -EAGAIN, not end of file");
	nwoken = 0;
	file_close(w2);
	CHECK(was_woken(rchan), "the last writer's close wakes the readers");
	CHECK(file_read(r, buf, 8) == 0, "end of file (0) once every writer has closed");
	file_close(r);

	CHECK(pipe_create(&r, &w, O_NONBLOCK | O_APPEND) == 0, "a second pipe");
	CHECK((r->flags & O_NONBLOCK) && (w->flags & O_ACCMODE) == O_WRONLY &&
	              !(w->flags & O_APPEND),
	      "O_NONBLOCK is kept, other flags are not");
	wchan = file_wait_channel(w);
	nwoken = 0;
	file_close(r);
	CHECK(was_woken(wchan), "the last reader's close wakes the writers");
	CHECK(file_write(w, "x", 1) == -EPIPE, "writing with no reader is -EPIPE");
	file_close(w);

	kpage_budget = 0;
	CHECK(pipe_create(&r, &w, 0) == -ENOMEM, "a pipe without a page is -ENOMEM");
	kpage_budget = -1;
	kmalloc_budget = 2; /* the pipe and the read end */
	CHECK(pipe_create(&r, &w, 0) == -ENOMEM, "a pipe without its write end is -ENOMEM");
	kmalloc_budget = -1;
	file_wakeup_hook = NULL;
}

static void links_and_renames_keep_the_tree_consistent(void)
{
	struct inode *node, *file, *d1;
	struct kstat st;
	char buf[64];
	long objects = kmalloc_live, pages = kpage_live;

	CHECK(ramfs_mkdir(NULL, "/ln", 0755) == 0 && ramfs_mkdir(NULL, "/ln/d1", 0755) == 0,
	      "mkdir /ln, /ln/d1");
	CHECK(write_file(NULL, "/ln/f", "data") == 0, "create /ln/f");
	file = lookup(NULL, "/ln/f");
	d1 = lookup(NULL, "/ln/d1");
	CHECK(ramfs_link(file, NULL, "/ln/d1/hard") == 0, "a hard link");
	ramfs_stat(file, &st);
	CHECK(st.nlink == 2, "two names: nlink %u", st.nlink);
	CHECK(ramfs_link(d1, NULL, "/ln/d2") == -EPERM, "no hard link to a directory");
	CHECK(ramfs_link(file, NULL, "/ln/f") == -EEXIST, "a link over a name");
	CHECK(ramfs_symlink(NULL, "/ln/s", "d1/hard") == 0, "a symbolic link, relative");
	CHECK(ramfs_lookup(NULL, "/ln/s", &node) == 0 && node == file, "it leads to the file");
	CHECK(ramfs_lookup_link(NULL, "/ln/s", &node) == 0 && S_ISLNK(node->mode),
	      "lookup_link gives the link");
	CHECK(ramfs_readlink(node, buf, sizeof(buf)) == 7 && memcmp(buf, "d1/hard", 7) == 0,
	      "readlink gives the target");
	CHECK(ramfs_readlink(file, buf, sizeof(buf)) == -EINVAL, "readlink of a file");
	CHECK(ramfs_symlink(NULL, "/ln/up", "/ln/d1") == 0 &&
	              ramfs_lookup(NULL, "/ln/up/hard", &node) == 0 && node == file,
	      "a link to a directory in the middle of a path");
	CHECK(ramfs_realpath(NULL, "/ln/up/../s", buf, sizeof(buf)) == 11 &&
	              strcmp(buf, "/ln/d1/hard") == 0,
	      "realpath resolves the last link: %s", buf);
	CHECK(ramfs_symlink(NULL, "/ln/l1", "l2") == 0 &&
	              ramfs_symlink(NULL, "/ln/l2", "l1") == 0 &&
	              ramfs_lookup(NULL, "/ln/l1", &node) == -ELOOP,
	      "a loop of links is -ELOOP");
	CHECK(ramfs_unlink(NULL, "/ln/s") == 0 && ramfs_lookup(NULL, "/ln/f", &node) == 0,
	      "unlink removes the link, not its target");

	CHECK(ramfs_rename(NULL, "/ln/f", NULL, "/ln/d1/g", 0) == 0, "rename into a subdirectory");
	CHECK(ramfs_lookup(NULL, "/ln/f", &node) == -ENOENT &&
	              ramfs_lookup(NULL, "/ln/d1/g", &node) == 0 && node == file,
	      "the node moved");
	CHECK(ramfs_rename(NULL, "/ln/d1/g", NULL, "/ln/d1/hard", 0) == 0,
	      "rename onto another name of the same node does nothing");
	CHECK(ramfs_lookup(NULL, "/ln/d1/g", &node) == 0, "both names stay");
	CHECK(ramfs_rename(NULL, "/ln/d1", NULL, "/ln/d1/x", 0) == -EINVAL,
	      "a directory into itself");
	CHECK(ramfs_mkdir(NULL, "/ln/d3", 0755) == 0 &&
	              ramfs_rename(NULL, "/ln/d1", NULL, "/ln/d3", 0) == 0,
	      "a directory over an empty one");
	CHECK(ramfs_lookup(NULL, "/ln/d3/g", &node) == 0 && node == file, "with its contents");
	CHECK(ramfs_lookup(NULL, "/ln/d3/..", &node) == 0 && node == lookup(NULL, "/ln"),
	      "and its parent");
	CHECK(ramfs_path(lookup(NULL, "/ln/d3"), buf, sizeof(buf)) == 6 &&
	              strcmp(buf, "/ln/d3") == 0,
	      "its path: %s", buf);
	ramfs_stat(lookup(NULL, "/ln"), &st);
	CHECK(st.nlink == 3, "/ln has one subdirectory again: nlink %u", st.nlink);
	CHECK(ramfs_rename(NULL, "/ln/d3/g", NULL, "/ln/d3/hard", RENAME_NOREPLACE) == -EEXIST,
	      "RENAME_NOREPLACE over a name");
	CHECK(ramfs_symlink(NULL, "/ln/d3/t", "x") == 0 &&
	              ramfs_rename(NULL, "/ln/d3/g", NULL, "/ln/d3/t", RENAME_EXCHANGE) == 0 &&
	              ramfs_lookup_link(NULL, "/ln/d3/g", &node) == 0 && S_ISLNK(node->mode) &&
	              ramfs_lookup(NULL, "/ln/d3/t", &node) == 0 && node == file,
	      "RENAME_EXCHANGE swaps two names");
	CHECK(ramfs_rename(NULL, "/ln/d3", NULL, "/dev", 0) == -ENOTEMPTY,
	      "over a directory that is not empty");
	CHECK(ramfs_unlink(NULL, "/ln/d3/t") == 0 && ramfs_unlink(NULL, "/ln/d3/hard") == 0 &&
	              ramfs_unlink(NULL, "/ln/d3/g") == 0 && ramfs_rmdir(NULL, "/ln/d3") == 0,
	      "remove the files and the directory");
	CHECK(ramfs_unlink(NULL, "/ln/up") == 0 && ramfs_unlink(NULL, "/ln/l1") == 0 &&
	              ramfs_unlink(NULL, "/ln/l2") == 0 && ramfs_rmdir(NULL, "/ln") == 0,
	      "and the rest");
	CHECK(kmalloc_live == objects && kpage_live == pages,
	      "everything given back: %ld objects, %ld pages more", kmalloc_live - objects,
	      kpage_live - pages);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_fs ARCHIVE\n");
		return 2;
	}
	size_t size;
	unsigned char *archive = slurp(argv[1], &size);

	CHECK(ramfs_init() == 0, "ramfs_init");
	malformed_archives_are_refused(archive, size);
	CHECK(kmalloc_live == 0 && kpage_live == 0,
	      "a failed populate leaked %ld objects, %ld pages", kmalloc_live, kpage_live);
	populate_builds_the_tree_from_the_archive(archive, size);
	paths_resolve_dot_dotdot_and_relative();
	files_are_created_written_appended_truncated_unlinked();
	directories_are_made_listed_and_removed();
	devices_use_their_registered_operations();
	dup_shares_the_offset_and_a_second_open_does_not();
	large_files_work_and_give_their_pages_back();
	pipes_pass_data_and_report_eof_epipe_and_eagain();
	links_and_renames_keep_the_tree_consistent();

	ramfs_destroy();
	CHECK(kmalloc_live == 0 && kpage_live == 0,
	      "after everything is closed and the tree destroyed, %ld objects and %ld pages are "
	      "still allocated",
	      kmalloc_live, kpage_live);
	free(archive);
	printf("test_fs: %d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
