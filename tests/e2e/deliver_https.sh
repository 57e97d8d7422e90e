#!/bin/bash
# nrmhub deliver over HTTPS, against nginx started here on 127.0.0.1 with a
# CA and certificates made here: PUT accepted only with a valid client
# certificate; a server down (pending, 75); a receiver failing then
# succeeding; wrong server certificates refused (76), never retried.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/servers.sh"

need_binary nginx /usr/sbin/nginx
need_binary openssl
need_binary python3
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

pki="$tmp/pki"
mkdir -p "$pki"
make_ca "$pki" ca
make_ca "$pki" rogue-ca
make_cert "$pki" ca server IP:127.0.0.1
make_cert "$pki" ca client ""
make_cert "$pki" ca misnamed DNS:receiver.example.org
make_cert "$pki" rogue-ca rogue IP:127.0.0.1
make_cert "$pki" rogue-ca rogue-client ""

port=$(free_port)
rogue_port=$(free_port)
misnamed_port=$(free_port)
while [ "$rogue_port" = "$port" ]; do rogue_port=$(free_port); done
while [ "$misnamed_port" = "$port" ] || [ "$misnamed_port" = "$rogue_port" ]; do misnamed_port=$(free_port); done

ngx="$tmp/nginx"
nginx_config_head "$ngx"
cat >>"$ngx/nginx.conf" <<CONF
	ssl_certificate_key $pki/server.key;
	server {
		listen 127.0.0.1:$port ssl;
		ssl_certificate $pki/server.crt;
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
		listen 127.0.0.1:$rogue_port ssl;
		ssl_certificate $pki/rogue.crt;
		ssl_certificate_key $pki/rogue.key;
		root $ngx/www;
		location /in/ { dav_methods PUT; }
	}
	server {
		listen 127.0.0.1:$misnamed_port ssl;
		ssl_certificate $pki/misnamed.crt;
		ssl_certificate_key $pki/misnamed.key;
		root $ngx/www;
		location /in/ { dav_methods PUT; }
	}
}
CONF

# The bundle to send: a few hundred kilobytes of non-text bytes.
bundle="$tmp/testsite_2026Q3_1.tar.gz"
head -c 300000 /dev/urandom >"$bundle"
want_sha=$(sha256sum "$bundle" | cut -d' ' -f1)
tls=(--ca-file "$pki/ca.crt" --cert "$pki/client.crt" --key "$pki/client.key")
quick=(--attempts 3 --backoff-base 10 --backoff-cap 40)

# --- the server is down: retried, then pending (75) ---------------------
expect_exit 75 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$port/in/" "${tls[@]}" "${quick[@]}" --json
assert_grep 'pending after 3 attempts' "$tmp/stderr"
cp "$tmp/stdout" "$tmp/down.json"
assert_eq "$(receipt_field "$tmp/down.json" status)" pending "status with the server down"
assert_eq "$(receipt_field "$tmp/down.json" attempts)" 3 "attempts with the server down"

"$nginx_bin" -p "$ngx" -c "$ngx/nginx.conf" -e "$ngx/error.log" &
servers_pids+=($!)
wait_for_port "$port"
wait_for_port "$rogue_port"
wait_for_port "$misnamed_port"

# --- delivered, with a client certificate -------------------------------
expect_exit 0 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$port/in/" "${tls[@]}" "${quick[@]}" --json
cp "$tmp/stdout" "$tmp/ok.json"
assert_same "$bundle" "$ngx/www/in/testsite_2026Q3_1.tar.gz"
assert_eq "$(receipt_field "$tmp/ok.json" status)" delivered "status"
assert_eq "$(receipt_field "$tmp/ok.json" sha256)" "$want_sha" "receipt SHA-256"
assert_eq "$(receipt_field "$tmp/ok.json" bytes)" 300000 "receipt bytes"
assert_eq "$(receipt_field "$tmp/ok.json" response_code)" 201 "HTTP status of a new file"
assert_eq "$(receipt_field "$tmp/ok.json" url)" "https://127.0.0.1:$port/in/testsite_2026Q3_1.tar.gz" "receipt URL"
assert_grep '"Server: nginx' "$tmp/ok.json"
assert_grep '"time": "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"' "$tmp/ok.json"

# Again, to a named file, in text: 204 (replaced), one PUT in the log.
puts_before=$(grep -c '"PUT /in/' "$ngx/access.log")
expect_exit 0 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$port/in/copy.tar.gz" "${tls[@]}"
assert_grep '^status +delivered$' "$tmp/stdout"
assert_grep "^sha256 +$want_sha\$" "$tmp/stdout"
assert_grep '^response_code +201$' "$tmp/stdout"
assert_grep '^response_header +HTTP/1.1 201' "$tmp/stdout"
assert_same "$bundle" "$ngx/www/in/copy.tar.gz"
assert_eq "$(grep -c '"PUT /in/' "$ngx/access.log")" $((puts_before + 1)) "PUTs for one delivery"
expect_exit 0 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$port/in/copy.tar.gz" "${tls[@]}"
assert_grep '^response_code +204$' "$tmp/stdout"

# --- refused, not retried: no client certificate, or one nginx does not trust
expect_exit 76 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$port/in/nocert" --ca-file "$pki/ca.crt" "${quick[@]}" --json
assert_eq "$(receipt_field "$tmp/stdout" attempts)" 1 "attempts when refused"
assert_eq "$(receipt_field "$tmp/stdout" response_code)" 400 "nginx's answer without a client certificate"
assert_no_file "$ngx/www/in/nocert"
expect_exit 76 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$port/in/roguecert" --ca-file "$pki/ca.crt" \
	--cert "$pki/rogue-client.crt" --key "$pki/rogue-client.key" "${quick[@]}"
assert_no_file "$ngx/www/in/roguecert"

# --- wrong server certificates: refused at once, nothing sent ------------
# Signed by a CA we do not trust:
expect_exit 76 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$rogue_port/in/" "${tls[@]}" "${quick[@]}" --json
assert_eq "$(receipt_field "$tmp/stdout" status)" refused "status with a rogue certificate"
assert_eq "$(receipt_field "$tmp/stdout" attempts)" 1 "attempts with a rogue certificate"
assert_grep 'refused: .*(certificate|SSL)' "$tmp/stderr"
# Trusted CA, but issued for another name:
expect_exit 76 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$misnamed_port/in/" "${tls[@]}" "${quick[@]}"
assert_grep "refused: .*(certificate|name|127\.0\.0\.1)" "$tmp/stderr"
# The system's CAs (no --ca-file) do not know our CA:
expect_exit 76 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$port/in/system" --cert "$pki/client.crt" --key "$pki/client.key" "${quick[@]}"
assert_no_file "$ngx/www/in/system"
# Our side stopped at the handshake: nginx never saw a request.
assert_no_grep '"PUT /in/system' "$ngx/access.log"
# A client certificate nginx does not trust: it answers 400 and stores nothing.
assert_grep '"PUT /in/roguecert HTTP/1.1" 400' "$ngx/access.log"

# --- a receiver that fails, then succeeds --------------------------------
py_port=$(free_port)
mkdir -p "$tmp/py-store"
python3 "$SRCDIR/tests/e2e/https_receiver.py" "$py_port" "$pki/server.crt" "$pki/server.key" \
	"$pki/ca.crt" "$tmp/py-store" 2>"$tmp/py.log" &
servers_pids+=($!)
wait_for_port "$py_port"
expect_exit 0 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$py_port/flaky/" "${tls[@]}" "${quick[@]}" --json
assert_eq "$(receipt_field "$tmp/stdout" attempts)" 3 "attempts: 500, 500, then 200"
assert_eq "$(receipt_field "$tmp/stdout" response_code)" 200 "final status"
assert_eq "$(receipt_field "$tmp/stdout" sha256)" "$want_sha" "SHA-256 after retries"
assert_grep '"X-Attempt: 3' "$tmp/stdout"
assert_same "$bundle" "$tmp/py-store/testsite_2026Q3_1.tar.gz"
# Always 503: pending after the attempts; 403: refused after one.
expect_exit 75 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$py_port/busy/" "${tls[@]}" "${quick[@]}" --json
assert_eq "$(receipt_field "$tmp/stdout" attempts)" 3 "attempts against 503"
assert_eq "$(receipt_field "$tmp/stdout" response_code)" 503 "last status"
assert_grep 'the receiver answered HTTP 503' "$tmp/stderr"
expect_exit 76 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$py_port/forbidden/" "${tls[@]}" "${quick[@]}" --json
assert_eq "$(receipt_field "$tmp/stdout" attempts)" 1 "attempts against 403"

# --- requests that cannot work ------------------------------------------
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "http://127.0.0.1:$port/in/"
assert_grep 'cannot deliver to http://' "$tmp/stderr"
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$port/in/" --cert "$pki/client.crt"
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "https://u:secret@127.0.0.1:$port/in/"
assert_grep 'password in the URL' "$tmp/stderr"
expect_exit 64 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$port/in/" --known-hosts /dev/null
expect_exit 66 "$NRMHUB" deliver "$tmp/missing.tar.gz" --to "https://127.0.0.1:$port/in/" "${tls[@]}"
chmod 644 "$pki/client.key"
expect_exit 77 "$NRMHUB" deliver "$bundle" --to "https://127.0.0.1:$port/in/" "${tls[@]}"
assert_grep 'can be read by others' "$tmp/stderr"

stop_servers
finish
