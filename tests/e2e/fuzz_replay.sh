#!/bin/bash
# Every fuzz target (tests/fuzz/fuzz_NAME.c), built as a plain program,
# replays its seed corpus and every input that once made it crash, leak or
# hang (tests/fuzz/regressions/NAME/): none may crash, and under
# --enable-sanitizers none may raise an AddressSanitizer, UBSan or leak
# report.  A hang is caught by a generous timeout.
. "$SRCDIR/tests/e2e/lib.sh"

# Seeds holding keys are made fresh, never committed.
"$SRCDIR/tests/fuzz/make-seeds" "$tmp/seeds" || fail "cannot make the key and bundle seeds"
export NRM_FUZZ_SEEDS="$tmp/seeds"
targets=$("$SRCDIR/tests/fuzz/targets")
[ -n "$targets" ] || fail "no fuzz targets found"
for name in $targets; do
	prog="$BUILDDIR/tests/fuzz/fuzz_$name"
	if [ ! -x "$prog" ]; then
		fail "fuzz target $name is not built: add tests/fuzz/fuzz_$name to FUZZ_TARGETS in Makefile.am"
		continue
	fi
	mapfile -t inputs < <("$SRCDIR/tests/fuzz/targets" --seeds "$name")
	if [ ${#inputs[@]} -eq 0 ]; then
		fail "fuzz target $name has no seeds"
		continue
	fi
	if timeout 300 "$prog" "${inputs[@]}" >"$tmp/out" 2>"$tmp/err"; then
		assert_grep "^.*: ${#inputs[@]} inputs replayed$" "$tmp/out"
		assert_no_grep 'Sanitizer|runtime error' "$tmp/err"
	else
		fail "fuzz target $name failed (exit $?) on its seeds or regressions"
		tail -n 30 "$tmp/err" >&2
	fi
done
finish
