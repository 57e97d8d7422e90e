"""A mail server on 127.0.0.1 for the alerts' tests (tests/e2e/run_alerts.sh).

Usage: smtp_receiver.py FOLDER PORT_FILE USER PASSWORD [MODE CERT KEY]

Listens on a port the kernel picks (bound before it is announced, so no
other process can take it), writes that port to PORT_FILE (atomically,
once it accepts connections), and writes each message it takes to
FOLDER/mail-N.eml, headed by the envelope, the login used and the TLS
version the message came over ("none" in clear).  Accepts only USER with
PASSWORD.  MODE:
  plain     (the default) AUTH without TLS (the test's "starttls": false);
            no STARTTLS offered, so a client that requires it gives up
  starttls  STARTTLS offered with the certificate CERT and its key KEY, and
            required before MAIL and AUTH (RFC 3207)
  smtps     TLS from the first byte (implicit TLS, smtps://) with CERT
"""
import asyncio
import os
import socket
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult


class Folder:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        path = os.path.join(self.folder, "mail-%d.eml" % self.count)
        login = getattr(session, "test_login", "none")
        tls = server.transport.get_extra_info("ssl_object")
        head = "X-Envelope-From: %s\nX-Envelope-To: %s\nX-Login: %s\nX-TLS: %s\n" % (
            envelope.mail_from, " ".join(envelope.rcpt_tos), login,
            tls.version() if tls else "none")
        with open(path + ".tmp", "wb") as f:
            f.write(head.encode() + envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 OK"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        if ok:
            session.test_login = user
        return AuthResult(success=ok)
    return check


def protocol(mode, handler, context, user, password):
    """The SMTP session for MODE.  Implicit TLS is below aiosmtpd, which
    cannot tell it from clear text, so AUTH is allowed there as in plain."""
    check = authenticator(user, password)
    if mode == "starttls":
        return lambda: SMTP(handler, tls_context=context, require_starttls=True,
                            auth_require_tls=True, auth_required=True, authenticator=check)
    return lambda: SMTP(handler, auth_require_tls=False, auth_required=True,
                        authenticator=check)


async def main(folder, port_file, user, password, mode="plain", cert=None, key=None):
    if mode not in ("plain", "starttls", "smtps"):
        sys.exit("smtp_receiver.py: no such mode %r" % mode)
    context = None
    if mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    handler = Folder(folder)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        protocol(mode, handler, context, user, password), sock=sock,
        ssl=context if mode == "smtps" else None)
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % sock.getsockname()[1])
    os.rename(port_file + ".tmp", port_file)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:]))
