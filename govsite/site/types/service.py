"""办事指南 (S4): the standard element table of a service, its materials, steps and online entries.

A guide is only useful when it is complete and consistent (要素齐全、内容一致, SV-2, CK-6): every
element an applicant needs is required here, and the numbers that can contradict each other are
compared — the promised time limit (承诺时限) may not exceed the statutory one, and the working
days of the steps may not add up to more than the promise. Forms are files beside the guide, so a
download link never points at nothing (LK-1). The online entries (在线申办、办件查询、结果反馈、
在线咨询、投诉建议) are separate, complete web addresses (SV-3, PC 「三大环节要分开」).

``audience`` (个人 / 法人) and ``theme`` (主题分类) place the guide in the services catalogue
(SV-1, :mod:`govsite.views.services`); ``laws`` links the policies it rests on both ways (SV-4).
"""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from govsite.config.schema import ANY, LIST, MAP, PAGES, RECORDS, TEXT, Field, Schema
from govsite.site.types.fields import Fields

NAME = "service"
LABEL = "办事指南"
RULE = "SV-2"
ITEM_TYPES = ("行政许可", "行政确认", "行政给付", "行政裁决", "行政奖励", "行政征收", "行政检查",
              "其他行政权力", "非行政许可审批", "公共服务", "其他")
# 网上可办理程度, from "only the guide is online" to "fully online" (SV-3; 全程网办 from the 一网通办 texts)
ONLINE_LEVELS = ("办事指南", "在线预约", "网上预审", "网上申报", "在线查询", "全程网办")
AUDIENCES = ("个人", "法人")
ORIGINALS = ("原件", "复印件", "原件和复印件", "电子材料")
# online entries: key → label shown on the page
ONLINE_LINKS = {"apply": "在线办理", "status": "办件查询", "result": "结果反馈", "consult": "在线咨询", "complaint": "投诉建议"}
NO_FEE = ("不收费", "免费", "无")
_DAYS_RE = re.compile(r"(\d+)\s*个?\s*工作日")
_AT_ONCE = ("即办", "即时办结", "当场办结", "立即办结", "当场")


FIELDS = Schema(NAME, (
    Field("item_name", TEXT, "事项名称", required=True, rule="SV-2"),
    Field("item_code", TEXT, "事项编码"),
    Field("item_type", TEXT, "事项类型", choices=ITEM_TYPES, required=True, rule="SV-2"),
    Field("basis", LIST, "设定依据", required=True, rule="SV-2"),
    Field("applicants", TEXT, "申请对象"),
    Field("conditions", TEXT, "申请条件", required=True, rule="SV-2"),
    Field("handling_org", TEXT, "办理机构", required=True, rule="SV-2"),
    Field("location", LIST, "办理地点", required=True, rule="SV-2"),
    Field("hours", TEXT, "办理时间", required=True, rule="SV-2"),
    Field("phone", TEXT, "联系电话", required=True, rule="SV-2"),
    Field("supervision", TEXT, "监督投诉", required=True, rule="SV-4"),
    Field("acceptance", TEXT, "受理方式"),
    Field("application_window", TEXT, "申请时限"),
    Field("online_level", TEXT, "网上可办理程度", choices=ONLINE_LEVELS, required=True, rule="SV-3"),
    Field("theme", LIST, "主题分类", required=True, rule="SV-1"),
    Field("laws", PAGES, "相关政策文件", rule="SV-4", choices=("policy",)),
    Field("faq", PAGES, "常见问题"),
    Field("online", MAP, "在线办理地址", rule="SV-3", doc=", ".join(ONLINE_LINKS)),
    Field("audience", LIST, "服务对象", required=True, rule="SV-1", choices=AUDIENCES),
    Field("fees", ANY, "收费标准", required=True, rule="SV-2", doc="charged, standard, basis"),
    Field("time_limit", ANY, "办理时限", required=True, rule="SV-2", doc="statutory, promised"),
    Field("materials", RECORDS, "办理材料", required=True, rule="SV-2"),
    Field("process", ANY, "办理流程", required=True, rule="SV-2", doc="summary, steps"),
    Field("forms", RECORDS, "表格下载", rule="SV-2"),
))


def read(f: Fields, site) -> dict:
    info = {
        **f.values(FIELDS, "item_name", "item_code", "item_type", "basis", "applicants", "conditions",
                         "handling_org", "location", "hours", "phone", "supervision", "acceptance",
                         "application_window", "online_level"),
        "online": _online(f),
        "audience": _audience(f),
        "theme": f.value(FIELDS, "theme"),
        "fees": _fees(f),
        "time_limit": _time_limit(f),
        "materials": _materials(f),
        "process": _process(f),
        "forms": _forms(f),
        **f.values(FIELDS, "laws", "faq"),
    }
    _check_steps(f, info)
    if info["online_level"] not in ("", "办事指南") and not info["online"]:
        f.report.warning(f.page.file, f.line("online_level"),
                         f"[SV-3] 网上可办理程度为「{info['online_level']}」，但没有写在线办理地址 online",
                         "例如 online:\n      apply: https://zwfw.example.gov.cn/item/123", rule="SV-3")
    info["downloads"] = _downloads(info)
    info["online_links"] = [{"key": k, "label": ONLINE_LINKS[k], "url": u} for k, u in info["online"].items()]
    return info


def days_of(value) -> int | None:
    """Working days a time limit stands for: ``5`` or 「5个工作日」 → 5, 「即时办结」 → 0, else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value or "")
    match = _DAYS_RE.search(text)
    if match:
        return int(match.group(1))
    return 0 if any(word in text for word in _AT_ONCE) else None


def _limit_text(value) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return "即时办结" if value == 0 else f"{value}个工作日"
    return str(value or "").strip()


# -- elements ------------------------------------------------------------------------------------
def _audience(f: Fields) -> list[str]:
    values = f.value(FIELDS, "audience")
    bad = [v for v in values if v not in AUDIENCES]
    if bad:
        f.error("audience", f"audience（服务对象）的值「{'、'.join(bad)}」无效", "可选：个人、法人，例如 audience: [个人]", "SV-1")
        return [v for v in values if v in AUDIENCES]
    return values


def _fees(f: Fields) -> dict:
    raw = f.data.get("fees")
    if isinstance(raw, str) and raw.strip() in NO_FEE:
        return {"charged": False, "standard": "", "basis": ""}
    if isinstance(raw, str) and raw.strip():
        f.error("fees", f"fees（收费标准）「{raw.strip()}」需要写成收费信息",
                "收费的写 fees:\n      charged: true\n      standard: 收费标准\n      basis: 收费依据；不收费的写 fees: 不收费", "SV-2")
        return {}
    data = f.mapping("fees", "收费标准", required=True, rule="SV-2")
    if not data:
        return {}
    out = {"charged": f.flag("fees.charged", "是否收费", data=data),
           "standard": f.text("fees.standard", "收费标准", data=data),
           "basis": f.text("fees.basis", "收费依据", data=data)}
    if out["charged"] and not (out["standard"] and out["basis"]):
        f.error("fees", "收费事项需要写明收费标准 fees.standard 和收费依据 fees.basis",
                "例如 fees:\n      charged: true\n      standard: 每证20元\n      basis: 《……收费标准的通知》", "SV-2")
    return out


def _time_limit(f: Fields) -> dict:
    raw = f.data.get("time_limit")
    data = raw if isinstance(raw, dict) else ({"promised": raw} if raw not in (None, "", [], {}) and not isinstance(raw, list) else None)
    if data is None:
        f.mapping("time_limit", "办理时限", required=True, rule="SV-2")  # reports missing / wrong shape
        return {}
    out: dict[str, Any] = {}   # statutory, promised, extension: text; each + "_days": working days or None
    for key, name in (("statutory", "法定时限"), ("promised", "承诺时限"), ("extension", "延长时限")):
        value = data.get(key)
        if isinstance(value, (dict, list)) or isinstance(value, bool):
            f.error("time_limit", f"time_limit.{key}（{name}）应是工作日数或一段文字", f"例如 {key}: 5 或 {key}: 5个工作日", "SV-2")
            value = None
        out[key] = _limit_text(value)
        out[key + "_days"] = days_of(value) if value not in (None, "") else None
    if not (out["statutory"] or out["promised"]):
        f.error("time_limit", "办理时限 time_limit 需要写法定时限 statutory 或承诺时限 promised",
                "例如 time_limit:\n      statutory: 20\n      promised: 5（数字表示工作日）", "SV-2")
    elif (out["statutory_days"] is not None and out["promised_days"] is not None
          and out["promised_days"] > out["statutory_days"]):
        f.error("time_limit", f"承诺时限（{out['promised']}）超过法定时限（{out['statutory']}）",
                "承诺时限应不超过法定时限，检查 time_limit", "SV-2")
    return out


def _online(f: Fields) -> dict:
    data = f.value(FIELDS, "online")
    out: dict[str, str] = {}
    seen: dict[str, str] = {}   # an address → the first key that gave it
    for key, value in data.items():
        if key not in ONLINE_LINKS:
            f.error("online", f"online 中有未知的地址类型「{key}」",
                    "可选：" + "、".join(f"{k}（{v}）" for k, v in ONLINE_LINKS.items()), "SV-3")
            continue
        url = str(value or "").strip()
        parts = urlsplit(url) if url and not any(c.isspace() for c in url) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            f.error("online", f"online.{key}（{ONLINE_LINKS[key]}）「{url}」不是有效的网址",
                    "写 https:// 开头的完整地址", "SV-3")
            continue
        same = url.rstrip("/").lower()
        if same in seen:
            f.error("online", f"online.{key}（{ONLINE_LINKS[key]}）与 online.{seen[same]}（{ONLINE_LINKS[seen[same]]}）是同一地址「{url}」",
                    "在线受理、状态查询、结果反馈等环节应提供各自独立的网址；没有的环节不写", "SV-3")
            continue
        seen[same] = key
        out[key] = url
    return {k: out[k] for k in ONLINE_LINKS if k in out}


def _materials(f: Fields) -> list[dict]:
    out = []
    for n, item in enumerate(f.value(FIELDS, "materials"), 1):
        name = f.text("materials", f"第{n}项材料的名称 name", data={"materials": item.get("name")})
        if not name:
            f.error("materials", f"办理材料第{n}项缺少材料名称 name", "例如 materials:\n  - name: 居民身份证\n    original_or_copy: 原件", "SV-2")
            continue
        entry = {
            "name": name,
            "original_or_copy": f.choice("materials", f"材料「{name}」的原件/复印件", ORIGINALS, rule="SV-2",
                                         data={"materials": item.get("original_or_copy")}),
            "copies": f.number("materials", f"材料「{name}」的份数 copies", data={"materials": item.get("copies")}),
            "format": f.text("materials", f"材料「{name}」的材料形式", data={"materials": item.get("format")}),
            "basis": f.text("materials", f"材料「{name}」的来源依据", data={"materials": item.get("basis")}),
            "sign_stamp": f.text("materials", f"材料「{name}」的签字盖章要求", data={"materials": item.get("sign_stamp")}),
            "instructions": f.text("materials", f"材料「{name}」的填写说明", data={"materials": item.get("instructions")}),
            "required": f.flag("materials", f"材料「{name}」是否必需", default=True, data={"materials": item.get("required", True)}),
            "blank_form": _file(f, "materials", item.get("blank_form"), f"材料「{name}」的空白表格"),
            "sample": _file(f, "materials", item.get("sample"), f"材料「{name}」的示例样表"),
        }
        is_form = f.flag("materials", f"材料「{name}」是否为表格 form", data={"materials": item.get("form", False)})
        if is_form and not entry["blank_form"] and "blank_form" not in item:
            f.error("materials", f"材料「{name}」是申请表格（form: true），但没有提供空白表格 blank_form",
                    "把空白表格文件放在页面同一目录，写 blank_form: 文件名", "SV-2")
        out.append(entry)
    return out


def _process(f: Fields) -> dict:
    raw = f.data.get("process")
    data = {"steps": raw} if isinstance(raw, list) else f.mapping("process", "办理流程", required=True, rule="SV-2")
    if not data:
        return {}
    steps = []
    for n, item in enumerate(f.records("process.steps", "办理流程的步骤", required=True, rule="SV-2", data=data), 1):
        name = str(item.get("name") or "").strip()
        actor = str(item.get("actor") or "").strip()
        if not name or not actor:
            f.error("process", f"办理流程第{n}步需要写环节名称 name 和办理主体 actor",
                    "例如 steps:\n  - name: 受理\n    actor: 区政务服务中心窗口\n    time_limit: 1", "SV-2")
            continue
        limit = item.get("time_limit")
        if isinstance(limit, (dict, list)) or isinstance(limit, bool):
            f.error("process", f"办理流程第{n}步「{name}」的时限 time_limit 应是工作日数或一段文字", "例如 time_limit: 3", "SV-2")
            limit = None
        steps.append({"name": name, "actor": actor, "description": str(item.get("description") or "").strip(),
                      "time_limit": _limit_text(limit), "days": days_of(limit) if limit not in (None, "") else None})
    return {"summary": f.text("process.summary", "流程概要", data=data), "steps": steps}


def _forms(f: Fields) -> list[dict]:
    out = []
    for n, item in enumerate(f.value(FIELDS, "forms"), 1):
        title = str(item.get("title") or "").strip()
        if not title or not item.get("blank"):
            f.error("forms", f"表格下载第{n}项需要写表格名称 title 和空白表格文件 blank",
                    "例如 forms:\n  - title: 申请表\n    blank: shenqingbiao.csv\n    sample: shenqingbiao-yangbiao.csv", "SV-2")
            continue
        out.append({"title": title, "instructions": str(item.get("instructions") or "").strip(),
                    "blank": _file(f, "forms", item.get("blank"), f"「{title}」空白表格"),
                    "sample": _file(f, "forms", item.get("sample"), f"「{title}」示例样表")})
    return out


def _file(f: Fields, key: str, ref, name: str) -> dict | None:
    """One form file beside the page (LK-1: it must exist), or None when none is named."""
    if ref in (None, ""):
        return None
    if not isinstance(ref, str):
        f.error(key, f"{key}（{name}）应写文件名", "例如 blank_form: shenqingbiao.csv", "SV-2")
        return None
    found = f.attachments(key, name, rule="SV-2", data={key: [{"title": name, "file": ref}]})
    return found[0] if found else None


def _check_steps(f: Fields, info: dict) -> None:
    """The steps' working days may not add up to more than the promised (else statutory) limit."""
    limit = info["time_limit"]
    steps = info["process"].get("steps", []) if info["process"] else []
    days = [s["days"] for s in steps if s["days"] is not None]
    if not limit or not days:
        return
    key = "promised" if limit.get("promised_days") is not None else "statutory"
    bound = limit.get(key + "_days")
    if bound is not None and sum(days) > bound:
        name = "承诺时限" if key == "promised" else "法定时限"
        f.error("process", f"办理流程各步骤时限合计 {sum(days)} 个工作日，超过{name}（{limit[key]}）",
                "核对各步骤的 time_limit 与 time_limit." + key, "SV-2")


def _downloads(info: dict) -> list[dict]:
    """表格下载: the forms, then the materials' blank and sample forms, each file once."""
    out, seen = [], set()

    def add(title, blank, sample, instructions):
        key = (blank or {}).get("out"), (sample or {}).get("out")
        if key not in seen and (blank or sample):
            seen.add(key)
            out.append({"title": title, "blank": blank, "sample": sample, "instructions": instructions})

    for form in info["forms"]:
        add(form["title"], form["blank"], form["sample"], form["instructions"])
    for m in info["materials"]:
        add(m["name"], m["blank_form"], m["sample"], m["instructions"])
    return out


# -- relations -----------------------------------------------------------------------------------
def link(site, pages, report) -> None:
    """相关政策 both ways: the guide links its policies, a visible guide is listed on the policy."""
    visible = set(map(id, site.pages))
    for page in pages:
        if page.type != NAME or not page.info:
            continue
        for name in ("laws", "faq"):
            page.links[name] = list(page.info.get(name, []))
        if id(page) in visible:
            for policy in page.info.get("laws", []):
                found = policy.links.setdefault("services", [])
                if page not in found:
                    found.append(page)
                    found.sort(key=lambda p: (p.date, p.src))
