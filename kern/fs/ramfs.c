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
	kfree(node);
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
	return 0;
}

/* Remove the entry for node from dir and drop the link; frees the node if it was the last. */
static void dir_remove(struct inode *dir, struct inode *node)
{
	for (struct fs_entry **pp = &dir->entries; *pp; pp = &(*pp)->next) {
		struct fs_entry *e = *pp;
		if (e->node != node)
			continue;
		*pp = e->next;
		kfree(e);
		dir->size--;
		if (S_ISDIR(node->mode)) {
			dir->nlink--;
			node->nlink = 0; /* its own "." goes with its name */
			node->parent = NULL;
		} else {
			node->nlink--;
		}
		node_maybe_free(node);
		return;
	}
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
	st->ino = node->ino;
	st->mode = node->mode;
	st->nlink = node->nlink;
	st->size = node->size;
	st->blocks = pages * (PGSIZE / 512);
}

/* ---- paths ------------------------------------------------------------------------------ */

/*
 * Walk path from cwd. With want_parent, stop before the last name: *out is the directory
 * that would hold it and last receives the name ("." for a path of slashes only, such as
 * "/"); otherwise *out is the node the whole path names. *slash tells whether the path
 * ended with '/'.
 */
static int walk(struct inode *cwd, const char *path, bool want_parent, struct inode **out,
                char *last, bool *slash)
{
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
		if (want_parent)
			strlcpy(last, ".", NAME_MAX + 1);
		*out = node;
		return 0;
	}
	for (;;) {
		const char *name = p;
		while (*p && *p != '/')
			p++;
		size_t len = (size_t)(p - name);
		while (*p == '/') {
			p++;
			*slash = true;
		}
		bool final = *p == '\0';
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (final && want_parent) {
			if (!S_ISDIR(node->mode))
				return -ENOTDIR;
			memcpy(last, name, len);
			last[len] = '\0';
			*out = node;
			return 0;
		}
		int r = dir_lookup(node, name, len, &node);
		if (r < 0)
			return r;
		if (final) {
			if (*slash && !S_ISDIR(node->mode))
				return -ENOTDIR;
			*out = node;
			return 0;
		}
		*slash = false;
	}
}

int ramfs_lookup(struct inode *cwd, const char *path, struct inode **out)
{
	bool slash;
	return walk(cwd, path, false, out, NULL, &slash);
}

/* Make a new node of mode at path; *out (may be NULL) is the node. */
static int make_node(struct inode *cwd, const char *path, uint32_t mode, struct inode **out)
{
	char name[NAME_MAX + 1];
	struct inode *dir, *old;
	bool slash;

	int r = walk(cwd, path, true, &dir, name, &slash);
	if (r < 0)
		return r;
	if (dir->nlink == 0)
		return -ENOENT; /* nothing can be made in a removed directory */
	r = dir_lookup(dir, name, strlen(name), &old);
	if (r == 0)
		return -EEXIST;
	if (r != -ENOENT)
		return r;
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

/* The directory holding the last name of path, and the node it names. */
static int lookup_last(struct inode *cwd, const char *path, struct inode **dir, struct inode **node,
                       char *name, bool *slash)
{
	int r = walk(cwd, path, true, dir, name, slash);
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
	dir_remove(dir, node);
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
	if (node->entries || strcmp(name, "..") == 0)
		return -ENOTEMPTY; /* ".." names a directory holding at least this one */
	dir_remove(dir, node);
	return 0;
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
	if ((e->mode & CPIO_S_IFMT) != CPIO_S_IFREG) {
		printk("ramfs: skipping /%s: not a file or a directory\n", path);
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

/* Remove everything below dir (not dir itself). */
static void destroy_below(struct inode *dir)
{
	while (dir->entries) {
		struct inode *node = dir->entries->node;
		if (S_ISDIR(node->mode))
			destroy_below(node);
		dir_remove(dir, node);
	}
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
