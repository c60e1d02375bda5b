# A system that cannot trace says why in one line (and a hint), and exits 1:
# no privileges, no tracefs, no bpf(2), no ring buffer.  Each fault is real:
# dropped capabilities, a private mount namespace without tracefs, a user
# namespace, and bpf(2) failing as an older kernel's would (strace's fault
# injection, which changes no byte of ptrace1).
. "$srcdir/tests/lib.sh"
need_root
for tool in setpriv unshare strace; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
unshare -m --propagation unchanged true 2>/dev/null || skip "cannot make a mount namespace"

prog='sys_enter_getppid /pid == cpid/ { @n = count(); }'
before=$(bpf_prog_ids)

# assert_fault MSG HINT WHAT: the last run failed with exactly these two lines.
assert_fault() {
	assert_eq 1 "$rc" "$3: exit status"
	assert_eq "" "$(cat "$T/out")" "$3: standard output"
	assert_eq "ptrace1: $1"$'\n'"hint: $2" "$(cat "$T/err")" "$3: message"
}

# run_in COMMAND...: like run_ptrace1, for a command that runs ptrace1.
run_in() {
	timeout -k 5 "$RUN_TIMEOUT" "$@" </dev/null >"$T/out" 2>"$T/err"
	rc=$?
}

# Root whose capabilities were taken away (a container, a service).
run_in setpriv --bounding-set=-bpf,-perfmon,-sys_admin \
	"$PTRACE1" -e "$prog" -c "$WORKLOAD getppid 3"
assert_fault "tracing needs the CAP_BPF and CAP_PERFMON capabilities (or CAP_SYS_ADMIN), and this root process lacks them" \
	"a container or service that runs as root must be granted them" "root without capabilities"

# Not root, with CAP_BPF and CAP_PERFMON: enough for BPF, but tracefs is
# usually root's alone (mode 700), and then that is what it says.
as_bpf_user=(setpriv --reuid=65534 --regid=65534 --clear-groups
	--inh-caps=+bpf,+perfmon --ambient-caps=+bpf,+perfmon)
run_in "${as_bpf_user[@]}" "$PTRACE1" -e "$prog" -c "$WORKLOAD getppid 3"
if "${as_bpf_user[@]}" test -x /sys/kernel/tracing; then
	assert_eq 0 "$rc" "CAP_BPF and CAP_PERFMON with a readable tracefs"
	assert_eq "@n: 3" "$(sed '/^$/d' "$T/out")" "traced with capabilities"
else
	assert_fault "cannot read tracefs at /sys/kernel/tracing: Permission denied" \
		"tracefs is root's: trace as root, or with CAP_DAC_READ_SEARCH besides CAP_BPF and CAP_PERFMON" \
		"tracefs not readable"
fi

# "${in_mount_ns[@]}" SCRIPT ARG...: sh -c SCRIPT in a mount namespace of
# its own, SCRIPT starting with $private_sys, so that its mounts on /sys
# propagate nowhere.  unshare makes every mount private itself, but not in a
# chroot, where / is no mount point.
in_mount_ns=(unshare -m --propagation unchanged sh -c)
private_sys='mount --make-rprivate /sys &&'

# tracefs nowhere: an empty tmpfs hides both of its places, in a mount
# namespace of ptrace1's own.  ptrace1 mounts it, and traces.
hide_tracefs="$private_sys"' mount -t tmpfs ptrace1-test /sys/kernel/tracing &&
	{ [ ! -d /sys/kernel/debug ] || mount -t tmpfs ptrace1-test /sys/kernel/debug; } &&
	exec "$@"'
run_in "${in_mount_ns[@]}" "$hide_tracefs" sh \
	"$PTRACE1" -q -e "$prog" -c "$WORKLOAD getppid 3"
assert_eq 0 "$rc" "tracefs mounted by ptrace1: exit status"
assert_eq "@n: 3" "$(sed '/^$/d' "$T/out")" "traced once tracefs was mounted"
assert_eq "" "$(cat "$T/err")" "tracefs mounted by ptrace1: stderr"

# ... unless it may not mount anything (no CAP_SYS_ADMIN) ...
run_in "${in_mount_ns[@]}" "$hide_tracefs" sh \
	setpriv --bounding-set=-sys_admin "$PTRACE1" -e "$prog" -c "$WORKLOAD getppid 3"
assert_fault "tracefs is not mounted, and mounting it on /sys/kernel/tracing failed: Operation not permitted" \
	"mount it: mount -t tracefs nodev /sys/kernel/tracing" "tracefs mount refused"

# ... or there is no /sys/kernel to mount it on.
run_in "${in_mount_ns[@]}" "$private_sys"' mount -t tmpfs ptrace1-test /sys/kernel && exec "$@"' sh \
	"$PTRACE1" -e "$prog" -c "$WORKLOAD getppid 3"
assert_fault "tracefs is not mounted, and mounting it on /sys/kernel/tracing failed: No such file or directory" \
	"is sysfs mounted on /sys?" "no mount point"

# Root of a user namespace: every capability, but in the namespace only,
# and BPF needs them in the host's.  A chrooted process may make none: there
# bpf(2) fails as it would in one, with EPERM, through strace.
if unshare --user --map-root-user true 2>/dev/null; then
	run_in unshare --user --map-root-user "$PTRACE1" -e "$prog" -c "$WORKLOAD getppid 3"
else
	run_in "${STRACE[@]}" -o "$T/strace" -e trace=bpf -e inject=bpf:error=EPERM \
		"$PTRACE1" -e "$prog" -c "$WORKLOAD getppid 3"
fi
assert_fault "the kernel does not let this process use BPF (bpf(2): Operation not permitted)" \
	"in a user namespace or a container, BPF needs CAP_BPF in the host's namespace, and a seccomp profile that allows bpf(2)" \
	"user namespace"

# A kernel built without bpf(2): every call fails with ENOSYS.
run_in "${STRACE[@]}" -o "$T/strace" -e trace=bpf -e inject=bpf:error=ENOSYS \
	"$PTRACE1" -e "$prog" -c "$WORKLOAD getppid 3"
assert_fault "this kernel has no BPF (bpf(2): Function not implemented)" \
	"ptrace1 needs a kernel built with CONFIG_BPF_SYSCALL" "no bpf(2)"

# A kernel older than 5.8 refuses to create a ring buffer map with EINVAL,
# as it does any map type it does not know.  A first run finds which bpf(2)
# call creates it; the second fails that call, and only that one.
run_in "${STRACE[@]}" -o "$T/strace" -e trace=bpf "$PTRACE1" -e "$prog" -c "$WORKLOAD getppid 3"
assert_eq 0 "$rc" "traced under strace"
# strace counts a process's calls (its first thread's: no -f) for when=.
nth=$(grep '^bpf(' "$T/strace" | grep -n -m1 'BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_RINGBUF' |
	cut -d: -f1)
[[ $nth ]] || fail "no ring buffer created in: $(cat "$T/strace")"
run_in "${STRACE[@]}" -o "$T/strace" -e trace=bpf -e inject=bpf:error=EINVAL:when="$nth" \
	"$PTRACE1" -e "$prog" -c "$WORKLOAD getppid 3"
assert_match 'map_type=BPF_MAP_TYPE_RINGBUF.*= -1 EINVAL .*\(INJECTED\)' "$(cat "$T/strace")" \
	"the ring buffer's creation failed"
assert_eq 1 "$rc" "no ring buffer: exit status"
assert_eq "" "$(cat "$T/out")" "no ring buffer: standard output"
assert_eq "ptrace1: this kernel has no BPF ring buffer, which ptrace1 needs (Linux 5.8 or later)" \
	"$(cat "$T/err")" "no ring buffer: message"

no_leaked_progs "$before"
