/* SPDX-License-Identifier: GPL-2.0 */
/*
 * globals: a BPF C file's `const volatile` globals, set from the command
 * line (--set NAME=VALUE) before its object loads.  They live in the
 * object's .rodata; its BTF gives each one's offset and type, against
 * which the value is checked: integers in their type's range, bools,
 * enums by name or number, char arrays from strings.
 */
#ifndef PTRACE1_GLOBALS_H
#define PTRACE1_GLOBALS_H

#include <stddef.h>

#include <linux/types.h>

struct bpf_object;
struct btf;

/*
 * Apply each "NAME=VALUE" of @sets to @obj (opened, not loaded), @file
 * naming it in messages.  Returns 0, or -EINVAL after saying what is wrong.
 */
int globals_set(struct bpf_object *obj, const char *file, char *const *sets, size_t n);
/*
 * @text as a value of type @id, written to @buf (the type's size).  Returns
 * 0, or -EINVAL with what the type wants in @why ("an integer from 0 to
 * 255"); -EOPNOTSUPP for a type no text sets.
 */
int globals_parse(const struct btf *btf, __u32 id, const char *text, void *buf, char *why,
		  size_t why_len);

#endif
