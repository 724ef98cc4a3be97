"""Site configuration: ``sites/<site>/site.yaml`` → :class:`SiteConfig`.

The identity fields (SPEC ID-1) are required because the footer (LY-3) and the site meta tags
(MT-1) must never be empty; a missing one is reported with its line and a hint. Every key is
declared once in :data:`SITE` (type, default, range, 中文名, hint): :func:`load_site` parses the
file once, validates it against the schema (all problems at once, unknown keys as warnings naming
the closest key) and builds :class:`SiteConfig`; what remains here needs more than one key or the
file system (theme folder, content folder, migration window).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from govsite.config.schema import ANY, BOOL, DATE, INT, LIST, MAP, RECORDS, TEXT, Field, Schema, validate
from govsite.config.units import CODE_HINT, UNIT, check_code, load_units
from govsite.core.dates import DateError, site_zone
from govsite.core.errors import Report
from govsite.core.source import KeyLines, read_yaml
from govsite.core.vocab import COLUMN_TYPES, SITE_KINDS

SITE_CODE_RE = re.compile(r"^(bm\d{8}|\d{10})$")
PSB_RE = re.compile(r"(\d{14})")

CONTACT = Schema("contact", (
    Field("address", TEXT, "地址", "例如 address: 景澜区明湖路1号", required=True, rule="ID-1"),
    Field("phone", TEXT, "电话", "例如 phone: 0000-12345678", required=True, rule="ID-1"),
    Field("email", TEXT, "电子邮箱", "例如 email: zwgk@example.gov.cn"),
    Field("postcode", TEXT, "邮政编码", '例如 postcode: "300000"（加引号）'),
))
# 首页区块 (home.blocks): a column path is a list block as before; a mapping names a block kind
BLOCK_KINDS = ("headline", "tabs", "services", "leaders", "interaction", "topics", "links", "reposts", "newmedia")
URL_PATTERN = r"(https?://[^\s/]+[^\s]*|mailto:[^\s@]+@[^\s@]+|/[^\s]*)"   # absolute, mailto: or root-relative
_URL_DOC = "https://… (or http://), mailto:… or a /path"
_URL_HINT = "写完整网址，例如 https://www.example.gov.cn/hdjl/ ；邮件写 mailto:xxx@example.gov.cn"
SERVICE_ITEM = Schema("home.blocks[].items", (
    Field("name", TEXT, "入口名称", "例如 name: 社保卡申领", required=True, rule="LY-4"),
    Field("url", TEXT, "入口网址", _URL_HINT, required=True, pattern=URL_PATTERN, rule="LK-1", doc=_URL_DOC),
    Field("online", BOOL, "全程网办", default=False, doc="true: 全程网办, listed first"),
))
BLOCK = Schema("home.blocks[]", (
    Field("block", TEXT, "区块类别", "可选：" + "、".join(BLOCK_KINDS), required=True, choices=BLOCK_KINDS,
          rule="LY-4", doc="the block kind"),
    Field("columns", LIST, "区块栏目", "例如 columns: [zwdt/gzdt, zwdt/tzgg]", rule="LY-4",
          doc="column paths the block takes its pages from (headline, tabs, services, leaders, interaction, reposts)"),
    Field("title", TEXT, "区块标题", "例如 title: 要闻动态", doc="default: the block kind's name (要闻, 办事服务 …)"),
    Field("size", INT, "条数", "例如 size: 7", minimum=1, maximum=50, doc="default: home.block_size"),
    Field("items", RECORDS, "办事入口", "例如 items: [{name: 社保卡申领, url: https://…, online: true}]",
          keys=SERVICE_ITEM, doc="services: a configured list of entrances instead of service columns"),
), style="plain", missing="缺少必填项 {key}（{label}）", noun="键")
HOME = Schema("home", (
    Field("blocks", ANY, "首页区块", "例如 blocks: [zwdt/gzdt, {block: headline, columns: [zwdt/gzdt]}]",
          keys=BLOCK, checked_by="govsite.config.site",
          doc="column paths (list blocks) and blocks {block: KIND, …}, in page order (default: each channel)"),
    Field("block_size", INT, "每个区块的条数", "例如 block_size: 7", default=7, minimum=1, maximum=50),
    Field("reprint_column", TEXT, "国务院信息转载栏目", "例如 reprint_column: xxgk/gwyxx", doc="the 国务院信息转载 block"),
))
MIGRATION = Schema("migration", (
    Field("notice", TEXT, "公告文字", "参照 docs/formats.md 的 migration 示例", required=True, rule="AR-3"),
    Field("new_url", TEXT, "新网址", "例如 new_url: https://www.example.gov.cn/"),
    Field("start", DATE, "公告开始日期", "写成 YYYY-MM-DD", rule="AR-3"),
    Field("end", DATE, "公告结束日期", "写成 YYYY-MM-DD", rule="AR-3", doc="at least 30 days after start"),
))
HTML = Schema("html", (
    Field("embed_hosts", LIST, "允许嵌入的网站域名", "例如 html: {embed_hosts: [v.example.gov.cn]}",
          doc="hosts whose pages content may frame (<iframe>)"),
))
INTERACTION = Schema("interaction", (
    Field("letter_url", TEXT, "我要写信", _URL_HINT, pattern=URL_PATTERN, rule="LK-1", doc="写信 (区长信箱) form; " + _URL_DOC),
    Field("consult_url", TEXT, "我要咨询（留言）", _URL_HINT, pattern=URL_PATTERN, rule="LK-1",
          doc="consultation; articles link 我要留言 with their address; " + _URL_DOC),
    Field("complaint_url", TEXT, "我要投诉", _URL_HINT, pattern=URL_PATTERN, rule="LK-1", doc=_URL_DOC),
    Field("apply_url", TEXT, "依申请公开", _URL_HINT, pattern=URL_PATTERN, rule="LK-1", doc=_URL_DOC),
    Field("hotline", TEXT, "热线电话", "例如 hotline: \"12345\"（加引号）", doc="e.g. 12345"),
    Field("service_url", TEXT, "政务服务平台", _URL_HINT, pattern=URL_PATTERN, rule="LK-1",
          doc="the 政务服务 platform (政务服务网) where the site's services are done (CK-6); " + _URL_DOC),
))
LINK_ITEM = Schema("links[].items", (
    Field("name", TEXT, "网站名称", "例如 name: 中国政府网", required=True, rule="LK-1"),
    Field("url", TEXT, "网址", "例如 url: https://www.gov.cn/", required=True, pattern=URL_PATTERN, rule="LK-1",
          doc=_URL_DOC),
))
LINK_GROUP = Schema("links[]", (
    Field("group", TEXT, "分组名称", "例如 group: 政府网站", required=True, rule="LK-1"),
    Field("items", RECORDS, "链接", "例如 items: [{name: 中国政府网, url: https://www.gov.cn/}]", required=True,
          rule="LK-1", keys=LINK_ITEM),
))
NEWMEDIA = Schema("newmedia[]", (
    Field("name", TEXT, "账号名称", "例如 name: 景澜发布（微信公众号）", required=True, rule="LY-4"),
    Field("image", TEXT, "二维码图片", "写 sites/<site>/static/ 下的文件，例如 image: img/wechat-qr.svg",
          required=True, rule="LK-1", doc="file under sites/<site>/static/"),
    Field("alt", TEXT, "图片说明", doc="default: 「<name>二维码」"),
    Field("url", TEXT, "账号网址", _URL_HINT, pattern=URL_PATTERN, rule="LK-1", doc=_URL_DOC),
))
# 三审和保密审查 (review trail, CK-1.review; govsite.site.review) and 政府公报 (GK-5.gazette)
REVIEW = Schema("review", (
    Field("required", BOOL, "要求每个页面都有三审和保密审查记录", default=False, rule="CK-1.review",
          doc="true: a page without its full review: trail is a build error and is not published"),
    Field("export", BOOL, "报送导出文件包含审查记录", default=False, rule="CK-1.review",
          doc="true: export/feed.json carries each page's trail (never the public pages)"),
))
GRACE_DAYS = 30
GAZETTE = Schema("gazette", (
    Field("grace_days", INT, "文件成文后刊登公报的宽限天数", "例如 gazette: {grace_days: 30}", default=GRACE_DAYS, minimum=0,
          maximum=366, rule="GK-5.gazette",
          doc="应登尽登: a 规章 / 行政规范性文件 signed fewer days ago is not yet due in an issue"),
))
SITE = Schema("site.yaml", (
    Field("name", TEXT, "网站名称", "在 site.yaml 中填写 name: …", required=True, rule="ID-1"),
    Field("domain", TEXT, "网站域名", "在 site.yaml 中填写 domain: …", required=True, rule="ID-1"),
    Field("base_url", TEXT, "网站地址（如 https://www.example.gov.cn/）", "在 site.yaml 中填写 base_url: …",
          required=True, rule="ID-1", doc="absolute URL of the site root, may have a sub-path"),
    Field("site_code", TEXT, "政府网站标识码", "在 site.yaml 中填写 site_code: …", required=True, rule="ID-1",
          doc="10 digits, or bm and 8 digits; quote it"),
    Field("sponsor", TEXT, "主办单位", "在 site.yaml 中填写 sponsor: …", required=True, rule="ID-1"),
    Field("org_code", TEXT, "本站机关的统一社会信用代码或组织机构代码", CODE_HINT, rule="GK-5",
          doc="the code (GB 32100 or GB 11714, check character verified) of the organ the site speaks for: "
              "the 索引号 prefix of pages outside any unit (docs/units.md)"),
    Field("units", RECORDS, "单位（部门、街道的信息公开专栏）", "参照 docs/units.md 的 units 示例", keys=UNIT,
          rule="GK-5", doc="units publishing inside this site; `unit: KEY` in a _column.yaml (docs/units.md)"),
    Field("categories", LIST, "增加的主题分类", "例如 categories: [综合政务／营商环境]",
          doc="主题分类 added to the vocabulary: 主题 or 主题／子主题 (docs/units.md)"),
    Field("kind", TEXT, "网站类型", "可选：portal（政府门户）、department（部门）、town（街道、乡镇）", default="portal",
          choices=SITE_KINDS, rule="CO-6", doc="portal, department or town: the standard columns it must have (CO-6)"),
    Field("operator", TEXT, "承办单位"),
    Field("editor", TEXT, "责任编辑", "写成 editor: 姓名或部门，例如 editor: 区政府办公室信息科",
          doc="责任编辑 of pages whose column names none (none: not shown)"),
    Field("contact", MAP, "联系方式", "在 site.yaml 中填写 contact: 下的 address 和 phone", required=True,
          rule="ID-1", keys=CONTACT),
    Field("icp", TEXT, "ICP备案编号", "在 site.yaml 中填写 icp: …", required=True, rule="ID-1"),
    Field("psb", TEXT, "公安机关备案号", "在 site.yaml 中填写 psb: …", required=True, rule="ID-1",
          doc="must contain the 14-digit code"),
    Field("conac", TEXT, "党政机关网站标识链接", "在 site.yaml 中填写 conac: …", required=True, rule="ID-1"),
    Field("conac_image", TEXT, "党政机关网站标识图片", doc="file under sites/<site>/static/; the theme ships a placeholder"),
    Field("logo", TEXT, "网站标志", doc="file under sites/<site>/static/ (else the theme's)"),
    Field("keywords", LIST, "网站关键词", doc="last fallback of Keywords"),
    Field("description", TEXT, "网站描述"),
    Field("language", TEXT, "网站语言", default="zh-CN"),
    Field("language_label", TEXT, "本语言版本的名称", "例如 language_label: 中文", default="中文",
          doc="the main language's name in the language switch"),
    Field("theme", TEXT, "主题", "删除 theme 一行以使用默认主题，或检查 themes/ 目录", default="default",
          doc="themes/<theme>/ of the project, else a bundled theme"),
    Field("content", TEXT, "内容目录", "例如 content: content/demo", doc="default content/<site>"),
    Field("channels", LIST, "频道（顶层栏目目录名）", "例如 channels: [zwdt, xxgk, zcwj]",
          doc="ordered top-level column folders shown as 频道 (≤ 8, CO-2); default: every top-level column by order"),
    Field("timezone", TEXT, "时区", "例如 timezone: Asia/Shanghai", default="Asia/Shanghai"),
    Field("column_types", LIST, "增加的栏目类别", "例如 column_types: [党建工作]",
          doc="ColumnType values added to the vocabulary (CO-7)"),
    Field("page_size", INT, "列表每页条数", "例如 page_size: 20", default=20, minimum=1, maximum=500),
    Field("home", MAP, "首页布局", "参照 docs/formats.md", keys=HOME),
    Field("interaction", MAP, "互动交流入口", "参照 docs/formats.md 的 interaction 示例", keys=INTERACTION,
          doc="我要写信, consultation, complaint, 依申请公开 and the hotline: header, home, 我要写信 page"),
    Field("links", RECORDS, "相关链接", "参照 docs/formats.md 的 links 示例", keys=LINK_GROUP,
          doc="grouped links on the home page and in the footer"),
    Field("newmedia", RECORDS, "政务新媒体", "参照 docs/formats.md 的 newmedia 示例", keys=NEWMEDIA,
          doc="accounts with QR images, for the newmedia block"),
    Field("migration", MAP, "迁移公告", "参照 docs/formats.md 的 migration 示例", rule="AR-3", keys=MIGRATION,
          doc="shown on the home page from start to end"),
    Field("strict_meta", BOOL, "严格检查继承的元数据", default=False, doc="true: report every inherited meta value (MT-4)"),
    Field("strict_alt", BOOL, "缺少替代文字算错误", default=False, doc="true: an image without alt text is an error"),
    Field("qr_code", BOOL, "显示本页二维码", default=False, doc="扫一扫在手机打开 on content and topic pages"),
    Field("outbound_allow", LIST, "不提示离开本站的外部网站", "例如 outbound_allow: [www.people.com.cn]",
          doc="non-gov.cn hosts linked without a leaving notice (LK-2)"),
    Field("syndication", BOOL, "生成报送导出文件",
          "不向门户报送（不生成 export/）时写 syndication: false；默认生成", default=True,
          doc="export/feed.json and export/rss.xml"),
    Field("html", MAP, "正文 HTML 设置", "例如 html: {embed_hosts: [v.example.gov.cn]}", keys=HTML),
    Field("check", MAP, "检查设置", checked_by="govsite.config.check", doc="see docs/check.md"),
    Field("colors", ANY, "主题颜色", checked_by="govsite.config.theme"),
    Field("search", ANY, "站内搜索设置", checked_by="govsite.search.build", doc="hot_words, synonyms"),
    Field("traditional", ANY, "繁体版", checked_by="govsite.render.variants", doc="prefix, profile"),
    Field("languages", ANY, "外文版", checked_by="govsite.site.languages", doc="see docs/languages.md"),
    Field("include", ANY, "资源库引用", checked_by="govsite.site.library", doc="see docs/multisite.md"),
    Field("disclosure", ANY, "政府信息公开设置", checked_by="govsite.site.types.disclosure",
          doc="require_attribute, index_prefix, column_types"),
    Field("review", MAP, "三审和保密审查", "例如 review: {required: true}", keys=REVIEW, rule="CK-1.review",
          doc="required, export: see docs/gazette-review.md"),
    Field("gazette", MAP, "政府公报设置", "例如 gazette: {grace_days: 30}", keys=GAZETTE, rule="GK-5.gazette",
          doc="grace_days: see docs/gazette-review.md"),
), style="plain", missing="缺少必填项 {key}（{label}）", noun="键")
REQUIRED = {f.name: f.label for f in SITE.fields if f.required and f.kind == TEXT}


@dataclass(frozen=True)
class ReviewSettings:
    """``review:`` (三审和保密审查): whether every published page must carry its trail, and
    whether the syndication export (never a public page) carries it."""

    required: bool = False
    export: bool = False


@dataclass(frozen=True)
class ServiceEntry:
    """A configured 办事入口 of the services block (``items:``); ``online``: 全程网办."""

    name: str
    url: str
    online: bool = False


@dataclass(frozen=True)
class BlockConfig:
    """One 首页区块 as site.yaml writes it: ``kind`` is ``list`` for a bare column path (today's
    format), else a :data:`BLOCK_KINDS` value. ``line`` is where it is written, for messages
    that need the resolved site (a column that does not exist, LY-4)."""

    kind: str
    columns: tuple = ()
    title: str = ""
    size: int | None = None
    items: tuple = ()                   # ServiceEntry
    line: int = 1


@dataclass(frozen=True)
class Interaction:
    """互动交流入口 (``interaction:``): where citizens write, ask, complain and apply for
    disclosure (依申请公开), and the hotline — a missing consultation channel is 单项否决 (CK-5)."""

    letter_url: str = ""
    consult_url: str = ""
    complaint_url: str = ""
    apply_url: str = ""
    hotline: str = ""
    service_url: str = ""           # 政务服务平台 (CK-6)

    def __bool__(self) -> bool:
        return any((self.letter_url, self.consult_url, self.complaint_url, self.apply_url, self.hotline))


@dataclass(frozen=True)
class LinkItem:
    name: str
    url: str


@dataclass(frozen=True)
class LinkGroup:
    """A group of 相关链接 (``links:``): 中国政府网, the city, departments, 街镇 …"""

    group: str
    items: tuple = ()                   # LinkItem


@dataclass(frozen=True)
class NewMedia:
    """A 政务新媒体 account: its name, QR image (under the site's static/) and its alt text."""

    name: str
    image: str
    alt: str
    url: str = ""


BUNDLED_THEMES = Path(__file__).resolve().parents[2] / "themes"   # themes that come with govsite


def theme_folder(project: Path, name: str) -> Path:
    """A theme in the project's ``themes/``, else one that comes with govsite."""
    own = Path(project) / "themes" / name
    return own if own.is_dir() else BUNDLED_THEMES / name

@dataclass
class SiteConfig:
    """Everything a site says about itself; plain data for the later stages and templates."""

    key: str
    dir: Path
    file: Path
    name: str = ""
    domain: str = ""
    base_url: str = ""
    site_code: str = ""
    sponsor: str = ""
    kind: str = "portal"                            # portal | department | town (core.vocab.SITE_KINDS)
    org_code: str = ""                              # the site's own organisation code (索引号 prefix), normalised
    units: tuple = ()                               # govsite.config.units.Unit: units publishing inside the site
    categories: tuple = ()                          # 主题分类 added to govsite.core.themes
    operator: str = ""
    editor: str = ""                                # 责任编辑 of pages that name none (column → site)
    contact: dict = field(default_factory=dict)
    icp: str = ""
    psb: str = ""
    conac: str = ""
    conac_image: str = ""
    logo: str = ""
    keywords: list = field(default_factory=list)
    description: str = ""
    language: str = "zh-CN"
    theme: str = "default"
    content: Path | None = None
    channels: list | None = None
    timezone: str = "Asia/Shanghai"
    column_types: tuple = COLUMN_TYPES
    page_size: int = 20
    home: dict = field(default_factory=dict)
    home_blocks: tuple = ()                         # BlockConfig, from home.blocks (empty: the default)
    interaction: Interaction = field(default_factory=Interaction)
    links: tuple = ()                               # LinkGroup
    newmedia: tuple = ()                            # NewMedia
    migration: dict | None = None
    strict_meta: bool = False
    strict_alt: bool = False                        # images without alt text: error instead of warning
    qr_code: bool = False                           # 扫一扫在手机打开: a QR code of each page's URL
    outbound_allow: tuple = ()                      # non-gov.cn hosts linked without a leaving notice (LK-2)
    embed_hosts: tuple = ()                         # hosts whose pages content may frame (<iframe>)
    syndication: bool = True                        # export/feed.json and export/rss.xml (govsite.syndication)
    review: ReviewSettings = field(default_factory=ReviewSettings)   # 三审和保密审查 (govsite.site.review)
    gazette_grace_days: int = GRACE_DAYS            # 应登尽登: days a document may wait for its 公报 issue
    raw: dict = field(default_factory=dict)
    text: str = ""
    lines: KeyLines = field(default_factory=KeyLines)   # line of every key, from the one parse

    def line_of(self, *path) -> int:
        """The site.yaml line of a key (``"home"``, or a path ``("check", "reply")``); 1 if absent."""
        return self.lines.line(*path)

    @property
    def psb_code(self) -> str:
        """The 14 digits of the 公安备案号, for its query link."""
        match = PSB_RE.search(self.psb)
        return match.group(1) if match else ""

    def error_report_url(self, page_url: str) -> str:
        """「我为政府网站找错」 link (SPEC LY-3) carrying the site code and the page address."""
        return ("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?"
                + urlencode({"site_code": self.site_code, "url": page_url}))

    def consult_link(self, page_url: str) -> str:
        """「我要留言」 on an article: the consultation channel carrying the page's address, so the
        reply desk knows which page the question is about; "" without ``interaction.consult_url``."""
        base = self.interaction.consult_url
        if not base:
            return ""
        return base + ("&" if "?" in base else "?") + urlencode({"url": page_url})

    @property
    def base_path(self) -> str:
        """The path part of ``base_url`` (``/`` or ``/sub/``), for root-relative links in 404.html."""
        rest = self.base_url.split("://", 1)[-1]
        return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def load_site(project: Path, key: str, report: Report) -> SiteConfig | None:
    """Read ``sites/<key>/site.yaml``. Problems go to ``report``; ``None`` when unusable."""
    site_dir = project / "sites" / key
    path = site_dir / "site.yaml"
    cfg = SiteConfig(key=key, dir=site_dir, file=path)
    if not path.is_file():
        report.error(site_dir, 0, f"站点「{key}」缺少 site.yaml", f"运行 govsite new site {key} 生成骨架")
        return None
    parsed = read_yaml(path, report)
    if parsed is None:
        return None
    data = {} if parsed.data is None else parsed.data
    if not isinstance(data, dict):
        report.error(path, 1, "site.yaml 的内容应是键值映射（key: value）", "参照 docs/formats.md 中的 site.yaml 示例")
        return None
    cfg.raw, cfg.text, cfg.lines = data, parsed.text, parsed.lines
    checked = validate(data, SITE, parsed.lines, path, report)
    values = checked.values
    for name in ("name", "domain", "base_url", "site_code", "sponsor", "icp", "psb", "conac", "operator", "editor",
                 "conac_image", "logo", "description", "language", "theme", "timezone", "kind"):
        if values[name] is not None:
            setattr(cfg, name, values[name])
    if cfg.site_code and not SITE_CODE_RE.match(cfg.site_code):
        report.error(path, cfg.line_of("site_code"),
                     f"[ID-1] 政府网站标识码「{cfg.site_code}」格式不对：应为10位数字，或 bm 加8位数字",
                     '例如 site_code: "1101020002"（加引号，避免前导 0 丢失）', rule="ID-1")
    if cfg.base_url:
        if not re.match(r"^https?://[^/\s]+", cfg.base_url):
            report.error(path, cfg.line_of("base_url"), f"base_url「{cfg.base_url}」不是绝对网址",
                         "写成 https://www.example.gov.cn/ 的形式")
        elif not cfg.base_url.endswith("/"):
            cfg.base_url += "/"
    if cfg.psb and not cfg.psb_code:
        report.error(path, cfg.line_of("psb"), f"[ID-1] 公安机关备案号「{cfg.psb}」中没有14位备案编码",
                     "例如 psb: 津公网安备12010102000001号", rule="ID-1")
    contact = data.get("contact")
    contact = contact if isinstance(contact, dict) else {}
    cfg.contact = {k: str(v).strip() for k, v in contact.items() if v is not None and str(v).strip()}

    if not theme_folder(project, cfg.theme).is_dir():
        report.error(path, cfg.line_of("theme"), f"主题「{cfg.theme}」不存在", SITE["theme"].hint)
    cfg.keywords = values["keywords"] or []
    cfg.strict_meta, cfg.strict_alt = values["strict_meta"], values["strict_alt"]
    cfg.qr_code, cfg.syndication = values["qr_code"], values["syndication"]
    review = values["review"] or {}
    cfg.review = ReviewSettings(bool(review.get("required")), bool(review.get("export")))
    grace = (values["gazette"] or {}).get("grace_days")
    cfg.gazette_grace_days = grace if isinstance(grace, int) else GRACE_DAYS
    cfg.outbound_allow = tuple(values["outbound_allow"] or ())
    cfg.embed_hosts = tuple((values["html"] or {}).get("embed_hosts") or ())
    try:
        site_zone(cfg.timezone)
    except DateError as exc:
        report.error(path, cfg.line_of("timezone"), str(exc), "例如 timezone: Asia/Shanghai")
        cfg.timezone = "Asia/Shanghai"

    content = values["content"]
    cfg.content = (project / content) if content else (project / "content" / key)
    if not cfg.content.is_dir():
        report.error(path, cfg.line_of("content") if content else 1,
                     f"内容目录 {cfg.content} 不存在", "创建该目录，或在 site.yaml 中用 content: 指定内容目录")
    if values["channels"] is not None:
        cfg.channels = [c.strip("/") for c in values["channels"]]
    extra_types = values["column_types"] or []
    cfg.column_types = tuple(COLUMN_TYPES) + tuple(t for t in extra_types if t not in COLUMN_TYPES)
    if values["org_code"]:
        cfg.org_code = check_code(values["org_code"], "本站机关", path, cfg.line_of("org_code"), report)
    cfg.units = load_units(values["units"], checked.bad, path, cfg.lines, report)
    cfg.categories = tuple(values["categories"] or ())
    cfg.page_size = values["page_size"]

    home = data.get("home")
    home = home if isinstance(home, dict) else {}
    cfg.home = {k: v for k, v in home.items() if f"home.{k}" not in checked.bad}
    if values["home"] and values["home"].get("blocks") is not None:
        cfg.home["blocks"] = values["home"]["blocks"]
        cfg.home_blocks = _load_blocks(values["home"]["blocks"], cfg, report)
    _load_citizen_entries(values, checked.bad, cfg)
    if values["migration"] is not None and not any(k.startswith("migration") for k in checked.bad):
        cfg.migration = _load_migration(values["migration"], cfg, report)
    return cfg


def _load_migration(value: dict, cfg: SiteConfig, report: Report) -> dict:
    """迁移公告 (SPEC AR-3): a notice, where content went, and a window of at least 30 days.
    Types and the required notice are checked by :data:`MIGRATION`; here the window."""
    result = {"notice": value["notice"], "new_url": value["new_url"] or "", "start": value["start"], "end": value["end"]}
    if result["start"] and result["end"] and (result["end"] - result["start"]).days < 30:
        report.error(cfg.file, cfg.line_of("migration"), "[AR-3] 迁移公告至少保留30天（end 距 start 不足30天）",
                     "把 end 设为 start 之后至少30天", rule="AR-3")
    return result


# kinds that need columns named in site.yaml, and the name of each kind in messages
_NEEDS_COLUMNS = ("headline", "tabs")
BLOCK_NAMES = {"headline": "要闻", "tabs": "选项卡", "services": "办事服务", "leaders": "领导之窗",
               "interaction": "互动交流", "topics": "专题专栏", "links": "相关链接", "reposts": "国务院信息转载",
               "newmedia": "政务新媒体"}


def _load_blocks(raw, cfg: SiteConfig, report: Report) -> tuple:
    """首页区块 (LY-4): each item of ``home.blocks`` is a column path (a list block, today's
    format) or a mapping ``{block: KIND, …}`` checked against :data:`BLOCK`. A bad block is
    reported and left out; whether the columns exist is known only once the site is resolved
    (:mod:`govsite.render.home`)."""
    path, lines = cfg.file, cfg.lines
    items = raw if isinstance(raw, list) else [raw]
    blocks = []
    for n, item in enumerate(items):
        line = lines.line("home", "blocks", n) if isinstance(raw, list) else lines.line("home", "blocks")
        if isinstance(item, (str, int)) and str(item).strip("/ "):
            blocks.append(BlockConfig("list", (str(item).strip().strip("/"),), line=line))
            continue
        if not isinstance(item, dict):
            report.error(path, line, f"[LY-4] home.blocks 第 {n + 1} 项应是栏目路径或 {{block: 类别, …}}",
                         "例如 - zwdt/gzdt 或 - {block: headline, columns: [zwdt/gzdt]}", rule="LY-4")
            continue
        checked = validate(item, BLOCK, lines, path, report, at=("home", "blocks", n))
        if checked.errors:
            continue
        v = checked.values
        kind = v["block"]
        columns = tuple(str(c).strip().strip("/") for c in (v["columns"] or ()) if str(c).strip("/ "))
        if kind in _NEEDS_COLUMNS and not columns:
            report.error(path, line, f"[LY-4] 首页区块 {kind}（{BLOCK_NAMES[kind]}）缺少 columns（区块栏目）",
                         f"例如 - {{block: {kind}, columns: [zwdt/gzdt, zwdt/tzgg]}}", rule="LY-4")
            continue
        entries = tuple(ServiceEntry(i["name"], i["url"], bool(i["online"])) for i in v["items"] or ())
        blocks.append(BlockConfig(kind, columns, v["title"] or "", v["size"], entries, line))
    return tuple(blocks)


def _load_citizen_entries(values: dict, bad: set, cfg: SiteConfig) -> None:
    """互动交流入口, 相关链接 and 政务新媒体 as checked by the schema (bad values are reported there
    and left out here, so one build lists every problem and renders nothing malformed)."""
    inter = values["interaction"] or {}
    cfg.interaction = Interaction(**{k: ("" if f"interaction.{k}" in bad else (inter.get(k) or ""))
                                     for k in INTERACTION.names})
    groups = []
    for n, group in enumerate(values["links"] or ()):
        items = tuple(LinkItem(i["name"], i["url"]) for m, i in enumerate(group["items"] or ())
                      if i["name"] and i["url"] and f"links[{n}].items[{m}].url" not in bad)
        if group["group"] and items:
            groups.append(LinkGroup(group["group"], items))
    cfg.links = tuple(groups)
    cfg.newmedia = tuple(NewMedia(m["name"], m["image"].lstrip("/"), m["alt"] or f"{m['name']}二维码",
                                  "" if f"newmedia[{n}].url" in bad else (m["url"] or ""))
                         for n, m in enumerate(values["newmedia"] or ()) if m["name"] and m["image"])
