/*
 * Bringing the file system up at boot (lab 5).
 */
#ifndef SPARROW_KERN_FS_FSINIT_H
#define SPARROW_KERN_FS_FSINIT_H

/* The root directory, the ramdisk's files in it, and the device files. */
void fs_init(void);
/* /dev/console, /dev/null and /proc/ps (kern/fs/devices.c). */
void devices_init(void);

#endif
