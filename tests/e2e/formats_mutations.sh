#!/bin/bash
# Damaged documents never crash a reader.  The Home Office and Northern
# Ireland examples are mutated 150 times each (bytes changed, cut, doubled,
# deleted; a fixed seed, so every run tries the same files) and read by the
# real binary: each run must end with 0 (the damage was harmless) or 65 (bad
# data, with a message naming the file), never a signal, another code, or a
# sanitizer report when built with --enable-sanitizers.

. "$SRCDIR/tests/e2e/lib.sh"

mutate() { # SOURCE COUNT PREFIX: writes PREFIX.N for N in 1..COUNT
	python3 - "$@" <<'PY'
import random, sys
src, count, prefix = open(sys.argv[1], "rb").read(), int(sys.argv[2]), sys.argv[3]
rng = random.Random(20251126)
pieces = [b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"\\u0000", b"\xe9", b"\x00",
          b"1e999", b"-", b"null", b"\n", b"99999999999999999999999"]
for n in range(1, count + 1):
    data = bytearray(src)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(data))
        kind = rng.randrange(5)
        if kind == 0:
            data[at] = rng.randrange(256)
        elif kind == 1:
            data[at:at] = rng.choice(pieces)
        elif kind == 2:
            del data[at:at + rng.randint(1, 40)]
        elif kind == 3:
            length = rng.randint(1, 200)
            data[at:at] = data[at:at + length]
        else:
            data = data[:at]
    open("%s.%d" % (prefix, n), "wb").write(data)
PY
}

check_runs() { # FORMAT PREFIX COUNT
	local format=$1 prefix=$2 count=$3 n rc
	local bad=0
	for ((n = 1; n <= count; n++)); do
		"$NRMHUB" validate --from "$format" "$prefix.$n" >/dev/null 2>"$tmp/stderr"
		rc=$?
		if { [ "$rc" -ne 0 ] && [ "$rc" -ne 65 ]; } ||
			grep -Eq 'Sanitizer|runtime error' "$tmp/stderr" ||
			{ [ "$rc" -eq 65 ] && ! grep -Fq "$(basename "$prefix").$n" "$tmp/stderr"; }; then
			fail "$format mutation $n: exit $rc"
			sed 's/^/  | /' "$tmp/stderr" | head -n 3 >&2
			bad=$((bad + 1))
		else
			pass
		fi
	done
	echo "$format: $count mutations, $bad bad outcomes"
}

mutate "$SRCDIR/examples/site/data/homeoffice-cases.json" 150 "$tmp/ho"
check_runs homeoffice-json "$tmp/ho" 150
mutate "$SRCDIR/examples/site/data/ni-referrals.jsonl" 150 "$tmp/ni"
check_runs ni-json "$tmp/ni" 150

finish
