# make install puts exactly the binary, its compiler module, the man page, the
# bash completion, the README and the examples where configure said, and make
# uninstall removes them all.  Both run with DESTDIR, so nothing outside $T is touched.
. "$srcdir/tests/lib.sh"

[[ -f $builddir/Makefile ]] || skip "no Makefile in $builddir"
command -v make >/dev/null || skip "make is missing"
# Not the make running this test: its job server and flags are not ours.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s -C "$builddir" "$@"
}

# The directories, as the Makefile has them.
cat >"$T/dirs.mk" <<'MK'
show-dirs:
	@echo '$(bindir)' '$(pkglibdir)' '$(man8dir)' '$(bashcompletiondir)' '$(docdir)' '$(exampledir)'
MK
read -r bindir pkglibdir man8dir compdir docdir exampledir \
	< <(mk -f Makefile -f "$T/dirs.mk" show-dirs) || fail "cannot read the install directories"
for d in "$bindir" "$pkglibdir" "$man8dir" "$compdir" "$docdir" "$exampledir"; do
	[[ $d == /* ]] || fail "install directory '$d' is not absolute"
done

root=$T/root
mk install DESTDIR="$root" >"$T/out" 2>"$T/err" || fail "make install failed"
{
	echo "$bindir/ptrace1"
	echo "$pkglibdir/ptrace1-compiler.so"
	echo "$man8dir/ptrace1.8"
	echo "$compdir/ptrace1"
	echo "$docdir/README.md"
	for f in "$srcdir"/examples/*.pt "$srcdir"/examples/*.bpf.c; do
		echo "$exampledir/${f##*/}"
	done
} | sort >"$T/want"
(cd "$root" && find . ! -type d | sed 's/^\.//' | sort) >"$T/got"
cmp -s "$T/want" "$T/got" || fail "installed files differ:"$'\n'"$(diff "$T/want" "$T/got")"

# What was installed works: the binary, the page, the completion, the examples.
"$root$bindir/ptrace1" --version | grep -q '^ptrace1 ' || fail "the installed ptrace1 does not run"
cmp -s "$srcdir/man/ptrace1.8" "$root$man8dir/ptrace1.8" || fail "the man page differs"
cmp -s "$srcdir/completion/ptrace1" "$root$compdir/ptrace1" || fail "the completion differs"
bash -c '. "$1" && complete -p ptrace1' _ "$root$compdir/ptrace1" >/dev/null ||
	fail "the installed completion does not load"
for f in "$root$exampledir"/*.pt; do
	[[ -x $f ]] || fail "example ${f##*/} is not executable"
done

mk uninstall DESTDIR="$root" >"$T/out" 2>"$T/err" || fail "make uninstall failed"
left=$(cd "$root" && find . ! -type d)
assert_eq "" "$left" "files left after make uninstall"
exit 0
