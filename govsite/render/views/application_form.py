"""政府信息公开申请表: the printable application form of a 依申请公开 column, with the procedure.

《政府信息公开条例》第二十七–二十九条 say who may apply, in which ways (信件, 数据电文, 当面) and
what a request states: 申请人的姓名或者名称、身份证明、联系方式; the information asked for (名称、
文号或者便于查询的其他特征性描述); the form requirements (获取信息的方式、途径). 第三十三条 fixes
the answer time: 20 working days, at most 20 more with notice. Many applicants still print the
form and post it or bring it in, so the form is an HTML page that prints on one A4 sheet (the
site's chrome hidden by CSS, like an article's print view) and needs no script; on screen it can
be filled in before printing. The online platform (``interaction.apply_url``) is linked first.

A column asks for it with ``views: [application_form]``; the receiving organ (受理机关) is the
column's unit (单位信息公开专栏) or the site's sponsor. The fields are declared here, not in the
template, so the docs and the tests read the same list.
"""
from __future__ import annotations

from dataclasses import dataclass

from govsite.core.vocab import VIEW_FILES, VIEWS as VIEW_TITLES

NAME = "application_form"
TITLE = VIEW_TITLES[NAME]
FILE = VIEW_FILES[NAME]
TEMPLATE = "views/application_form.html"
REPLY_DAYS = 20          # 条例 第三十三条第二款
EXTENSION_DAYS = 20


@dataclass(frozen=True)
class FormField:
    """One blank of the form: ``kind`` is text, textarea, date or choice (check boxes)."""

    id: str
    label: str
    kind: str = "text"
    autocomplete: str = ""
    options: tuple[str, ...] = ()
    wide: bool = False          # spans the whole row of the printed form


@dataclass(frozen=True)
class FieldGroup:
    """A block of the form (a fieldset with its legend)."""

    id: str
    legend: str
    note: str
    fields: tuple[FormField, ...]


PERSON = FieldGroup("apply-person", "申请人是公民（自然人）", "公民申请填写本栏", (
    FormField("person-name", "姓名", autocomplete="name"),
    FormField("person-employer", "工作单位", autocomplete="organization"),
    FormField("person-id-type", "证件名称"),
    FormField("person-id-no", "证件号码"),
))
ORGANISATION = FieldGroup("apply-org", "申请人是法人或者其他组织", "法人或者其他组织申请填写本栏", (
    FormField("org-name", "名称", autocomplete="organization"),
    FormField("org-code", "统一社会信用代码"),
    FormField("org-representative", "法定代表人或者负责人"),
    FormField("org-contact", "联系人姓名", autocomplete="name"),
))
CONTACT = FieldGroup("apply-contact", "联系方式", "用于送达答复，请准确填写", (
    FormField("contact-phone", "联系电话", autocomplete="tel"),
    FormField("contact-email", "电子邮箱", autocomplete="email"),
    # one line of text: HTML's street-address token is for a multi-line control
    FormField("contact-address", "通信地址", autocomplete="address-line1", wide=True),
    FormField("contact-postcode", "邮政编码", autocomplete="postal-code"),
))
REQUEST = FieldGroup("apply-request", "申请公开的政府信息", "一份申请表填写一项政府信息", (
    FormField("request-description", "所需政府信息的名称、文号或者便于行政机关查询的其他特征性描述",
              "textarea", wide=True),
    FormField("request-form", "信息的载体形式（可选）", "choice", options=("纸质文本", "电子文档")),
    FormField("request-delivery", "获取信息的方式（可选）", "choice",
              options=("邮寄", "电子邮件", "自行领取", "当场阅读、抄录")),
))
SIGNATURE = FieldGroup("apply-sign", "申请人确认", "", (
    FormField("sign-name", "申请人签名或者盖章"),
    FormField("sign-date", "申请日期"),
))
GROUPS = (PERSON, ORGANISATION, CONTACT, REQUEST, SIGNATURE)


@dataclass(frozen=True)
class Procedure:
    """How to apply to this organ: the channels and the time limits, from site.yaml and the 条例."""

    organ: str                  # 受理机关
    apply_url: str              # 在线申请 (interaction.apply_url), "" if none
    address: str
    postcode: str
    phone: str
    reply_days: int = REPLY_DAYS
    extension_days: int = EXTENSION_DAYS


def build(site, column) -> dict:
    config = site.config
    unit = getattr(column, "unit", None)
    contact = config.contact or {}
    procedure = Procedure(organ=unit.name if unit is not None else config.sponsor,
                          apply_url=config.interaction.apply_url if config.interaction else "",
                          address=contact.get("address", ""), postcode=contact.get("postcode", ""),
                          phone=contact.get("phone", ""))
    return {"procedure": procedure, "groups": GROUPS}
