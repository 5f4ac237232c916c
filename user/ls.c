/*
 * ls: list the names in directories (sorted; "." for none given) and name the other files
 * given. -l adds the type and permissions, the number of links and the size; -a shows the
 * names that start with '.'.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <stat.h>

static bool long_form, show_all;
static int status;

/* "drwxr-xr-x" for a directory with mode 0755. */
static void mode_string(uint32_t mode, char out[11])
{
	out[0] = S_ISDIR(mode)    ? 'd'
	         : S_ISCHR(mode)  ? 'c'
	         : S_ISFIFO(mode) ? 'p'
	         : S_ISLNK(mode)  ? 'l'
	         : S_ISBLK(mode)  ? 'b'
	         : S_ISSOCK(mode) ? 's'
	                          : '-';
	for (int i = 0; i < 9; i++)
		out[1 + i] = mode & (0400 >> i) ? "rwxrwxrwx"[i] : '-';
	out[10] = '\0';
}

/* One line: name, or with -l the details of the file at path. */
static void show(const char *path, const char *name)
{
	struct stat st;
	char mode[11];

	if (!long_form) {
		printf("%s\n", name);
		return;
	}
	if (stat(path, &st) < 0) {
		dprintf(2, "ls: %s: %s\n", path, strerror(errno));
		status = 1;
		return;
	}
	mode_string(st.st_mode, mode);
	printf("%s %2lu %8ld %s\n", mode, st.st_nlink, st.st_size, name);
}

/* Sort names by strcmp: an insertion sort, enough for a directory listing. */
static void sort(char **names, int n)
{
	for (int i = 1; i < n; i++) {
		char *x = names[i];
		int j = i;
		for (; j > 0 && strcmp(names[j - 1], x) > 0; j--)
			names[j] = names[j - 1];
		names[j] = x;
	}
}

static void list_dir(const char *dir)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	int n = 0, cap = 0;
	struct dirent *e;

	if (d == NULL) {
		dprintf(2, "ls: %s: %s\n", dir, strerror(errno));
		status = 1;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' && !show_all)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			char **more = realloc(names, cap * sizeof(char *));
			if (more == NULL)
				break;
			names = more;
		}
		if ((names[n] = strdup(e->d_name)) != NULL)
			n++;
	}
	closedir(d);
	sort(names, n);
	size_t dlen = strlen(dir);
	for (int i = 0; i < n; i++) {
		char *path = malloc(dlen + strlen(names[i]) + 2);
		if (path) {
			bool slash = dlen > 0 && dir[dlen - 1] == '/';
			snprintf(path, dlen + strlen(names[i]) + 2, "%s%s%s", dir, slash ? "" : "/",
			         names[i]);
			show(path, names[i]);
			free(path);
		}
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'l') {
				long_form = true;
			} else if (*o == 'a') {
				show_all = true;
			} else {
				dprintf(2, "ls: unknown option -%c\nusage: ls [-la] [FILE...]\n",
				        *o);
				return 2;
			}
		}
	}
	if (i == argc) {
		list_dir(".");
		return status;
	}
	/* As other ls's do: first the files that are not directories, then each directory's
	 * listing, under its name when there are several arguments. */
	bool several = argc - i > 1, printed = false;
	for (int k = i; k < argc; k++) {
		struct stat st;
		if (stat(argv[k], &st) < 0) {
			dprintf(2, "ls: %s: %s\n", argv[k], strerror(errno));
			status = 1;
		} else if (!S_ISDIR(st.st_mode)) {
			show(argv[k], argv[k]);
			printed = true;
		}
	}
	for (int k = i; k < argc; k++) {
		struct stat st;
		if (stat(argv[k], &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (several)
			printf("%s%s:\n", printed ? "\n" : "", argv[k]);
		list_dir(argv[k]);
		printed = true;
	}
	return status;
}
