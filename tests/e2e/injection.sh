# Hostile bytes in string literals reach the output exactly and never the C
# around them; probe names cannot name a path outside tracefs.
. "$srcdir/tests/lib.sh"
need_root

run_ptrace1 -q "$srcdir/tests/programs/injection.pt"
assert_eq 0 "$rc" "exit status"
printf '%s' "$(cat "$T/out")" | od -An -c >"$T/got"
printf '%s' 'q"b\s
*/ /* ??= %n %% '$'\001\t'"'end
a|
%n ??/


@k[*/ \"; } evil(); /*]: 1" | od -An -c >"$T/want"
diff -u "$T/want" "$T/got" || fail "hostile bytes changed on the way"

# The generated C holds the literal only in escaped form.
"$PTRACE1" --emit-c "$srcdir/tests/programs/injection.pt" >"$T/p.c"
grep -q 'evil()' "$T/p.c" && grep -F 'evil();' "$T/p.c" | grep -vq '\\' &&
	fail "a literal's text reached the C unescaped"

for spec in 't:../..:x' 't:syscalls:../../x' 'tracepoint:sys calls:x' '/etc/passwd'; do
	"$PTRACE1" -e "$spec { print(1) }" </dev/null >/dev/null 2>"$T/err"
	assert_eq 1 $? "status for probe '$spec'"
	assert_match 'error: ' "$(cat "$T/err")" "error for probe '$spec'"
done
