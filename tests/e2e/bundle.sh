#!/bin/bash
# `nrmhub keygen` and `nrmhub bundle create|verify`: keys, the bag, the
# archive's reproducible layout, the signature, usage errors, and outputs
# that appear whole or not at all.
. "$SRCDIR/tests/e2e/lib.sh"

now=2025-04-02T09:00:00Z
bag=birmingham_2025Q1_001
man="$SRCDIR/hub/nrmhub.1"
cd "$tmp" || exit 1
payload="$tmp/payload"
return_payload "$payload"

# ---- help (the man page against --help: man_help.sh) ----------------------------
for cmd in keygen bundle; do
	expect_exit 0 "$NRMHUB" "$cmd" --help && assert_grep "^Usage: nrmhub $cmd" "$tmp/stdout"
done
expect_exit 0 "$NRMHUB" bundle create --help && assert_grep '^Usage: nrmhub bundle create' "$tmp/stdout"
expect_exit 0 "$NRMHUB" help bundle && assert_grep '^Usage: nrmhub bundle' "$tmp/stdout"

# ---- keygen ------------------------------------------------------------------
expect_exit 0 "$NRMHUB" keygen -o site
assert_grep '^key ID [0-9A-F]{16}: public key site\.pub, secret key site\.key$' "$tmp/stdout"
assert_eq "$(stat -c %a site.key)" 600 "secret key mode"
assert_eq "$(stat -c %a site.pub)" 644 "public key mode"
assert_eq "$(sed -n 1p site.pub)" "untrusted comment: minisign public key $(sed -n 's/^key ID \([0-9A-F]*\):.*/\1/p' "$tmp/stdout")" \
	"public key comment names the key ID"
# The public key: "Ed", 8-byte key number, 32-byte key; the secret key: 158 bytes.
assert_eq "$(sed -n 2p site.pub | base64 -d | head -c 2)" "Ed" "public key algorithm"
assert_eq "$(sed -n 2p site.pub | base64 -d | wc -c)" 42 "public key length"
assert_eq "$(sed -n 2p site.key | base64 -d | wc -c)" 158 "secret key length"
assert_eq "$(sed -n 2p site.key | base64 -d | head -c 6 | od -An -c | tr -d ' \n')" 'Ed\0\0B2' \
	"secret key: Ed, no KDF, B2 checksum"
cp site.key site.key.before
expect_exit 73 "$NRMHUB" keygen -o site && assert_grep 'already exists; not replacing a key' "$tmp/stderr"
assert_same site.key site.key.before
expect_exit 0 "$NRMHUB" keygen -o site --force
if cmp -s site.key site.key.before; then fail "--force did not replace the key"; else pass; fi
expect_exit 64 "$NRMHUB" keygen extra && assert_grep "unexpected argument 'extra'" "$tmp/stderr"
# Folders not made yet are made, private (cli.sh checks every -o).
expect_exit 0 "$NRMHUB" keygen -o "$tmp/no/such/dir/k"
assert_eq "$(stat -c %a "$tmp/no" "$tmp/no/such" "$tmp/no/such/dir" | sort -u)" 700 "keygen's new folders"
assert_eq "$(stat -c %a "$tmp/no/such/dir/k.key")" 600 "a key in new folders"
: >empty-password
expect_exit 65 "$NRMHUB" keygen -o nopw --password-file empty-password
assert_grep 'first line is empty' "$tmp/stderr"
assert_no_file nopw.key
mkdir keys && cp site.pub keys/birmingham.pub

# ---- bundle create -------------------------------------------------------------
mkdir out
expect_exit 0 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key site.key --now "$now" -o out
assert_eq "$(cat "$tmp/stdout")" "out/$bag.tar.gz
out/$bag.tar.gz.minisig" "create prints the bundle's files"
assert_eq "$(wc -c <"$tmp/stderr")" 0 "bytes on stderr of a clean create"
assert_eq "$(stat -c %a "out/$bag.tar.gz")" 600 "bundle mode"
assert_eq "$(ls -A out | grep -c tmp)" 0 "temporary files left behind"

# The signature: minisign's hashed format, and the trusted comment.
sig="out/$bag.tar.gz.minisig"
assert_eq "$(wc -l <"$sig")" 4 "signature lines"
assert_eq "$(sed -n 2p "$sig" | base64 -d | head -c 2)" "ED" "signature algorithm"
tagsum=$(tar xzf "out/$bag.tar.gz" -O "$bag/tagmanifest-sha512.txt" | sha512sum | cut -d' ' -f1)
assert_eq "$(sed -n 3p "$sig")" "trusted comment: site=birmingham	quarter=2025Q1	seq=1	bag=$bag	tagmanifest-sha512=$tagsum" \
	"trusted comment"

# The archive: entries sorted, folders then files as tar lists them, root
# owned, fixed modes and times, a gzip header without time or name.
python3 - "out/$bag.tar.gz" >"$tmp/layout" <<'EOF'
import sys, tarfile
with open(sys.argv[1], "rb") as f:
    head = f.read(10)
print("gzip flags=%d mtime=%d" % (head[3], int.from_bytes(head[4:8], "little")))
with tarfile.open(sys.argv[1], "r:gz") as t:
    for m in t.getmembers():
        print(m.name, "dir" if m.isdir() else "file" if m.isfile() else "other",
              oct(m.mode), m.uid, m.gid, m.uname, m.gname, m.mtime, m.size if m.isfile() else 0,
              sorted(m.pax_headers))
EOF
# The payload's files in byte order, each with its size; the manifest
# holds one line of 128 hex digits, two spaces and data/NAME per file.
payload_files=$(cd "$payload" && LC_ALL=C ls)
n_files=$(printf '%s\n' "$payload_files" | wc -l)
octets=$(cat "$payload"/* | wc -c)
info_bytes=$(printf 'Source-Organization: birmingham\nExternal-Identifier: %s\nBagging-Date: 2025-04-02\nPayload-Oxum: %s.%s\nAudience: official\n' \
	"$bag" "$octets" "$n_files" | wc -c)
manifest_bytes=$(for f in $payload_files; do printf '%0128d  data/%s\n' 0 "$f"; done | wc -c)
{
	echo "gzip flags=0 mtime=0"
	echo "$bag dir 0o755 0 0 root root 1743584400 0 []"
	echo "$bag/bag-info.txt file 0o644 0 0 root root 1743584400 $info_bytes []"
	echo "$bag/bagit.txt file 0o644 0 0 root root 1743584400 54 []"
	echo "$bag/data dir 0o755 0 0 root root 1743584400 0 []"
	for f in $payload_files; do
		echo "$bag/data/$f file 0o644 0 0 root root 1743584400 $(stat -c %s "$payload/$f") []"
	done
	echo "$bag/manifest-sha512.txt file 0o644 0 0 root root 1743584400 $manifest_bytes []"
	echo "$bag/tagmanifest-sha512.txt file 0o644 0 0 root root 1743584400 433 []"
} >"$tmp/layout.want"
assert_eq "$n_files" 23 "the example return's files"
assert_same "$tmp/layout" "$tmp/layout.want"

# The bag, checked by other tools: bagit.txt, bag-info.txt, and sha512sum
# agreeing with both manifests.
mkdir x && tar xzf "out/$bag.tar.gz" -C x
printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$tmp/bagit.want"
assert_same "x/$bag/bagit.txt" "$tmp/bagit.want"
printf 'Source-Organization: birmingham\nExternal-Identifier: %s\nBagging-Date: 2025-04-02\nPayload-Oxum: %s.%s\nAudience: official\n' \
	"$bag" "$octets" "$n_files" >"$tmp/info.want"
assert_same "x/$bag/bag-info.txt" "$tmp/info.want"
(cd "x/$bag" && sha512sum --quiet --strict -c manifest-sha512.txt && sha512sum --quiet --strict -c tagmanifest-sha512.txt) &&
	pass || fail "sha512sum does not agree with the manifests"
for f in $payload_files; do
	assert_same "x/$bag/data/$f" "$payload/$f"
done

# Reproducible: the same inputs, --now and --seq give the same bytes; the
# signature too (Ed25519 is deterministic).
mkdir again
expect_exit 0 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key site.key --now "$now" -o again
assert_same "again/$bag.tar.gz" "out/$bag.tar.gz"
# -o a folder not made yet: made, as mkdir -p would.
expect_exit 0 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key site.key --now "$now" \
	-o new/out
assert_same "new/out/$bag.tar.gz" "out/$bag.tar.gz"
assert_same "again/$bag.tar.gz.minisig" "out/$bag.tar.gz.minisig"
mkdir later
expect_exit 0 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key site.key \
	--now 2025-04-03T09:00:00Z -o later
if cmp -s "later/$bag.tar.gz" "out/$bag.tar.gz"; then fail "--now does not change the archive"; else pass; fi
# A date alone is midnight UTC.
mkdir midnight
expect_exit 0 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key site.key --now 2025-04-02 -o midnight
assert_eq "$(tar tvzf "midnight/$bag.tar.gz" --utc --full-time | head -n 1 | awk '{print $4, $5}')" \
	"2025-04-02 00:00:00" "--now DATE is midnight UTC"
# The sequence number is zero-padded in the name, plain in the comment.
expect_exit 0 "$NRMHUB" bundle create --payload "$payload" --seq 42 --key site.key --now "$now" -o out
assert_grep '	seq=42	bag=birmingham_2025Q1_042	' "out/birmingham_2025Q1_042.tar.gz.minisig"

expect_exit 0 "$NRMHUB" bundle create --payload "$payload" --seq 43 --key site.key --now "$now" -o out --json
assert_eq "$(python3 -c 'import json,sys; d=json.load(sys.stdin)
print(d["archive"], d["signature"], d["bag"], d["site"], d["quarter"], d["seq"], len(d["key_id"]), len(d["tagmanifest_sha512"]))' <"$tmp/stdout")" \
	"out/birmingham_2025Q1_043.tar.gz out/birmingham_2025Q1_043.tar.gz.minisig birmingham_2025Q1_043 birmingham 2025Q1 43 16 128" \
	"create --json"
assert_eq "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["archive_bytes"])' <"$tmp/stdout")" \
	"$(stat -c %s out/birmingham_2025Q1_043.tar.gz)" "create --json archive_bytes"

# ---- bundle verify --------------------------------------------------------------
expect_exit 0 "$NRMHUB" bundle verify --keys keys "out/$bag.tar.gz"
assert_grep "^valid: $bag, signed with key ID [0-9A-F]{16}$" "$tmp/stdout"
assert_grep '^site: birmingham$' "$tmp/stdout"
assert_grep '^quarter: 2025Q1$' "$tmp/stdout"
assert_grep '^sequence: 1$' "$tmp/stdout"
assert_grep "^files: $n_files \\($octets bytes\\)\$" "$tmp/stdout"
assert_grep '^referrals: 12$' "$tmp/stdout"
assert_grep '^RG decisions: 7 positive, 2 negative$' "$tmp/stdout"
assert_grep '^CG decisions: 3 positive, 1 negative$' "$tmp/stdout"
assert_eq "$(wc -c <"$tmp/stderr")" 0 "bytes on stderr of a clean verify"
expect_exit 0 "$NRMHUB" bundle verify --keys keys --json "out/$bag.tar.gz"
assert_eq "$(python3 -c 'import json,sys; d=json.load(sys.stdin)
print(d["valid"], d["site"], d["quarter"], d["seq"], d["bag"], d["files"], d["payload_bytes"], d["referrals"], d["rg_decisions"]["positive"], d["cg_decisions"]["negative"])' <"$tmp/stdout")" \
	"True birmingham 2025Q1 1 $bag $n_files $octets 12 7 1" "verify --json"
# --signature names the signature file when it is elsewhere.
mkdir elsewhere && cp "out/$bag.tar.gz" elsewhere/
expect_exit 77 "$NRMHUB" bundle verify --keys keys "elsewhere/$bag.tar.gz"
expect_exit 0 "$NRMHUB" bundle verify --keys keys --signature "$sig" "elsewhere/$bag.tar.gz"
expect_exit 66 "$NRMHUB" bundle verify --keys keys "out/nosuch.tar.gz"

# ---- refusals when creating -------------------------------------------------------
# A bundle is never replaced.
cp "out/$bag.tar.gz" "$tmp/before.tar.gz"
expect_exit 73 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key site.key --now "$now" -o out
assert_grep "out/$bag\.tar\.gz already exists" "$tmp/stderr"
assert_same "out/$bag.tar.gz" "$tmp/before.tar.gz"
# A secret key others can read is refused, saying how to fix it.
cp site.key loose.key && chmod 640 loose.key
mkdir loose
expect_exit 77 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key loose.key --now "$now" -o loose
assert_grep 'loose\.key: the secret key can be read or written by group or others \(mode 0640\); refusing to use it\. Make it private with: chmod 600 loose\.key' "$tmp/stderr"
assert_eq "$(ls -A loose | wc -l)" 0 "files written with a loose key"
chmod 604 loose.key
expect_exit 77 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key loose.key --now "$now" -o loose
# Usage errors.
expect_exit 64 "$NRMHUB" bundle && assert_grep 'give a subcommand' "$tmp/stderr"
expect_exit 64 "$NRMHUB" bundle frob && assert_grep "no such subcommand 'frob'" "$tmp/stderr"
expect_exit 64 "$NRMHUB" bundle create --seq 1 --key site.key &&
	assert_grep 'give one of --quarter YYYYQn and --payload DIR' "$tmp/stderr"
expect_exit 64 "$NRMHUB" bundle create --quarter 2025Q1 --payload "$payload" --key site.key
expect_exit 64 "$NRMHUB" bundle create --payload "$payload" --audience published --key site.key
# Without --seq the number comes from the case store, which is never made here.
expect_exit 66 "$NRMHUB" bundle create --payload "$payload" --key site.key -o loose
assert_grep 'bundles are counted in the case store: give --seq N' "$tmp/stderr"
assert_no_file nrmhub.db
for bad in 0 -1 1000000 1x; do
	expect_exit 64 "$NRMHUB" bundle create --payload "$payload" --seq "$bad" --key site.key -o loose
done
expect_exit 64 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key site.key --now yesterday -o loose
assert_grep "--now 'yesterday': not an RFC 3339 time or a date" "$tmp/stderr"
expect_exit 64 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key site.key --now 1969-12-31 -o loose
expect_exit 64 "$NRMHUB" bundle verify "out/$bag.tar.gz" && assert_grep '--keys DIR is required' "$tmp/stderr"
expect_exit 64 "$NRMHUB" bundle verify --keys keys && assert_grep 'give exactly one BAG\.tar\.gz' "$tmp/stderr"
# ---- from the case store: build the quarter's return, number and bundle it ----
# The store in its own folder: its keys/ (the pseudonym key) is not the
# public keys folder of this test.
mkdir site
expect_exit 0 "$NRMHUB" import --store site/cases.db --from council-csv \
	"$SRCDIR/examples/site/data/council-cases.csv"
mkdir stored
for seq in 001 002; do
	expect_exit 0 "$NRMHUB" --store site/cases.db bundle create --quarter 2025Q1 --key site.key \
		--now "$now" -o stored && assert_grep "stored/birmingham_2025Q1_$seq\.tar\.gz$" "$tmp/stdout"
	expect_exit 0 "$NRMHUB" bundle verify --keys keys "stored/birmingham_2025Q1_$seq.tar.gz"
	if command -v minisign >/dev/null; then
		expect_exit 0 minisign -V -q -p site.pub -m "stored/birmingham_2025Q1_$seq.tar.gz"
	fi
done
# The bag holds the whole return, and nothing of the folder it was built in.
tar -tzf stored/birmingham_2025Q1_001.tar.gz >"$tmp/listing"
for f in return.json cases.csv return.ods report.html return.sdmx.csv csv-metadata.json; do
	assert_grep "^birmingham_2025Q1_001/data/$f\$" "$tmp/listing"
done
assert_eq "$(ls -A stored | grep -c '^\.nrmhub-return')" 0 "build folders left behind"
# The published audience is bundled the same way, with no record-level extract.
expect_exit 0 "$NRMHUB" bundle create --store site/cases.db --quarter 2025Q1 --audience published \
	--key site.key --now "$now" -o stored
tar -tzf stored/birmingham_2025Q1_003.tar.gz >"$tmp/listing"
assert_no_grep '/data/cases\.csv$' "$tmp/listing"
assert_grep '"audience": "published"' <(tar -xzOf stored/birmingham_2025Q1_003.tar.gz \
	birmingham_2025Q1_003/data/return.json)
# The site's name (--site-name, or the configuration's site.name) is in
# return.json, and bag-info.txt's Source-Organization says it (RFC 8493's
# field for the organisation that sends the bag); a return without one is
# bagged, as before, under the site's code (above).
info_of() { tar -xzOf "stored/$1.tar.gz" "$1/bag-info.txt"; }
expect_exit 0 "$NRMHUB" bundle create --store site/cases.db --quarter 2025Q1 --key site.key \
	--now "$now" -o stored --site-name "Birmingham Children's Trust"
assert_eq "$(info_of birmingham_2025Q1_004 | head -n 1)" "Source-Organization: Birmingham Children's Trust" \
	"Source-Organization of a named return"
assert_grep '"site_name": "Birmingham Children'"'"'s Trust"' <(tar -xzOf stored/birmingham_2025Q1_004.tar.gz \
	birmingham_2025Q1_004/data/return.json)
expect_exit 0 "$NRMHUB" bundle verify --keys keys stored/birmingham_2025Q1_004.tar.gz
assert_grep '^site: birmingham$' "$tmp/stdout"
assert_grep "^site name: Birmingham Children's Trust\$" "$tmp/stdout"
expect_exit 0 "$NRMHUB" bundle verify --keys keys --json stored/birmingham_2025Q1_004.tar.gz
assert_eq "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["site"], "|", d["site_name"])' <"$tmp/stdout")" \
	"birmingham | Birmingham Children's Trust" "verify --json site_name"
printf '{"site": {"code": "birmingham", "name": "Birmingham Children'"'"'s Trust"}, "store": "cases.db", "jobs": []}\n' \
	>site/nrmhub.json
expect_exit 0 "$NRMHUB" --config site/nrmhub.json bundle create --store site/cases.db --quarter 2025Q1 \
	--audience published --key site.key --now "$now" -o stored
assert_eq "$(info_of birmingham_2025Q1_005 | head -n 1)" "Source-Organization: Birmingham Children's Trust" \
	"Source-Organization from the configuration"
expect_exit 0 "$NRMHUB" bundle verify --keys keys stored/birmingham_2025Q1_005.tar.gz
# A folder's return that names the site is bagged under that name too.
mkdir named && tar -xzf stored/birmingham_2025Q1_004.tar.gz -C named
expect_exit 0 "$NRMHUB" bundle create --payload named/birmingham_2025Q1_004/data --seq 9 --key site.key \
	--now "$now" -o stored
assert_eq "$(info_of birmingham_2025Q1_009 | head -n 1)" "Source-Organization: Birmingham Children's Trust" \
	"Source-Organization of a named return folder"
expect_exit 64 "$NRMHUB" bundle create --payload "$payload" --site-name X --seq 1 --key site.key -o loose
assert_grep '--provisional-months and --force go with --quarter' "$tmp/stderr"
expect_exit 64 "$NRMHUB" bundle create --store site/cases.db --quarter 2025Q1 --key site.key \
	--site-name "$(printf 'B\nAudience: published')" -o stored
assert_no_file stored/birmingham_2025Q1_010.tar.gz
# A quarter that cannot be built: no bundle, and no number spent.
expect_exit 64 "$NRMHUB" bundle create --store site/cases.db --quarter 2025Q7 --key site.key -o stored
assert_no_file stored/birmingham_2025Q7_001.tar.gz

# Payloads that cannot be bundled: nothing written.
expect_exit 66 "$NRMHUB" bundle create --payload "$tmp/nosuch" --seq 1 --key site.key -o loose
assert_grep "cannot read $tmp/nosuch/return\.json" "$tmp/stderr"
expect_exit 66 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key nosuch.key -o loose
mkdir p1 && cp "$payload"/* p1/ && ln -s /etc/passwd p1/link.csv
expect_exit 65 "$NRMHUB" bundle create --payload p1 --seq 1 --key site.key --now "$now" -o loose
assert_grep 'p1/link\.csv: only regular files and folders go in a bag' "$tmp/stderr"
mkdir p2 && cp "$payload"/* p2/ && echo x >"p2/bad name.csv"
expect_exit 65 "$NRMHUB" bundle create --payload p2 --seq 1 --key site.key --now "$now" -o loose
assert_grep "p2/bad name\.csv: cannot go in a bag: a character outside" "$tmp/stderr"
mkdir p3 && cp "$payload"/* p3/ && echo x >p3/.hidden
expect_exit 65 "$NRMHUB" bundle create --payload p3 --seq 1 --key site.key --now "$now" -o loose
assert_grep "p3/\.hidden: cannot go in a bag: a component starting with '\.'" "$tmp/stderr"
mkdir p3b && cp "$payload"/* p3b/ && echo x >"p3b/$(printf 'n%.0s' $(seq 101)).csv"
expect_exit 65 "$NRMHUB" bundle create --payload p3b --seq 1 --key site.key --now "$now" -o loose
assert_grep "cannot go in a bag: a component longer than 100 bytes" "$tmp/stderr"
deep=p3c/$(printf 'd%.0s' $(seq 60))/$(printf 'e%.0s' $(seq 60))
mkdir -p "$deep" && cp "$payload"/* p3c/ && echo x >"$deep/x.csv"
expect_exit 65 "$NRMHUB" bundle create --payload p3c --seq 1 --key site.key --now "$now" -o loose
assert_grep "x\.csv: cannot go in a bag: its folders' path is longer than 100 bytes" "$tmp/stderr"
mkdir p4 && sed 's/"site": "birmingham"/"site": "Birmingham!"/' "$payload/return.json" >p4/return.json
expect_exit 65 "$NRMHUB" bundle create --payload p4 --seq 1 --key site.key --now "$now" -o loose
assert_grep 'p4/return\.json: \$\.site: missing or not a valid site code' "$tmp/stderr"
mkdir p5 && echo '{"site":' >p5/return.json
expect_exit 65 "$NRMHUB" bundle create --payload p5 --seq 1 --key site.key --now "$now" -o loose
assert_grep 'p5/return\.json:2:[0-9]+: ' "$tmp/stderr"
touch "$tmp/a-file"
expect_exit 73 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key site.key --now "$now" -o "$tmp/a-file/out"
assert_eq "$(ls -A loose | wc -l)" 0 "files written by refused creates"

# ---- encrypted keys (scrypt: a few seconds each) -------------------------------------
printf 'correct horse\n' >pw
printf 'wrong horse\n' >wrong
expect_exit 0 "$NRMHUB" keygen -o locked --password-file pw
assert_eq "$(sed -n 2p locked.key | base64 -d | head -c 6 | od -An -c | tr -d ' \n')" 'EdScB2' \
	"encrypted secret key: Ed, scrypt, B2"
mkdir enc
expect_exit 77 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key locked.key --now "$now" -o enc
assert_grep 'the secret key is encrypted: give its password with --password-file FILE' "$tmp/stderr"
# Opening the key: not under valgrind, where each key derivation (scrypt
# over 1 GiB) takes half a minute; keygen above made one there, and the
# sanitizer suite runs these (and bundle_minisign.sh, with minisign's own
# encrypted keys).
if [ -z "${NRM_VALGRIND:-}" ]; then
	expect_exit 77 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key locked.key \
		--password-file wrong --now "$now" -o enc
	assert_grep 'locked\.key: wrong password for the secret key' "$tmp/stderr"
	assert_eq "$(ls -A enc | wc -l)" 0 "files written with a wrong password"
	expect_exit 0 "$NRMHUB" bundle create --payload "$payload" --seq 1 --key locked.key \
		--password-file pw --now "$now" -o enc
	mkdir lockedkeys && cp locked.pub lockedkeys/birmingham.pub
	expect_exit 0 "$NRMHUB" bundle verify --keys lockedkeys "enc/$bag.tar.gz"
	# A bundle signed with one key is refused against another's.
	expect_exit 77 "$NRMHUB" bundle verify --keys keys "enc/$bag.tar.gz"
	assert_grep 'signed with an unknown key' "$tmp/stderr"
fi

finish
