"""Reading type-specific front matter into plain values, with a file:line for every bad value.

Front matter is YAML written by editors: a field may be missing, a list where one value was
expected, a date that does not exist, a status outside its vocabulary. :class:`Fields` turns one
page's ``extra`` mapping into checked Python values and reports each problem against the line of
its top-level key, so a content type module reads like the field table it implements.
"""
from __future__ import annotations

import datetime as dt
import posixpath

from govsite.config.schema import BOOL, DATE, FILES, INT, LIST, MAP, PAGES, RECORDS, TEXT, Schema
from govsite.content.model import Asset, Column, Page
from govsite.core.dates import DateError, parse_datetime
from govsite.core.errors import Report

TYPE_LABELS: dict[str, str] = {}   # type name → 中文名, filled by govsite.site.types (which imports this module)

class Fields:
    """The type-specific fields of one page (``page.extra``), read with error reporting."""

    def __init__(self, page: Page, by_src: dict, report: Report, label: str, rule: str = "CP-1"):
        self.page = page
        self.data = page.extra
        self.by_src = by_src
        self.report = report
        self.label = label          # the type's Chinese name, for messages: 政策文件, 办事指南 …
        self.rule = rule            # SPEC rule of the type's fields, for errors that name no other
        self.ok = True

    # -- reporting ---------------------------------------------------------------------------
    def line(self, key: str) -> int:
        top = key.split(".", 1)[0]
        return self.page.lines.get(top) or self.page.line("type")

    def error(self, key: str, message: str, hint: str = "", rule: str = "") -> None:
        rule = rule or self.rule
        prefix = f"[{rule}] "
        self.report.error(self.page.file, self.line(key), prefix + message, hint, rule=rule)
        self.ok = False

    def missing(self, key: str, name: str, hint: str = "", rule: str = "") -> None:
        self.error(key, f"{self.label}缺少必填字段 {key}（{name}）", hint or f"在 front matter 中写 {key}: …", rule)

    def has(self, key: str) -> bool:
        return self.data.get(key) not in (None, "", [], {})

    def _given(self, key: str, name: str, required, rule, data, empty=(None, ""), hint=""):
        """The raw value of ``key`` (the last part of a dotted key) in ``data``, or None when it
        is one of ``empty``; an empty required field is reported as missing."""
        data = self.data if data is None else data
        value = data.get(key.rsplit(".", 1)[-1])
        if value in empty:
            if required:
                self.missing(key, name, hint, rule)
            return None
        return value

    # -- declared fields ---------------------------------------------------------------------
    def values(self, schema: Schema, *keys: str) -> dict:
        """Several declared fields at once, by key, in the order given (:meth:`value` each)."""
        return {key: self.value(schema, key) for key in keys}

    def value(self, schema: Schema, key: str):
        """The value of a field a type module declares in its ``FIELDS`` schema, read by its kind
        with the label, requirement, allowed values and rule the declaration gives."""
        f = schema.get(key)
        assert f is not None, f"{key}: not declared in the type's FIELDS"
        rule = f.rule
        if f.kind == TEXT and f.choices:
            return self.choice(key, f.label, f.choices, f.required, rule, f.default or "")
        if f.kind == TEXT:
            return self.text(key, f.label, f.required, rule)
        if f.kind == LIST:
            return self.texts(key, f.label, f.required, rule)
        if f.kind == DATE:
            return self.date(key, f.label, f.required, rule)
        if f.kind == BOOL:
            return self.flag(key, f.label, default=bool(f.default))
        if f.kind == INT:
            return self.number(key, f.label, f.required)
        if f.kind == MAP:
            return self.mapping(key, f.label, f.required, rule)
        if f.kind == RECORDS:
            return self.records(key, f.label, f.required, rule)
        if f.kind == FILES:
            return self.attachments(key, f.label, f.required, rule or "LK-1")
        if f.kind == PAGES:
            return self.refs(key, f.label, f.required, rule or "LK-1", types=f.choices or None)
        raise ValueError(f"{key}: a {f.kind} field is read by its type module")

    # -- scalar values -----------------------------------------------------------------------
    def text(self, key: str, name: str, required=False, rule="", data=None) -> str:
        value = self._given(key, name, required, rule, data)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            self.error(key, f"{key}（{name}）应是一段文字", f"写成 {key}: 文字", rule)
            return ""
        return str(value).strip()

    def choice(self, key: str, name: str, choices, required=False, rule="", default="", data=None) -> str:
        value = self.text(key, name, required, rule, data)
        if value and value not in choices:
            self.error(key, f"{key}（{name}）的值「{value}」无效", "可选：" + "、".join(choices), rule)
            return default
        return value or default

    def flag(self, key: str, name: str, default=False, data=None) -> bool:
        data = self.data if data is None else data
        value = data.get(key.rsplit(".", 1)[-1], default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"{key}（{name}）应是 true 或 false，现为「{value}」", f"例如 {key}: true")
            return default
        return value

    def number(self, key: str, name: str, required=False, data=None) -> int | None:
        value = self._given(key, name, required, "", data)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error(key, f"{key}（{name}）应是不小于 0 的整数，现为「{value}」", f"例如 {key}: 15")
            return None
        return value

    def date(self, key: str, name: str, required=False, rule="", data=None) -> dt.datetime | None:
        value = self._given(key, name, required, rule, data, hint="写成 YYYY-MM-DD，例如 " + key + ": 2026-03-18")
        if value is None:
            return None
        try:
            return parse_datetime(value)
        except DateError as exc:
            self.error(key, f"{key}（{name}）无法识别：{exc}", "写成 YYYY-MM-DD 或 YYYY-MM-DD HH:MM", rule)
            return None

    # -- structured values -------------------------------------------------------------------
    def texts(self, key: str, name: str, required=False, rule="", data=None) -> list[str]:
        """A list of short texts; one text is accepted as a list of one."""
        value = self._given(key, name, required, rule, data, empty=(None, "", []))
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if isinstance(item, (dict, list)) or item in (None, ""):
                self.error(key, f"{key}（{name}）的每一项应是一段文字", f"写成 {key}: [文字, 文字]", rule)
                return []
            out.append(str(item).strip())
        return out

    def mapping(self, key: str, name: str, required=False, rule="", data=None) -> dict:
        value = self._given(key, name, required, rule, data, empty=(None, "", {}))
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(key, f"{key}（{name}）应是键值映射", f"在 {key}: 下一行缩进写 子字段: 值", rule)
            return {}
        return value

    def records(self, key: str, name: str, required=False, rule="", data=None) -> list[dict]:
        """A list of mappings (materials, steps, files …)."""
        value = self._given(key, name, required, rule, data, empty=(None, "", []))
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(key, f"{key}（{name}）应是列表，每项是键值映射", f"每项以 - 开头，例如 {key}:\\n  - name: …", rule)
            return []
        return value

    def attachments(self, key: str, name: str = "附件", required=False, rule="LK-1", data=None) -> list[dict]:
        """Files published beside the page: ``[{title, file}]`` or plain file names.

        Returns ``{title, out, format, size}`` per file; a file that is not there is an error, so a
        published page never links a missing attachment (LK-1).
        """
        value = self._given(key, name, required, rule, data, empty=(None, "", []))
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if isinstance(item, dict):
                ref, title = str(item.get("file") or item.get("path") or "").strip(), str(item.get("title") or "").strip()
            elif isinstance(item, (str, int, float)):
                ref, title = str(item).strip(), ""
            else:
                ref, title = "", ""
            if not ref:
                self.error(key, f"{key}（{name}）的每一项应写明文件 file", f"例如 {key}:\n  - title: 附件名称\n    file: fujian.pdf", rule)
                continue
            asset = resolve_ref(self.page.src, ref, self.by_src)
            if not isinstance(asset, Asset):
                self.error(key, f"{key}（{name}）中的文件「{ref}」不存在", "把文件放在页面同一目录，或改正文件名", rule)
                continue
            size = asset.file.stat().st_size
            out.append({"title": title or posixpath.basename(ref), "out": asset.out, "size": size,
                        "format": posixpath.splitext(ref)[1].lstrip(".").upper() or "文件", "asset": asset})
        return out

    # -- references to other sources ---------------------------------------------------------
    def target(self, ref) -> Page | Column | None:
        """The page or column a reference names: relative to this page's file, else to the root."""
        return resolve_ref(self.page.src, ref, self.by_src)

    def refs(self, key: str, name: str, required=False, rule="LK-1", types=None, data=None) -> list[Page]:
        """Pages named by ``key`` (a path or a list of paths to ``.md`` sources)."""
        out = []
        for ref in self.texts(key, name, required, rule, data):
            found = self.target(ref)
            if not isinstance(found, Page):
                self.error(key, f"{key}（{name}）中的「{ref}」不是本站的页面",
                           "写目标 .md 源文件的相对路径，例如 ../../zcwj/qzfwj/2025-11-14-xxgk-gd.md", rule)
            elif types and found.type not in types:
                self.error(key, f"{key}（{name}）中的「{ref}」是 {found.type} 类型，不是{self.kind_names(types)}",
                           "检查路径是否指向正确的文件", rule)
            elif found not in out:
                out.append(found)
        return out

    @staticmethod
    def kind_names(types) -> str:
        return "或".join(TYPE_LABELS.get(t, t) for t in types)


def resolve_ref(src: str, ref, by_src: dict):
    ref = str(ref).strip()
    if not ref or "://" in ref:
        return None
    here = posixpath.dirname(src)
    for base in (here, ""):
        key = posixpath.normpath(posixpath.join(base, ref.lstrip("/") if not base else ref)).rstrip("/")
        if key.endswith("/_column.yaml"):
            key = key[: -len("/_column.yaml")]
        found = by_src.get(key)
        if found is not None:
            return found
    return None
