# Every map kind printed at exit exactly as bpftrace 0.17 prints it
# (data/map_formats.out was produced by bpftrace 0.17 and matches it byte
# for byte, less its "Attaching" line, which ptrace1 writes to stderr).
. "$srcdir/tests/lib.sh"
need_root

prog='BEGIN {
	@h = hist(-1); @h = hist(0); @h = hist(1); @h = hist(3); @h = hist(3);
	@h = hist(1500); @h = hist(1048576);
	@l = lhist(-5, 0, 100, 10); @l = lhist(15, 0, 100, 10); @l = lhist(15, 0, 100, 10);
	@l = lhist(100, 0, 100, 10);
	@hk["b"] = hist(5); @hk["a"] = hist(5); @hk["a"] = hist(70);
	@c = count(); @c = count();
	@x[1, "a"] = count(); @x[2, "b"] = count(); @x[2, "b"] = count();
	@a = avg(10); @a = avg(20);
	@st = stats(10); @st = stats(20); @st = stats(33);
	@s = sum(5); @s = sum(7);
	@mn = min(3); @mn = min(1); @mx = max(9);
	@str = "hello"; @y["k2"] = 3; @y["k1"] = 5; @sk["z"] = stats(4);
	@neg = -7; @u = (uint64)5;
	exit();
}'
run_ptrace1 -e "$prog"
assert_eq 0 "$rc" "exit status"
diff -u "$srcdir/tests/e2e/data/map_formats.out" "$T/out" || fail "map output differs from bpftrace's"

# print(@m, top, div) and the async print/clear/zero/delete, in program order.
run_ptrace1 -q -e 'BEGIN { @c["a"] = count(); @c["b"] = count(); @c["b"] = count();
	@c["c"] = sum(30); print(@c, 2); print(@c, 0, 10); @d[1] = 1; @d[2] = 2; delete(@d[1]);
	print(@d); zero(@c); @e = 1; clear(@e); exit() }' 2>&1
assert_eq 1 "$rc" "sum() into a count() map is an error"
run_ptrace1 -q -e 'BEGIN { @c["a"] = count(); @c["b"] = count(); @c["b"] = count();
	@c["c"] = count(); @c["c"] = count(); @c["c"] = count();
	print(@c, 2); print(@c, 0, 2); @d[1] = 1; @d[2] = 2; delete(@d[1]);
	print(@d); zero(@c); @e = 1; clear(@e); exit() }'
assert_eq 0 "$rc" "map functions"
diff -u - "$T/out" <<'OUT' || fail "map functions output"
@c[b]: 2
@c[c]: 3
@c[a]: 0
@c[b]: 1
@c[c]: 1
@d[2]: 2


@c[a]: 0
@c[b]: 0
@c[c]: 0
@d[2]: 2
OUT
