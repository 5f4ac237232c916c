/*
 * Files as the objects behind shared mappings (lab 7): mm_map_shared(..., &file_map_ops,
 * inode, pgoff) maps a regular ramfs file's own pages.
 */
#ifndef SPARROW_KERN_FS_FILEMAP_H
#define SPARROW_KERN_FS_FILEMAP_H

#include "mm/shared.h"

extern const struct vm_object_ops file_map_ops;

#endif
