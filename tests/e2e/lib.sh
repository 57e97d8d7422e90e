# Shared helpers for the end-to-end tests, which run the real nrmhub binary
# on real files.  Sourced by each tests/e2e/*.sh; the automake harness sets
# NRMHUB (the binary), SRCDIR, BUILDDIR and NRM_TEST_MODULES.
set -u

: "${NRMHUB:?run through make check, or set NRMHUB to the nrmhub binary}"
: "${SRCDIR:?set SRCDIR to the source tree}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nrmhub-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Plugins found on the developer's own path must not leak into tests.
unset NRMHUB_PLUGIN_PATH
# Each test starts with an empty plugin registry of its own, never the one
# in the developer's cache folder.
NRMHUB_REGISTRY="$tmp/registry.json"
export NRMHUB_REGISTRY
# Under `make check-valgrind`, the shapes of command this test has run
# under valgrind (tests/valgrind/nrmhub).
if [ -n "${NRM_VALGRIND:-}" ]; then
	NRM_VALGRIND_SEEN="$tmp/valgrind-seen"
	export NRM_VALGRIND_SEEN
fi

checks=0
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

pass() {
	checks=$((checks + 1))
}

# expect_exit CODE CMD...: runs CMD, keeping its output in $tmp/stdout and
# $tmp/stderr, and checks its exit status.
expect_exit() {
	local want=$1 got
	shift
	"$@" >"$tmp/stdout" 2>"$tmp/stderr"
	got=$?
	if [ "$got" -ne "$want" ]; then
		fail "exit $got, expected $want: $*"
		sed 's/^/  stderr: /' "$tmp/stderr" | head -n 5 >&2
		return 1
	fi
	pass
}

# assert_grep PATTERN FILE: FILE has a line matching the extended regex.
assert_grep() {
	if grep -Eq -- "$1" "$2"; then
		pass
	else
		fail "no line matching '$1' in $2"
		sed 's/^/  | /' "$2" | head -n 5 >&2
		return 1
	fi
}

# assert_no_grep PATTERN FILE: no line of FILE matches.
assert_no_grep() {
	if grep -Eq -- "$1" "$2"; then
		fail "a line matches '$1' in $2"
		return 1
	fi
	pass
}

# assert_no_file PATH: nothing exists at PATH (no partial output).
assert_no_file() {
	if [ -e "$1" ]; then
		fail "$1 exists"
		return 1
	fi
	pass
}

# assert_same FILE1 FILE2: byte-identical files.
assert_same() {
	if cmp -s "$1" "$2"; then
		pass
	else
		fail "$1 and $2 differ"
		diff "$1" "$2" | head -n 10 >&2
		return 1
	fi
}

# assert_eq GOT WANT WHAT
assert_eq() {
	if [ "$1" = "$2" ]; then
		pass
	else
		fail "$3: got '$1', expected '$2'"
		return 1
	fi
}

# odf_schema: the OASIS ODF 1.2 schema (RELAX NG) that Debian ships inside
# libjopendocument-java, copied out to $tmp/odf-1.2.rng; false, with a
# message, when it or jing (Debian's jing) is not installed.
odf_schema() {
	[ -s "$tmp/odf-1.2.rng" ] && return 0
	local jar
	jar=$(ls /usr/share/java/jOpenDocument-*.jar 2>/dev/null | head -n 1)
	if ! command -v jing >/dev/null || [ -z "$jar" ]; then
		echo "$(basename "$0"): jing or libjopendocument-java is not installed (scripts/install-deps)" >&2
		return 1
	fi
	python3 -c 'import sys, zipfile
open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read(
    "org/jopendocument/dom/oofficeDTDs/OpenDocument-v1.2-schema.rng"))' "$jar" "$tmp/odf-1.2.rng"
}

# odf_valid FILE.ods: whether its content.xml, styles.xml, meta.xml and
# settings.xml are valid against the ODF 1.2 schema (odf_schema first);
# jing's report in $tmp/jing.out.  jing's -i: the OASIS schema itself
# breaks the DTD-compatibility rules for ID attributes that jing checks by
# default.
odf_valid() {
	local part parts=()
	rm -rf "$tmp/odf-parts" && mkdir "$tmp/odf-parts"
	for part in content.xml styles.xml meta.xml settings.xml; do
		python3 -c 'import sys, zipfile
open(sys.argv[3], "wb").write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
			"$1" "$part" "$tmp/odf-parts/$part" 2>"$tmp/jing.out" || return 1
		parts+=("$tmp/odf-parts/$part")
	done
	jing -i "$tmp/odf-1.2.rng" "${parts[@]}" >"$tmp/jing.out" 2>&1
}

# assert_odf_valid FILE.ods: odf_valid, as a check.
assert_odf_valid() {
	if odf_valid "$1"; then
		pass
	else
		fail "$1 is not valid ODF 1.2:"
		grep -v '^\[warning\]' "$tmp/jing.out" | head -n 10 >&2
		return 1
	fi
}

# return_payload DIR: the example return folder (tests/data/bundle/return:
# return.json and cases.csv, written by hand) with the outputs `return
# build` renders from it, so DIR holds exactly the set return.json lists.
return_payload() {
	mkdir -p "$1" &&
		cp "$SRCDIR/tests/data/bundle/return/return.json" "$SRCDIR/tests/data/bundle/return/cases.csv" "$1/" &&
		chmod u+w "$1/return.json" "$1/cases.csv" &&
		"$NRMHUB" -q return render -o "$1" "$1/return.json" >/dev/null ||
		fail "return_payload $1"
}

# finish: the script's result; call last.
finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$(basename "$0"): $failures of $((checks + failures)) checks failed" >&2
		exit 1
	fi
	if [ "$checks" -eq 0 ]; then
		echo "$(basename "$0"): no checks ran" >&2
		exit 1
	fi
	echo "$(basename "$0"): all $checks checks passed"
	exit 0
}

# assert_sdmx FILE...: each SDMX-CSV file's codes are in the shipped
# structure message's codelists and its keys unique (check_sdmx.py).
assert_sdmx() {
	if python3 "$SRCDIR/tests/e2e/check_sdmx.py" "$SRCDIR/schemas/nrmhub-sdmx.xml" "$@" \
		>"$tmp/sdmx.out" 2>&1; then
		pass
	else
		fail "check_sdmx.py $*:"
		head -n 10 "$tmp/sdmx.out" >&2
	fi
}
