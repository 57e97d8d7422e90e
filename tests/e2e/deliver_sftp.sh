#!/bin/bash
# nrmhub deliver over SFTP, against OpenSSH's sshd started here on a
# loopback port with host and user keys made here: delivered (under a
# temporary name, then renamed); an unknown or changed host key refused;
# a key that is not authorised refused; a server down pending.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/servers.sh"

need_binary /usr/sbin/sshd
need_binary ssh-keygen
need_binary python3
if [ "$(id -u)" -ne 0 ]; then
	# sshd needs root for its privilege separation, and logs in as root here.
	echo "$(basename "$0"): SKIP: needs root to start sshd" >&2
	exit 77
fi
# Debian's sshd refuses to start without its privilege separation folder.
mkdir -p /run/sshd

ssh="$tmp/ssh"
mkdir -p "$ssh" "$tmp/drop/in"
ssh-keygen -q -t ed25519 -N '' -C 'nrmhub test host' -f "$ssh/host_key"
ssh-keygen -q -t ed25519 -N '' -C 'nrmhub test user' -f "$ssh/user_key"
ssh-keygen -q -t ed25519 -N '' -C 'nrmhub stranger' -f "$ssh/stranger_key"
cp "$ssh/user_key.pub" "$ssh/authorized_keys"
port=$(free_port)
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$ssh/host_key.pub")" >"$ssh/known_hosts"
: >"$ssh/empty_known_hosts"

cat >"$ssh/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $ssh/host_key
PidFile $ssh/sshd.pid
AuthorizedKeysFile $ssh/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
CONF

start_sshd() {
	/usr/sbin/sshd -D -e -f "$ssh/sshd_config" 2>>"$ssh/sshd.log" &
	servers_pids+=($!)
	wait_for_port "$port"
}

bundle="$tmp/testsite_2026Q3_1.tar.gz"
head -c 200000 /dev/urandom >"$bundle"
want_sha=$(sha256sum "$bundle" | cut -d' ' -f1)
user=$(id -un)
url="sftp://$user@127.0.0.1:$port$tmp/drop/in/"
keys=(--ssh-key "$ssh/user_key" --known-hosts "$ssh/known_hosts")
quick=(--attempts 2 --backoff-base 10 --backoff-cap 20)

# --- server down: pending ------------------------------------------------
expect_exit 75 "$NRMHUB" deliver "$bundle" --to "$url" "${keys[@]}" "${quick[@]}" --json
assert_eq "$(receipt_field "$tmp/stdout" status)" pending "status with sshd down"
assert_eq "$(receipt_field "$tmp/stdout" attempts)" 2 "attempts with sshd down"

start_sshd

# --- delivered -----------------------------------------------------------
expect_exit 0 "$NRMHUB" deliver "$bundle" --to "$url" "${keys[@]}" "${quick[@]}" --json
cp "$tmp/stdout" "$tmp/ok.json"
assert_same "$bundle" "$tmp/drop/in/testsite_2026Q3_1.tar.gz"
assert_eq "$(receipt_field "$tmp/ok.json" status)" delivered "status"
assert_eq "$(receipt_field "$tmp/ok.json" sha256)" "$want_sha" "receipt SHA-256"
assert_eq "$(receipt_field "$tmp/ok.json" bytes)" 200000 "receipt bytes"
assert_eq "$(receipt_field "$tmp/ok.json" attempts)" 1 "attempts"
# Uploaded under a temporary name, renamed: nothing else is left.
assert_eq "$(ls -A "$tmp/drop/in" | tr '\n' ' ')" "testsite_2026Q3_1.tar.gz " "files in the drop folder"
# Sent again (a newer copy replaces the old one), to a named file too.
head -c 1000 /dev/urandom >"$tmp/newer"
expect_exit 0 "$NRMHUB" deliver "$tmp/newer" --to "${url}testsite_2026Q3_1.tar.gz" "${keys[@]}" "${quick[@]}"
assert_same "$tmp/newer" "$tmp/drop/in/testsite_2026Q3_1.tar.gz"
assert_eq "$(ls -A "$tmp/drop/in" | wc -l)" 1 "files after replacing"

# --- refused: a key that is not authorised; a folder that is not there ---
expect_exit 76 "$NRMHUB" deliver "$bundle" --to "$url" --ssh-key "$ssh/stranger_key" \
	--known-hosts "$ssh/known_hosts" "${quick[@]}" --json
assert_eq "$(receipt_field "$tmp/stdout" attempts)" 1 "attempts with a stranger's key"
expect_exit 76 "$NRMHUB" deliver "$bundle" --to "sftp://$user@127.0.0.1:$port$tmp/nowhere/" "${keys[@]}" "${quick[@]}"

# --- host keys -----------------------------------------------------------
# A host that is not in known_hosts:
expect_exit 76 "$NRMHUB" deliver "$bundle" --to "${url}unknown" --ssh-key "$ssh/user_key" \
	--known-hosts "$ssh/empty_known_hosts" "${quick[@]}"
assert_grep 'is not in .*empty_known_hosts: refused' "$tmp/stderr"
assert_no_file "$tmp/drop/in/unknown"
# The server's host key changes (as it would with a machine in the middle):
stop_servers
rm -f "$ssh/host_key" "$ssh/host_key.pub"
ssh-keygen -q -t ed25519 -N '' -C 'nrmhub test host, changed' -f "$ssh/host_key"
start_sshd
expect_exit 76 "$NRMHUB" deliver "$bundle" --to "${url}changed" "${keys[@]}" "${quick[@]}" --json
assert_eq "$(receipt_field "$tmp/stdout" status)" refused "status after the host key changed"
assert_eq "$(receipt_field "$tmp/stdout" attempts)" 1 "no retry after the host key changed"
assert_grep 'host key has CHANGED' "$tmp/stderr"
assert_no_file "$tmp/drop/in/changed"
assert_no_file "$tmp/drop/in/.changed.part"

# --- requests that cannot work ------------------------------------------
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "$url" --ssh-key "$ssh/user_key"
assert_grep 'needs --ssh-key and --known-hosts' "$tmp/stderr"
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "sftp://127.0.0.1:$port$tmp/drop/in/" "${keys[@]}"
assert_grep 'needs a user name' "$tmp/stderr"
chmod 640 "$ssh/user_key"
expect_exit 77 "$NRMHUB" deliver "$bundle" --to "$url" "${keys[@]}"
assert_grep 'can be read by others \(mode 0640\)' "$tmp/stderr"

stop_servers
finish
