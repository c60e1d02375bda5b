# The man page lints clean, and every example in its EXAMPLES section runs.
. "$srcdir/tests/lib.sh"

page=$srcdir/man/ptrace1.8
command -v groff >/dev/null || fail "groff is missing (apt-get install groff-base)"
warnings=$(groff -ww -z -man "$page" 2>&1)
assert_eq "" "$warnings" "groff warnings"

need_root
# The lines of .EX blocks after .SH EXAMPLES that run ptrace1, unescaped.
mapfile -t examples < <(sed -n '/^\.SH EXAMPLES/,/^\.SH /p' "$page" |
	sed -n '/^\.EX/,/^\.EE/{/^ptrace1 /p}' | sed -e 's/\\-/-/g' -e 's/\\e/\\/g')
((${#examples[@]} >= 5)) || fail "found only ${#examples[@]} examples"
# Every script of examples/ has its example.
for f in "$srcdir"/examples/*.pt; do
	[[ " ${examples[*]} " == *" examples/${f##*/}"* ]] || fail "no example runs examples/${f##*/}"
done
# The examples/ scripts are named relative to the source tree.
cd "$srcdir" || fail "cannot cd to $srcdir"
artifacts=()
trap 'rm -f "${artifacts[@]}"; _lib_cleanup' EXIT
for ex in "${examples[@]}"; do
	# Examples without -c stream until interrupted, as a user would; the
	# others end by themselves.  --aot prints nothing: its artifact runs next.
	if [[ $ex == *" -c "* || $ex == *--emit-c* || $ex == "ptrace1 -l"* ]]; then
		timeout -k 5 60 bash -c "\"\$PTRACE1\" ${ex#ptrace1 }" </dev/null >"$T/out" 2>"$T/err"
	else
		timeout --preserve-status -s INT -k 5 3 bash -c "\"\$PTRACE1\" ${ex#ptrace1 }" \
			</dev/null >"$T/out" 2>"$T/err"
	fi
	rc=$?
	[[ $rc == 0 ]] || fail "example exited $rc: $ex"$'\n'"$(cat "$T/err")"
	if [[ $ex == *--aot* ]]; then
		artifact=$(sed -E 's/.*--aot ([^ ]+).*/\1/' <<<"$ex")
		[[ -s $artifact ]] || fail "example wrote no artifact: $ex"
		artifacts+=("$artifact")
	elif [[ $ex == *" -c "* || $ex == *--emit-c* || $ex == "ptrace1 -l"* ]]; then
		[[ -s $T/out ]] || fail "example printed nothing: $ex"
	fi
done
