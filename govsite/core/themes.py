"""主题分类 (theme classification) of government information: the vocabulary of ``category``.

The 信息公开目录 and the policy library classify every document by theme. The first level is the
22 themes of the State Council policy library (国务院政策文件库主题分类); local catalogues add a
second level under them, written ``主题／子主题`` with the full-width slash (``综合政务／政务公开``).
The sub-themes below are govsite's default second level, the ones district catalogues commonly
use; a site adds its own in site.yaml (``categories: [综合政务／营商环境, …]``, like
``column_types``). A theme is a fact about the document, never derived from the column it is
filed in: a document nobody classified is shown as :data:`UNCLASSIFIED`.

``docs/units.md`` lists this vocabulary; it is generated from here (``scripts/docs_formats.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

SEPARATOR = "／"
UNCLASSIFIED = "未分类"
OTHER = "其他"

# first level: the State Council policy library's 22 themes, in its order; second level: sub-themes
THEMES: dict[str, tuple[str, ...]] = {
    "国务院组织机构": ("国务院组成部门", "国务院直属机构", "国务院办事机构", "国务院直属事业单位", "国务院部委管理的国家局",
                "国务院议事协调机构"),
    "综合政务": ("政务公开", "政务督查", "政务服务", "电子政务", "应急管理", "文秘工作", "信访", "机构编制", "法治政府建设"),
    "国民经济管理、国有资产监管": ("发展规划", "经济体制改革", "经济运行", "价格", "统计", "物资储备", "营商环境",
                        "国有资产监管"),
    "财政、金融、审计": ("财政", "预算决算", "政府采购", "税务", "金融", "审计"),
    "国土资源、能源": ("自然资源", "土地", "矿产", "测绘", "能源", "电力"),
    "农业、林业、水利": ("农业", "农村", "林业", "畜牧兽医", "渔业", "水利"),
    "工业、交通": ("工业", "信息化", "交通", "道路运输", "邮政", "通信"),
    "商贸、海关、旅游": ("商贸", "对外贸易", "海关", "口岸", "旅游"),
    "市场监管、安全生产监管": ("市场监管", "质量监督", "食品药品监管", "知识产权", "安全生产"),
    "城乡建设、环境保护": ("城乡规划", "城市建设", "市政公用", "住房保障", "房地产", "村镇建设", "城市管理",
                  "生态环境", "节能减排"),
    "科技、教育": ("科技", "教育"),
    "文化、广电、新闻出版": ("文化", "文物", "广播电视", "新闻出版"),
    "卫生、体育": ("卫生健康", "医疗保障", "疾病预防控制", "体育"),
    "人口与计划生育、妇女儿童工作": ("人口与计划生育", "妇女儿童", "老龄工作"),
    "劳动、人事、监察": ("就业", "社会保障", "劳动关系", "人事工作", "公务员", "监察"),
    "公安、安全、司法": ("公安", "国家安全", "司法", "法律服务"),
    "民政、扶贫、救灾": ("社会救助", "养老服务", "社会事务", "社会组织", "社区建设", "乡村振兴", "防灾减灾",
                 "优抚安置"),
    "民族、宗教": ("民族事务", "宗教事务"),
    "对外事务": ("外事",),
    "港澳台侨工作": ("港澳", "台湾", "侨务"),
    "国防": ("国防动员", "人民防空", "双拥", "退役军人事务"),
    OTHER: (),
}


@dataclass(frozen=True)
class Vocabulary:
    """The themes a site may write: :data:`THEMES` plus the site's ``categories``. Every first-level
    theme except 其他 also takes 其他 as a sub-theme."""

    themes: dict = field(default_factory=lambda: dict(THEMES))

    def extended(self, extra) -> Vocabulary:
        """With a site's additions: ``主题`` adds a first-level theme, ``主题／子主题`` a sub-theme
        (and its first level, when that is new too)."""
        themes = {k: list(v) for k, v in self.themes.items()}
        for value in extra:
            top, _, sub = str(value).strip().partition(SEPARATOR)
            subs = themes.setdefault(top.strip(), [])
            if sub.strip() and sub.strip() not in subs:
                subs.append(sub.strip())
        return Vocabulary({k: tuple(v) for k, v in themes.items()})

    def problem(self, value: str) -> str:
        """What is wrong with a written ``category`` ("" when it is in the vocabulary), in Chinese."""
        text = str(value).strip()
        if "/" in text and SEPARATOR not in text:
            return f"主题分类「{text}」用了半角斜杠 /：主题和子主题之间写全角斜杠「{SEPARATOR}」"
        top, _, sub = text.partition(SEPARATOR)
        if top not in self.themes:
            return f"主题分类「{text}」的主题「{top}」不在主题分类表中"
        if sub and sub != OTHER and sub not in self.themes[top]:
            known = "、".join(self.themes[top]) or "（无子主题）"
            return f"主题分类「{text}」的子主题「{sub}」不属于「{top}」（可选：{known}）"
        if sub == OTHER and top == OTHER:
            return f"主题分类「{text}」：「{OTHER}」没有子主题"
        return ""

    def suggestion(self, value: str) -> str:
        """A hint for a wrong value: the sub-themes of a known theme, else the themes that share
        most characters with it (at least two), else every theme."""
        top = str(value).strip().replace("/", SEPARATOR).partition(SEPARATOR)[0]
        where = "；也可在 site.yaml 的 categories 中增加，完整列表见 docs/units.md"
        if top in self.themes:
            return f"写「{top}」或「{top}{SEPARATOR}子主题」" + where
        letters = set(top) - set("、与和")
        scored = sorted(((len(letters & set(t)), t) for t in self.themes), key=lambda s: -s[0])
        close = [t for score, t in scored if score >= 2][:3]
        return "可选主题：" + "".join(f"「{t}」" for t in close or self.themes) + f"；子主题写作「主题{SEPARATOR}子主题」" + where


VOCABULARY = Vocabulary()


def theme_of(value) -> str:
    """The first-level theme of a ``category`` value (the catalogue's 主题分类 facet), or
    :data:`UNCLASSIFIED`."""
    text = str(value or "").strip()
    return text.partition(SEPARATOR)[0] if text else UNCLASSIFIED


def doc_table(themes: dict | None = None) -> str:
    """The vocabulary as a Markdown table (docs/units.md, written by ``scripts/docs_formats.py``)."""
    rows = ["| 主题 | 子主题 |", "|---|---|"]
    for top, subs in (THEMES if themes is None else themes).items():
        rows.append(f"| {top} | {'、'.join(subs) if subs else '—'} |")
    return "\n".join(rows)
