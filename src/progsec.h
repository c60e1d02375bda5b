/* SPDX-License-Identifier: GPL-2.0 */
/*
 * progsec: the ptrace1 program carried in its generated C.
 *
 * The C of --emit-c ends with the program's text and the options that
 * shaped its records and maps (string size, map size, $1...), as a string
 * in section ".ptrace1".  Compiled, the object still holds them, so that
 * ptrace1 can run the C file as it ran the program: the same probes, the
 * same output.
 */
#ifndef PTRACE1_PROGSEC_H
#define PTRACE1_PROGSEC_H

#include <stddef.h>

#include "strbuf.h"

#define PROGSEC_NAME ".ptrace1"

struct progsec {
	char *text;		/* the program, not NUL-terminated */
	size_t len;
	unsigned int strlen;
	unsigned int map_keys_max;
	char **params;		/* $1...; point into buf */
	size_t nparams;
	char *buf;		/* the section's bytes, which the above point into */
};

/* Append the declaration of the section to the C in @out.  Returns 0 or -ENOMEM. */
int progsec_emit(const char *text, size_t len, unsigned int strlen, unsigned int map_keys_max,
		 char *const *params, size_t nparams, struct strbuf *out);
/*
 * Read the section from the ELF object @obj.  Returns 0, -ENOENT when the
 * object has none, or -EINVAL when it is malformed.
 */
int progsec_read(const void *obj, size_t len, struct progsec *ps);
void progsec_free(struct progsec *ps);

#endif
