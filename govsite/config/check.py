"""The ``check:`` mapping of site.yaml: thresholds, severities, word lists, allow-lists, calendar.

Every key is optional; the defaults are the national thresholds (国办秘函〔2019〕19号, SPEC CK)
and the deadlines of SPEC GK/IA. A malformed value is reported with its site.yaml line and the
default is used instead, so one typo does not hide every other finding.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from govsite.core.dates import DateError, parse_datetime
from govsite.core.workdays import Calendar, calendar
from govsite.config.rules import OFF, RULES, SEVERITIES

DEFAULT_FRESHNESS = {"政务动态": 14, "通知公告": 183, "政策文件": 183}
DEFAULT_INTERPRETATION_KINDS = ("规章", "行政规范性文件", "其他政策性文件", "规划")
DEFAULT_ALLOW = ("conac.cn",)   # 党政机关网站标识 (bszs.conac.cn) is required on every site (ID-1)

_INT_KEYS = {
    # key: (default, minimum)
    "home_days": (14, 1),
    "long_stale_days": (365, 1),
    "duplicate_days": (30, 0),
    "disclosure_days": (20, 1),
    "dataset_grace_days": (0, 0),
}
_NESTED_INT = {
    "veto": {"stale_columns": (5, 1), "empty_columns": (5, 1), "long_stale_columns": (10, 1)},
    "interpretation": {"working_days": (3, 0)},
    "reply": {"working_days": (15, 1), "window_days": (365, 1), "veto_days": (90, 1)},
}
KNOWN_KEYS = set(_INT_KEYS) | set(_NESTED_INT) | {"severity", "freshness", "wording", "outbound_allow", "workdays",
                                                   "reprint_limit"}
_LIMIT_RE = re.compile(r"^\s*(\d+)\s*(h|wd)\s*$", re.I)


@dataclass
class CheckConfig:
    severity: dict = field(default_factory=dict)          # rule id or SPEC id → severity / "off"
    home_days: int = 14
    long_stale_days: int = 365
    duplicate_days: int = 30
    disclosure_days: int = 20
    dataset_grace_days: int = 0
    freshness: dict = field(default_factory=lambda: dict(DEFAULT_FRESHNESS))
    veto: dict = field(default_factory=lambda: {"stale_columns": 5, "empty_columns": 5, "long_stale_columns": 10})
    interpretation: dict = field(default_factory=lambda: {"working_days": 3,
                                                           "doc_kinds": DEFAULT_INTERPRETATION_KINDS,
                                                           "since": None})
    reply: dict = field(default_factory=lambda: {"working_days": 15, "window_days": 365, "veto_days": 90})
    wording_builtin: bool = True
    wording_files: list = field(default_factory=list)     # absolute paths
    wording_allow: tuple = ()
    outbound_allow: tuple = DEFAULT_ALLOW
    calendar: Calendar = field(default_factory=Calendar)
    reprint_limit: tuple = (1, "wd")                      # CP-4.lag: (amount, "h" hours | "wd" working days)

    def severity_of(self, rule_id: str, default: str) -> str:
        """Configured severity: the exact rule id first, then its SPEC id, then the default."""
        if rule_id in self.severity:
            return self.severity[rule_id]
        spec = rule_id.split(".", 1)[0]
        return self.severity.get(spec, default)


@dataclass
class ConfigProblem:
    line: int
    message: str
    hint: str


def key_lines(text: str) -> dict:
    """Line of every key under ``check:`` as ``{("check", "reply", "working_days"): line}``."""
    lines: dict = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    here = path + (key.value,)
                    lines[here] = key.start_mark.line + 1
                    walk(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[path + (i,)] = item.start_mark.line + 1
                walk(item, path + (i,))

    if root is not None:
        walk(root, ())
    return lines


def _date(value):
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return parse_datetime(value).date()


def load_check_config(site_config) -> tuple[CheckConfig, list[ConfigProblem]]:
    """Read ``site_config.raw["check"]``; returns the settings and the problems found in them."""
    cfg = CheckConfig()
    cfg.outbound_allow = tuple(DEFAULT_ALLOW) + tuple(getattr(site_config, "outbound_allow", ()) or ())
    problems: list[ConfigProblem] = []
    raw = (getattr(site_config, "raw", None) or {}).get("check")
    if raw is None:
        return cfg, problems
    text = getattr(site_config, "text", "") or ""
    lines = key_lines(text)
    base_line = lines.get(("check",), 1)

    def line(*path) -> int:
        while path:
            if ("check",) + path in lines:
                return lines[("check",) + path]
            path = path[:-1]
        return base_line

    def bad(path, message, hint):
        problems.append(ConfigProblem(line(*path), f"site.yaml 的 check.{'.'.join(map(str, path))}：{message}", hint))

    if not isinstance(raw, dict):
        problems.append(ConfigProblem(base_line, "site.yaml 的 check 应是映射（键: 值）",
                                      "参照 docs/check.md 中的 check: 示例"))
        return cfg, problems

    for key in raw:
        if key not in KNOWN_KEYS:
            bad((key,), f"未知的设置「{key}」", "可用的设置：" + "、".join(sorted(KNOWN_KEYS)))

    def int_value(path, value, default, minimum):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            bad(path, f"应是不小于 {minimum} 的整数，现为「{value}」", f"例如 {path[-1]}: {default}")
            return default
        return value

    for key, (default, minimum) in _INT_KEYS.items():
        if key in raw:
            setattr(cfg, key, int_value((key,), raw[key], default, minimum))
    for group, keys in _NESTED_INT.items():
        value = raw.get(group)
        if value is None:
            continue
        if not isinstance(value, dict):
            bad((group,), "应是映射", f"例如 {group}: {{{next(iter(keys))}: {next(iter(keys.values()))[0]}}}")
            continue
        target = getattr(cfg, group)
        extra = {"interpretation": {"doc_kinds", "since"}}.get(group, set())
        for sub, sub_value in value.items():
            if sub in keys:
                default, minimum = keys[sub]
                target[sub] = int_value((group, sub), sub_value, default, minimum)
            elif sub not in extra:
                bad((group, sub), f"未知的设置「{sub}」", "可用的设置：" + "、".join(sorted(set(keys) | extra)))
        if group == "interpretation":
            if "doc_kinds" in value:
                kinds = value["doc_kinds"]
                if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
                    bad((group, "doc_kinds"), "应是文件类别（doc_kind）的列表", "例如 doc_kinds: [行政规范性文件, 其他政策性文件]")
                else:
                    target["doc_kinds"] = tuple(kinds)
            if value.get("since") is not None:
                try:
                    target["since"] = _date(value["since"])
                except (DateError, TypeError, ValueError) as exc:
                    bad((group, "since"), f"日期无法识别：{exc}", "写成 YYYY-MM-DD")

    limit = raw.get("reprint_limit")
    if limit is not None:
        match = _LIMIT_RE.match(str(limit)) if not isinstance(limit, bool) else None
        if match is None or int(match.group(1)) < 1:
            bad(("reprint_limit",), f"转载时限「{limit}」无法识别",
                "写成小时数加 h 或工作日数加 wd，例如 reprint_limit: 12h（天津规定12小时内转载）或 reprint_limit: 1wd（默认）")
        else:
            cfg.reprint_limit = (int(match.group(1)), match.group(2).lower())

    severity = raw.get("severity")
    if severity is not None:
        if not isinstance(severity, dict):
            bad(("severity",), "应是「规则编号: 级别」的映射", "例如 severity: {LK-2: info, CP-1: off}")
        else:
            known_specs = {r.spec for r in RULES.values()} | set(RULES)
            for rule_id, level in severity.items():
                rule_id = str(rule_id)
                level = "off" if level is False else str(level).strip().lower()
                if rule_id not in known_specs:
                    bad(("severity", rule_id), f"未知的规则编号「{rule_id}」", "规则编号见 govsite check --list-rules")
                elif level not in (*SEVERITIES, OFF):
                    bad(("severity", rule_id), f"级别「{level}」无效", "可选：error、warning、info、off")
                else:
                    cfg.severity[rule_id] = level

    freshness = raw.get("freshness")
    if freshness is not None:
        if not isinstance(freshness, dict):
            bad(("freshness",), "应是「栏目类别: 天数」的映射", "例如 freshness: {政务动态: 14, 通知公告: 183}")
        else:
            for ctype, days in freshness.items():
                if days in (None, False, "off"):
                    cfg.freshness.pop(str(ctype), None)
                    continue
                cfg.freshness[str(ctype)] = int_value(("freshness", ctype), days, 14, 1)

    wording = raw.get("wording")
    if wording is not None:
        if not isinstance(wording, dict):
            bad(("wording",), "应是映射（builtin、files、allow）", "例如 wording: {files: [wording.yaml]}")
        else:
            for sub in wording:
                if sub not in ("builtin", "files", "allow"):
                    bad(("wording", sub), f"未知的设置「{sub}」", "可用的设置：builtin、files、allow")
            if "builtin" in wording:
                if not isinstance(wording["builtin"], bool):
                    bad(("wording", "builtin"), "应是 true 或 false", "例如 builtin: true")
                else:
                    cfg.wording_builtin = wording["builtin"]
            files = wording.get("files") or []
            if not isinstance(files, list):
                files = [files]
            for i, name in enumerate(files):
                path = Path(site_config.dir) / str(name)
                if not path.is_file():
                    bad(("wording", "files", i), f"词表文件「{name}」不存在",
                        f"文件路径相对于 sites/{site_config.key}/，例如 files: [wording.yaml]")
                else:
                    cfg.wording_files.append(path)
            allow = wording.get("allow") or []
            if not isinstance(allow, list):
                bad(("wording", "allow"), "应是词语列表", "例如 allow: [截止目前]")
            else:
                cfg.wording_allow = tuple(str(a) for a in allow)

    allow = raw.get("outbound_allow")
    if allow is not None:
        if not isinstance(allow, list):
            bad(("outbound_allow",), "应是域名列表", "例如 outbound_allow: [www.people.com.cn]")
        else:
            cfg.outbound_allow = cfg.outbound_allow + tuple(str(a).strip() for a in allow if str(a).strip())

    workdays = raw.get("workdays")
    if workdays is not None:
        overrides = {"holidays": [], "workdays": []}
        if not isinstance(workdays, dict):
            bad(("workdays",), "应是映射（holidays、workdays）", "例如 workdays: {holidays: [2027-01-01], workdays: [2027-02-06]}")
        else:
            for sub, values in workdays.items():
                if sub not in overrides:
                    bad(("workdays", sub), f"未知的设置「{sub}」", "可用的设置：holidays（放假日）、workdays（调休上班日）")
                    continue
                if not isinstance(values, list):
                    values = [values]
                for i, value in enumerate(values):
                    try:
                        overrides[sub].append(_date(value))
                    except (DateError, TypeError, ValueError) as exc:
                        bad(("workdays", sub, i), f"日期无法识别：{exc}", "写成 YYYY-MM-DD")
        cfg.calendar = calendar(overrides)
    return cfg, problems
