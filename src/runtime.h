/* SPDX-License-Identifier: GPL-2.0 */
/* runtime/ptrace1_bpf.h, embedded at build time: the head of every generated program. */
#ifndef PTRACE1_RUNTIME_H
#define PTRACE1_RUNTIME_H

extern const char runtime_header[];
extern const unsigned long runtime_header_len;

#endif
