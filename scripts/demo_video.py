#!/usr/bin/env python3
"""Make the demo's short captioned video clip (content/demo/hdjl/zxft/jyft-pianduan.webm).

    python scripts/demo_video.py [OUT.webm]

The demo shows a 在线访谈 page with a video and its WebVTT captions (docs/formats.md, "Video and
audio"). No camera footage is stored or fetched: Chromium draws six seconds of title cards on a
canvas (the speakers' names and the words the captions file carries) and records them with its
own VP8 encoder (MediaRecorder), at a low bit rate, so the file stays small (about 50 KB). The
encoder is not bit-exact from run to run; the committed file is one such recording.
"""
from __future__ import annotations

import base64
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from browser import launch  # noqa: E402

OUT = REPO / "content/demo/hdjl/zxft/jyft-pianduan.webm"
# (seconds from, to, who, what): the same lines as jyft-pianduan.vtt
CARDS = [
    (0, 2, "主持人", "欢迎收看景澜区在线访谈"),
    (2, 4, "区教育局局长", "今年新增学位3240个"),
    (4, 6, "基础教育科科长", "信息登记：7月1日至7月10日"),
]

RECORD = """async (cards) => {
  const canvas = document.createElement("canvas");
  canvas.width = 320; canvas.height = 180;
  document.body.append(canvas);
  const g = canvas.getContext("2d");
  const started = performance.now();
  const end = cards[cards.length - 1][1];
  function draw() {
    const t = (performance.now() - started) / 1000;
    const card = cards.find(c => t >= c[0] && t < c[1]) || cards[cards.length - 1];
    g.fillStyle = "#0b4ea2"; g.fillRect(0, 0, 320, 180);
    g.fillStyle = "#ffffff"; g.font = "bold 20px sans-serif"; g.textAlign = "center";
    g.fillText("景澜区在线访谈", 160, 50);
    g.font = "16px sans-serif";
    g.fillText(card[2], 160, 100);
    g.fillText(card[3], 160, 130);
    g.fillRect(20, 160, 280 * Math.min(1, t / end), 4);
  }
  draw();
  const stream = canvas.captureStream(10);
  const recorder = new MediaRecorder(stream, { mimeType: "video/webm;codecs=vp8", videoBitsPerSecond: 60000 });
  const chunks = [];
  recorder.ondataavailable = e => chunks.push(e.data);
  const done = new Promise(resolve => { recorder.onstop = resolve; });
  const timer = setInterval(draw, 50);
  recorder.start();
  await new Promise(resolve => setTimeout(resolve, end * 1000));
  recorder.stop();
  await done;
  clearInterval(timer);
  const bytes = new Uint8Array(await new Blob(chunks, { type: "video/webm" }).arrayBuffer());
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(text);
}"""


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        page.set_content("<!doctype html><meta charset=utf-8><body></body>")
        data = base64.b64decode(page.evaluate(RECORD, CARDS))
        browser.close()
    out.write_bytes(data)
    print(f"{out}: {len(data)} bytes")


if __name__ == "__main__":
    main()
