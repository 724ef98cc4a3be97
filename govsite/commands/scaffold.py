"""``govsite new``: skeleton sites and pages with complete, commented front matter.

A skeleton site must build at once (no empty column, identity fields filled with clearly marked
placeholders), so an office starts from a working site and edits it.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from pypinyin import Style, lazy_pinyin

from govsite.core.dates import DateError, build_now, format_datetime, site_zone
from govsite.core.slugs import slugify

SITE_YAML = """\
# 网站配置 — see docs/formats.md. Replace every value marked 待填写.
name: {name}（待填写：网站名称）
domain: www.example.gov.cn
base_url: https://www.example.gov.cn/
site_code: "0000000000"          # 政府网站标识码（待填写）
sponsor: 待填写：主办单位
operator: 待填写：承办单位
contact:
  address: 待填写：地址
  phone: 待填写：电话
  email: webmaster@example.gov.cn
  postcode: "000000"
icp: 待填写ICP备00000000号
psb: 待填写公网安备00000000000000号
conac: https://bszs.conac.cn/sitename?method=show&id=0
keywords: [政务公开, 政务服务]
language: zh-CN
theme: default
channels: [zwdt, xxgk]
"""

COLUMNS = {
    "zwdt": "name: 政务动态\ntype: 政务动态\ndescription: 本单位政务动态\nkeywords: [政务动态]\norder: 10\n",
    "zwdt/gzdt": "name: 工作动态\ntype: 政务动态\ndescription: 本单位工作动态\nkeywords: [工作动态]\norder: 10\n",
    "zwdt/tzgg": "name: 通知公告\ntype: 通知公告\ndescription: 本单位通知公告\nkeywords: [通知公告]\norder: 20\n",
    "xxgk": "name: 信息公开\ntype: 信息公开目录\ndescription: 政府信息公开\nkeywords: [信息公开]\norder: 20\n",
    "xxgk/xxgkzn": "name: 信息公开指南\ntype: 信息公开指南\ndescription: 政府信息公开指南\nkeywords: [信息公开指南]\norder: 10\n",
}

PAGE_TEMPLATE = """\
---
title: {title}
date: {date}
source: {source}            # 信息来源（不填则取栏目或主办单位）
author:                     # 作者（不填则取栏目或主办单位）
keywords: []                # 关键词，例如 [营商环境, 政务服务]
description:                # 摘要（不填则取正文前120字）
# image: photo.jpg          # 代表图片，放在本文件同一目录
# top: 1                    # 置顶
# draft: true               # 草稿，不发布
# publish: {date}    # 定时发布
# expire: 2099-12-31 23:59  # 到期下线
# archived: {date}   # 归档（显示“已归档”和归档时间）
---

{body}
"""


class ScaffoldError(Exception):
    """Something `govsite new` cannot do (message in English, the CLI prints it)."""


def create_site(project: Path, name: str) -> list[Path]:
    project = Path(project)
    if not re.match(r"^[a-z0-9][a-z0-9_-]*$", name):
        raise ScaffoldError("site name must use lower-case letters, digits, - and _ (it becomes a folder name)")
    site_dir, content = project / "sites" / name, project / "content" / name
    if site_dir.exists() or content.exists():
        raise ScaffoldError(f"{site_dir} or {content} already exists")
    created = []
    site_dir.mkdir(parents=True)
    (site_dir / "site.yaml").write_text(SITE_YAML.format(name=name), encoding="utf-8")
    created.append(site_dir / "site.yaml")
    for folder, text in COLUMNS.items():
        (content / folder).mkdir(parents=True, exist_ok=True)
        (content / folder / "_column.yaml").write_text(text, encoding="utf-8")
        created.append(content / folder / "_column.yaml")
    now = format_datetime(build_now(None, site_zone("Asia/Shanghai")))
    samples = [
        ("zwdt/gzdt/welcome.md", "网站开通试运行", "本网站开始试运行。请在 content/ 目录中编写栏目和页面，运行 govsite build 生成网站。"),
        ("zwdt/tzgg/notice.md", "关于网站试运行的通知", "网站试运行期间，欢迎通过页面底部的联系方式提出意见和建议。"),
        ("xxgk/xxgkzn/guide.md", "政府信息公开指南", "## 主动公开\n\n本机关主动公开的政府信息，可在本网站“信息公开”频道查阅。\n\n"
                                                   "## 依申请公开\n\n公民、法人或者其他组织可以依法申请获取相关政府信息。"),
    ]
    for rel, title, body in samples:
        path = content / rel
        path.write_text(PAGE_TEMPLATE.format(title=title, date=now, source="待填写：主办单位", body=body), encoding="utf-8")
        created.append(path)
    return created


def _file_name(title: str, date: str) -> str:
    initials = "".join(lazy_pinyin(title, style=Style.FIRST_LETTER, errors="ignore"))
    stem = slugify(initials)[:24] or "page"
    return f"{date[:10]}-{stem}"


def _site_timezone(path: Path) -> str:
    """The site's timezone for the page date; the default when site.yaml does not say (or is broken)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return str(data.get("timezone") or "Asia/Shanghai")
    except (OSError, ValueError, AttributeError, yaml.YAMLError):
        return "Asia/Shanghai"


def create_page(project: Path, site: str | None, column_path: str, title: str, now: str | None) -> Path:
    project = Path(project)
    sites = sorted(p.name for p in (project / "sites").glob("*") if (p / "site.yaml").is_file())
    if site is None:
        if len(sites) != 1:
            raise ScaffoldError("several sites exist; name one with --site" if sites else "no site found; run: govsite new site NAME")
        site = sites[0]
    if site not in sites:
        raise ScaffoldError(f"site '{site}' not found (sites: {', '.join(sites) or 'none'})")
    column = project / "content" / site / column_path.strip("/")
    if ".." in Path(column_path).parts:
        raise ScaffoldError("COLUMN_PATH must stay inside the content folder")
    if not (column / "_column.yaml").is_file():
        raise ScaffoldError(f"{column} is not a column (no _column.yaml); create the folder and its _column.yaml first")
    if not title.strip():
        raise ScaffoldError("TITLE must not be empty")
    try:
        date = format_datetime(build_now(now, site_zone(_site_timezone(project / "sites" / site / "site.yaml"))))
    except DateError as exc:
        raise ScaffoldError(f"--now: {exc}") from None
    stem = _file_name(title, date)
    path, n = column / f"{stem}.md", 2
    while path.exists():
        path, n = column / f"{stem}-{n}.md", n + 1
    title_yaml = title if re.match(r"^[^\s\"'#:\[\]{}&*!|>%@`,-][^#:]*$", title) else '"' + title.replace('"', '\\"') + '"'
    path.write_text(PAGE_TEMPLATE.format(title=title_yaml, date=date, source="", body="正文。"), encoding="utf-8")
    return path
