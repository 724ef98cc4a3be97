"""Headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright.

Playwright's own browser download does not work on our machines, so the system Chromium is used
with the flags that keep it from reaching for the network at start-up; and the demo served over
HTTP as nginx serves it, for the tests and benchmarks that load it in Chromium.

Also what the visitor tests (and scripts/screenshots.py) share: the demo's page types, the layout-shift
observer, the contrast of every visible text against what is really behind it, axe-core and
HTML_CodeSniffer.
"""
from __future__ import annotations

import base64
import functools
import http.server
import os
import threading
import time
from html.parser import HTMLParser
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

    def __init__(self, root: Path, headers: dict | None = None, slow: tuple[str, ...] = (), delay: float = 0.0):
        """``slow``: file endings (".js", ".png") answered ``delay`` seconds late — a slow network, under
        which anything that a script or an image moves after the first paint is seen to move."""
        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if slow and self.path.split("?")[0].endswith(slow):
                    time.sleep(delay)
                super().do_GET()

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


# ---- what a visitor sees: the page types of the demo, and the checks run on each -------------------

# page type → output path in the demo (chosen by what the demo holds, not by guesswork); pages of a
# structure not named here are added by ``page_types`` (new markup is checked without editing this list)
PAGE_TYPES: dict[str, str | None] = {
    "home": "index.html",
    "english home": "en/index.html",
    "channel": "zwdt/index.html",
    "column list": "zwdt/gzdt/index.html",
    "list page 2": "zwdt/gzdt/index_2.html",
    "article": "zwdt/gzdt/yshj-tjh.html",
    "interview with video": "hdjl/zxft/2026-05-22-jyft.html",
    "policy": "zcwj/qzfwj/2023-04-12-xxgk-zxgd.html",
    "interpretation": "zcjd/wzjd/2026-03-07-yshj-cs-jd.html",
    "service guide": "bsfw/grbs/2026-06-15-cxjmyl.html",
    "service guide with forms": "bsfw/grbs/2025-11-10-dbsq.html",
    "services catalogue": "bsfw/services.html",
    "leader": "xxgk/ldxx/linxiangdong.html",
    "leaders column": "xxgk/ldxx/index.html",
    "reply": "hdjl/qzxx/2026-09-16-tlgj.html",
    "reply statistics": "hdjl/stats.html",
    "letter page (我要写信)": "wyxx.html",
    "notice": "zwdt/tzgg/2026-11-20-wmsq.html",
    "consultation": "hdjl/yjzj/2025-09-15-xxgk-zqyj.html",
    "data set": "sjfb/sjkf/2026-09-30-ggtcc.html",
    "expired data set": "sjfb/sjkf/2026-03-31-bmfwz.html",
    "data catalogue": "sjfb/sjkf/datasets.html",
    "topic": "ztzl/yshj/index.html",
    "policy library": "zcwj/library.html",
    "disclosure catalogue": "xxgk/xxgkml/catalogue.html",
    "standard catalogue": "xxgk/xxgkml/shjz.html",
    "traditional version": "fanti/zcwj/qzfwj/2024-09-10-dlwj.html",
    "archived page": "zwdt/gzdt/2023-05-16-cwdy.html",
    "archived topic": "ztzl/rqzz/index.html",
    "search": "search.html?q=营商环境",
    "site map": "sitemap.html",
    "help": "help.html",
    "404": "404.html",
    "leaving notice": None,  # the first page in leave/
}
# the reading tools' settings, as site.js stores them
MODES: dict[str, dict[str, str]] = {
    "default": {}, "large font": {"govsite-font": "xlarge"}, "high contrast": {"govsite-contrast": "high"}}


class _Shape(HTMLParser):
    """The structure of a page: the body's class and the elements (tag.first-class) of the two levels
    below <main>, leaving out what the editors wrote (.article-body) — pages that share it share a
    template and its parts."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.body, self.parts, self.depth = "", set(), 0
        self.main: int | None = None
        self.skip: int | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "body":
            self.body = " ".join(classes)
        if self.main is not None and self.skip is None and self.depth - self.main < 2:
            self.parts.add(tag + ("." + classes[0] if classes else ""))
        if tag in self.VOID:
            return
        self.depth += 1
        if tag == "main":
            self.main = self.depth
        elif self.skip is None and "article-body" in classes:
            self.skip = self.depth

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self.skip == self.depth:
            self.skip = None
        if self.main == self.depth:
            self.main = None
        self.depth -= 1


def page_shape(path: Path) -> tuple[str, tuple[str, ...]]:
    shape = _Shape()
    shape.feed(path.read_text(encoding="utf-8"))
    return shape.body, tuple(sorted(shape.parts))


def page_types(demo: Path) -> dict[str, str]:
    """PAGE_TYPES, plus one page of every other structure the demo has (language versions, the
    department sub-site and redirect stubs aside): markup added to a template is checked the day it
    appears, without anyone adding its page here."""
    named = {k: (v if v is not None else "leave/" + sorted(p.name for p in (demo / "leave").glob("*.html"))[0])
             for k, v in PAGE_TYPES.items()}
    seen = {page_shape(demo / v.partition("?")[0]) for v in named.values()}
    for path in sorted(demo.rglob("*.html")):
        rel = path.relative_to(demo).as_posix()
        if rel.split("/")[0] in ("en", "fanti", "fgw", "art", "col", "leave"):
            continue
        text = path.read_text(encoding="utf-8")
        if "<main" not in text:
            continue
        shape = page_shape(path)
        if shape not in seen:
            seen.add(shape)
            named[rel] = rel
    return named


def page_url(server: NotFoundServer, rel: str) -> str:
    """The address of a demo page on ``server`` (the 404 page as a missing path shows it)."""
    return server.base + ("no/such/page.html" if rel == "404.html" else rel)


def new_page(browser, server: NotFoundServer, width: int, storage: dict | None = None, javascript=True,
             height=900, init_script: str | None = None):
    """A fresh context at ``width`` with the reading tools' settings stored for ``server``'s origin."""
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    if storage:
        page.goto(server.base + "index.html")
        for key, value in storage.items():
            page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key, value])
    return context, page


# ---- layout shift (CLS) -----------------------------------------------------------------------------

# Every layout shift from the start of the page, as PerformanceObserver reports it to Lighthouse;
# shifts right after a visitor's input do not count (as in CLS).
CLS_OBSERVER = """window.__shifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push({
  value: e.value, sources: (e.sources || []).map(s => s.node ? (s.node.nodeName || '') + (s.node.className ? '.' +
    String(s.node.className).split(' ')[0] : '') : '?') }); }).observe({type: 'layout-shift', buffered: true});"""


def layout_shift(page) -> tuple[float, list]:
    """The page's cumulative layout shift (the sum of its shifts, at least its CLS) and the shifts."""
    shifts = page.evaluate("window.__shifts")
    return sum(s["value"] for s in shifts), shifts


# ---- contrast of every visible text against what is really behind it --------------------------------

# For each element holding visible text: its colour (with the opacity of its ancestors) against the
# layers under the text's first line as Chromium stacks them (document.elementsFromPoint: ancestors,
# and positioned boxes or overlays that are not ancestors), composited from the bottom up. Text over an
# image, a video or a gradient is returned for sampling from a screenshot.
CONTRAST_JS = r"""() => {
  const rgba = c => { const m = /^rgba?\(([^)]*)\)$/.exec(c.trim());
    if (!m) return null; const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const opacity = e => { let o = 1; for (; e && e.nodeType === 1; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity); return o; };
  const clipped = e => { for (; e && e !== document.body; e = e.parentElement) { const cs = getComputedStyle(e), r = e.getBoundingClientRect();
    if (cs.overflow !== 'visible' && (r.width <= 1 || r.height <= 1)) return true;
    if (cs.clip && cs.clip.startsWith('rect(0')) return true; } return false; };
  const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
    (e.parentElement && e.parentElement !== document.body ? ' in ' + e.parentElement.tagName.toLowerCase() +
     (typeof e.parentElement.className === 'string' && e.parentElement.className ? '.' + e.parentElement.className.trim().split(/\s+/)[0] : '') : '');
  const MEDIA = new Set(['IMG', 'VIDEO', 'CANVAS', 'PICTURE', 'svg', 'IFRAME', 'OBJECT', 'EMBED']);
  const SKIP = 'script, style, noscript, template, title, option, select, textarea, svg';
  const firstRect = node => { const range = document.createRange(); range.selectNodeContents(node);
    return Array.from(range.getClientRects()).find(r => r.width > 1 && r.height > 1); };
  const elements = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.data.trim() || !el || elements.has(el) || el.closest(SKIP) || el.closest(':disabled')) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility !== 'visible' || !firstRect(node) || opacity(el) === 0 || clipped(el)) continue;
    const r = firstRect(node);
    if (r.bottom + scrollY <= 0 || r.right + scrollX <= 0) continue;   // parked off the page (the skip link)
    elements.set(el, node);
  }
  const results = [];
  for (const [el, node] of elements) {
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = firstRect(node), cs = getComputedStyle(el);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const fg = rgba(cs.color);
    const item = {element: describe(el), text: node.data.trim().slice(0, 24), size, bold, need: large ? 3 : 4.5,
                  rect: {x: r.left, y: r.top, width: r.width, height: r.height}};
    results.push(item);
    if (!fg) { item.problem = 'colour not understood: ' + cs.color; continue; }
    fg[3] *= opacity(el);
    const x = r.left + Math.min(r.width / 2, 8), y = r.top + r.height / 2;
    let stack = x >= 0 && y >= 0 && x < innerWidth && y < innerHeight ? document.elementsFromPoint(x, y) : [];
    const at = stack.indexOf(el);
    if (at === -1) { stack = []; for (let e = el; e; e = e.parentElement) stack.push(e); }  // covered or scrolled away
    else stack = stack.slice(at);
    const layers = [];
    let image = null;
    for (const layer of stack) {
      const ls = getComputedStyle(layer);
      if ((layer !== el && MEDIA.has(layer.tagName)) || ls.backgroundImage !== 'none') { image = describe(layer); break; }
      const bg = rgba(ls.backgroundColor);
      if (!bg) { item.problem = 'background not understood: ' + ls.backgroundColor; break; }
      bg[3] *= opacity(layer);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    if (item.problem) continue;
    item.fg = fg;
    if (image) { item.image = image; item.sample = results.length; el.setAttribute('data-contrast-sample', item.sample); continue; }
    let bg = [255, 255, 255, 1];  // the canvas
    for (const layer of layers.reverse()) bg = over(layer, bg);
    item.bg = bg;
    item.ratio = Math.round(ratio(over(fg, bg), bg) * 100) / 100;
  }
  scrollTo(0, 0);
  return results;
}"""

# where the first line of a text marked for sampling is, in the viewport (scrolled to the middle)
SAMPLE_RECT_JS = r"""probe => {
  const el = document.querySelector(probe); el.scrollIntoView({block: 'center', inline: 'center'});
  const node = Array.from(el.childNodes).find(c => c.nodeType === 3 && c.data.trim());
  const range = document.createRange(); range.selectNodeContents(node);
  const r = Array.from(range.getClientRects()).find(r => r.width > 1 && r.height > 1);
  return {x: Math.max(0, r.left), y: Math.max(0, r.top), width: Math.min(r.width, innerWidth - Math.max(0, r.left)),
          height: Math.min(r.height, innerHeight - Math.max(0, r.top))};
}"""

# The pixels behind a text (the text made transparent, then screenshotted), decoded in the browser:
# the contrast that 95 % of them give the text colour.
SAMPLE_JS = r"""async ([png, fg]) => {
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const bitmap = await createImageBitmap(await (await fetch('data:image/png;base64,' + png)).blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height), ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data, ratios = [];
  for (let i = 0; i < data.length; i += 4) {
    const bg = [data[i], data[i + 1], data[i + 2]];
    const text = [0, 1, 2].map(k => fg[k] * fg[3] + bg[k] * (1 - fg[3]));
    const a = lum(text), b = lum(bg);
    ratios.push((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05));
  }
  ratios.sort((a, b) => a - b);
  return Math.round(ratios[Math.floor(ratios.length * 0.05)] * 100) / 100;
}"""


def text_contrast(page) -> list[dict]:
    """Every element with visible text on ``page``: its contrast ``ratio`` against what is behind it and
    the ``need`` (4.5, or 3 for large text), or a ``problem``. Text over an image is measured from a
    screenshot of the pixels behind it, the text made transparent (``image`` names the layer)."""
    found = page.evaluate(CONTRAST_JS)
    sampled = [item for item in found if "sample" in item]
    if sampled:
        decoder = page.context.new_page()
        for item in sampled:
            probe = f'[data-contrast-sample="{item["sample"]}"]'
            rect = page.evaluate(SAMPLE_RECT_JS, probe)
            style = page.add_style_tag(content=f"{probe}, {probe} * {{ color: transparent !important; "
                                               "text-shadow: none !important; }")
            png = page.screenshot(clip=rect)
            style.evaluate("s => s.remove()")
            item["ratio"] = decoder.evaluate(SAMPLE_JS, [base64.b64encode(png).decode(), item["fg"]])
        decoder.close()
        page.evaluate("() => { document.querySelectorAll('[data-contrast-sample]').forEach(e =>"
                      " e.removeAttribute('data-contrast-sample')); scrollTo(0, 0); }")
    return found


def low_contrast(page) -> list[str]:
    """The texts on ``page`` under WCAG 2.1 AA (1.4.3), each with its element, colours and ratio."""
    failures = []
    for item in text_contrast(page):
        if item.get("problem"):
            failures.append(f"{item['element']} 「{item['text']}」: {item['problem']}")
        elif item["ratio"] < item["need"]:
            behind = f"over {item['image']}" if item.get("image") else f"on {tuple(round(v) for v in item['bg'][:3])}"
            failures.append(f"{item['element']} 「{item['text']}」 {tuple(round(v) for v in item['fg'][:3])} {behind}:"
                            f" {item['ratio']}:1 < {item['need']}:1 ({item['size']:g}px{' bold' if item['bold'] else ''})")
    return failures


# ---- axe-core and HTML_CodeSniffer --------------------------------------------------------------------

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
HTMLCS = Path(__file__).resolve().parent.parent / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# axe-core's undecided colour contrasts looked at again the way a visitor sees them: each element scrolled
# into view (a cell of a wide table, outside its scroll box, cannot be judged where it is), then only
# what axe still cannot decide, or finds failing, is returned
AXE_RECHECK_JS = """async targets => {
  const left = [];
  for (const target of targets) {
    const el = document.querySelector(target[target.length - 1]);
    if (!el) { left.push([target, 'element gone']); continue; }
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = await axe.run(el, {runOnly: ['color-contrast']});
    const found = r.violations.concat(r.incomplete).flatMap(v => v.nodes);
    if (found.length) left.push([target, found[0].any.length ? found[0].any[0].message : found[0].failureSummary]);
  }
  scrollTo(0, 0);
  return left;
}"""


def axe_failures(page) -> list[tuple]:
    """axe-core's violations, and its colour-contrast results it could not decide ("incomplete": text
    over an image, or over the same colour, which it does not call a violation) — for a visitor those
    are texts nobody checked, so they fail too, unless scrolling the element into view settles them."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    undecided = [n["target"] for v in result["incomplete"] if v["id"].startswith("color-contrast") for n in v["nodes"]]
    if undecided:
        left = page.evaluate(AXE_RECHECK_JS, undecided)
        if left:
            found.append(("color-contrast (incomplete)", "serious", left[:3]))
    return found


def htmlcs_errors(page) -> list[tuple[str, str, str]]:
    """HTML_CodeSniffer's WCAG 2 AA errors (its notices and warnings ask a person to judge: not counted):
    (code, message, the element's start)."""
    page.add_script_tag(path=str(HTMLCS))
    return [tuple(m) for m in page.evaluate("""() => new Promise(done => HTMLCS.process('WCAG2AA', document, () =>
        done(HTMLCS.getMessages().filter(m => m.type === HTMLCS.ERROR).map(m => [m.code, m.msg,
            (m.element.outerHTML || m.element.nodeName || '').slice(0, 120)]))))""")]
