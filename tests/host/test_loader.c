/*
 * Host tests for the kernel's ELF checks (kern/proc/elf.c) and initrd reader
 * (kern/fs/cpio.c): a good program passes, each deliberately broken copy made by
 * tools/mkbadelf.py is refused for its own reason, and no corrupted or truncated input makes
 * either read outside its buffer (ASan would stop the test).
 *
 *     test_loader GOOD_ELF BADELF_DIR ARCHIVE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENOEXEC 8
#define ENOENT  2

/* The kernel code, built with sp_ names for the string routines it uses. */
struct elf_info {
	const void *eh;
	const void *ph;
	int phnum;
	unsigned long entry;
	unsigned long phdr_va;
	unsigned long end;
};
int elf_check(const void *img, size_t size, unsigned long lo, unsigned long hi,
              struct elf_info *info, const char **why);
struct cpio_entry {
	const char *name;
	size_t namelen;
	unsigned mode;
	const void *data;
	size_t size;
};
int cpio_next(const void *a, size_t n, size_t *pos, struct cpio_entry *e);
int cpio_find(const void *a, size_t n, const char *path, struct cpio_entry *e);

#define USER_LO 0x1000UL
#define USER_HI 0x7ffffffff000UL

static int checks, failed;

static void expect(int ok, const char *what, const char *detail)
{
	checks++;
	if (!ok) {
		failed++;
		printf("test_loader: FAIL %s%s%s\n", what, detail ? ": " : "",
		       detail ? detail : "");
	}
}

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

/* Check an image from an exact-size heap copy, so ASan sees any read past its end. */
static int check_copy(const unsigned char *img, size_t size, struct elf_info *info,
                      const char **why)
{
	unsigned char *copy = malloc(size ? size : 1);
	memcpy(copy, img, size);
	int r = elf_check(copy, size, USER_LO, USER_HI, info, why);
	free(copy);
	return r;
}

static const struct {
	const char *name;
	const char *reason; /* a word the refusal must contain */
} bad[] = {
	{ "magic", "magic" },
	{ "class", "64-bit" },
	{ "machine", "x86-64" },
	{ "type", "EXEC" },
	{ "phoff", "outside the file" },
	{ "phentsize", "size" },
	{ "kernelseg", "user memory" },
	{ "wrapseg", "user memory" },
	{ "filesz", "file size" },
	{ "offset", "outside the file" },
	{ "short", "short" },
};

static void test_elf(const char *good_path, const char *dir)
{
	size_t size;
	unsigned char *good = slurp(good_path, &size);
	struct elf_info info;
	const char *why = NULL;

	int r = check_copy(good, size, &info, &why);
	expect(r == 0, "the good program is accepted", why);
	expect(info.entry >= 0x400000, "entry point recorded", NULL);
	expect(info.end > info.entry, "end of segments recorded", NULL);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char path[512], what[128];
		size_t n;
		snprintf(path, sizeof(path), "%s/badelf-%s", dir, bad[i].name);
		unsigned char *img = slurp(path, &n);
		why = NULL;
		r = check_copy(img, n, &info, &why);
		snprintf(what, sizeof(what), "badelf-%s refused with -ENOEXEC for '%s'",
		         bad[i].name, bad[i].reason);
		expect(r == -ENOEXEC && why && strstr(why, bad[i].reason), what,
		       why ? why : "no reason");
		free(img);
	}

	/* Every truncation and many single-byte corruptions: refused or accepted, never a crash. */
	for (size_t n = 0; n < size && n < 4096; n++)
		check_copy(good, n, &info, &why);
	unsigned char *mut = malloc(size);
	srand(1);
	for (int k = 0; k < 20000; k++) {
		memcpy(mut, good, size);
		size_t at = (size_t)rand() % (size < 512 ? size : 512);
		mut[at] = (unsigned char)rand();
		check_copy(mut, size, &info, &why);
	}
	free(mut);
	free(good);
}

static void test_cpio(const char *archive_path)
{
	size_t size;
	unsigned char *a = slurp(archive_path, &size);
	struct cpio_entry e;

	expect(cpio_find(a, size, "/bin/tiny", &e) == 0, "cpio finds /bin/tiny", NULL);
	expect(cpio_find(a, size, "bin/tiny", &e) == 0 && e.size > 0, "cpio finds bin/tiny", NULL);
	expect(cpio_find(a, size, "/bin/nothere", &e) == -ENOENT, "cpio: missing file", NULL);
	expect(cpio_find(a, size, "/bin", &e) == -ENOENT, "cpio: a directory is not a file", NULL);
	int entries = 0;
	size_t pos = 0;
	while (cpio_next(a, size, &pos, &e) == 1)
		entries++;
	expect(entries == 2, "cpio lists two entries, bin/ and bin/tiny", NULL);
	for (size_t n = 0; n < size; n++) {
		unsigned char *cut = malloc(n ? n : 1);
		memcpy(cut, a, n);
		cpio_find(cut, n, "/bin/tiny", &e);
		free(cut);
	}
	free(a);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: test_loader GOOD_ELF BADELF_DIR ARCHIVE\n");
		return 2;
	}
	test_elf(argv[1], argv[2]);
	test_cpio(argv[3]);
	printf("test_loader: %d checks, %d failed\n", checks, failed);
	return failed ? 1 : 0;
}
