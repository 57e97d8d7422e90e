#!/bin/bash
# report.html rendered by headless Chromium: the DOM it builds has the four
# charts, sized, labelled and drawn to scale, a Welsh site's page too (in
# Welsh and English, each part keeping its lang); a screenshot and a
# printout are made.  Skipped (77) only when Chromium is not installed;
# scripts/install-deps installs it (chromium).

set -u
. "$SRCDIR/tests/e2e/lib.sh"

chromium=$(command -v chromium || command -v chromium-browser) || {
	echo "return_html.sh: Chromium is not installed; skipped" >&2
	exit 77
}
data=$SRCDIR/tests/data/returns
check=$SRCDIR/tests/e2e/check_return.py

export HOME=$tmp/home
mkdir -p "$HOME"
# A profile of its own; no network is needed (and none is used: the page
# fetches nothing, which check_return.py also checks in the source).
browse() {
	timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$tmp/profile" --disable-extensions "$@" 2>>"$tmp/chromium.log"
}

for audience in official published welsh; do
	ret=$data/render-$audience.json
	page=$tmp/$audience/report.html
	expect_exit 0 "$NRMHUB" return render -o "$tmp/$audience" "$ret"
	browse --dump-dom "file://$page" >"$tmp/$audience-dom.html"
	if python3 "$check" html "$ret" "$tmp/$audience-dom.html" >"$tmp/check.out" 2>&1; then
		pass
	else
		fail "report.html ($audience) as Chromium built it:"
		head -n 20 "$tmp/check.out" "$tmp/chromium.log" >&2
	fi
done

# The Welsh page as Chromium built it: Welsh, marked, before English.
assert_grep '^<html lang="cy"' "$tmp/welsh-dom.html"
assert_grep '<h2 id="h-summary"><span lang="cy">Crynodeb</span> / <span lang="en-GB">Summary</span></h2>' \
	"$tmp/welsh-dom.html"

# A screenshot of the page: a PNG of the window's size, with something on it.
browse --window-size=1000,2400 --screenshot="$tmp/report.png" "file://$tmp/official/report.html" >/dev/null
if python3 - "$tmp/report.png" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (1000, 2400), (w, h)
assert len(data) > 20000, "a blank page"
PY
then
	pass
else
	fail "the screenshot of report.html"
fi

# It prints.
browse --no-pdf-header-footer --print-to-pdf="$tmp/report.pdf" "file://$tmp/official/report.html" >/dev/null
assert_eq "$(head -c 5 "$tmp/report.pdf" 2>/dev/null)" "%PDF-" "report.html printed to PDF"

finish
