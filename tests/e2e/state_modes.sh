#!/bin/bash
# Who can read a site's state (issue 13): after the example site's run,
# every file nrmhub wrote under state/ is 0600 (the public key 0644) and
# every folder 0700, the bundles and delivered files included, whatever the
# caller's umask; `config check` warns about a state folder others can
# read, naming the chmod; with "group" in the configuration, what is shared (bundles,
# delivered files) is given that group and its read bit, and the secrets
# (keys, the store) stay the owner's alone.
. "$SRCDIR/tests/e2e/lib.sh"

ex=$tmp/example
umask 022
expect_exit 0 env NRMHUB="$NRMHUB" OUT="$ex" QUARTER=2025Q2 "$SRCDIR/examples/site/run-example"
loose=$(find "$ex/state" \( -type f -perm /077 ! -name '*.pub' \) -o \( -type d -perm /077 \) | sort)
assert_eq "$loose" "" "files or folders under state/ that others or the group can read"
# The public key is the one file meant for everyone.
assert_eq "$(stat -c %a "$ex/state/keys/birmingham.pub")" 644 "the public key's mode"
assert_eq "$(stat -c %a "$ex/state/drop/birmingham_2025Q2_001.tar.gz")" 600 "a delivered bundle's mode"

# A state folder made by hand, open to all: config check says so.
chmod 755 "$ex/state/drop"
expect_exit 0 "$NRMHUB" --config "$ex/nrmhub.json" config check
assert_grep "targets\\.drop: the folder $ex/state/drop/? holds the site's state and anyone can read it \\(mode 0755\\): chmod go-rwx" "$tmp/stderr"
chmod 700 "$ex/state/drop"
expect_exit 0 "$NRMHUB" --config "$ex/nrmhub.json" config check
assert_no_grep "holds the site's state" "$tmp/stderr"

# A group that does not exist is a broken configuration.
python3 - "$ex/nrmhub.json" no-such-group-here <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1])); cfg["group"] = sys.argv[2]
json.dump(cfg, open(sys.argv[1], "w"), indent=2)
PY
expect_exit 78 "$NRMHUB" --config "$ex/nrmhub.json" config check
assert_grep '\$\.group: no group .no-such-group-here. on this machine' "$tmp/stderr"

# With a group: another quarter's bundle, delivered, is the group's to read
# (2025Q1: the example's cases are of the first half of 2025).
group=daemon
getent group "$group" >/dev/null || { fail "no group $group on this machine"; finish; }
python3 - "$ex/nrmhub.json" "$group" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1])); cfg["group"] = sys.argv[2]
json.dump(cfg, open(sys.argv[1], "w"), indent=2)
PY
hub=("$NRMHUB" --config "$ex/nrmhub.json")
expect_exit 0 "${hub[@]}" run --job quarterly-return --quarter 2025Q1 --now 2025-10-02T06:00:00Z
expect_exit 0 "${hub[@]}" run --job deliver-returns --now 2025-10-02T06:30:00Z
for f in outbox/birmingham_2025Q1_001.tar.gz drop/birmingham_2025Q1_001.tar.gz \
	drop/birmingham_2025Q1_001.tar.gz.minisig; do
	assert_eq "$(stat -c '%a %G' "$ex/state/$f")" "640 $group" "state/$f's mode and group"
done
for f in nrmhub.db keys/birmingham.key keys/birmingham.pseudonym.key; do
	assert_eq "$(stat -c %a "$ex/state/$f")" 600 "state/$f's mode with a group named"
done
finish
