/*
 * Files as the objects behind shared mappings (lab 7, kern/mm/shared.h): the frames of a
 * ramfs file's data are what a MAP_SHARED mapping of it maps, so write() and the mapping
 * see one memory. A mapping holds a reference on the file's inode.
 */
#include <errno.h>
#include "fs/filemap.h"
#include "fs/fs.h"
#include "mm/page.h"

static int file_page(void *obj, size_t pn, struct page **out)
{
	struct inode *node = obj;

	if (pn >= ROUNDUP(node->size, PGSIZE) / PGSIZE)
		return -EIO; /* wholly past the end of the file: SIGBUS, as on Linux */
	void *data = ramfs_page_make(node, pn);
	if (!data)
		return -ENOMEM;
	*out = pa2page(V2P(data));
	return 0;
}

static void file_hold(void *obj)
{
	inode_get(obj);
}

static void file_release(void *obj)
{
	inode_put(obj);
}

const struct vm_object_ops file_map_ops = {
	.page = file_page,
	.hold = file_hold,
	.release = file_release,
};
