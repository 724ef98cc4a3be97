"""政府信息公开工作年度报告 (年报): the uniform national format, with the figures the site holds.

Every administrative organ publishes a 年报 in one format (国办公开办函〔2021〕30号,
《中华人民共和国政府信息公开工作年度报告格式》): six parts, of which parts 二, 三 and 四 are fixed
tables. Free text let the tables drift from the format and the sums go wrong unnoticed, so the
type renders the tables itself:

- part 二 (主动公开): the 规章 and 行政规范性文件 rows (本年制发 / 本年废止 / 现行有效) are
  counted from the site's own policy pages (``type: policy``: ``doc_kind``, ``signed``, the
  status and its date) — only the unit's documents when the report's column belongs to a unit
  (单位信息公开专栏), the site's own documents otherwise — so the report and the policy library
  agree; 行政许可, 行政处罚, 行政强制 and 行政事业性收费 come from front matter (``active:``);
- part 三 (依申请): the request register's figures (``requests:``, six applicant columns per row)
  with both identities of the format checked: (七)总计 = (一)…(六), and 新收 + 上年结转 =
  办理结果总计 + 结转下年度, column by column;
- part 四 (复议和诉讼): ``appeals:``, the 总计 of each group computed (or checked when given).

Part 一 is the page body; parts 五 and 六 are ``problems:`` and ``other:``. ``year:`` is the
reported year (GK-1 finds 年报 by ``page.type == "annual_report"`` and ``page.info["year"]``);
``reporter:`` who reports (default: the column's unit, else the site's sponsor). A figure that is
not a number or a sum that does not add up is an error with the line of the value (rule
GK-1.report): a 年报 with wrong sums is not published.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from govsite.config.schema import INT, MAP, TEXT, Field, Schema
from govsite.core.source import KeyLines, SourceError, parse_yaml, read_text, split_front_matter
from govsite.site.types import policy
from govsite.site.types.fields import Fields

NAME = "annual_report"
LABEL = "信息公开年报"
RULE = "GK-1.report"
FIRST_YEAR = 2008                  # the first 条例 year (2008-05-01)
RULES_KINDS, NORMATIVE = policy.REGULATIONS, policy.NORMATIVE   # 规章 are promulgated by 政府令
ENDED = ("已废止", "已失效")

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
N = len(APPLICANTS)
# part 三's rows: (key, label, sub-rows) — sub-rows (key, label); a row without sub-rows is one line
RESULT_GROUPS = (
    ("public", "（一）予以公开", ()),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    ("withheld", "（三）不予公开", (
        ("state_secret", "1.属于国家秘密"), ("law_forbidden", "2.其他法律行政法规禁止公开"),
        ("security", "3.危及“三安全一稳定”"), ("third_party", "4.保护第三方合法权益"),
        ("internal", "5.属于三类内部事务信息"), ("process", "6.属于四类过程性信息"),
        ("enforcement_file", "7.属于行政执法案卷"), ("inquiry", "8.属于行政查询事项"))),
    ("unable", "（四）无法提供", (
        ("not_held", "1.本机关不掌握相关政府信息"), ("need_create", "2.没有现成信息需要另行制作"),
        ("unclear", "3.补正后申请内容仍不明确"))),
    ("not_processed", "（五）不予处理", (
        ("complaint", "1.信访举报投诉类申请"), ("repeat", "2.重复申请"), ("publication", "3.要求提供公开出版物"),
        ("abusive", "4.无正当理由大量反复申请"), ("confirm", "5.要求行政机关确认或重新出具已获取信息"))),
    ("other", "（六）其他处理", (
        ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
        ("no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
        ("other", "3.其他"))),
)
TOTAL_LABEL = "（七）总计"
APPEAL_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结")
APPEAL_GROUPS = (("review", "行政复议", ""), ("direct_suit", "未经复议直接起诉", "行政诉讼"),
                 ("suit_after_review", "复议后起诉", "行政诉讼"))
DECISIONS = (("licensing", "行政许可", "第二十条第（五）项"), ("penalty", "行政处罚", "第二十条第（六）项"),
             ("enforcement", "行政强制", "第二十条第（六）项"))
FEES = ("fees", "行政事业性收费", "第二十条第（八）项")
EXAMPLE_ROW = "每行 6 个数（自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他），例如 received: [120, 8, 0, 1, 2, 3]"

FIELDS = Schema(NAME, (
    Field("year", INT, "报告年度", required=True, rule=RULE, doc="the reported year, e.g. 2025"),
    Field("reporter", TEXT, "报告主体", doc="who reports (default: the column's unit, else the site's sponsor)"),
    Field("active", MAP, "主动公开情况", required=True, rule=RULE,
          doc="part 二: licensing, penalty, enforcement (本年处理决定数量), fees (万元); 规章/规范性文件 are counted"),
    Field("requests", MAP, "依申请公开情况", required=True, rule=RULE,
          doc="part 三: received, carried_over, results {…}, carried_forward (6 numbers a row, see disclosure.md)"),
    Field("appeals", MAP, "行政复议、行政诉讼情况", required=True, rule=RULE,
          doc="part 四: review, direct_suit, suit_after_review (维持, 纠正, 其他, 尚未审结[, 总计])"),
    Field("problems", TEXT, "存在的主要问题及改进情况", required=True, rule=RULE, doc="part 五 (text)"),
    Field("other", TEXT, "其他需要报告的事项", doc="part 六 (text; 信息处理费); default 无"),
))


@dataclass
class DocumentRow:
    """Part 二, 第二十条第（一）项: one kind of document, counted from the site's policy pages."""

    label: str
    issued: int = 0
    repealed: int = 0
    valid: int = 0
    pages: list = field(default_factory=list)      # the documents issued in the year, for the page


@dataclass(frozen=True)
class Cell:
    """A header cell of a fixed table (the template writes it as it is)."""

    text: str
    id: str
    scope: str = "row"
    rowspan: int = 1
    colspan: int = 1
    headers: str = ""


@dataclass(frozen=True)
class RequestRow:
    """One line of part 三: its header cells (the groups it opens, then its own) and figures."""

    heads: tuple[Cell, ...]
    values: tuple[int, ...]          # the six applicant columns
    total: int
    headers: str                     # ids of the row headers the figures belong to
    is_total: bool = False


@dataclass(frozen=True)
class AppealGroup:
    key: str
    label: str
    parent: str                      # 行政诉讼 for the two lawsuit groups
    values: tuple[int, ...]          # 维持, 纠正, 其他, 尚未审结
    total: int


def read(f: Fields, site) -> dict:
    lines = _key_lines(f)
    year = f.value(FIELDS, "year")
    if year is not None and not (FIRST_YEAR <= year <= (f.page.date.year if f.page.date else year)):
        f.error("year", f"报告年度 year: {year} 不在 {FIRST_YEAR} 年至发布年度之间",
                f"year 写所报告的年度，例如 {f.page.date.year - 1 if f.page.date else 2025} 年的年报写 year: "
                f"{f.page.date.year - 1 if f.page.date else 2025}")
    unit = f.page.column.unit if f.page.column is not None else None
    reporter = f.value(FIELDS, "reporter") or (unit.name if unit is not None else site.config.sponsor)
    active = _active(f, lines, f.value(FIELDS, "active"))
    requests = _requests(f, lines, f.value(FIELDS, "requests"))
    appeals = _appeals(f, lines, f.value(FIELDS, "appeals"))
    return {
        "year": year or 0,
        "reporter": reporter,
        "unit": unit,
        "decisions": active["decisions"],
        "fees": active["fees"],
        "documents": [DocumentRow("规章"), DocumentRow(NORMATIVE)],   # counted in link()
        "applicants": APPLICANTS,
        "requests": requests,
        "appeals": appeals,
        "problems": _paragraphs(f.value(FIELDS, "problems")),
        "other": _paragraphs(f.value(FIELDS, "other")) or ["无。"],
    }


def link(site, pages, report) -> None:
    """Count each report's 规章 and 行政规范性文件 from the policy pages, once their status as of
    the build is known (the policy type links first: it comes first in the registry)."""
    policies = [p for p in pages if p.type == policy.NAME and p.info and not p.draft and not p.withheld
                and not p.scheduled and p.origin is None]
    for page in pages:
        if page.type != NAME or not page.info or not page.info["year"]:
            continue
        unit = _unit_key(page.column)
        own = [p for p in policies if _unit_key(p.column) == unit]
        page.info["documents"] = [_count("规章", RULES_KINDS, own, page.info["year"]),
                                  _count(NORMATIVE, (NORMATIVE,), own, page.info["year"])]


def _unit_key(column) -> str:
    unit = column.unit if column is not None else None
    return unit.key if unit is not None else ""


def _count(label: str, kinds: tuple, policies: list, year: int) -> DocumentRow:
    row = DocumentRow(label)
    for p in policies:
        signed = p.info.get("signed")
        if p.info.get("doc_kind") not in kinds or signed is None or signed.year > year:
            continue
        ended = p.status in ENDED
        ended_year = p.status_date.year if ended and p.status_date is not None else None
        if signed.year == year:
            row.issued += 1
            row.pages.append(p)
        if ended and ended_year == year:
            row.repealed += 1
        if not ended or (ended_year is not None and ended_year > year):
            row.valid += 1
    row.pages.sort(key=lambda p: (p.info["signed"], p.src))
    return row


# -- reading the tables ---------------------------------------------------------------------
def _key_lines(f: Fields) -> KeyLines:
    """The line of every nested key of the front matter, so a wrong figure is reported where it
    is (``Page.lines`` keeps only the top-level keys)."""
    try:
        fm_text, _body, _line = split_front_matter(read_text(f.page.file))
        return parse_yaml(fm_text, first_line=2).lines
    except (OSError, SourceError):
        return KeyLines(first=f.page.line("type"))


def _error(f: Fields, lines: KeyLines, path: tuple, message: str, hint: str) -> None:
    f.report.error(f.page.file, lines.line(*path), f"[{RULE}] {message}", hint, rule=RULE)
    f.ok = False


def _count_value(f, lines, path, value, name) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        _error(f, lines, path, f"年报{name}应是不小于 0 的整数，现为「{value}」", "只写数字，没有的写 0")
        return 0
    return value


def _active(f, lines, data: dict) -> dict:
    decisions = []
    for key, label, basis in DECISIONS:
        value = data.get(key)
        if value is None:
            _error(f, lines, ("active",), f"年报缺少「{label}」的本年处理决定数量 active.{key}",
                   f"在 active: 下写 {key}: 数量（没有的写 0）")
            value = 0
        decisions.append((basis, label, _count_value(f, lines, ("active", key), value, f"「{label}」数量")))
    fees = data.get(FEES[0])
    amount = Decimal(0)
    if fees is None:
        _error(f, lines, ("active",), "年报缺少「行政事业性收费」的本年收费金额 active.fees（单位：万元）",
               "在 active: 下写 fees: 金额（没有的写 0）")
    else:
        try:
            amount = Decimal(str(fees)) if not isinstance(fees, bool) else Decimal(-1)
        except InvalidOperation:
            amount = Decimal(-1)
        if amount < 0:
            _error(f, lines, ("active", "fees"), f"年报「行政事业性收费」金额应是不小于 0 的数，现为「{fees}」",
                   "单位为万元，例如 fees: 1268.4")
            amount = Decimal(0)
    for key in data:
        if key not in {k for k, _l, _b in DECISIONS} | {FEES[0]}:
            _error(f, lines, ("active", key), f"年报 active 中有未知的项「{key}」",
                   "可写 licensing（行政许可）、penalty（行政处罚）、enforcement（行政强制）、fees（收费金额，万元）")
    return {"decisions": decisions, "fees": amount}


def _row(f, lines, path: tuple, value, name: str) -> tuple[int, ...]:
    if value is None:
        return (0,) * N
    if not isinstance(value, list) or len(value) != N:
        _error(f, lines, path, f"年报「{name}」应写 {N} 个数", EXAMPLE_ROW)
        return (0,) * N
    return tuple(_count_value(f, lines, path, v, f"「{name}」的") for v in value)


def _sub(f, lines, data, path: tuple, known: tuple) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        _error(f, lines, path, f"年报 {'.'.join(path)} 应是键值映射", "在下一行缩进写 项: [6 个数]")
        return {}
    for key in data:
        if key not in known:
            _error(f, lines, (*path, key), f"年报 {'.'.join(path)} 中有未知的项「{key}」", "可写：" + "、".join(known))
    return data


def _add(*rows: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(sum(r[i] for r in rows) for i in range(N))


def _requests(f, lines, data: dict) -> list[RequestRow]:
    """Part 三 as table rows, with both identities of the format checked column by column."""
    top = ("received", "carried_over", "results", "carried_forward")
    data = _sub(f, lines, data, ("requests",), top)
    received = _row(f, lines, ("requests", "received"), data.get("received"), "一、本年新收政府信息公开申请数量")
    carried = _row(f, lines, ("requests", "carried_over"), data.get("carried_over"), "二、上年结转政府信息公开申请数量")
    forward = _row(f, lines, ("requests", "carried_forward"), data.get("carried_forward"), "四、结转下年度继续办理")
    results = _sub(f, lines, data.get("results"), ("requests", "results"),
                   tuple(k for k, _l, _s in RESULT_GROUPS) + ("total",))
    rows: list[RequestRow] = []

    def line(heads, values, own_id, is_total=False):
        rows.append(RequestRow(tuple(heads), values, sum(values), own_id, is_total))

    line([Cell("一、本年新收政府信息公开申请数量", "ar3-received", colspan=3)], received, "ar3-received")
    line([Cell("二、上年结转政府信息公开申请数量", "ar3-carried", colspan=3)], carried, "ar3-carried")
    n_result_rows = sum(max(1, len(subs)) for _k, _l, subs in RESULT_GROUPS) + 1
    opener = Cell("三、本年度办理结果", "ar3-results", "rowgroup", rowspan=n_result_rows)
    group_totals = []
    for g, (key, label, subs) in enumerate(RESULT_GROUPS):
        gid = f"ar3-{key}"
        path = ("requests", "results", key)
        if not subs:
            values = _row(f, lines, path, results.get(key), label)
            heads = ([opener] if g == 0 else []) + [Cell(label, gid, colspan=2, headers="ar3-results")]
            line(heads, values, f"ar3-results {gid}")
            group_totals.append(values)
            continue
        data_g = _sub(f, lines, results.get(key), path, tuple(k for k, _l in subs))
        sub_rows = []
        for s, (skey, slabel) in enumerate(subs):
            values = _row(f, lines, (*path, skey), data_g.get(skey), f"{label}{slabel}")
            sid = f"{gid}-{skey}"
            heads = ([Cell(label, gid, "rowgroup", rowspan=len(subs), headers="ar3-results")] if s == 0 else [])
            line(heads + [Cell(slabel, sid, headers=f"ar3-results {gid}")], values, f"ar3-results {gid} {sid}")
            sub_rows.append(values)
        group_totals.append(_add(*sub_rows))
    total = _add(*group_totals)
    given = results.get("total")
    if given is not None:
        stated = _row(f, lines, ("requests", "results", "total"), given, TOTAL_LABEL)
        for i, (a, b) in enumerate(zip(stated, total, strict=True)):
            if a != b:
                _error(f, lines, ("requests", "results", "total"),
                       f"年报「{TOTAL_LABEL}」「{APPLICANTS[i]}」一列为 {a}，但（一）至（六）之和为 {b}",
                       "总计应等于予以公开、部分公开、不予公开、无法提供、不予处理、其他处理各项之和；"
                       "检查各项数字，或删去 total 让它自动计算")
    line([Cell(TOTAL_LABEL, "ar3-total", colspan=2, headers="ar3-results")], total, "ar3-results ar3-total", True)
    line([Cell("四、结转下年度继续办理", "ar3-forward", colspan=3)], forward, "ar3-forward")
    for i in range(N):
        if received[i] + carried[i] != total[i] + forward[i]:
            _error(f, lines, ("requests",),
                   f"年报依申请公开数据不平衡：「{APPLICANTS[i]}」一列 新收 {received[i]} + 上年结转 {carried[i]} = "
                   f"{received[i] + carried[i]}，但办理结果总计 {total[i]} + 结转下年度 {forward[i]} = {total[i] + forward[i]}",
                   "按年报格式，第一项加第二项之和应等于第三项加第四项之和；核对申请登记台账中的数字")
    return rows


def _appeals(f, lines, data: dict) -> list[AppealGroup]:
    data = _sub(f, lines, data, ("appeals",), tuple(k for k, _l, _p in APPEAL_GROUPS))
    out = []
    for key, label, parent in APPEAL_GROUPS:
        value, path = data.get(key), ("appeals", key)
        values: tuple[int, ...] = (0, 0, 0, 0)
        if value is not None and (not isinstance(value, list) or len(value) not in (4, 5)):
            _error(f, lines, path, f"年报「{parent}{label}」应写 4 个数（结果维持、结果纠正、其他结果、尚未审结），"
                                   "或再加总计共 5 个", f"例如 {key}: [9, 1, 1, 1]")
        elif value is not None:
            numbers = tuple(_count_value(f, lines, path, v, f"「{label}」的") for v in value)
            values = numbers[:4]
            if len(numbers) == 5 and numbers[4] != sum(values):
                _error(f, lines, path, f"年报「{parent}{label}」总计为 {numbers[4]}，但四项之和为 {sum(values)}",
                       "总计应等于结果维持、结果纠正、其他结果、尚未审结之和；或只写前 4 个数让它自动计算")
        out.append(AppealGroup(key, label, parent, values, sum(values)))
    return out


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]
