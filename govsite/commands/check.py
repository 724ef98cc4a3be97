"""``govsite check``: every rule on one site, fast, with the output scanned or rendered for it.

The rules and the machinery that runs them are in :mod:`govsite.rules` (:mod:`govsite.rules.runner`);
this module is the command: it loads the site with the build pipeline, starts the source rules in
workers beside it, and scans ``build/<site>/`` when fresh or renders into a scratch folder.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from govsite.config.site import load_site
from govsite.content.model import Column, Page
from govsite.core.dates import format_datetime
from govsite.core.errors import BuildFailed, Report, display_path
from govsite.core.writer import OutputDir
from govsite.pipeline.build import BuildOptions, build_site, load_and_check
from govsite.render.pages import SiteRenderer
from govsite.rules import site_rules
from govsite.rules.findings import Finding, SiteResult, with_owners
from govsite.rules.html_scan import ScanContext
from govsite.rules.runner import (
    Workers,
    _flat,
    _html_task,
    _map_scans,
    _pipeline_findings,
    _real,
    _site_text,
    _text_task,
    _walk,
    column_owners,
    expected_outputs,
    finalize,
    make_plan,
    output_files,
    output_index,
    output_rules,
    theme_dirs,
)
from govsite.rules.text_rules import TextContext


# -- govsite check ---------------------------------------------------------------------------------
def check_site(project: Path, key: str, now=None, *, out_root: Path | None = None, output: str = "auto",
               jobs: int | None = None, changed: set | None = None, drafts: bool = False) -> SiteResult:
    """Check one site. ``output``: ``auto`` (scan build/<site> when fresh, else render),
    ``build`` (always render), ``none`` (source rules only). ``changed``: absolute paths."""
    started = time.perf_counter()
    project = Path(project)
    result = SiteResult(key)
    probe = Report()
    config = load_site(project, key, probe)
    if config is None:
        result.findings = _pipeline_findings(probe)
        result.seconds = time.perf_counter() - started
        return result
    plan = make_plan(config)
    enabled = plan.enabled
    out_dir = Path(out_root or project / "build") / key
    if changed is not None:
        roots = [_real(d) + os.sep for d in [config.dir, *theme_dirs(project, config)[1:]]
                 + ([config.content] if config.content else [])]
        if not any(p.startswith(r) for p in changed for r in roots):
            result.notes.append("该站点没有改动的文件")
            result.seconds = time.perf_counter() - started
            return result

    md_files, newest = _walk(config.content, lambda n: n.endswith(".md") and not n.startswith("_"), content=True) \
        if config.content else ([], 0.0)
    for folder in theme_dirs(project, config):
        newest = max(newest, _walk(folder)[1])
    if changed is not None:
        md_files = [f for f in md_files if _real(f) in changed]
    result.pages = len(md_files)

    text_ctx = TextContext(plan.lists, config.domain.lower(), tuple(plan.cfg.outbound_allow), enabled)
    html_rules = output_rules(enabled)
    fresh = False
    scan_ctx = None
    html_pages: list[str] = []
    if output == "auto" and (out_dir / "index.html").is_file():
        # the folder's own mtime is the build's (every build creates its entries anew), while an
        # unchanged index.html keeps the mtime of the build that last changed it (build cache)
        fresh = max(out_dir.stat().st_mtime, (out_dir / "index.html").stat().st_mtime) >= newest
    if fresh and html_rules:
        files, html_pages = output_files(out_dir)
        scan_ctx = ScanContext(str(out_dir), files, frozenset(), config.domain.lower(), config.base_path,
                               tuple(config.column_types), plan.lists.ad_hosts, html_rules)
    early_scan = fresh and scan_ctx is not None and changed is None

    state = {"text": text_ctx, "scan": scan_ctx}
    with Workers(jobs, state, len(md_files) + (len(html_pages) if early_scan else 0), beside_main=True) as workers:
        text_job = workers.submit(_text_task, md_files)
        html_job = workers.submit(_html_task, html_pages) if early_scan else None
        loaded = load_and_check(project, key, BuildOptions(now=now, drafts=drafts))
        site, report = loaded.site, loaded.report
        findings = list(plan.problems) + _pipeline_findings(report)
        if site is not None:
            result.now = format_datetime(site.now)
            findings.extend(site_rules.run(site, plan.cfg))
            findings.extend(_site_text(site, text_ctx, changed))
        texts = _flat(text_job.get())
        if site is not None:  # the workers read files before the site was known: add the page URLs
            urls = {_real(p.file): p.url for p in site.by_src.values() if isinstance(p, Page) and p.url}
            texts = [f if f.url else Finding(f.rule, f.severity, f.path, f.line, f.message, f.hint, f.column,
                                             urls.get(_real(f.file), ""), f.file) for f in texts]
        findings.extend(texts)
        scans = _flat(html_job.get()) if html_job is not None else None
        workers.close()

    if site is not None and html_rules and output != "none":
        rendered: list[Finding] = []
        outputs = _output_findings(project, key, site, report, plan, scan_ctx, scans, out_dir, fresh,
                                   output, jobs, changed, drafts, result, rendered)
        # the source rules, the output scan and the renderer may see the same thing (an advertising
        # script in a page body, a broken link): keep one finding per rule and place
        places = {(f.rule, f.path, f.line) for f in findings}
        outputs = [f for f in outputs if (f.rule, f.path, f.line) not in places]
        places.update((f.rule, f.path, f.line) for f in outputs)
        findings.extend(outputs)
        findings.extend(f for f in rendered if (f.rule, f.path, f.line) not in places)
    elif output == "none":
        result.notes.append("未检查输出页面（--source-only）：网页标签、断链、暗链等规则未运行")
    findings = finalize(findings, plan)
    if site is not None:
        findings = with_owners(findings, column_owners(site))
    if changed is not None:
        findings = [f for f in findings if (f.file and _real(f.file) in changed)
                    or (not f.file and f.url and (result.changed_urls is None or f.url in result.changed_urls))]
    result.findings = findings
    fallback = sorted(plan.cfg.calendar.fallback_years)
    if fallback:
        result.notes.append(f"{'、'.join(map(str, fallback))} 年没有法定节假日数据，工作日按周一至周五计算"
                            "（可在 site.yaml 的 check.workdays 中补充放假和调休日期，或升级 chinesecalendar）")
    result.seconds = time.perf_counter() - started
    return result


def _output_findings(project, key, site, report, plan, scan_ctx, scans, out_dir, fresh, output, jobs,
                     changed, drafts, result, rendered: list) -> list[Finding]:
    """Findings of the output rules; problems the renderer reported go to ``rendered``."""
    html_rules = scan_ctx.rules if scan_ctx is not None else output_rules(plan.enabled)
    config = site.config
    found: list[Finding] = []
    wanted = None
    if changed is not None:
        folders = [_real(f) + os.sep for f in theme_dirs(project, config)]
        theme_changed = any(p.startswith(folder) for p in changed for folder in folders
                            if os.path.basename(p) != "site.yaml")
        if theme_changed:
            result.changed_urls = None  # templates changed: every output page counts
        else:
            wanted = set()
            for obj in site.by_src.values():
                if isinstance(obj, Page) and obj.url and _real(obj.file) in changed \
                        and site_rules.is_visible(obj, site):
                    wanted.add(obj.url)
            for col in site.columns:
                if _real(col.file) in changed:
                    wanted.update(u for u, o in output_index(site).items() if o is col)
            result.changed_urls = frozenset(wanted)
            if not wanted:
                result.notes.append("改动的文件没有对应的输出页面，未检查输出")
                return found
    expected_pages = {p.url for p in site.pages}
    asset_outs = {a.out for a in site.assets}

    if fresh and scan_ctx is not None and wanted is None and scans is not None:
        # the build must show exactly the pages the site shows at the check time: none missing,
        # and none that is a draft or scheduled now (pages of the theme's own are not in the model)
        scanned = {s.rel for s in scans}
        hidden = {p.url for p in site.by_src.values() if isinstance(p, Page) and p.url and p.url not in expected_pages}
        if expected_pages <= scanned and not (scanned & hidden):
            result.output_mode, result.output_dir = "scanned", display_path(out_dir)
            result.outputs = len(scans)
            return _map_scans(site, scans, out_dir, plan, asset_outs, lambda rel: display_path(out_dir / rel))
        result.notes.append(f"{display_path(out_dir)} 中的页面与检查时间的站点不一致（可能用了不同的 --now 或 --drafts），已重新生成")
    if fresh and scan_ctx is not None and wanted is not None:
        rels = sorted(r for r in wanted if r in scan_ctx.files)
        if len(rels) == len(wanted):
            with Workers(jobs, {"scan": scan_ctx}, len(rels)) as workers:
                scans = _flat(workers.submit(_html_task, rels).get())
                workers.close()
            result.output_mode, result.output_dir = "scanned", display_path(out_dir)
            result.outputs = len(scans)
            return _map_scans(site, scans, out_dir, plan, asset_outs, lambda rel: display_path(out_dir / rel))

    tmp = Path(tempfile.mkdtemp(prefix="govsite-check-"))
    try:
        if wanted is not None:
            root, problems, render_more = _render_some(project, site, tmp / key, wanted)
            rendered.extend(_pipeline_findings(problems))
            files = output_files(root)[0]
            rels = sorted(r for r in wanted if r in files)
            expected = expected_outputs(site, project) | (output_files(out_dir)[0] if out_dir.is_dir() else frozenset())
            mode = "partial"
        else:
            known = set(report.problems)  # already reported by load_and_check
            try:
                # a scratch build: written even when the site has errors, so the output rules read
                # every page that could be rendered (all findings in one run)
                built = build_site(project, key, tmp, BuildOptions(now=format_datetime(site.now), drafts=drafts,
                                                                   jobs=jobs, check=False, scratch=True))
            except BuildFailed as exc:
                rendered.extend(_pipeline_findings(Report([p for p in exc.report.problems if p not in known])))
                result.notes.append("生成输出页面失败，输出规则未运行")
                return found
            rendered.extend(_pipeline_findings(Report([p for p in built.report.problems if p not in known])))
            root = built.out
            files, rels = output_files(root)
            expected = frozenset()
            mode = "rendered"
            render_more = None
        ctx = ScanContext(str(root), files, expected, config.domain.lower(), config.base_path,
                          tuple(config.column_types), plan.lists.ad_hosts, html_rules, partial=mode == "partial")
        with Workers(jobs, {"scan": ctx}, len(rels)) as workers:
            scans = _flat(workers.submit(_html_task, rels).get())
            workers.close()
        result.output_mode = mode
        result.outputs = len(scans)
        result.notes.append("输出页面由检查临时生成（build 目录不存在或早于源文件）；先运行 govsite build 可加快检查"
                            if mode == "rendered" else "只临时生成了改动页面的输出")
        found.extend(_map_scans(site, scans, root, plan, asset_outs, lambda rel: f"{key}:/{rel}", render_more))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return found


def _render_some(project, site, target: Path, urls: set):
    """Render only the pages and column lists in ``urls`` (``--changed`` with a stale build)."""
    report = Report()
    out = OutputDir(target)
    renderer = SiteRenderer(project, site, out)
    outbound = set()

    def page(p: Page) -> list:
        problems, links, _body = renderer.render_page(p)   # links: outbound, each needing a leaving notice
        outbound.update(links)
        return problems

    for p in site.pages:
        if p.url in urls:
            report.extend(page(p))
    if outbound and hasattr(renderer, "render_leave_pages"):
        renderer.render_leave_pages(outbound)
    renderer.render_feeds()  # every page links the RSS feeds; they are cheap to write
    renderer.render_views()  # column pages link their generated pages (汇总页)
    index = output_index(site)
    cols = {obj for url, obj in index.items() if url in urls and isinstance(obj, Column)}
    for col in sorted(cols, key=lambda c: c.src):
        renderer.render_column(col)
    out.commit()

    def render_more(rel: str) -> None:
        """Write one more page (the target of an anchor link) into the committed folder."""
        obj = index.get(rel)
        if isinstance(obj, Page) and obj in site.pages:
            more = OutputDir(target.parent / (target.name + "-more"))
            renderer.out = more
            page(obj)
            os.makedirs((target / rel).parent, exist_ok=True)
            shutil.copyfile(more.path(rel), target / rel)
            more.discard()

    return target, report, render_more

