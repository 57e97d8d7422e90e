#!/bin/bash
# The deployment files as installed (issue 18): `make install` into a
# DESTDIR puts the systemd unit and timer, the crontab, and the sysusers.d
# and tmpfiles.d files under $(docdir)/examples; the unit and the crontab
# call the nrmhub that was installed ($(bindir), not a path typed by hand);
# `systemd-analyze verify`, rooted in the DESTDIR with this machine's own
# units beside them, finds nothing wrong (a missing binary, an unknown key;
# not the man page, which is in the DESTDIR, not on the machine);
# the unit keeps its state in StateDirectory=nrmhub, and a configuration
# naming "state_dir" resolves its relative paths there.
. "$SRCDIR/tests/e2e/lib.sh"

dest="$tmp/root"
"$MAKE" -C "$BUILDDIR" install DESTDIR="$dest" >"$tmp/install.log" 2>&1 ||
	{ tail -n 20 "$tmp/install.log" >&2; fail "make install"; finish; }
bindir=$(sed -n 's/^bindir = //p' "$BUILDDIR/Makefile")
prefix=$(sed -n 's/^prefix = //p' "$BUILDDIR/Makefile")
bindir=${bindir//\$\{exec_prefix\}/$prefix}
docdir=$(find "$dest" -path '*/doc/nrmhub/examples' -type d | head -n 1)
[ -n "$docdir" ] && pass || { fail "no doc/nrmhub/examples installed"; finish; }
for f in nrmhub-run.service nrmhub-run.timer nrmhub.crontab nrmhub.sysusers nrmhub.tmpfiles; do
	[ -f "$docdir/$f" ] && pass || fail "$f is not installed"
done
assert_grep "^ExecStart=$bindir/nrmhub " "$docdir/nrmhub-run.service"
assert_grep "^\*/5 \* \* \* \* $bindir/nrmhub " "$docdir/nrmhub.crontab"
assert_no_grep '@bindir@' "$docdir/nrmhub-run.service"
[ -x "$dest$bindir/nrmhub" ] && pass || fail "$bindir/nrmhub is not installed"
assert_grep '^StateDirectory=nrmhub$' "$docdir/nrmhub-run.service"
assert_grep '^u nrmhub ' "$docdir/nrmhub.sysusers"
assert_grep '^d /var/lib/nrmhub 0700 nrmhub nrmhub' "$docdir/nrmhub.tmpfiles"

if command -v systemd-analyze >/dev/null && [ -d /usr/lib/systemd/system ]; then
	mkdir -p "$dest/etc/systemd/system" "$dest/usr/lib/systemd"
	cp -a /usr/lib/systemd/system "$dest/usr/lib/systemd/"
	cp "$docdir/nrmhub-run.service" "$docdir/nrmhub-run.timer" "$dest/etc/systemd/system/"
	if systemd-analyze verify --man=no --root="$dest" /etc/systemd/system/nrmhub-run.service \
		/etc/systemd/system/nrmhub-run.timer >"$tmp/verify.out" 2>&1 &&
		! grep -q . "$tmp/verify.out"; then
		pass
	else
		fail "systemd-analyze verify: $(head -n 5 "$tmp/verify.out")"
	fi
else
	echo "deploy_units: systemd-analyze (Debian's systemd) is not here: the units are not verified"
fi

# A configuration in one folder, its state in another.
mkdir -p "$tmp/etc" "$tmp/state/keys"
cat >"$tmp/etc/nrmhub.json" <<JSON
{
  "state_dir": "$tmp/state",
  "site": {"code": "testsite"},
  "store": "nrmhub.db",
  "jobs": [{"name": "backup", "kind": "backup", "schedule": "0 2 * * *"}]
}
JSON
chmod 700 "$tmp/state"
expect_exit 0 "$NRMHUB" --config "$tmp/etc/nrmhub.json" run --job backup --now 2026-03-02T02:00:00Z
[ -f "$tmp/state/nrmhub.db" ] && [ ! -e "$tmp/etc/nrmhub.db" ] && pass ||
	fail "the store is not in state_dir"
sed -i "s#\"state_dir\": \"$tmp/state\"#\"state_dir\": \"$tmp/missing\"#" "$tmp/etc/nrmhub.json"
expect_exit 78 "$NRMHUB" --config "$tmp/etc/nrmhub.json" config check
assert_grep '\$\.state_dir' "$tmp/stderr"
finish
