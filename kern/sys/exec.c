/*
 * Running programs: those the kernel starts itself (the init= program, the monitor's run
 * command) and execve (lab 5), which replaces the running program. Both find the program
 * the same way (image_open), load it into a new address space with exec_load and install
 * it with exec_commit (kern/proc/exec.c). execve keeps the old image until the new one is
 * built, so a failed exec returns an error to the old program, intact.
 */
#include <errno.h>
#include <string.h>
#include <x86.h>
#include <memlayout.h>
#include "core/cmdline.h"
#include "core/cpu.h"
#include "core/panic.h"
#include "core/printk.h"
#include "fs/devices.h"
#include "fs/fdtable.h"
#include "mm/kas.h"
#include "mm/page.h"
#include "mm/uvm.h"
#include "proc/exec.h"
#include "proc/proc.h"
#include "proc/uaccess.h"
#if LAB >= 7
#include "sys/clone.h"
#endif
#include "sys/exec.h"
#include "sys/syscall.h"
#if LAB >= 4
#include "sched/sched.h"
#endif
#if LAB >= 5
#include "fs/fs.h"
#include "sys/procfs.h"
#else
#include "fs/initrd.h"
#endif

/* ---- finding a program ------------------------------------------------------------------ */

#if LAB >= 5
/* The file execve loads: its pages mapped contiguously at EXECBUF (a hole as a zero page),
 * so the loader reads one image. */
static long image_open(struct inode *cwd, const char *path, const void **img, size_t *size)
{
	static const char zero[PGSIZE] __attribute__((aligned(PGSIZE))); /* what a hole reads */
	struct inode *node;

	long r = ramfs_lookup(cwd, path, &node);
	if (r < 0)
		return r;
	if (!S_ISREG(node->mode))
		return -EACCES;
	if (node->size > EXECBUF_SIZE)
		return -ENOEXEC;
	for (size_t pn = 0; pn * PGSIZE < node->size; pn++) {
		const void *data = ramfs_page(node, pn);
		physaddr_t pa = data ? V2P(data) : KV2P(zero);
		if (vm_map(kern_pml4, EXECBUF + pn * PGSIZE, pa, PGSIZE, PTE_NX) < 0) {
			vm_unmap(kern_pml4, EXECBUF, pn * PGSIZE);
			return -ENOMEM;
		}
	}
	*img = (const void *)EXECBUF;
	*size = node->size;
	return 0;
}

static void image_close(size_t size)
{
	vm_unmap(kern_pml4, EXECBUF, ROUNDUP(size, PGSIZE));
}
#else
/* Labs 3 and 4 have no file system: programs are read from the ramdisk's archive. */
static long image_open(struct inode *cwd, const char *path, const void **img, size_t *size)
{
	(void)cwd;
	return initrd_lookup(path, img, size);
}

static void image_close(size_t size)
{
	(void)size;
}
#endif

/* ---- programs the kernel starts ---------------------------------------------------------- */

/* Descriptors 0, 1 and 2 on the console, as every process the kernel starts gets them. */
static struct fdtable *console_fds(void)
{
	struct fdtable *t = fdtable_create();
	struct file *con = t ? console_open(O_RDWR) : NULL;
	if (!con || fd_alloc(t, con, 0, false) != 0 || fd_alloc(t, file_dup(con), 0, false) != 1 ||
	    fd_alloc(t, file_dup(con), 0, false) != 2) {
		if (t)
			fdtable_destroy(t);
		return NULL;
	}
	return t;
}

struct proc *spawn(const char *path, char *const argv[], struct proc *parent, long *err)
{
	static char token_env[80];
	char *envp[] = { "PATH=/bin", "HOME=/", NULL, NULL };
	const char *why = "", *token = cmdline_get("token");
	const void *img;
	size_t size;
	struct exec_result res;

	if (token && *token) {
		strlcpy(token_env, "SPARROW_TOKEN=", sizeof(token_env));
		strlcpy(token_env + strlen(token_env), token,
		        sizeof(token_env) - strlen(token_env));
		envp[2] = token_env;
	}
	if ((*err = image_open(NULL, path, &img, &size)) < 0) {
		printk("exec %s: no such program\n", path);
		return NULL;
	}
	struct proc *p = proc_alloc(err);
	struct mm *mm = p ? mm_create() : NULL;
	if (!mm) {
		printk("exec %s: no room for a new process\n", path);
		image_close(size);
		if (p)
			proc_free(p);
		return NULL;
	}
	*err = exec_load(mm, img, size, argv, envp, &res, &why);
	image_close(size);
	if (*err == 0 && !(p->files = console_fds()))
		*err = -ENOMEM;
	if (*err < 0) {
		printk("exec %s: refused: %s\n", path, *err == -ENOMEM ? "out of memory" : why);
		mm_destroy(mm);
		proc_free(p);
		return NULL;
	}
	exec_commit(p, mm, &res, path);
	p->parent = parent;
#if LAB >= 5
	proc_limits_init(p);
	procfs_exec(p, path, argv);
#endif
	proc_set_state(p, PROC_RUNNABLE);
	return p;
}

#if LAB >= 4
void run_processes(void)
{
	scheduler();
}
#else
void run_processes(void)
{
	/* Lab 3 runs one program at a time: the one process there is, until it exits. */
	struct cpu *c = mycpu();
	struct proc *p = NULL;

	for (int i = 0; i < NPROC && !p; i++)
		if (procs[i].state == PROC_RUNNABLE)
			p = &procs[i];
	if (!p)
		return;
	proc_set_state(p, PROC_RUNNING);
	c->proc = p;
	cpu_set_kstack(p->kstack);
	lcr3(V2P(p->mm->pml4));
	wrmsr(MSR_FS_BASE, p->fs_base);
	swtch(&c->scheduler, p->context);

	/* p has exited. */
	lcr3(V2P(kern_pml4));
	c->proc = NULL;
	proc_free(p);
}
#endif

#if LAB >= 5
/* ---- execve ---------------------------------------------------------------------------- */

#define EXECARGS  (EXECBUF + EXECBUF_SIZE) /* the copied-in strings, mapped contiguously */
#define EXECVEC   (EXECARGS + ARG_MAX)     /* then the argv and envp pointers */
#define VEC_SLOTS (MAX_ARGS + 2)           /* both lists, each NULL-terminated */
#define EXEC_END  ROUNDUP(EXECVEC + VEC_SLOTS * sizeof(char *), PGSIZE)

void exec_init(void)
{
	/* The page tables of the windows execve maps files and arguments into are made now,
	 * once: kernel page tables are never freed, and execve should not need memory for
	 * them later (free memory is then the same before and after any execve). */
	for (uintptr_t va = EXECBUF; va < EXEC_END; va += PGSIZE_2M) {
		int level;
		if (!pt_walk(kern_pml4, va, 1, true, &level))
			panic("exec_init: no memory for the exec windows' page tables");
	}
}

/*
 * Copied-in argument and environment strings, packed one after the other at EXECARGS (a
 * string may span pages), and the vector of pointers to them at EXECVEC. Pages are mapped
 * as they fill, so a small exec uses two.
 */
struct args {
	size_t used;   /* bytes of strings */
	size_t mapped; /* bytes of string pages mapped */
	int n;         /* vector entries */
	int vec_pages;
};

static long map_more(uintptr_t va)
{
	struct page *pp = page_alloc(0);
	if (!pp)
		return -ENOMEM;
	if (vm_map(kern_pml4, va, page2pa(pp), PGSIZE, PTE_W | PTE_NX) < 0) {
		page_free(pp);
		return -ENOMEM;
	}
	pp->refcount = 1; /* the mapping holds no reference (vm_map): this one is ours */
	return 0;
}

static void args_free(struct args *a)
{
	for (size_t off = 0; off < a->mapped; off += PGSIZE)
		page_decref(pa2page(vm_translate(kern_pml4, EXECARGS + off)));
	for (int i = 0; i < a->vec_pages; i++)
		page_decref(pa2page(vm_translate(kern_pml4, EXECVEC + (uintptr_t)i * PGSIZE)));
	vm_unmap(kern_pml4, EXECARGS, a->mapped);
	vm_unmap(kern_pml4, EXECVEC, (size_t)a->vec_pages * PGSIZE);
}

/* Append a vector entry. */
static long add_entry(struct args *a, char *s)
{
	char **vec = (char **)EXECVEC;
	if (a->n == VEC_SLOTS)
		return -E2BIG;
	if ((size_t)(a->n + 1) * sizeof(char *) > (size_t)a->vec_pages * PGSIZE) {
		if (map_more(EXECVEC + (uintptr_t)a->vec_pages * PGSIZE) < 0)
			return -ENOMEM;
		a->vec_pages++;
	}
	vec[a->n++] = s;
	return 0;
}

/* Copy the user string at ustr into the strings area; its kernel address in *out. */
static long copy_string(struct args *a, uintptr_t ustr, char **out)
{
	char *base = (char *)EXECARGS;
	size_t start = a->used;
	for (;;) {
		if (a->used == ARG_MAX)
			return -E2BIG;
		if (a->used == a->mapped) {
			if (map_more(EXECARGS + a->mapped) < 0)
				return -ENOMEM;
			a->mapped += PGSIZE;
		}
		size_t room = a->mapped - a->used;
		long n = strncpy_from_user(base + a->used, ustr + (a->used - start), room);
		if (n >= 0) {
			a->used += (size_t)n + 1;
			*out = base + start;
			return 0;
		}
		if (n != -ENAMETOOLONG)
			return n;
		a->used += room; /* no NUL yet: the string goes on in the next page */
	}
}

/* Copy the NULL-terminated array of user strings at uvec, and its NULL. */
static long copy_strings(struct args *a, uintptr_t uvec)
{
	for (int i = 0; uvec; i++) {
		uintptr_t ustr;
		char *s;
		if (copy_from_user(&ustr, uvec + (uintptr_t)i * sizeof(ustr), sizeof(ustr)) < 0)
			return -EFAULT;
		if (!ustr)
			break;
		long r = copy_string(a, ustr, &s);
		if (r == 0)
			r = add_entry(a, s);
		if (r < 0)
			return r;
	}
	return add_entry(a, NULL);
}

long sys_execve(const long a[6])
{
	struct proc *p = myproc();
	struct args args = { 0 };
	struct exec_result res;
	const char *why = "";
	const void *img = NULL;
	size_t size = 0;
	char *path;
	long r;

	r = copy_string(&args, (uintptr_t)a[0], &path);
	if (r == -E2BIG)
		r = -ENAMETOOLONG;
	if (r == 0 && strlen(path) >= PATH_MAX)
		r = -ENAMETOOLONG;
	if (r == 0)
		r = copy_strings(&args, (uintptr_t)a[1]);
	int envp = args.n;
	if (r == 0)
		r = copy_strings(&args, (uintptr_t)a[2]);
	if (args.n - 2 > MAX_ARGS)
		r = -E2BIG;
	if (r == 0)
		r = image_open(p->cwd, path, &img, &size);
#if LAB >= 7
	if (r == 0)
		r = thread_exec_alone(p); /* lab 7: the other threads end; p is the process */
#endif
	if (r < 0)
		goto out;
	char **vec = (char **)EXECVEC;

	// LAB 5: The arguments are copied in (vec: argv, then envp from vec + envp) and the
	// file is readable at img[0..size). Build the new program in a fresh address space
	// (mm_create) with exec_load. If that fails, destroy the new address space and return
	// its error (in r): the old program must go on, untouched. Otherwise install it with
	// exec_commit(p, mm, &res, path), which starts the registers afresh and returns the
	// old address space: destroy that one, close the descriptors marked close-on-exec
	// (fdtable_exec(p->files)), and set r = 0 (the new program starts with rax = 0).
	//= BEGIN LAB 5
	struct mm *mm = mm_create();
	if (!mm) {
		r = -ENOMEM;
		goto out;
	}
	r = exec_load(mm, img, size, vec, vec + envp, &res, &why);
	if (r < 0) {
		mm_destroy(mm);
		goto out;
	}
	mm_destroy(exec_commit(p, mm, &res, path));
	fdtable_exec(p->files);
	r = 0;
	//= STUB
	//= (void)res, (void)why, (void)vec, (void)envp;
	//= r = -ENOSYS;
	//= END
	if (r == 0)
		procfs_exec(p, path, vec); /* /proc/PID/cmdline and exe */
#if LAB >= 7
	if (r == 0)
		clone_exec_done(p); /* lab 7: a vfork parent goes on */
#endif
out:
	if (img)
		image_close(size);
	args_free(&args);
	return r;
}
#endif
