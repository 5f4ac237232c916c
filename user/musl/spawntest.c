/*
 * musl-spawntest: posix_spawn and popen, which musl builds on clone(CLONE_VM|CLONE_VFORK):
 * a spawned child with file actions (its output into a pipe), its status, a spawn of a file
 * that does not exist, and popen reading a command's output. Compared with Linux.
 * Usage: musl-spawntest SCRATCHDIR (or, spawned: musl-spawntest child WORDS)
 */
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include "show.h"

extern char **environ;

int main(int argc, char **argv)
{
	show_prefix = "musl-spawntest";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && strcmp(argv[1], "child") == 0) {
		for (int i = 2; i < argc; i++)
			printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
		return argc;
	}

	int p[2];
	pipe(p);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	char *args[] = { argv[0], "child", "hello", "from", "spawn", NULL };
	pid_t pid = -1;
	show(posix_spawn(&pid, argv[0], &fa, NULL, args, environ),
	     "posix_spawn with dup2 to a pipe");
	close(p[1]);
	char buf[256];
	ssize_t n = read(p[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("musl-spawntest: the child wrote: %s", buf);
	close(p[0]);
	int status = 0;
	show(waitpid(pid, &status, 0) == pid, "waitpid for it");
	show(WIFEXITED(status) ? WEXITSTATUS(status) : -1, "its exit status");

	show(posix_spawn(&pid, "/nonexistent", NULL, NULL, args, environ),
	     "posix_spawn of a missing file (the error number)");

	char cmd[512];
	snprintf(cmd, sizeof(cmd), "%s child popen works", argv[0]);
	FILE *f = popen(cmd, "r");
	show(f != NULL, "popen");
	if (f) {
		while (fgets(buf, sizeof(buf), f))
			printf("musl-spawntest: popen read: %s", buf);
		status = pclose(f);
		show(WIFEXITED(status) ? WEXITSTATUS(status) : -1, "pclose: the command's status");
	}
	printf("musl-spawntest: done\n");
	return 0;
}
