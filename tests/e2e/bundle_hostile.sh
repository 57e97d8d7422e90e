#!/bin/bash
# Hostile bundles: each is refused by `nrmhub bundle verify` at its own step,
# with its own message and exit code, and nothing is ever written to disk.
# The archive faults are signed with the site's real key and the genuine
# trusted comment, so that the archive or bag check, not the signature, is
# what refuses them.  Needs minisign (to sign them) and python3.
. "$SRCDIR/tests/e2e/lib.sh"

for tool in minisign python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "bundle_hostile.sh: needs $tool (scripts/install-deps installs it)" >&2
		exit 1
	fi
done
hostile_py="$SRCDIR/tests/e2e/hostile_bundle.py"
cd "$tmp" || exit 1
payload="$tmp/payload"
return_payload "$payload"

"$NRMHUB" keygen -o site >/dev/null && "$NRMHUB" keygen -o other >/dev/null &&
	"$NRMHUB" keygen -o stranger >/dev/null || fail "keygen"
mkdir keys && cp site.pub keys/birmingham.pub && cp other.pub keys/coventry.pub
bag=birmingham_2025Q1_001
expect_exit 0 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key site.key \
	--now 2025-04-02T09:00:00Z -o .
comment=$(sed -n 's/^trusted comment: //p' "$bag.tar.gz.minisig")
mkdir genuine && tar xzf "$bag.tar.gz" -C genuine

# sign FILE [COMMENT [KEY]]: a signature made by the stock minisign.
sign() {
	minisign -S -s "${3:-site.key}" -t "${2:-$comment}" -m "$1" >/dev/null 2>&1 </dev/null ||
		fail "minisign could not sign $1"
}

# hostile CASE EXIT STEP PATTERN: builds the case, signs it, and checks that
# verify refuses it at STEP with a message matching PATTERN.
hostile() {
	local case=$1 code=$2 step=$3 pattern=$4 digest signed=$comment
	mkdir -p "h/$case"
	local out="h/$case/$bag.tar.gz"
	if ! digest=$(python3 "$hostile_py" "$case" "genuine/$bag" "$out"); then
		fail "$case: the hostile archive could not be built"
		return
	fi
	if [ -n "$digest" ]; then
		signed=$(printf '%s' "$comment" | sed "s/tagmanifest-sha512=.*/tagmanifest-sha512=$digest/")
	fi
	sign "$out" "$signed"
	expect_exit "$code" "$NRMHUB" bundle verify --keys keys "$out" || return
	[ "$code" -ne 0 ] || return
	assert_grep "^nrmhub bundle verify: step $step: $out: .*$pattern" "$tmp/stderr"
	assert_eq "$(wc -c <"$tmp/stdout")" 0 "bytes on stdout for a refused bundle ($case)"
}

# The harness itself is sound: the genuine bag, repacked by python and
# signed by minisign, is accepted.
hostile copy 0 0 'unused'

# Step 3: the archive.
hostile traversal 65 3 "entry '$bag/\.\./evil\.txt': '\.\.' in the path \(path traversal\)"
hostile absolute 65 3 "entry '/tmp/nrmhub-evil\.txt': absolute path"
hostile backslash 65 3 "entry '$bag/data\\\\x5cevil\.csv': backslash in the path"
hostile outside 65 3 "entry 'elsewhere/evil\.csv': not inside the bag's folder $bag/"
hostile symlink 65 3 "entry '$bag/data/link\.csv': a symbolic link"
hostile hardlink 65 3 "entry '$bag/data/hard\.csv': a hard link"
hostile device 65 3 "entry '$bag/data/dev': a device file"
hostile fifo 65 3 "entry '$bag/data/fifo': a FIFO or socket"
hostile sparse 65 3 "entry '$bag/data/sparse\.bin': a sparse file"
hostile duplicate 65 3 "entry '$bag/data/cases\.csv': appears twice \(duplicate entry\)"
hostile huge 65 3 "entry '$bag/data/huge\.bin': claims 10737418240 bytes, over the limit of 1073741824"
hostile bomb 65 3 "inflates more than 200 times its size \(a gzip bomb\?\)"
hostile many 65 3 "more than the limit of 10000 entries"
hostile plain-tar 65 3 "not a gzip-compressed tar archive"
hostile truncated 65 3 "the archive is truncated or corrupt"

# Step 4: the bag.
hostile unlisted 65 4 "bag $bag: data/extra\.csv is not listed in manifest-sha512\.txt"
hostile missing 65 4 "bag $bag: manifest-sha512\.txt:1 lists data/cases\.csv, which is not in the bag"
hostile altered 65 4 "bag $bag: data/cases\.csv does not match the SHA-512 at manifest-sha512\.txt:1 \(the file was altered\)"

# Step 5: the return (each bag rebuilt so that only return.json is wrong).
hostile return-site 65 5 'data/return\.json: \$\.site: not the site birmingham that the signature names'
hostile return-organization 65 5 "bag $bag: bag-info\.txt: Source-Organization is neither the site birmingham nor its name in data/return\.json"
hostile return-schema 65 5 'data/return\.json: \$\.schema: not "nrmhub-return/1"'
hostile return-broken 65 5 'data/return\.json:1:[0-9]+: '

# Step 5: the payload is exactly the return's file set (return.json $.files),
# and a secret or a store is refused even when listed.
hostile payload-stray 65 5 "data: cases\.jsonl: not one of the return's files \(return\.json \\\$\.files\)"
hostile payload-store 65 5 'data: nrmhub\.db: an SQLite database, never part of a return'
hostile payload-seckey 65 5 'data: site\.key: a minisign secret key, never part of a return'
hostile payload-pseudonym 65 5 'data: birmingham\.pseudonym\.key: a pseudonym key, never part of a return'
hostile payload-missing 65 5 'data: report\.html: listed in return\.json \$\.files\[20\] but missing'
# ... and its tables and SDMX-CSV hold exactly the figures of return.json,
# drawn again by the code that writes them.
hostile payload-table 65 5 "data: table_1\.csv: line 2, column 5 \(Number\): '999', return\.json gives '12'"
# ... and return.json agrees with itself: breakdowns sum to their totals,
# by the relations the tables declare.
hostile payload-total 65 5 "data: return\.json: \\\$\.referrals\.by_nationality: the rows sum to 12, not the total 999"
hostile payload-pattern 65 5 "data: return\.json: disclosure\.published_hidden\[0\] names no figure of the return"
hostile payload-sum 65 5 "data: return\.json: .*\(\\\$\.referrals\.total\) is 12, but its parts \(\\\$\.referrals\.by_gender.*\) add up to 13"
hostile payload-header 65 5 "data: table_1\.csv: line 1 \(the header\), column 5: 'Count', the table's is 'Number'"
# ... and its report runs nothing (libxml2's HTML parser reads it).
hostile payload-script 65 5 "data: report\.html: line [0-9]+: a <script> element; the report is a page without script"
hostile payload-onload 65 5 "data: report\.html: line [0-9]+: an event handler attribute onload"
hostile payload-jsurl 65 5 "data: report\.html: line [0-9]+: a javascript: URL in href"
hostile payload-sdmx 65 5 "data: return\.sdmx\.csv: line 2, column 20 \(OBS_VALUE\): '13', return\.json gives '12'"

# Nothing was ever extracted.
assert_no_file "$tmp/evil.txt"
assert_no_file "$tmp/h/evil.txt"
assert_no_file "$tmp/h/traversal/evil.txt"
assert_no_file "$tmp/h/symlink/$bag"
assert_eq "$(find "$tmp/h" -type f ! -name "$bag.tar.gz" ! -name "$bag.tar.gz.minisig" | wc -l)" 0 \
	"files written by verify"

# ---- signatures (step 1) and trusted comments (step 2) -----------------------
mkdir s
# sig_case NAME: a copy of the genuine bundle in s/NAME/, to spoil one way.
sig_case() {
	mkdir -p "s/$1"
	cp "$bag.tar.gz" "$bag.tar.gz.minisig" "s/$1/"
	echo "s/$1/$bag.tar.gz"
}
# refused CODE STEP PATTERN ARCHIVE [KEYS]
refused() {
	expect_exit "$1" "$NRMHUB" bundle verify --keys "${5:-keys}" "$4" || return
	assert_grep "^nrmhub bundle verify: step $2: .*$3" "$tmp/stderr"
}

a=$(sig_case genuine)
expect_exit 0 "$NRMHUB" bundle verify --keys keys "$a"

a=$(sig_case other-site)
sign "$a" "$comment" other.key
refused 77 1 "signed with the key of site coventry \(key ID [0-9A-F]{16}\), not with the key registered for site birmingham" "$a"

a=$(sig_case unknown-key)
sign "$a" "$comment" stranger.key
refused 77 1 "signed with an unknown key \(key ID [0-9A-F]{16}\)" "$a"

a=$(sig_case other-archive)
"$NRMHUB" bundle create --payload "$payload" --seq 2 --key site.key --now 2025-04-02T09:00:00Z \
	-o "s/other-archive" >/dev/null || fail "bundle create seq 2"
cp "s/other-archive/birmingham_2025Q1_002.tar.gz.minisig" "$a.minisig"
refused 77 1 "the signature does not match the archive" "$a"

a=$(sig_case legacy)
minisign -S -l -s site.key -t "$comment" -m "$a" >/dev/null 2>&1 </dev/null || fail "minisign -l"
refused 77 1 'legacy "Ed" signature \(over the whole file\) refused' "$a"

a=$(sig_case tampered-comment)
sed -i 's/seq=1\t/seq=2\t/' "$a.minisig"
refused 77 1 "the global signature does not match the trusted comment" "$a"

a=$(sig_case extra-lines)
echo "untrusted comment: one more" >>"$a.minisig"
refused 77 1 "has 5 lines \(extra lines after line 4\)" "$a"

a=$(sig_case blank-line)
echo >>"$a.minisig"
refused 77 1 "extra lines after line 4" "$a"

a=$(sig_case crlf)
sed -i 's/$/\r/' "$a.minisig"
refused 77 1 ":1: CR \(Windows\) line ending" "$a"

a=$(sig_case truncated-signature)
head -n 2 "$bag.tar.gz.minisig" >"$a.minisig"
refused 77 1 "is truncated: 2 lines" "$a"

a=$(sig_case no-signature)
rm "$a.minisig"
refused 77 1 "no usable signature: cannot read" "$a"

a=$(sig_case altered-archive)
printf 'x' | dd of="$a" bs=1 seek=100 conv=notrunc 2>/dev/null
refused 77 1 "the signature does not match the archive" "$a"

a=$(sig_case no-key)
mkdir nokeys && cp other.pub nokeys/coventry.pub
refused 77 1 "no key registered for site birmingham: cannot read nokeys/birmingham\.pub" "$a" nokeys

a=$(sig_case bad-site)
sign "$a" "site=../../etc/passwd"$'\t'"quarter=2025Q1"
refused 77 1 "does not start with a valid site=" "$a"

a=$(sig_case renamed)
mv "$a" "s/renamed/birmingham_2025Q1_009.tar.gz"
mv "$a.minisig" "s/renamed/birmingham_2025Q1_009.tar.gz.minisig"
refused 65 2 "the trusted comment names the bag $bag, so the archive must be called $bag\.tar\.gz" \
	"s/renamed/birmingham_2025Q1_009.tar.gz"

a=$(sig_case bad-quarter)
sign "$a" "$(printf '%s' "$comment" | sed 's/quarter=2025Q1/quarter=2025Q5/')"
refused 65 2 "trusted comment: quarter must be YYYYQn" "$a"

a=$(sig_case bag-disagrees)
sign "$a" "$(printf '%s' "$comment" | sed 's/seq=1/seq=7/')"
refused 65 2 "trusted comment: bag does not agree with site, quarter and seq \(expected bag=birmingham_2025Q1_007\)" "$a"

a=$(sig_case extra-field)
sign "$a" "$comment"$'\t'"note=x"
refused 65 2 "unexpected text after the tagmanifest-sha512 field" "$a"

a=$(sig_case wrong-digest)
sign "$a" "$(printf '%s' "$comment" | sed "s/tagmanifest-sha512=.*/tagmanifest-sha512=$(printf '0%.0s' $(seq 128))/")"
refused 65 4 "tagmanifest-sha512\.txt is not the one the trusted comment names" "$a"

# ---- one gzip member, nothing after it (step 3) ------------------------------
# libarchive reads concatenated members as one stream and stops at the tar's
# end, so a signed bundle could hide a second tar or any bytes behind its
# own: each is refused with the offset where the member ends.
size=$(wc -c <"$bag.tar.gz")
a=$(sig_case trailing-bytes)
printf 'hidden payload' >>"$a"
sign "$a"
refused 65 3 "$a: offset $size: 14 bytes after the end of the gzip member" "$a"

a=$(sig_case trailing-zeros)
head -c 512 /dev/zero >>"$a"
sign "$a"
refused 65 3 "$a: offset $size: 512 bytes after the end of the gzip member" "$a"

a=$(sig_case second-member)
mkdir -p s/second-member/extra/"$bag"/data && echo 'x' >s/second-member/extra/"$bag"/data/evil.csv
tar czf - -C s/second-member/extra "$bag" >>"$a"
sign "$a"
refused 65 3 "$a: offset $size: a second gzip member after the first" "$a"
# intake refuses it the same way, and does not accept it.
expect_exit 0 "$NRMHUB" keys add --store ho.db --nation england birmingham site.pub
mkdir inbox && cp "s/second-member/$bag.tar.gz" "s/second-member/$bag.tar.gz.minisig" inbox/
touch -d '1 minute ago' inbox/*
expect_exit 65 "$NRMHUB" intake --inbox inbox --store ho.db --json
assert_grep "step 3: inbox/$bag\\.tar\\.gz: offset $size: a second gzip member after the first" "$tmp/stdout"
assert_no_file "inbox/accepted/birmingham/2025Q1/$bag.tar.gz"
# The genuine bundle still passes (the check does not misjudge one member).
expect_exit 0 "$NRMHUB" bundle verify --keys keys "s/genuine/$bag.tar.gz"

# --json reports the failing step too.
expect_exit 77 "$NRMHUB" bundle verify --keys keys --json "s/legacy/$bag.tar.gz"
assert_eq "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["valid"], d["step"], d["exit"])' \
	<"$tmp/stdout")" "False 1 77" "--json failure summary"

finish
