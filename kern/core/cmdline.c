/*
 * Kernel command-line parsing. Options are `key=value` or a bare `key`, separated by
 * spaces; a value may be double-quoted to hold spaces (init="/bin/hello a b").
 * Unknown keys are reported with a warning and otherwise ignored.
 */
#include <string.h>
#include "core/cmdline.h"
#include "core/printk.h"
#include "dev/qemu.h"

#define CMDLINE_MAX   1024
#define MAX_OPTS      32
#define FWCFG_CMDLINE "opt/sparrow/cmdline"

/* Every option the kernel understands, and what it does (printed by the warning). */
static const struct {
	const char *key;
	const char *help;
} known_opts[] = {
	{ "test", "run the named kernel self-test, then power off" },
	{ "onpanic", "what a panic does after the backtrace: 'monitor' (default) or 'poweroff'" },
	{ "init", "first user program and its arguments (lab 3 on)" },
	{ "token", "grading token folded into test programs' verdicts" },
	{ "strace", "trace system calls: strace=1 of every process, strace=NAME of program NAME" },
	{ "onbreak", "what int3 in a program does: 'monitor' (lab 3's default) or 'signal'" },
	{ "memview", "show the memory viewer above the console: memview=phys, or memview=virt" },
	{ "schedtrace", "record scheduling events and print them at power-off (lab 4 on)" },
	{ "poison", "poison=1: poison freed frames and heap objects, check them on reuse" },
	{ "aslr", "aslr=0: the fixed user layout at every execve, no randomization (lab 7 on)" },
};

static char line[CMDLINE_MAX];  /* the combined command line as given */
static char store[CMDLINE_MAX]; /* keys and values, NUL-separated */
static struct {
	const char *key;
	const char *value;
} opts[MAX_OPTS];
static int nopts;

static bool known(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_opts); i++)
		if (strcmp(known_opts[i].key, key) == 0)
			return true;
	return false;
}

/* Set KEY to VALUE, replacing an earlier setting so later sources win. */
static void set_opt(const char *key, const char *value)
{
	for (int i = 0; i < nopts; i++) {
		if (strcmp(opts[i].key, key) == 0) {
			opts[i].value = value;
			return;
		}
	}
	if (nopts == MAX_OPTS) {
		printk("warning: too many kernel options; ignoring '%s'\n", key);
		return;
	}
	opts[nopts].key = key;
	opts[nopts].value = value;
	nopts++;
}

/* Split `s` into options, copying their text into store[] starting at *used. */
static void parse(const char *s, size_t *used)
{
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		char *key = store + *used, *value = NULL;
		char *out = key, *end = store + sizeof(store) - 1;
		bool quoted = false;
		for (; *s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n')); s++) {
			if (*s == '"') {
				quoted = !quoted;
				continue;
			}
			if (out == end)
				break;
			if (*s == '=' && !value) {
				*out++ = '\0';
				value = out;
				continue;
			}
			*out++ = *s;
		}
		*out++ = '\0';
		*used = (size_t)(out - store);
		if (!known(key))
			printk("warning: unknown kernel option '%s' (ignored)\n", key);
		else
			set_opt(key, value ? value : "");
		if (out >= end)
			break;
	}
}

void cmdline_init(const char *from_grub)
{
	static char fw[CMDLINE_MAX / 2];
	size_t used = 0;

	line[0] = '\0';
	if (from_grub) {
		strlcpy(line, from_grub, sizeof(line));
		parse(from_grub, &used);
	}
	if (fwcfg_read_file(FWCFG_CMDLINE, fw, sizeof(fw)) >= 0) {
		size_t n = strlen(line);
		if (n && n < sizeof(line) - 1)
			line[n++] = ' ';
		strlcpy(line + n, fw, sizeof(line) - n);
		parse(fw, &used);
	}
}

const char *cmdline_get(const char *key)
{
	for (int i = 0; i < nopts; i++)
		if (strcmp(opts[i].key, key) == 0)
			return opts[i].value;
	return NULL;
}

bool cmdline_flag(const char *key, const char *value)
{
	const char *v = cmdline_get(key);
	return v && strcmp(v, value) == 0;
}

const char *cmdline_string(void)
{
	return line;
}
