"""One declarative schema for the YAML editors write (issue #22 item 5): site.yaml, ``check:``,
``_column.yaml``, front matter and the content types' fields.

An editor who mistypes a key, writes text where a number belongs or a number out of range learns
all of it from one build, each with ``file:line``, a Chinese message naming the key and a hint;
unknown keys are warnings naming the key probably meant (they used to be ignored, and the default
silently used). The key tables of the docs are generated from the same declarations.
"""
from __future__ import annotations

import re
import runpy
import subprocess
import sys

import pytest

from govsite.config.schema import BOOL, INT, LIST, MAP, TEXT, Field, Schema, closest, validate
from govsite.core.errors import Report
from govsite.core.source import parse_yaml

from helpers import REPO, SITE_YAML, fails_cleanly, page


@pytest.fixture
def built(project):
    result = project.build()
    assert result.exit_code == 0, result.output
    return project


def line_of(text: str, fragment: str) -> int:
    return text.split("\n").index(next(line for line in text.split("\n") if fragment in line)) + 1


def test_every_yaml_input_reports_all_its_problems_in_one_run(built):
    site = SITE_YAML + ("page_sise: 10\npage_size: 0\nqr_code: ja\nhome:\n  block_size: 70\n"
                        "check:\n  home_dayz: 3\n  home_days: many\n  reply: {working_days: 0}\n")
    built.write("sites/t/site.yaml", site)
    column = "name: 工作动态\ntype: 政务动态\nordr: 3\norder: first\nviews: [nosuch]\n"
    built.write("content/t/zwdt/gzdt/_column.yaml", column)
    policy = page("关于某事项的实施意见", date="2026-05-01 09:00", type="policy", doc_kind="其他政策性文件",
                  issuer="测试区人民政府", signed="2026-04-28", status="作废", issuser="测试区")
    built.write("content/t/zwdt/gzdt/p.md", policy)
    built.write("content/t/zwdt/gzdt/d.md", page("草稿", souce="区政府", draft="ja"))
    out = fails_cleanly(
        built,
        # site.yaml: unknown key (warning, closest key), wrong type, out of range, nested out of range
        f"site.yaml:{line_of(site, 'page_sise')}: 警告: 未知的键「page_sise」，是否应为 page_size",
        f"site.yaml:{line_of(site, 'page_size: 0')}: 错误: page_size 应是 1–500 的整数，现为「0」",
        f"site.yaml:{line_of(site, 'qr_code')}: 错误: qr_code 应是 true 或 false，现为「ja」",
        f"site.yaml:{line_of(site, 'block_size')}: 错误: home.block_size 应是 1–50 的整数，现为「70」",
        # check: the same three kinds, as CFG findings of the build gate
        f"site.yaml:{line_of(site, 'home_dayz')}: 警告: [CFG] site.yaml 的 check.home_dayz：未知的设置「home_dayz」，是否应为 home_days",
        f"site.yaml:{line_of(site, 'home_days: many')}: 错误: [CFG] site.yaml 的 check.home_days：应是不小于 1 的整数，现为「many」",
        f"site.yaml:{line_of(site, 'reply:')}: 错误: [CFG] site.yaml 的 check.reply.working_days：应是不小于 1 的整数，现为「0」",
        # _column.yaml
        f"gzdt/_column.yaml:{line_of(column, 'ordr')}: 警告: 未知的字段「ordr」，是否应为 order（排列顺序）",
        f"gzdt/_column.yaml:{line_of(column, 'order: first')}: 错误: order（排列顺序）应是整数，现为「first」",
        f"gzdt/_column.yaml:{line_of(column, 'views')}: 错误: views（汇总页）中有无效的值「nosuch」",
        # front matter and a content type's fields
        f"d.md:{line_of(page('草稿', souce='区政府', draft='ja'), 'souce')}: 警告: 未知的字段「souce」，是否应为 source",
        f"d.md:{line_of(page('草稿', souce='区政府', draft='ja'), 'draft')}: 错误: draft（草稿）应是 true 或 false，现为「ja」",
        f"p.md:{line_of(policy, 'status')}: 错误: [AR-4] status（效力状态）的值「作废」无效",
        f"p.md:{line_of(policy, 'issuser')}: 警告: 未知的字段「issuser」，是否应为 issuer",
    )
    assert "提示：可用的键：" in out and "提示：可选：有效、已修改、已废止、已失效" in out


def test_unknown_keys_alone_do_not_fail_the_build(built):
    built.configure("qr_cod: true\n")
    result = built.build()
    assert result.exit_code == 0, result.output
    assert f"site.yaml:{len(SITE_YAML.splitlines()) + 1}: 警告: 未知的键「qr_cod」，是否应为 qr_code（显示本页二维码）？" in result.output


def test_template_keys_in_front_matter_are_not_typos(built):
    built.page("zwdt/gzdt/v.md", "在线访谈", interview_time="2026-05-01 10:00", guest="区教育局局长")
    result = built.build()
    assert result.exit_code == 0 and "未知的字段" not in result.output, result.output


def test_every_key_has_its_own_line_from_the_one_parse():
    """Nested keys, list items and quoted keys are found where they are (the text search that
    found only top-level keys reported ``home.block_size`` at ``home:``)."""
    text = ('intro: |\n  home: 这一行是正文，不是键\n"home":\n  block_size: x\nitems:\n  - a\n  - b\n'
            "check: {reply: {working_days: 0}}\n")
    parsed = parse_yaml(text)
    lines = parsed.lines
    assert isinstance(parsed.data, dict) and parsed.data["home"] == {"block_size": "x"}
    assert lines.line("home") == 3 and lines.line("home", "block_size") == 4
    assert lines.line("items", 1) == 7 and lines.line("check", "reply", "working_days") == 8
    assert lines.line("home", "nosuch") == 3 and lines.line("nosuch") == 1
    assert lines.rows("items") == {"items[0]": 6, "items[1]": 7}


def test_validate_reports_everything_and_returns_defaults():
    schema = Schema("demo", (
        Field("size", INT, "每页条数", default=20, minimum=1, maximum=500),
        Field("name", TEXT, "名称", required=True),
        Field("enabled", BOOL, "开关", default=True),
        Field("tags", LIST, "标签", choices=("a", "b")),
        Field("home", MAP, "首页", keys=Schema("home", (Field("n", INT, "条数", default=7, minimum=1),))),
    ))
    parsed = parse_yaml("size: 0\nenabled: maybe\ntags: a、c\nhome: {n: 0, m: 1}\nsiez: 3\n")
    report = Report()
    checked = validate(parsed.data, schema, parsed.lines, "x.yaml", report)
    assert checked.values == {"size": 20, "name": None, "enabled": True, "tags": None, "home": {"n": 7}}
    assert sorted((p.line, p.severity, p.message.split("，")[0]) for p in report.problems) == [
        (1, "error", "size（每页条数）应是 1–500 的整数"),
        (1, "error", "缺少必填字段 name（名称）"),
        (2, "error", "enabled（开关）应是 true 或 false"),
        (3, "error", "tags（标签）中有无效的值「c」"),
        (4, "error", "home.n（条数）应是不小于 1 的整数"),
        (4, "warning", "未知的字段「home.m」"),
        (5, "warning", "未知的字段「siez」"),
    ]
    assert closest("siez", schema.names) == "size" and closest("colour", schema.names) == ""


def test_docs_key_tables_are_generated_from_the_schema():
    """docs/formats.md and docs/check.md hold the tables scripts/docs_formats.py writes."""
    result = subprocess.run([sys.executable, str(REPO / "scripts/docs_formats.py"), "--check"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    script = runpy.run_path(str(REPO / "scripts/docs_formats.py"))
    formats = (REPO / "docs/formats.md").read_text(encoding="utf-8")
    for name in ("site.yaml", "_column.yaml", "front matter", "type:policy"):
        assert f"<!-- schema:{name} -->" in formats
    assert "| `page_size` | 列表每页条数 | integer |  | 20 | 1–500 |" in formats
    # a schema change shows up as a stale doc
    stale = formats.replace("| `page_size` | 列表每页条数 | integer |  | 20 | 1–500 |", "| `page_size` | 列表每页条数 | integer |  | 10 | 1–500 |")
    assert script["render"](stale) == formats
    assert re.search(r"<!-- schema:check -->\n\| key ", (REPO / "docs/check.md").read_text(encoding="utf-8"))
