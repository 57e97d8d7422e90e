#!/bin/bash
# A deliver job to an SFTP target, against OpenSSH's sshd on a loopback
# port: the key and known_hosts named in the configuration relative to its
# folder; delivered once, not again on the next run; a host key that
# changed is refused (a person is needed: 70), and the item shows as
# refused in `status`.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/servers.sh"

need_binary /usr/sbin/sshd
need_binary ssh-keygen
need_binary python3
if [ "$(id -u)" -ne 0 ]; then
	echo "$(basename "$0"): SKIP: needs root to start sshd" >&2
	exit 77
fi
mkdir -p /run/sshd

site="$tmp/site"
ssh="$site/ssh"
mkdir -p "$ssh" "$site/outbox" "$tmp/drop/in"
ssh-keygen -q -t ed25519 -N '' -C 'nrmhub test host' -f "$tmp/host_key"
ssh-keygen -q -t ed25519 -N '' -C 'nrmhub other host' -f "$tmp/other_host_key"
ssh-keygen -q -t ed25519 -N '' -C 'nrmhub test user' -f "$ssh/user_key"
port=$(free_port)
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$tmp/host_key.pub")" >"$ssh/known_hosts"
cat >"$tmp/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $tmp/host_key
PidFile $tmp/sshd.pid
AuthorizedKeysFile $ssh/user_key.pub
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
CONF
/usr/sbin/sshd -D -e -f "$tmp/sshd_config" 2>>"$tmp/sshd.log" &
servers_pids+=($!)
wait_for_port "$port"

head -c 100000 /dev/urandom >"$site/outbox/testsite_2026Q1_001.tar.gz"
cat >"$site/nrmhub.json" <<JSON
{
  "site": {"code": "testsite"},
  "store": "nrmhub.db",
  "targets": {
    "hub": {"url": "sftp://$(id -un)@127.0.0.1:$port$tmp/drop/in/",
            "ssh_key": "ssh/user_key", "known_hosts": "ssh/known_hosts",
            "retry": {"attempts": 2, "base_ms": 10, "cap_ms": 20}}
  },
  "jobs": [{"name": "send", "kind": "deliver", "target": "hub", "from": "outbox"}]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
expect_exit 0 "${hub[@]}" config check
# The dry run's --check-targets logs in (key and host key checked) and
# writes nothing.
expect_exit 0 "${hub[@]}" run --job send --dry-run --check-targets
assert_grep '^target hub: reachable \(sftp://' "$tmp/stdout"
assert_eq "$(ls -A "$tmp/drop/in" | wc -l)" 0 "files written by --check-targets"

expect_exit 0 "${hub[@]}" run --job send --now 2026-04-02T01:00:00Z
assert_same "$site/outbox/testsite_2026Q1_001.tar.gz" "$tmp/drop/in/testsite_2026Q1_001.tar.gz"
rm "$tmp/drop/in/testsite_2026Q1_001.tar.gz"
expect_exit 0 "${hub[@]}" -v run --job send --now 2026-04-02T02:00:00Z
assert_grep 'done: 0 delivered, 0 pending, 0 refused' "$tmp/stderr"
assert_no_file "$tmp/drop/in/testsite_2026Q1_001.tar.gz"

# The server's key is not the one known: refused, not retried, nothing sent.
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$tmp/other_host_key.pub")" >"$ssh/known_hosts"
expect_exit 78 "${hub[@]}" run --job send --dry-run --check-targets
assert_grep '^target hub: sftp://.*(CHANGED|not in)' "$tmp/stdout"
head -c 1000 /dev/urandom >"$site/outbox/testsite_2026Q1_002.tar.gz"
expect_exit 70 "${hub[@]}" run --job send --now 2026-04-02T03:00:00Z
assert_grep 'job send: failed \(exit status 76\): 0 delivered, 0 pending, 1 refused' "$tmp/stderr"
assert_no_file "$tmp/drop/in/testsite_2026Q1_002.tar.gz"
expect_exit 0 "${hub[@]}" status
assert_grep '^  refused  .*testsite_2026Q1_002\.tar\.gz -> hub: ' "$tmp/stdout"
stop_servers
finish
