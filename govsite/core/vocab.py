"""Controlled vocabularies from SPEC.md.

No national list of ``ColumnType`` (栏目类别) values exists; SPEC CO-7 fixes govsite's default
vocabulary, which a site extends with ``column_types`` in site.yaml.
"""

COLUMN_TYPES = (
    "概况信息", "机构职能", "负责人信息", "政策文件", "政策解读", "国务院信息转载", "政务动态",
    "通知公告", "信息公开指南", "信息公开目录", "信息公开年报", "数据发布", "数据开放", "回应关切",
    "办事服务", "互动交流", "专题专栏", "其他",
    # 政府信息公开's statutory structure (条例 第二十条、第二十一条、第二十七条; 应登尽登 in 政府公报)
    "信息公开制度", "法定主动公开内容", "依申请公开", "政府公报",
)
# what a site is (site.yaml ``kind``): which standard column families it must have (CO-6) and
# which statutory areas its 法定主动公开内容 defaults to (条例 第二十一条 differs for 乡镇)
SITE_KINDS = ("portal", "department", "town")

DEFAULT_COLUMN_TYPE = "其他"
TOPIC_TYPE = "专题专栏"
REPRINT_TYPE = "国务院信息转载"   # a column of reposts (转载): every page in it is one (CP-4, LK-3)

# generated pages (汇总页) a column may ask for with ``views:`` (govsite.render.views), name → title
VIEWS = {"policy_library": "政策文件库", "disclosure_catalogue": "政府信息公开目录", "services": "办事服务目录",
         "reply_stats": "留言答复统计", "data_catalogue": "数据开放目录"}
VIEW_FILES = {"policy_library": "library.html", "disclosure_catalogue": "catalogue.html", "services": "services.html",
              "reply_stats": "stats.html", "data_catalogue": "datasets.html"}   # output file in the column's folder
# 依申请公开: the printable application form with the procedure (govsite.render.views.application_form)
VIEWS["application_form"] = "政府信息公开申请表"
VIEW_FILES["application_form"] = "apply.html"
# 法定主动公开内容: the statutory areas and where the site publishes each (govsite.render.views.statutory_areas)
VIEWS["statutory_areas"] = "法定主动公开内容一览"
VIEW_FILES["statutory_areas"] = "areas.html"
