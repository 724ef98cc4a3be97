"""办事指南 (S4) and the services catalogue (SV-1): what editors write, what applicants see."""
from __future__ import annotations

import json

import yaml

SERVICE = {
    "type": "service",
    "item_name": "测试事项登记",
    "item_type": "公共服务",
    "audience": ["个人"],
    "theme": ["社会保障"],
    "basis": ["《测试条例》第三条"],
    "conditions": "本区户籍居民",
    "materials": [
        {"name": "居民身份证", "original_or_copy": "原件", "copies": 1, "format": "纸质", "sign_stamp": "无"},
        {"name": "登记表", "original_or_copy": "原件", "copies": 2, "format": "纸质", "sign_stamp": "本人签字",
         "form": True, "blank_form": "dengjibiao.csv", "sample": "dengjibiao-yangben.csv"},
    ],
    "process": {"summary": "申请→受理→办结", "steps": [
        {"name": "受理", "actor": "区政务服务中心窗口", "time_limit": 1},
        {"name": "审核", "actor": "区社保中心", "time_limit": 3},
    ]},
    "time_limit": {"statutory": 20, "promised": 5},
    "fees": "不收费",
    "handling_org": "测试区社会保险事业管理中心",
    "location": ["测试区政务服务中心二楼"],
    "hours": "工作日9:00—17:00",
    "phone": "0000-12340000",
    "supervision": "监督电话 0000-12349999",
    "online_level": "全程网办",
    "online": {"apply": "https://zwfw.ceshi.gov.cn/apply", "status": "https://zwfw.ceshi.gov.cn/status"},
}


def write_guide(project, rel="bsfw/grbs/dengji.md", title="测试事项登记办事指南", body="## 注意事项\n\n请如实填写。\n", **changes):
    fields = {**SERVICE, **changes}
    fields = {k: v for k, v in fields.items() if v is not None}
    head = yaml.safe_dump({"title": title, "date": "2026-05-10 09:00", **fields}, allow_unicode=True, sort_keys=False)
    path = project.write(f"content/t/{rel}", f"---\n{head}---\n\n{body}")
    return path


def line_of(path, key) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(key + ":"):
            return n
    raise AssertionError(key)


def services_site(project):
    project.column("bsfw", "办事服务", type="办事服务", order=3, views="[services]")
    project.column("bsfw/grbs", "个人办事", type="办事服务")
    project.write("content/t/bsfw/grbs/dengjibiao.csv", "栏目,填写内容\n姓名,\n")
    project.write("content/t/bsfw/grbs/dengjibiao-yangben.csv", "栏目,填写内容\n姓名,张三\n")


def test_guide_renders_elements_materials_steps_and_forms(project):
    services_site(project)
    write_guide(project)
    result = project.build()
    assert result.exit_code == 0, result.output
    html = project.html("bsfw/grbs/dengji.html")
    for label in ("事项名称", "事项类型", "设定依据", "申请条件", "办理材料", "办理地点", "办理时间", "联系电话",
                  "办理流程", "收费标准", "办理时限", "办理机构", "监督投诉"):
        assert f'<th scope="row">{label}</th>' in html, label
    assert "法定时限：20个工作日" in html and "承诺时限：5个工作日" in html
    assert '<th scope="col">原件/复印件</th>' in html and "<caption" in html
    assert 'href="dengjibiao.csv" download' in html and 'href="dengjibiao-yangben.csv" download' in html
    assert project.out("bsfw/grbs/dengjibiao.csv").read_text(encoding="utf-8").startswith("栏目")
    assert "办理主体：区社保中心；时限：3个工作日" in html
    assert '<span class="tag tag-online">全程网办</span>' in html
    assert 'href="https://zwfw.ceshi.gov.cn/apply"' in html and "办件查询" in html
    article = html[html.index("<article"):]
    assert article.index("办事指南要素") < article.index("请如实填写") < article.index("service-forms-title")  # prose kept between


def test_list_shows_online_level(project):
    services_site(project)
    write_guide(project)
    assert project.build().exit_code == 0
    listing = project.html("bsfw/grbs/index.html")
    assert "测试事项登记办事指南" in listing and 'class="tag tag-online" title="网上可办理程度">全程网办' in listing


def test_catalogue_groups_by_theme_and_audience(project):
    services_site(project)
    project.column("bsfw/frbs", "法人办事", type="办事服务")
    write_guide(project)
    write_guide(project, "bsfw/frbs/kaiban.md", "企业开办办事指南", item_name="企业开办", audience=["法人"],
                theme=["设立变更"], online_level="网上申报", materials=[{"name": "申请书"}])
    write_guide(project, "bsfw/grbs/draft.md", "草稿指南", item_name="草稿事项", draft=True)
    result = project.build()
    assert result.exit_code == 0, result.output
    html = project.html("bsfw/services.html")
    by_theme = html[html.index('id="by-theme"'):html.index('id="by-audience"')]
    by_audience = html[html.index('id="by-audience"'):]
    assert "社会保障" in by_theme and "设立变更" in by_theme
    personal = by_audience[by_audience.index("个人办事"):by_audience.index("法人办事")]
    assert "测试事项登记" in personal and "企业开办" not in personal
    assert "企业开办" in by_audience[by_audience.index("法人办事"):]
    assert 'href="grbs/dengji.html"' in html and 'href="frbs/kaiban.html"' in html
    assert "网上申报" in html and "草稿事项" not in html
    assert 'href="#by-theme"' in html and 'href="#by-audience"' in html  # in-page navigation, no script needed
    assert "services.html" in project.html("bsfw/index.html")  # the column links its catalogue
    data = json.loads(project.out("bsfw/services.json").read_text(encoding="utf-8"))
    assert data["count"] == 2 and {s["item_name"] for s in data["services"]} == {"测试事项登记", "企业开办"}


def test_laws_link_policy_both_ways(project):
    services_site(project)
    project.column("zcwj", "政策文件", type="政策文件", order=4)
    project.page("zcwj/tiaoli.md", "测试区社会保险办法", type="policy", doc_kind="其他政策性文件",
                 issuer="测试区人民政府", signed="2026-01-05", status="有效")
    write_guide(project, laws=["../../zcwj/tiaoli.md"])
    result = project.build()
    assert result.exit_code == 0, result.output
    html = project.html("bsfw/grbs/dengji.html")
    assert "相关政策" in html and 'href="../../zcwj/tiaoli.html"' in html
    policy = project.html("zcwj/tiaoli.html")
    assert "相关办事指南" in policy and 'href="../bsfw/grbs/dengji.html">测试事项登记办事指南' in policy


def test_missing_required_element_is_an_error_with_line(project):
    services_site(project)
    path = write_guide(project, supervision=None, hours=None)
    result = project.build()
    assert result.exit_code != 0
    assert "缺少必填字段 supervision（监督投诉）" in result.output
    assert f"dengji.md:{line_of(path, 'type')}" in result.output  # missing keys point at the type line
    assert "缺少必填字段 hours（办理时间）" in result.output
    assert not project.out("bsfw/grbs/dengji.html").exists()


def test_bad_online_level(project):
    services_site(project)
    path = write_guide(project, online_level="随便办")
    result = project.build()
    assert result.exit_code != 0
    assert f"dengji.md:{line_of(path, 'online_level')}" in result.output
    assert "[SV-3]" in result.output and "随便办" in result.output and "全程网办" in result.output


def test_missing_form_file(project):
    services_site(project)
    materials = [{"name": "申请表", "form": True, "blank_form": "no-such-form.csv"}]
    path = write_guide(project, materials=materials)
    result = project.build()
    assert result.exit_code != 0
    assert f"dengji.md:{line_of(path, 'materials')}" in result.output
    assert "no-such-form.csv」不存在" in result.output


def test_form_material_without_blank_form(project):
    services_site(project)
    write_guide(project, materials=[{"name": "申请表", "form": True}])
    result = project.build()
    assert result.exit_code != 0 and "没有提供空白表格 blank_form" in result.output


def test_duplicate_and_invalid_online_urls(project):
    services_site(project)
    path = write_guide(project, online={"apply": "https://zwfw.ceshi.gov.cn/x", "status": "https://zwfw.ceshi.gov.cn/x/",
                                        "result": "zwfw.ceshi.gov.cn/result"})
    result = project.build()
    assert result.exit_code != 0
    line = line_of(path, "online")
    assert f"dengji.md:{line}" in result.output
    assert "online.status（办件查询）与 online.apply（在线办理）是同一地址" in result.output
    assert "online.result（结果反馈）「zwfw.ceshi.gov.cn/result」不是有效的网址" in result.output


def test_steps_exceeding_the_promised_limit(project):
    services_site(project)
    process = {"steps": [{"name": "受理", "actor": "窗口", "time_limit": "2个工作日"},
                         {"name": "审查", "actor": "科室", "time_limit": 4}]}
    path = write_guide(project, process=process, time_limit={"statutory": 20, "promised": 5})
    result = project.build()
    assert result.exit_code != 0
    assert f"dengji.md:{line_of(path, 'process')}" in result.output
    assert "[SV-2] 办理流程各步骤时限合计 6 个工作日，超过承诺时限（5个工作日）" in result.output


def test_promise_longer_than_statutory_limit(project):
    services_site(project)
    write_guide(project, time_limit={"statutory": 5, "promised": 10})
    result = project.build()
    assert result.exit_code != 0 and "承诺时限（10个工作日）超过法定时限（5个工作日）" in result.output


def test_fees_charged_need_standard_and_basis(project):
    services_site(project)
    write_guide(project, fees={"charged": True, "standard": "每证20元"})
    result = project.build()
    assert result.exit_code != 0 and "收费依据 fees.basis" in result.output


def test_charged_fee_is_shown(project):
    services_site(project)
    write_guide(project, fees={"charged": True, "standard": "每证20元", "basis": "《收费标准通知》"})
    assert project.build().exit_code == 0
    html = project.html("bsfw/grbs/dengji.html")
    assert "收费：每证20元" in html and "收费依据：《收费标准通知》" in html


def test_bad_audience(project):
    services_site(project)
    write_guide(project, audience=["企业"])
    result = project.build()
    assert result.exit_code != 0 and "audience（服务对象）的值「企业」无效" in result.output


def test_demo_guides_and_catalogue(demo):
    html = (demo / "bsfw/grbs/2025-11-10-dbsq.html").read_text(encoding="utf-8")
    assert "dbsq-shenqingshu.txt" in html and (demo / "bsfw/grbs/dbsq-shenqingshu.txt").is_file()
    catalogue = (demo / "bsfw/services.html").read_text(encoding="utf-8")
    assert catalogue.count('class="tag tag-online"') >= 16  # 8 guides, listed by theme and by user


def test_forms_section_lists_each_file_once(project):
    services_site(project)
    project.write("content/t/bsfw/grbs/weituoshu.txt", "委托书（空白）\n")
    forms = [{"title": "委托书", "blank": "weituoshu.txt", "instructions": "委托他人办理时填写"},
             {"title": "登记表", "blank": "dengjibiao.csv", "sample": "dengjibiao-yangben.csv"}]
    write_guide(project, forms=forms)
    result = project.build()
    assert result.exit_code == 0, result.output
    html = project.html("bsfw/grbs/dengji.html")
    section = html[html.index('id="service-forms-title"'):html.index('id="service-contact-title"')]
    assert 'href="weituoshu.txt" download' in section and "填写说明：委托他人办理时填写" in section
    assert section.count('href="dengjibiao.csv"') == 1  # named by the form and by the material: listed once


def test_missing_forms_blank_file(project):
    services_site(project)
    path = write_guide(project, forms=[{"title": "委托书", "blank": "nowhere.txt"}])
    result = project.build()
    assert result.exit_code != 0
    assert f"dengji.md:{line_of(path, 'forms')}" in result.output and "nowhere.txt」不存在" in result.output


def test_online_level_without_addresses_warns(project):
    services_site(project)
    path = write_guide(project, online=None, online_level="网上申报")
    result = project.build()
    assert result.exit_code == 0, result.output
    assert f"dengji.md:{line_of(path, 'online_level')}: 警告: [SV-3]" in result.output
