"""Reports of ``govsite check``: text for editors, JSON for tools, JUnit XML for CI systems.

The JSON schema is versioned (``"schema": "govsite-check/1"``) and documented in docs/check.md;
fields are only ever added within a version. JSON and JUnit output hold no timings, so the
same site and ``--now`` always give the same bytes.
"""
from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from govsite import __version__
from govsite.config.rules import ERROR, INFO, RULES, WARNING, rule
from govsite.rules.findings import Finding, SiteResult

SCHEMA = "govsite-check/1"
LABELS = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
COLOURS = {ERROR: "red", WARNING: "yellow", INFO: "cyan"}


def totals(results: list[SiteResult]) -> dict:
    return {
        "error": sum(r.errors for r in results),
        "warning": sum(r.warnings for r in results),
        "info": sum(r.infos for r in results),
        "veto": sum(len(r.vetoes) for r in results),
    }


def to_json(results: list[SiteResult]) -> str:
    data = {
        "schema": SCHEMA,
        "govsite": __version__,
        "summary": totals(results),
        "sites": [{
            "site": r.site,
            "now": r.now or None,
            "verdict": {"veto": bool(r.vetoes), "rules": sorted({f.rule for f in r.vetoes})},
            "summary": {"error": r.errors, "warning": r.warnings, "info": r.infos, "veto": len(r.vetoes),
                        "pages": r.pages, "outputs": r.outputs},
            "output": {"mode": r.output_mode, "dir": r.output_dir or None},
            "notes": list(r.notes),
            "findings": [f.as_dict() for f in r.sorted()],
        } for r in results],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_junit(results: list[SiteResult]) -> str:
    """One test suite per site, one test case per rule; a rule with errors fails its test case."""
    suites = []
    total_failures = 0
    for r in results:
        by_rule: dict[str, list[Finding]] = {rid: [] for rid in RULES}
        for f in r.sorted():
            by_rule.setdefault(f.rule, []).append(f)
        cases = []
        failures = 0
        for rid, found in by_rule.items():
            name = f"{rid} {rule(rid).title}"
            errors = [f for f in found if f.severity == ERROR]
            others = [f for f in found if f.severity != ERROR]
            body = ""
            if errors:
                failures += 1
                text = "\n".join(_line(f) for f in errors)
                body += f'<failure message={quoteattr(f"{len(errors)} 个错误")} type="error">{escape(text)}</failure>'
            if others:
                body += f"<system-out>{escape(chr(10).join(_line(f) for f in others))}</system-out>"
            cases.append(f'    <testcase classname={quoteattr("govsite.check." + r.site)} name={quoteattr(name)}>'
                         f"{body}</testcase>")
        total_failures += failures
        suites.append(f'  <testsuite name={quoteattr(r.site)} tests="{len(cases)}" failures="{failures}" errors="0" '
                      f'skipped="0">\n' + "\n".join(cases) + "\n  </testsuite>")
    tests = sum(s.count("<testcase ") for s in suites)
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="govsite check" '
            f'tests="{tests}" failures="{total_failures}">\n')
    return head + "\n".join(suites) + "\n</testsuites>\n"


def _line(f: Finding) -> str:
    text = f"{f.where()}: {LABELS.get(f.severity, f.severity)}: {f.message}"
    if f.hint:
        text += f"\n    提示：{f.hint}"
    if f.owner:
        text += f"\n    栏目责任人：{f.owner}"
    return text


def write_text(results: list[SiteResult], echo, max_per_rule: int = 0) -> None:
    """Human report: the 单项否决 verdict first, then findings grouped by severity, then a summary.

    ``echo(text, colour=None, bold=False)`` prints one block (the CLI passes click.secho).
    """
    for r in results:
        vetoes = r.vetoes
        if vetoes:
            echo(f"{r.site}：单项否决 — 不合格（{len(vetoes)} 项，{'、'.join(sorted({f.rule for f in vetoes}))}）",
                 "red", True)
            for f in vetoes:
                echo(f"  {f.where()}: {f.message}", "red")
        else:
            echo(f"{r.site}：单项否决 — 未发现否决项", "green", True)
        for severity in (ERROR, WARNING, INFO):
            found = [f for f in r.sorted() if f.severity == severity]
            if not found:
                continue
            echo(f"\n{LABELS[severity]}（{len(found)}）", COLOURS[severity], True)
            shown: dict[str, int] = {}
            for f in found:
                shown[f.rule] = shown.get(f.rule, 0) + 1
                if max_per_rule and shown[f.rule] > max_per_rule:
                    continue
                echo(_line(f), COLOURS[severity])
            for rid, count in shown.items():
                if max_per_rule and count > max_per_rule:
                    echo(f"  … [{rid}] 另有 {count - max_per_rule} 条（--max-per-rule 0 或 --format json 查看全部）",
                         COLOURS[severity])
        for note in r.notes:
            echo(f"说明：{note}")
        mode = {"scanned": f"检查了已生成的 {r.output_dir}", "rendered": "临时生成后检查",
                "partial": "临时生成改动页面后检查", "skipped": "未检查"}[r.output_mode]
        echo(f"{r.site}：错误 {r.errors}，警告 {r.warnings}，提示 {r.infos}；源文件 {r.pages} 个，"
             f"输出页面 {r.outputs} 个（{mode}）；检查时间 {r.now or '-'}；用时 {r.seconds:.2f} 秒", None, True)
