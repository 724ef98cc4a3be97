"""One declarative schema for the YAML that editors write: site.yaml, its ``check:`` mapping,
``_column.yaml``, page front matter and the government content types' fields.

Each :class:`Field` says what a key holds (type, default, allowed values or range), its Chinese
name (``label``), what to write instead (``hint``) and the SPEC rule it serves. :func:`validate`
walks one parsed mapping with the line of every key (:class:`govsite.core.source.KeyLines`, from
the same parse that built the data) and reports *every* problem at once to a
:class:`~govsite.core.errors.Report`: wrong types and out-of-range values as errors, unknown keys
as warnings naming the closest known key (a typo such as ``page_sise`` would otherwise be
ignored silently and the default used). It returns the checked values with defaults filled in, so
a loader is: parse once → validate → build its dataclass. ``scripts/docs_formats.py`` renders the
same declarations as the key tables of docs/formats.md and docs/check.md, so the documentation
cannot drift from what the code accepts.

Why not pydantic (v2, tried on a site.yaml model with the same bad input): it collects all
errors with a ``loc`` path and checks types and ranges well, but everything an editor reads would
still be ours — its messages are English (``Input should be a valid integer``) and need a Chinese
translation per error type plus our label, hint and rule id; ``extra="forbid"`` names no closest
key; the YAML leniency editors rely on (a list written as ``a、b、c``, a 10-digit site code
without quotes, a date as YAML date or text) needs a custom validator per field; the line of a
``loc`` still comes from our own parse. What would remain of pydantic is the type check (a few
dozen lines here), at the price of a second model of the same keys and ~100 ms of import in every
build and worker process. So the schema is grown from ``types/fields.py``'s readers instead.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from govsite.core.dates import DateError, parse_datetime
from govsite.core.errors import Report
from govsite.core.source import KeyLines, as_list

# value kinds
TEXT = "text"          # one line of text; numbers and dates are read as their text
INT = "int"            # a whole number (not true/false), optionally within minimum..maximum
BOOL = "bool"          # true or false
DATE = "date"          # YYYY-MM-DD or YYYY-MM-DD HH:MM (a YAML date or text)
LIST = "list"          # a list of texts; one text, or a comma/顿号-separated text, is accepted too
MAP = "map"            # a mapping: known keys (``keys``), or free keys each holding ``values``
RECORDS = "records"    # a list of mappings (each checked against ``keys`` when given)
ANY = "any"            # read and checked by the code that uses it (``checked_by`` says where)
FILES = "files"        # files beside the page (title + file, or file names), resolved by the type reader
PAGES = "pages"        # paths of other pages of the site (``choices``: the content types they must be)

_KIND_WORDS = {TEXT: "一段文字", INT: "整数", BOOL: "true 或 false", DATE: "日期（YYYY-MM-DD 或 YYYY-MM-DD HH:MM）",
               LIST: "文字列表", MAP: "映射（键: 值）", RECORDS: "列表，每项是键值映射", ANY: "值",
               FILES: "附件文件列表", PAGES: "页面路径列表"}
_KIND_DOCS = {TEXT: "text", INT: "integer", BOOL: "true/false", DATE: "date", LIST: "list", MAP: "mapping",
              RECORDS: "list of mappings", ANY: "see notes",
              FILES: "files", PAGES: "page paths"}


@dataclass(frozen=True)
class Field:
    """One key of a YAML mapping: what it holds and how to tell an editor to fix it."""

    name: str
    kind: str
    label: str                              # Chinese name (中文名), shown in messages and docs
    hint: str = ""                          # what to write, e.g. "例如 page_size: 20"
    default: object = None
    required: bool = False
    choices: tuple = ()                     # allowed values (TEXT, or each item of a LIST)
    minimum: int | None = None              # INT range, inclusive
    maximum: int | None = None
    pattern: str = ""                       # TEXT: a regular expression the whole value must match
    rule: str = ""                          # SPEC rule id cited in messages
    keys: "Schema | None" = None            # MAP / RECORDS: the known keys of the mapping (each item)
    values: "Field | None" = None           # MAP with free keys (rule id → level): each value
    doc: str = ""                           # English note for the docs table
    checked_by: str = ""                    # ANY / extra checks: the module that reads the value

    @property
    def what(self) -> str:
        """What the value should be, in Chinese ("1–500 的整数", "true 或 false" …)."""
        if self.kind == INT and self.minimum is not None and self.maximum is not None:
            return f" {self.minimum}–{self.maximum} 的整数"
        if self.kind == INT and self.minimum is not None:
            return f"不小于 {self.minimum} 的整数"
        return _KIND_WORDS[self.kind]

    def default_hint(self, key: str) -> str:
        if self.hint:
            return self.hint
        if self.choices:
            return "可选：" + "、".join(map(str, self.choices))
        if self.kind == BOOL:
            return f"写 {key}: true 或 {key}: false"
        if self.kind == DATE:
            return f"写成 YYYY-MM-DD HH:MM，例如 {key}: 2026-03-18 09:30"
        if self.kind == INT and self.default is not None:
            return f"例如 {key}: {self.default}"
        return f"参照 docs/formats.md 中 {key} 的写法"


@dataclass(frozen=True)
class Schema:
    """The known keys of one YAML mapping and how its messages read.

    ``name`` is the file or mapping the docs table is generated for (``site.yaml``, ``check``,
    ``_column.yaml``, ``front matter``, a content type). ``style`` keeps the wording that
    mapping's messages always had (``top（置顶）应是…``, ``page_size 应是…``, ``site.yaml 的
    check.home_days：应是…``); ``missing`` is the message for an absent required key; ``noun``
    names a key in messages (键, 设置, 字段). Nested mappings are worded like their top schema."""

    def say(self, key: str, label: str, phrase: str) -> str:
        if self.style == "label":
            return f"{key}（{label}）{phrase}" if label else f"{key} {phrase}"
        if self.style == "plain":
            return f"{key} {phrase}"
        return f"{self.style}{key}：{phrase}"

    name: str
    fields: tuple
    style: str = "label"                    # "label": key（名称）…; "plain": key …; else a prefix: <prefix>key：…
    missing: str = "缺少必填字段 {key}（{label}）"
    noun: str = "字段"
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False)   # made from ``fields``

    def __post_init__(self):
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    def get(self, name: str) -> Field | None:
        return self.by_name.get(name)

    def __getitem__(self, name: str) -> Field:
        """The field ``name``, which the caller knows is declared."""
        return self.by_name[name]

    def __contains__(self, name) -> bool:
        return name in self.by_name

    @property
    def names(self) -> tuple:
        return tuple(f.name for f in self.fields)


@dataclass
class Checked:
    """What :func:`validate` found: the values (defaults where absent or wrong) and the counts."""

    values: dict = field(default_factory=dict)
    errors: int = 0
    bad: set = field(default_factory=set)            # dotted keys whose value was wrong
    unknown: list = field(default_factory=list)      # dotted keys no field declares
    top: Schema | None = None                        # the schema whose wording nested keys use


def closest(key: str, names, cutoff: float = 0.6) -> str:
    """The known key an unknown one was probably meant to be (``page_sise`` → ``page_size``), or ``""``."""
    found = difflib.get_close_matches(str(key), [str(n) for n in names], n=1, cutoff=cutoff)
    return found[0] if found else ""


def validate(data, schema: Schema, lines: KeyLines, path, report: Report, *, at: tuple = (),
             unknown: bool = True) -> Checked:
    """Check ``data`` (a mapping) against ``schema``; every problem goes to ``report`` with its line.

    ``at`` is where the mapping sits in the document (``("check",)``). ``unknown=False`` leaves
    undeclared top-level keys alone (front matter: templates may read them; the loader warns only
    about likely typos). Returns the checked values."""
    out = Checked(top=schema)
    _walk(data if isinstance(data, dict) else {}, schema, lines, path, report, at, "", out, unknown)
    return out


def _walk(data, schema, lines, path, report, at, prefix, out, unknown=True, values=None):
    values = out.values if values is None else values
    for key in data if unknown else ():
        if str(key) in schema:
            continue
        near = closest(key, schema.names)
        dotted = prefix + str(key)
        out.unknown.append(dotted)
        top = out.top
        message = f"未知的{top.noun}「{dotted}」" + (f"，是否应为 {prefix}{near}（{_label(schema, near)}）？" if near else "")
        if top.style not in ("label", "plain"):
            message = top.say(dotted, "", message)
        report.warning(path, lines.line(*at, key), message,
                       "可用的" + top.noun + "：" + "、".join(schema.names))
    for f in schema.fields:
        values[f.name] = _value(f, data.get(f.name), f.name in data, schema, lines, path, report, at, prefix, out)


def _label(schema: Schema, name: str) -> str:
    f = schema.get(name)
    return f.label if f else name


def _value(f: Field, value, given: bool, schema, lines, path, report, at, prefix, out):
    key = prefix + f.name
    where = lines.line(*at, f.name)

    def bad(phrase: str, hint: str = "") -> object:
        message = out.top.say(key, f.label, phrase)
        if f.rule and not message.startswith("["):
            message = f"[{f.rule}] {message}"
        report.error(path, where, message, hint or f.default_hint(f.name), rule=f.rule)
        out.errors += 1
        out.bad.add(key)
        return f.default

    if value is None or (isinstance(value, str) and not value.strip()) or (f.kind in (LIST, RECORDS) and value == []):
        if f.required:
            message = out.top.missing.format(key=key, label=f.label)
            if f.rule:
                message = f"[{f.rule}] {message}"
            # an absent key: the line of the enclosing key, or the file's first line
            report.error(path, where if given else (lines.line(*at) if at else 1), message,
                         f.hint or f"写 {f.name}: …", rule=f.rule)
            out.errors += 1
            out.bad.add(key)
        return f.default
    if f.kind in (TEXT, INT, BOOL, DATE):
        return _scalar(f, value, bad)
    if f.kind in (LIST, MAP, RECORDS):
        return _nested(f, value, bad, schema, lines, path, report, at, key, out)
    return value   # ANY, FILES, PAGES: read by the code that has the site (govsite.site.types.fields)


def _scalar(f: Field, value, bad):
    """A TEXT, INT, BOOL or DATE value that is given; ``bad(phrase, hint)`` reports it and gives the default."""
    shown = f"，现为「{value}」"
    if f.kind == TEXT:
        if isinstance(value, (dict, list)):   # a value with a written form (12h) is "not recognised"
            return bad(f"「{value}」无法识别" if f.pattern else f"应是{f.what}")
        text = str(value).strip()
        if f.choices and text not in f.choices:
            return bad(f"的值「{text}」无效", "可选：" + "、".join(f.choices))
        if f.pattern and not re.fullmatch(f.pattern, text):
            return bad(f"「{text}」无法识别")
        return text
    if f.kind == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            return bad(f"应是{f.what}{shown}")
        if (f.minimum is not None and value < f.minimum) or (f.maximum is not None and value > f.maximum):
            return bad(f"应是{f.what}{shown}")
        return value
    if f.kind == BOOL:
        if not isinstance(value, bool):
            return bad(f"应是 true 或 false{shown}")
        return value
    if f.kind == DATE:
        if isinstance(value, (dict, list, bool)):
            return bad(f"应是{f.what}")
        try:
            return parse_datetime(value)
        except (DateError, TypeError, ValueError) as exc:
            return bad(f"无法识别：{exc}", f.hint or "写成 YYYY-MM-DD 或 YYYY-MM-DD HH:MM")
    return value


def _nested(f: Field, value, bad, schema, lines, path, report, at, key: str, out):
    """A LIST, MAP or RECORDS value that is given, its items checked by their own fields."""
    if f.kind == LIST and f.values is not None:   # each item checked, with its own line
        if isinstance(value, dict):
            return bad(f"应是{f.what}")
        items = value if isinstance(value, list) else [value]
        return [_value(_renamed(f.values, str(n)), item, True, schema, lines, path, report, at + (f.name,),
                       key + ".", out) for n, item in enumerate(items)]
    if f.kind == LIST:
        if isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)):
            return bad(f"应是{f.what}")
        items = as_list(value)
        wrong = [v for v in items if f.choices and v not in f.choices]
        if wrong:
            return bad(f"中有无效的值「{'、'.join(wrong)}」", "可选：" + "、".join(f.choices))
        return items
    if f.kind == MAP:
        if not isinstance(value, dict):
            return bad(f"应是{f.what}")
        if f.keys is not None:
            inner: dict = {}
            _walk(value, f.keys, lines, path, report, at + (f.name,), key + ".", out, values=inner)
            return inner
        if f.values is not None:
            inner = {}
            for sub, item in value.items():
                inner[sub] = _value(_renamed(f.values, str(sub)), item, True, schema, lines, path, report,
                                    at + (f.name,), key + ".", out)
            return inner
        return value
    if f.kind == RECORDS:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            return bad(f"应是{f.what}")
        if f.keys is not None:
            rows = []
            for n, item in enumerate(value):
                row: dict = {}
                _walk(item, f.keys, lines, path, report, at + (f.name, n), f"{key}[{n}].", out, values=row)
                rows.append(row)
            return rows
        return value
    return value


def _renamed(f: Field, name: str) -> Field:
    return dataclasses.replace(f, name=name)


# -- documentation -------------------------------------------------------------------------------
def _doc_default(f: Field) -> str:
    if f.default in (None, "", (), [], {}):
        return ""
    if isinstance(f.default, bool):
        return "true" if f.default else "false"
    if isinstance(f.default, (list, tuple)):
        return ", ".join(map(str, f.default))
    if isinstance(f.default, dt.date):
        return f.default.isoformat()
    return str(f.default)


def _doc_allowed(f: Field) -> str:
    parts = []
    if f.choices:
        parts.append(" / ".join(map(str, f.choices)))
    if f.kind == INT and (f.minimum is not None or f.maximum is not None):
        lo = "" if f.minimum is None else str(f.minimum)
        hi = "" if f.maximum is None else str(f.maximum)
        parts.append(f"{lo}–{hi}" if hi else f"≥ {lo}")
    if f.pattern and not f.doc:   # a doc note says it in words
        parts.append(f"`{f.pattern}`")
    return "; ".join(parts).replace("|", "\\|")


def doc_rows(schema: Schema, prefix: str = "") -> list[tuple]:
    rows = []
    for f in schema.fields:
        name = prefix + f.name
        kind = _KIND_DOCS[f.kind]
        if f.values is not None:
            kind += f" of {_KIND_DOCS[f.values.kind]}"
        note = f.doc + (f" (checked in `{f.checked_by}`)" if f.checked_by else "")
        rows.append((f"`{name}`", f.label, kind, "yes" if f.required else "", _doc_default(f), _doc_allowed(f),
                     f.rule, note.strip()))
        if f.keys is not None:
            rows += doc_rows(f.keys, name + ("[]." if f.kind == RECORDS else "."))
        elif f.values is not None and f.kind == MAP:
            inner = _renamed(f.values, "<key>")
            rows += doc_rows(Schema(schema.name, (inner,)), name + ".")
    return rows


def doc_table(schema: Schema) -> str:
    """The key table of ``schema`` as Markdown (generated into the docs by scripts/docs_formats.py)."""
    head = ("key", "中文名", "value", "required", "default", "allowed", "rule", "notes")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in doc_rows(schema):
        lines.append("| " + " | ".join(str(c).replace("\n", " ") for c in row) + " |")
    return "\n".join(lines)
