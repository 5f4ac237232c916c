/*
 * Bringing the file system up at boot (lab 5).
 */
#ifndef SPARROW_KERN_FS_FSINIT_H
#define SPARROW_KERN_FS_FSINIT_H

/* The root directory, the ramdisk's files in it, and the device files in /dev. */
void fs_init(void);

#endif
