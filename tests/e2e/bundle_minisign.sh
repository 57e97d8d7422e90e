#!/bin/bash
# Interoperation with the stock minisign (Debian's package): keys made by
# `minisign -G` (unencrypted with -W, and with a password) sign nrmhub
# bundles; keys made by `nrmhub keygen` (both kinds) work in minisign; and
# `minisign -V` accepts every bundle nrmhub makes, requiring the hashed
# format (-H).
. "$SRCDIR/tests/e2e/lib.sh"

if ! command -v minisign >/dev/null; then
	echo "bundle_minisign.sh: needs minisign (scripts/install-deps installs it)" >&2
	exit 1
fi
now=2025-04-02T09:00:00Z
cd "$tmp" || exit 1
payload="$tmp/payload"
return_payload "$payload"
printf 'pilot password\n' >pw

# bundle_with KEY SEQ [create options...]: makes, then checks with both tools.
bundle_with() {
	local key=$1 pub=$2 seq=$3 bag
	shift 3
	bag=$(printf 'birmingham_2025Q1_%03d' "$seq")
	expect_exit 0 "$NRMHUB" bundle create --payload "$payload" --seq "$seq" --key "$key" \
		--now "$now" -o . "$@" || return
	expect_exit 0 minisign -V -H -p "$pub" -m "$bag.tar.gz"
	assert_grep '^Signature and comment signature verified$' "$tmp/stdout"
	assert_grep "^Trusted comment: site=birmingham	quarter=2025Q1	seq=$seq	bag=$bag	tagmanifest-sha512=[0-9a-f]{128}$" \
		"$tmp/stdout"
	rm -rf keys && mkdir keys && cp "$pub" keys/birmingham.pub
	expect_exit 0 "$NRMHUB" bundle verify --keys keys "$bag.tar.gz"
	assert_grep "^valid: $bag" "$tmp/stdout"
}

# ---- minisign's keys in nrmhub ------------------------------------------------
expect_exit 0 minisign -G -W -p ms-plain.pub -s ms-plain.key
chmod 600 ms-plain.key
bundle_with ms-plain.key ms-plain.pub 1
# minisign asks for the password twice; from a pipe it reads two lines.
printf 'pilot password\npilot password\n' | minisign -G -p ms-locked.pub -s ms-locked.key >/dev/null 2>&1 ||
	fail "minisign -G with a password"
chmod 600 ms-locked.key
bundle_with ms-locked.key ms-locked.pub 2 --password-file pw
printf 'not it\n' >wrong
expect_exit 77 "$NRMHUB" bundle create --payload "$payload" --seq 3 --key ms-locked.key \
	--password-file wrong --now "$now" -o .
assert_grep 'wrong password for the secret key' "$tmp/stderr"

# ---- nrmhub's keys in minisign --------------------------------------------------
printf 'a file to sign\n' >file
expect_exit 0 "$NRMHUB" keygen -o nh-plain
expect_exit 0 minisign -S -s nh-plain.key -m file </dev/null
expect_exit 0 minisign -V -H -p nh-plain.pub -m file
# minisign recreates from nrmhub's secret key the very public key nrmhub wrote.
expect_exit 0 minisign -R -s nh-plain.key -p recreated.pub </dev/null
assert_eq "$(sed -n 2p recreated.pub)" "$(sed -n 2p nh-plain.pub)" "public key recreated by minisign -R"
bundle_with nh-plain.key nh-plain.pub 4

expect_exit 0 "$NRMHUB" keygen -o nh-locked --password-file pw
rm -f file.minisig
if minisign -S -s nh-locked.key -m file <pw >/dev/null 2>&1; then pass; else fail "minisign -S with nrmhub's encrypted key"; fi
expect_exit 0 minisign -V -H -p nh-locked.pub -m file
rm -f file.minisig
if minisign -S -s nh-locked.key -m file <wrong >/dev/null 2>&1; then
	fail "minisign accepted a wrong password for nrmhub's encrypted key"
else
	pass
fi
bundle_with nh-locked.key nh-locked.pub 5 --password-file pw

# ---- minisign notices what nrmhub notices ----------------------------------------
cp birmingham_2025Q1_004.tar.gz.minisig birmingham_2025Q1_005.tar.gz.minisig.orig
cp birmingham_2025Q1_004.tar.gz.minisig birmingham_2025Q1_005.tar.gz.minisig
expect_exit 1 minisign -V -p nh-locked.pub -m birmingham_2025Q1_005.tar.gz

finish
