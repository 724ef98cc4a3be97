"""Headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright.

Playwright's own browser download does not work on our machines, so the system Chromium is used
with the flags that keep it from reaching for the network at start-up; and the demo served over
HTTP as nginx serves it, for the tests and benchmarks that load it in Chromium.
"""
from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

CHROMIUM = os.environ.get("GOVSITE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps"]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)


class NotFoundServer:
    """The demo over HTTP on loopback, answering missing paths with the site's 404.html (as nginx's
    ``error_page 404 /404.html`` does): the 404 page links by the site's base path, so it is only
    meaningful when served."""

    def __init__(self, root: Path, headers: dict | None = None):
        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def end_headers(self):
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                super().end_headers()

            def send_error(self, code, message=None, explain=None):
                if code != 404:
                    return super().send_error(code, message, explain)
                body = (root / "404.html").read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
