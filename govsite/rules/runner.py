"""Running the rules on one site: the machinery ``govsite check`` and the gate inside ``govsite build`` share.

``govsite check`` has to be fast on a large site (10,000 pages in well under 10 s on two cores),
so the work is split three ways:

* rules on each source file's text (wording, advertising, outbound links, alt text) and rules on
  each rendered HTML file (meta tags, links, anchors, hidden links) need one file at a time: they
  run in forked worker processes, started *before* the site is loaded;
* meanwhile the main process loads and resolves the site with the build pipeline
  (:func:`govsite.pipeline.load.load_and_check`) and applies the rules that need the whole site;
* finally the findings of the output scan are mapped back to the source files and lines that an
  editor has to change.

The rendered output comes from ``build/<site>/`` when it is newer than every source file and has
exactly the pages the site has at the check time; otherwise the site is rendered into a
temporary folder with the normal pipeline (``--build`` forces that). With ``changed`` only the
changed files are checked, and only their pages are rendered when the output is stale.
"""
from __future__ import annotations

import dataclasses
import math
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from govsite.cache.digest import digest, hash_parts, tree_fingerprint
from govsite.cache.store import NULL_CACHE, Cache
from govsite.config.check import CheckConfig, load_check_config
from govsite.config.rules import CONFIG, ERROR, OFF, OUTPUT, RULES, WARNING, rule
from govsite.config.theme import theme_chain
from govsite.content.loader import is_ignored
from govsite.content.model import Column, Page, Site
from govsite.core.errors import Report
from govsite.core.source import SourceError, read_text
from govsite.core.workers import fork_pool
from govsite.rules import html_scan, site_rules
from govsite.rules.findings import Finding, make
from govsite.rules.html_scan import Raw, ScanContext, scan_file
from govsite.rules.text_rules import TextContext, scan_text
from govsite.rules.wording import Lists, load_lists

PARALLEL_MIN = 150          # fewer files than this are checked in the main process
CHUNK = 48
TAG_SOURCE = {  # meta tag → (where its value comes from, the key to set)
    "SiteName": ("site", "name"), "SiteDomain": ("site", "domain"), "SiteIDCode": ("site", "site_code"),
    "ColumnName": ("column", "name"), "ColumnDescription": ("column", "description"),
    "ColumnKeywords": ("column", "keywords"), "ColumnType": ("column", "type"),
    "ArticleTitle": ("page", "title"), "PubDate": ("page", "date"), "ContentSource": ("page", "source"),
    "Keywords": ("page", "keywords"), "Author": ("page", "author"), "Description": ("page", "description"),
    "Image": ("page", "image"), "Url": ("page", "slug"),
}

# -- worker processes ----------------------------------------------------------------------------
_STATE: dict = {}


def _text_task(paths: list[str]) -> list[Finding]:
    ctx: TextContext = _STATE["text"]
    found = []
    for path in paths:
        try:
            text = read_text(path)
        except (SourceError, OSError):
            continue  # the build pipeline reports unreadable files
        found.extend(scan_text(path, text, ctx))
    return found


def _page_text_each(indexes: list[int]) -> list[tuple[int, list[Finding]]]:
    """Build gate: the text rules on the site's pages, the findings of each page apart (for the
    build cache)."""
    ctx: TextContext = _STATE["text"]
    pages = _STATE["pages"]
    out: list[tuple[int, list[Finding]]] = []
    for i in indexes:
        page = pages[i]
        try:
            text = read_text(page.file)
        except (SourceError, OSError):
            out.append((i, []))
            continue
        out.append((i, scan_text(page.file, text, ctx, url=page.url)))
    return out


def _html_task(rels: list[str]) -> list[html_scan.FileScan]:
    ctx: ScanContext = _STATE["scan"]
    return [scan_file(ctx, rel) for rel in rels]


class Workers:
    """A fork-based process pool sharing ``state`` with its workers, or inline work without one."""

    def __init__(self, jobs: int | None, state: dict, size: int, beside_main: bool = False):
        """``beside_main``: the main process keeps working meanwhile, so use one worker less
        (but at least one) to leave it a core."""
        global _STATE
        _STATE = state
        jobs = jobs or os.cpu_count() or 1
        self.pool = None
        workers = max(1, jobs - 1) if beside_main else jobs
        if jobs > 1 and size >= PARALLEL_MIN and "fork" in multiprocessing.get_all_start_methods():
            self.pool = fork_pool(workers, initializer=None)

    def submit(self, fn, items: list, chunk: int = CHUNK):
        chunks = [items[i:i + chunk] for i in range(0, len(items), chunk)]
        if self.pool is None:
            return _Deferred(fn, chunks)
        return self.pool.map_async(fn, chunks)

    def close(self):
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


class _Deferred:
    def __init__(self, fn, chunks):
        self.fn, self.chunks = fn, chunks

    def get(self):
        return [self.fn(c) for c in self.chunks]


def _flat(results) -> list:
    return [item for chunk in results for item in chunk]


# -- settings ------------------------------------------------------------------------------------
@dataclass
class Plan:
    """What one check run does, decided from the settings before any file is read."""

    cfg: CheckConfig
    lists: Lists
    severity: dict               # rule id → effective severity (off = not run)
    problems: list = field(default_factory=list)   # findings about the settings themselves
    build: bool = False          # the build gate: only error-level rules; date rules as warnings

    def on(self, rule_id: str) -> bool:
        level = self.severity.get(rule_id, OFF)
        if level == OFF:
            return False
        return level == ERROR if self.build else True

    @property
    def enabled(self) -> frozenset:
        return frozenset(r for r in RULES if self.on(r))


def make_plan(config, build: bool = False) -> Plan:
    cfg, problems = load_check_config(config)
    lists, list_problems = load_lists(cfg.wording_builtin, cfg.wording_files, cfg.wording_allow)
    found = [make(CONFIG.id, config.file, p.line, p.message, p.hint, severity=p.severity) for p in problems]
    found += [make(CONFIG.id, p.path, p.line, p.message, p.hint) for p in list_problems]
    severity = {rid: cfg.severity_of(rid, r.severity) for rid, r in RULES.items()}
    # a word list may mark entries as warnings: the wording rules run whenever any level may apply
    return Plan(cfg, lists, severity, found, build)


# source rules the output scan applies as well: images and advertising hosts a template brings
ALSO_IN_OUTPUT = frozenset({"AX-1", "ID-4"})


def output_rules(enabled: frozenset) -> frozenset:
    """Which of the ``enabled`` rules the scan of the rendered pages runs."""
    return frozenset(r for r in enabled if RULES[r].phase == OUTPUT) | (enabled & ALSO_IN_OUTPUT)


def finalize(findings: list[Finding], plan: Plan) -> list[Finding]:
    """Apply the site's severities (and, in a build, keep errors and demote date and presence rules).

    A verdict that depends on today's date, and a missing part of the site's structure (the
    ``presence`` rules: a standard column, the 年报, a 审图号 …), never stop publishing: a build
    shows them as warnings, ``govsite check`` at the site's severity."""
    out = []
    explicit = plan.cfg.severity
    for f in findings:
        spec = f.rule.split(".", 1)[0]
        level: str = explicit.get(f.rule, explicit.get(spec, f.severity))
        if level == OFF:
            continue
        if plan.build:
            if level != ERROR and f.rule != CONFIG.id:   # a settings warning (unknown check: key) is shown
                continue
            registered = rule(f.rule)
            if registered.date or registered.presence:
                level = WARNING
        if level != f.severity:
            f = Finding(f.rule, level, f.path, f.line, f.message, f.hint, f.column, f.url, f.file)
        out.append(f)
    return out


def column_owners(site: Site) -> dict:
    """Real source path → 栏目责任人 (``owner:``) of the nearest column with one: the column's own
    _column.yaml, and every page below it (drafts and scheduled pages included)."""
    def owner_of(col):
        while col is not None:
            if col.owner:
                return col.owner
            col = col.parent
        return ""

    owners = {}
    for col in site.columns:
        owner = owner_of(col)
        if owner and col.origin is None:
            owners[_real(col.file)] = owner
    for obj in site.by_src.values():
        if isinstance(obj, Page) and obj.origin is None:
            owner = owner_of(obj.column)
            if owner:
                owners[_real(obj.file)] = owner
    return owners


# -- sources and outputs ---------------------------------------------------------------------------
def _walk(root: Path, pick=None, content: bool = False) -> tuple[list[str], float]:
    """Files under ``root`` (hidden/editor files skipped) and the newest mtime of files and folders.

    ``content``: skip ``_``-folders as the loader does."""
    files: list[str] = []
    newest = 0.0
    if not root.is_dir():
        return files, newest
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not is_ignored(d) and not (content and d.startswith("_")))
        try:
            newest = max(newest, os.stat(dirpath).st_mtime)
        except OSError:
            pass
        for name in sorted(filenames):
            if is_ignored(name):
                continue
            full = os.path.join(dirpath, name)
            try:
                newest = max(newest, os.stat(full).st_mtime)
            except OSError:
                continue
            if pick is None or pick(name):
                files.append(full)
    return files, newest


def theme_dirs(project: Path, config) -> list[Path]:
    """The site's own folder (templates/, static/ overrides), its theme's folder and the folders of
    the themes it extends (``Theme.dirs``)."""
    return [config.dir] + [folder for folder, _spec in theme_chain(project, config.theme)]


def output_files(out_dir: Path, skip: tuple[str, ...] = ()) -> tuple[frozenset, list[str]]:
    """Every file of a built site (relative posix paths) and the HTML pages to scan; folders in
    ``skip`` (``"search/"``) are left out."""
    files, pages = [], []
    root = str(out_dir)
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        dirnames[:] = sorted(d for d in dirnames if not f"{rel_dir}/{d}/".lstrip("/").startswith(skip))
        for name in sorted(filenames):
            rel = f"{rel_dir}/{name}" if rel_dir else name
            files.append(rel)
            if name.endswith(".html") and not rel.startswith("static/"):
                pages.append(rel)
    return frozenset(files), pages


def expected_outputs(site: Site, project: Path) -> frozenset:
    """The output paths a build of ``site`` writes (for links into pages not rendered now)."""
    out = {"index.html", *html_scan.SPECIAL}
    size = max(1, int(site.config.page_size or 20))
    out.update(p.url for p in site.pages)
    for col in site.columns:
        count = max(1, math.ceil(len(col.pages) / size)) if col.pages else 1
        out.update(col.list_url(n) for n in range(1, count + 1))
    out.update(a.out for a in site.assets)
    for folder in theme_dirs(project, site.config):
        static = folder / "static"
        if static.is_dir():
            out.update("static/" + p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file())
    return frozenset(out)


def output_index(site: Site) -> dict:
    """Output path → the page or column it is made from (``"home"`` for the home page)."""
    index: dict = {"index.html": "home"}
    size = max(1, int(site.config.page_size or 20))
    for col in site.columns:
        count = max(1, math.ceil(len(col.pages) / size)) if col.pages else 1
        for n in range(1, count + 1):
            index[col.list_url(n)] = col
    for obj in site.by_src.values():
        if isinstance(obj, Page) and obj.url:
            index.setdefault(obj.url, obj)
    return index


class OutputMapper:
    """Turns :class:`Raw` output findings into findings at the source an editor changes."""

    def __init__(self, site: Site, display):
        self.site = site
        self.index = output_index(site)
        self.display = display
        self.hidden_urls = {p.url for p in site.by_src.values()
                            if isinstance(p, Page) and p.url and not site_rules.is_visible(p, site)}

    def _body_line(self, page: Page, needle: str) -> int:
        body = page.body
        candidates = [needle]
        if "#" in needle:
            candidates.append("#" + needle.split("#", 1)[1])
        base = needle.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
        if base.endswith(".html"):
            candidates.append(base[:-5] + ".md")
            candidates.append(base[:-5])
        elif base:
            candidates.append(base)
        for c in candidates:
            if c:
                i = body.find(c)
                if i >= 0:
                    return page.body_line + body.count("\n", 0, i)
        return 0

    def map(self, raw: Raw) -> Finding | None:
        site = self.site
        target = self.index.get(raw.rel)
        rule_id = raw.rule
        if rule_id in ("MT-2", "MT-3") and not (isinstance(target, Page) or (isinstance(target, Column)
                                                                            and rule_id == "MT-2")):
            return None  # a page of the theme's own (site map, leaving notice …): site tags only
        message = raw.message
        if rule_id == "LK-1" and "不存在" in message:
            missing = message.rsplit("（", 1)[-1].rstrip("）")
            if missing in self.hidden_urls:
                rule_id = "LK-1.scheduled"
                message = f"链接「{raw.needle}」指向的页面在检查时间不发布（草稿、未到发布时间或已过期）"
        if raw.kind == "empty" and raw.tag in TAG_SOURCE:
            where, key = TAG_SOURCE[raw.tag]
            hint = f"填写 {key}（标签值不能为空）"
            if where == "site":
                return make(rule_id, site.config.file, site.config.line_of(key), f"{message}（{raw.rel}）", hint, url=raw.rel)
            if where == "column":
                col = target if isinstance(target, Column) else getattr(target, "column", None)
                if col is not None:
                    return make(rule_id, col.file, col.line(key), f"{message}（{raw.rel}）", hint, url=raw.rel)
            elif isinstance(target, Page):
                return make(rule_id, target.file, target.line(key), f"{message}（{raw.rel}）", hint, url=raw.rel)
        if raw.needle and isinstance(target, Page):
            line = self._body_line(target, raw.needle)
            if line:
                return make(rule_id, target.file, line, message, raw.hint, url=raw.rel)
        return at_output(rule_id, self.display(raw.rel), raw.line, message, raw.hint, raw.rel)


def at_output(rule_id: str, path: str, line: int, message: str, hint: str, rel: str) -> Finding:
    """A finding located in an output page (a template problem, or one with no source line)."""
    f = make(rule_id, "", 0, message, hint, url=rel)
    return Finding(f.rule, f.severity, path, line, f.message, f.hint, 0, rel, "")


def _fragment_findings(scans, root: Path | None, mapper: OutputMapper, render=None) -> list[Finding]:
    """Links to an anchor in another page: the anchor has to exist there.

    ``render(target)`` may write a page that is not in ``root`` yet (partial renders)."""
    cache: dict[str, set | None] = {}
    out = []
    for scan in scans:
        for target, fragment, needle, line in scan.fragments:
            if target not in cache:
                ids = None
                if root is not None:
                    if render is not None and not (root / target).is_file():
                        render(target)
                    try:
                        ids = html_scan.collect_ids((root / target).read_text(encoding="utf-8", errors="replace"))
                    except OSError:
                        ids = None
                cache[target] = ids
            ids = cache[target]
            if ids is not None and fragment not in ids:
                out.append(mapper.map(Raw("LK-1", scan.rel, line, f"链接「{needle}」的锚点「#{fragment}」在 {target} 中不存在",
                                          "检查锚点名称（标题的锚点由标题文字生成），或去掉 # 后的部分", needle=needle)))
    return [f for f in out if f is not None]


def _pipeline_findings(report: Report) -> list[Finding]:
    out = []
    for p in report.problems:
        rule_id, message = p.rule or "BUILD", p.message
        if rule_id != "BUILD":  # a problem with no rule id (YAML syntax, a missing title) keeps its message
            message = make(rule_id, p.path, p.line, message).message
        out.append(Finding(rule_id, p.severity, p.path, p.line, message, p.hint, 0, "", os.path.abspath(p.path)))
    return out


def _real(path) -> str:
    return os.path.realpath(os.fspath(path)) if path else ""


def _site_text(site: Site, ctx: TextContext, changed) -> list[Finding]:
    """Wording and advertising in site.yaml and the column files (few, small: main process)."""
    out = []
    files = [(site.config.file, "index.html")] + [(c.file, c.url) for c in site.columns]
    for path, url in files:
        if changed is not None and _real(path) not in changed:
            continue
        try:
            text = read_text(path)
        except (SourceError, OSError):
            continue
        out.extend(scan_text(path, text, ctx, url=url, markdown=False))
    return out


def _map_scans(site, scans, root: Path, plan: Plan, asset_outs: set, display, render=None) -> list[Finding]:
    mapper = OutputMapper(site, display)
    out: list[Finding] = []
    for scan in scans:
        if scan.rel in asset_outs:
            continue
        out.extend(f for f in map(mapper.map, scan.raws) if f is not None)
    if plan.on("LK-1"):
        out.extend(_fragment_findings([s for s in scans if s.rel not in asset_outs], root, mapper, render))
    return out


# -- the gate inside govsite build ---------------------------------------------------------------
class BuildGate:
    """The error-level rules inside ``govsite build``: source rules before rendering, output rules
    on the temporary output folder before it replaces the previous build.

    Rules that depend on today's date are reported as warnings, so the calendar never breaks a
    build, and so are the presence rules (a missing part of the site's structure never stops
    publishing); everything else at error level fails it like any other build error.
    """

    def __init__(self, project: Path, site: Site, jobs=None):
        self.project = Path(project)
        self.site = site
        self.jobs = jobs
        self.plan = make_plan(site.config, build=True)
        self.enabled = self.plan.enabled
        self.seconds = 0.0
        self.cache: Cache = NULL_CACHE   # the build cache: findings of unchanged files are reused

    def check_sources(self, report: Report) -> None:
        started = time.perf_counter()
        site, plan = self.site, self.plan
        found = list(plan.problems)
        found.extend(site_rules.run(site, plan.cfg))
        # 暗链 in page bodies are removed and reported by the renderer itself (govsite/sanitize.py);
        # the gate checks hidden links in the rendered output (templates, raw HTML it lets through)
        text_rules = self.enabled & {"CK-1", "ID-4", "LK-2", "AX-1"}
        if text_rules:
            ctx = TextContext(plan.lists, site.config.domain.lower(), tuple(plan.cfg.outbound_allow), text_rules)
            pages = [p for p in site.by_src.values() if isinstance(p, Page)]
            # findings of a file that did not change since it was last checked
            cache = self.cache
            setting = cache.derive(lambda: self._setting_fingerprint(("text", sorted(text_rules))))
            todo, keys, each = [], {}, {}
            for i, page in enumerate(pages):
                keys[i] = cache.text_findings.key(setting, page.file, page.url)
                hit = cache.text_findings.get(keys[i])
                if hit is not None:
                    each[i] = hit
                else:
                    todo.append(i)
            with Workers(self.jobs, {"text": ctx, "pages": pages}, len(todo)) as workers:
                for i, findings in _flat(workers.submit(_page_text_each, todo).get()):
                    each[i] = findings
                    cache.text_findings.put(keys[i], findings)
                workers.close()
            for i in range(len(pages)):
                found.extend(each.get(i, ()))
            found.extend(_site_text(site, ctx, None))
        report.extend(f.to_problem() for f in finalize(found, plan))
        self.seconds += time.perf_counter() - started

    def _setting_fingerprint(self, extra) -> bytes:
        """What the findings of one file depend on besides the file: the site's settings and lists."""
        config = self.site.config
        return hash_parts(digest(config), tree_fingerprint([config.dir]), digest(extra))

    def check_output(self, root: Path, report: Report) -> None:
        self.finish_output(self.scan_output(root), report)

    def scan_output(self, root: Path, pending: tuple[str, ...] = ()) -> OutputScan | None:
        """Scan the rendered pages in ``root`` (the first half of :meth:`check_output`).

        ``pending``: folders another process is still writing (the search index, written by a
        child of the build while the scan runs beside it): their files are left out of what a
        link may point to, and a link into one is decided by :meth:`finish_output`, once they are
        complete — so the scan, and the cache keys of its results, do not depend on how far the
        child has got."""
        started = time.perf_counter()
        site, plan = self.site, self.plan
        rules = output_rules(self.enabled)
        if not rules:
            return None
        files, rels = output_files(Path(root), skip=pending)
        ctx = ScanContext(str(root), files, frozenset(), site.config.domain.lower(), site.config.base_path,
                          tuple(site.config.column_types), plan.lists.ad_hosts, rules, pending=tuple(pending))
        # an output file with the same inode and mtime was scanned before
        cache = self.cache
        setting = cache.derive(lambda: self._setting_fingerprint(
            ("scan", ctx.domain, ctx.base_path, ctx.column_types, ctx.ad_hosts, sorted(rules), sorted(files),
             ctx.pending)))
        todo, scans, keys = [], [], {}
        for rel in rels:
            keys[rel] = cache.scans.key(setting, root, rel)
            hit = cache.scans.get(keys[rel])
            if hit is not None:
                scans.append(hit)
            else:
                todo.append(rel)
        # beside a child writing the search index, one core fewer: with two, this process scans
        # alone (a forked worker beside the child would add its memory: at 20,000 pages the
        # build's processes together went past 2 GB so)
        jobs = self.jobs or os.cpu_count() or 1
        with Workers(max(1, jobs - 1) if pending else jobs, {"scan": ctx}, len(todo)) as workers:
            for scan in _flat(workers.submit(_html_task, todo).get()):
                scans.append(scan)
                cache.scans.put(keys.get(scan.rel), scan)
            workers.close()
        order = {rel: i for i, rel in enumerate(rels)}
        scans.sort(key=lambda scan: order.get(scan.rel, -1))
        self.seconds += time.perf_counter() - started
        return OutputScan(Path(root), scans)

    def finish_output(self, scanned: OutputScan | None, report: Report) -> None:
        """The findings of a scan (:meth:`scan_output`), its pending links decided now."""
        if scanned is None:
            return
        started = time.perf_counter()
        site, plan, root = self.site, self.plan, scanned.root
        scans = scanned.scans
        if any(scan.pending for scan in scans):
            scans = [dataclasses.replace(scan, raws=scan.raws + [raw for target, raw in scan.pending
                                                                 if not _on_disk(root, target)])
                     if scan.pending else scan for scan in scans]
        asset_outs = {a.out for a in site.assets}
        out_key = f"{site.config.key}:/"
        found = _map_scans(site, scans, root, plan, asset_outs, lambda rel: out_key + rel)
        report.extend(f.to_problem() for f in finalize(found, plan))
        self.seconds += time.perf_counter() - started


@dataclass
class OutputScan:
    """The scan of a build's rendered pages, before its findings are mapped to their sources."""

    root: Path
    scans: list


def _on_disk(root: Path, target: str) -> bool:
    """Is ``target`` (a site-relative path) a file under ``root``, or a folder with an index page?"""
    path = root / target
    return path.is_file() or (path / "index.html").is_file()
