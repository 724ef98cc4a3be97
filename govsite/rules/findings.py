"""What a check finds, and the result of checking one site.

A :class:`Finding` is like the build's :class:`~govsite.errors.Problem` plus what a compliance
report needs: the rule, a column for positions inside a line (wording errors), the output page
where the problem is visible, and whether the rule is a 单项否决 item. Findings convert to
Problems for ``govsite build``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from govsite.config.rules import ERROR, INFO, SEVERITY_RANK, WARNING, rule
from govsite.core.errors import Problem, display_path


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    path: str          # shown to the user: relative to the working directory when possible
    line: int
    message: str       # Chinese, starts with "[RULE]"
    hint: str = ""
    column: int = 0
    url: str = ""      # output path (site-relative) where the problem is visible, if any
    file: str = ""     # absolute path of the source file (for --changed); "" for an output page
    owner: str = ""    # 栏目责任人 of the column the finding is about (_column.yaml owner:), if any

    @property
    def veto(self) -> bool:
        return rule(self.rule).veto and self.severity == ERROR

    def where(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}" if self.column else f"{self.path}:{self.line}"

    def sort_key(self):
        return (SEVERITY_RANK.get(self.severity, 3), self.path, self.line, self.column, self.rule, self.message)

    def to_problem(self) -> Problem:
        severity = ERROR if self.severity == ERROR else WARNING
        return Problem(self.path, self.line, self.message, self.hint, severity, self.rule)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "spec": rule(self.rule).spec,
            "severity": self.severity,
            "veto": self.veto,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "url": self.url or None,
            "message": self.message,
            "hint": self.hint,
            "owner": self.owner or None,
        }


def make(rule_id: str, path, line: int, message: str, hint: str = "", column: int = 0, url: str = "",
         severity: str = "") -> Finding:
    """A finding with the rule's default severity; the runner applies the site's settings later."""
    path = os.fspath(path) if path else ""
    absolute = os.path.abspath(path) if path else ""
    tag = f"[{rule_id}] "
    return Finding(rule_id, severity or rule(rule_id).severity, display_path(path) if path else "",
                   line or 0, message if message.startswith("[") else tag + message, hint, column, url, absolute)


def with_owners(findings: list[Finding], owners: dict) -> list[Finding]:
    """Each finding about a column (its _column.yaml, or a page within it) with the column's
    栏目责任人, so the report says who has to act. ``owners``: real source path → owner."""
    out = []
    for f in findings:
        owner = owners.get(os.path.realpath(f.file)) if f.file else None
        out.append(replace(f, owner=owner) if owner and owner != f.owner else f)
    return out


@dataclass
class SiteResult:
    """Everything ``govsite check`` reports for one site."""

    site: str
    now: str = ""
    findings: list = field(default_factory=list)
    notes: list = field(default_factory=list)          # Chinese remarks (calendar fallback, output mode)
    pages: int = 0                                       # source pages checked
    outputs: int = 0                                     # output HTML files checked
    output_mode: str = "skipped"                         # scanned | rendered | partial | skipped
    output_dir: str = ""
    seconds: float = 0.0
    changed_urls: frozenset | None = frozenset()         # --changed: output pages of the changed files (None: all)

    def sorted(self) -> list:
        return sorted(self.findings, key=Finding.sort_key)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    @property
    def warnings(self) -> int:
        return self.count(WARNING)

    @property
    def infos(self) -> int:
        return self.count(INFO)

    @property
    def vetoes(self) -> list:
        return [f for f in self.sorted() if f.veto]
