"""The ``check:`` mapping of site.yaml: thresholds, severities, word lists, allow-lists, calendar.

Every key is optional; the defaults are the national thresholds (国办秘函〔2019〕19号, SPEC CK)
and the deadlines of SPEC GK/IA. A malformed value is reported with its site.yaml line and the
default is used instead, so one typo does not hide every other finding.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from govsite.config.rules import OFF, RULES, SEVERITIES
from govsite.config.schema import ANY, BOOL, DATE, INT, LIST, MAP, TEXT, Field, Schema, closest, validate
from govsite.core.errors import ERROR, Report
from govsite.core.source import KeyLines
from govsite.core.workdays import Calendar, calendar

DEFAULT_FRESHNESS = {"政务动态": 14, "通知公告": 183, "政策文件": 183}
DEFAULT_INTERPRETATION_KINDS = ("规章", "行政规范性文件", "其他政策性文件", "规划")
DEFAULT_ALLOW = ("conac.cn",)   # 党政机关网站标识 (bszs.conac.cn) is required on every site (ID-1)

_LIMIT_RE = re.compile(r"^\s*(\d+)\s*(h|wd)\s*$", re.I)
_DATE_HINT = "写成 YYYY-MM-DD"


def _days(name, label, default, minimum, doc=""):
    return Field(name, INT, label, f"例如 {name}: {default}", default=default, minimum=minimum, doc=doc)


CHECK = Schema("check", (
    Field("severity", ANY, "规则级别", "例如 severity: {LK-2: info, CP-1: off}",
          doc="rule id or SPEC id → error / warning / info / off"),
    _days("home_days", "首页更新天数（CK-3）", 14, 1),
    Field("freshness", ANY, "栏目更新期限（CO-4）", "例如 freshness: {政务动态: 14, 通知公告: 183}",
          doc="ColumnType → days (≥ 1); off: not checked. Default " + ", ".join(f"{k} {v}" for k, v in DEFAULT_FRESHNESS.items())),
    _days("long_stale_days", "长期未更新天数（CK-4）", 365, 1),
    Field("veto", MAP, "单项否决的栏目数（CK-4）", keys=Schema("veto", (
        _days("stale_columns", "未及时更新的栏目数", 5, 1),
        _days("empty_columns", "空白栏目数", 5, 1),
        _days("long_stale_columns", "长期未更新的栏目数", 10, 1),
    ))),
    _days("duplicate_days", "重复标题的天数（CP-1.dup）", 30, 0),
    Field("reprint_limit", TEXT, "转载时限（CP-4.lag）",
          "写成小时数加 h 或工作日数加 wd，例如 reprint_limit: 12h（天津规定12小时内转载）或 reprint_limit: 1wd（默认）",
          default="1wd", doc="N h (hours) or N wd (to the end of the N-th working day), N ≥ 1", pattern=r"(?i)0*[1-9]\d*\s*(h|wd)"),
    _days("disclosure_days", "公开时限工作日（GK-3）", 20, 1),
    Field("interpretation", MAP, "政策解读（GK-4）", keys=Schema("interpretation", (
        _days("working_days", "解读时限工作日", 3, 0),
        Field("doc_kinds", LIST, "需要解读的文件类别", "例如 doc_kinds: [行政规范性文件, 其他政策性文件]",
              default=DEFAULT_INTERPRETATION_KINDS),
        Field("since", DATE, "检查起始日期", _DATE_HINT, doc="older policies are not checked"),
    ))),
    Field("reply", MAP, "留言答复（IA-1、CK-5）", keys=Schema("reply", (
        _days("working_days", "答复时限工作日", 15, 1),
        _days("window_days", "统计期天数", 365, 1),
        _days("veto_days", "否决期限天数", 90, 1),
    ))),
    _days("dataset_grace_days", "数据更新宽限天数（DA-2）", 0, 0),
    Field("annual_report", MAP, "信息公开年报期限（GK-1）", keys=Schema("annual_report", (
        Field("government", TEXT, "本级政府年报期限", "写成 月-日，例如 government: 03-31", default="03-31",
              pattern=r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])",
              doc="MM-DD of the year after: the government's own 年报 (a portal's site; 条例 第四十九条)"),
        Field("department", TEXT, "部门和单位年报期限", "写成 月-日，例如 department: 01-31", default="01-31",
              pattern=r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])",
              doc="MM-DD of the year after: a department's or town's site, and every unit's 专栏"),
    ))),
    Field("wording", MAP, "词表（CK-1）", "例如 wording: {files: [wording.yaml]}", keys=Schema("wording", (
        Field("builtin", BOOL, "使用内置词表", "例如 builtin: true", default=True),
        Field("files", LIST, "本站词表文件", "文件路径相对于 sites/<site>/，例如 files: [wording.yaml]"),
        Field("allow", LIST, "不检查的词条", "例如 allow: [截止目前]"),
    ))),
    Field("outbound_allow", LIST, "不提示的外部网站（LK-2）", "例如 outbound_allow: [www.people.com.cn]",
          doc="added to the site's outbound_allow"),
    Field("workdays", MAP, "工作日调整", "例如 workdays: {holidays: [2027-01-01], workdays: [2027-02-06]}",
          keys=Schema("workdays", (
              Field("holidays", LIST, "放假日", values=Field("", DATE, "放假日", _DATE_HINT)),
              Field("workdays", LIST, "调休上班日", values=Field("", DATE, "调休上班日", _DATE_HINT)),
          ))),
), style="site.yaml 的 check.", noun="设置")


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
    annual_report: dict = field(default_factory=lambda: {"government": "03-31", "department": "01-31"})  # GK-1
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
    severity: str = ""      # "" = the CFG rule's (error); an unknown key is a warning


def _severity(cfg: CheckConfig, severity, bad) -> None:
    """``check.severity``: rule id (or spec) → error, warning, info or off."""
    if not isinstance(severity, dict):
        bad(("severity",), "应是「规则编号: 级别」的映射", "例如 severity: {LK-2: info, CP-1: off}")
        return
    known_specs = {r.spec for r in RULES.values()} | set(RULES)
    for rule_id, level in severity.items():
        rule_id = str(rule_id)
        level = "off" if level is False else str(level).strip().lower()
        if rule_id not in known_specs:
            near = closest(rule_id, sorted(known_specs))
            bad(("severity", rule_id), f"未知的规则编号「{rule_id}」" + (f"，是否应为 {near}？" if near else ""),
                "规则编号见 govsite check --list-rules")
        elif level not in (*SEVERITIES, OFF):
            bad(("severity", rule_id), f"级别「{level}」无效", "可选：error、warning、info、off")
        else:
            cfg.severity[rule_id] = level


def _freshness(cfg: CheckConfig, freshness, bad) -> None:
    """``check.freshness``: column type → days (CO-4), or off."""
    if not isinstance(freshness, dict):
        bad(("freshness",), "应是「栏目类别: 天数」的映射", "例如 freshness: {政务动态: 14, 通知公告: 183}")
        return
    for ctype, days in freshness.items():
        if days in (None, False, "off"):
            cfg.freshness.pop(str(ctype), None)
        elif isinstance(days, bool) or not isinstance(days, int) or days < 1:
            bad(("freshness", ctype), f"应是不小于 1 的整数，现为「{days}」", f"例如 {ctype}: 14")
        else:
            cfg.freshness[str(ctype)] = days


def load_check_config(site_config) -> tuple[CheckConfig, list[ConfigProblem]]:
    """Read ``site_config.raw["check"]``; returns the settings and the problems found in them.

    Types, ranges and unknown keys are :data:`CHECK`'s; what remains here is what needs more than
    one key or the rule catalogue: rule ids, the freshness table, word list files."""
    cfg = CheckConfig()
    cfg.outbound_allow = tuple(DEFAULT_ALLOW) + tuple(getattr(site_config, "outbound_allow", ()) or ())
    raw = (getattr(site_config, "raw", None) or {}).get("check")
    if raw is None:
        return cfg, []
    lines = getattr(site_config, "lines", None) or KeyLines()
    report = Report()
    file = getattr(site_config, "file", "site.yaml")

    def line(*path) -> int:
        return lines.line("check", *path)

    def bad(path, message, hint):
        report.error(file, line(*path), f"site.yaml 的 check.{'.'.join(map(str, path))}：{message}", hint)

    if not isinstance(raw, dict):
        report.error(file, line(), "site.yaml 的 check 应是映射（键: 值）", "参照 docs/check.md 中的 check: 示例")
        return cfg, _problems(report)
    values = validate(raw, CHECK, lines, file, report, at=("check",)).values
    for key in ("home_days", "long_stale_days", "duplicate_days", "disclosure_days", "dataset_grace_days"):
        setattr(cfg, key, values[key])
    for group in ("veto", "reply", "annual_report"):
        if values[group]:
            getattr(cfg, group).update(values[group])
    if values["interpretation"]:
        given = values["interpretation"]
        cfg.interpretation.update(working_days=given["working_days"],
                                  since=given["since"].date() if given["since"] else None,
                                  doc_kinds=tuple(given["doc_kinds"] or DEFAULT_INTERPRETATION_KINDS))
    limit = _LIMIT_RE.match(values["reprint_limit"])
    assert limit is not None, "the field's pattern was checked (a bad value gives the default, 1wd)"
    cfg.reprint_limit = (int(limit.group(1)), limit.group(2).lower())

    if raw.get("severity") is not None:
        _severity(cfg, raw["severity"], bad)
    if raw.get("freshness") is not None:
        _freshness(cfg, raw["freshness"], bad)

    wording = values["wording"] or {}
    if wording:
        cfg.wording_builtin = wording["builtin"]
        for i, name in enumerate(wording["files"] or []):
            path = Path(site_config.dir) / name
            if not path.is_file():
                bad(("wording", "files", i), f"词表文件「{name}」不存在",
                    f"文件路径相对于 sites/{site_config.key}/，例如 files: [wording.yaml]")
            else:
                cfg.wording_files.append(path)
        cfg.wording_allow = tuple(wording["allow"] or ())
    cfg.outbound_allow += tuple(values["outbound_allow"] or ())
    workdays = values["workdays"]
    if raw.get("workdays") is not None:
        overrides = {sub: [d.date() for d in (workdays or {}).get(sub) or [] if d is not None]
                     for sub in ("holidays", "workdays")}
        cfg.calendar = calendar(overrides)
    return cfg, _problems(report)


def _problems(report: Report) -> list[ConfigProblem]:
    return [ConfigProblem(p.line, p.message, p.hint, "" if p.severity == ERROR else p.severity) for p in report.problems]
