# Helpers for the delivery tests: certificates made with openssl, free
# loopback ports, and servers (nginx, sshd, a small Python receiver) started
# in the test's own folder and always stopped at the end.  Sourced after
# lib.sh.

servers_pids=()

stop_servers() {
	local pid
	for pid in "${servers_pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${servers_pids[@]}"; do
		wait "$pid" 2>/dev/null
	done
	servers_pids=()
}
trap 'stop_servers; rm -rf "$tmp"' EXIT

# nginx_config_head DIR: makes DIR (with www/in/ and temp/) and writes the
# start of DIR/nginx.conf, which keeps everything in DIR and nginx in the
# foreground, up to the opened http block: the test appends its servers and
# the closing brace.
nginx_config_head() {
	local ngx=$1
	mkdir -p "$ngx/www/in" "$ngx/temp"
	cat >"$ngx/nginx.conf" <<CONF
daemon off;
user root;
worker_processes 1;
pid $ngx/nginx.pid;
error_log $ngx/error.log info;
events { worker_connections 64; }
http {
	access_log $ngx/access.log;
	client_body_temp_path $ngx/temp/body;
	proxy_temp_path $ngx/temp/proxy;
	fastcgi_temp_path $ngx/temp/fastcgi;
	uwsgi_temp_path $ngx/temp/uwsgi;
	scgi_temp_path $ngx/temp/scgi;
CONF
}

# need_binary PATH...: skips the test (77) unless one of them exists.
need_binary() {
	local b
	for b in "$@"; do
		if [ -x "$b" ] || command -v "$b" >/dev/null 2>&1; then
			return 0
		fi
	done
	echo "$(basename "$0"): SKIP: none of $* is installed (scripts/install-deps)" >&2
	exit 77
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on just now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for_port PORT: until something accepts connections there (at most
# a minute: this is readiness, not a timing check).
wait_for_port() {
	local i
	for i in $(seq 1 600); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	fail "nothing is listening on 127.0.0.1:$1"
	return 1
}

# make_ca DIR NAME: DIR/NAME.crt and DIR/NAME.key, a self-signed CA.
make_ca() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=nrmhub test $2" \
		-keyout "$1/$2.key" -out "$1/$2.crt" 2>/dev/null
}

# make_cert DIR CA NAME SAN: DIR/NAME.crt (signed by DIR/CA) and DIR/NAME.key.
# SAN is e.g. IP:127.0.0.1 for a server, or "" for a client.
make_cert() {
	local dir=$1 ca=$2 name=$3 san=$4 ext="$1/$3.ext"
	openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$name" \
		-keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
	if [ -n "$san" ]; then
		printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" >"$ext"
	else
		printf 'extendedKeyUsage=clientAuth\n' >"$ext"
	fi
	openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$ca.crt" -CAkey "$dir/$ca.key" \
		-CAcreateserial -days 2 -extfile "$ext" -out "$dir/$name.crt" 2>/dev/null
	chmod 600 "$dir/$name.key"
}

# receipt_field FILE KEY: a top-level value of a JSON receipt.
receipt_field() {
	python3 -c 'import json, sys; v = json.load(open(sys.argv[1]))[sys.argv[2]]; print("" if v is None else v)' "$1" "$2"
}
