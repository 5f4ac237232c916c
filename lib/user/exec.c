/*
 * User-side program execution (lab 5): execve, and execv and execvp, which pass the
 * current environment; execvp searches $PATH for names without a '/'.
 */
#include <types.h>
#include <errno.h>
#include <string.h>
#include <syscall.h>
#include <unistd.h>
#include <stdlib.h>
#include <limits.h>
#include "usyscall.h"

int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)SYSCALL3(SYS_execve, path, argv, envp);
}

int execv(const char *path, char *const argv[])
{
	return execve(path, argv, environ);
}

/*
 * Try file in each directory of $PATH in turn ("/bin" if PATH is not set; an empty entry
 * means the working directory). A directory without the file (ENOENT, ENOTDIR) or one we may
 * not use (EACCES) sends us on to the next; any other failure is the answer. If nothing was
 * found, errno is EACCES if some entry was refused, else ENOENT.
 */
int execvp(const char *file, char *const argv[])
{
	char path[PATH_MAX];
	bool refused = false;

	if (*file == '\0') {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/'))
		return execv(file, argv);
	const char *dirs = getenv("PATH");
	if (dirs == NULL)
		dirs = "/bin";
	size_t flen = strlen(file);
	for (;;) {
		size_t dlen = strcspn(dirs, ":");
		if (dlen + 1 + flen + 1 > sizeof(path)) {
			errno = ENAMETOOLONG;
		} else {
			memcpy(path, dirs, dlen);
			size_t n = dlen;
			if (n > 0)
				path[n++] = '/';
			memcpy(path + n, file, flen + 1);
			execv(path, argv);
		}
		if (errno == EACCES)
			refused = true;
		else if (errno != ENOENT && errno != ENOTDIR && errno != ENAMETOOLONG)
			return -1;
		if (dirs[dlen] == '\0')
			break;
		dirs += dlen + 1;
	}
	errno = refused ? EACCES : ENOENT;
	return -1;
}
