"""``govsite new``: skeleton sites and pages with complete, commented front matter.

A skeleton site must build at once (no empty column, identity fields filled with clearly marked
placeholders), so an office starts from a working site and edits it. ``--kind`` (portal, department,
town) decides its structure: the standard column families a site of that kind must have (CO-6,
within CO-1's three levels and CO-2's eight channels), 信息公开 with its statutory parts (指南、
目录、年报 as the uniform template, 制度, 法定主动公开内容 with the kind's default sub-areas from
govsite.site.statutory, 依申请公开 with the application form), each column with a placeholder page
marked 待填写 so that ``govsite check`` names what is still to write.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pypinyin import Style, lazy_pinyin

from govsite.core.dates import DateError, build_now, format_datetime, site_zone
from govsite.core.slugs import slugify
from govsite.core.vocab import SITE_KINDS
from govsite.site.statutory import DEPARTMENT, PORTAL, STATUTORY_FOLDER, STATUTORY_TYPE, own_areas

SITE_YAML = """\
# 网站配置 — see docs/formats.md. Replace every value marked 待填写.
name: {name}（待填写：网站名称）
kind: {kind}                      # 网站类型：portal（政府门户）、department（部门）、town（街道、乡镇），见 docs/disclosure.md
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
channels: [{channels}]
# 互动交流和办事入口（待填写网址后去掉行首的 #）：
# interaction:
#   apply_url: https://ysqgk.example.gov.cn/      # 依申请公开在线申请平台
#   service_url: https://zwfw.example.gov.cn/     # 政务服务平台（办事服务）
#   consult_url: https://www.example.gov.cn/hdjl/ # 我要咨询
"""


@dataclass(frozen=True)
class Folder:
    """One column of the skeleton: folder, name, ColumnType, and the placeholder page it needs
    (CO-3: no empty column). ``kinds``: the site kinds that get it."""

    path: str
    name: str
    type: str
    order: int
    description: str
    kinds: tuple = SITE_KINDS
    views: tuple = ()
    page: str = "notice"          # notice | guide | rules | apply | annual | reprint


_P, _PD = (PORTAL,), (PORTAL, DEPARTMENT)
# the standard column families (CO-6, docs/check.md) as folders; 法定主动公开内容's sub-areas are
# added from govsite.site.statutory for the kind
FOLDERS = (
    Folder("gkxx", "概况信息", "概况信息", 5, "本地区概况、历史沿革、自然地理等概况信息", _P),
    Folder("zwdt", "政务动态", "政务动态", 10, "本单位政务动态"),
    Folder("zwdt/gzdt", "工作动态", "政务动态", 10, "本单位工作动态"),
    Folder("zwdt/tzgg", "通知公告", "通知公告", 20, "本单位通知公告"),
    Folder("xxgk", "政府信息公开", "信息公开目录", 20, "政府信息公开"),
    Folder("xxgk/xxgkzn", "信息公开指南", "信息公开指南", 10, "政府信息公开指南", page="guide"),
    Folder("xxgk/xxgkml", "信息公开目录", "信息公开目录", 20, "政府信息公开目录", views=("disclosure_catalogue",)),
    Folder("xxgk/xxgknb", "信息公开年报", "信息公开年报", 30, "政府信息公开工作年度报告", page="annual"),
    Folder("xxgk/xxgkzd", "信息公开制度", "信息公开制度", 40, "政府信息公开工作制度（主动公开、依申请公开、保密审查等）",
           page="rules"),
    Folder("xxgk/jgzn", "机构职能", "机构职能", 50, "机关职能、机构设置、办公地址、办公时间、联系方式"),
    Folder("xxgk/ldxx", "负责人信息", "负责人信息", 60, "负责人姓名、职务和分工"),
    Folder(f"xxgk/{STATUTORY_FOLDER}", STATUTORY_TYPE, STATUTORY_TYPE, 70,
           "依照《政府信息公开条例》第二十条、第二十一条主动公开的政府信息", views=("statutory_areas",)),
    Folder("xxgk/ysqgk", "依申请公开", "依申请公开", 80, "政府信息公开申请的渠道、程序和申请表",
           views=("application_form",), page="apply"),
    Folder("xxgk/gwyxx", "国务院信息转载", "国务院信息转载", 90, "转载国务院重要信息", _P, page="reprint"),
    Folder("zcwj", "政策文件", "政策文件", 30, "规章、行政规范性文件和其他政策文件", views=("policy_library",)),
    Folder("jdhy", "解读回应", "政策解读", 40, "政策解读和回应关切", _PD),
    Folder("jdhy/zcjd", "政策解读", "政策解读", 10, "政策解读", _PD),
    Folder("jdhy/hygz", "回应关切", "回应关切", 20, "回应社会关切", _PD),
    Folder("bsfw", "办事服务", "办事服务", 50, "办事指南和政务服务平台入口"),
    Folder("bsfw/bmwd", "便民问答", "办事服务", 10, "常见问题解答", _P),
    Folder("hdjl", "互动交流", "互动交流", 60, "留言咨询、意见征集"),
    Folder("hdjl/tsjb", "投诉举报", "互动交流", 10, "投诉举报渠道", _P),
    Folder("sjfb", "数据发布", "数据发布", 70, "统计数据和数据解读", _P),
    Folder("sjfb/sjkf", "数据开放", "数据开放", 10, "开放数据集", _P),
)
PAGE_TITLES = {"notice": "{name}栏目说明", "guide": "政府信息公开指南", "rules": "政府信息公开工作制度",
               "apply": "政府信息公开申请须知", "reprint": "国务院信息转载栏目说明", "annual": "{year}年政府信息公开工作年度报告（待填写）"}
PAGE_BODIES = {
    "notice": "本栏目发布{description}。\n\n待填写：请发布本栏目的实际信息，并删除本说明页。",
    "guide": ("## 主动公开\n\n本机关主动公开的政府信息，可在本网站“政府信息公开”频道查阅。\n\n"
              "## 依申请公开\n\n公民、法人或者其他组织可以依法申请获取相关政府信息，"
              "申请方式和申请表见“依申请公开”栏目。\n\n待填写：工作机构名称、办公地址、办公时间、联系电话。"),
    "rules": ("本栏目发布本机关政府信息公开工作制度：主动公开、依申请公开、保密审查、"
              "政策解读、考核评议和责任追究等。\n\n待填写：发布本机关的制度文件，并删除本说明页。"),
    "apply": ("## 申请方式\n\n可以通过在线申请平台、信函或者当面提出申请，申请表见本栏目"
              "“政府信息公开申请表”。\n\n## 申请内容\n\n申请应当包括：申请人的姓名或者名称、身份证明、联系方式；"
              "申请公开的政府信息的名称、文号或者便于查询的其他特征性描述；申请公开的政府信息的形式要求。"
              "\n\n## 答复期限\n\n能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复；"
              "需要延长的，延长期限最长不超过20个工作日。\n\n待填写：受理机构、地址、邮编和电话。"),
    "reprint": ("本栏目转载国务院重要政策和信息。每篇转载写明 reprint: 下的原文网址、来源网站和原文发布时间。"
                "\n\n待填写：转载第一条信息后删除本说明页。"),
    "annual": "待填写：总体情况（年报第一部分）。其余各部分的数字写在本文件开头的 active、requests、appeals 中。",
}
ANNUAL_FIELDS = """type: annual_report
year: {year}
# 二、主动公开：本年处理决定数量和收费金额（万元）；规章、行政规范性文件由政策文件自动统计
active: {{licensing: 0, penalty: 0, enforcement: 0, fees: 0}}
# 三、依申请公开：每行 6 个数 = 自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他（见 docs/disclosure.md）
requests:
  received: [0, 0, 0, 0, 0, 0]
  carried_over: [0, 0, 0, 0, 0, 0]
  results:
    public: [0, 0, 0, 0, 0, 0]
  carried_forward: [0, 0, 0, 0, 0, 0]
# 四、行政复议、行政诉讼：结果维持、结果纠正、其他结果、尚未审结
appeals: {{review: [0, 0, 0, 0], direct_suit: [0, 0, 0, 0], suit_after_review: [0, 0, 0, 0]}}
problems: 待填写：存在的主要问题及改进情况
other: 待填写：其他需要报告的事项（包括收取信息处理费的情况）
"""

REPRINT_FIELDS = """reprint:                    # 转载：原文网址、来源网站、原文发布时间
  original_url: https://www.gov.cn/
  original_site: 中国政府网
  original_published: "{date}"
"""

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
{fields}---

{body}
"""


class ScaffoldError(Exception):
    """Something `govsite new` cannot do (message in English, the CLI prints it)."""


def folders(kind: str) -> list[Folder]:
    """The skeleton's columns for a site of ``kind``: the standard families, then 法定主动公开内容's
    default sub-areas (条例 第二十条、第二十一条, govsite.site.statutory) under its folder."""
    out = [f for f in FOLDERS if kind in f.kinds]
    for n, area in enumerate(own_areas(kind)):
        out.append(Folder(f"xxgk/{STATUTORY_FOLDER}/{area.key}", area.name, area.column_type, 10 * (n + 1),
                          f"依据{area.basis}公开的{area.name}信息"))
    return out


def _column_yaml(f: Folder) -> str:
    text = f"name: {f.name}\ntype: {f.type}\ndescription: {f.description}\nkeywords: [{f.name}]\norder: {f.order}\n"
    if f.views:
        text += f"views: [{', '.join(f.views)}]\n"
    return text


def create_site(project: Path, name: str, kind: str = PORTAL) -> list[Path]:
    project = Path(project)
    if not re.match(r"^[a-z0-9][a-z0-9_-]*$", name):
        raise ScaffoldError("site name must use lower-case letters, digits, - and _ (it becomes a folder name)")
    if kind not in SITE_KINDS:
        raise ScaffoldError(f"--kind must be one of: {', '.join(SITE_KINDS)}")
    site_dir, content = project / "sites" / name, project / "content" / name
    if site_dir.exists() or content.exists():
        raise ScaffoldError(f"{site_dir} or {content} already exists")
    columns = folders(kind)
    channels = [f.path for f in columns if "/" not in f.path]
    created = []
    site_dir.mkdir(parents=True)
    (site_dir / "site.yaml").write_text(SITE_YAML.format(name=name, kind=kind, channels=", ".join(channels)),
                                        encoding="utf-8")
    created.append(site_dir / "site.yaml")
    now = build_now(None, site_zone("Asia/Shanghai"))
    date = format_datetime(now)
    for f in columns:
        folder = content / f.path
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "_column.yaml").write_text(_column_yaml(f), encoding="utf-8")
        created.append(folder / "_column.yaml")
        if any(g.path.startswith(f.path + "/") for g in columns) and f.page == "notice":
            continue            # a column with sub-columns is not empty: its pages are below
        title = PAGE_TITLES[f.page].format(name=f.name, year=now.year - 1)
        fields = {"annual": ANNUAL_FIELDS.format(year=now.year - 1),
                  "reprint": REPRINT_FIELDS.format(date=date)}.get(f.page, "")
        body = PAGE_BODIES[f.page].format(description=f.description)
        path = folder / ("annual-report.md" if f.page == "annual" else "about.md")
        path.write_text(PAGE_TEMPLATE.format(title=title, date=date, source="待填写：主办单位", fields=fields, body=body),
                        encoding="utf-8")
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
    path.write_text(PAGE_TEMPLATE.format(title=title_yaml, date=date, source="", fields="", body="正文。"), encoding="utf-8")
    return path
