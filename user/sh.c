/*
 * sh: Sparrow's shell. It reads commands a line at a time (from the console, a script, or
 * -c), splits each line into words and operators, parses them into a list of pipelines and
 * runs them: programs, pipes, redirections, background jobs, and the builtins cd, exit, wait.
 * From lab 6, an interactive shell runs each pipeline as a job in its own process group and
 * hands the console to the one in the foreground, so ^C ends that job and not the shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wait.h>
#if LAB >= 6
#include <signal.h>
#endif

/* ---- The shell's state ------------------------------------------------------------ */

static int last_status;  /* $?: the exit status of the last pipeline */
static pid_t last_job;   /* $!: the last pipeline started in the background */
static bool interactive; /* reading from the console: show a prompt */
static char **params;    /* $0, $1, ...: the script's name and arguments */
static int nparams;      /* how many of them, $0 included */
static pid_t *jobs;      /* background processes not yet reaped */
static int njobs, jobs_cap;

/* realloc and malloc that do not return without memory: the shell gives up then. */
static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (p == NULL) {
		dprintf(2, "sh: out of memory\n");
		exit(2);
	}
	return p;
}

static void *xmalloc(size_t n)
{
	return xrealloc(NULL, n);
}

/* A string that grows as characters are added; s is NUL-terminated once it exists. */
struct strbuf {
	char *s;
	size_t len, cap;
};

static void sb_putc(struct strbuf *b, char c)
{
	if (b->len + 2 > b->cap) {
		b->cap = b->cap ? 2 * b->cap : 32;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

static void sb_puts(struct strbuf *b, const char *s)
{
	while (*s)
		sb_putc(b, *s++);
}

/* The string built so far, handed over to the caller (to free); "" if nothing was added. */
static char *sb_take(struct strbuf *b)
{
	char *s = b->s;
	if (s == NULL) {
		s = xmalloc(1);
		*s = '\0';
	}
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

#if LAB >= 6
/* ---- Jobs (lab 6) --------------------------------------------------------------------- */

static bool job_control;         /* interactive: each pipeline is a job, a process group */
static pid_t shell_pgrp;         /* the shell's own group: it has the console between jobs */
static pid_t job_pgid;           /* the job being started: its group (0: none yet) ... */
static bool job_foreground;      /* ... and whether it gets the console */
static volatile int interrupted; /* ^C or ^\ reached the shell (at its prompt) */

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* An interactive shell: its own process group, which gets the console; ^C and ^\ at the
 * prompt cut the line being typed (the read fails with EINTR: no SA_RESTART) and never end
 * the shell. */
static void job_control_init(void)
{
	struct sigaction sa = { .sa_handler = on_interrupt };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	setpgid(0, 0);
	shell_pgrp = getpgrp();
	tcsetpgrp(0, shell_pgrp);
	job_control = true;
}

/*
 * Put process pid (0: the caller, a child just forked to run part of the job) into the job's
 * process group pgid (0: a new group, led by pid), and give the job the console if it runs
 * in the foreground. The shell and its child both do it, whichever runs first: the child
 * must not run its program outside the group, nor the shell wait for a job that might
 * miss a ^C.
 */
static void job_start(pid_t pid, pid_t pgid, bool foreground)
{
	if (!job_control)
		return;
	// LAB 6: Move pid into group pgid (setpgid; pgid 0 makes pid lead its own group), and
	// if the job is in the foreground make that group the console's (tcsetpgrp on
	// descriptor 0). In the child (pid 0) the shell's handlers of SIGINT and SIGQUIT are
	// still installed: give both their default action back, or a builtin run in a child
	// would ignore ^C.
	//= BEGIN LAB 6
	pid_t group = pgid ? pgid : (pid ? pid : getpid());
	setpgid(pid, group);
	if (foreground)
		tcsetpgrp(0, group);
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
	}
	//= STUB
	//= (void)pid, (void)pgid, (void)foreground;
	//= END
}

/* The foreground job is over (or stopped waiting): the shell takes the console back. */
static void job_done(void)
{
	if (!job_control)
		return;
	// LAB 6: Make the shell's own group (shell_pgrp) the console's foreground group again,
	// so that ^C at the prompt reaches the shell.
	//= BEGIN LAB 6
	tcsetpgrp(0, shell_pgrp);
	//= END
}
#endif

/* ---- Tokens: words and operators ---------------------------------------------------- */

enum kind { T_WORD, T_PIPE, T_AND, T_OR, T_BG, T_SEMI, T_REDIR, T_END };
enum redir_kind { R_IN, R_OUT, R_APPEND, R_DUP };

/*
 * A word keeps its quotes and $ until the command runs (expand() removes them then), so
 * that $? in "false; echo $?" is the status of false. An operator keeps its text for
 * error messages.
 */
struct token {
	enum kind kind;
	char *text;
	enum redir_kind redir; /* T_REDIR: which one */
	int fd;                /* T_REDIR: the descriptor redirected (2 in "2>file") */
};

struct tokens {
	struct token *t;
	int n, cap;
};

static void add_token(struct tokens *ts, enum kind kind, const char *text, size_t len)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 16;
		ts->t = xrealloc(ts->t, ts->cap * sizeof(*ts->t));
	}
	struct token *t = &ts->t[ts->n++];
	*t = (struct token){ .kind = kind, .text = xmalloc(len + 1) };
	memcpy(t->text, text, len);
	t->text[len] = '\0';
}

static void free_tokens(struct tokens *ts)
{
	for (int i = 0; i < ts->n; i++)
		free(ts->t[i].text);
	free(ts->t);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_operator(char c)
{
	return c != '\0' && strchr("|&;<>", c) != NULL;
}

/* The end of the word starting at p, quoted parts included; NULL if a quote is not closed
 * (*open says which). */
static const char *scan_word(const char *p, char *open)
{
	while (*p && !is_blank(*p) && !is_operator(*p)) {
		if (*p == '\\') {
			p += p[1] ? 2 : 1;
		} else if (*p == '\'' || *p == '"') {
			char q = *p++;
			for (; *p && *p != q; p++)
				if (q == '"' && *p == '\\' && p[1])
					p++;
			if (*p == '\0') {
				*open = q;
				return NULL;
			}
			p++;
		} else {
			p++;
		}
	}
	return p;
}

/* A redirection operator at p: "<", ">", ">>", "<&", ">&", each maybe after a digit.
 * Returns its length and fills t, or 0 if there is none. */
static size_t scan_redir(const char *p, struct token *t)
{
	const char *s = p;
	t->fd = -1;
	if (*s >= '0' && *s <= '9' && (s[1] == '<' || s[1] == '>'))
		t->fd = *s++ - '0';
	if (*s != '<' && *s != '>')
		return 0;
	if (t->fd < 0)
		t->fd = *s == '<' ? 0 : 1;
	if (s[1] == '&')
		t->redir = R_DUP;
	else if (*s == '>' && s[1] == '>')
		t->redir = R_APPEND;
	else
		t->redir = *s == '<' ? R_IN : R_OUT;
	return (size_t)(s - p) + (t->redir == R_DUP || t->redir == R_APPEND ? 2 : 1);
}

/* Split a line into tokens, ending with T_END. On an unclosed quote returns false with
 * *bad the quote. A '#' that starts a word starts a comment. */
static bool tokenize(const char *line, struct tokens *ts, char *bad)
{
	const char *p = line;
	struct token r;

	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0' || *p == '#')
			break;
		size_t n = scan_redir(p, &r);
		if (n > 0) {
			add_token(ts, T_REDIR, p, n);
			ts->t[ts->n - 1].redir = r.redir;
			ts->t[ts->n - 1].fd = r.fd;
			p += n;
		} else if (*p == '|' || *p == '&') {
			bool twice = p[1] == *p;
			enum kind k = *p == '|' ? (twice ? T_OR : T_PIPE) : (twice ? T_AND : T_BG);
			add_token(ts, k, p, twice ? 2 : 1);
			p += twice ? 2 : 1;
		} else if (*p == ';') {
			add_token(ts, T_SEMI, p++, 1);
		} else {
			const char *end = scan_word(p, bad);
			if (end == NULL)
				return false;
			add_token(ts, T_WORD, p, (size_t)(end - p));
			p = end;
		}
	}
	add_token(ts, T_END, "newline", 7);
	return true;
}

/* ---- Expanding words ---------------------------------------------------------------- */

static bool is_name_char(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

/* Expand the $ construct at p (just after the '$') into b; returns what follows it.
 * $? $$ $! $# $0-$9, $NAME and ${NAME} (from the environment); else a plain '$'. */
static const char *expand_dollar(const char *p, struct strbuf *b)
{
	char num[24];

	if (*p == '?' || *p == '$' || *p == '!' || *p == '#') {
		long v = *p == '?'   ? last_status
		         : *p == '$' ? getpid()
		         : *p == '!' ? last_job
		                     : nparams - 1;
		if (*p != '!' || last_job > 0) {
			snprintf(num, sizeof(num), "%ld", v);
			sb_puts(b, num);
		}
		return p + 1;
	}
	if (*p >= '0' && *p <= '9') {
		if (*p - '0' < nparams)
			sb_puts(b, params[*p - '0']);
		return p + 1;
	}
	bool braced = *p == '{';
	const char *name = p + braced, *end = name;
	while (is_name_char(*end, end == name))
		end++;
	if (end == name || (braced && *end != '}')) {
		sb_putc(b, '$');
		return p;
	}
	char var[256];
	strlcpy(var, name, MIN(sizeof(var), (size_t)(end - name) + 1));
	const char *value = getenv(var);
	if (value)
		sb_puts(b, value);
	return end + braced;
}

/*
 * A word as the program sees it: quotes removed, backslash escapes applied, $ expanded
 * (except inside single quotes). Sets *keep to false for a word that expanded to nothing
 * and had no quotes ($UNSET alone): such a word disappears, as in other shells.
 */
static char *expand(const char *w, bool *keep)
{
	struct strbuf b = { 0 };
	bool quoted = false;

	while (*w) {
		char c = *w++;
		if (c == '\\') {
			quoted = true;
			if (*w)
				sb_putc(&b, *w++);
		} else if (c == '\'') {
			quoted = true;
			while (*w != '\'')
				sb_putc(&b, *w++);
			w++;
		} else if (c == '"') {
			quoted = true;
			while (*w != '"') {
				if (*w == '\\' && w[1] && strchr("$\"\\`", w[1])) {
					sb_putc(&b, w[1]);
					w += 2;
				} else if (*w == '$') {
					w = expand_dollar(w + 1, &b);
				} else {
					sb_putc(&b, *w++);
				}
			}
			w++;
		} else if (c == '$') {
			w = expand_dollar(w, &b);
		} else {
			sb_putc(&b, c);
		}
	}
	if (keep)
		*keep = quoted || b.len > 0;
	return sb_take(&b);
}

/* ---- Parsing: a list of pipelines --------------------------------------------------- */

struct redir {
	enum redir_kind kind;
	int fd;     /* the descriptor it sets up */
	char *word; /* the file, or for R_DUP the descriptor to copy (or "-": close) */
};

struct command {
	char **words; /* unexpanded, from the tokens */
	int nwords;
	struct redir *redirs; /* in the order written: "> f 2>&1" differs from "2>&1 > f" */
	int nredirs;
};

struct pipeline {
	struct command *cmds;
	int ncmds;
	enum kind then; /* what follows: T_SEMI, T_BG (run in the background), T_AND, T_OR */
};

struct list {
	struct pipeline *pipes;
	int npipes;
};

/* command: (word | redirection word)+. Returns the index after it, or -(index of the bad
 * token) - 1. */
static int parse_command(struct token *t, int i, struct command *c)
{
	int n = 0, r = 0, j;

	for (j = i; t[j].kind == T_WORD || t[j].kind == T_REDIR; j++) {
		if (t[j].kind == T_REDIR) {
			j++;
			if (t[j].kind != T_WORD)
				return -j - 1;
			r++;
		} else {
			n++;
		}
	}
	if (j == i)
		return -j - 1;
	c->words = xmalloc((n + 1) * sizeof(char *));
	c->redirs = xmalloc((r + 1) * sizeof(struct redir));
	c->nwords = c->nredirs = 0;
	for (j = i; t[j].kind == T_WORD || t[j].kind == T_REDIR; j++) {
		if (t[j].kind == T_WORD) {
			c->words[c->nwords++] = t[j].text;
			continue;
		}
		struct redir *rd = &c->redirs[c->nredirs++];
		rd->kind = t[j].redir;
		rd->fd = t[j].fd;
		rd->word = t[++j].text;
	}
	c->words[c->nwords] = NULL;
	return j;
}

static void free_list(struct list *l)
{
	for (int i = 0; i < l->npipes; i++) {
		for (int k = 0; k < l->pipes[i].ncmds; k++) {
			free(l->pipes[i].cmds[k].words);
			free(l->pipes[i].cmds[k].redirs);
		}
		free(l->pipes[i].cmds);
	}
	free(l->pipes);
}

static bool ends_pipeline(enum kind k)
{
	return k == T_END || k == T_SEMI || k == T_BG || k == T_AND || k == T_OR;
}

/*
 * list: [pipeline ((; | & | && | ||) pipeline)* [; | &]]; pipeline: command (| command)*.
 * Returns -1 if the tokens parse, else the index of the token the error is near.
 */
static int parse(struct token *t, int ntok, struct list *l)
{
	int i = 0;

	l->pipes = xmalloc(ntok * sizeof(struct pipeline));
	l->npipes = 0;
	while (t[i].kind != T_END) {
		int ncmds = 1;
		for (int j = i; !ends_pipeline(t[j].kind); j++)
			ncmds += t[j].kind == T_PIPE;
		struct pipeline *p = &l->pipes[l->npipes++];
		p->cmds = xmalloc(ncmds * sizeof(struct command));
		p->ncmds = 0;
		p->then = T_SEMI;
		for (;;) {
			i = parse_command(t, i, &p->cmds[p->ncmds]);
			if (i < 0)
				return -i - 1;
			p->ncmds++;
			if (t[i].kind != T_PIPE)
				break;
			i++;
		}
		if (t[i].kind == T_END)
			break;
		p->then = t[i++].kind;
		/* After && or || another pipeline must follow; after ; or & it may. */
		if (t[i].kind == T_END && (p->then == T_AND || p->then == T_OR))
			return i;
	}
	return -1;
}

/* ---- Running commands --------------------------------------------------------------- */

static void add_job(pid_t pid)
{
	if (njobs == jobs_cap) {
		jobs_cap = jobs_cap ? 2 * jobs_cap : 8;
		jobs = xrealloc(jobs, jobs_cap * sizeof(pid_t));
	}
	jobs[njobs++] = pid;
}

static void forget_job(pid_t pid)
{
	for (int i = 0; i < njobs; i++)
		if (jobs[i] == pid)
			jobs[i--] = jobs[--njobs];
}

/* The exit status of a wait status: the code, or 128 + the signal that ended it. */
static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* Reap the background processes that have finished (no waiting), so none stays a zombie. */
static void reap_jobs(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		forget_job(pid);
		if (interactive)
			dprintf(2, "[%d] done, status %d\n", pid, exit_code(status));
	}
}

/* Set up one redirection (its word expanded) in this process. 0, or -1 after saying what
 * failed. */
static int redirect_one(const struct redir *r, const char *word)
{
	int fd;

	if (r->kind == R_DUP) {
		char *end;
		long from = strtol(word, &end, 10);
		if (strcmp(word, "-") == 0) {
			close(r->fd);
			return 0;
		}
		if (*word == '\0' || *end != '\0' || dup2((int)from, r->fd) < 0) {
			dprintf(2, "sh: %s: Bad file descriptor\n", word);
			return -1;
		}
		return 0;
	}
	// LAB 5: Open the redirection's file (R_IN: for reading; R_OUT: for writing, created
	// and truncated; R_APPEND: for writing at the end, created) and make it descriptor
	// r->fd with dup2. A file that cannot be opened prints "sh: FILE: <strerror>" and
	// fails (-1).
	//= BEGIN LAB 5
	if (r->kind == R_IN)
		fd = open(word, O_RDONLY);
	else if (r->kind == R_APPEND)
		fd = open(word, O_WRONLY | O_CREAT | O_APPEND, 0644);
	else
		fd = open(word, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		dprintf(2, "sh: %s: %s\n", word, strerror(errno));
		return -1;
	}
	if (fd != r->fd) {
		dup2(fd, r->fd);
		close(fd);
	}
	return 0;
	//= STUB
	//= (void)fd;
	//= dprintf(2, "sh: LAB 5: redirections are not implemented (user/sh.c)\n");
	//= return -1;
	//= END
}

/* Set up a command's redirections, in the order written. 0, or -1 if one failed. */
static int redirect(struct command *c)
{
	for (int i = 0; i < c->nredirs; i++) {
		char *word = expand(c->redirs[i].word, NULL);
		int r = redirect_one(&c->redirs[i], word);
		free(word);
		if (r < 0)
			return -1;
	}
	return 0;
}

static bool is_builtin(const char *name)
{
	return name &&
	       (strcmp(name, "cd") == 0 || strcmp(name, "exit") == 0 || strcmp(name, "wait") == 0);
}

/* wait: for the given background processes, or for all of them. */
static int builtin_wait(int argc, char **argv)
{
	int status = 0, result = 0;

	if (argc == 1) {
		while (njobs > 0) {
			pid_t pid = jobs[0];
			waitpid(pid, &status, 0);
			forget_job(pid);
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		pid_t pid = (pid_t)atoi(argv[i]);
		if (waitpid(pid, &status, 0) < 0) {
			dprintf(2, "sh: wait: pid %s is not a child of this shell\n", argv[i]);
			result = 127;
		} else {
			forget_job(pid);
			result = exit_code(status);
		}
	}
	return result;
}

/* Run a builtin in this process; returns its exit status. */
static int run_builtin(int argc, char **argv)
{
	if (strcmp(argv[0], "cd") == 0) {
		const char *dir = argc > 1 ? argv[1] : getenv("HOME");
		if (dir == NULL)
			dir = "/";
		if (chdir(dir) < 0) {
			dprintf(2, "sh: cd: %s: %s\n", dir, strerror(errno));
			return 1;
		}
		return 0;
	}
	if (strcmp(argv[0], "exit") == 0) {
		char *end = NULL;
		long code = argc > 1 ? strtol(argv[1], &end, 10) : last_status;
		if (end && (*argv[1] == '\0' || *end != '\0')) {
			dprintf(2, "sh: exit: %s: numeric argument required\n", argv[1]);
			code = 2;
		}
		exit((int)(code & 0xff));
	}
	return builtin_wait(argc, argv);
}

/* argv for a command: its words expanded, the ones that vanish left out. */
static char **expand_words(struct command *c, int *argc)
{
	char **argv = xmalloc((c->nwords + 1) * sizeof(char *));
	int n = 0;

	for (int i = 0; i < c->nwords; i++) {
		bool keep;
		char *w = expand(c->words[i], &keep);
		if (keep)
			argv[n++] = w;
		else
			free(w);
	}
	argv[n] = NULL;
	*argc = n;
	return argv;
}

static void free_argv(char **argv)
{
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

/* In a child: redirect, then become the command. Never returns. */
static void __attribute__((noreturn)) exec_command(struct command *c, int argc, char **argv)
{
#if LAB >= 6
	job_start(0, job_pgid, job_foreground);
#endif
	if (redirect(c) < 0)
		exit(1);
	if (argc == 0)
		exit(0);
	if (is_builtin(argv[0]))
		exit(run_builtin(argc, argv));
	execvp(argv[0], argv);
	if (errno == ENOENT) {
		dprintf(2, "sh: %s: not found\n", argv[0]);
		exit(127);
	}
	dprintf(2, "sh: %s: %s\n", argv[0], strerror(errno));
	exit(126);
}

/* A builtin alone in the foreground runs in the shell itself (cd must), its redirections
 * undone afterwards from copies of the descriptors they replace. */
static int run_builtin_here(struct command *c, int argc, char **argv)
{
	int saved[10];

	for (int fd = 0; fd < 10; fd++)
		saved[fd] = -2; /* not touched */
	for (int i = 0; i < c->nredirs; i++) {
		int fd = c->redirs[i].fd;
		if (saved[fd] == -2) {
			saved[fd] = fcntl(fd, F_DUPFD, 10); /* -1: it was not open */
			if (saved[fd] >= 0)
				fcntl(saved[fd], F_SETFD, FD_CLOEXEC);
		}
	}
	int status = redirect(c) < 0 ? 1 : run_builtin(argc, argv);
	for (int fd = 0; fd < 10; fd++) {
		if (saved[fd] >= 0) {
			dup2(saved[fd], fd);
			close(saved[fd]);
		} else if (saved[fd] == -1) {
			close(fd);
		}
	}
	return status;
}

/*
 * Run a pipeline: each command in a child, each one's output piped to the next one's
 * input. In the foreground, wait for all of them: the status is the last one's. In the
 * background, remember them as jobs and go on.
 */
static void run_pipeline(struct pipeline *p, bool background)
{
	pid_t *pids = xmalloc(p->ncmds * sizeof(pid_t));
	char ***argvs = xmalloc(p->ncmds * sizeof(char **));
	int *argcs = xmalloc(p->ncmds * sizeof(int));
	int in = -1, started = 0;

	for (int i = 0; i < p->ncmds; i++)
		argvs[i] = expand_words(&p->cmds[i], &argcs[i]);
	if (!background && p->ncmds == 1 && argcs[0] > 0 && is_builtin(argvs[0][0])) {
		last_status = run_builtin_here(&p->cmds[0], argcs[0], argvs[0]);
		goto out;
	}
#if LAB >= 6
	job_pgid = 0; /* the first command's child starts the job's group */
	job_foreground = !background;
#endif
	for (int i = 0; i < p->ncmds; i++) {
		// LAB 5: Start command i in a child process. Between neighbouring commands make a
		// pipe (pipe2 with O_CLOEXEC, so no other child inherits it): command i's output
		// goes to its write end, command i+1's input comes from its read end (dup2 onto
		// 1 and 0 in the child). The parent closes each end as soon as the children that
		// use it exist, or the readers would never see end of file. `in` carries the read
		// end from one command to the next. Record each child's pid in pids[started++].
		//= BEGIN LAB 5
		int fds[2] = { -1, -1 };
		if (i + 1 < p->ncmds && pipe2(fds, O_CLOEXEC) < 0) {
			dprintf(2, "sh: pipe: %s\n", strerror(errno));
			break;
		}
		pid_t pid = fork();
		if (pid == 0) {
			if (in >= 0)
				dup2(in, 0);
			if (fds[1] >= 0)
				dup2(fds[1], 1);
			exec_command(&p->cmds[i], argcs[i], argvs[i]);
		}
		if (in >= 0)
			close(in);
		if (fds[1] >= 0)
			close(fds[1]);
		in = fds[0];
		if (pid < 0) {
			dprintf(2, "sh: fork: %s\n", strerror(errno));
			break;
		}
		pids[started++] = pid;
		//= STUB
		//= if (p->ncmds > 1 && i == 0)
		//= 	dprintf(2, "sh: LAB 5: pipelines are not implemented (user/sh.c)\n");
		//= pid_t pid = fork();
		//= if (pid == 0)
		//= 	exec_command(&p->cmds[i], argcs[i], argvs[i]);
		//= if (pid < 0)
		//= 	break;
		//= pids[started++] = pid;
		//= END
#if LAB >= 6
		if (started == i + 1) { /* command i runs: in the job, which its leader names */
			job_pgid = pids[0];
			job_start(pids[i], job_pgid, job_foreground);
		}
#endif
	}
	if (in >= 0)
		close(in);

	last_status = started == p->ncmds ? 0 : 1;
	if (background) {
		for (int i = 0; i < started; i++)
			add_job(pids[i]);
		if (started > 0) {
			last_job = pids[started - 1];
			if (interactive)
				dprintf(2, "[%d]\n", last_job);
		}
	} else {
		for (int i = 0; i < started; i++) {
			int status;
			pid_t r;
			while ((r = waitpid(pids[i], &status, 0)) < 0 && errno == EINTR)
				; /* a ^C that reached the shell (lab 6) */
			if (r == pids[i] && i == p->ncmds - 1)
				last_status = exit_code(status);
		}
#if LAB >= 6
		job_done();
#endif
	}
out:
	for (int i = 0; i < p->ncmds; i++)
		free_argv(argvs[i]);
	free(argvs);
	free(argcs);
	free(pids);
}

/* Run a list: after && only if the last status is 0, after || only if it is not. */
static void run_list(struct list *l)
{
	enum kind prev = T_SEMI;

	for (int i = 0; i < l->npipes; i++) {
		struct pipeline *p = &l->pipes[i];
		bool run = true;
		if (prev == T_AND)
			run = last_status == 0;
		else if (prev == T_OR)
			run = last_status != 0;
		reap_jobs(); /* first, so that what runs next (ps) sees no finished job */
		if (run)
			run_pipeline(p, p->then == T_BG);
		prev = p->then;
	}
}

/* One line of input: tokenize, parse, run. */
static void run_line(const char *line)
{
	struct tokens ts = { 0 };
	struct list l = { 0 };
	char quote;
	bool error = true;

	if (!tokenize(line, &ts, &quote)) {
		dprintf(2, "sh: syntax error: unmatched %c\n", quote);
	} else {
		int bad = parse(ts.t, ts.n, &l);
		if (bad >= 0) {
			dprintf(2, "sh: syntax error near '%s'\n", ts.t[bad].text);
		} else {
			error = false;
			run_list(&l);
		}
	}
	free_list(&l);
	free_tokens(&ts);
	if (error) {
		last_status = 2;
		if (!interactive)
			exit(2); /* a script with a syntax error stops there */
	}
}

/* ---- Reading input ------------------------------------------------------------------ */

struct input {
	int fd;
	char buf[512];
	int pos, len;
};

/* The next line (without its newline) into line; false at the end of the input. */
static bool read_line(struct input *in, struct strbuf *line)
{
	bool any = false;

	line->len = 0;
	if (line->s)
		line->s[0] = '\0';
	for (;;) {
		if (in->pos == in->len) {
			ssize_t n = read(in->fd, in->buf, sizeof(in->buf));
#if LAB >= 6
			if (n < 0 && errno == EINTR)
				return false; /* ^C: the caller asks again (interrupted) */
#endif
			if (n <= 0)
				return any;
			in->pos = 0;
			in->len = (int)n;
		}
		char c = in->buf[in->pos++];
		any = true;
		if (c == '\n')
			return true;
		sb_putc(line, c);
	}
}

int main(int argc, char **argv)
{
	struct input in = { .fd = 0 };
	struct strbuf line = { 0 };

	params = argv;
	nparams = argc > 0 ? 1 : 0;
	if (argc > 1 && strcmp(argv[1], "-c") == 0) {
		/* sh -c 'COMMANDS' [NAME [ARGS...]]: $0 is NAME. */
		if (argc == 2) {
			dprintf(2, "usage: sh [-c COMMANDS [NAME [ARGS...]] | SCRIPT [ARGS...]]\n");
			return 2;
		}
		params = argv + 3;
		nparams = argc - 3;
		if (nparams == 0) {
			params = argv;
			nparams = 1;
		}
		run_line(argv[2]);
		return last_status;
	}
	if (argc > 1) {
		/* sh SCRIPT [ARGS...]: $0 is SCRIPT, $1... the ARGS. */
		in.fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (in.fd < 0) {
			dprintf(2, "sh: %s: %s\n", argv[1], strerror(errno));
			return 127;
		}
		params = argv + 1;
		nparams = argc - 1;
	} else {
		interactive = isatty(0);
#if LAB >= 6
		if (interactive)
			job_control_init();
#endif
	}
	for (;;) {
		reap_jobs();
		if (interactive)
			write(2, "$ ", 2);
		if (!read_line(&in, &line)) {
#if LAB >= 6
			if (interrupted) { /* ^C at the prompt: the console dropped the line */
				interrupted = 0;
				continue;
			}
#endif
			break;
		}
		run_line(line.s ? line.s : "");
	}
	if (interactive)
		write(2, "\n", 1);
	return last_status;
}
