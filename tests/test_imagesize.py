"""Pictures in page bodies carry their size, so the text below them does not jump when they arrive
(layout shift; issue #23 item 6)."""
from __future__ import annotations

import struct
import zlib

import pytest

from govsite.render.imagesize import image_size

from helpers import age


def _png(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))


def _jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof + b"\xff\xd9"


@pytest.mark.parametrize("name, data, size", [
    ("a.png", _png(640, 360), (640, 360)),
    ("a.gif", b"GIF89a" + struct.pack("<HH", 120, 80) + b"\x00" * 8, (120, 80)),
    ("a.jpg", _jpeg(800, 533), (800, 533)),
    ("a.webp", b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x00" * 8 + (299).to_bytes(3, "little") + (199).to_bytes(3, "little"),
     (300, 200)),
    ("a.svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="480" height="270">', (480, 270)),
    ("b.svg", b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 160"><title>t</title></svg>', (960, 160)),
    ("c.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="100%"><title>t</title></svg>', None),
    ("a.pdf", b"%PDF-1.7", None),
    ("broken.png", b"not a png", None),
])
def test_picture_sizes_are_read_from_the_file_header(tmp_path, name, data, size):
    path = tmp_path / name
    path.write_bytes(data)
    assert image_size(path) == size


def test_a_body_picture_gets_width_and_height_and_a_replaced_one_is_measured_again(project):
    project.write("content/t/zwdt/gzdt/pic.png", _png(640, 360))
    project.page("zwdt/gzdt/pic.md", "图片新闻", body="![会场全景](pic.png)\n\n正文。")
    assert project.build().exit_code == 0
    html = project.html("zwdt/gzdt/pic.html")
    assert 'height="360"' in html and 'width="640"' in html
    # the picture replaced by a larger one, the page unchanged: the next build (with its cache) measures again
    age(project.root)
    project.write("content/t/zwdt/gzdt/pic.png", _png(1280, 720))
    assert project.build().exit_code == 0
    html = project.html("zwdt/gzdt/pic.html")
    assert 'height="720"' in html and 'width="1280"' in html


def test_a_size_the_editor_wrote_is_kept(project):
    project.write("content/t/zwdt/gzdt/pic.png", _png(640, 360))
    project.page("zwdt/gzdt/pic.md", "图片新闻", body='<img src="pic.png" alt="会场全景" width="320">\n\n正文。')
    assert project.build().exit_code == 0
    html = project.html("zwdt/gzdt/pic.html")
    assert 'width="320"' in html and 'height="360"' not in html
