/*
 * ramfs: the in-memory directory tree (lab 5). Nodes and directory entries come from
 * kmalloc, file data from whole pages; paths are resolved here, relative to a directory.
 */
#include <errno.h>
#include <string.h>
#include "core/panic.h"
#include "core/printk.h"
#include "fs/cpio.h"
#include "fs/fs.h"
#include "mm/kmalloc.h"
#include "mm/page.h"

#define PTRS_PER_PAGE (PGSIZE / sizeof(void *)) /* 512 pointers in a map or index page */

static struct inode *root;
static uint32_t next_ino = 1;

void (*fs_clock_hook)(struct timespec *now);

void ramfs_now(struct timespec *ts)
{
	ts->tv_sec = ts->tv_nsec = 0;
	if (fs_clock_hook)
		fs_clock_hook(ts);
}

/* ---- nodes ------------------------------------------------------------------------------ */

/* A new node of the given mode with no name yet (nlink 0, refs 0), or NULL. */
static struct inode *node_alloc(uint32_t mode)
{
	struct inode *node = kmalloc(sizeof(*node));
	if (!node)
		return NULL;
	memset(node, 0, sizeof(*node));
	node->ino = next_ino++;
	node->mode = mode;
	node->dev = FS_DEV_ROOT;
	ramfs_now(&node->atime);
	node->mtime = node->ctime = node->atime;
	return node;
}

static void data_free(struct inode *node);

/* Free node if nothing names it and nothing holds it. */
static void node_maybe_free(struct inode *node)
{
	if (node->nlink > 0 || node->refs > 0)
		return;
	if (S_ISREG(node->mode))
		data_free(node);
	kfree(node->text);
	kfree(node);
}

/* The node's data changed (mtime and ctime), or only its attributes (ctime). */
static void touch_data(struct inode *node)
{
	ramfs_now(&node->mtime);
	node->ctime = node->mtime;
}

static void touch_attr(struct inode *node)
{
	ramfs_now(&node->ctime);
}

void inode_get(struct inode *node)
{
	node->refs++;
}

void inode_put(struct inode *node)
{
	if (node->refs == 0)
		panic("inode_put: inode %u holds no reference", node->ino);
	node->refs--;
	node_maybe_free(node);
}

/* ---- file data -------------------------------------------------------------------------- */

/* The data page holding byte offset off, or NULL if there is none; with create, allocate
 * the page (zeroed) and the index pages on the way, NULL only when memory runs out. */
static char *data_page(struct inode *node, size_t off, bool create)
{
	size_t pn = off / PGSIZE;
	size_t hi = pn / PTRS_PER_PAGE, lo = pn % PTRS_PER_PAGE;

	if (!node->map) {
		if (!create || !(node->map = kpage_alloc(ALLOC_ZERO)))
			return NULL;
	}
	if (!node->map[hi]) {
		if (!create || !(node->map[hi] = kpage_alloc(ALLOC_ZERO)))
			return NULL;
	}
	if (!node->map[hi][lo] && create)
		node->map[hi][lo] = kpage_alloc(ALLOC_ZERO);
	return node->map[hi][lo];
}

const void *ramfs_page(struct inode *node, size_t pn)
{
	return data_page(node, pn * PGSIZE, false);
}

#if LAB >= 7
void *ramfs_page_make(struct inode *node, size_t pn)
{
	return data_page(node, pn * PGSIZE, true);
}

struct inode *ramfs_unnamed(size_t size)
{
	struct inode *node = node_alloc(S_IFREG | 0600);
	if (node)
		node->size = size;
	return node;
}
#endif

/* Free the data pages from page number first on, and the index pages left empty. */
static void data_free_from(struct inode *node, size_t first)
{
	if (!node->map)
		return;
	for (size_t hi = 0; hi < PTRS_PER_PAGE; hi++) {
		void **index = node->map[hi];
		if (!index)
			continue;
		size_t base = hi * PTRS_PER_PAGE;
		for (size_t lo = 0; lo < PTRS_PER_PAGE; lo++) {
			if (base + lo >= first && index[lo]) {
				kpage_free(index[lo]);
				index[lo] = NULL;
			}
		}
		if (base >= first) {
			kpage_free(index);
			node->map[hi] = NULL;
		}
	}
	if (first == 0) {
		kpage_free(node->map);
		node->map = NULL;
	}
}

static void data_free(struct inode *node)
{
	data_free_from(node, 0);
	node->size = 0;
}

ssize_t ramfs_read(struct inode *node, void *buf, size_t n, off_t off)
{
	if (!S_ISREG(node->mode))
		return S_ISDIR(node->mode) ? -EISDIR : -EINVAL;
	if (off < 0)
		return -EINVAL;
	if ((size_t)off >= node->size)
		return 0;
	n = MIN(n, node->size - (size_t)off);
	for (size_t done = 0; done < n;) {
		size_t pos = (size_t)off + done;
		size_t chunk = MIN(n - done, PGSIZE - pos % PGSIZE);
		char *page = data_page(node, pos, false);
		if (page)
			memcpy((char *)buf + done, page + pos % PGSIZE, chunk);
		else
			memset((char *)buf + done, 0, chunk); /* a hole */
		done += chunk;
	}
	return (ssize_t)n;
}

ssize_t ramfs_write(struct inode *node, const void *buf, size_t n, off_t off)
{
	if (!S_ISREG(node->mode))
		return S_ISDIR(node->mode) ? -EISDIR : -EINVAL;
	if (off < 0)
		return -EINVAL;
	if (off >= FS_MAX_FILE)
		return n ? -EFBIG : 0;
	n = MIN(n, (size_t)(FS_MAX_FILE - off));
	size_t done = 0;
	while (done < n) {
		size_t pos = (size_t)off + done;
		size_t chunk = MIN(n - done, PGSIZE - pos % PGSIZE);
		char *page = data_page(node, pos, true);
		if (!page)
			break;
		memcpy(page + pos % PGSIZE, (const char *)buf + done, chunk);
		done += chunk;
	}
	if (done == 0 && n > 0)
		return -ENOMEM;
	node->size = MAX(node->size, (size_t)off + done);
	if (done)
		touch_data(node);
	return (ssize_t)done;
}

int ramfs_truncate(struct inode *node, off_t size)
{
	if (size < 0)
		return -EINVAL;
	if (S_ISDIR(node->mode))
		return -EISDIR;
	if (!S_ISREG(node->mode))
		return -EINVAL;
	if (size > FS_MAX_FILE)
		return -EFBIG;
	if ((size_t)size < node->size) {
		/* Bytes past the end stay zero, so a file that grows again reads zeros there. */
		char *page = data_page(node, (size_t)size, false);
		if (page && size % PGSIZE)
			memset(page + size % PGSIZE, 0, PGSIZE - size % PGSIZE);
		data_free_from(node, ROUNDUP((size_t)size, PGSIZE) / PGSIZE);
	}
	node->size = (size_t)size;
	touch_data(node);
	return 0;
}

/* ---- directories ------------------------------------------------------------------------ */

static bool is_dot(const char *name, size_t len)
{
	return len == 1 && name[0] == '.';
}

static bool is_dotdot(const char *name, size_t len)
{
	return len == 2 && name[0] == '.' && name[1] == '.';
}

/* The node named name (len bytes) in directory dir. */
static int dir_lookup(struct inode *dir, const char *name, size_t len, struct inode **out)
{
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (dir->nlink == 0)
		return -ENOENT; /* a removed directory is empty, even of "." and ".." */
	if (is_dot(name, len)) {
		*out = dir;
		return 0;
	}
	if (is_dotdot(name, len)) {
		*out = dir->parent;
		return 0;
	}
	for (struct fs_entry *e = dir->entries; e; e = e->next) {
		if (strncmp(e->name, name, len) == 0 && e->name[len] == '\0') {
			*out = e->node;
			return 0;
		}
	}
	return -ENOENT;
}

/* Add the name to dir for node (the name must not be there yet). */
static int dir_add(struct inode *dir, const char *name, struct inode *node)
{
	size_t len = strlen(name);
	struct fs_entry *e = kmalloc(sizeof(*e) + len + 1);
	if (!e)
		return -ENOMEM;
	memcpy(e->name, name, len + 1);
	e->node = node;
	e->next = NULL;
	struct fs_entry **pp = &dir->entries;
	while (*pp)
		pp = &(*pp)->next;
	*pp = e;
	dir->size++;
	node->nlink++;
	if (S_ISDIR(node->mode)) {
		node->parent = dir;
		dir->nlink++; /* the child's ".." */
	}
	touch_data(dir);
	touch_attr(node);
	return 0;
}

/* The entry of dir called name, and the link to it (for removing it), or NULL. */
static struct fs_entry **dir_entry(struct inode *dir, const char *name)
{
	for (struct fs_entry **pp = &dir->entries; *pp; pp = &(*pp)->next)
		if (strcmp((*pp)->name, name) == 0)
			return pp;
	return NULL;
}

/* Take the entry *pp out of dir, its node keeping its links (rename moves it). */
static struct inode *dir_take(struct inode *dir, struct fs_entry **pp)
{
	struct fs_entry *e = *pp;
	struct inode *node = e->node;
	*pp = e->next;
	kfree(e);
	dir->size--;
	if (S_ISDIR(node->mode))
		dir->nlink--;
	touch_data(dir);
	return node;
}

/* Remove the name from dir and drop the link; frees the node if it was the last. */
static void dir_remove(struct inode *dir, const char *name)
{
	struct fs_entry **pp = dir_entry(dir, name);
	if (!pp)
		return;
	struct inode *node = dir_take(dir, pp);
	if (S_ISDIR(node->mode)) {
		node->nlink = 0; /* its own "." goes with its name */
		node->parent = NULL;
	} else {
		node->nlink--;
		touch_attr(node);
	}
	node_maybe_free(node);
}

int ramfs_readdir(struct inode *dir, size_t index, struct fs_dirent *de)
{
	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (dir->nlink == 0)
		return 0;
	if (index < 2) {
		struct inode *n = index == 0 ? dir : dir->parent;
		de->ino = n->ino;
		de->type = DT_DIR;
		strlcpy(de->name, index == 0 ? "." : "..", sizeof(de->name));
		return 1;
	}
	struct fs_entry *e = dir->entries;
	for (size_t i = 2; e && i < index; i++)
		e = e->next;
	if (!e)
		return 0;
	uint32_t mode = e->node->mode;
	de->ino = e->node->ino;
	de->type = S_ISDIR(mode) ? DT_DIR : S_ISREG(mode) ? DT_REG : S_ISCHR(mode) ? DT_CHR : 0;
	if (S_ISLNK(mode))
		de->type = DT_LNK;
	strlcpy(de->name, e->name, sizeof(de->name));
	return 1;
}

void ramfs_stat(struct inode *node, struct kstat *st)
{
	size_t pages = 0;
	for (size_t hi = 0; node->map && hi < PTRS_PER_PAGE; hi++) {
		for (size_t lo = 0; node->map[hi] && lo < PTRS_PER_PAGE; lo++)
			pages += node->map[hi][lo] != NULL;
	}
	st->dev = node->dev;
	st->ino = node->ino;
	st->mode = node->mode;
	st->nlink = node->nlink;
	st->rdev = node->rdev;
	st->size = node->dev_ops && S_ISREG(node->mode) ? 0 : node->size; /* /proc: 0, as Linux */
	st->blocks = pages * (PGSIZE / 512);
	st->atime = node->atime;
	st->mtime = node->mtime;
	st->ctime = node->ctime;
}

/* ---- paths ------------------------------------------------------------------------------ */

#define WALK_PARENT   0x1 /* stop before the last name */
#define WALK_NOFOLLOW 0x2 /* a last name that is a symbolic link gives the link */

/* Write the target of the symbolic link node into buf (size bytes, NUL-terminated): its
 * length, or an error. */
static int link_target(struct inode *node, char *buf, size_t size)
{
	if (node->link_fn)
		return node->link_fn(node->dev_data, buf, size);
	if (node->size >= size)
		return -ENAMETOOLONG;
	memcpy(buf, node->text, node->size + 1);
	return (int)node->size;
}

/*
 * Walk path from cwd. With WALK_PARENT, stop before the last name: *out is the directory
 * that would hold it and last receives the name ("." for a path of slashes only, such as
 * "/"); otherwise *out is the node the whole path names. *slash tells whether the path
 * ended with '/'. A symbolic link met on the way is replaced by its target: the rest of the
 * path is appended to the target, in one of two buffers taken turn about (the rest may be
 * in the other), and the walk goes on from the directory that holds the link.
 */
static int walk(struct inode *cwd, const char *path, int flags, struct inode **out, char *last,
                bool *slash)
{
	char *bufs[2] = { NULL, NULL };
	int links = 0, r;

	if (path[0] == '\0')
		return -ENOENT;
	if (strnlen(path, PATH_MAX) >= PATH_MAX)
		return -ENAMETOOLONG;
	struct inode *node = path[0] == '/' || !cwd ? root : cwd;
	const char *p = path;
	*slash = false;

	while (*p == '/')
		p++;
	if (*p == '\0') {
		*slash = true;
		if (flags & WALK_PARENT)
			strlcpy(last, ".", NAME_MAX + 1);
		*out = node;
		return 0;
	}
	for (;;) {
		const char *name = p;
		while (*p && *p != '/')
			p++;
		size_t len = (size_t)(p - name);
		const char *after = p; /* the slashes and the rest, for a link's target */
		while (*p == '/') {
			p++;
			*slash = true;
		}
		bool final = *p == '\0';
		if (len > NAME_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		if (final && (flags & WALK_PARENT)) {
			r = -ENOTDIR;
			if (!S_ISDIR(node->mode))
				break;
			memcpy(last, name, len);
			last[len] = '\0';
			*out = node;
			r = 0;
			break;
		}
		struct inode *dir = node;
		if ((r = dir_lookup(dir, name, len, &node)) < 0)
			break;
		if (S_ISLNK(node->mode) && (!final || *slash || !(flags & WALK_NOFOLLOW))) {
			char **next = &bufs[links % 2];
			r = -ELOOP;
			if (++links > FS_MAX_LINKS)
				break;
			r = -ENOMEM;
			if (!*next && !(*next = kmalloc(PATH_MAX)))
				break;
			if ((r = link_target(node, *next, PATH_MAX)) < 0)
				break;
			size_t tlen = (size_t)r, rest = strlen(after);
			r = tlen == 0 ? -ENOENT : -ENAMETOOLONG;
			if (tlen == 0 || tlen + rest >= PATH_MAX)
				break;
			memcpy(*next + tlen, after, rest + 1);
			p = *next;
			node = *p == '/' ? root : dir;
			*slash = false;
			while (*p == '/')
				p++;
			if (*p == '\0') { /* a link to "/" */
				*slash = true;
				*out = node;
				r = 0;
				break;
			}
			continue;
		}
		if (final) {
			r = -ENOTDIR;
			if (*slash && !S_ISDIR(node->mode))
				break;
			*out = node;
			r = 0;
			break;
		}
		*slash = false;
	}
	kfree(bufs[0]);
	kfree(bufs[1]);
	return r;
}

int ramfs_lookup(struct inode *cwd, const char *path, struct inode **out)
{
	bool slash;
	return walk(cwd, path, 0, out, NULL, &slash);
}

int ramfs_lookup_link(struct inode *cwd, const char *path, struct inode **out)
{
	bool slash;
	return walk(cwd, path, WALK_NOFOLLOW, out, NULL, &slash);
}

/* Make a new node of mode at path; *out (may be NULL) is the node. */
static int make_node(struct inode *cwd, const char *path, uint32_t mode, struct inode **out)
{
	char name[NAME_MAX + 1];
	struct inode *dir, *old;
	bool slash;

	int r = walk(cwd, path, WALK_PARENT, &dir, name, &slash);
	if (r < 0)
		return r;
	if (dir->nlink == 0)
		return -ENOENT; /* nothing can be made in a removed directory */
	r = dir_lookup(dir, name, strlen(name), &old);
	if (r == 0)
		return -EEXIST;
	if (r != -ENOENT)
		return r;
	if (dir->dev == FS_DEV_PROC)
		return -ENOENT; /* /proc has the kernel's names only (Linux says the same) */
	if (slash && !S_ISDIR(mode))
		return -EISDIR; /* "newfile/" can only name a directory */
	struct inode *node = node_alloc(mode);
	if (!node)
		return -ENOMEM;
	if (S_ISDIR(mode)) {
		node->nlink = 1; /* its own "."; the name in dir adds the other */
		node->size = 2;  /* "." and ".." */
	}
	r = dir_add(dir, name, node);
	if (r < 0) {
		kfree(node);
		return r;
	}
	if (out)
		*out = node;
	return 0;
}

int ramfs_create(struct inode *cwd, const char *path, uint32_t perm, struct inode **out)
{
	return make_node(cwd, path, S_IFREG | (perm & 07777), out);
}

int ramfs_mkdir(struct inode *cwd, const char *path, uint32_t perm)
{
	return make_node(cwd, path, S_IFDIR | (perm & 07777), NULL);
}

int ramfs_mknod(struct inode *cwd, const char *path, uint32_t mode, const struct file_ops *ops,
                void *data)
{
	struct inode *node;
	if (!S_ISCHR(mode) || !ops)
		return -EINVAL;
	int r = make_node(cwd, path, mode, &node);
	if (r < 0)
		return r;
	node->dev_ops = ops;
	node->dev_data = data;
	return 0;
}

int ramfs_symlink(struct inode *cwd, const char *path, const char *target)
{
	struct inode *node;
	size_t len = strlen(target);
	if (len == 0)
		return -ENOENT;
	char *copy = kmalloc(len + 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, target, len + 1);
	int r = make_node(cwd, path, S_IFLNK | 0777, &node);
	if (r < 0) {
		kfree(copy);
		return r;
	}
	node->text = copy;
	node->size = len;
	return 0;
}

int ramfs_readlink(struct inode *node, char *buf, size_t size)
{
	char *target = kmalloc(PATH_MAX);
	if (!S_ISLNK(node->mode)) {
		kfree(target);
		return -EINVAL;
	}
	if (!target)
		return -ENOMEM;
	int r = link_target(node, target, PATH_MAX);
	if (r >= 0) {
		r = MIN(r, (int)MIN(size, (size_t)PATH_MAX));
		memcpy(buf, target, (size_t)r);
	}
	kfree(target);
	return r;
}

int ramfs_realpath(struct inode *cwd, const char *path, char *buf, size_t size)
{
	char name[NAME_MAX + 1];
	struct inode *dir = NULL, *node = NULL;
	bool slash;
	int r = -ENOMEM, links = 0;
	char *p = kmalloc(PATH_MAX);

	if (p) {
		strlcpy(p, path, PATH_MAX);
		r = -ELOOP;
	}
	/* Replace a last name that is a link by its target, from the link's directory. */
	while (p && links++ <= FS_MAX_LINKS) {
		if ((r = walk(cwd, p, WALK_PARENT, &dir, name, &slash)) < 0)
			break;
		if ((r = dir_lookup(dir, name, strlen(name), &node)) < 0 || !S_ISLNK(node->mode))
			break;
		if ((r = link_target(node, p, PATH_MAX)) < 0)
			break;
		cwd = dir;
		r = -ELOOP;
	}
	kfree(p);
	if (r < 0)
		return r;
	if (S_ISDIR(node->mode))
		return ramfs_path(node, buf, size);
	if ((r = ramfs_path(dir, buf, size)) < 0)
		return r;
	size_t len = (size_t)r, nl = strlen(name);
	if (len > 1)
		buf[len++] = '/'; /* (the root's path is "/" already) */
	if (len + nl + 1 > size)
		return -ERANGE;
	memcpy(buf + len, name, nl + 1);
	return (int)(len + nl);
}

/* The directory holding the last name of path, and the node it names (not following a
 * link there). */
static int lookup_last(struct inode *cwd, const char *path, struct inode **dir, struct inode **node,
                       char *name, bool *slash)
{
	int r = walk(cwd, path, WALK_PARENT, dir, name, slash);
	if (r < 0)
		return r;
	return dir_lookup(*dir, name, strlen(name), node);
}

int ramfs_unlink(struct inode *cwd, const char *path)
{
	char name[NAME_MAX + 1];
	struct inode *dir, *node;
	bool slash;

	int r = lookup_last(cwd, path, &dir, &node, name, &slash);
	if (r < 0)
		return r;
	if (S_ISDIR(node->mode))
		return -EISDIR;
	if (slash)
		return -ENOTDIR;
	if (dir->dev == FS_DEV_PROC)
		return -EPERM;
	dir_remove(dir, name);
	return 0;
}

int ramfs_rmdir(struct inode *cwd, const char *path)
{
	char name[NAME_MAX + 1];
	struct inode *dir, *node;
	bool slash;

	int r = lookup_last(cwd, path, &dir, &node, name, &slash);
	if (r < 0)
		return r;
	if (!S_ISDIR(node->mode))
		return -ENOTDIR;
	if (node == root)
		return -EBUSY;
	if (strcmp(name, ".") == 0)
		return -EINVAL;
	if (node->dev == FS_DEV_PROC)
		return -EPERM;
	if (node->entries || strcmp(name, "..") == 0)
		return -ENOTEMPTY; /* ".." names a directory holding at least this one */
	dir_remove(dir, name);
	return 0;
}

int ramfs_link(struct inode *node, struct inode *cwd, const char *path)
{
	char name[NAME_MAX + 1];
	struct inode *dir, *old;
	bool slash;

	int r = walk(cwd, path, WALK_PARENT, &dir, name, &slash);
	if (r < 0)
		return r;
	if (dir->nlink == 0)
		return -ENOENT;
	r = dir_lookup(dir, name, strlen(name), &old);
	if (r == 0)
		return -EEXIST;
	if (r != -ENOENT)
		return r;
	if (slash)
		return -ENOENT; /* as Linux: "new/" names a directory that is not there */
	if (dir->dev != node->dev)
		return -EXDEV;
	if (S_ISDIR(node->mode))
		return -EPERM;
	if (node->nlink >= 65000)
		return -EMLINK;
	return dir_add(dir, name, node);
}

/* Is dir `a` the directory d or one above it? */
static bool is_ancestor(struct inode *a, struct inode *d)
{
	for (;; d = d->parent) {
		if (d == a)
			return true;
		if (!d || d == root)
			return false;
	}
}

static bool is_dot_name(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* May node (named in dir) be replaced by a node like src, as rename's target? */
static int may_replace(struct inode *src, struct inode *node)
{
	if (S_ISDIR(src->mode) && !S_ISDIR(node->mode))
		return -ENOTDIR;
	if (!S_ISDIR(src->mode) && S_ISDIR(node->mode))
		return -EISDIR;
	if (node == root)
		return -EBUSY;
	return 0;
}

/* Move the node oldname names in olddir to newdir, as newname there, replacing what
 * newdir had under that name (another node). Memory for the new entry is taken first, so
 * a failure changes nothing. */
static int move(struct inode *olddir, const char *oldname, struct inode *newdir,
                const char *newname)
{
	size_t len = strlen(newname);
	struct fs_entry *e = kmalloc(sizeof(*e) + len + 1);
	if (!e)
		return -ENOMEM;
	dir_remove(newdir, newname);
	struct inode *node = dir_take(olddir, dir_entry(olddir, oldname));
	memcpy(e->name, newname, len + 1);
	e->node = node;
	e->next = NULL;
	struct fs_entry **tail = &newdir->entries;
	while (*tail)
		tail = &(*tail)->next;
	*tail = e;
	newdir->size++;
	if (S_ISDIR(node->mode)) {
		node->parent = newdir;
		newdir->nlink++;
	}
	touch_data(newdir);
	touch_attr(node);
	return 0;
}

int ramfs_rename(struct inode *oldcwd, const char *oldpath, struct inode *newcwd,
                 const char *newpath, unsigned int flags)
{
	char oldname[NAME_MAX + 1], newname[NAME_MAX + 1];
	struct inode *olddir, *newdir, *src, *dst = NULL;
	bool oldslash, newslash;
	int r;

	if (flags & ~(unsigned)(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT))
		return -EINVAL;
	if ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) && (flags & RENAME_EXCHANGE))
		return -EINVAL;
	if ((r = walk(oldcwd, oldpath, WALK_PARENT, &olddir, oldname, &oldslash)) < 0)
		return r;
	if ((r = walk(newcwd, newpath, WALK_PARENT, &newdir, newname, &newslash)) < 0)
		return r;
	if (olddir->dev != newdir->dev)
		return -EXDEV;
	if (is_dot_name(oldname))
		return -EBUSY; /* "." and "..", and "/" (which walk gives as ".") */
	if (is_dot_name(newname))
		return flags & RENAME_NOREPLACE ? -EEXIST : -EBUSY;
	if (flags & RENAME_WHITEOUT)
		return -EINVAL; /* whiteouts are for union file systems: not in Sparrow */
	if ((r = dir_lookup(olddir, oldname, strlen(oldname), &src)) < 0)
		return r;
	r = dir_lookup(newdir, newname, strlen(newname), &dst);
	if (r < 0 && r != -ENOENT)
		return r;
	if (r < 0)
		dst = NULL;
	if ((flags & RENAME_NOREPLACE) && dst)
		return -EEXIST;
	if (flags & RENAME_EXCHANGE) {
		if (!dst)
			return -ENOENT;
		if (!S_ISDIR(dst->mode) && newslash)
			return -ENOTDIR;
	}
	if (!S_ISDIR(src->mode) && (oldslash || (!(flags & RENAME_EXCHANGE) && newslash)))
		return -ENOTDIR;
	if (S_ISDIR(src->mode) && is_ancestor(src, newdir))
		return -EINVAL; /* a directory into itself */
	if (dst && S_ISDIR(dst->mode) && is_ancestor(dst, olddir))
		return flags & RENAME_EXCHANGE ? -EINVAL : -ENOTEMPTY;
	if (src == dst)
		return 0; /* two names of one node: nothing to do */
	if (olddir->dev == FS_DEV_PROC)
		return -EPERM;
	if (newdir->nlink == 0)
		return -ENOENT;
	if (flags & RENAME_EXCHANGE) {
		struct fs_entry **a = dir_entry(olddir, oldname), **b = dir_entry(newdir, newname);
		(*a)->node = dst;
		(*b)->node = src;
		int dsrc = S_ISDIR(src->mode), ddst = S_ISDIR(dst->mode);
		olddir->nlink = olddir->nlink + (uint32_t)ddst - (uint32_t)dsrc;
		newdir->nlink = newdir->nlink + (uint32_t)dsrc - (uint32_t)ddst;
		if (dsrc)
			src->parent = newdir;
		if (ddst)
			dst->parent = olddir;
		touch_data(olddir);
		touch_data(newdir);
		touch_attr(src);
		touch_attr(dst);
		return 0;
	}
	if (dst) {
		if ((r = may_replace(src, dst)) < 0)
			return r;
		if (S_ISDIR(dst->mode) && dst->entries)
			return -ENOTEMPTY;
	}
	return move(olddir, oldname, newdir, newname);
}

int ramfs_chmod(struct inode *node, uint32_t perm)
{
	if (node->dev == FS_DEV_PROC)
		return -EPERM;
	node->mode = (node->mode & S_IFMT) | (perm & 07777);
	touch_attr(node);
	return 0;
}

void ramfs_set_times(struct inode *node, const struct timespec *atime, const struct timespec *mtime)
{
	if (atime)
		node->atime = *atime;
	if (mtime)
		node->mtime = *mtime;
	touch_attr(node);
}

struct inode *ramfs_add(struct inode *dir, const char *name, uint32_t mode)
{
	struct inode *node = node_alloc(mode);
	if (!node)
		return NULL;
	node->dev = dir->dev;
	if (S_ISDIR(mode)) {
		node->nlink = 1;
		node->size = 2;
	}
	if (dir_add(dir, name, node) < 0) {
		kfree(node);
		return NULL;
	}
	return node;
}

/* Remove everything below dir (not dir itself). */
static void destroy_below(struct inode *dir)
{
	while (dir->entries) {
		struct inode *node = dir->entries->node;
		if (S_ISDIR(node->mode))
			destroy_below(node);
		dir_remove(dir, dir->entries->name);
	}
}

void ramfs_remove(struct inode *dir, const char *name)
{
	struct fs_entry **pp = dir_entry(dir, name);
	if (!pp)
		return;
	if (S_ISDIR((*pp)->node->mode))
		destroy_below((*pp)->node);
	dir_remove(dir, name);
}

int ramfs_path(struct inode *dir, char *buf, size_t size)
{
	size_t len; /* the path is built backwards: it is the last len bytes of buf */

	if (!S_ISDIR(dir->mode))
		return -ENOTDIR;
	if (dir->nlink == 0)
		return -ENOENT;
	if (size < 2)
		return -ERANGE;
	buf[size - 1] = '\0';
	len = 1;
	for (struct inode *n = dir; n != root; n = n->parent) {
		const struct fs_entry *e = n->parent->entries;
		while (e && e->node != n)
			e = e->next;
		size_t nl = strlen(e->name);
		if (len + nl + 1 > size)
			return -ERANGE;
		len += nl;
		memcpy(buf + size - len, e->name, nl);
		buf[size - ++len] = '/';
	}
	if (dir == root)
		buf[size - ++len] = '/';
	memmove(buf, buf + size - len, len);
	return (int)len - 1;
}

/* ---- the tree --------------------------------------------------------------------------- */

int ramfs_init(void)
{
	if (root)
		return 0;
	root = node_alloc(S_IFDIR | 0755);
	if (!root)
		return -ENOMEM;
	root->parent = root;
	root->nlink = 2;
	root->size = 2;
	root->refs = 1; /* the file system's own: the root is never freed */
	return 0;
}

struct inode *ramfs_root(void)
{
	return root;
}

/* Make every missing directory on the way to path's last name (like mkdir -p). */
static int make_parents(char *path)
{
	for (char *p = path; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		int r = ramfs_mkdir(root, path, 0755);
		*p = '/';
		if (r < 0 && r != -EEXIST)
			return r;
	}
	return 0;
}

/* Add one archive member at path (a writable copy of its name). */
static int populate_one(char *path, const struct cpio_entry *e)
{
	struct inode *node;
	int r = make_parents(path);
	if (r < 0)
		return r;
	if ((e->mode & CPIO_S_IFMT) == CPIO_S_IFDIR) {
		r = ramfs_mkdir(root, path, e->mode);
		if (r == -EEXIST && ramfs_lookup(root, path, &node) == 0 && S_ISDIR(node->mode))
			return 0; /* already made as a parent, or the archive's "." */
		return r;
	}
	if ((e->mode & CPIO_S_IFMT) == CPIO_S_IFLNK) {
		char *target = kmalloc(e->size + 1);
		if (e->size >= PATH_MAX || !target) {
			kfree(target);
			return e->size >= PATH_MAX ? -ENAMETOOLONG : -ENOMEM;
		}
		memcpy(target, e->data, e->size);
		target[e->size] = '\0';
		r = ramfs_symlink(root, path, target);
		kfree(target);
		return r;
	}
	if ((e->mode & CPIO_S_IFMT) != CPIO_S_IFREG) {
		printk("ramfs: skipping /%s: not a file, a directory or a link\n", path);
		return 0;
	}
	r = ramfs_create(root, path, e->mode, &node);
	if (r < 0)
		return r;
	r = ramfs_write(node, e->data, e->size, 0);
	if (r >= 0 && (size_t)r != e->size)
		r = -ENOMEM;
	if (r < 0) {
		ramfs_unlink(root, path);
		return r;
	}
	return 0;
}

int ramfs_populate(const void *archive, size_t size)
{
	struct cpio_entry e;
	size_t pos = 0;
	int more, r = ramfs_init();

	if (r < 0)
		return r;
	char *path = kmalloc(PATH_MAX);
	if (!path)
		return -ENOMEM;
	while ((more = cpio_next(archive, size, &pos, &e)) == 1) {
		const char *name = e.name;
		size_t len = e.namelen;
		while (len > 0 && name[0] == '/') {
			name++;
			len--;
		}
		if (len == 0)
			continue;
		if (len >= PATH_MAX) {
			r = -ENAMETOOLONG;
			break;
		}
		memcpy(path, name, len);
		path[len] = '\0';
		if ((r = populate_one(path, &e)) < 0) {
			printk("ramfs: cannot add /%s from the ramdisk (error %d)\n", path, r);
			break;
		}
	}
	kfree(path);
	if (r == 0 && more < 0) {
		printk("ramfs: the ramdisk is malformed at byte %zu\n", pos);
		r = -EINVAL;
	}
	return r;
}

void ramfs_destroy(void)
{
	if (!root)
		return;
	destroy_below(root);
	kfree(root);
	root = NULL;
	next_ino = 1;
}
