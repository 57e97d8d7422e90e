"""A mail server on 127.0.0.1 for the alerts' tests (tests/e2e/run_alerts.sh).

Usage: smtp_receiver.py FOLDER PORT_FILE USER PASSWORD

Listens on a port the kernel picks (bound before it is announced, so no
other process can take it), writes that port to PORT_FILE (atomically,
once it accepts connections), and writes each message it takes to
FOLDER/mail-N.eml, headed by the envelope and the login used.  Offers
AUTH without TLS (the test's "starttls": false) and accepts only USER with
PASSWORD; offers no STARTTLS, so a client that requires it gives up.
"""
import asyncio
import os
import socket
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
        head = "X-Envelope-From: %s\nX-Envelope-To: %s\nX-Login: %s\n" % (
            envelope.mail_from, " ".join(envelope.rcpt_tos), login)
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


async def main(folder, port_file, user, password):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    handler = Folder(folder)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, auth_require_tls=False, auth_required=True,
                     authenticator=authenticator(user, password)),
        sock=sock)
    with open(port_file + ".tmp", "w") as f:
        f.write("%d\n" % sock.getsockname()[1])
    os.rename(port_file + ".tmp", port_file)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
