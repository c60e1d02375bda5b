# Kernel strings: __data_loc char[] and char[N] fields; string comparisons.
. "$srcdir/tests/lib.sh"
need_root

cp /bin/true "$T/ptwl-true"
run_ptrace1 -e "t:sched:sched_process_exec /args.filename == \"$T/ptwl-true\"/ { printf(\"%s %s\\n\", comm, args.filename) }" \
	-c "$WORKLOAD exec 3 $T/ptwl-true"
assert_eq 0 "$rc" "exit status"
assert_eq 3 "$(count_lines "^ptwl-true $T/ptwl-true\$" "$T/out")" "exec lines"

run_ptrace1 -e "sched_process_fork /parent_comm == \"$PTWL\"/ < print(child_comm) >" \
	-c "$WORKLOAD -n $PTWL exec 2"
assert_eq 0 "$rc" "exit status (char[16])"
assert_eq "$PTWL"$'\n'"$PTWL" "$(cat "$T/out")" "char array field"

# comm == "ptw" must not match "ptwl": the literal's NUL is compared too.
run_ptrace1 -e 'sys_enter_getppid /comm == "ptw"/ < print(1) >' -c "$WORKLOAD getppid 3"
assert_eq "" "$(cat "$T/out")" "prefix does not match"
run_ptrace1 -e 'sys_enter_getppid /comm != "ptwl"/ < print(comm) >' -c "$WORKLOAD getppid 3"
assert_eq 0 "$(count_lines '^ptwl$' "$T/out")" "!= excludes ptwl"

# Long strings: PTRACE1_STRLEN past the 512-byte BPF stack uses per-CPU scratch.
long=$T/$(printf 'd%.0s' {1..200})/$(printf 'f%.0s' {1..200})
mkdir -p "${long%/*}"
PTRACE1_STRLEN=1024 run_ptrace1 -q -e 'sys_enter_openat /comm == "'"$PTWL"'"/ { $p = str(args->filename);
	@[$p] = count(); printf("%s\n", $p); if (str(args->filename) == "x") { print(1); } }' \
	-c "$WORKLOAD -n $PTWL openat 2 $long"
assert_eq 0 "$rc" "long strings exit status"
assert_eq "$long"$'\n'"$long"$'\n\n\n'"@[$long]: 2" "$(cat "$T/out")" "a 420-byte path, whole"
# The default of 64 cuts it, as documented.
run_ptrace1 -q -e "sys_enter_openat /comm == \"$PTWL\"/ { print(str(args->filename)); }" \
	-c "$WORKLOAD -n $PTWL openat 1 $long"
assert_eq "${long:0:63}" "$(cat "$T/out")" "cut at PTRACE1_STRLEN - 1 bytes"
