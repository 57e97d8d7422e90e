#!/usr/bin/env python3
"""A small HTTPS receiver for the delivery tests, for what nginx cannot be
made to do simply: fail on purpose.  Requires a client certificate from the
test's CA.  PUT /flaky/NAME answers 500 the first two times and 200 (storing
the body) the third; /busy/NAME is always 503; /forbidden/NAME always 403.
Usage: https_receiver.py PORT CERT KEY CA STOREDIR"""
import http.server
import os
import ssl
import sys

port, cert, key, ca, store = sys.argv[1:6]
seen = {}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_PUT(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        kind, _, name = self.path.strip("/").partition("/")
        seen[self.path] = seen.get(self.path, 0) + 1
        if kind == "flaky" and seen[self.path] >= 3:
            with open(os.path.join(store, os.path.basename(name)), "wb") as f:
                f.write(body)
            code = 200
        elif kind == "forbidden":
            code = 403
        elif kind == "busy":
            code = 503
        else:
            code = 500
        self.send_response(code)
        self.send_header("X-Attempt", str(seen[self.path]))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, fmt, *args):
        sys.stderr.write("https_receiver: " + (fmt % args) + "\n")


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
ctx.load_verify_locations(ca)
ctx.verify_mode = ssl.CERT_REQUIRED
server = http.server.HTTPServer(("127.0.0.1", int(port)), Handler)
server.socket = ctx.wrap_socket(server.socket, server_side=True)
server.serve_forever()
