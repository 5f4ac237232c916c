/*
 * musl-paths: names in the file system through musl, as real programs use them: the *at
 * calls, rename and renameat2, hard and symbolic links, readlink, getdents64 through
 * opendir, permissions (chmod, access, umask), stat's fields and the working directory.
 * Every line is compared with the same binary's on Linux (grade/lab5.py runs it there).
 *
 *	musl-paths DIR		(DIR: a scratch directory, emptied first and at the end)
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "show.h"

#define RENAME_NOREPLACE 1
#define RENAME_EXCHANGE  2

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	write(fd, text, strlen(text));
	close(fd);
}

/* The first line of a file, or "(error)". */
static const char *get(const char *path)
{
	static char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n < 0)
		return "(error)";
	buf[n] = '\0';
	return buf;
}

static long mode_of(const char *path)
{
	struct stat st;
	return lstat(path, &st) < 0 ? -1 : (long)st.st_mode;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory's entries with their types, sorted: "name/type ...". */
static void listing(const char *dir)
{
	char *names[32], out[512] = "";
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && n < 32 && (e = readdir(d))) {
		names[n] = malloc(strlen(e->d_name) + 8);
		sprintf(names[n++], "%s/%d", e->d_name, e->d_type);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), by_name);
	for (int i = 0; i < n; i++) {
		snprintf(out + strlen(out), sizeof(out) - strlen(out), " %s", names[i]);
		free(names[i]);
	}
	printf("%s: listing of %s:%s\n", show_prefix, dir, out);
}

static void at_calls(void)
{
	struct stat st;
	int d = (int)show(mkdir("d", 0755), "mkdir(d)");
	d = open("d", O_RDONLY | O_DIRECTORY);
	show(d >= 0, "open(d, O_DIRECTORY) works");
	show(CALL(SYS_mkdirat, d, "sub", 0755), "mkdirat(d, sub)");
	show(CALL(SYS_mkdirat, d, "sub", 0755), "mkdirat(d, sub) again");
	show(CALL(SYS_mkdirat, d, "nodir/sub", 0755), "mkdirat(d, nodir/sub)");
	int f = openat(d, "f", O_WRONLY | O_CREAT, 0666);
	show(f >= 0, "openat(d, f, O_CREAT) works");
	show(write(f, "hello", 5), "write(f, hello)");
	show(CALL(SYS_newfstatat, d, "f", &st, 0), "newfstatat(d, f)");
	show(st.st_size, "its size");
	show(st.st_mode, "its mode (umask 022)");
	show(st.st_nlink, "its links");
	show(CALL(SYS_newfstatat, f, "", &st, AT_EMPTY_PATH), "newfstatat(f, \"\", AT_EMPTY_PATH)");
	show(S_ISREG(st.st_mode), "says a regular file");
	show(CALL(SYS_newfstatat, f, "", &st, 0), "newfstatat(f, \"\", 0)");
	show(CALL(SYS_newfstatat, d, "f", &st, 0x8000), "newfstatat(d, f, bad flag)");
	show(CALL(SYS_newfstatat, f, "x", &st, 0), "newfstatat(file fd, x)");
	show(CALL(SYS_newfstatat, 999, "x", &st, 0), "newfstatat(999, x)");
	show(CALL(SYS_newfstatat, 999, "/", &st, 0), "newfstatat(999, /)");
	close(f);
	show(CALL(SYS_newfstatat, d, ".", &st, 0), "newfstatat(d, .)");
	show(st.st_nlink, "d has links (2 + its subdirectory)");
	show(CALL(SYS_unlinkat, d, "sub", 0), "unlinkat(d, sub, 0)");
	show(CALL(SYS_unlinkat, d, "f", AT_REMOVEDIR), "unlinkat(d, f, AT_REMOVEDIR)");
	show(CALL(SYS_unlinkat, d, "sub", 1), "unlinkat(d, sub, 1)");
	show(CALL(SYS_unlinkat, d, "sub", AT_REMOVEDIR), "unlinkat(d, sub, AT_REMOVEDIR)");
	show(CALL(SYS_unlinkat, d, "sub", AT_REMOVEDIR), "unlinkat(d, sub, AT_REMOVEDIR) again");
	show(CALL(SYS_unlinkat, d, "f", 0), "unlinkat(d, f, 0)");
	show(CALL(SYS_newfstatat, d, ".", &st, 0), "newfstatat(d, .)");
	show(st.st_nlink, "d has links");
	close(d);
}

static void renames(void)
{
	put("a", "A");
	put("b", "B");
	mkdir("dir", 0755);
	mkdir("dir/in", 0755);
	mkdir("empty", 0755);
	show(rename("a", "c"), "rename(a, c)");
	show(mode_of("a"), "lstat(a)");
	show(strcmp(get("c"), "A") == 0, "c has a's data");
	show(rename("c", "b"), "rename(c, b): replaces b");
	show(strcmp(get("b"), "A") == 0, "b has a's data");
	put("c", "C");
	show(CALL(SYS_renameat2, AT_FDCWD, "c", AT_FDCWD, "b", RENAME_NOREPLACE),
	     "renameat2(c, b, NOREPLACE)");
	show(CALL(SYS_renameat2, AT_FDCWD, "c", AT_FDCWD, "b", RENAME_EXCHANGE),
	     "renameat2(c, b, EXCHANGE)");
	show(strcmp(get("b"), "C") == 0 && strcmp(get("c"), "A") == 0, "they swapped");
	show(CALL(SYS_renameat2, AT_FDCWD, "c", AT_FDCWD, "zz", RENAME_EXCHANGE),
	     "renameat2(c, missing, EXCHANGE)");
	show(CALL(SYS_renameat2, AT_FDCWD, "c", AT_FDCWD, "b", 3), "renameat2(flags 3)");
	show(CALL(SYS_renameat2, AT_FDCWD, "c", AT_FDCWD, "b", 8), "renameat2(flags 8)");
	show(rename("dir", "dir/in/x"), "rename(dir, dir/in/x)");
	show(rename("dir", "dir"), "rename(dir, dir)");
	show(rename("b", "dir"), "rename(file, dir)");
	show(rename("empty", "b"), "rename(dir, file)");
	show(rename("empty", "dir"), "rename(dir, non-empty dir)");
	show(rename("dir/in", "empty"), "rename(dir/in, empty dir)");
	show(mode_of("dir/in"), "lstat(dir/in)");
	show(mode_of("empty"), "lstat(empty)");
	show(rename(".", "x"), "rename(., x)");
	show(rename("b", "."), "rename(b, .)");
	show(rename("missing", "x"), "rename(missing, x)");
	show(rename("b", "nodir/x"), "rename(b, nodir/x)");
	show(rename("b/", "x"), "rename(b/, x)");
	show(rename("b", "x/"), "rename(b, x/)");
	show(rename("empty/", "empty2/"), "rename(empty/, empty2/)");
	show(CALL(SYS_renameat, AT_FDCWD, "empty2", AT_FDCWD, "dir/moved"),
	     "renameat(empty2, dir/moved)");
	listing("dir");
	show(link("b", "b2"), "link(b, b2)");
	show(rename("b", "b2"), "rename(b, b2): the same file");
	show(mode_of("b") > 0 && mode_of("b2") > 0, "both names stay");
}

static void links(void)
{
	struct stat st;
	char buf[64];

	put("t", "target");
	show(link("t", "t2"), "link(t, t2)");
	show(stat("t", &st), "stat(t)");
	show(st.st_nlink, "t has links");
	show(link("t", "t2"), "link(t, t2) again");
	show(link("missing", "x"), "link(missing, x)");
	show(link("dir", "dir2"), "link(dir, dir2)");
	show(link("t", "nodir/x"), "link(t, nodir/x)");
	show(unlink("t"), "unlink(t)");
	show(strcmp(get("t2"), "target") == 0, "t2 keeps the data");
	show(stat("t2", &st), "stat(t2)");
	show(st.st_nlink, "t2 has links");

	show(symlink("t2", "s"), "symlink(t2, s)");
	show(symlink("t2", "s"), "symlink(t2, s) again");
	show(symlink("", "s0"), "symlink(\"\", s0)");
	show(mode_of("s"), "lstat(s)");
	show(lstat("s", &st) == 0 ? st.st_size : -1, "lstat(s): size");
	show(stat("s", &st) == 0 ? st.st_size : -1, "stat(s): size of t2");
	memset(buf, 0, sizeof(buf));
	show(readlink("s", buf, sizeof(buf)), "readlink(s)");
	show(strcmp(buf, "t2") == 0, "says t2");
	show(readlink("s", buf, 1), "readlink(s, 1 byte)");
	show(CALL(SYS_readlink, "s", buf, 0), "readlink(s, 0 bytes)");
	show(CALL(SYS_readlink, "s", buf, -1), "readlink(s, -1 bytes)");
	show(readlink("t2", buf, sizeof(buf)), "readlink(t2): a file");
	show(readlink("missing", buf, sizeof(buf)), "readlink(missing)");
	show(CALL(SYS_readlinkat, AT_FDCWD, "s", buf, sizeof(buf)), "readlinkat(AT_FDCWD, s)");
	show(strcmp(get("s"), "target") == 0, "open(s) opens t2");
	show(open("s", O_RDONLY | O_NOFOLLOW), "open(s, O_NOFOLLOW)");
	show(symlink("nothing", "dangling"), "symlink(nothing, dangling)");
	show(stat("dangling", &st), "stat(dangling)");
	show(lstat("dangling", &st), "lstat(dangling)");
	show(symlink("loop2", "loop1"), "symlink(loop2, loop1)");
	show(symlink("loop1", "loop2"), "symlink(loop1, loop2)");
	show(open("loop1", O_RDONLY), "open(loop1)");
	show(stat("loop1/x", &st), "stat(loop1/x)");
	show(symlink("dir", "sdir"), "symlink(dir, sdir)");
	show(stat("sdir/in", &st) == 0 && S_ISDIR(st.st_mode), "sdir/in is a directory");
	show(mkdir("sdir/new", 0755), "mkdir(sdir/new)");
	show(rmdir("dir/new"), "rmdir(dir/new)");
	show(chdir("sdir"), "chdir(sdir)");
	show(getcwd(buf, sizeof(buf)) != NULL, "getcwd works");
	show(strcmp(strrchr(buf, '/'), "/dir") == 0, "and ends in /dir, not /sdir");
	show(chdir(".."), "chdir(..)");
	show(symlink("/", "root"), "symlink(/, root)");
	show(stat("root/.", &st) == 0 && S_ISDIR(st.st_mode), "root/. is a directory");
	show(unlink("sdir"), "unlink(sdir): the link only");
	show(stat("dir", &st) == 0, "dir stays");
	show(rmdir("root"), "rmdir(root): a link");
	show(link("s", "s2"), "link(s, s2): a hard link to the link");
	show(mode_of("s2"), "lstat(s2)");
	show(CALL(SYS_linkat, AT_FDCWD, "s", AT_FDCWD, "s3", AT_SYMLINK_FOLLOW),
	     "linkat(s, s3, AT_SYMLINK_FOLLOW)");
	show(mode_of("s3"), "lstat(s3): the file");
	show(CALL(SYS_linkat, AT_FDCWD, "s", AT_FDCWD, "s4", 0x8), "linkat(flags 8)");
	listing(".");
}

static void permissions(void)
{
	struct stat st;
	show(umask(077), "umask(077): the old mask");
	put("p", "x");
	show(mode_of("p"), "a new file's mode under 077");
	mkdir("pd", 0777);
	show(mode_of("pd"), "a new directory's mode under 077");
	show(umask(022), "umask(022)");
	show(chmod("p", 04755), "chmod(p, 04755)");
	show(mode_of("p"), "p's mode");
	show(chmod("p", 0600), "chmod(p, 0600)");
	show(access("p", F_OK), "access(p, F_OK)");
	show(access("p", R_OK), "access(p, R_OK)");
	show(access("p", X_OK), "access(p, X_OK)");
	show(access("pd", X_OK), "access(dir, X_OK)");
	show(access("missing", F_OK), "access(missing)");
	show(access("p", 8), "access(p, 8)");
	show(CALL(SYS_faccessat2, AT_FDCWD, "p", R_OK, 0x8000), "faccessat2(bad flag)");
	show(CALL(SYS_faccessat2, AT_FDCWD, "s", F_OK, AT_SYMLINK_NOFOLLOW),
	     "faccessat2(s, AT_SYMLINK_NOFOLLOW)");
	show(CALL(SYS_faccessat, AT_FDCWD, "p", R_OK), "faccessat(p, R_OK)");
	int fd = open("p", O_RDONLY);
	show(fchmod(fd, 0640), "fchmod(p, 0640)");
	show(fstat(fd, &st) == 0 ? (long)st.st_mode : -1, "fstat(p): mode");
	show(fchmod(-1, 0640), "fchmod(-1)");
	close(fd);
	show(CALL(SYS_fchmodat, AT_FDCWD, "s", 0604), "fchmodat(s): follows the link");
	show(mode_of("t2"), "t2's mode");
	show(chmod("missing", 0644), "chmod(missing)");
	show(fchdir(open("pd", O_RDONLY)), "fchdir(pd)");
	show(access("../p", F_OK), "access(../p)");
	show(chdir(".."), "chdir(..)");
	show(fchdir(open("p", O_RDONLY)), "fchdir(a file)");
	show(CALL(SYS_mknod, "node", S_IFREG | 0644, 0), "mknod(node, S_IFREG)");
	show(mode_of("node"), "node's mode");
	show(CALL(SYS_mknod, "node2", S_IFDIR | 0755, 0), "mknod(S_IFDIR)");
	show(CALL(SYS_mknod, "node2", 0170000, 0), "mknod(bad type)");
}

int main(int argc, char **argv)
{
	show_prefix = "musl-paths";
	setvbuf(stdout, NULL, _IOLBF, 0);
	umask(022);
	if (argc < 2 || scratch(argv[1]) < 0) {
		printf("usage: musl-paths DIR (a scratch directory, emptied first)\n");
		return 2;
	}
	at_calls();
	renames();
	links();
	permissions();
	scratch_done(argv[1]);
	printf("musl-paths: done\n");
	return 0;
}
