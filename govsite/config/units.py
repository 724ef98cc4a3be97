"""Units (单位) of a site that publish inside it: departments and 街道 with an 信息公开专栏.

The Tianjin measures say 街道 and district units should not open sites of their own; they publish
in the portal instead. site.yaml ``units: [{key, name, code, kind}]`` names them; a column with
``unit: KEY`` in its ``_column.yaml`` belongs to that unit with everything below it.
"""
from __future__ import annotations

from dataclasses import dataclass

from govsite.config.schema import TEXT, Field, Schema
from govsite.core import orgcode
from govsite.core.errors import Report
from govsite.core.source import KeyLines

RULE = "GK-5"


@dataclass(frozen=True)
class Unit:
    """One 单位: ``code`` is its 统一社会信用代码 (18) or 组织机构代码 (9), the 索引号 prefix."""

    key: str
    name: str
    code: str
    kind: str = ""
    line: int = 0


UNIT_KINDS = ("department", "town")          # 部门 | 街道、乡镇 (a unit is never a portal)
UNIT_KIND_NAMES = {"department": "部门", "town": "街道、乡镇"}
KEY_PATTERN = r"[a-z0-9][a-z0-9_-]*"
CODE_HINT = ('写该单位的统一社会信用代码（18位，GB 32100-2015）或组织机构代码（9位，GB 11714-1997，'
             '可写作 12345678-9），并加引号，例如 code: "11339901MB1D86420J"')
UNIT = Schema("units[]", (
    Field("key", TEXT, "单位标识", "例如 key: fgw（小写字母、数字、-、_；栏目 _column.yaml 用 unit: fgw 引用）",
          required=True, pattern=KEY_PATTERN, rule=RULE, doc="what `unit:` in _column.yaml names"),
    Field("name", TEXT, "单位名称", "例如 name: 景澜区发展和改革委员会", required=True, rule=RULE,
          doc="发布机构 of the unit's pages"),
    Field("code", TEXT, "统一社会信用代码或组织机构代码", CODE_HINT, required=True, rule=RULE,
          doc="18-character GB 32100 or 9-character GB 11714 code (check character verified): the 索引号 prefix"),
    Field("kind", TEXT, "单位类别", "可选：department（部门）、town（街道、乡镇）", required=True, choices=UNIT_KINDS,
          rule=RULE, doc="department or town (街道/乡镇)"),
), style="plain", missing="缺少必填项 {key}（{label}）", noun="键")


def check_code(value: str, what: str, path, line: int, report: Report) -> str:
    """The code normalised (:func:`govsite.core.orgcode.normalise`), or "" after reporting why it
    is not a valid 统一社会信用代码 / 组织机构代码. ``what`` names its owner in the message."""
    wrong = orgcode.problem(value)
    if wrong:
        report.error(path, line, f"[{RULE}] {what}的代码「{value}」不是有效的统一社会信用代码或组织机构代码：{wrong}",
                     CODE_HINT, rule=RULE)
        return ""
    return orgcode.normalise(value)


def load_units(rows, bad: set, path, lines: KeyLines, report: Report) -> tuple:
    """site.yaml ``units:`` as the schema (:data:`UNIT`, in ``SITE``) checked it: each unit with a
    valid code and a key no other unit has. A bad unit is reported and left out, so the columns
    that name it are reported too (an unknown unit), and nothing is published under a wrong code."""
    units: list[Unit] = []
    seen: dict[str, int] = {}
    for n, row in enumerate(rows or ()):
        if any(k.startswith(f"units[{n}].") for k in bad):
            continue
        line = lines.line("units", n)
        key = row["key"]
        if key in seen:
            report.error(path, lines.line("units", n, "key"), f"[{RULE}] 单位标识 key「{key}」重复（第 {seen[key]} 行已有）",
                         "每个单位的 key 应唯一；改用另一个 key", rule=RULE)
            continue
        seen[key] = line
        code = check_code(row["code"], f"单位「{row['name']}」", path, lines.line("units", n, "code"), report)
        same = next((u for u in units if code and orgcode.organisation_code(u.code) == orgcode.organisation_code(code)), None)
        if same is not None:
            report.error(path, lines.line("units", n, "code"),
                         f"[{RULE}] 单位「{row['name']}」与「{same.name}」的代码相同（{orgcode.organisation_code(code)}）",
                         "每个单位有自己的机构代码；核对后改正其中一个", rule=RULE)
        elif code:
            units.append(Unit(key, row["name"], code, row["kind"], line))
    return tuple(units)


def unit_named(units, key: str) -> Unit | None:
    """The unit with this key, or None."""
    return next((u for u in units if u.key == key), None)
