/*
 * User programs: uname(2), the system's name and version, in Linux's layout.
 */
#ifndef SPARROW_INC_UTSNAME_H
#define SPARROW_INC_UTSNAME_H

#define UTSNAME_LENGTH 65

struct utsname {
	char sysname[UTSNAME_LENGTH];  /* "Sparrow" */
	char nodename[UTSNAME_LENGTH]; /* the host's name */
	char release[UTSNAME_LENGTH];
	char version[UTSNAME_LENGTH];
	char machine[UTSNAME_LENGTH]; /* "x86_64" */
	char domainname[UTSNAME_LENGTH];
};

int uname(struct utsname *u);

#endif
