"""``govsite serve`` as an editor runs it, for the tests that talk to it over HTTP (test_serve.py)
and in Chromium (test_serve_browser.py): the server in its own process on a free port, and a
poll with a timeout instead of fixed sleeps."""
from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

from helpers import NOW, REPO

TIMEOUT = 60.0   # an upper bound for a busy machine; polls end as soon as the condition holds


def wait_for(predicate, timeout=TIMEOUT, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Served:
    """``govsite serve`` in a subprocess, and HTTP helpers to talk to it."""

    def __init__(self, project, *args):
        cmd = [sys.executable, str(REPO / "cli.py"), "--project", str(project.root), "serve", "t", "--port", "0",
               "--no-open", "--now", NOW, "--jobs", "1", *args]
        self.project = project
        self.lines: list[str] = []
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     cwd=project.root, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        threading.Thread(target=self._read, daemon=True).start()
        line = wait_for(lambda: next((x for x in self.lines if "Serving t at " in x), None) or self._dead(),
                        what="the server to listen")
        self.url = line.split(" at ", 1)[1].split()[0]
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname, parts.port
        wait_for(lambda: self.status()["number"] >= 1, timeout=180, what="the first build")  # slow on a busy machine

    def _read(self):
        assert self.proc.stdout is not None   # stdout=PIPE
        for line in self.proc.stdout:
            self.lines.append(line)

    def _dead(self):
        if self.proc.poll() is not None:
            raise AssertionError("govsite serve exited:\n" + "".join(self.lines))
        return None

    def get(self, path: str, headers=None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def text(self, path: str) -> str:
        return self.get(path)[2].decode("utf-8")

    def status(self) -> dict:
        return json.loads(self.get("/__govsite/status")[2])

    def wait_build(self, after: int) -> dict:
        return wait_for(lambda: (s := self.status())["number"] > after and not s["building"] and s,
                        what=f"a build after #{after}")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


A_PAGE = "/zwdt/gzdt/a.html"
A_FILE = "content/t/zwdt/gzdt/a.md"
