#!/bin/bash
# Alerts mailed to a real SMTP server on 127.0.0.1 (smtp_receiver.py, on
# aiosmtpd), from the example site run with `--now`: a failing import job
# sends one message, a second run with the same failure none, and the
# failure cleared and back sends one again; a delivery pending longer than
# pending_hours sends one; a quarter with no bundle overdue_days after its
# end sends one; `alerts --dry-run` lists without sending; STARTTLS
# required and not offered sends nothing and leaves the run's exit status
# be; config check refuses a password file others can read.  Over TLS, with
# a CA and server certificate made here with openssl and the configuration's
# ca_file naming the CA: STARTTLS (required by the server too) and smtps://
# (TLS from the first byte) each send, and a CA that did not sign the
# server's certificate makes the send fail, saying so, with nothing
# received.  No message holds a case id or reference of the site's data.
. "$SRCDIR/tests/e2e/lib.sh"
. "$SRCDIR/tests/e2e/servers.sh"

py=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import aiosmtpd' 2>/dev/null; then
		py=$p
		break
	fi
done
if [ -z "$py" ]; then
	echo "$(basename "$0"): SKIP: python3-aiosmtpd is not installed (scripts/install-deps)" >&2
	exit 77
fi

# start_receiver NAME [MODE CERT KEY]: smtp_receiver.py taking mail into
# $tmp/NAME (stopped at the end, servers.sh); its port in $receiver_port.
start_receiver() {
	local name=$1 pid
	shift
	mkdir -p "$tmp/$name"
	"$py" "$SRCDIR/tests/e2e/smtp_receiver.py" "$tmp/$name" "$tmp/$name.port" hub \
		's3cret pass' "$@" >/dev/null 2>"$tmp/$name.log" &
	pid=$!
	servers_pids+=("$pid")
	# Readiness, not timing: the receiver writes its port once it listens.
	for _ in $(seq 1 600); do
		[ -s "$tmp/$name.port" ] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	receiver_port=$(cat "$tmp/$name.port" 2>/dev/null) || { cat "$tmp/$name.log" >&2; return 1; }
}
mail="$tmp/mail"
start_receiver mail || { fail "no SMTP server"; finish; }
port=$receiver_port

site="$tmp/site"
mkdir -p "$site/state/keys" "$site/state/outbox" "$site/state/drop" "$site/stuck"
cp -r "$SRCDIR/examples/site/data" "$site/"
chmod -R u+w "$site/data"
"$NRMHUB" keygen -o "$site/state/keys/birmingham" >/dev/null
printf 's3cret pass\n' >"$site/smtp.password"
chmod 644 "$site/smtp.password"
# The example site, joined at the start of 2025Q2, with a target nothing
# listens on (port 1) and the alerts section.
"$py" - "$SRCDIR/examples/site/nrmhub.json" "$site/nrmhub.json" "$port" <<'PY'
import json, sys
cfg = json.load(open(sys.argv[1]))
cfg["site"]["joined"] = "2025-04-01"
cfg["targets"]["offline"] = {"url": "https://127.0.0.1:1/in/",
                             "retry": {"attempts": 1, "base_ms": 0, "cap_ms": 0}}
cfg["jobs"].append({"name": "deliver-stuck", "kind": "deliver", "target": "offline",
                    "from": "stuck"})
cfg["alerts"] = {"url": "smtp://127.0.0.1:%s" % sys.argv[3], "starttls": False,
                 "user": "hub", "password_file": "smtp.password",
                 "from": "nrmhub@birmingham.example",
                 "to": ["officer@birmingham.example", "deputy@birmingham.example"],
                 "pending_hours": 24, "overdue_days": 30}
json.dump(cfg, open(sys.argv[2], "w"), indent=2)
PY
hub=("$NRMHUB" --config "$site/nrmhub.json")
mails() { ls "$mail" | grep -c '\.eml$'; }

# --- config check: the password file must be private ----------------------
expect_exit 78 "${hub[@]}" config check
assert_grep 'alerts\.password_file: .*smtp\.password .*mode 0644.*chmod 600' "$tmp/stderr"
chmod 600 "$site/smtp.password"
expect_exit 0 "${hub[@]}" config check
# A broken section is refused like the rest, with its path.
sed 's/"pending_hours"/"pending_hour"/' "$site/nrmhub.json" >"$tmp/broken.json"
expect_exit 78 "$NRMHUB" --config "$tmp/broken.json" config check
assert_grep "\\\$\\.alerts: unknown key 'pending_hour'; allowed here: url, " "$tmp/stderr"
sed 's#"smtp://#"http://#' "$site/nrmhub.json" >"$tmp/broken.json"
expect_exit 78 "$NRMHUB" --config "$tmp/broken.json" config check
assert_grep '\$\.alerts\.url: .*an smtp:// or smtps:// URL' "$tmp/stderr"

# --- a quarter's work: nothing to tell --------------------------------------
expect_exit 0 "${hub[@]}" run --all --now 2025-07-02T06:00:00Z
expect_exit 0 "${hub[@]}" alerts --dry-run --now 2025-07-02T07:00:00Z
assert_grep '^no problems: nothing to send$' "$tmp/stdout"
assert_eq "$(mails)" 0 "messages after a good run"

# --- a failing import: one message, not one per run -------------------------
cp "$site/data/council-cases.csv" "$tmp/council-good.csv"
sed -i '2s#,06/01/2025,#,31/02/2025,#' "$site/data/council-cases.csv"
expect_exit 70 "${hub[@]}" run --job import-council --now 2025-07-03T07:00:00Z
assert_eq "$(mails)" 1 "messages after the import failed"
m="$mail/mail-1.eml"
assert_grep '^Subject: \[nrmhub birmingham\] job import-council needs a person' "$m"
assert_grep '^X-Envelope-From: nrmhub@birmingham\.example$' "$m"
assert_grep '^X-Envelope-To: officer@birmingham\.example deputy@birmingham\.example$' "$m"
assert_grep '^X-Login: hub$' "$m"
assert_grep '^To: officer@birmingham\.example, deputy@birmingham\.example' "$m"
assert_grep 'failed \(exit status 65\)' "$m"
expect_exit 70 "${hub[@]}" run --job import-council --now 2025-07-03T08:00:00Z
expect_exit 70 "${hub[@]}" run --due --now 2025-07-04T03:00:00Z
assert_eq "$(mails)" 1 "messages after the same failure twice more"
expect_exit 0 "${hub[@]}" alerts --dry-run --json --now 2025-07-04T04:00:00Z
assert_grep '"problem": "job:import-council",' "$tmp/stdout"
assert_grep '"state": "sent-before",' "$tmp/stdout"
# Cleared, then back: a new problem, a new message.
cp "$tmp/council-good.csv" "$site/data/council-cases.csv"
expect_exit 0 "${hub[@]}" run --job import-council --now 2025-07-04T05:00:00Z
sed -i '2s#,06/01/2025,#,31/02/2025,#' "$site/data/council-cases.csv"
expect_exit 70 "${hub[@]}" run --job import-council --now 2025-07-04T06:00:00Z
assert_eq "$(mails)" 2 "messages after the failure cleared and came back"

# --- a delivery pending longer than pending_hours: one message --------------
head -c 1000 /dev/urandom >"$site/stuck/birmingham_2025Q2_009.tar.gz"
expect_exit 75 "${hub[@]}" run --job deliver-stuck --now 2025-07-04T09:00:00Z
assert_eq "$(mails)" 2 "messages with a delivery pending an hour"
expect_exit 0 "${hub[@]}" alerts --dry-run --now 2025-07-06T09:00:00Z
assert_grep '^delivery:offline:.*/stuck/birmingham_2025Q2_009\.tar\.gz \(new\): would send: .*pending for 48 hours' "$tmp/stdout"
assert_eq "$(mails)" 2 "messages after a dry run"
expect_exit 75 "${hub[@]}" run --job deliver-stuck --now 2025-07-06T09:00:00Z
assert_eq "$(mails)" 3 "messages with a delivery pending two days"
assert_grep '^Subject: \[nrmhub birmingham\] a delivery to offline pending for 48 hours' "$mail/mail-3.eml"
assert_grep 'stuck/birmingham_2025Q2_009\.tar\.gz' "$mail/mail-3.eml"
expect_exit 75 "${hub[@]}" run --job deliver-stuck --now 2025-07-06T10:00:00Z
assert_eq "$(mails)" 3 "messages after the pending delivery's next run"

# --- a quarter overdue: one message -----------------------------------------
# 2025Q2's bundle was made; 2025Q3's, 36 days after its end, was not.
expect_exit 0 "${hub[@]}" alerts --now 2025-11-05T09:00:00Z
assert_grep '^overdue:birmingham:2025Q3 \(new\): sent: ' "$tmp/stdout"
assert_grep '^job:import-council \(sent-before\): not sent again: ' "$tmp/stdout"
assert_no_grep '2025Q2 \(new\)' "$tmp/stdout"
assert_eq "$(mails)" 4 "messages with 2025Q3 overdue"
assert_grep '^Subject: \[nrmhub birmingham\] the 2025Q3 return is overdue' "$mail/mail-4.eml"
assert_grep 'run --job quarterly-return --quarter 2025Q3' "$mail/mail-4.eml"
expect_exit 75 "${hub[@]}" run --job deliver-stuck --now 2025-11-05T10:00:00Z
assert_eq "$(mails)" 4 "messages after a run with 2025Q3 still overdue"

# --- STARTTLS required, and not offered: nothing sent, exit status kept ------
sed -i 's/"starttls": false/"starttls": true/' "$site/nrmhub.json"
expect_exit 0 "${hub[@]}" run --job import-police --now 2026-02-05T09:00:00Z
assert_grep 'alert overdue:birmingham:2025Q4: smtp://127\.0\.0\.1:[0-9]+: the mail was not sent' "$tmp/stderr"
assert_eq "$(mails)" 4 "messages when STARTTLS is required and not offered"
expect_exit 75 "${hub[@]}" alerts --now 2026-02-05T10:00:00Z
assert_grep '^overdue:birmingham:2025Q4 \(new\): NOT SENT: ' "$tmp/stdout"

# --- over TLS: STARTTLS and smtps://, the CA named by ca_file ---------------
# A throwaway CA and the receivers' certificate for 127.0.0.1, and another
# CA that signed nothing of theirs.
pki="$tmp/pki"
mkdir -p "$pki"
make_ca "$pki" ca && make_ca "$pki" stranger && make_cert "$pki" ca smtp IP:127.0.0.1 ||
	fail "openssl could not make the certificates"
start_receiver starttls starttls "$pki/smtp.crt" "$pki/smtp.key" || fail "no STARTTLS server"
starttls_port=$receiver_port
start_receiver smtps smtps "$pki/smtp.crt" "$pki/smtp.key" || fail "no SMTPS server"
smtps_port=$receiver_port
# alerts_via URL STARTTLS CA: the alerts section sends there, trusting CA.
alerts_via() {
	"$py" - "$site/nrmhub.json" "$1" "$2" "$3" <<'PY'
import json, sys
path, url, starttls, ca = sys.argv[1:5]
cfg = json.load(open(path))
cfg["alerts"].update(url=url, starttls=starttls == "true", ca_file=ca)
json.dump(cfg, open(path, "w"), indent=2)
PY
}
tls_mails() { ls "$tmp/$1" | grep -c '\.eml$'; }
# A CA that did not sign the server's certificate: refused before anything
# is said, the reason given, the alert kept to be sent again.
alerts_via "smtp://127.0.0.1:$starttls_port" true "$pki/stranger.crt"
expect_exit 0 "${hub[@]}" config check
expect_exit 75 "${hub[@]}" alerts --now 2026-02-05T11:00:00Z
assert_grep '^overdue:birmingham:2025Q4 \(new\): NOT SENT: ' "$tmp/stdout"
assert_grep "alert overdue:birmingham:2025Q4: smtp://127\\.0\\.0\\.1:$starttls_port: the mail was not sent: .*certificate" \
	"$tmp/stderr"
assert_eq "$(tls_mails starttls)" 0 "messages over STARTTLS with the wrong CA"
# The right CA: sent over STARTTLS, logged in over TLS only.
alerts_via "smtp://127.0.0.1:$starttls_port" true "$pki/ca.crt"
expect_exit 0 "${hub[@]}" alerts --now 2026-02-05T12:00:00Z
assert_grep '^overdue:birmingham:2025Q4 \(new\): sent: ' "$tmp/stdout"
assert_eq "$(tls_mails starttls)" 1 "messages over STARTTLS"
assert_grep '^X-TLS: TLSv1\.[23]$' "$tmp/starttls/mail-1.eml"
assert_grep '^X-Login: hub$' "$tmp/starttls/mail-1.eml"
assert_grep '^Subject: \[nrmhub birmingham\] the 2025Q4 return is overdue' "$tmp/starttls/mail-1.eml"
# smtps://, TLS from the first byte: the wrong CA, then the right one, for
# 2026Q1 overdue.
alerts_via "smtps://127.0.0.1:$smtps_port" true "$pki/stranger.crt"
expect_exit 75 "${hub[@]}" alerts --now 2026-05-06T09:00:00Z
assert_grep '^overdue:birmingham:2026Q1 \(new\): NOT SENT: ' "$tmp/stdout"
assert_grep "alert overdue:birmingham:2026Q1: smtps://127\\.0\\.0\\.1:$smtps_port: the mail was not sent: .*certificate" \
	"$tmp/stderr"
assert_eq "$(tls_mails smtps)" 0 "messages over smtps:// with the wrong CA"
alerts_via "smtps://127.0.0.1:$smtps_port" true "$pki/ca.crt"
expect_exit 0 "${hub[@]}" alerts --now 2026-05-06T10:00:00Z
assert_grep '^overdue:birmingham:2026Q1 \(new\): sent: ' "$tmp/stdout"
assert_eq "$(tls_mails smtps)" 1 "messages over smtps://"
assert_grep '^X-TLS: TLSv1\.[23]$' "$tmp/smtps/mail-1.eml"
assert_grep '^X-Login: hub$' "$tmp/smtps/mail-1.eml"
# The plain server took none of these, and its own were all in clear.
assert_eq "$(mails)" 4 "messages to the plain server after the TLS ones"
assert_grep '^X-TLS: none$' "$mail/mail-1.eml"
# A CA file that is not there is config check's to find.
alerts_via "smtps://127.0.0.1:$smtps_port" true "$pki/missing.crt"
expect_exit 78 "${hub[@]}" config check
assert_grep 'alerts\.ca_file: .*missing\.crt' "$tmp/stderr"

# --- no case value in any message --------------------------------------------
"$py" - "$SRCDIR/examples/site/data" >"$tmp/ids" <<'PY'
import csv, sys
with open(sys.argv[1] + "/council-cases.csv", encoding="utf-8-sig") as f:
    for row in csv.DictReader(f):
        for v in (row["Case ID"], row["NRM Reference"]):
            if v:
                print(v)
PY
[ -s "$tmp/ids" ] && pass || fail "no case ids read from the example data"
if cat "$mail"/*.eml "$tmp"/starttls/*.eml "$tmp"/smtps/*.eml | grep -F -q -f "$tmp/ids"; then
	fail "a message holds a case id or reference"
else
	pass
fi
finish
