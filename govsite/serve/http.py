"""The preview web server: static files of the last good build, live reload, errors in the page.

Safety first, because a preview holds drafts: it listens on 127.0.0.1 unless told otherwise, reads
only inside the output folder (``..`` in any spelling and symlinks that lead out are refused),
and sends the same Content-Security-Policy as the production nginx config, so what works in the
preview works on the real site. Nothing serve adds is in the built files: the reload script, its
style sheet and the error overlay are put into HTML responses on the way out, as references to
``/__govsite/…`` files (no inline script or style, so the CSP holds).
"""
from __future__ import annotations

import html
import json
import mimetypes
import os
import re
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from govsite.core.errors import Problem

PREFIX = "/__govsite/"
KEEPALIVE_SECONDS = 15.0
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'self'; form-action 'self'; "
       "frame-ancestors 'self'")
TYPES = {  # the few types mimetypes gets wrong or does not know on some systems
    ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".mjs": "text/javascript",
    ".json": "application/json", ".xml": "application/xml", ".rss": "application/rss+xml",
    ".svg": "image/svg+xml", ".txt": "text/plain", ".csv": "text/csv", ".md": "text/markdown",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ico": "image/x-icon", ".webp": "image/webp",
    ".pdf": "application/pdf", ".gz": "application/gzip", ".br": "application/octet-stream",
    ".webm": "video/webm", ".mp4": "video/mp4", ".mp3": "audio/mpeg", ".vtt": "text/vtt",
}
TEXT_TYPES = {"application/json", "application/xml", "application/rss+xml", "image/svg+xml",
              "application/javascript"}
_BODY_OPEN = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


# -- finding files ---------------------------------------------------------------------------------
class Located:
    """What a request path names: ``file`` (path), ``redirect`` (location), ``missing`` or ``forbidden``."""

    def __init__(self, kind: str, path: Path | None = None, location: str = ""):
        self.kind, self.path, self.location = kind, path, location

    def __repr__(self) -> str:
        return f"Located({self.kind!r}, {self.path!r}, {self.location!r})"


def locate(root: Path, url_path: str) -> Located:
    """Map a URL path (still %-encoded, without query) to a file inside ``root``.

    ``..`` segments are refused in any encoding (``%2e%2e``, ``%2E.``), as are backslashes and
    NUL bytes; a path that resolves outside ``root`` through a symlink is refused too. Folders
    are served by their ``index.html`` (redirecting ``/dir`` to ``/dir/`` so relative links work).
    """
    try:
        decoded = unquote(url_path, errors="strict") if "%" in url_path else url_path
    except UnicodeDecodeError:
        return Located("missing")
    if "\x00" in decoded or "\\" in decoded or not decoded.startswith("/"):
        return Located("forbidden")
    segments = [s for s in decoded.split("/") if s not in ("", ".")]
    if any(s == ".." for s in segments):
        return Located("forbidden")
    if any(s.startswith(".") for s in segments):   # no hidden files (the output has none)
        return Located("missing")
    real_root = os.path.realpath(root)
    full = os.path.realpath(os.path.join(real_root, *segments))
    if full != real_root and not full.startswith(real_root + os.sep):
        return Located("forbidden")
    if os.path.isdir(full):
        if not decoded.endswith("/"):  # rebuilt from the segments: never "//host/" (open redirect)
            return Located("redirect", location="/" + "".join(quote(seg) + "/" for seg in segments))
        index = os.path.join(full, "index.html")
        return Located("file", Path(index)) if os.path.isfile(index) else Located("missing")
    if os.path.isfile(full):
        return Located("file", Path(full))
    return Located("missing")


def content_type(path: Path | str) -> str:
    suffix = os.path.splitext(str(path))[1].lower()
    kind = TYPES.get(suffix) or mimetypes.guess_type(str(path))[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in TEXT_TYPES:
        kind += "; charset=utf-8"
    return kind


# -- what serve adds to pages -------------------------------------------------------------------------
def problem_list(errors: list[Problem]) -> str:
    items = []
    for p in errors:
        where = f"{p.path}:{p.line}" if p.line else p.path
        rule = f"[{p.rule}] " if p.rule and not p.message.startswith("[") else ""
        hint = f'<p class="govsite-hint">提示：{html.escape(p.hint)}</p>' if p.hint else ""
        items.append(f'<li><code class="govsite-where">{html.escape(where)}</code> '
                     f'<span class="govsite-message">{html.escape(rule + p.message)}</span>{hint}</li>')
    return f'<ol class="govsite-problems">{"".join(items)}</ol>'


def overlay(errors: list[Problem], stale: bool = True) -> str:
    note = "页面仍显示上一次成功生成的内容。" if stale else ""
    return (f'<div id="govsite-overlay" class="govsite-overlay" role="alertdialog" aria-labelledby="govsite-overlay-title">'
            f'<div class="govsite-box"><h2 id="govsite-overlay-title">生成失败：{len(errors)} 个错误</h2>'
            f'<p>{note}改正下列文件并保存后，预览会自动刷新。</p>{problem_list(errors)}'
            f'<button type="button" class="govsite-close" data-govsite-close>关闭</button></div></div>')


def tags(build_id: str) -> tuple[bytes, bytes]:
    head = f'<link rel="stylesheet" href="{PREFIX}serve.css">'.encode()
    script = f'<script src="{PREFIX}reload.js?build={build_id}" defer></script>'.encode()
    return head, script


def inject(page: bytes, build_id: str, errors: list[Problem] | None = None) -> bytes:
    """Add the reload script (before ``</body>``), its style sheet (before ``</head>``) and, after a
    failed build, the error overlay (after ``<body>``) to an HTML page."""
    head, script = tags(build_id)
    lower = page.lower()
    at = lower.rfind(b"</head>")
    if at >= 0:
        page = page[:at] + head + page[at:]
        lower = page.lower()
    else:
        script = head + script
    if errors:
        opening = _BODY_OPEN.search(page)
        block = overlay(errors).encode()
        page = page[:opening.end()] + block + page[opening.end():] if opening else block + page
        lower = page.lower()
    at = lower.rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def standalone(title: str, body: str, build_id: str) -> bytes:
    """A page of serve's own (errors before any good build, "building …")."""
    page = ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{html.escape(title)}</title>'
            f'</head><body class="govsite-page"><main class="govsite-box">{body}</main></body></html>\n')
    return inject(page.encode(), build_id)


def error_page(errors: list[Problem], build_id: str, has_output: bool) -> bytes:
    note = "其他页面仍显示上一次成功生成的内容。" if has_output else "还没有成功生成过，暂无页面可显示。"
    return standalone("生成失败 - govsite 预览",
                      f"<h1>生成失败：{len(errors)} 个错误</h1><p>{note}改正下列文件并保存后，预览会自动刷新。</p>"
                      f"{problem_list(errors)}", build_id)


def _asset(name: str) -> bytes:
    return resources.files("govsite.serve").joinpath("assets", name).read_bytes()


# -- the server ------------------------------------------------------------------------------------------
class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address, builder):
        host = address[0]
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.builder = builder
        self.root = builder.out
        self.stopping = False
        super().__init__(address, PreviewHandler)

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]   # str: typeshed allows bytes
        shown = f"[{host}]" if ":" in host else host
        if host in ("0.0.0.0", "::"):
            shown = "127.0.0.1"
        return f"http://{shown}:{port}/"


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "govsite-serve"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass  # a preview's access log is noise; builds are logged by the builder

    def do_HEAD(self):
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):
        self.head_only = head
        path = urlsplit(self.path).path
        if path.startswith(PREFIX):
            return self._own(path[len(PREFIX):])
        build_id, ok, errors, has_output = self.server.builder.current()  # before reading files
        if not has_output:
            if errors:
                return self._send(HTTPStatus.INTERNAL_SERVER_ERROR, error_page(errors, build_id, False), "x.html")
            body = standalone("正在生成 - govsite 预览", "<h1>正在生成预览……</h1><p>完成后本页自动刷新。</p>", build_id)
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, body, "x.html")
        found = locate(self.server.root, path)
        if found.kind == "forbidden":
            return self._send(HTTPStatus.FORBIDDEN, b"403 Forbidden: outside the preview\n", "x.txt")
        if found.kind == "redirect":
            query = urlsplit(self.path).query
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", found.location + ("?" + query if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if found.path is None:   # "missing": the site's own 404 page
            status, file = HTTPStatus.NOT_FOUND, Path(self.server.root) / "404.html"
        else:
            status, file = HTTPStatus.OK, found.path
        try:
            data = file.read_bytes()
        except OSError:
            return self._send(HTTPStatus.NOT_FOUND, b"404 Not Found\n", "x.txt")
        if file.suffix.lower() == ".html":
            data = inject(data, build_id, None if ok else errors)
        return self._send(status, data, file)

    def _own(self, name: str):
        builder = self.server.builder
        if name == "events":
            return self._events()
        if name == "status":
            return self._send(HTTPStatus.OK, json.dumps(builder.snapshot(), ensure_ascii=False).encode(), "x.json")
        if name == "errors":
            build_id, _, errors, has_output = builder.current()
            return self._send(HTTPStatus.OK, error_page(errors, build_id, has_output), "x.html")
        if name in ("reload.js", "serve.css"):
            return self._send(HTTPStatus.OK, _asset(name), name)
        return self._send(HTTPStatus.NOT_FOUND, b"404 Not Found\n", "x.txt")

    def _events(self):
        """Server-Sent Events: the build id now, then after every build (comments keep it open)."""
        builder = self.server.builder
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Accel-Buffering", "no")
        self.end_headers()
        if self.head_only:
            return
        known = None
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not self.server.stopping and not builder.closed:
                state = builder.snapshot()
                if state["id"] != known:
                    known = state["id"]
                    data = {k: state[k] for k in ("id", "ok", "number", "has_output")}
                    data["errors"] = len(state["errors"])
                    self.wfile.write(f"event: build\ndata: {json.dumps(data)}\n\n".encode())
                else:
                    self.wfile.write(b": waiting\n\n")
                self.wfile.flush()
                builder.wait_change(known, KEEPALIVE_SECONDS)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        self.close_connection = True

    def _send(self, status, data: bytes, name):
        self.send_response(status)
        self.send_header("Content-Type", content_type(name))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "strict-origin-when-cross-origin")
        self.end_headers()
        if not self.head_only:
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
        return None
