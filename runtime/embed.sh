#!/bin/sh
# Turn runtime/ptrace1_bpf.h into a C string, so the compile reads no file.
set -e
printf '/* Generated from %s by runtime/embed.sh: do not edit. */\n' "$(basename "$1")"
printf '#include "runtime.h"\n\nconst char runtime_header[] =\n'
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$1"
printf ';\n\nconst unsigned long runtime_header_len = sizeof(runtime_header) - 1;\n'
