"""Problems found in a site's files, collected so that one build reports all of them.

A content problem is never an exception that escapes to the user as a traceback: each stage
appends :class:`Problem` records to a :class:`Report`, and the build decides at the end whether
anything may be written. Messages are in Chinese because the editor acts on them; the rule id
from SPEC.md leads the message where a rule applies.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

_RULE_RE = re.compile(r"^\[([A-Z]{2,3}-\d+(?:\.[a-z]+)?)\]")
ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding: where (file and 1-based line), what, and what to do about it."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = ERROR
    rule: str = ""

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = "错误" if self.severity == ERROR else "警告"
        rule = f"[{self.rule}] " if self.rule and not self.message.startswith("[") else ""
        text = f"{where}: {label}: {rule}{self.message}"
        if self.hint:
            text += f"\n    提示：{self.hint}"
        return text


@dataclass
class Report:
    """All problems of one build, in a stable order."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, path, line, message, hint="", rule=""):
        self.problems.append(Problem(display_path(path), line or 0, message, hint, ERROR, rule or rule_of(message)))

    def warning(self, path, line, message, hint="", rule=""):
        self.problems.append(Problem(display_path(path), line or 0, message, hint, WARNING, rule or rule_of(message)))

    def extend(self, problems):
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return sorted({p for p in self.problems if p.severity == ERROR})

    @property
    def warnings(self) -> list[Problem]:
        return sorted({p for p in self.problems if p.severity == WARNING})

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)


class BuildFailed(Exception):
    """Raised by the pipeline when a build has errors; carries the whole report."""

    def __init__(self, report: Report):
        super().__init__(f"{len(report.errors)} error(s)")
        self.report = report


def rule_of(message: str) -> str:
    """The SPEC rule id a message starts with (``[CO-3] …`` → ``CO-3``), or ``""``."""
    match = _RULE_RE.match(message)
    return match.group(1) if match else ""


def display_path(path) -> str:
    """Paths in messages are relative to the working directory when possible (clickable in editors)."""
    path = os.fspath(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith(".." + os.sep + "..") else rel
