#!/bin/bash
# Every HTML report, opened by Debian's headless Chromium at 375, 1280 and
# 1920 CSS pixels wide: axe-core finds no WCAG 2.2 A or AA violation (nor
# one of its best practices), and the page reflows (it never scrolls
# sideways, no element reaches past the window, each table scrolls in a
# named, focusable box of its own, and no table is empty).  The reports:
# the site return's of the fixtures (official and published, and a Welsh
# site's, in Welsh and English; every page that return render writes),
# and the national report, official (no site
# missing: its table of missing sites is a sentence) and published.
# html_axe.js drives the browser.
#
# Skipped (77) under the sanitizers, and when Chromium, Node.js or the npm packages (axe-core and
# playwright-core, in NRM_AXE_MODULES, by default where scripts/install-deps
# puts them) are not installed.

set -u
. "$SRCDIR/tests/e2e/lib.sh"

# The sanitizer build writes the same bytes (reproducible.sh), and the
# browser is not what it instruments: the plain build's run is the check.
if [ -n "${NRM_SANITIZED:-}" ]; then
	echo "html_axe.sh: the reports are checked in the plain build; skipped under the sanitizers" >&2
	exit 77
fi

modules=${NRM_AXE_MODULES:-/usr/local/lib/nrmhub-axe/node_modules}
chromium=$(command -v chromium || command -v chromium-browser) || {
	echo "html_axe.sh: Chromium is not installed (scripts/install-deps); skipped" >&2
	exit 77
}
command -v node >/dev/null || {
	echo "html_axe.sh: Node.js is not installed (scripts/install-deps); skipped" >&2
	exit 77
}
for m in axe-core playwright-core; do
	[ -f "$modules/$m/package.json" ] || {
		echo "html_axe.sh: $m is not in $modules (scripts/install-deps); skipped" >&2
		exit 77
	}
done

now=2025-04-02T09:00:00Z
cd "$tmp" || exit 1
pages=()

# The site return's report: the fixtures, and every page render writes.
for audience in official published welsh; do
	expect_exit 0 "$NRMHUB" return render -o "site-$audience" \
		"$SRCDIR/tests/data/returns/render-$audience.json"
	pages+=("site-$audience"/*.html)
done

# Three sites' returns, consolidated (as tests/e2e/national_published.sh).
gen="$SRCDIR/tests/data/national_published/gen_cases.py"
python3 "$gen" alpha 40 1 E06000010 >alpha.jsonl
python3 "$gen" bravo 30 2 E06000020 >bravo.jsonl
python3 "$gen" cymru 3 3 W06000015 >cymru.jsonl
mkdir inbox
for site in alpha bravo cymru; do
	expect_exit 0 "$NRMHUB" keygen -o "$site"
	expect_exit 0 "$NRMHUB" import --store "$site.db" --from case-jsonl "$site.jsonl"
	expect_exit 0 "$NRMHUB" bundle create --store "$site.db" --quarter 2025Q1 --key "$site.key" \
		--now "$now" -o inbox
	expect_exit 0 "$NRMHUB" keys add --store ho.db --nation england "$site" "$site.pub"
done
expect_exit 0 "$NRMHUB" intake --inbox inbox --store ho.db --settle 0
expect_exit 0 "$NRMHUB" national build --quarter 2025Q1 --store ho.db --now "$now" -o nat
expect_exit 0 "$NRMHUB" national build --quarter 2025Q1 --store ho.db --now "$now" \
	--audience published -o nat-pub
# delta is registered and sends nothing: the table of missing sites has a row.
expect_exit 0 "$NRMHUB" keygen -o delta
expect_exit 0 "$NRMHUB" keys add --store ho.db --nation england delta delta.pub
expect_exit 0 "$NRMHUB" national build --quarter 2025Q1 --store ho.db --now "$now" -o nat-missing
pages+=(nat/*.html nat-pub/*.html)
# The sentence in place of the empty table, and the row where there is one
# (that page is the complete one's but for the row, and is not opened).
assert_grep '</strong>: none this quarter\.</p>' nat/report.html
assert_grep '<th scope="row">delta</th><td>no return</td>' nat-missing/report.html

# Chromium's profile and Playwright's temporary files stay in $tmp.
export HOME=$tmp/home TMPDIR=$tmp
mkdir -p "$HOME"
timeout 600 node "$SRCDIR/tests/e2e/html_axe.js" "$modules" "$chromium" 375,1280,1920 \
	"${pages[@]}" >axe.out 2>axe.err
rc=$?
if [ "$rc" -ne 0 ]; then
	fail "html_axe.js could not drive Chromium (exit $rc):"
	head -n 20 axe.err >&2
fi
while IFS= read -r line; do
	case $line in
	PASS\ *) pass ;;
	FAIL\ *) fail "${line#FAIL }" ;;
	*) echo "$line" >&2 ;;
	esac
done <axe.out
# Every page at every width, both checks.
assert_eq "$(grep -c '^\(PASS\|FAIL\) ' axe.out)" $((${#pages[@]} * 3 * 2)) "checks html_axe.js made"

finish
