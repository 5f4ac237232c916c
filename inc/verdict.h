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
/* The tag of line under token (FNV-1a, 32 bits); grade/gradelib.py computes the same. */
uint32_t verdict_tag(const char *token, const char *line);

#endif
