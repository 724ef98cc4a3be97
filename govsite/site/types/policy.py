"""政策文件 (S1): metadata table, validity status (AR-4) and the relations between documents.

发布单位 (``issuer``) is written on each document; in a unit's 信息公开专栏 (a column with
``unit:``) it may be left out and is the unit's name. A joint or higher-level document filed in a
专栏 keeps the issuer it writes, while the catalogue's 发布机构 and the 索引号 prefix are the
unit's (:mod:`govsite.site.types.disclosure`): the unit is who publishes it here.

A policy's status is what the editor wrote, brought up to date by the site itself: a document
that another visible document repeals (``repeals:``) or amends (``amends:``) is shown as 已废止 /
已修改 from that document's date, and one past its ``expires`` date as 已失效 — so the original
document is marked the day its successor is published, without editing it (功能规范 一(四)).
"""
from __future__ import annotations

from govsite.config.schema import BOOL, DATE, FILES, LIST, PAGES, TEXT, Field, Schema
from govsite.core.clock import Clock
from govsite.site.types.fields import Fields

NAME = "policy"
LABEL = "政策文件"
RULE = "GK-5"
DOC_KINDS = ("规章", "行政规范性文件", "其他政策性文件", "政府令", "通知公告", "规划")
NUMBERED = ("规章", "行政规范性文件", "政府令")    # these carry a 文号 (GK-5)
# how the 公报 and the 年报 count documents: 规章 with the 政府令 that promulgate them, and 行政规范性文件
REGULATIONS = ("规章", "政府令")
NORMATIVE = "行政规范性文件"
STATUSES = ("有效", "已修改", "已废止", "已失效")
VALID = "有效"
STATUS_MEANINGS = {VALID: "valid", "已修改": "amended", "已废止": "repealed", "已失效": "repealed"}
# relation written on the newer document → the name it gets on the older one
RELATIONS = {"amends": "amended_by", "repeals": "repealed_by"}
INVERSE = {v: k for k, v in RELATIONS.items()}


FIELDS = Schema(NAME, (
    Field("doc_kind", TEXT, "文件类别", choices=DOC_KINDS, required=True, rule="GK-5"),
    Field("issuer", TEXT, "发布单位", rule="GK-5",
          doc="required, except in a unit's 专栏 (column `unit:`), where it defaults to the unit's name"),
    Field("co_issuers", LIST, "联合发文单位"),
    Field("lead_department", TEXT, "牵头起草部门"),
    Field("doc_no", TEXT, "文号"),
    Field("signed", DATE, "成文日期", required=True, rule="GK-5"),
    Field("effective", DATE, "生效日期"),
    Field("expires", DATE, "失效日期"),
    Field("category", TEXT, "主题分类", checked_by="govsite.site.types.disclosure",
          doc="主题 or 主题／子主题 from the 主题分类 vocabulary (docs/units.md)"),
    Field("doc_source", TEXT, "文件来源"),
    Field("status", TEXT, "效力状态", choices=STATUSES, required=True, rule="AR-4"),
    Field("status_date", DATE, "状态变更日期", rule="AR-4"),
    Field("status_basis", TEXT, "状态变更依据", rule="AR-4"),
    Field("attachments", FILES, "附件"),
    Field("amends", PAGES, "所修改的政策文件", choices=(NAME,)),
    Field("repeals", PAGES, "所废止的政策文件", choices=(NAME,)),
    Field("amended_by", PAGES, "修改它的政策文件", choices=(NAME,)),
    Field("repealed_by", PAGES, "废止它的政策文件", choices=(NAME,)),
    Field("needs_interpretation", BOOL, "需要解读", checked_by="govsite.rules.site_rules", doc="GK-4 for any doc_kind"),
    Field("no_interpretation_reason", TEXT, "不解读的理由", checked_by="govsite.rules.site_rules", doc="GK-4"),
))


def read(f: Fields, site) -> dict:
    info = {
        **f.values(FIELDS, "doc_kind", "issuer", "co_issuers", "lead_department", "doc_no", "signed", "effective",
                         "expires", "category", "doc_source", "status", "status_date", "status_basis", "attachments"),
    }
    if not info["issuer"]:
        unit = f.page.column.unit if f.page.column is not None else None
        if unit is not None:
            info["issuer"] = unit.name   # a unit's 专栏: the unit issues what it does not say otherwise
        else:
            f.missing("issuer", FIELDS["issuer"].label, "例如 issuer: 景澜区人民政府；单位信息公开专栏中可省略（即该单位）",
                      "GK-5")
    if info["doc_kind"] in NUMBERED and not info["doc_no"] and f.ok:
        f.error("doc_no", f"{info['doc_kind']}缺少文号 doc_no", "例如 doc_no: 景政发〔2025〕9号", "GK-5")
    for key in (*RELATIONS, *INVERSE):
        info[key] = f.value(FIELDS, key)
    if info["signed"] and info["effective"] and info["effective"] < info["signed"]:
        f.error("effective", "生效日期早于成文日期", "检查 effective 和 signed", "GK-5")
    if info["status"] not in ("", VALID) and not (info["status_basis"] or info["amended_by"] or info["repealed_by"]
                                                  or (info["status"] == "已失效" and info["expires"])):
        f.error("status", f"效力状态为「{info['status']}」，但没有写明依据",
                "写 status_basis: 依据说明，或 repealed_by / amended_by: [新文件的相对路径]", "AR-4")
    return info


def link(site, pages, report) -> None:
    """Both directions of amends/repeals, then each policy's status as of the build time."""
    for page in pages:
        if page.type != NAME or not page.info:
            continue
        for forward, backward in RELATIONS.items():
            for other in page.info[forward]:
                _add(page, forward, other)
                _add(other, backward, page)
            for other in page.info[backward]:
                _add(page, backward, other)
                _add(other, forward, page)
    for page in pages:
        if page.type == NAME and page.info:
            page.status, page.status_date = _status(page, site.clock)


def _add(page, name, other) -> None:
    found = page.links.setdefault(name, [])
    if other not in found:
        found.append(other)
        found.sort(key=lambda p: (p.date, p.src))


def _status(page, clock: Clock):
    info = page.info
    declared = info["status"] or VALID
    if declared != VALID:
        return declared, info["status_date"]
    for name, label in (("repealed_by", "已废止"), ("amended_by", "已修改")):
        active = [p for p in page.linked(name) if not p.draft and clock.reached(p.date)]
        if active:
            return label, active[0].info.get("effective") or active[0].date
    if info["expires"] and clock.reached(info["expires"]):
        return "已失效", info["expires"]
    return VALID, None
