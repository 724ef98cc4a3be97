"""Command line: ``govsite build``, ``govsite new site``, ``govsite new page``.

The CLI only parses options and prints; the work is in :mod:`govsite.build` and
:mod:`govsite.scaffold`. Content problems are printed as ``path:line: message`` with a hint and
make the exit code 1; they never show a Python traceback.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .build import build_site, site_names
from .errors import BuildFailed, Report


def _print_report(report: Report) -> None:
    for problem in report.warnings:
        click.secho(problem.format(), fg="yellow", err=True)
    for problem in report.errors:
        click.secho(problem.format(), fg="red", err=True)


def _show_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="govsite")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="Project folder holding sites/, content/ and themes/.")
@click.pass_context
def main(ctx: click.Context, project: Path) -> None:
    """govsite — static sites for Chinese government websites (政府网站).

    \b
    Example:
      govsite build demo            # build sites/demo into build/demo/
      govsite new site jiedao       # start a new site
    """
    ctx.obj = {"project": project}


@main.command()
@click.argument("sites", nargs=-1)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output root; each site is written to OUT/<site>/. [default: PROJECT/build]")
@click.option("--drafts", is_flag=True, help="Also build pages marked draft: true.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for rendering. [default: number of CPUs]")
@click.option("--now", metavar="'YYYY-MM-DD HH:MM'", default=None,
              help="Build time (site-local) for scheduling and archiving. [default: SOURCE_DATE_EPOCH, else the clock]")
@click.pass_context
def build(ctx, sites, out, drafts, jobs, now):
    """Build SITES (default: every site under sites/) into static HTML.

    \b
    Examples:
      govsite build                  # every site
      govsite build demo --now '2026-03-18 09:00'
      govsite build demo --out /srv/www
    """
    project: Path = ctx.obj["project"]
    names = list(sites) or site_names(project)
    if not names:
        raise click.ClickException(f"no site found under {project / 'sites'}; create one with: govsite new site NAME")
    out_root = out or project / "build"
    failed = False
    for name in names:
        if not (project / "sites" / name / "site.yaml").is_file():
            click.secho(f"sites/{name}/site.yaml: 错误: 站点「{name}」不存在\n    提示：已有站点：{'、'.join(site_names(project)) or '无'}",
                        fg="red", err=True)
            failed = True
            continue
        try:
            result = _build_one(project, name, out_root, now, drafts, jobs)
        except BuildFailed as exc:
            _print_report(exc.report)
            click.secho(f"{name}: build failed with {len(exc.report.errors)} error(s); "
                        f"{out_root / name} was left unchanged.", fg="red", err=True)
            failed = True
            continue
        _print_report(result.report)
        click.echo(f"{name}: {result.pages} pages in {result.seconds:.2f} s → {result.out}/index.html")
    ctx.exit(1 if failed else 0)


def _build_one(project, name, out_root, now, drafts, jobs):
    """Build with a progress bar on a terminal when there are many pages (quiet in CI)."""
    bars = []

    def progress(total):
        if total < 500 or not _show_progress():
            return None
        bar = click.progressbar(length=total, label=f"{name}: rendering", file=sys.stderr)
        bars.append(bar.__enter__())
        return bar.update

    try:
        return build_site(project, name, out_root, now=now, drafts=drafts, jobs=jobs, progress=progress)
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)


@main.group()
def new():
    """Create a new site or page from a template.

    \b
    Examples:
      govsite new site jiedao
      govsite new page zwdt/tzgg "关于开展安全检查的通知" --site jiedao
    """


@new.command("site")
@click.argument("name")
@click.pass_context
def new_site(ctx, name):
    """Create sites/NAME/site.yaml and a small content/NAME/ tree that builds.

    \b
    Example:
      govsite new site jiedao && govsite build jiedao
    """
    from .scaffold import ScaffoldError, create_site

    try:
        created = create_site(ctx.obj["project"], name)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    for path in created:
        click.echo(f"created {path}")
    click.echo(f"Edit sites/{name}/site.yaml (name, site_code, sponsor, filings), then: govsite build {name}")


@new.command("page")
@click.argument("column_path")
@click.argument("title")
@click.option("--site", "site_name", default=None, help="Site to add the page to (needed when there are several).")
@click.option("--now", metavar="'YYYY-MM-DD HH:MM'", default=None, help="Date for the page. [default: now]")
@click.pass_context
def new_page(ctx, column_path, title, site_name, now):
    """Create a page in COLUMN_PATH (e.g. zwdt/gzdt) titled TITLE.

    \b
    Example:
      govsite new page zwdt/gzdt "区政府召开常务会议" --site demo
    """
    from .scaffold import ScaffoldError, create_page

    try:
        path = create_page(ctx.obj["project"], site_name, column_path, title, now)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"created {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
