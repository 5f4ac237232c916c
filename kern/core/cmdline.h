/*
 * The kernel command line: `key=value` options from GRUB's grub.cfg, then from the
 * per-run QEMU option -fw_cfg name=opt/sparrow/cmdline,string=... (later ones win).
 */
#ifndef SPARROW_KERN_CORE_CMDLINE_H
#define SPARROW_KERN_CORE_CMDLINE_H

#include <types.h>

void cmdline_init(const char *from_grub);
const char *cmdline_get(const char *key); /* value, "" for a bare key, NULL if absent */
bool cmdline_flag(const char *key, const char *value);
const char *cmdline_string(void); /* the whole combined command line, for display */

#endif
