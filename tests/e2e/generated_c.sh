# The C that every program becomes compiles with -Wall -Wextra -Werror:
# tests/programs (every feature), examples/, and bpftrace's tools.
. "$srcdir/tests/lib.sh"
need_root
command -v clang >/dev/null || fail "clang is missing (./bootstrap installs it)"

n=0
for f in "$srcdir"/tests/programs/*.pt "$srcdir"/examples/*.pt \
	/usr/sbin/{syscount,opensnoop,execsnoop,killsnoop,statsnoop,syncsnoop,setuids,pidpersec}.bt; do
	"$PTRACE1" --emit-c -c true "$f" >"$T/p.c" 2>"$T/err" </dev/null ||
		fail "--emit-c $f: $(cat "$T/err")"
	clang -target bpf -O2 -Wall -Wextra -Werror -c "$T/p.c" -o "$T/p.o" 2>"$T/err" ||
		fail "the C of $f does not compile cleanly:"$'\n'"$(head -20 "$T/err")"
	n=$((n + 1))
done
((n >= 20)) || fail "only $n programs"
