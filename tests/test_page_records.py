"""Page records (govsite.cache.tables.PageRecord): a one-file build visits only the content pages
whose inputs changed — the rest are taken whole, without their template context, export or body
keys — while a change that many pages show (a column's name, a linked page's title, site.yaml)
still reaches every one of them; a cache and output restored by copying (new inodes and mtimes,
as a CI cache restore gives) are as good as the ones the build left. Each time the output equals
a clean build's, byte for byte."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from govsite.core import writer
from govsite.pipeline.build import BuildOptions, build_site
from govsite.render.pages import SiteRenderer

from helpers import NOW, age, assert_same_files


def build(project, out=None, cache=True):
    return build_site(project.root, "t", out or project.root / "build", BuildOptions(now=NOW, jobs=1, cache=cache))


def same_as_clean(project, tmp_path, label: str) -> None:
    clean = tmp_path / f"clean-{label}"
    build(project, clean, cache=False)
    assert_same_files(project.out(), clean / "t", label)


@pytest.fixture
def visited(monkeypatch) -> list[str]:
    """The content pages and columns' list pages a build looks at beyond their record: rendered,
    or checked against their template context as without records (the build runs in this
    process: ``jobs=1``)."""
    seen: list[str] = []
    write = SiteRenderer._write

    def counting(self, template, path, *args, **kwargs):
        if template in ("page.html", "column.html"):
            seen.append(path)
        return write(self, template, path, *args, **kwargs)

    monkeypatch.setattr(SiteRenderer, "_write", counting)
    return seen


def more_pages(project) -> None:
    """Pages that have nothing to do with zwdt/gzdt/a.md: another channel, no shared keywords."""
    for n in range(4):
        project.page(f"xxgk/p{n}.md", f"公开事项{n}", date=f"2026-03-0{n + 1} 09:00", keywords=f"[事项{n}]")


def test_a_body_edit_visits_only_the_pages_that_read_the_edited_page(project, tmp_path, visited):
    more_pages(project)
    first = build(project)
    assert {"zwdt/gzdt/a.html", "xxgk/p0.html", "zwdt/gzdt/index.html", "xxgk/index.html"} <= set(visited)
    visited.clear()
    project.page("zwdt/gzdt/a.md", "第一篇工作动态", date="2026-05-01 09:00", keywords="[营商环境]",
                 body="改过的正文，写了新的内容。")
    result = build(project)
    assert result.rendered == 1
    assert "zwdt/gzdt/a.html" in visited
    # b.html shows a's title (上一篇/下一篇, 相关文章), the lists show it with its summary: looked
    # at (the lists found changed). Nothing else is.
    assert set(visited) <= {"zwdt/gzdt/a.html", "zwdt/gzdt/b.html", "zwdt/gzdt/index.html", "zwdt/index.html"}, visited
    assert result.skipped + result.rendered >= first.pages, "every unchanged page is kept"
    same_as_clean(project, tmp_path, "body")


def test_an_unchanged_rebuild_visits_no_page(project, visited):
    more_pages(project)
    build(project)
    visited.clear()
    project.page("xxgk/p0.md", "公开事项0", date="2026-03-01 09:00", keywords="[事项0]")   # same text: a new mtime
    age(project.content)
    again = build(project)
    assert again.rendered == 0 and not visited, visited


@pytest.mark.parametrize("edit", ["channel name", "column name", "linked title", "site.yaml", "template"])
def test_a_change_many_pages_show_reaches_every_one_of_them(project, tmp_path, visited, edit):
    more_pages(project)
    project.page("xxgk/p9.md", "引用第一篇", date="2026-03-09 09:00", body="见[第一篇](../zwdt/gzdt/a.md)。")
    build(project)
    visited.clear()
    if edit == "channel name":       # in every page's navigation
        project.column("zwdt", "政务动态（新名）", type="政务动态", keywords="[政务动态]", order=1)
        shown, everywhere = "政务动态（新名）", True
    elif edit == "column name":      # in its pages' trail, heads and export items
        project.column("zwdt/gzdt", "工作动态（新名）", type="政务动态", keywords="[工作, 动态]", order=1)
        shown, everywhere = "工作动态（新名）", False
    elif edit == "linked title":     # a page's title, in its neighbours' 上一篇/下一篇 and 相关文章
        project.page("zwdt/gzdt/a.md", "第一篇（新标题）", date="2026-05-01 09:00", keywords="[营商环境]")
        shown, everywhere = "第一篇（新标题）", False
    elif edit == "site.yaml":        # the site's name, in every page's head
        project.configure(replace={"name: 测试区人民政府": "name: 测试区人民政府（新名）"})
        shown, everywhere = "测试区人民政府（新名）", True
    else:                            # a template every page uses
        project.write("sites/t/templates/partials/footer.html",
                      (Path(__file__).parent.parent / "themes/default/templates/partials/footer.html")
                      .read_text(encoding="utf-8").replace("</footer>", "<p>新页脚</p></footer>"))
        shown, everywhere = "新页脚", True
    age(project.root)
    build(project)
    pages = ["zwdt/gzdt/a.html", "zwdt/gzdt/b.html", "xxgk/p0.html", "xxgk/p9.html"]
    showing = [rel for rel in pages if shown in project.html(rel)]
    assert showing == pages if everywhere else set(showing) >= {"zwdt/gzdt/a.html", "zwdt/gzdt/b.html"}
    assert set(showing) <= set(visited) | {"zwdt/gzdt/a.html"}, "every page showing the change was looked at"
    same_as_clean(project, tmp_path, edit.replace(" ", "-"))


def restore(root: Path) -> None:
    """Move the project away and copy it back as a CI cache restore does: every file (sources,
    ``.govsite-cache/``, ``build/``) with a new inode and modification time."""
    away = root.with_name(root.name + ".away")
    shutil.move(root, away)
    shutil.copytree(away, root, copy_function=shutil.copyfile)
    shutil.rmtree(away)
    age(root)


def test_a_restored_cache_takes_unchanged_pages_from_their_records(project, tmp_path, visited):
    more_pages(project)
    first = build(project)
    restore(project.root)
    visited.clear()
    project.page("zwdt/gzdt/b.md", "第二篇工作动态", date="2026-05-02 09:00", keywords="[营商环境]",
                 body="恢复缓存后改过的正文。")
    age(project.content)
    result = build(project)
    assert result.rendered == 1, "the restored records and output files are known by their content"
    assert set(visited) <= {"zwdt/gzdt/a.html", "zwdt/gzdt/b.html", "zwdt/gzdt/index.html", "zwdt/index.html"}, visited
    assert result.pages == first.pages
    same_as_clean(project, tmp_path, "restored")


def test_a_cache_restored_into_another_checkout_folder_still_serves(project, tmp_path, monkeypatch, visited):
    """CI runners may check a repository out in a new folder for each job (GitLab's
    ``/builds/<runner>/<n>/…``): run from the project's folder (``--project .``, the default), the
    restored cache and output are as good there as in the folder that made them."""
    more_pages(project)
    monkeypatch.chdir(project.root)
    first = build_site(Path("."), "t", Path("build"), BuildOptions(now=NOW, jobs=1))
    elsewhere = tmp_path / "another-checkout"
    shutil.copytree(project.root, elsewhere, copy_function=shutil.copyfile)
    age(elsewhere)
    monkeypatch.chdir(elsewhere)
    page = Path("content/t/zwdt/gzdt/b.md")
    page.write_text(page.read_text(encoding="utf-8") + "\n在另一个目录中改过的正文。\n", encoding="utf-8")
    age(elsewhere / "content")
    visited.clear()
    result = build_site(Path("."), "t", Path("build"), BuildOptions(now=NOW, jobs=1))
    assert result.rendered == 1, "the cache's keys do not name the checkout's folder"
    assert result.pages == first.pages
    clean = build_site(Path("."), "t", tmp_path / "clean", BuildOptions(now=NOW, jobs=1, cache=False))
    assert clean.pages == result.pages
    assert_same_files(elsewhere / "build/t", tmp_path / "clean/t", "another checkout folder")


def test_a_restored_output_file_is_read_once(project, monkeypatch):
    """Restored output files have new inodes and mtimes: each is read once, to digest it, when
    the build takes it from the previous output — the output scan then knows the file it was
    linked to by what that read recorded, instead of reading it again. (A file made anew, such as
    the export's current document, is a file of its own, read for its digest once too.)"""
    more_pages(project)
    build(project)
    restore(project.root)
    project.page("zwdt/gzdt/b.md", "第二篇工作动态", date="2026-05-02 09:00", keywords="[营商环境]",
                 body="恢复缓存后改过的正文。")
    age(project.content)
    read: list[tuple[str, int]] = []
    digest = writer.file_digest

    def counting(path):
        inside = os.path.relpath(path, project.root / "build")   # t/… or .t.tmp-<pid>/…
        read.append((inside.split(os.sep, 1)[1], os.stat(path).st_ino))   # (the same file: the same inode)
        return digest(path)

    monkeypatch.setattr(writer, "file_digest", counting)
    result = build(project)
    assert result.rendered == 1
    assert read, "restored files are known by their content"
    twice = sorted({rel for rel, inode in read if read.count((rel, inode)) > 1})
    assert not twice, f"read more than once: {twice[:5]}"


def test_the_previous_output_is_gone_when_the_build_returns(project):
    """The previous output, swapped out by the new one, is deleted while the cache is saved; by the
    time the build returns nothing of it is left beside the output."""
    build(project)
    project.page("zwdt/gzdt/b.md", "第二篇工作动态", date="2026-05-02 09:00", keywords="[营商环境]", body="改过。")
    age(project.content)
    build(project)
    assert sorted(p.name for p in (project.root / "build").iterdir()) == ["t"]
