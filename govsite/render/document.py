"""公文 layout of a body: the 落款 (issuing organ) and the 成文日期 set right when the body ends with them.

Editors paste a document as it was issued: the text, then the organ's name, then the date
(GB/T 9704-2012 7.3.5: 发文机关署名 and 成文日期 stand right, under the text). In Markdown these
are ordinary paragraphs, which the theme indents like the text (``text-indent: 2em``), so a
notice would end with its signature drifting at the left. Here the ending is recognised and its
paragraphs get classes the theme sets right (``doc-sign``, ``doc-date``); nothing else in the body
changes. It is recognised only at the very end of the body, and only as an organ name directly
followed by a date, so a date in a sentence or a heading that names an office is never moved.

What counts as an organ: a name the page gives (发布单位, 联合发文单位, 信息来源), or a short line
without punctuation that ends like an organ (…人民政府, …办公室, …局, …委员会 …). What counts as a
date: ``2026年10月12日`` in Arabic or Chinese numerals (二〇二六年十月十二日). A closing
``（此件公开发布）`` after the date is allowed (``doc-note``); it stays where it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# one trailing paragraph of plain text, lines split by <br>
_TAIL_P = re.compile(r"<p>((?:[^<>]|<br\s*/?>)*)</p>\s*$")
_BR = re.compile(r"<br\s*/?>")
_DIGITS = "0-9０-９〇零一二三四五六七八九十"
DATE_RE = re.compile(rf"^[{_DIGITS}]{{4}}年[{_DIGITS}]{{1,3}}月[{_DIGITS}]{{1,3}}日$")
NOTE_RE = re.compile(r"^[（(]此件[^（）()]{1,12}[）)]$")
ORGAN_SUFFIXES = ("人民政府", "政府", "办公室", "办公厅", "委员会", "管委会", "办事处", "局", "厅", "部", "委", "中心",
                  "院", "会", "署", "处", "所", "站", "队", "室", "团", "联")
_ORGAN_RE = re.compile(r"^[\u4e00-\u9fff（）()·]{2,40}$")
MAX_ORGANS = 4          # 联合发文: a few organs, one a line (or several on one line, space-separated)


@dataclass(frozen=True)
class Closing:
    """What was recognised at the end of a body: the organ lines, the date, a closing note."""

    organs: tuple[str, ...]
    date: str
    note: str = ""


def _is_organ(line: str, names: frozenset[str]) -> bool:
    return line in names or (bool(_ORGAN_RE.match(line)) and line.endswith(ORGAN_SUFFIXES))


def _organs(line: str, names: frozenset[str]) -> list[str] | None:
    """The organ names on one line (several, separated by spaces, in a joint document), or None."""
    parts = line.split()
    return parts if parts and all(_is_organ(p, names) for p in parts) else None


def _lines(inner: str) -> list[str]:
    return [line.strip() for line in _BR.split(inner)]


def mark_closing(html: str, names=()) -> str:
    """``html`` with the 落款 and 成文日期 paragraphs at its end marked (``class="doc-sign"`` /
    ``"doc-date"``, ``"doc-note"``); unchanged when it does not end with an organ and a date.
    ``names``: organs the page names (issuer, co-issuers, source), recognised whatever they end with."""
    ending = find_closing(html, names)
    if not ending:
        return html
    out, at = [], 0
    for position, kind, _inner in ending:   # position of the paragraph's "<p>", in order
        out.append(html[at:position])
        out.append(f'<p class="{kind}">')
        at = position + len("<p>")
    out.append(html[at:])
    return "".join(out)


def closing_of(html: str, names=()) -> Closing | None:
    """The recognised ending of ``html`` (see :func:`mark_closing`), or None."""
    ending = find_closing(html, names)
    if not ending:
        return None
    organs: list[str] = []
    date = note = ""
    for _position, kind, inner in ending:
        lines = [line for line in _lines(inner) if line]
        if kind == "doc-note":
            note = lines[0]
            continue
        if lines and DATE_RE.match(lines[-1]):
            date = lines.pop()
        for line in lines:
            organs.extend(line.split())
    return Closing(tuple(organs), date, note)


TAIL_WINDOW = 4000   # characters at the end of a body searched: an ending is a few short lines


def last_paragraph(text: str) -> re.Match | None:
    """``_TAIL_P.search(text)``: a plain paragraph that ends ``text``. Its content holds no ``<``
    but in ``<br>``, so it can only start at the last ``<p>``: one anchored match there instead of
    a search from every ``<p>`` of the body's tail (a fortieth of a cold build's time before)."""
    start = text.rfind("<p>")
    return _TAIL_P.match(text, start) if start >= 0 else None


def find_closing(html: str, names=()) -> list[tuple[int, str, str]]:
    """The ending paragraphs of ``html``, in order: (offset of their ``<p>``, class, inner HTML);
    empty when the body does not end with organ(s) and a date."""
    names = frozenset(n.strip() for n in names if n and n.strip())
    offset = max(0, len(html) - TAIL_WINDOW)
    rest = html[offset:].rstrip()
    trailing: list[tuple[int, str]] = []     # (offset, inner HTML) of the last plain paragraphs, last first
    while len(trailing) < MAX_ORGANS + 2:
        match = last_paragraph(rest)
        if match is None:
            break
        trailing.append((offset + match.start(), match.group(1)))
        rest = rest[: match.start()].rstrip()
    marked: list[tuple[int, str, str]] = []
    index = 0
    if trailing and NOTE_RE.match(trailing[0][1].strip()):
        marked.append((trailing[0][0], "doc-note", trailing[0][1]))
        index = 1
    if index >= len(trailing):
        return []
    position, inner = trailing[index]
    lines = _lines(inner)
    if not DATE_RE.match(lines[-1]):
        return []
    if len(lines) > 1:                       # organ(s) and date in one paragraph, lines broken by <br>
        if not all(_organs(line, names) for line in lines[:-1]):
            return []
        marked.append((position, "doc-sign", inner))
        return marked[::-1]
    marked.append((position, "doc-date", inner))
    organs = 0
    for position, inner in trailing[index + 1:]:
        if organs == MAX_ORGANS or not all(_organs(line, names) for line in _lines(inner)):
            break
        marked.append((position, "doc-sign", inner))
        organs += 1
    return marked[::-1] if organs else []
