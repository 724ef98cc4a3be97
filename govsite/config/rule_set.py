"""The rule set (规则集): what a Chinese government website must do and show, one id per rule.

The ids are the ones govsite's messages cite (``[CO-3] …``). They come from the national rules
(国办发〔2017〕47号《政府网站发展指引》 and its annexes; 国办秘函〔2019〕19号《政府网站与政务新媒体
检查指标》) and the Tianjin measures (天津市政府网站管理办法 with its 网页设计规范 and 网站功能规范);
this table keeps, for each id, a Chinese title and one English line. ``docs/rules.md`` is generated
from it and from the rule registry (:mod:`govsite.config.rules`): for each id, which registered
rules enforce it in ``govsite build`` or ``govsite check``, what the default theme shows for it
(``theme``, each claim named by the test that shows it), or, honestly, that it is not covered yet.
A test keeps the claims true: every named test exists, every related rule is registered.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shown:
    """Something the default theme or the build output does for a rule, and the test that shows it."""

    what: str                # English, short
    test: str                # "tests/test_build.py::test_name"


@dataclass(frozen=True)
class SetRule:
    id: str
    title: str               # Chinese
    summary: str             # one English line
    theme: tuple = ()        # Shown: what the default theme or the build output does for it
    related: tuple = ()      # registry ids of other rules that cover part of it
    note: str = ""           # what is not covered, or how it is covered


def _t(what: str, test: str) -> Shown:
    return Shown(what, test)


RULE_SET: tuple[SetRule, ...] = (
    # 1. Site identity (ID)
    SetRule("ID-1", "网站标识信息", "full name, domain, site code, sponsor, contact, ICP and 公安备案 numbers, 党政机关网站标识",
            (_t("footer shows the identity, filing numbers and badge",
                "tests/test_build.py::test_header_and_footer_identical_on_every_page_type"),)),
    SetRule("ID-2", "网站名称", "the site name shown prominently in the header",
            (_t("header with the site name on every page type",
                "tests/test_build.py::test_header_and_footer_identical_on_every_page_type"),)),
    SetRule("ID-3", "网址规范", "readable, stable URLs; one unique address per resource",
            (_t("stable URLs from file names and slugs", "tests/test_build.py::test_urls_stable_and_slug_rule"),)),
    SetRule("ID-4", "禁止商业广告", "no advertising or commercial content, ever"),
    # 2. Layout (LY)
    SetRule("LY-1", "页面结构", "header, content area, footer; header and footer identical on every page type",
            (_t("identical header and footer on every page type",
                "tests/test_build.py::test_header_and_footer_identical_on_every_page_type"),)),
    SetRule("LY-2", "页头", "site name and logo, a prominent search box, channel navigation in one row",
            (_t("skip link, search box and channel navigation by keyboard",
                "tests/test_theme_browser.py::test_keyboard_reaches_skip_link_search_navigation_and_content_with_visible_focus"),
             _t("RSS feeds linked from the header", "tests/test_feeds.py::test_feeds_are_linked_from_page_heads_and_header"))),
    SetRule("LY-3", "页脚", "footer: 党政机关网站标识, 我为政府网站找错, site code, sponsor and contact, filing numbers, "
            "copyright, site map, help",
            (_t("every footer item on every page type",
                "tests/test_build.py::test_header_and_footer_identical_on_every_page_type"),)),
    SetRule("LY-4", "阅读顺序", "reading order left-to-right, top-to-bottom; important columns in the central area",
            (_t("home page blocks in the order site.yaml gives them",
                "tests/test_home.py::test_every_block_kind_renders_in_the_order_site_yaml_gives"),),
            note="home.blocks are checked (known kinds, columns that exist); the theme's reading order is not"),
    SetRule("LY-5", "色彩与字体", "one main and one or two auxiliary colours; readable fonts; sufficient contrast",
            (_t("the site's colours are used in the theme",
                "tests/test_build.py::test_site_colours_are_used_and_contrast_checked"),)),
    SetRule("LY-6", "图标与多媒体", "consistent icons; images and video load fast and are never broken",
            related=("LK-1",), note="broken images and missing video files are LK-1; icons, video formats and "
                                    "image weight are not checked"),
    SetRule("LY-7", "响应式与加载", "responsive layout for common resolutions and phones; pages load in under 3 s",
            (_t("no horizontal scrolling at phone and desktop widths", "tests/test_theme_browser.py::test_no_horizontal_scrolling"),
             _t("phone navigation collapses and opens by keyboard",
                "tests/test_theme_browser.py::test_phone_navigation_collapses_and_opens_by_keyboard"),
             _t("article page weight budget", "tests/test_theme_browser.py::test_article_page_weight_budget"))),
    SetRule("LY-8", "浏览器兼容", "mainstream browsers without plug-ins; little JavaScript; no floating or flashing elements",
            (_t("readable and navigable without JavaScript",
                "tests/test_theme_browser.py::test_everything_readable_and_navigable_without_javascript"),
             _t("no request outside the site", "tests/test_theme_browser.py::test_file_url_every_page_type_without_outside_requests"))),
    SetRule("LY-9", "操作确认与输入提示", "confirmation for irreversible actions; clear messages that keep what the user typed",
            note="not checked"),
    # 3. Meta tags (MT)
    SetRule("MT-1", "网站标签", "SiteName, SiteDomain, SiteIDCode on every page",
            (_t("site, column and content tags written", "tests/test_meta.py::test_site_column_and_content_tags_present"),)),
    SetRule("MT-2", "栏目标签", "ColumnName, ColumnDescription, ColumnKeywords, ColumnType on column pages; "
            "ColumnName, ColumnType on content pages",
            (_t("site, column and content tags written", "tests/test_meta.py::test_site_column_and_content_tags_present"),)),
    SetRule("MT-3", "内容页标签", "ArticleTitle, PubDate, ContentSource, Keywords, Author, Description, Image, Url",
            (_t("no tag value empty anywhere", "tests/test_meta.py::test_no_meta_value_empty_anywhere"),)),
    SetRule("MT-4", "标签格式与继承", "PubDate YYYY-MM-DD HH:MM; ColumnType vocabulary; inherited values",
            (_t("PubDate format and absolute Url", "tests/test_meta.py::test_pubdate_format_and_absolute_url"),
             _t("inheritance chain of tag values", "tests/test_meta.py::test_inheritance_chain"))),
    SetRule("MT-5", "标准网页标签", "the title element, description, keywords, canonical link and Open Graph tags alongside",
            (_t("standard tags alongside", "tests/test_meta.py::test_standard_tags_alongside"),)),
    # 4. Columns and channels (CO)
    SetRule("CO-1", "栏目层级", "columns nest at most 3 levels"),
    SetRule("CO-2", "频道数量", "at most 8 channels"),
    SetRule("CO-3", "空栏目", "no empty column, ever — not even \"under construction\""),
    SetRule("CO-4", "栏目更新", "columns stay up to date; stale columns are flagged"),
    SetRule("CO-5", "专题专栏", "topics: entered from the home page, archived when the work ends, kept in the topic area",
            (_t("current topics on the home page", "tests/test_build.py::test_current_topic_on_home_page"),
             _t("an ended topic archives itself and leaves the home page",
                "tests/test_types_policy.py::test_topic_past_its_end_archives_itself_and_leaves_the_home_page"))),
    SetRule("CO-6", "标准栏目", "standard column families: 概况信息, 机构职能, 负责人信息, 政策文件, 政务动态 …",
            (_t("the demo site has the standard columns", "tests/test_demo.py::test_demo_size_and_standard_columns"),),
            note="CO-6 names each family the site's kind (portal, department, town) lacks; "
                 "CO-6.leader checks the leader pages"),
    SetRule("CO-7", "栏目类别", "ColumnType from a default vocabulary that a site may extend"),
    # 5. Content pages (CP)
    SetRule("CP-1", "内容页要素", "every article shows title, date-time, source (信息来源) and body"),
    SetRule("CP-2", "页面工具", "optional page tools: share, error report, font size, background colour, print …",
            (_t("font size and contrast tools persist across pages",
                "tests/test_theme_browser.py::test_reading_tools_persist_across_pages_and_work_by_keyboard"),)),
    SetRule("CP-3", "内部链接", "navigation, site map, breadcrumbs, previous/next, related articles",
            (_t("previous/next and related articles", "tests/test_build.py::test_prev_next_and_related"),)),
    SetRule("CP-4", "转载", "reposts name and link their source; reposts of key policies within 12 hours",
            (_t("a repost shows its source and original time",
                "tests/test_types_policy.py::test_repost_shows_its_source_and_original_time"),)),
    # 6. Archive and migration (AR)
    SetRule("AR-1", "归档标识", "archived pages stay reachable, marked 已归档 with the archive time",
            (_t("archive stamp on pages and columns", "tests/test_build.py::test_archive_stamp_on_page_and_column"),)),
    SetRule("AR-2", "专题与栏目归档", "ended topics carry the archive mark; archiving a column archives everything under it",
            (_t("archive stamp on pages and columns", "tests/test_build.py::test_archive_stamp_on_page_and_column"),)),
    SetRule("AR-3", "迁移公告", "a migration notice on the home page saying where content went, at least 30 days",
            (_t("the notice shows on the home page within its dates",
                "tests/test_types_policy.py::test_migration_notice_shows_on_the_home_page_within_its_dates"),)),
    SetRule("AR-4", "文件效力状态", "amended, repealed or expired policy documents marked, linking what replaces them",
            (_t("status marks with links", "tests/test_types_policy.py::test_repealed_amended_and_expired_policies_are_marked_with_links"),)),
    # 7. Links (LK)
    SetRule("LK-1", "断链", "no broken or wrong links"),
    SetRule("LK-2", "外部链接与暗链", "outbound links reviewed and announced by a leaving notice; no hidden links",
            (_t("outbound links lead through a leaving notice",
                "tests/test_build.py::test_outbound_links_lead_through_a_leaving_notice"),)),
    SetRule("LK-3", "转载外链", "reposted articles drop unnecessary outbound links",
            note="a link in a repost to a host other than the original's and the site's own (LK-3)"),
    # 8. Government information disclosure (GK)
    SetRule("GK-1", "公开指南、目录、年报", "disclosure guide, catalogue and annual reports; every catalogue entry reaches its document",
            (_t("the disclosure catalogue links every entry",
                "tests/test_types_policy.py::test_disclosure_catalogue_links_every_entry_with_its_classification"),
             _t("the 年报 follows the uniform format's tables",
                "tests/test_statutory.py::test_annual_report_tables_keep_the_uniform_structure_with_headers_for_every_figure"),
             _t("the 年报's sums are checked (GK-1.report)",
                "tests/test_statutory.py::test_annual_report_figures_that_do_not_add_up_stop_the_build"))),
    SetRule("GK-2", "公开事项标准目录", "standard catalogue: name, basis, content, subject, time limit and manner of each item",
            (_t("the standard catalogue shows all nine elements",
                "tests/test_types_policy.py::test_standard_catalogue_renders_all_nine_elements_and_links_targets"),)),
    SetRule("GK-3", "公开时限", "time limits in working days, with the Chinese working-day calendar"),
    SetRule("GK-4", "政策解读", "interpretation within 3 working days; policy and interpretation link each other",
            (_t("policy page links its interpretation",
                "tests/test_types_policy.py::test_policy_page_shows_metadata_table_and_interpretation"),)),
    SetRule("GK-5", "文号与索引号", "issuing number, body, dates and status; an index number per disclosed document",
            (_t("index numbers generated stably",
                "tests/test_types_policy.py::test_index_numbers_are_generated_stably_and_written_ones_kept"),
             _t("a 政府公报 issue lists its documents with their 文号 and links its PDF",
                "tests/test_gazette.py::test_issue_page_lists_its_documents_with_doc_numbers_grouped_and_links_the_pdf"),
             _t("documents link back to the 公报 issue that carries them",
                "tests/test_gazette.py::test_documents_link_back_to_the_issue_that_carries_them"))),
    # 9. Services (SV)
    SetRule("SV-1", "办事服务入口", "one services entry; a catalogue by theme and by user (个人/法人)",
            (_t("the services catalogue groups by theme and audience",
                "tests/test_types_services.py::test_catalogue_groups_by_theme_and_audience"),)),
    SetRule("SV-2", "办事指南要素", "each service guide lists its elements as a table; blank and sample forms downloadable",
            (_t("guide renders elements, materials, steps and forms",
                "tests/test_types_services.py::test_guide_renders_elements_materials_steps_and_forms"),)),
    SetRule("SV-3", "在线办理深度", "how far a service can be done online",
            (_t("lists show the online level", "tests/test_types_services.py::test_list_shows_online_level"),)),
    SetRule("SV-4", "办事关联", "service pages link related policies, FAQs, consultation and complaints",
            (_t("laws and policies link both ways", "tests/test_types_services.py::test_laws_link_policy_both_ways"),)),
    # 10. Interaction (IA)
    SetRule("IA-1", "留言答复", "published replies with dates, department and content; due within 15 working days; statistics",
            (_t("reply page shows the fields as a table",
                "tests/test_types_interaction.py::test_reply_page_shows_the_ia1_fields_as_a_table"),
             _t("reply statistics on working days",
                "tests/test_types_interaction.py::test_reply_statistics_use_the_working_day_calendar"))),
    SetRule("IA-2", "意见征集与访谈", "solicitations publish results and adoption; interviews have previews and transcripts",
            (_t("a consultation with its draft and result page",
                "tests/test_types_interaction.py::test_consultation_with_draft_and_result_page"),),
            note="interviews (在线访谈) have no content type yet"),
    SetRule("IA-3", "常见问题", "FAQs classified by theme and popularity", note="no FAQ content type yet"),
    # 11. Data (DA)
    SetRule("DA-1", "数据发布", "statistical data by theme, region and department, with charts, downloadable",
            note="no statistics type or charts yet; data files are published as data sets (DA-2)"),
    SetRule("DA-2", "数据开放", "open data sets in machine-readable formats with a catalogue; expired data marked",
            (_t("the data catalogue and its DCAT JSON",
                "tests/test_types_data.py::test_catalogue_lists_data_sets_and_links_dcat_json"),
             _t("expired data sets are marked",
                "tests/test_types_data.py::test_expires_date_marks_the_data_set_expired_in_lists_and_on_the_page"))),
    # 12. Accessibility (AX)
    SetRule("AX-1", "无障碍", "screen readers, zoom, contrast, text alternatives, keyboard operation, no focus traps",
            (_t("keyboard reaches everything with visible focus",
                "tests/test_theme_browser.py::test_keyboard_reaches_skip_link_search_navigation_and_content_with_visible_focus"),)),
    SetRule("AX-2", "无障碍标准与适老化", "WCAG 2.1 AA, GB/T 37668-2019, MIIT 适老化 design",
            (_t("axe finds no violation on any page type",
                "tests/test_theme_browser.py::test_axe_no_violations_on_every_page_type"),)),
    # 13. Search (SE)
    SetRule("SE-1", "搜索入口", "a prominent search box on every page",
            (_t("the header search box suggests as you type", "tests/test_search_browser.py::test_header_box_suggests_as_you_type"),)),
    SetRule("SE-2", "智能搜索", "typo correction, hot words, pinyin search, plain-language search",
            (_t("one-letter typo in pinyin", "tests/test_search_browser.py::test_one_letter_typo_in_pinyin"),
             _t("hot words listed", "tests/test_search_browser.py::test_hot_words_listed"),
             _t("plain-language synonym", "tests/test_search_browser.py::test_plain_language_synonym"))),
    SetRule("SE-3", "搜索即服务", "results span news, notices, services and interaction replies",
            (_t("service results with their online level", "tests/test_search_browser.py::test_service_card_with_online_level"),
             _t("filter results by type and year", "tests/test_search_browser.py::test_filter_by_type_and_year"))),
    # 14. Language versions (LG)
    SetRule("LG-1", "多语言版本", "optional simplified/traditional Chinese and foreign-language versions",
            (_t("an English version under its prefix",
                "tests/test_languages.py::test_english_version_is_built_under_its_prefix_with_english_interface"),
             _t("every page has a traditional-Chinese counterpart",
                "tests/test_variants.py::test_every_demo_page_has_a_working_counterpart_both_ways"))),
    # 15. Reporting (RP)
    SetRule("RP-1", "网站年度报表", "the annual website work report, published before 31 January",
            (_t("govsite report computes the figures of a year", "tests/test_report.py::test_figures_of_a_known_year"),
             _t("the report page uses the theme", "tests/test_report.py::test_html_page_uses_the_theme_and_links_the_json"))),
    # 16. Checks a monitor applies (CK) — 单项否决
    SetRule("CK-1", "严重表述错误", "serious wording errors, leaked secrets, illegal content, backdated posts",
            (_t("the review trail reaches no public page, search data or feed",
                "tests/test_review.py::test_trail_appears_in_no_output_file"),),
            note="wording lists and future dates are checked; secrets and illegal content need people: "
                 "CK-1.review makes a site record who did the 三审 and the 保密审查 of each page; "
                 "a map without its 审图号 (问题地图) is CK-1.map"),
    SetRule("CK-2", "网站不可访问", "site unreachable, as a monitor measures it",
            (_t("article page weight budget", "tests/test_theme_browser.py::test_article_page_weight_budget"),),
            note="reachability is the server's; govsite keeps pages light"),
    SetRule("CK-3", "首页不更新", "home page not updated for 2 weeks"),
    SetRule("CK-4", "栏目不更新、空白栏目", "≥5 stale columns, ≥10 columns long not updated, or ≥5 empty columns"),
    SetRule("CK-5", "互动回应差", "no consultation channel, or a message unanswered for more than 3 months in the past year"),
    SetRule("CK-6", "服务不实用", "no services, or service guides missing key elements",
            related=("SV-2",), note="a site with no service guide and no linked 政务服务 platform is CK-6; "
                                    "missing elements of a guide are SV-2 errors"),
)

BY_ID: dict[str, SetRule] = {r.id: r for r in RULE_SET}
