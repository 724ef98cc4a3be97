"""Units (单位) of a site that publish inside it: departments and 街道 with an 信息公开专栏.

The Tianjin measures say 街道 and district units should not open sites of their own; they publish
in the portal instead. site.yaml ``units: [{key, name, code, kind}]`` names them; a column with
``unit: KEY`` in its ``_column.yaml`` belongs to that unit with everything below it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """One 单位: ``code`` is its 统一社会信用代码 (18) or 组织机构代码 (9), the 索引号 prefix."""

    key: str
    name: str
    code: str
    kind: str = ""
    line: int = 0
