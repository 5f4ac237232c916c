/*
 * Verdict lines of the test programs. When the grader passes a token (kernel option
 * token=..., handed to programs as SPARROW_TOKEN in the environment), each verdict line ends
 * with a tag computed from the token and the line, so a kernel that prints the expected
 * lines itself cannot pass: see grade/gradelib.py.
 */
#ifndef SPARROW_INC_VERDICT_H
#define SPARROW_INC_VERDICT_H

#include <types.h>

void verdict(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One check of a test program: prints "PREFIX: WHAT: OK" (or FAIL) as a verdict line and
 * counts the failures in check_failures. Set check_prefix to the program's name first. */
void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
extern const char *check_prefix;
extern int check_failures;

/* The tag of line under token (FNV-1a, 32 bits); grade/gradelib.py computes the same. */
uint32_t verdict_tag(const char *token, const char *line);

#endif
