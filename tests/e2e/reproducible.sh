#!/bin/bash
# The same bundle, byte for byte, under three time zones and three locales:
# `bundle create` from copies of one store, with --now, under TZ=UTC,
# Europe/London and Pacific/Auckland (13 hours from UTC on the day) and
# LC_ALL=C, C.UTF-8 and cy_GB.UTF-8 (each pair), the .tar.gz and its
# signature compared with the first's, and a Welsh site's bundle under two
# of them.  Every time inside (the zip entries of return.ods, the tar
# headers, bag-info.txt) comes from --now, in UTC.
# Skipped (77) only when the Welsh locale or the zone data is missing;
# scripts/install-deps installs tzdata and generates the locale.
. "$SRCDIR/tests/e2e/lib.sh"

zones=(UTC Europe/London Pacific/Auckland)
locales=(C C.UTF-8 cy_GB.UTF-8)
if ! locale -a 2>/dev/null | grep -qix 'cy_GB.utf8'; then
	echo "reproducible.sh: the locale cy_GB.UTF-8 is missing (scripts/install-deps makes it); skipped" >&2
	exit 77
fi
if [ "$(TZ=Pacific/Auckland date -d @1743584400 +%H)" != 22 ]; then
	echo "reproducible.sh: no zone data for Pacific/Auckland (tzdata); skipped" >&2
	exit 77
fi

now=2025-04-02T09:00:00Z
bag=birmingham_2025Q1_002
cd "$tmp" || exit 1
expect_exit 0 "$NRMHUB" keygen -o site
mkdir base base/out
expect_exit 0 "$NRMHUB" import --store base/cases.db --from council-csv \
	"$SRCDIR/examples/site/data/council-cases.csv"
# The first bundle makes the site's pseudonym key, which each copy then shares.
expect_exit 0 "$NRMHUB" --store base/cases.db bundle create --quarter 2025Q1 --key site.key \
	--now "$now" -o base/out

first=
for zone in "${zones[@]}"; do
	for loc in "${locales[@]}"; do
		run="run-${zone//\//-}-$loc"
		cp -a base "$run"
		TZ=$zone LC_ALL=$loc LANG=$loc expect_exit 0 "$NRMHUB" --store "$run/cases.db" \
			bundle create --quarter 2025Q1 --key site.key --now "$now" -o "$run/out" || continue
		[ -s "$run/out/$bag.tar.gz" ] || { fail "$run: no $bag.tar.gz"; continue; }
		if [ -z "$first" ]; then
			first=$run
			continue
		fi
		for f in "$bag.tar.gz" "$bag.tar.gz.minisig"; do
			if cmp -s "$first/out/$f" "$run/out/$f"; then
				pass
			else
				fail "$f differs between $first and $run"
			fi
		done
	done
done

# A Welsh site's bundle too (its workbook and page in Welsh and English,
# the cover's dates with Welsh month names, which come from nrmhub's own
# table and never from the locale): the same bytes under UTC and C as under
# Pacific/Auckland and cy_GB.UTF-8.
for run in welsh-C welsh-cy; do
	cp -a base "$run"
done
TZ=UTC LC_ALL=C LANG=C expect_exit 0 "$NRMHUB" --store welsh-C/cases.db bundle create \
	--quarter 2025Q1 --area W06000015 --key site.key --now "$now" -o welsh-C/out
TZ=Pacific/Auckland LC_ALL=cy_GB.UTF-8 LANG=cy_GB.UTF-8 expect_exit 0 "$NRMHUB" \
	--store welsh-cy/cases.db bundle create --quarter 2025Q1 --area W06000015 --key site.key \
	--now "$now" -o welsh-cy/out
for f in "$bag.tar.gz" "$bag.tar.gz.minisig"; do
	assert_same "welsh-C/out/$f" "welsh-cy/out/$f"
done
tar -xzf "welsh-C/out/$bag.tar.gz" -C welsh-C "$bag/data/report.html"
assert_grep '^<html lang="cy">' "welsh-C/$bag/data/report.html"

# The times inside are the return's, in UTC: the zip entries of return.ods
# at 09:00, as the tar entries are.
tar -xzf "$first/out/$bag.tar.gz" -C "$tmp" "$bag/data/return.ods"
assert_eq "$(python3 -c 'import sys, zipfile
print(sorted({i.date_time for i in zipfile.ZipFile(sys.argv[1]).infolist()}))' "$tmp/$bag/data/return.ods")" \
	"[(2025, 4, 2, 9, 0, 0)]" "return.ods entry dates"
assert_eq "$(TZ=Pacific/Auckland tar -tvzf "$first/out/$bag.tar.gz" --utc 2>/dev/null |
	awk '{print $4, $5}' | sort -u)" "2025-04-02 09:00" "tar entry dates"

finish
