"""govsite serve: the live preview an editor keeps open while writing.

The server runs as the editor runs it (``govsite serve`` in its own process, on a free port);
tests change files the way editors and tools do and poll the server until it shows the change,
with a timeout instead of fixed sleeps.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import threading
import time

import pytest
from watchdog.events import DirModifiedEvent, FileCreatedEvent, FileModifiedEvent, FileMovedEvent

from govsite.serve import Preview
from govsite.serve.http import content_type, inject, locate
from govsite.serve.watch import Debouncer, Watcher, event_paths, is_noise

from helpers import NOW, REPO, page, run
from serving import A_FILE, A_PAGE, TIMEOUT, Served, wait_for


@pytest.fixture
def served(project):
    server = Served(project)
    yield server
    server.stop()


@pytest.mark.slow
def test_edit_is_shown_without_restart_and_never_touches_the_real_build(served, project):
    assert "第一篇工作动态" in served.text(A_PAGE)
    before = served.status()["number"]
    project.page("zwdt/gzdt/a.md", "第一篇工作动态（修订）", date="2026-05-01 09:00", keywords="[营商环境]")
    wait_for(lambda: "第一篇工作动态（修订）" in served.text(A_PAGE), what="the edited title")
    assert served.wait_build(before)["changed"] == [A_FILE]
    assert "第一篇工作动态（修订）" in served.text("/zwdt/gzdt/index.html")   # the list follows too
    assert not project.out().exists()                                       # build/t is never written
    assert (project.root / "build/.serve/t/index.html").is_file()


@pytest.mark.slow
def test_body_edit_is_shown_by_a_quick_patch_that_the_full_build_confirms(served, project):
    """An edit of the text alone is patched in at once (govsite.quick); the normal build that
    follows writes the same bytes, so the browser is not told to reload a second time."""
    before = served.status()["number"]
    project.page("zwdt/gzdt/a.md", "第一篇工作动态", date="2026-05-01 09:00", keywords="[营商环境]",
                 body="修订内容。")                 # as long as 正文内容。: the mean page length stays
    state = served.wait_build(before)
    assert "修订内容" in served.text(A_PAGE)
    assert state["quick"] and state["number"] == before + 1
    wait_for(lambda: served.status()["confirmed"] == 1, what="the full build to agree")
    assert served.status()["number"] == before + 1
    assert any("full build agrees with the quick patch" in line for line in served.lines)


@pytest.mark.slow
def test_poll_option_sees_edits(project):
    """--poll (network mounts): watchdog's PollingObserver instead of inotify."""
    server = Served(project, "--poll")
    try:
        project.page("zwdt/gzdt/a.md", "轮询模式下的修改", keywords="[营商环境]")
        wait_for(lambda: "轮询模式下的修改" in server.text(A_PAGE), what="the edit seen by polling")
        assert any("polling every second" in line for line in server.lines)
    finally:
        server.stop()


@pytest.mark.slow
def test_theme_edit_is_shown(served, project):
    """Templates and static files of the site's folder (and the theme) are watched too."""
    template = (REPO / "themes/default/templates/page.html").read_text(encoding="utf-8")
    project.write("sites/t/templates/page.html", template.replace('<h1 id="article-title">', '<h1 id="article-title" class="own-theme">'))
    wait_for(lambda: 'class="own-theme"' in served.text(A_PAGE), what="the site's own template")
    project.write("sites/t/static/css/site.css", "body { color: #111; }\n")
    wait_for(lambda: served.text("/static/css/site.css") == "body { color: #111; }\n", what="the site's own CSS")


def test_templates_edited_between_builds_of_one_process_are_compiled_afresh(project, tmp_path):
    from govsite.pipeline.build import BuildOptions, build_site

    template = (REPO / "themes/default/templates/page.html").read_text(encoding="utf-8")
    for marker in ("first-version", "second-version"):
        project.write("sites/t/templates/page.html", template.replace('<h1 id="article-title">',
                                                                      f'<h1 id="article-title" class="{marker}">'))
        build_site(project.root, "t", tmp_path / "out", BuildOptions(now=NOW, jobs=1))
        assert f'class="{marker}"' in (tmp_path / "out/t/zwdt/gzdt/a.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_bad_yaml_shows_problems_in_browser_then_recovers(served, project):
    before = served.status()["number"]
    project.write("content/t/zwdt/gzdt/_column.yaml", "name: 工作动态\ntype: 政务动态\nkeywords: [工作, 动态\n")
    state = served.wait_build(before)
    assert not state["ok"]
    status, headers, body = served.get(A_PAGE)
    page_html = body.decode()
    assert status == 200 and "第一篇工作动态" in page_html          # the last good page stays served …
    assert 'id="govsite-overlay"' in page_html                        # … with the problems over it
    where = re.search(r"content/t/zwdt/gzdt/_column\.yaml:(\d+)", page_html)
    assert where and int(where.group(1)) >= 3                          # path:line of the unclosed list
    assert "YAML 语法错误" in page_html and "提示：" in page_html
    errors = served.text("/__govsite/errors")
    assert where.group(0) in errors and "生成失败" in errors

    before = served.status()["number"]
    project.column("zwdt/gzdt", "工作动态", type="政务动态", keywords="[工作, 动态]", order=1)
    assert served.wait_build(before)["ok"]
    assert "govsite-overlay" not in served.text(A_PAGE)


@pytest.mark.slow
def test_broken_site_yaml_then_fixed_keeps_watching_content(served, project):
    site_yaml = project.root / "sites/t/site.yaml"
    good = site_yaml.read_text(encoding="utf-8")
    before = served.status()["number"]
    site_yaml.write_text(good + "channels: [zwdt\n", encoding="utf-8")
    state = served.wait_build(before)
    assert not state["ok"] and any(e.startswith("sites/t/site.yaml:") for e in state["errors"])
    before = state["number"]
    site_yaml.write_text(good, encoding="utf-8")
    assert served.wait_build(before)["ok"]
    project.page("zwdt/gzdt/a.md", "站点配置修好之后的修改", keywords="[营商环境]")
    wait_for(lambda: "站点配置修好之后的修改" in served.text(A_PAGE), what="a content edit after the fix")


@pytest.mark.slow
def test_save_made_while_the_watched_folders_change_is_not_lost(project, monkeypatch):
    """site.yaml breaks: the watcher is replaced by one over fewer folders. A save the old
    watcher had read but not yet handed on (its threads wait for a busy CPU) must still
    reach the debouncer, or the preview never rebuilds after the fix."""
    seen: list[str] = []
    busy = project.content / "zwdt/gzdt/b.md"

    def record(paths):
        if str(busy) in paths:
            time.sleep(0.5)   # the old watcher's dispatch thread is slow
        seen.extend(paths)

    preview = Preview(project.root, "t", log=lambda _text: None)
    preview._thread.start()   # (stop shuts the web server down)
    try:
        monkeypatch.setattr(preview.debouncer, "add", record)
        preview.watcher = Watcher(preview.builder.watched_folders(), record)
        preview.watcher.start()
        busy.write_text(busy.read_text(encoding="utf-8") + "\n补充。\n", encoding="utf-8")
        site_yaml = project.root / "sites/t/site.yaml"
        site_yaml.write_text(site_yaml.read_text(encoding="utf-8") + "channels: [zwdt\n", encoding="utf-8")
        time.sleep(0.1)   # both events are in the old watcher's queue
        preview._follow_folders()
        assert preview.watcher.folders == [(project.root / "sites/t").resolve()]
        wait_for(lambda: str(site_yaml) in seen, timeout=5, what="the save of site.yaml")
    finally:
        preview.stop()


@pytest.mark.slow
def test_editor_temporary_files_trigger_no_build(served, project):
    column = project.content / "zwdt/gzdt"
    before = served.status()["number"]
    for name in ("4913", "a.md~", ".#a.md", ".a.md.swp", "#a.md#", "a.md.tmp", "a.md.vsctmp", ".goutputstream-X1Y2",
                 "a.md___jb_tmp___"):
        (column / name).write_text("临时", encoding="utf-8")
    (column / "4913").unlink()
    # atomic save (VS Code, JetBrains, vim with backupcopy=no): the real file only sees a *move*
    tmp = column / ".a.md.tmp.1234"
    tmp.write_text(page("第一篇工作动态（原子保存）", keywords="[营商环境]"), encoding="utf-8")
    os.replace(tmp, column / "a.md")
    wait_for(lambda: "第一篇工作动态（原子保存）" in served.text(A_PAGE), what="the atomically saved page")
    state = served.wait_build(before)  # the page is swapped in a moment before the build is counted
    assert state["number"] == before + 1, "a temporary file started a build of its own"
    assert state["changed"] == [A_FILE]


@pytest.mark.slow
def test_requests_outside_the_output_are_refused(served, project):
    (project.root / "build/.serve/t/leak").symlink_to(project.root / "sites", target_is_directory=True)
    for path in ("/../sites/t/site.yaml", "/%2e%2e/sites/t/site.yaml", "/zwdt/%2E%2e/%2e./sites/t/site.yaml",
                 "/..%2fsites/t/site.yaml", "/..%5csites", "/leak/t/site.yaml"):
        status, _, body = served.get(path)
        assert status == 403, path
        assert b"site_code" not in body


@pytest.mark.slow
def test_server_serves_like_a_web_server(served):
    status, headers, body = served.get("/nowhere/missing.html")
    assert status == 404 and "页面未找到" in body.decode()              # the site's own 404 page
    status, headers, _ = served.get("/zwdt")
    assert status == 301 and headers["Location"] == "/zwdt/"
    status, headers, body = served.get("/zwdt/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8" and "政务动态" in body.decode()
    assert served.get("/static/css/site.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    assert served.get("/sitemap.xml")[1]["Content-Type"] == "application/xml; charset=utf-8"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    status, headers, body = served.get("/__govsite/reload.js")
    assert status == 200 and headers["Content-Type"] == "text/javascript; charset=utf-8" and b"EventSource" in body


@pytest.mark.slow
def test_event_stream_announces_each_build(served, project):
    conn = http.client.HTTPConnection(served.host, served.port, timeout=TIMEOUT)
    conn.request("GET", "/__govsite/events")
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("Content-Type", "").startswith("text/event-stream")

    def next_build():
        data = None
        while True:
            line = response.fp.readline().decode().rstrip("\n")
            if line.startswith("data: "):
                data = json.loads(line[6:])
            elif line == "" and data is not None:
                return data

    first = next_build()
    project.page("zwdt/gzdt/b.md", "第二篇工作动态（修订）", date="2026-05-02 09:00")
    second = next_build()
    conn.close()
    assert second["id"] != first["id"] and second["ok"] and second["number"] == first["number"] + 1


@pytest.mark.slow
def test_served_pages_carry_reload_script_and_built_pages_never(served, project):
    html = served.text("/")
    status = served.status()
    assert f'<script src="/__govsite/reload.js?build={status["id"]}" defer></script></body>' in html
    on_disk = (project.root / "build/.serve/t/index.html").read_text(encoding="utf-8")
    assert "__govsite" not in on_disk                   # added on the way out, not built in
    assert project.build().exit_code == 0
    for path in project.out().rglob("*"):
        if path.is_file():
            assert b"__govsite" not in path.read_bytes(), path


@pytest.mark.slow
def test_drafts_and_scheduled_pages_are_previewed_with_a_flag(project):
    project.page("zwdt/gzdt/draft.md", "草稿里的动态", draft="true")
    project.page("zwdt/gzdt/later.md", "明天发布的动态", publish="2026-06-02 09:00")
    server = Served(project)
    try:
        draft = server.text("/zwdt/gzdt/draft.html")
        assert "草稿里的动态" in draft and 'class="preview-flag"' in draft and "预览" in draft
        later = server.text("/zwdt/gzdt/later.html")
        assert "明天发布的动态" in later and "定时发布：2026-06-02 09:00" in later
        assert 'class="preview-flag"' not in server.text(A_PAGE)
    finally:
        server.stop()
    assert project.build().exit_code == 0
    assert not project.out("zwdt/gzdt/draft.html").exists() and not project.out("zwdt/gzdt/later.html").exists()
    assert project.build("--drafts").exit_code == 0
    assert 'class="preview-flag"' not in project.html("zwdt/gzdt/draft.html")


@pytest.mark.slow
def test_rebuilds_with_worker_processes_keep_going(project):
    """Large sites render in forked workers; serve must not keep them from ending after a build
    (they inherit serve's signal handlers), or the second rebuild never finishes."""
    from govsite.core.workers import PARALLEL_MIN_PAGES

    for i in range(PARALLEL_MIN_PAGES):
        project.page(f"zwdt/gzdt/bulk{i:03}.md", f"批量页面{i}", date="2026-04-01 09:00")
    server = Served(project, "--jobs", "2", "--no-check")
    try:
        for n in range(2):
            project.page("zwdt/gzdt/a.md", f"第一篇工作动态第{n}次修改", keywords="[营商环境]")
            wait_for(lambda n=n: f"第{n}次修改" in server.text(A_PAGE), timeout=120, what=f"rebuild {n}")
    finally:
        server.stop()
    assert server.proc.returncode is not None


@pytest.mark.slow
def test_first_build_failing_shows_the_error_page(project):
    project.write("content/t/zwdt/tzgg/n1.md", "---\ntitle: 通知\ndate: 2026-13-01\n---\n正文\n")
    server = Served(project)
    try:
        status, _, body = server.get("/")
        text = body.decode()
        assert status == 500 and "content/t/zwdt/tzgg/n1.md:3" in text and "/__govsite/reload.js" in text
        before = server.status()["number"]
        project.page("zwdt/tzgg/n1.md", "关于开展检查的通知", date="2026-04-01 10:00")
        assert server.wait_build(before)["ok"]
        assert server.get("/")[0] == 200
    finally:
        server.stop()


def test_a_taken_port_is_a_clear_error(project):
    import socket


    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run(["--project", str(project.root), "serve", "t", "--port", str(port), "--no-open"])
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}" in result.output


# -- units: the event filter, the debouncer, the path resolver, injection --------------------------
@pytest.mark.parametrize("name", ["4913", "5036", "a.md~", ".#a.md", "#a.md#", ".a.md.swp", ".a.md.swx", "a.md.swo",
                                  "a.md.tmp", "a.md.TMP", "a.md.vsctmp", ".goutputstream-ABC", "a.md___jb_tmp___", "~$文件.docx",
                                  ".~lock.表.xlsx#", ".DS_Store", "Thumbs.db", ".git/index", "x/__pycache__/m.pyc"])
def test_editor_noise_is_recognised(name):
    assert is_noise(f"/p/content/t/zwdt/{name}")


@pytest.mark.parametrize("name", ["a.md", "_column.yaml", "2026-05-01-gzdt.md", "图片.png", "附件.pdf", "site.yaml",
                                  "page.html", "site.css", "2026.csv"])
def test_real_files_are_watched(name):
    assert not is_noise(f"/p/content/t/zwdt/{name}")


def test_events_of_atomic_saves_count_at_their_destination():
    assert event_paths(FileMovedEvent("/c/.a.md.tmp", "/c/a.md")) == ["/c/a.md"]
    assert event_paths(FileMovedEvent("/c/a.md", "/c/a.md~")) == ["/c/a.md"]
    assert event_paths(FileCreatedEvent("/c/4913")) == []
    assert event_paths(FileModifiedEvent("/c/b.md")) == ["/c/b.md"]
    assert event_paths(DirModifiedEvent("/c")) == []


def test_a_burst_of_changes_is_one_rebuild():
    calls, done = [], threading.Event()

    def rebuild(paths):
        calls.append(paths)
        done.set()

    debouncer = Debouncer(rebuild, quiet=0.3)
    debouncer.start()
    for i in range(300):  # git checkout: hundreds of files at once
        debouncer.add([f"/c/{i:03}.md"])
    assert done.wait(10)
    debouncer.stop()
    assert len(calls) == 1 and len(calls[0]) == 300


@pytest.fixture
def output(tmp_path):
    root = tmp_path / "out"
    (root / "zwdt").mkdir(parents=True)
    (root / "index.html").write_text("home")
    (root / "zwdt/index.html").write_text("list")
    (root / "zwdt/新闻.html").write_text("news")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "out-link").symlink_to(tmp_path / "secret.txt")
    (root / "in-link").symlink_to(root / "zwdt/index.html")
    return root


@pytest.mark.parametrize("path, kind, rel", [
    ("/", "file", "index.html"),
    ("/zwdt/", "file", "zwdt/index.html"),
    ("/zwdt", "redirect", None),
    ("/zwdt/%E6%96%B0%E9%97%BB.html", "file", "zwdt/新闻.html"),
    ("/zwdt/./index.html", "file", "zwdt/index.html"),
    ("/in-link", "file", "zwdt/index.html"),
    ("/nothing.html", "missing", None),
    ("/.hidden", "missing", None),
    ("/%ff.html", "missing", None),
    ("/../secret.txt", "forbidden", None),
    ("/%2e%2e/secret.txt", "forbidden", None),
    ("/zwdt/..%2F..%2Fsecret.txt", "forbidden", None),
    ("/zwdt/%2E%2E/%2e%2E/secret.txt", "forbidden", None),
    ("/..\\secret.txt", "forbidden", None),
    ("/%00", "forbidden", None),
    ("/out-link", "forbidden", None),
])
def test_path_resolver(output, path, kind, rel):
    found = locate(output, path)
    assert found.kind == kind, found
    if rel:
        assert found.path == output.resolve() / rel


def test_folder_redirects_stay_on_this_server(output):
    assert locate(output, "/zwdt").location == "/zwdt/"
    assert locate(output, "//zwdt").location == "/zwdt/"           # not //zwdt/, a link to host "zwdt"
    assert locate(output, "/./zwdt").location == "/zwdt/"


def test_double_encoding_stays_a_name(output):
    assert locate(output, "/%252e%252e/secret.txt").kind == "missing"


def test_only_loopback_addresses_count_as_private():
    from govsite.serve import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20") and not is_loopback("::")


def test_content_types_name_utf8():
    assert content_type("a.html") == "text/html; charset=utf-8"
    assert content_type("a.js") == "text/javascript; charset=utf-8"
    assert content_type("a.json") == "application/json; charset=utf-8"
    assert content_type("a.png") == "image/png"
    assert content_type("a.woff2") == "font/woff2"


def test_injection_places_tags_and_overlay():
    from govsite.core.errors import Problem

    page_html = b"<html><head><title>t</title></head><body class=\"x\"><p>hi</p></body></html>"
    out = inject(page_html, "abc", [Problem("content/t/a.md", 4, "日期<无效>", "写成 YYYY-MM-DD")])
    assert out.index(b"serve.css") < out.index(b"</head>")
    assert out.index(b'<body class="x">') < out.index(b"govsite-overlay") < out.index(b"<p>hi</p>")
    assert b'reload.js?build=abc" defer></script></body>' in out
    assert "content/t/a.md:4".encode() in out and "日期&lt;无效&gt;".encode() in out
    assert inject(b"<p>fragment</p>", "abc").endswith(b"</script>")
