/* SPDX-License-Identifier: GPL-2.0 */
/* json: the bits of JSON that -f json output needs. */
#ifndef PTRACE1_JSON_H
#define PTRACE1_JSON_H

#include <stddef.h>

#include "strbuf.h"

/* @s (@len bytes, any content) as a JSON string, quotes included. */
void json_string(struct strbuf *out, const char *s, size_t len);

#endif
