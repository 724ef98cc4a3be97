"""Video and audio in page bodies (issue #23, item 4: 在线访谈 and 图解 videos with captions).

An editor writes ``<video>``/``<audio>`` with ``<source>`` and ``<track kind="captions">`` in
Markdown. What a visitor relies on: the player plays the site's own files (copied with the page,
addresses resolved like images), it always has controls and never starts by itself, a file from
another host never reaches the page (an error with ``file:line``, the previous output kept), and
an editor is told when a video has no captions (AX-1).
"""
from __future__ import annotations

import posixpath
import re

import pytest

from govsite.render.sanitize import Sanitizer, is_local_media
from govsite.serve.http import content_type

from browser import NotFoundServer
from helpers import NOW, REPO, fails_cleanly, run

WEBM = (REPO / "content/demo/hdjl/zxft/jyft-pianduan.webm").read_bytes()   # a real clip (6 s, VP8)
CAPTIONS = '<track kind="captions" src="../tzgg/ft.vtt" srclang="zh" label="中文字幕" default>'


def video(src="../tzgg/ft.webm", track=CAPTIONS, extra=""):
    return (f'第一段。\n\n<video width="640" height="360"{extra}>\n<source src="{src}" type="video/webm">\n'
            f'{track}\n您的浏览器不能播放视频，请阅读文字实录。\n</video>\n\n文字实录。\n')


def body_of(html: str) -> str:
    return html.split('class="article-body"')[1].split("</div>")[0]


@pytest.fixture
def media(project):
    """The test site with a video and its captions in the 通知公告 column's folder."""
    project.write("content/t/zwdt/tzgg/ft.webm", WEBM)
    project.write("content/t/zwdt/tzgg/ft.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\n主持人：欢迎收看。\n")
    return project


@pytest.fixture
def built(media):
    assert media.build().exit_code == 0
    return media


def test_local_video_with_captions_plays_from_the_copied_files(media):
    """A video beside another page is linked from this page's output folder, like an image."""
    media.page("zwdt/gzdt/v.md", "在线访谈视频", body=video())
    result = media.build()
    assert result.exit_code == 0, result.output
    assert "[AX-1]" not in result.output and "[LY-6]" not in result.output
    body = body_of(media.html("zwdt/gzdt/v.html"))
    player = re.findall(r"<video[^>]*>", body)[0]
    assert 'controls=""' in player and 'width="640"' in player
    sources = re.findall(r'<(?:source|track)\b[^>]*\bsrc="([^"]+)"', body)
    assert sources == ["../tzgg/ft.webm", "../tzgg/ft.vtt"]
    for src in sources:
        copied = media.out(posixpath.normpath(posixpath.join("zwdt/gzdt", src)))
        assert copied.is_file()
    assert media.out("zwdt/tzgg/ft.webm").read_bytes() == WEBM
    assert 'kind="captions"' in body and 'srclang="zh"' in body


def test_autoplay_is_removed_and_every_player_has_controls(media):
    body = video(extra=" autoplay muted") + '\n<audio autoplay controls="no" src="../tzgg/ft.webm"></audio>\n'
    media.page("zwdt/gzdt/v.md", "自动播放", body=body)
    result = media.build()
    assert result.exit_code == 0, result.output
    assert "v.md:8: 警告: [LY-6] 已移除 <video> 的 autoplay 属性" in result.output
    assert "v.md:16: 警告: [LY-6] 已移除 <audio> 的 autoplay 属性" in result.output
    html = body_of(media.html("zwdt/gzdt/v.html"))
    assert "autoplay" not in html
    players = re.findall(r"<(?:video|audio)\b[^>]*>", html)
    assert len(players) == 2 and all('controls=""' in p for p in players)


def test_video_without_captions_is_an_ax1_warning_with_its_line(media):
    """In govsite build and in govsite check, at the same place (check reports it once); an audio
    without a track is not warned about (a transcript on the page is what it needs), and markup
    shown as an example in a code block is not a video."""
    body = (video(track="") + '\n<audio src="../tzgg/ft.webm"></audio>\n\n'
            '```html\n<video src="x.webm"></video>\n```\n')
    media.page("zwdt/gzdt/v.md", "没有字幕的视频", body=body)
    result = media.build()
    assert result.exit_code == 0, result.output
    assert result.output.count("[AX-1]") == 1
    assert "v.md:8: 警告: [AX-1] 视频没有字幕" in result.output
    assert '<track kind="captions"' in result.output   # the hint says what to write
    checked = run(["--project", str(media.root), "check", "t", "--now", NOW, "--jobs", "1"])
    assert checked.output.count("视频没有字幕") == 1
    assert "v.md:8:1: 警告: [AX-1] 视频没有字幕" in checked.output


@pytest.mark.parametrize("markup, shown", [
    (video(src="https://v.example.com/ft.mp4"), "https://v.example.com/ft.mp4"),
    (video(src="//cdn.example.com/ft.mp4"), "//cdn.example.com/ft.mp4"),
    (video(src="data:video/webm;base64,GkXfow=="), "data:video/webm;base64"),
    (video(src="/media/ft.webm"), "/media/ft.webm"),
    (video(track='<track kind="captions" src="https://v.example.com/ft.vtt">'), "https://v.example.com/ft.vtt"),
    (video(extra=' poster="http://img.example.com/p.jpg"'), "http://img.example.com/p.jpg"),
    ('<audio src="https://fm.example.com/a.mp3"></audio>\n', "https://fm.example.com/a.mp3"),
])
def test_a_source_that_is_not_a_local_file_is_an_error(built, markup, shown):
    built.page("zwdt/gzdt/v.md", "外部视频", body=markup)
    line = 6 + next(i for i, text in enumerate(markup.splitlines()) if shown in text)
    output = fails_cleanly(built, f"v.md:{line}: 错误: [LY-6] 已移除", f"「{shown}", "html.embed_hosts")
    assert "视频、音频和字幕只能使用与页面一起发布的本站文件" in output


def test_a_missing_video_file_is_a_broken_link(built):
    built.page("zwdt/gzdt/v.md", "视频文件不存在", body=video(src="../tzgg/nope.webm"))
    fails_cleanly(built, "v.md:9: 错误: [LK-1] 链接「../tzgg/nope.webm」指向的文件不存在")


@pytest.mark.parametrize("html", [
    '<video controls="" src="a.webm"></video>',
    '<video controls="" width="320"><source src="a.webm" type="video/webm"><track kind="captions" src="a.vtt"></video>',
    '<video src="a.webm"></video>',
    '<video autoplay controls="" src="a.webm"></video>',
    '<video controls=""><source src="https://x.example.com/a.webm"></video>',
    '<audio controls="" src="a.mp3"></audio>',
    '<audio controls=""><track src="//x.example.com/a.vtt"></audio>',
])
def test_removals_are_named_whenever_nh3_changes_a_player(html):
    """The sanitizer skips naming removals when nh3 leaves a body unchanged: a player it keeps
    as written must hold nothing to name, and anything it changes is named or is the added
    ``controls``."""
    sanitizer = Sanitizer()
    cleaned, removals = sanitizer.sanitize(html)
    assert removals == sanitizer.find_unsafe(html)
    assert "controls" in cleaned and "autoplay" not in cleaned and "example.com" not in cleaned
    if cleaned == html:
        assert removals == []


def test_govsite_serve_names_the_media_types():
    """Captions are served as text/vtt and clips by their video type, on any system (Python's
    mimetypes does not know .webm everywhere): what docs/formats.md tells a host to send."""
    assert content_type("a.vtt") == "text/vtt; charset=utf-8"
    assert content_type("a.webm") == "video/webm" and content_type("a.mp4") == "video/mp4"
    assert content_type("a.mp3") == "audio/mpeg"


def test_demo_interview_page_has_a_small_captioned_video(demo):
    html = (demo / "hdjl/zxft/2026-05-22-jyft.html").read_text(encoding="utf-8")
    body = body_of(html)
    assert re.search(r'<video [^>]*controls=""', body) and "autoplay" not in body
    assert '<track kind="captions" src="jyft-pianduan.vtt"' in body
    clip, captions = demo / "hdjl/zxft/jyft-pianduan.webm", demo / "hdjl/zxft/jyft-pianduan.vtt"
    assert clip.read_bytes()[:4] == b"\x1a\x45\xdf\xa3" and clip.stat().st_size < 200_000   # EBML (WebM)
    assert captions.read_text(encoding="utf-8").startswith("WEBVTT")
    # the player's fallback text is not the page's description
    description = re.findall(r'<meta name="Description" content="([^"]*)"', html)
    assert description and "不能播放" not in description[0]


def test_demo_video_plays_with_its_captions_under_the_shipped_csp(browser, demo):
    """In Chromium, over HTTP with the Content-Security-Policy of deploy/nginx.conf: the clip
    loads, has a length, shows its captions track, and nothing is blocked."""
    nginx = (REPO / "deploy/nginx.conf").read_text(encoding="utf-8")
    csp = re.findall(r'add_header Content-Security-Policy "([^"]+)"', nginx)[0]
    server = NotFoundServer(demo, {"Content-Security-Policy": csp})
    context = browser.new_context()
    context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    try:
        page.goto(server.base + "hdjl/zxft/2026-05-22-jyft.html")
        page.wait_for_function("document.querySelector('video').readyState >= 1 && "
                               "document.querySelector('video').textTracks[0].cues && "
                               "document.querySelector('video').textTracks[0].cues.length > 0", timeout=10000)
        state = page.evaluate("""() => { const v = document.querySelector('video'), t = v.textTracks[0];
            return {duration: v.duration, width: v.videoWidth, paused: v.paused, kind: t.kind, mode: t.mode,
                    cues: Array.from(t.cues).map(c => c.text)}; }""")
        assert 5 < state["duration"] < 7 and state["width"] == 320
        assert state["paused"] and state["kind"] == "captions" and state["mode"] == "showing"
        assert state["cues"][1] == "区教育局局长：今年新增学位3240个。"
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()
        server.httpd.shutdown()


def test_a_copied_page_keeps_its_video_published_by_the_owner_site():
    """A page another site copies (资源库, include mode copy) links its video at the owner's address:
    a file of a sister site is this platform's own, anything else is still refused (LY-6)."""
    sisters = ("https://www.jinglan.gov.cn/",)
    assert is_local_media("https://www.jinglan.gov.cn/hdjl/zxft/jyft-pianduan.webm", sisters)
    assert not is_local_media("https://www.jinglan.gov.cn.evil.example/a.webm", sisters)
    assert not is_local_media("https://video.example.com/a.webm", sisters)
    assert not is_local_media("https://www.jinglan.gov.cn/hdjl/zxft/jyft-pianduan.webm")
