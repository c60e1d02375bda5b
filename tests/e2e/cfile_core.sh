# A CO-RE BPF C file, as the libbpf tools are written: vmlinux.h of this
# kernel in the file's directory, BPF_CORE_READ, tp_btf and raw_tp programs.
. "$srcdir/tests/lib.sh"
need_root

command -v bpftool >/dev/null || skip "no bpftool to write vmlinux.h"
[[ -r /sys/kernel/btf/vmlinux ]] || skip "a kernel without BTF"
before=$(bpf_prog_ids)
comm=ptco$$

cp "$srcdir/tests/cfiles/core.bpf.c" "$srcdir/tests/cfiles/comm_filter.h" "$T/" || fail "copy"
bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$T/vmlinux.h" || fail "vmlinux.h"
run_ptrace1 "$T/core.bpf.c" --set comm_filter=$comm -c "$WORKLOAD -n $comm getppid 3"
assert_eq 0 "$rc" "exit status"
assert_eq "Attaching 2 programs..." "$(cat "$T/err")" "stderr"
# The -c command's parent is ptrace1, read through task->real_parent.
assert_match '^parent_of\[[0-9]+\]: \{ppid: [0-9]+, comm: "ptrace1"\}$' "$(cat "$T/out")" \
	"the parent, read with CO-RE"
assert_eq 1 "$(count_lines '^parent_of\[' "$T/out")" "one process traced"
# Three getppid calls, whatever number the architecture gives it.
assert_match '^calls\[[0-9]+\]: 3$' "$(cat "$T/out")" "the raw_tp program's count"
no_leaked_progs "$before"
