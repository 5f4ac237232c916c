/*
 * /proc (lab 5): files whose contents the kernel makes at each read from its own tables.
 * /proc/ps is the process table as text (Sparrow's ps prints it); /proc/PID/ is a
 * directory per process, as Linux has it, for programs such as busybox's ps: stat and
 * status (made at each read), cmdline (the arguments of its last execve), exe (a link to
 * the program's file) and cwd (a link to its working directory); /proc/self is a link to
 * the reader's own directory; /proc/uptime, /proc/meminfo and /proc/mounts are the
 * machine's.
 *
 * The nodes are ramfs's, under a directory no program may change (FS_DEV_PROC): each
 * process's directory is made when proc_alloc makes the process and removed when proc_free
 * frees it (the proc layer's hooks).
 */
#include <errno.h>
#include <resource.h>
#include <stdio.h>
#include <string.h>
#include "core/printk.h"
#include "fs/fdtable.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"
#include "mm/uvm.h"
#include "proc/proc.h"
#include "sched/sched.h"
#include "sys/procfs.h"

#define TEXT_MAX 4096 /* what one generated file may hold (cmdline: what is kept of it) */

static struct inode *proc_dir; /* /proc */

/* What a generated file shows: its kind and, for /proc/PID's, the pid, in its dev_data. */
enum pf_kind { PF_PS, PF_STAT, PF_STATUS, PF_UPTIME, PF_MEMINFO, PF_MOUNTS, PF_TEXT };
#define PF_DATA(kind, pid) ((void *)(((uintptr_t)(kind) << 32) | (uint32_t)(pid)))
#define PF_KIND(data)      ((enum pf_kind)((uintptr_t)(data) >> 32))
#define PF_PID(data)       ((int)(uint32_t)(uintptr_t)(data))

/* The process a /proc/PID file is about, if it still exists. */
static struct proc *pf_proc(void *data)
{
	return proc_find(PF_PID(data));
}

/* Linux's one-letter states. */
static char state_letter(const struct proc *p)
{
	switch (p->state) {
	case PROC_SLEEPING:
		return 'S';
	case PROC_ZOMBIE:
		return 'Z';
	default:
		return 'R';
	}
}

/* The address space's size and the pages present in it (for ps's VSZ and RSS). */
static void mem_use(const struct proc *p, size_t *vsize, size_t *pages)
{
	*vsize = *pages = 0;
	if (!p->mm)
		return;
	for (struct vma *v = p->mm->vmas; v; v = v->next) {
		struct vm_iter it;
		*vsize += v->end - v->start;
		for (vm_iter_start(&it, p->mm->pml4, v->start, v->end - 1, 1); vm_iter_next(&it);)
			(*pages)++;
	}
}

static int gen_ps(char *out, size_t size)
{
	size_t len = (size_t)snprintf(out, size, "  PID  PPID STATE      PRI NAME\n");
	for (int i = 0; i < NPROC && len < size; i++) {
		struct proc *p = &procs[i];
		if (p->state == PROC_UNUSED || !proc_is_process(p)) /* a process, not its threads */
			continue;
		len += (size_t)snprintf(out + len, size - len, " %4d %5d %-9s %4d %s\n", p->pid,
		                        p->parent ? p->parent->pid : 0, proc_state_name(p->state),
		                        p->nice, p->name);
	}
	return (int)MIN(len, size - 1);
}

/* /proc/PID/stat: Linux's 52 fields (fs/proc/array.c), those Sparrow does not have 0. */
static int gen_stat(struct proc *p, char *out, size_t size)
{
	uint64_t user, kernel;
	size_t vsize, pages;
	cpu_ticks(p, &user, &kernel);
	mem_use(p, &vsize, &pages);
	int ppid = p->parent ? p->parent->pid : 0;
	int n = snprintf(out, size,
	                 "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 %lu %lu %lu %lu %d %d 1 0 %lu %zu %zu "
	                 "%lu",
	                 p->pid, p->name, state_letter(p), ppid, p->pid, p->pid, user, kernel,
	                 p->cutime, p->cstime, 20 + p->nice, p->nice, p->start_tick, vsize, pages,
	                 RLIM_INFINITY);
	n += snprintf(out + n, size - (size_t)n,
	              " 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 %d\n",
	              p->state == PROC_ZOMBIE ? p->exit_status : 0);
	return MIN(n, (int)size - 1);
}

static int gen_status(struct proc *p, char *out, size_t size)
{
	static const char *const names[] = { "running", "sleeping", "zombie" };
	size_t vsize, pages;
	char s = state_letter(p);
	mem_use(p, &vsize, &pages);
	int n = snprintf(out, size,
	                 "Name:\t%s\nUmask:\t%04o\nState:\t%c (%s)\nTgid:\t%d\nNgid:\t0\nPid:\t%d\n"
	                 "PPid:\t%d\nTracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n"
	                 "FDSize:\t%d\nGroups:\t\nVmSize:\t%8zu kB\nVmRSS:\t%8zu kB\n"
	                 "Threads:\t1\nCpus_allowed:\t1\nCpus_allowed_list:\t0\n",
	                 p->name, p->umask, s,
	                 names[s == 'R'   ? 0
	                       : s == 'S' ? 1
	                                  : 2],
	                 proc_tgid(p), p->pid, p->parent ? p->parent->pid : 0,
	                 p->files ? p->files->limit : 0, vsize / 1024, pages * (PGSIZE / 1024));
	return MIN(n, (int)size - 1);
}

static int gen_uptime(char *out, size_t size)
{
	uint64_t t = ticks;
	int n = snprintf(out, size, "%lu.%02lu 0.00\n", t / HZ, t % HZ * 100 / HZ);
	return MIN(n, (int)size - 1);
}

static int gen_meminfo(char *out, size_t size)
{
	int n = snprintf(out, size,
	                 "MemTotal:       %8zu kB\nMemFree:        %8zu kB\n"
	                 "MemAvailable:   %8zu kB\nBuffers:               0 kB\n"
	                 "Cached:                0 kB\nSwapTotal:             0 kB\n"
	                 "SwapFree:              0 kB\n",
	                 page_usable_count() * 4, page_free_count() * 4, page_free_count() * 4);
	return MIN(n, (int)size - 1);
}

/* Make the contents of a generated file into out: their length, or -ESRCH if its process
 * has gone. */
static int pf_generate(struct file *f, char *out, size_t size)
{
	void *data = f->node->dev_data;
	struct proc *p = NULL;

	switch (PF_KIND(data)) {
	case PF_PS:
		return gen_ps(out, size);
	case PF_UPTIME:
		return gen_uptime(out, size);
	case PF_MEMINFO:
		return gen_meminfo(out, size);
	case PF_MOUNTS:
		return snprintf(out, size, "ramfs / ramfs rw 0 0\nproc /proc proc rw 0 0\n");
	case PF_TEXT: {
		size_t n = MIN(f->node->size, size);
		memcpy(out, f->node->text, n);
		return (int)n;
	}
	default:
		if (!(p = pf_proc(data)))
			return -ESRCH;
		return PF_KIND(data) == PF_STAT ? gen_stat(p, out, size) : gen_status(p, out, size);
	}
}

static ssize_t pf_pread(struct file *f, void *buf, size_t n, off_t off)
{
	char *text = kmalloc(TEXT_MAX);
	if (!text)
		return -ENOMEM;
	ssize_t len = pf_generate(f, text, TEXT_MAX);
	if (len >= 0) {
		len = off >= len ? 0 : (ssize_t)MIN(n, (size_t)(len - off));
		memcpy(buf, text + off, (size_t)len);
	}
	kfree(text);
	return len;
}

static ssize_t pf_read(struct file *f, void *buf, size_t n)
{
	ssize_t r = pf_pread(f, buf, n, f->off);
	if (r > 0)
		f->off += r;
	return r;
}

static const struct file_ops pf_ops = {
	.read = pf_read,
	.pread = pf_pread,
};

/* ---- links ------------------------------------------------------------------------------ */

/* /proc/self: the reader's own directory. */
static int self_link(void *data, char *buf, size_t size)
{
	(void)data;
	int n = snprintf(buf, size, "%d", myproc() ? myproc()->pid : 0);
	return n < (int)size ? n : -ENAMETOOLONG;
}

/* /proc/PID/cwd: the process's working directory. */
static int cwd_link(void *data, char *buf, size_t size)
{
	struct proc *p = pf_proc(data);
	if (!p)
		return -ENOENT;
	return ramfs_path(p->cwd ? p->cwd : ramfs_root(), buf, size);
}

/* ---- the directories -------------------------------------------------------------------- */

/* A generated file (or, with kind PF_TEXT, one whose contents are set later). */
static struct inode *add_file(struct inode *dir, const char *name, enum pf_kind kind, int pid)
{
	struct inode *node = ramfs_add(dir, name, S_IFREG | 0444);
	if (node) {
		node->dev_ops = &pf_ops;
		node->dev_data = PF_DATA(kind, pid);
	}
	return node;
}

static struct inode *add_link(struct inode *dir, const char *name, void *data,
                              int (*fn)(void *data, char *buf, size_t size))
{
	struct inode *node = ramfs_add(dir, name, S_IFLNK | 0777);
	if (node) {
		node->dev_data = data;
		node->link_fn = fn;
	}
	return node;
}

/* The node /proc/PID/name, or NULL. */
static struct inode *pid_node(int pid, const char *name)
{
	char path[32];
	struct inode *node;
	snprintf(path, sizeof(path), "%d/%s", pid, name);
	if (!proc_dir || ramfs_lookup_link(proc_dir, path, &node) < 0)
		return NULL;
	return node;
}

/* Replace the text of node (cmdline, or exe's target) with len bytes of text. */
static void set_text(struct inode *node, const char *text, size_t len)
{
	char *copy = node ? kmalloc(len + 1) : NULL;
	if (!copy)
		return; /* out of memory: the old contents stay */
	memcpy(copy, text, len);
	copy[len] = '\0';
	kfree(node->text);
	node->text = copy;
	node->size = len;
}

static void proc_made(struct proc *p)
{
	char name[16];
	int pid = p->pid;
	p->start_tick = ticks;
	if (!proc_dir)
		return;
	snprintf(name, sizeof(name), "%d", pid);
	struct inode *dir = ramfs_add(proc_dir, name, S_IFDIR | 0555);
	if (!dir || !add_file(dir, "stat", PF_STAT, pid) ||
	    !add_file(dir, "status", PF_STATUS, pid) || !add_file(dir, "cmdline", PF_TEXT, pid) ||
	    !add_link(dir, "cwd", PF_DATA(0, pid), cwd_link)) {
		ramfs_remove(proc_dir,
		             name); /* out of memory: no directory rather than half of one */
		return;
	}
	struct inode *exe = ramfs_add(dir, "exe", S_IFLNK | 0777);
	if (!exe)
		ramfs_remove(proc_dir, name);
}

static void proc_freed(struct proc *p)
{
	char name[16];
	snprintf(name, sizeof(name), "%d", p->pid);
	if (proc_dir)
		ramfs_remove(proc_dir, name);
}

void procfs_fork(struct proc *child, struct proc *parent)
{
	struct inode *from, *to;
	static const char *const names[] = { "cmdline", "exe" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if ((from = pid_node(parent->pid, names[i])) &&
		    (to = pid_node(child->pid, names[i])) && from->text)
			set_text(to, from->text, from->size);
	}
}

void procfs_exec(struct proc *p, const char *path, char *const argv[])
{
	struct inode *cmdline = pid_node(p->pid, "cmdline"), *exe = pid_node(p->pid, "exe");
	char *buf = kmalloc(TEXT_MAX);
	if (!buf)
		return;
	size_t len = 0;
	for (int i = 0; argv[i] && len < TEXT_MAX; i++) {
		size_t n = MIN(strlen(argv[i]) + 1, TEXT_MAX - len);
		memcpy(buf + len, argv[i], n);
		len += n;
	}
	if (cmdline)
		set_text(cmdline, buf, len);
	int r = ramfs_realpath(p->cwd, path, buf, TEXT_MAX);
	if (exe && r > 0)
		set_text(exe, buf, (size_t)r);
	kfree(buf);
}

void procfs_init(void)
{
	struct inode *ps;
	if (ramfs_mkdir(NULL, "/proc", 0555) < 0 || ramfs_lookup(NULL, "/proc", &proc_dir) < 0) {
		printk("procfs: could not make /proc\n");
		return;
	}
	proc_dir->dev = FS_DEV_PROC;
	ps = add_file(proc_dir, "ps", PF_PS, 0);
	if (!ps || !add_file(proc_dir, "uptime", PF_UPTIME, 0) ||
	    !add_file(proc_dir, "meminfo", PF_MEMINFO, 0) ||
	    !add_file(proc_dir, "mounts", PF_MOUNTS, 0) ||
	    !add_link(proc_dir, "self", NULL, self_link))
		printk("procfs: could not make /proc's files\n");
	proc_made_hook = proc_made;
	proc_freed_hook = proc_freed;
}
