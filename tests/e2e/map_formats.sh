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

# lhist() bounds at both ends of int64: buckets and labels computed without
# overflow (the sanitizer build runs this too).  -2^63 is -8796093022208M,
# -2^63 + 2^61 is -6597069766656M, -2^62 is -4398046511104M.
lo='-9223372036854775808, -4611686018427387904, 2305843009213693952'
hi='9223372036854775793, 9223372036854775807, 7'
extremes="BEGIN {
	@a = lhist(-9223372036854775808, $lo); @a = lhist(-4611686018427387905, $lo);
	@a = lhist(-4611686018427387904, $lo); @a = lhist(9223372036854775807, $lo);
	@b = lhist(-9223372036854775808, $hi); @b = lhist(9223372036854775799, $hi);
	@b = lhist(9223372036854775800, $hi); @b = lhist(9223372036854775807, $hi);
	exit();
}"
run_ptrace1 -e "$extremes"
assert_eq 0 "$rc" "exit status, lhist() at int64's ends"
diff -u - "$T/out" <<'OUT' || fail "lhist() at int64's ends"


@a: 
[-8796093022208M, -6597069766656M)       1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[-6597069766656M, -4398046511104M)       1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[-4398046511104M, ...)       2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@b: 
(..., 9223372036854775793)       1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[9223372036854775793, 9223372036854775800)       1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[9223372036854775800, 9223372036854775807)       1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[9223372036854775807, ...)       1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

OUT
run_ptrace1 -f json -e "$extremes"
assert_eq 0 "$rc" "exit status, lhist() at int64's ends in JSON"
diff -u - "$T/out" <<'OUT' || fail "lhist() at int64's ends in JSON"
{"type": "attached_probes", "data": {"probes": 1}}
{"type": "hist", "data": {"@a": [{"min": -9223372036854775808, "max": -6917529027641081857, "count": 1}, {"min": -6917529027641081856, "max": -4611686018427387905, "count": 1}, {"min": -4611686018427387904, "count": 2}]}}
{"type": "hist", "data": {"@b": [{"max": 9223372036854775792, "count": 1}, {"min": 9223372036854775793, "max": 9223372036854775799, "count": 1}, {"min": 9223372036854775800, "max": 9223372036854775806, "count": 1}, {"min": 9223372036854775807, "count": 1}]}}
OUT

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
