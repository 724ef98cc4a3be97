"""法定主动公开内容: the statutory areas a site publishes on its own initiative, by kind of site.

《中华人民共和国政府信息公开条例》第二十条 lists what every administrative organ publishes
without being asked (regulations and normative documents, functions, plans, statistics, licences
and penalties, budgets, fees, procurement, major projects …); 第二十一条 adds areas that differ by
level: a 区 government and its departments also publish 市政建设、公共服务、公益事业、土地征收、
房屋征收、治安管理、社会救助, a 乡镇 or 街道 publishes 农业农村政策、农田水利工程、土地承包经营权
流转、宅基地审核、土地征收、房屋征收、筹资筹劳、社会救助. Those two articles are the default set of
sub-areas of a site's 法定主动公开内容 column, so the scaffold (``govsite new site --kind``) creates
them, the docs list them with their legal basis and the checker can tell which are missing.

A column *is* an area when its name is the area's name or one of its usual names (aliases), or its
folder is the area's suggested folder: sites name columns in their own words, and a new
``_column.yaml`` key would be one more thing to keep in step with the name. Areas that a standard
column family already carries (规章和规范性文件 in 政策文件, 机构职能, 负责人信息) are found by that
column type too, wherever the family sits.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass

from govsite.core.vocab import SITE_KINDS

STATUTORY_TYPE = "法定主动公开内容"
STATUTORY_FOLDER = "fdzdgk"          # suggested folder of the 法定主动公开内容 column (法定主动公开)
PORTAL, DEPARTMENT, TOWN = SITE_KINDS


@dataclass(frozen=True)
class Area:
    """One statutory sub-area (法定主动公开内容的一项)."""

    key: str                      # suggested folder (pinyin initials), e.g. "czyjs"
    name: str                     # column name the scaffold gives it, e.g. 财政预决算
    basis: str                    # 条例 article and item, e.g. 第二十条第（七）项
    column_type: str = STATUTORY_TYPE   # the ColumnType of its column
    aliases: tuple[str, ...] = ()       # other usual column names for the same area
    family: str = ""              # a standard column type that carries the area (no sub-column of its own)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class AreaPlace:
    """Where a site publishes one area: the columns found for it (empty: not published)."""

    area: Area
    columns: tuple = ()           # govsite.content.model.Column, tree order

    @property
    def present(self) -> bool:
        return bool(self.columns)


_A20 = "《条例》第二十条"
_A21 = "《条例》第二十一条"
# 第二十条: every administrative organ, whatever its level
ARTICLE_20 = (
    Area("gzgfxwj", "规章和规范性文件", _A20 + "第（一）项", "政策文件",
         ("规范性文件", "行政规范性文件", "政策文件"), family="政策文件"),
    Area("jgzn", "机构职能", _A20 + "第（二）项", "机构职能", ("机构设置", "机构信息", "机构概况"), family="机构职能"),
    Area("ldxx", "负责人信息", _A20 + "第（二）项", "负责人信息", ("领导信息", "领导之窗", "领导简介"), family="负责人信息"),
    Area("ghxx", "规划信息", _A20 + "第（三）项", aliases=("规划", "发展规划", "规划计划")),
    Area("tjxx", "统计信息", _A20 + "第（四）项", "数据发布", ("统计数据", "统计公报", "统计")),
    Area("xkcf", "行政许可和处罚", _A20 + "第（五）项、第（六）项",
         aliases=("行政许可", "行政处罚", "双公示", "行政执法公示", "行政许可和行政处罚")),
    Area("czyjs", "财政预决算", _A20 + "第（七）项", aliases=("财政信息", "预决算公开", "财政预算决算", "财政资金")),
    Area("sfxm", "行政事业性收费", _A20 + "第（八）项", aliases=("收费项目", "收费清单", "行政事业性收费项目")),
    Area("zfcg", "政府采购", _A20 + "第（九）项", aliases=("政府集中采购", "采购信息")),
    Area("zdxm", "重大建设项目", _A20 + "第（十）项", aliases=("重大项目", "重大建设项目批准和实施")),
    Area("mszc", "民生政策", _A20 + "第（十一）项",
         aliases=("扶贫、教育、医疗、社会保障、促进就业", "社会保障", "促进就业", "乡村振兴", "教育医疗社保就业")),
    Area("yjgl", "应急管理", _A20 + "第（十二）项", aliases=("突发事件应对", "应急预案", "突发公共事件")),
    Area("jdjc", "监督检查", _A20 + "第（十三）项",
         aliases=("环境保护、公共卫生、安全生产、食品药品、产品质量监督检查", "执法监管", "监督检查信息")),
    Area("gwylu", "公务员招考", _A20 + "第（十四）项", aliases=("公务员招录", "人事信息", "招考录用")),
)
# 第二十一条第一句: 设区的市级、县级人民政府及其部门 (a 区 portal and its departments)
ARTICLE_21_COUNTY = (
    Area("szjs", "市政建设", _A21, aliases=("城市建设",)),
    Area("ggfw", "公共服务", _A21),
    Area("gysy", "公益事业", _A21, aliases=("公益事业建设",)),
    Area("tdzs", "土地征收", _A21, aliases=("征地信息", "土地征收信息")),
    Area("fwzs", "房屋征收", _A21, aliases=("房屋征收与补偿", "征收补偿")),
    Area("zagl", "治安管理", _A21),
    Area("shjz", "社会救助", _A21, aliases=("社会救助信息", "低保救助")),
)
# 第二十一条第二句: 乡（镇）人民政府 — the demo and the scaffold treat a 街道 alike (kind: town)
ARTICLE_21_TOWN = (
    Area("nyzc", "农业农村政策", _A21, aliases=("贯彻落实农业农村政策", "惠农政策")),
    Area("ntsl", "农田水利工程", _A21, aliases=("农田水利工程建设运营", "农田水利")),
    Area("tdcb", "土地承包经营权流转", _A21, aliases=("农村土地承包经营权流转",)),
    Area("zjd", "宅基地审核", _A21, aliases=("宅基地使用情况审核", "宅基地")),
    Area("tdzs", "土地征收", _A21, aliases=("征地信息", "土地征收信息")),
    Area("fwzs", "房屋征收", _A21, aliases=("房屋征收与补偿", "征收补偿")),
    Area("cztl", "筹资筹劳", _A21, aliases=("一事一议筹资筹劳",)),
    Area("shjz", "社会救助", _A21, aliases=("社会救助信息", "低保救助")),
)
AREAS_BY_KIND = {
    PORTAL: ARTICLE_20 + ARTICLE_21_COUNTY,
    DEPARTMENT: ARTICLE_20 + ARTICLE_21_COUNTY,
    TOWN: ARTICLE_20 + ARTICLE_21_TOWN,
}


def default_areas(kind: str) -> tuple[Area, ...]:
    """The default sub-areas of 法定主动公开内容 for a site of ``kind`` (portal if unknown)."""
    return AREAS_BY_KIND.get(kind, AREAS_BY_KIND[PORTAL])


def own_areas(kind: str) -> tuple[Area, ...]:
    """The areas that get a sub-column of their own under 法定主动公开内容 (not carried by a
    standard column family such as 政策文件): what the scaffold creates."""
    return tuple(a for a in default_areas(kind) if not a.family)


def area_of(column, kind: str) -> Area | None:
    """The statutory area a column publishes, by its name, an alias or its folder name; None if
    it is no area (a column of type 法定主动公开内容 whose name is none of them is the whole area
    or a site's own addition)."""
    folder = posixpath.basename(column.src)
    for area in default_areas(kind):
        if column.name in area.names() or folder == area.key:
            return area
    return None


def find_areas(site) -> list[AreaPlace]:
    """Every default area of the site's kind and the columns that publish it, in the area order
    of the 条例. An area counts as present where a column is named for it, or where a column of
    its standard family (``Area.family``) is the top of that family — e.g. any 政策文件 column
    carries 规章和规范性文件. Columns of other sites (资源库) are not this site's."""
    kind = site.config.kind
    own = [c for c in site.columns if getattr(c, "origin", None) is None]
    places = []
    for area in default_areas(kind):
        found = [c for c in own if area_of(c, kind) == area
                 or (area.family and c.column_type == area.family
                     and (c.parent is None or c.parent.column_type != area.family))]
        places.append(AreaPlace(area, tuple(found)))
    return places


def missing_areas(site) -> list[Area]:
    """The default areas a site has no column for (for a presence finding)."""
    return [place.area for place in find_areas(site) if not place.present]
