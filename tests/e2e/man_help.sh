#!/bin/bash
# nrmhub(1) against the program: for every command and subcommand, the
# options the man page lists and those `nrmhub CMD --help` prints are the
# same, every usage line and SYNOPSIS entry that does not say [OPTION]...
# names them all (check_man_help.py), and `mandoc -Tlint` finds nothing.
# The checker is shown to catch a man page that lacks an option, and one
# that lists an option no command takes.
. "$SRCDIR/tests/e2e/lib.sh"

man="$SRCDIR/hub/nrmhub.1"
check="$SRCDIR/tests/e2e/check_man_help.py"

# checked MAN: check_man_help.py's report on MAN, in $tmp/report.
checked() { python3 "$check" "$NRMHUB" "$1" >"$tmp/report" 2>&1; }

if checked "$man"; then
	pass
else
	fail "nrmhub(1) and --help disagree:"
	grep -v ' problems$' "$tmp/report" | sed 's/^/  /' >&2
fi

# The checker's own test: nrmhub(1) without bundle create's --seq, and with
# an option bundle verify does not take.
python3 - "$man" "$tmp/no-seq.1" "$tmp/extra.1" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
seq = ".TP\n.BI \\-\\-seq \" n\"\n"
assert seq in text, "bundle create's --seq item"
open(sys.argv[2], "w", encoding="utf-8").write(text.replace(seq, ".PP\n", 1))
verify = ".BI \\-\\-signature \" file\"\n"
assert verify in text, "bundle verify's --signature item"
open(sys.argv[3], "w", encoding="utf-8").write(
    text.replace(verify, verify + "The signature.\n.TP\n.B \\-\\-no\\-such\\-option\n", 1))
PY
if checked "$tmp/no-seq.1"; then
	fail "the checker misses an option the man page lacks"
else
	assert_grep '^bundle create, bundle verify: --seq is in --help but not in nrmhub\(1\)$' "$tmp/report"
fi
if checked "$tmp/extra.1"; then
	fail "the checker misses an option no command takes"
else
	assert_grep '^bundle create, bundle verify: --no-such-option is in nrmhub\(1\) but not in --help$' \
		"$tmp/report"
fi

# The man page is clean for mandoc's linter (scripts/install-deps installs it).
if command -v mandoc >/dev/null; then
	mandoc -Tlint "$man" >"$tmp/lint" 2>&1
	if [ -s "$tmp/lint" ]; then
		fail "mandoc -Tlint:"
		head -n 20 "$tmp/lint" >&2
	else
		pass
	fi
else
	echo "$(basename "$0"): mandoc is not installed: the lint is skipped (scripts/install-deps)" >&2
fi
finish
