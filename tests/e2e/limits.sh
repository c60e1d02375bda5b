# Limits give clear errors (exit 1), never a crash or a minutes-long compile.
. "$srcdir/tests/lib.sh"
need_root

limit() {
	local want=$1

	"$PTRACE1" "$T/p.pt" </dev/null >"$T/out" 2>"$T/err"
	assert_eq 1 $? "exit status for: $want"
	assert_eq "$want" "$(head -n 1 "$T/err")" "first line of stderr"
}

head -c 1100000 /dev/zero | tr '\0' ' ' >"$T/p.pt"
limit "$T/p.pt: error: the program is 1100000 bytes; at most 1048576 are allowed"

{ printf 'BEGIN { '; for _ in {1..4000}; do printf 'print(1); '; done; printf '}\n'; } >"$T/p.pt"
limit "$T/p.pt: error: the program has 12000 expressions and statements; at most 10000 are allowed"

{ printf 'BEGIN { print('; printf '(%.0s' {1..10000}; printf 1; printf ')%.0s' {1..10000}; printf '); }\n'; } >"$T/p.pt"
limit "$T/p.pt:1:270: error: parentheses and brackets nest more than 256 deep"

{ printf 'BEGIN { print('; printf -- '- %.0s' {1..20000}; printf '1); }\n'; } >"$T/p.pt"
limit "$T/p.pt:1:19999: error: the program nests too deeply"
assert_eq 4 "$(wc -l <"$T/err")" "one error, nothing else"

{ printf 'BEGIN { print("'; printf 'a%.0s' {1..5000}; printf '"); }\n'; } >"$T/p.pt"
limit "$T/p.pt:1:15: error: string literal longer than 4096 bytes"

{ printf 'BEGIN { '; for i in {0..70}; do printf '@m%d = 1; ' "$i"; done; printf '}\n'; } >"$T/p.pt"
limit "$T/p.pt:1:599: error: a program has at most 60 maps"
assert_eq 1 "$(grep -c 'error:' "$T/err")" "the map limit is said once"

echo 't:*:* { @ = count(); }' >"$T/p.pt"
limit "$T/p.pt:1:1: error: the program has $(wc -l </sys/kernel/tracing/available_events) probes here; at most 1024 are allowed"

for n in 0 1 5000 abc; do
	PTRACE1_STRLEN=$n "$PTRACE1" -e 'BEGIN { exit() }' </dev/null >/dev/null 2>"$T/err"
	assert_eq 2 $? "PTRACE1_STRLEN=$n status"
	assert_eq "ptrace1: PTRACE1_STRLEN must be a number from 2 to 4096, not '$n'" "$(cat "$T/err")" \
		"PTRACE1_STRLEN=$n message"
done
# The extremes that are allowed work.
for n in 2 4096; do
	PTRACE1_STRLEN=$n run_ptrace1 -q -e 'BEGIN { printf("%s|\n", str(comm)); exit() }'
	assert_eq 0 "$rc" "PTRACE1_STRLEN=$n runs"
done
assert_eq "ptrace1|" "$(cat "$T/out")" "comm with PTRACE1_STRLEN=4096"
