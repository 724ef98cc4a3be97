"""The rule registry (规则目录): every rule id a govsite message prints, with what a user needs to know.

One entry per rule: its id, a Chinese title, the default severity, the **phase** it reads
(``source``: one file at a time — site.yaml, a front matter, a page's text; ``site``: the resolved
site as a whole — columns, dates, relations between pages; ``output``: the rendered pages), where
it is **enforced** (``build``: every ``govsite build`` reports it, whatever the ``check:`` settings
say; ``check``: a rule of ``govsite check``, at the severity ``check:`` gives it — ``govsite
build`` runs it too when that is ``error``), the ``check:`` keys that tune it, and one English
line. ``docs/rules.md`` is generated from this table (``scripts/docs_rules.py``), and a test
scans govsite/ so that no message cites an id that is not here.

Rule ids are the rule set's ids (``CO-3``; the table of them is :mod:`govsite.config.rule_set`);
where one rule of the set is checked in several ways that need their own severity, the id gets a
suffix (``LK-2.hidden``, ``GK-4.late``), and configuring the plain id (``LK-2``) in site.yaml sets
all of them. ``date`` marks rules whose verdict depends on today's date (freshness, deadlines):
``govsite build`` reports them as warnings at most, so a site that was valid when built keeps
building as the calendar moves. ``presence`` marks rules about a missing or unfinished part of
the site's structure (a standard column family, the 年报, a services entry, an identity value still
「待填写」, a map's 审图号): a missing part never stops publishing, so ``govsite build`` reports
them as warnings at most too, while ``govsite check`` reports them at their severity (an error by
default) — the ID-1 format errors of site.yaml itself (config/site.py) still stop a build.
``veto`` marks the 单项否决 items of 国办秘函〔2019〕19号: an error from one of them fails the
inspection outright.
"""
from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, INFO, OFF = "error", "warning", "info", "off"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}

SOURCE, SITE, OUTPUT = "source", "site", "output"
PHASES = (SOURCE, SITE, OUTPUT)
BUILD, CHECK, THEME = "build", "check", "theme"
ENFORCERS = (BUILD, CHECK)          # THEME is what the default theme shows (rule_set.py), not a rule here


@dataclass(frozen=True)
class Rule:
    id: str
    title: str                       # short Chinese title (reports, JUnit test names, docs)
    severity: str                    # default severity
    summary: str                     # one English line: what it checks (docs, --list-rules)
    phase: str = SOURCE              # source | site | output: what it reads
    enforced: tuple = (CHECK,)       # build and/or check
    settings: tuple = ()             # the check: keys that tune it
    date: bool = False               # depends on today's date → never fails a build
    presence: bool = False           # a missing part of the site's structure → never fails a build
    veto: bool = False               # 单项否决 item
    page: str = ""                   # the docs/ page that describes it in detail

    @property
    def spec(self) -> str:
        """The id in the rule set (``LK-2`` for ``LK-2.hidden``)."""
        return self.id.split(".", 1)[0]


_B, _C, _BC = (BUILD,), (CHECK,), (BUILD, CHECK)
_WD = ("workdays",)                  # working-day deadlines follow the site's calendar corrections

_RULES = [
    # --- site identity -------------------------------------------------------------------
    Rule("ID-1", "网站标识信息", ERROR,
         "site.yaml identity complete: name, domain, site code ^(bm\\d{8}|\\d{10})$, sponsor, contact, ICP, 公安备案, 党政机关标识",
         SOURCE, _BC, page="check.md"),
    Rule("ID-1.format", "网站标识信息格式", WARNING,
         "identity values look right: domain under gov.cn, base_url on that domain, ICP/公安备案 forms, site-code region prefix",
         SITE, page="check.md"),
    Rule("ID-1.valid", "网站标识信息有效", ERROR,
         "identity values are real: no bm site code on a local site, no placeholder (待填写, XXX …), "
         "no 党政机关标识 id=0, no 000000 code",
         SITE, presence=True, page="check.md"),
    Rule("ID-3", "网址唯一", ERROR,
         "every output address belongs to one source file (case-insensitive); names the site itself uses stay free",
         SITE, _B),
    Rule("ID-4", "商业广告内容", ERROR,
         "no advertising or commercial content: phrases from the commercial list, ad-network hosts in links and scripts",
         SOURCE, settings=("wording",), page="check.md"),
    # --- layout --------------------------------------------------------------------------
    Rule("LY-5", "色彩与对比度", ERROR,
         "site colours: one main and at most two auxiliary colours (#rrggbb); every text/background pair of the theme reaches 4.5:1",
         SOURCE, _B),
    Rule("LY-4", "首页布局", ERROR,
         "home.blocks: known block kinds ({block: headline|tabs|services|…}) naming columns that exist",
         SITE, _B, page="formats.md"),
    # --- columns -------------------------------------------------------------------------
    Rule("CO-1", "栏目层级", ERROR, "columns nest at most 3 levels deep", SITE, _BC, page="check.md"),
    Rule("CO-2", "频道数量", ERROR, "at most 8 channels (top-level navigation groups)", SITE, _BC, page="check.md"),
    Rule("CO-3", "空栏目", ERROR, "no empty column (no page anywhere below it); empty only by scheduling is a warning",
         SITE, _BC, page="check.md"),
    Rule("CO-4", "栏目更新", ERROR,
         "columns of a dynamic ColumnType have a page newer than its threshold (政务动态 14 days, 通知公告/政策文件 183 days)",
         SITE, settings=("freshness",), date=True, page="check.md"),
    Rule("CO-5", "专题专栏", ERROR, "a page's topics: name topic columns", SITE, _B, page="content-types.md"),
    Rule("CO-6", "标准栏目", ERROR,
         "the standard column families for the site's kind (portal, department, town) exist: one finding per "
         "missing family, naming the ColumnType to add",
         SITE, presence=True, page="check.md"),
    Rule("CO-6.leader", "负责人信息", ERROR,
         "leader pages (type: leader): required fields, photo file, references; one leader in charge of disclosure",
         SITE, _B, page="types-leaders.md"),
    Rule("CO-7", "栏目类别", ERROR, "a column's type is in the ColumnType vocabulary (site.yaml column_types extends it)",
         SOURCE, _B, page="formats.md"),
    Rule("CK-3", "首页更新", ERROR,
         "the newest item shown on the home page is at most 14 days old (单项否决: 首页不更新)",
         SITE, settings=("home_days",), date=True, veto=True, page="check.md"),
    Rule("CK-4", "栏目单项否决", ERROR,
         "不合格 column counts: ≥5 stale dynamic columns, ≥5 empty columns, or ≥10 columns not updated for a year",
         SITE, settings=("veto", "long_stale_days", "freshness"), date=True, veto=True, page="check.md"),
    # --- wording, dates, sources -----------------------------------------------------------
    Rule("CK-1", "严重表述错误", ERROR,
         "wording errors and forbidden expressions from the starter list and the site's own lists, with line and column",
         SOURCE, settings=("wording",), veto=True, page="check.md"),
    Rule("CK-1.date", "发布时间在未来", ERROR,
         "a published page dated after today without publish:/draft: (looks like a forged date)",
         SITE, date=True, veto=True, page="check.md"),
    Rule("CK-1.map", "地图审图号", ERROR,
         "a page that shows a map (map: true) gives its 审图号 (map_approval_no: GS(2024)1234号 …); "
         "a map without one is a 问题地图", SITE, presence=True, page="check.md"),
    Rule("CK-1.review", "三审和保密审查", ERROR,
         "with site.yaml review.required, every published page (reposts too) records drafted_by, reviewed_by, "
         "approved_by, secrecy_reviewed_by and secrecy_reviewed (a date not after publication); a written trail is "
         "well-formed on any site",
         SOURCE, _B, page="gazette-review.md"),
    Rule("CP-1", "信息来源", WARNING,
         "a page names its source (信息来源) itself or through its column, not only the site sponsor fallback; "
         "a page's type is known and its fields are well-formed",
         SITE, _BC, page="check.md"),
    Rule("CP-1.dup", "重复发布", WARNING,
         "no two pages with the same title in one column within 30 days", SITE, settings=("duplicate_days",),
         page="check.md"),
    Rule("CP-4", "转载来源", ERROR,
         "reposts (reprint:, 国务院信息转载 columns) name their source and link the original", SITE, _BC, page="check.md"),
    Rule("CP-4.lag", "转载时效", WARNING,
         "a repost is published within check.reprint_limit of the original (default 1 working day; e.g. 12h)",
         SITE, settings=("reprint_limit",) + _WD, page="check.md"),
    # --- archive ---------------------------------------------------------------------------
    Rule("AR-1", "页面归档", ERROR, "a page's archived: is a date-time, not just true", SOURCE, _B, page="content-types.md"),
    Rule("AR-2", "栏目归档", ERROR, "a column's archived: is a date-time, not just true", SOURCE, _B,
         page="content-types.md"),
    Rule("AR-3", "迁移公告", ERROR, "site.yaml migration: has a notice and readable dates, and stays at least 30 days",
         SOURCE, _B, page="content-types.md"),
    Rule("AR-4", "文件效力状态", ERROR,
         "an amended, repealed or expired policy names its basis or what replaces it", SITE, _B, page="content-types.md"),
    # --- meta tags (output) ----------------------------------------------------------------
    Rule("MT-1", "网站标签", ERROR, "SiteName, SiteDomain, SiteIDCode present and non-empty on every page",
         OUTPUT, page="check.md"),
    Rule("MT-2", "栏目标签", ERROR,
         "ColumnName, ColumnDescription, ColumnKeywords, ColumnType on column pages; ColumnName, ColumnType on content pages",
         OUTPUT, page="check.md"),
    Rule("MT-3", "内容页标签", ERROR,
         "ArticleTitle, PubDate, ContentSource, Keywords, Author, Description, Image, Url on content pages",
         OUTPUT, page="check.md"),
    Rule("MT-4", "网页标签格式", ERROR,
         "PubDate is YYYY-MM-DD HH:MM, SiteIDCode well-formed, Url absolute, ColumnType from the vocabulary; "
         "with strict_meta the build names inherited values",
         OUTPUT, _BC, page="check.md"),
    # --- links ---------------------------------------------------------------------------
    Rule("LK-1", "断链", ERROR,
         "internal links, anchors, images and attachments in the rendered output resolve; front-matter references exist",
         OUTPUT, _BC, page="check.md"),
    Rule("LK-1.scheduled", "链接到未发布页面", WARNING,
         "a link to a page that is a draft or not yet/no longer published at the check time", OUTPUT, date=True,
         page="check.md"),
    Rule("LK-1.redirect", "重定向", ERROR,
         "redirects.yaml entries are well-formed, and lead to a page the site publishes", SITE, _B, page="redirects.md"),
    Rule("LK-1.gone", "网址消失", WARNING,
         "a URL the last build published is gone without a redirect (urls.txt)", OUTPUT, _B, page="redirects.md"),
    Rule("LK-2", "外部链接", WARNING,
         "links to non-government hosts (not gov.cn, not the site, not on the allow-list) need review",
         SOURCE, settings=("outbound_allow",), page="check.md"),
    Rule("LK-2.hidden", "暗链", ERROR,
         "no hidden links to other hosts (hidden attribute, display:none, zero size, off-screen, empty text), "
         "in page sources and in the output", OUTPUT, _BC, page="check.md"),
    Rule("LK-3", "转载外链", ERROR,
         "links in a repost (reprint:, 国务院信息转载 columns) lead to the original's host or the site itself, "
         "with line and column", SITE, presence=True, page="check.md"),
    Rule("AX-1", "图片替代文字", WARNING,
         "images have alt text (in Markdown and in the output); videos in page bodies have a captions track",
         SOURCE, _BC, page="check.md"),
    Rule("LY-6", "视频音频", ERROR,
         "video and audio in page bodies play the site's own files (a relative path, copied with the page), "
         "with controls, never autoplay", SOURCE, _B, page="formats.md"),
    # --- disclosure (政务公开) -----------------------------------------------------------------
    Rule("GK-1", "公开目录关联", ERROR,
         "a catalogue's site_targets name columns or pages that exist and have published items", SITE, _B,
         page="content-types.md"),
    Rule("GK-1.report", "年报数据", ERROR,
         "an annual report (type: annual_report) gives the uniform format's figures as numbers, and they add up "
         "(总计 = (一)…(六); 新收 + 上年结转 = 办理结果总计 + 结转下年度)", SITE, _B, page="disclosure.md"),
    Rule("GK-1.present", "公开指南、目录、年报", ERROR,
         "the site has its 信息公开指南, 信息公开目录 and 信息公开年报; every unit with a 专栏 has its own 年报",
         SITE, presence=True, page="check.md"),
    Rule("GK-1.annual", "年报发布期限", ERROR,
         "last year's 年报 of the site and of each unit's 专栏 is out once its deadline has passed "
         "(1月31日 for departments and units, 3月31日 for the government's own report)",
         SITE, settings=("annual_report",), date=True, presence=True, page="check.md"),
    Rule("GK-1.late", "年报发布超期", WARNING,
         "a 年报 was published after its deadline", SITE, settings=("annual_report",), page="check.md"),
    Rule("GK-2", "目录事项要素", ERROR,
         "disclosure catalogue items (type: catalogue_item) state name, content, basis, time limit, subject and manner",
         SITE, _BC, page="check.md"),
    Rule("GK-2.reason", "不公开理由", ERROR,
         "依申请公开 / 不予公开 items give their reason (disclosure.reason)", SITE, page="check.md"),
    Rule("GK-3", "公开时限", ERROR,
         "disclosure deadlines in working days: unpublished items past created/updated + 20 working days, periodic catalogue items overdue",
         SITE, settings=("disclosure_days",) + _WD, date=True, page="check.md"),
    Rule("GK-3.late", "公开超时", WARNING,
         "an item was published more than its time limit (default 20 working days) after it was formed or changed",
         SITE, settings=("disclosure_days",) + _WD, page="check.md"),
    Rule("GK-4", "政策解读", ERROR,
         "a policy has an interpretation within 3 working days, or an exemption reason (no_interpretation_reason)",
         SITE, _BC, settings=("interpretation",) + _WD, date=True, page="check.md"),
    Rule("GK-4.late", "解读超时", WARNING,
         "the first interpretation came more than 3 working days after the policy", SITE,
         settings=("interpretation",) + _WD, page="check.md"),
    Rule("GK-5", "文号与索引号", ERROR,
         "policy documents carry their issuing number and consistent dates; index numbers (索引号) are unique and in "
         "the site's one format {issuer code}/{year}-{seq}; units and organisation codes (GB 32100/GB 11714) valid; "
         "主题分类 from the vocabulary",
         SITE, _B, page="units.md"),
    Rule("GK-5.issue", "政府公报期次", ERROR,
         "a 政府公报 issue (type: gazette) has its year, number and PDF, no other issue has its number, "
         "and every document it carries is a policy page of the site",
         SITE, _B, page="gazette-review.md"),
    Rule("GK-5.gazette", "应登尽登", ERROR,
         "on a site with a 政府公报 column, every published 规章 and 行政规范性文件 signed since the first issue's year "
         "appears in an issue of its year (or within gazette.grace_days of signing); documents younger than "
         "grace_days are not yet due",
         SITE, date=True, page="gazette-review.md"),
    Rule("P1", "分管政务公开负责人", WARNING,
         "among the current leaders of one column, exactly one has 政务公开 in in_charge_of (no id in the rule set yet)",
         SITE, _B, page="types-leaders.md"),
    # --- services --------------------------------------------------------------------------
    Rule("SV-1", "服务对象", ERROR, "a service guide's audience is 个人 and/or 法人", SOURCE, _B, page="types-services.md"),
    Rule("SV-2", "办事指南要素", ERROR,
         "service guides (type: service) state every element: basis, conditions, materials, place, time, fees, "
         "time limits, process; form files exist",
         SOURCE, _B, page="types-services.md"),
    Rule("SV-3", "在线办理深度", ERROR, "a service's online level is known and its addresses are complete and distinct",
         SOURCE, _B, page="types-services.md"),
    Rule("SV-4", "办事关联", ERROR, "a service guide's related policies and laws are pages that exist", SITE, _B,
         page="types-services.md"),
    # --- interaction, data -------------------------------------------------------------------
    Rule("IA-1", "留言答复时限", ERROR, "messages (type: reply) without a reply after 15 working days; reply fields well-formed",
         SITE, _BC, settings=("reply",) + _WD, date=True, page="check.md"),
    Rule("IA-1.late", "答复超时", WARNING, "replies given more than 15 working days after receipt (past year)",
         SITE, settings=("reply",) + _WD, date=True, page="check.md"),
    Rule("IA-2", "征集与公示", ERROR,
         "solicitations and notices (type: consultation, notice) state their period and publish their result",
         SITE, _B, page="types-interaction.md"),
    Rule("CK-5", "互动回应差", ERROR,
         "a message in the past year left unanswered for more than 3 months (单项否决)",
         SITE, settings=("reply",), date=True, veto=True, page="check.md"),
    Rule("CK-5.channel", "咨询渠道", WARNING,
         "the site has an interaction (互动交流) column, or links the platform's consultation channel "
         "(interaction: consult_url or letter_url), as its consultation channel", SITE, page="check.md"),
    Rule("CK-6", "服务不实用", ERROR,
         "the site offers services (pages of type service) or links the 政务服务 platform "
         "(interaction: service_url, or a home services block with items)", SITE, presence=True, veto=True,
         page="check.md"),
    Rule("DA-2", "数据更新", ERROR,
         "open data sets (type: dataset) updated within their update_frequency; data set fields and files well-formed",
         SITE, _BC, settings=("dataset_grace_days",), date=True, page="check.md"),
    # --- language versions -------------------------------------------------------------------
    Rule("LG-1", "语言版本", ERROR,
         "language versions, interface translations and the traditional-Chinese version are configured correctly",
         SOURCE, _B, page="languages.md"),
]

REGISTRY: dict[str, Rule] = {r.id: r for r in _RULES}
# the rules of govsite check: their severity is set per site (check: severity), --list-rules lists them
RULES: dict[str, Rule] = {r.id: r for r in _RULES if CHECK in r.enforced}
# problems from the build pipeline that carry no rule id (YAML syntax, missing title …)
CONFIG = Rule("CFG", "检查设置", ERROR, "the check: mapping of site.yaml and the site's word lists are well-formed",
              SOURCE, _BC, page="check.md")
PIPELINE = Rule("BUILD", "构建错误", ERROR, "problems the build pipeline itself reports (syntax, required fields)",
                SOURCE, _B)


def rule(rule_id: str) -> Rule:
    """The registry entry of ``rule_id``; an id without one (a pipeline problem) gets a generic entry."""
    found = REGISTRY.get(rule_id)
    if found is not None:
        return found
    if rule_id == CONFIG.id:
        return CONFIG
    if not rule_id:
        return PIPELINE
    return Rule(rule_id, rule_id, ERROR, "reported by the build pipeline", SOURCE, _B)
