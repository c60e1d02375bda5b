# A BPF C file's ring buffer and perf buffer records, decoded with its BTF:
# text and JSON; a --set string picks the process.
. "$srcdir/tests/lib.sh"
need_root

C=$srcdir/tests/cfiles
before=$(bpf_prog_ids)
instances=$(tracefs_instances)
# A name no other test's workload has: the programs count this one only.
comm=ptev$$

# Ring buffer: one record per openat, every field by name.
run_ptrace1 "$C/ringbuf.bpf.c" --set comm_filter=$comm -c "$WORKLOAD -n $comm openat 3 $T/f"
assert_eq 0 "$rc" "ring buffer: exit status"
assert_eq "Attaching 1 program..." "$(cat "$T/err")" "ring buffer: stderr"
cat >"$T/want" <<EOF
{pid: P, seq: 0, comm: "$comm", filename: "$T/f", flags: 64, created: true, kind: OPEN_READ}
{pid: P, seq: 1, comm: "$comm", filename: "$T/f", flags: 64, created: true, kind: OPEN_READ}
{pid: P, seq: 2, comm: "$comm", filename: "$T/f", flags: 64, created: true, kind: OPEN_READ}

sent[0]: 3
EOF
sed 's/^{pid: [0-9]*,/{pid: P,/' "$T/out" >"$T/got"
diff -u "$T/want" "$T/got" || fail "ring buffer: output"
no_leaked_progs "$before"

run_ptrace1 -f json "$C/ringbuf.bpf.c" --set comm_filter=$comm -c "$WORKLOAD -n $comm openat 2 $T/f"
assert_eq 0 "$rc" "ring buffer JSON: exit status"
cat >"$T/want" <<EOF
{"type": "attached_probes", "data": {"probes": 1}}
{"type": "event", "data": {"records": {"pid": P, "seq": 0, "comm": "$comm", "filename": "$T/f", "flags": 64, "created": true, "kind": "OPEN_READ"}}}
{"type": "event", "data": {"records": {"pid": P, "seq": 1, "comm": "$comm", "filename": "$T/f", "flags": 64, "created": true, "kind": "OPEN_READ"}}}
{"type": "map", "data": {"sent": [{"key": 0, "value": 2}]}}
EOF
sed 's/{"pid": [0-9]*,/{"pid": P,/' "$T/out" >"$T/got"
diff -u "$T/want" "$T/got" || fail "ring buffer: JSON output"
no_leaked_progs "$before"

# Perf buffer: records numbered by a global, which is no map to print.  A
# buffer per CPU: records of one come before those of another.
run_ptrace1 -q "$C/perfbuf.bpf.c" --set comm_filter=$comm -c "$WORKLOAD -n $comm getppid 4"
assert_eq 0 "$rc" "perf buffer: exit status"
for n in 1 2 3 4; do
	echo "{pid: P, tid: P, nr: $n, comm: \"$comm\", delta: [-1, 1]}"
done >"$T/want"
sed 's/pid: [0-9]*, tid: [0-9]*,/pid: P, tid: P,/' "$T/out" | sort >"$T/got"
diff -u "$T/want" "$T/got" || fail "perf buffer: output"
assert_eq "" "$(cat "$T/err")" "perf buffer: stderr"
no_leaked_progs "$before"
no_leaked_instances "$instances"
