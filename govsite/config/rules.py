"""The rule catalogue of ``govsite check``: one entry per rule, with its SPEC id and defaults.

Rule ids are SPEC.md ids (``CO-3``); where one SPEC rule is checked in several ways that need
their own severity, the id gets a suffix (``LK-2.hidden``, ``GK-4.late``), and configuring the
SPEC id (``LK-2``) in site.yaml sets all of them. ``date`` marks rules whose verdict depends on
today's date (freshness, deadlines): ``govsite build`` reports them as warnings at most, so a
site that was valid when built keeps building as the calendar moves. ``veto`` marks the
单项否决 items of 国办秘函〔2019〕19号: an error from one of them fails the inspection outright.
"""
from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING, INFO, OFF = "error", "warning", "info", "off"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str                 # short Chinese title (reports, JUnit test names)
    severity: str              # default severity
    summary: str               # one English line: what it checks (docs, --list-rules)
    date: bool = False         # depends on today's date → never fails a build
    veto: bool = False         # 单项否决 item
    scope: str = "source"      # source | output | site | pipeline

    @property
    def spec(self) -> str:
        return self.id.split(".", 1)[0]


_RULES = [
    # --- site identity -------------------------------------------------------------------
    Rule("ID-1", "网站标识信息", ERROR,
         "site.yaml identity complete: name, domain, site code ^(bm\\d{8}|\\d{10})$, sponsor, contact, ICP, 公安备案, 党政机关标识",
         scope="pipeline"),
    Rule("ID-1.format", "网站标识信息格式", WARNING,
         "identity values look right: domain under gov.cn, base_url on that domain, ICP/公安备案 forms, site-code region prefix",
         scope="site"),
    Rule("ID-4", "商业广告内容", ERROR,
         "no advertising or commercial content: phrases from the commercial list, ad-network hosts in links and scripts",
         scope="source"),
    # --- columns -------------------------------------------------------------------------
    Rule("CO-1", "栏目层级", ERROR, "columns nest at most 3 levels deep", scope="pipeline"),
    Rule("CO-2", "频道数量", ERROR, "at most 8 channels (top-level navigation groups)", scope="pipeline"),
    Rule("CO-3", "空栏目", ERROR, "no empty column (no page anywhere below it)", scope="pipeline"),
    Rule("CO-4", "栏目更新", ERROR,
         "columns of a dynamic ColumnType have a page newer than its threshold (政务动态 14 days, 通知公告/政策文件 183 days)",
         date=True, scope="site"),
    Rule("CK-3", "首页更新", ERROR,
         "the newest item shown on the home page is at most 14 days old (单项否决: 首页不更新)",
         date=True, veto=True, scope="site"),
    Rule("CK-4", "栏目单项否决", ERROR,
         "不合格 column counts: ≥5 stale dynamic columns, ≥5 empty columns, or ≥10 columns not updated for a year",
         date=True, veto=True, scope="site"),
    # --- wording, dates, sources -----------------------------------------------------------
    Rule("CK-1", "严重表述错误", ERROR,
         "wording errors and forbidden expressions from the starter list and the site's own lists, with line and column",
         veto=True, scope="source"),
    Rule("CK-1.date", "发布时间在未来", ERROR,
         "a published page dated after today without publish:/draft: (looks like a forged date)",
         date=True, veto=True, scope="site"),
    Rule("CP-1", "信息来源", WARNING,
         "a page names its source (信息来源) itself or through its column, not only the site sponsor fallback",
         scope="site"),
    Rule("CP-1.dup", "重复发布", WARNING,
         "no two pages with the same title in one column within 30 days", scope="site"),
    Rule("CP-4", "转载来源", ERROR,
         "reposts (reprint:, 国务院信息转载 columns) name their source and link the original", scope="site"),
    Rule("CP-4.lag", "转载时效", WARNING,
         "a repost is published within check.reprint_limit of the original (default 1 working day; e.g. 12h)",
         scope="site"),
    # --- meta tags (output) ----------------------------------------------------------------
    Rule("MT-1", "网站标签", ERROR, "SiteName, SiteDomain, SiteIDCode present and non-empty on every page",
         scope="output"),
    Rule("MT-2", "栏目标签", ERROR,
         "ColumnName, ColumnDescription, ColumnKeywords, ColumnType on column pages; ColumnName, ColumnType on content pages",
         scope="output"),
    Rule("MT-3", "内容页标签", ERROR,
         "ArticleTitle, PubDate, ContentSource, Keywords, Author, Description, Image, Url on content pages",
         scope="output"),
    Rule("MT-4", "网页标签格式", ERROR,
         "PubDate is YYYY-MM-DD HH:MM, SiteIDCode well-formed, Url absolute, ColumnType from the vocabulary",
         scope="output"),
    # --- links ---------------------------------------------------------------------------
    Rule("LK-1", "断链", ERROR,
         "internal links, anchors, images and attachments in the rendered output resolve; front-matter references exist",
         scope="output"),
    Rule("LK-1.scheduled", "链接到未发布页面", WARNING,
         "a link to a page that is a draft or not yet/no longer published at the check time", date=True, scope="output"),
    Rule("LK-2", "外部链接", WARNING,
         "links to non-government hosts (not gov.cn, not the site, not on the allow-list) need review", scope="source"),
    Rule("LK-2.hidden", "暗链", ERROR,
         "no hidden links to other hosts (hidden attribute, display:none, zero size, off-screen, empty text), "
         "in page sources and in the output", scope="output"),
    Rule("AX-1", "图片替代文字", WARNING, "images have alt text (in Markdown and in the output)", scope="source"),
    # --- disclosure (政务公开) -----------------------------------------------------------------
    Rule("GK-2", "目录事项要素", ERROR,
         "disclosure catalogue items (type: catalogue_item) state name, content, basis, time limit, subject and manner",
         scope="site"),
    Rule("GK-2.reason", "不公开理由", ERROR,
         "依申请公开 / 不予公开 items give their reason (disclosure.reason)", scope="site"),
    Rule("GK-3", "公开时限", ERROR,
         "disclosure deadlines in working days: unpublished items past created/updated + 20 working days, periodic catalogue items overdue",
         date=True, scope="site"),
    Rule("GK-3.late", "公开超时", WARNING,
         "an item was published more than its time limit (default 20 working days) after it was formed or changed",
         scope="site"),
    Rule("GK-4", "政策解读", ERROR,
         "a policy has an interpretation within 3 working days, or an exemption reason (no_interpretation_reason)",
         date=True, scope="site"),
    Rule("GK-4.late", "解读超时", WARNING,
         "the first interpretation came more than 3 working days after the policy", scope="site"),
    # --- interaction, data -------------------------------------------------------------------
    Rule("IA-1", "留言答复时限", ERROR, "messages (type: reply) without a reply after 15 working days",
         date=True, scope="site"),
    Rule("IA-1.late", "答复超时", WARNING, "replies given more than 15 working days after receipt (past year)",
         date=True, scope="site"),
    Rule("CK-5", "互动回应差", ERROR,
         "a message in the past year left unanswered for more than 3 months (单项否决)",
         date=True, veto=True, scope="site"),
    Rule("CK-5.channel", "咨询渠道", WARNING,
         "the site has an interaction (互动交流) column as its consultation channel", scope="site"),
    Rule("DA-2", "数据更新", ERROR,
         "open data sets (type: dataset) updated within their update_frequency", date=True, scope="site"),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}
# problems from the build pipeline that carry no rule id (YAML syntax, missing title …)
CONFIG = Rule("CFG", "检查设置", ERROR, "the check: mapping of site.yaml and the site's word lists are well-formed",
              scope="pipeline")
PIPELINE = Rule("BUILD", "构建错误", ERROR, "problems the build pipeline itself reports (syntax, required fields)",
                scope="pipeline")


def rule(rule_id: str) -> Rule:
    """The catalogue entry of ``rule_id``; unknown ids (from the pipeline) get a generic entry."""
    found = RULES.get(rule_id)
    if found is not None:
        return found
    if rule_id == CONFIG.id:
        return CONFIG
    if not rule_id:
        return PIPELINE
    return Rule(rule_id, rule_id, ERROR, "reported by the build pipeline", scope="pipeline")
