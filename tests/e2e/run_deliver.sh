#!/bin/bash
# Delivery across runs, against nginx (HTTPS, client certificate) and a
# receiver that answers 500 before 200, both on 127.0.0.1: with nginx down
# the run exits 75 and the item stays pending; with nginx back the next
# `run --due` delivers it exactly once (one PUT in nginx's log) and later
# runs send nothing; the receipt (SHA-256, response headers) is in the
# ledger.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/servers.sh"

need_binary nginx /usr/sbin/nginx
need_binary openssl
need_binary python3
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

pki="$tmp/pki"
mkdir -p "$pki"
make_ca "$pki" ca
make_cert "$pki" ca server IP:127.0.0.1
make_cert "$pki" ca client ""
port=$(free_port)
py_port=$(free_port)
while [ "$py_port" = "$port" ]; do py_port=$(free_port); done
get_port=$(free_port)
while [ "$get_port" = "$port" ] || [ "$get_port" = "$py_port" ]; do get_port=$(free_port); done

ngx="$tmp/nginx"
nginx_config_head "$ngx"
cat >>"$ngx/nginx.conf" <<CONF
	server {
		listen 127.0.0.1:$port ssl;
		ssl_certificate $pki/server.crt;
		ssl_certificate_key $pki/server.key;
		ssl_client_certificate $pki/ca.crt;
		ssl_verify_client on;
		root $ngx/www;
		location /in/ {
			dav_methods PUT;
			create_full_put_path off;
			dav_access user:rw;
		}
	}
	server {
		listen 127.0.0.1:$get_port ssl;
		ssl_certificate $pki/server.crt;
		ssl_certificate_key $pki/server.key;
		root $ngx/www;
	}
}
CONF
mkdir -p "$ngx/www/data"
cp "$SRCDIR/plugins/council-csv/sample.csv" "$ngx/www/data/council.csv"

site="$tmp/site"
mkdir -p "$site/outbox" "$site/outbox2"
bundle="$site/outbox/testsite_2026Q1_001.tar.gz"
head -c 200000 /dev/urandom >"$bundle"
want_sha=$(sha256sum "$bundle" | cut -d' ' -f1)
cp "$bundle" "$site/outbox2/"
cat >"$site/nrmhub.json" <<JSON
{
  "site": {"code": "testsite"},
  "store": "nrmhub.db",
  "targets": {
    "receiver": {"url": "https://127.0.0.1:$port/in/", "ca_file": "$pki/ca.crt",
                 "cert": "$pki/client.crt", "key": "$pki/client.key",
                 "retry": {"attempts": 2, "base_ms": 10, "cap_ms": 20}},
    "flaky": {"url": "https://127.0.0.1:$py_port/flaky/", "ca_file": "$pki/ca.crt",
              "cert": "$pki/client.crt", "key": "$pki/client.key",
              "retry": {"attempts": 2, "base_ms": 10, "cap_ms": 20}}
  },
  "jobs": [
    {"name": "send", "kind": "deliver", "schedule": "0 */6 * * *", "target": "receiver",
     "from": "outbox"},
    {"name": "send-flaky", "kind": "deliver", "target": "flaky", "from": "outbox2"},
    {"name": "fetch", "kind": "import", "format": "council-csv", "ca_file": "$pki/ca.crt",
     "url": "https://127.0.0.1:$get_port/data/council.csv"},
    {"name": "fetch-missing", "kind": "import", "format": "council-csv", "ca_file": "$pki/ca.crt",
     "url": "https://127.0.0.1:$get_port/data/missing.csv"}
  ]
}
JSON
hub=("$NRMHUB" --config "$site/nrmhub.json")
expect_exit 0 "${hub[@]}" config check
puts() { grep -c '"PUT /in/testsite_2026Q1_001.tar.gz' "$ngx/access.log" 2>/dev/null || true; }

# --- nginx down: retried within the run, then pending (75) --------------
# The dry run's --check-targets finds it down (75, as the run would end).
expect_exit 75 "${hub[@]}" run --job send --dry-run --check-targets
assert_grep "^target receiver: https://127\.0\.0\.1:$port/in/: " "$tmp/stdout"
expect_exit 0 "${hub[@]}" run --due --now 2026-04-01T05:00:00Z   # first sight
expect_exit 75 "${hub[@]}" run --due --now 2026-04-01T12:00:00Z
assert_grep 'job send: will be retried: .*0 delivered, 1 pending' "$tmp/stderr"
expect_exit 0 "${hub[@]}" status --json --now 2026-04-01T12:01:00Z
assert_grep '"state": "pending"' "$tmp/stdout"
assert_grep '"result": "retry"' "$tmp/stdout"

# --- nginx back: the next run retries (whatever the schedule) and
# delivers it, once ---------------------------------------------------------
"$nginx_bin" -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" &
servers_pids+=($!)
wait_for_port "$port"
# Up: the TLS handshake with the client certificate and a HEAD request
# succeed, and nothing is sent (no PUT).  Without the certificate nginx
# refuses the request (400): named, and not "reachable".
expect_exit 0 "${hub[@]}" run --job send --dry-run --check-targets
assert_grep "^target receiver: reachable \(https://127\.0\.0\.1:$port/in/\)" "$tmp/stdout"
assert_eq "$(puts)" 0 "PUTs made by --check-targets"
assert_grep '"HEAD /in/ HTTP/1.1"' "$ngx/access.log"
sed -e '/"cert": "[^"]*client.crt", "key": "[^"]*client.key",$/{s/"cert": "[^"]*", "key": "[^"]*",//}' \
	"$site/nrmhub.json" >"$site/nocert.json"
expect_exit 78 "$NRMHUB" --config "$site/nocert.json" run --job send --dry-run --check-targets
assert_grep "^target receiver: .*refused our request or credentials \(HTTP 400\)" "$tmp/stdout"
expect_exit 0 "${hub[@]}" -v --log json run --due --now 2026-04-01T12:10:00Z
assert_grep '"job":"send".*1 delivered, 0 pending' "$tmp/stderr"
assert_same "$bundle" "$ngx/www/in/testsite_2026Q1_001.tar.gz"
assert_eq "$(puts)" 1 "PUTs after the delivery"
# An import job fetches its input over HTTPS (TLS verified against the CA).
expect_exit 0 "${hub[@]}" -v run --job fetch --now 2026-04-01T12:20:00Z
assert_grep 'job fetch: done: 12 records: 12 new' "$tmp/stderr"
assert_grep '"GET /data/council.csv HTTP/1.1" 200' "$ngx/access.log"
expect_exit 70 "${hub[@]}" run --job fetch-missing --now 2026-04-01T12:20:00Z
assert_grep 'job fetch-missing: failed .*missing\.csv: .*404' "$tmp/stderr"
# Later runs, scheduled or asked for, send nothing again.
expect_exit 0 "${hub[@]}" run --due --now 2026-04-01T18:00:00Z
expect_exit 0 "${hub[@]}" run --job send --now 2026-04-01T18:05:00Z
assert_eq "$(puts)" 1 "PUTs after two more runs"
expect_exit 0 "${hub[@]}" status
assert_grep '^waiting to be delivered: 0$' "$tmp/stdout"

# The receipt is in the ledger: status, SHA-256 of what was sent, headers.
receipt() {
	python3 -c 'import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for st, sha, code, hdr in db.execute("SELECT r.status, r.sha256, r.response_code, r.response_headers FROM receipt r JOIN delivery d ON d.id = r.delivery WHERE d.target = ? ORDER BY r.id", (sys.argv[2],)):
    print(st, sha, code, "nginx" if "Server: nginx" in hdr else "-")' "$site/nrmhub.db" "$1"
}
receipt receiver >"$tmp/receipts"
assert_eq "$(wc -l <"$tmp/receipts")" 2 "receipts: one pending, one delivered"
assert_grep "^pending  0 -$" "$tmp/receipts"
assert_grep "^delivered $want_sha 201 nginx$" "$tmp/receipts"

# --- a receiver that answers 500, then 200 --------------------------------
mkdir -p "$tmp/py-store"
python3 "$SRCDIR/tests/e2e/https_receiver.py" "$py_port" "$pki/server.crt" "$pki/server.key" \
	"$pki/ca.crt" "$tmp/py-store" 2>"$tmp/py.log" &
servers_pids+=($!)
wait_for_port "$py_port"
# Two attempts this run (500, 500): pending.  The next run: 200.
expect_exit 75 "${hub[@]}" run --job send-flaky --now 2026-04-02T01:00:00Z
assert_grep 'answered HTTP 500|1 pending' "$tmp/stderr"
expect_exit 0 "${hub[@]}" run --job send-flaky --now 2026-04-02T02:00:00Z
assert_same "$bundle" "$tmp/py-store/testsite_2026Q1_001.tar.gz"
expect_exit 0 "${hub[@]}" run --job send-flaky --now 2026-04-02T03:00:00Z
assert_eq "$(grep -c '"PUT /flaky/' "$tmp/py.log")" 3 "PUTs to the flaky receiver: 500, 500, 200"
receipt flaky >"$tmp/receipts"
assert_grep "^pending [0-9a-f]{64} 500 -$" "$tmp/receipts"
assert_grep "^delivered $want_sha 200 -$" "$tmp/receipts"

stop_servers
finish
