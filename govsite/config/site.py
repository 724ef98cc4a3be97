"""Site configuration: ``sites/<site>/site.yaml`` → :class:`SiteConfig`.

The identity fields (SPEC ID-1) are required because the footer (LY-3) and the site meta tags
(MT-1) must never be empty; a missing one is reported with its line and a hint.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode
from dataclasses import dataclass, field
from pathlib import Path

from govsite.core.dates import DateError, parse_datetime, site_zone
from govsite.core.errors import Report
from govsite.core.source import as_list, key_line, read_yaml_file
from govsite.core.vocab import COLUMN_TYPES

SITE_CODE_RE = re.compile(r"^(bm\d{8}|\d{10})$")
PSB_RE = re.compile(r"(\d{14})")
REQUIRED = {
    "name": "网站名称",
    "domain": "网站域名",
    "base_url": "网站地址（如 https://www.example.gov.cn/）",
    "site_code": "政府网站标识码",
    "sponsor": "主办单位",
    "icp": "ICP备案编号",
    "psb": "公安机关备案号",
    "conac": "党政机关网站标识链接",
}



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
    operator: str = ""
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
    migration: dict | None = None
    strict_meta: bool = False
    strict_alt: bool = False                        # images without alt text: error instead of warning
    qr_code: bool = False                           # 扫一扫在手机打开: a QR code of each page's URL
    outbound_allow: tuple = ()                      # non-gov.cn hosts linked without a leaving notice (LK-2)
    embed_hosts: tuple = ()                         # hosts whose pages content may frame (<iframe>)
    syndication: bool = True                        # export/feed.json and export/rss.xml (govsite.syndication)
    raw: dict = field(default_factory=dict)
    text: str = ""

    def line_of(self, key: str) -> int:
        return key_line(self.text, key)

    @property
    def psb_code(self) -> str:
        """The 14 digits of the 公安备案号, for its query link."""
        match = PSB_RE.search(self.psb)
        return match.group(1) if match else ""

    def error_report_url(self, page_url: str) -> str:
        """「我为政府网站找错」 link (SPEC LY-3) carrying the site code and the page address."""
        return ("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?"
                + urlencode({"site_code": self.site_code, "url": page_url}))

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
    read = read_yaml_file(path, report)
    if read is None:
        return None
    text, data = read
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report.error(path, 1, "site.yaml 的内容应是键值映射（key: value）", "参照 docs/formats.md 中的 site.yaml 示例")
        return None
    cfg.raw, cfg.text = data, text

    for name, label in REQUIRED.items():
        value = data.get(name)
        if value is None or str(value).strip() == "":
            report.error(path, cfg.line_of(name), f"[ID-1] 缺少必填项 {name}（{label}）",
                         f"在 site.yaml 中填写 {name}: …", rule="ID-1")
        else:
            setattr(cfg, name, str(value).strip())
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

    contact = data.get("contact") or {}
    if not isinstance(contact, dict):
        report.error(path, cfg.line_of("contact"), "contact 应是映射（address、phone、email、postcode）",
                     "参照 docs/formats.md")
        contact = {}
    cfg.contact = {k: str(v).strip() for k, v in contact.items() if v is not None and str(v).strip()}
    for need, label in (("address", "地址"), ("phone", "电话")):
        if need not in cfg.contact:
            report.error(path, cfg.line_of("contact"), f"[ID-1] 联系方式缺少 contact.{need}（{label}）",
                         f"在 contact 下填写 {need}: …", rule="ID-1")

    for name in ("operator", "conac_image", "logo", "description", "language", "theme", "timezone"):
        if data.get(name) not in (None, ""):
            setattr(cfg, name, str(data[name]).strip())

    if not theme_folder(project, cfg.theme).is_dir():
        report.error(path, cfg.line_of("theme"), f"主题「{cfg.theme}」不存在", "删除 theme 一行以使用默认主题，或检查 themes/ 目录")
    cfg.keywords = as_list(data.get("keywords"))
    cfg.strict_meta = bool(data.get("strict_meta", False))
    cfg.outbound_allow = tuple(as_list(data.get("outbound_allow")))
    cfg.strict_alt = bool(data.get("strict_alt", False))
    cfg.qr_code = data.get("qr_code", False) is True
    cfg.syndication = data.get("syndication", True)
    if not isinstance(cfg.syndication, bool):
        report.error(path, cfg.line_of("syndication"), f"syndication 应是 true 或 false，现为 {cfg.syndication!r}",
                     "不向门户报送（不生成 export/）时写 syndication: false；默认生成")
        cfg.syndication = True
    html = data.get("html") or {}
    if not isinstance(html, dict):
        report.error(path, cfg.line_of("html"), "html 应是映射（embed_hosts：允许嵌入的网站域名）",
                     "例如 html: {embed_hosts: [v.example.gov.cn]}")
    else:
        cfg.embed_hosts = tuple(as_list(html.get("embed_hosts")))
    try:
        site_zone(cfg.timezone)
    except DateError as exc:
        report.error(path, cfg.line_of("timezone"), str(exc), "例如 timezone: Asia/Shanghai")
        cfg.timezone = "Asia/Shanghai"

    content = data.get("content")
    cfg.content = (project / str(content)) if content else (project / "content" / key)
    if not cfg.content.is_dir():
        report.error(path, cfg.line_of("content") if content else 1,
                     f"内容目录 {cfg.content} 不存在", "创建该目录，或在 site.yaml 中用 content: 指定内容目录")

    if data.get("channels") is not None:
        channels = data["channels"]
        if not isinstance(channels, list) or not all(isinstance(c, (str, int)) for c in channels):
            report.error(path, cfg.line_of("channels"), "channels 应是栏目目录名的列表",
                         "例如 channels: [zwdt, xxgk, zcwj]")
        else:
            cfg.channels = [str(c).strip("/") for c in channels]

    extra_types = as_list(data.get("column_types"))
    cfg.column_types = tuple(COLUMN_TYPES) + tuple(t for t in extra_types if t not in COLUMN_TYPES)

    size = data.get("page_size", 20)
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= 500:
        report.error(path, cfg.line_of("page_size"), f"page_size 应是 1–500 的整数，现为 {size!r}", "例如 page_size: 20")
    else:
        cfg.page_size = size

    home = data.get("home") or {}
    if not isinstance(home, dict):
        report.error(path, cfg.line_of("home"), "home 应是映射（blocks、block_size、reprint_column）", "参照 docs/formats.md")
        home = {}
    if "blocks" in home and not (isinstance(home["blocks"], list)
                                 and all(isinstance(b, (str, int)) for b in home["blocks"])):
        report.error(path, cfg.line_of("home"), "home.blocks 应是栏目路径的列表", "例如 blocks: [zwdt/gzdt, zwdt/tzgg]")
        home = {k: v for k, v in home.items() if k != "blocks"}
    size = home.get("block_size", 7)
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 50:
        report.error(path, cfg.line_of("home"), f"home.block_size 应是 1–50 的整数，现为 {size!r}", "例如 block_size: 7")
        home = {k: v for k, v in home.items() if k != "block_size"}
    cfg.home = home

    migration = data.get("migration")
    if migration is not None:
        cfg.migration = _load_migration(migration, cfg, report)
    return cfg


def _load_migration(value, cfg: SiteConfig, report: Report) -> dict | None:
    """迁移公告 (SPEC AR-3): a notice, where content went, and a window of at least 30 days."""
    line = cfg.line_of("migration")
    if not isinstance(value, dict) or not value.get("notice"):
        report.error(cfg.file, line, "[AR-3] migration 需要 notice（公告文字）", "参照 docs/formats.md 的 migration 示例", rule="AR-3")
        return None
    result = {"notice": str(value["notice"]), "new_url": str(value.get("new_url") or "")}
    try:
        result["start"] = parse_datetime(value.get("start")) if value.get("start") else None
        result["end"] = parse_datetime(value.get("end")) if value.get("end") else None
    except Exception as exc:  # DateError or unexpected type
        report.error(cfg.file, line, f"[AR-3] migration 的日期无法识别：{exc}", "写成 YYYY-MM-DD", rule="AR-3")
        return None
    if result["start"] and result["end"] and (result["end"] - result["start"]).days < 30:
        report.error(cfg.file, line, "[AR-3] 迁移公告至少保留30天（end 距 start 不足30天）",
                     "把 end 设为 start 之后至少30天", rule="AR-3")
    return result
