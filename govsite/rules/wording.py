"""Word lists: wording errors (严重表述错误, CK-1) and commercial content (ID-4).

govsite ships a starter list (``data/wording.yaml``); a site adds its own files and switches
entries off in site.yaml. All literal entries of one list are compiled into a single regular
expression (longest first), so a page is scanned once per list however long the lists get.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from govsite.core.links import host_matches
from govsite.core.source import SourceError, load_yaml, read_text

BUILTIN = Path(__file__).resolve().parent / "data" / "wording.yaml"
LEVELS = ("error", "warning", "info")


@dataclass(frozen=True)
class Entry:
    text: str            # the literal, or the regex source
    right: str = ""
    note: str = ""
    level: str = "error"
    unless: tuple = ()
    regex: bool = False


@dataclass
class Match:
    start: int
    end: int
    entry: Entry


class WordList:
    """One compiled list; :meth:`find` yields every match in a text."""

    def __init__(self, entries: list[Entry]):
        self.literals = {e.text: e for e in entries if not e.regex}
        self.regexes = [(re.compile(e.text), e) for e in entries if e.regex]
        alternation = "|".join(re.escape(t) for t in sorted(self.literals, key=len, reverse=True))
        self.pattern = re.compile(alternation) if alternation else None

    def __bool__(self) -> bool:
        return bool(self.literals or self.regexes)

    def find(self, text: str):
        if self.pattern is not None:
            for m in self.pattern.finditer(text):
                entry = self.literals[m.group(0)]
                if not _excepted(text, m.start(), m.end(), entry):
                    yield Match(m.start(), m.end(), entry)
        for regex, entry in self.regexes:
            for m in regex.finditer(text):
                if m.end() > m.start() and not _excepted(text, m.start(), m.end(), entry):
                    yield Match(m.start(), m.end(), entry)


def _excepted(text: str, start: int, end: int, entry: Entry) -> bool:
    """True when the match is part of one of the entry's ``unless`` phrases."""
    for phrase in entry.unless:
        lo = max(0, start - len(phrase))
        window = text[lo:end + len(phrase)]
        i = window.find(phrase)
        while i >= 0:
            if lo + i <= start and lo + i + len(phrase) >= end:
                return True
            i = window.find(phrase, i + 1)
    return False


@dataclass
class Lists:
    wording: WordList
    commercial: WordList
    ad_hosts: tuple

    def is_ad_host(self, host: str) -> bool:
        return bool(host) and any(host_matches(host, h) for h in self.ad_hosts)


class ListError(Exception):
    def __init__(self, path, line, message, hint=""):
        super().__init__(message)
        self.path, self.line, self.message, self.hint = path, line, message, hint


def _entries(path: Path, section: str, raw, problems: list) -> tuple[list[Entry], list[str]]:
    entries: list[Entry] = []
    hosts: list[str] = []
    if raw is None:
        return entries, hosts
    if not isinstance(raw, list):
        problems.append(ListError(path, 1, f"词表的 {section} 应是列表", "参照 govsite/check/data/wording.yaml"))
        return entries, hosts
    for i, item in enumerate(raw):
        if isinstance(item, str):
            item = {"wrong": item}
        if not isinstance(item, dict):
            problems.append(ListError(path, 1, f"词表 {section} 第 {i + 1} 项应是映射或词语", "例如 - {wrong: 截止目前, right: 截至目前}"))
            continue
        if item.get("host"):
            hosts.append(str(item["host"]).strip().lower())
            continue
        level = str(item.get("level", "error")).lower()
        if level not in LEVELS:
            problems.append(ListError(path, 1, f"词表 {section} 第 {i + 1} 项的 level「{level}」无效", "可选：error、warning、info"))
            level = "error"
        unless = item.get("unless") or ()
        unless = tuple(str(u) for u in (unless if isinstance(unless, list) else [unless]))
        if item.get("regex"):
            try:
                re.compile(str(item["regex"]))
            except re.error as exc:
                problems.append(ListError(path, 1, f"词表 {section} 第 {i + 1} 项的正则表达式无效：{exc}", "检查 regex 的写法"))
                continue
            entries.append(Entry(str(item["regex"]), str(item.get("right") or ""), str(item.get("note") or ""),
                                 level, unless, regex=True))
        elif item.get("wrong") not in (None, ""):
            entries.append(Entry(str(item["wrong"]), str(item.get("right") or ""), str(item.get("note") or ""),
                                 level, unless))
        else:
            problems.append(ListError(path, 1, f"词表 {section} 第 {i + 1} 项缺少 wrong（或 regex、host）",
                                      "例如 - {wrong: 截止目前, right: 截至目前}"))
    return entries, hosts


def load_lists(builtin: bool = True, files=(), allow=()) -> tuple[Lists, list[ListError]]:
    """The starter list (unless ``builtin`` is false) plus the site's files, minus ``allow``."""
    problems: list[ListError] = []
    wording, commercial, hosts = [], [], []
    for path in ([BUILTIN] if builtin else []) + [Path(f) for f in files]:
        try:
            data = load_yaml(read_text(path))
        except (SourceError, OSError) as exc:
            problems.append(ListError(path, getattr(exc, "line", 1), getattr(exc, "message", str(exc)),
                                      getattr(exc, "hint", "")))
            continue
        if isinstance(data, list):          # a plain list of wording entries
            data = {"wording": data}
        if not isinstance(data, dict):
            problems.append(ListError(path, 1, "词表文件应包含 wording: 和/或 commercial: 列表",
                                      "参照 govsite/check/data/wording.yaml"))
            continue
        w, _ = _entries(path, "wording", data.get("wording"), problems)
        c, h = _entries(path, "commercial", data.get("commercial"), problems)
        wording += w
        commercial += c
        hosts += h
    allowed = set(allow)
    wording = [e for e in wording if e.text not in allowed]
    commercial = [e for e in commercial if e.text not in allowed]
    return Lists(WordList(wording), WordList(commercial), tuple(h for h in hosts if h not in allowed)), problems
