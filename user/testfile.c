/*
 * testfile: the file system through its system calls: files created, read, appended to,
 * truncated, holed and unlinked (open ones too); directories made and listed; stat sizes and
 * types; the POSIX errors, EMFILE for a full descriptor table (OPEN_MAX, 1024 entries) included.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <verdict.h>

#define DIR_PATH "/tmp/testfile"
#define A_SIZE   10000
#define BIG_SIZE (3 << 20) /* past the first index page of a file (2 MiB) */
#define CHUNK    65536
#define NOFILE   OPEN_MAX

static unsigned char data[CHUNK], back[CHUNK];

static unsigned char pattern(long i)
{
	return (unsigned char)(i % 251 + i / 4096);
}

/* The size stat reports for path, or -1. */
static long size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* Check that a call (its result r) failed with errno want. */
static void fails(const char *what, long r, int want)
{
	check(r == -1 && errno == want, "%s fails with errno %d (returned %ld, errno %d)", what,
	      want, r, errno);
	errno = 0;
}

static void directories(void)
{
	char cwd[64];

	if (mkdir("/tmp", 0755) < 0 && errno != EEXIST)
		check(false, "mkdir /tmp failed, errno %d", errno);
	int r = mkdir(DIR_PATH, 0755);
	check(r == 0, "mkdir %s succeeds (errno %d)", DIR_PATH, r ? errno : 0);
	fails("mkdir of an existing directory", mkdir(DIR_PATH, 0755), EEXIST);
	r = chdir(DIR_PATH);
	char *c = getcwd(cwd, sizeof(cwd));
	check(r == 0 && c == cwd && strcmp(cwd, DIR_PATH) == 0,
	      "chdir into it; getcwd then says '%s'", c ? cwd : "(failed)");
	r = mkdir("d", 0755);
	struct stat st;
	int s = stat("d", &st);
	check(r == 0 && s == 0 && S_ISDIR(st.st_mode),
	      "mkdir with a relative path; stat says it is a directory (mode %#o)",
	      (unsigned)st.st_mode);
}

static void regular_files(void)
{
	int fd = open("a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644);
	for (long i = 0; i < A_SIZE; i++)
		data[i] = pattern(i);
	ssize_t w = write(fd, data, A_SIZE);
	check(fd >= 3 && w == A_SIZE, "create a.txt and write %d bytes into it (wrote %ld)", A_SIZE,
	      w);
	fails("open(O_CREAT | O_EXCL) of an existing file",
	      open("a.txt", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST);
	struct stat st;
	int r = fstat(fd, &st);
	close(fd);
	check(r == 0 && S_ISREG(st.st_mode) && st.st_size == A_SIZE && size_of("a.txt") == A_SIZE,
	      "fstat and stat say it is a regular file of %d bytes (%ld)", A_SIZE,
	      (long)st.st_size);

	fd = open("a.txt", O_RDONLY);
	long total = 0, bad = 0;
	ssize_t n;
	while ((n = read(fd, back + total, 3000)) > 0)
		total += n;
	for (long i = 0; i < total; i++)
		bad += back[i] != pattern(i);
	check(total == A_SIZE && bad == 0 && n == 0,
	      "read back in pieces of 3000 bytes: the same %d bytes, then 0 at the end "
	      "(%ld read, %ld wrong)",
	      A_SIZE, total, bad);
	off_t o1 = lseek(fd, 5000, SEEK_SET);
	n = read(fd, back, 10);
	off_t o2 = lseek(fd, -10, SEEK_END);
	ssize_t n2 = read(fd, back + 10, 100);
	check(o1 == 5000 && n == 10 && back[0] == pattern(5000) && o2 == A_SIZE - 10 && n2 == 10 &&
	              back[19] == pattern(A_SIZE - 1),
	      "lseek with SEEK_SET and SEEK_END moves the offset for read");
	fails("lseek to a negative offset", lseek(fd, -1, SEEK_SET), EINVAL);
	fails("write on a descriptor opened O_RDONLY", write(fd, "x", 1), EBADF);
	close(fd);

	fd = open("a.txt", O_WRONLY | O_APPEND);
	w = write(fd, "tail", 4);
	close(fd);
	check(w == 4 && size_of("a.txt") == A_SIZE + 4,
	      "O_APPEND adds 4 bytes at the end (size %ld)", size_of("a.txt"));

	fd = open("a.txt", O_RDWR | O_TRUNC);
	r = fstat(fd, &st);
	check(fd >= 0 && r == 0 && st.st_size == 0, "O_TRUNC empties the file (size %ld)",
	      (long)st.st_size);
	write(fd, "abc", 3);
	lseek(fd, 8192, SEEK_SET);
	write(fd, "z", 1);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, back, sizeof(back));
	long zeros = 0;
	for (long i = 3; i < 8192 && n == 8193; i++)
		zeros += back[i] == 0;
	check(n == 8193 && memcmp(back, "abc", 3) == 0 && zeros == 8192 - 3 && back[8192] == 'z',
	      "a write past the end leaves a hole that reads as zeros (size %ld)", (long)n);
	close(fd);
	fd = open("a.txt", O_WRONLY);
	fails("read on a descriptor opened O_WRONLY", read(fd, back, 1), EBADF);
	close(fd);
}

/* A file over 2 MiB, written and read in 64 KiB pieces. */
static void big_file(void)
{
	int fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	long wrote = 0, bad = 0, got = 0;
	for (long off = 0; off < BIG_SIZE; off += CHUNK) {
		for (long i = 0; i < CHUNK; i++)
			data[i] = pattern(off + i);
		wrote += write(fd, data, CHUNK);
	}
	lseek(fd, 0, SEEK_SET);
	ssize_t n;
	while ((n = read(fd, back, CHUNK)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			bad += back[i] != pattern(got + i);
		got += n;
	}
	close(fd);
	check(wrote == BIG_SIZE && got == BIG_SIZE && bad == 0 && size_of("big") == BIG_SIZE,
	      "a %d MiB file reads back intact (wrote %ld, read %ld, %ld wrong)", BIG_SIZE >> 20,
	      wrote, got, bad);
	int r = unlink("big");
	check(r == 0 && size_of("big") == -1 && errno == ENOENT,
	      "unlink removes it: stat then fails with ENOENT");
}

/* An unlinked file lives on while a descriptor refers to it. */
static void unlink_open(void)
{
	char buf[8] = { 0 };
	int fd = open("b", O_RDWR | O_CREAT, 0644);
	write(fd, "bee", 3);
	int r = unlink("b");
	long sz = size_of("b");
	lseek(fd, 0, SEEK_SET);
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	check(r == 0 && sz == -1 && n == 3 && strcmp(buf, "bee") == 0,
	      "a file unlinked while open is gone from its directory but still readable through "
	      "the descriptor");
	close(open("c", O_WRONLY | O_CREAT, 0644));
}

/* Add "name/type" to the space-separated list in names (size bytes). */
static void add_name(char *names, size_t size, const char *name, int type)
{
	size_t len = strlen(names);
	snprintf(names + len, size - len, "%s%s/%d", len ? " " : "", name, type);
}

/* Is "name/type" in the list? */
static bool listed(const char *names, const char *name, int type)
{
	char want[64];
	size_t n = (size_t)snprintf(want, sizeof(want), "%s/%d", name, type);
	for (const char *s = names; (s = strstr(s, want)) != NULL; s++)
		if ((s == names || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return true;
	return false;
}

static void listing(void)
{
	/* getdents64: linux_dirent64 records packed into the buffer. */
	static char buf[1024] __attribute__((aligned(8)));
	char names[512] = "";
	int entries = 0;
	int fd = open(".", O_RDONLY | O_DIRECTORY);
	long n;
	while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			const struct linux_dirent64 *d = (const void *)(buf + off);
			add_name(names, sizeof(names), d->d_name, d->d_type);
			entries++;
			off += d->d_reclen ? d->d_reclen : n;
		}
	}
	check(n == 0 && entries == 5 && listed(names, ".", DT_DIR) && listed(names, "..", DT_DIR) &&
	              listed(names, "a.txt", DT_REG) && listed(names, "c", DT_REG) &&
	              listed(names, "d", DT_DIR),
	      "getdents64 lists . .. a.txt c d with their types (%s)", names);
	lseek(fd, 0, SEEK_SET);
	fails("getdents64 with a buffer too small for one entry", getdents64(fd, buf, 8), EINVAL);
	close(fd);

	DIR *dir = opendir(DIR_PATH);
	struct dirent *de;
	char seen[512] = "";
	entries = 0;
	while (dir && (de = readdir(dir)) != NULL) {
		add_name(seen, sizeof(seen), de->d_name, de->d_type);
		entries++;
	}
	if (dir)
		closedir(dir);
	check(entries == 5 && strcmp(seen, names) == 0, "readdir lists the same entries (%s)",
	      seen);
}

static void errors(void)
{
	struct stat st;
	char buf[4];

	fails("open of a missing file", open("nosuch", O_RDONLY), ENOENT);
	fails("open(O_CREAT) in a missing directory", open("nosuch/x", O_WRONLY | O_CREAT, 0644),
	      ENOENT);
	fails("stat of a missing file", stat("nosuch", &st), ENOENT);
	fails("unlink of a missing file", unlink("nosuch"), ENOENT);
	fails("chdir to a missing directory", chdir("nosuch"), ENOENT);
	fails("open of a directory for writing", open("d", O_WRONLY), EISDIR);
	fails("unlink of a directory", unlink("d"), EISDIR);
	fails("open of a path through a regular file", open("a.txt/x", O_RDONLY), ENOTDIR);
	fails("open(O_DIRECTORY) of a regular file", open("a.txt", O_RDONLY | O_DIRECTORY),
	      ENOTDIR);
	fails("chdir to a regular file", chdir("a.txt"), ENOTDIR);
	fails("mkdir over a regular file", mkdir("a.txt", 0755), EEXIST);
	fails("open with a bad path pointer", open((const char *)1, O_RDONLY), EFAULT);

	int fd = open("a.txt", O_RDWR);
	fails("read into an unmapped buffer", read(fd, (void *)0x1000, 4), EFAULT);
	fails("write from a kernel address", write(fd, (void *)0xffff800000000000UL, 4), EFAULT);
	close(fd);
	fails("read on a closed descriptor", read(fd, buf, 1), EBADF);
	fails("write on a closed descriptor", write(fd, buf, 1), EBADF);
	fails("fstat on a closed descriptor", fstat(fd, &st), EBADF);
	fails("lseek on a closed descriptor", lseek(fd, 0, SEEK_SET), EBADF);
	fails("close of a closed descriptor", close(fd), EBADF);
	fails("read on descriptor -1", read(-1, buf, 1), EBADF);
	fails("read on descriptor 1024, past the table", read(NOFILE, buf, 1), EBADF);

	/* Relative paths with . and .. */
	int r = chdir("..");
	char cwd[64];
	char *c = getcwd(cwd, sizeof(cwd));
	fd = open("./testfile/d/../a.txt", O_RDONLY);
	check(r == 0 && c && strcmp(cwd, "/tmp") == 0 && fd >= 0,
	      "chdir(\"..\") goes to /tmp, where ./testfile/d/../a.txt opens");
	close(fd);
}

/* The descriptor table holds OPEN_MAX: then dup, open and pipe fail with EMFILE. */
static void full_table(void)
{
	int fds[NOFILE], n = 0, p[2];

	errno = 0;
	while (n < NOFILE && (fds[n] = dup(0)) >= 0)
		n++;
	int e = errno;
	int open_ones = 0;
	for (int fd = 0; fd < NOFILE; fd++)
		open_ones += fcntl(fd, F_GETFD) >= 0;
	check(e == EMFILE && open_ones == NOFILE,
	      "dup fails with EMFILE once all %d descriptors are open (errno %d, %d open)", NOFILE,
	      e, open_ones);
	fails("open with the table full", open(DIR_PATH "/a.txt", O_RDONLY), EMFILE);
	close(fds[--n]);
	errno = 0;
	int r = pipe(p);
	e = errno;
	int last = dup(0);
	check(r == -1 && e == EMFILE && last == fds[n],
	      "with one descriptor free, pipe fails with EMFILE and leaves it free (errno %d)", e);
	fds[n++] = last;
	while (n > 0)
		close(fds[--n]);
	int fd = open(DIR_PATH "/a.txt", O_RDONLY);
	check(fd >= 0, "after closing them, open works again");
	close(fd);
}

/* The devices. */
static void devices(void)
{
	struct stat st;
	char buf[8];
	int r = stat("/dev/console", &st);
	check(r == 0 && S_ISCHR(st.st_mode), "/dev/console is a character device");
	int fd = open("/dev/null", O_RDWR);
	ssize_t w = write(fd, "discarded", 9);
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	check(fd >= 0 && w == 9 && n == 0, "/dev/null takes every write and reads as end of file");
}

int main(void)
{
	check_prefix = "testfile";
	directories();
	regular_files();
	big_file();
	unlink_open();
	listing();
	errors();
	full_table();
	devices();
	verdict("testfile: %s", check_failures ? "FAIL" : "all checks OK");
	return check_failures ? 1 : 0;
}
