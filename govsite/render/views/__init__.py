"""Generated pages (汇总页): pages made from content metadata instead of written by an editor.

The policy library (政策文件库), the 信息公开目录, the services catalogue (办事服务目录), reply
statistics (留言答复统计) and the open-data catalogue (数据开放目录) all list what the site's own
pages say about themselves, so they can never drift from the documents they point to.

A column asks for one with ``views: [policy_library]`` in its ``_column.yaml``; the page is
written into that column's folder, and the column page links it. Each view module has ``NAME``,
``TITLE``, ``FILE`` (the output file name), ``TEMPLATE``, ``build(site, column) -> dict`` (the
template context) and optionally ``files(site, column, path) -> {output path: text}`` for
machine-readable companions (JSON). Views cover the whole site, not only the column's subtree:
policies and services are usually filed in several columns — except that the catalogue and the
policy library asked for inside a unit's 信息公开专栏 list that unit's documents (docs/units.md).
"""
from __future__ import annotations

from govsite.content.model import view_links, view_path  # noqa: F401 - where views are linked from
from govsite.render.views import (
    application_form,
    data_catalogue,
    disclosure_catalogue,
    policy_library,
    reply_stats,
    services,
    statutory_areas,
)

VIEWS = {m.NAME: m for m in (policy_library, disclosure_catalogue, services, reply_stats, data_catalogue)}
VIEWS[application_form.NAME] = application_form   # 依申请公开: printable application form
VIEWS[statutory_areas.NAME] = statutory_areas     # 法定主动公开内容: the areas and where each is
