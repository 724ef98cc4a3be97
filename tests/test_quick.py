"""Quick rebuild (govsite.quick): a body-only edit patched into the last build.

The patch must give exactly what the normal build gives — same files, same bytes — or decline
and leave the output alone; ``govsite serve`` shows the patch first and confirms it with the
normal build.
"""
from __future__ import annotations

import filecmp
import os
import shutil

import pytest

from govsite.pipeline import quick
from govsite.pipeline.build import BuildOptions, build_site
from govsite.pipeline.state import LastBuild

from helpers import NOW, REPO, age, page

DEMO_NOW = "2026-11-24 10:00"


def files(root) -> dict[str, None]:
    return {os.path.relpath(os.path.join(d, n), root): None for d, _, names in os.walk(root) for n in names}


def same_trees(a, b) -> list[str]:
    """Paths that differ between two output folders (missing on one side, or other bytes)."""
    fa, fb = files(a), files(b)
    differ = sorted(set(fa) ^ set(fb))
    differ += [p for p in sorted(set(fa) & set(fb)) if not filecmp.cmp(os.path.join(a, p), os.path.join(b, p), False)]
    return differ


def preview(root, key, out, now, keep=None):
    return build_site(root, key, out, BuildOptions(now=now, jobs=1, preview=True), last=keep)


def replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_body_edit_is_patched_exactly_as_a_full_build_writes_it(project, tmp_path):
    out = tmp_path / "serve"
    keep = LastBuild()
    preview(project.root, "t", out, NOW, keep)
    target = project.content / "zwdt/gzdt/a.md"
    replace(target, "正文内容。", "甲乙丙丁。")   # as long as before: the mean page length stays
    before = (out / "t/zwdt/gzdt/b.html").stat()

    patched = quick.patch(keep, [str(target)])

    assert patched.done and patched.pages == 1
    assert "甲乙丙丁" in (out / "t/zwdt/gzdt/a.html").read_text(encoding="utf-8")
    assert (out / "t/zwdt/gzdt/b.html").stat().st_ino == before.st_ino      # untouched files are links
    snapshot = tmp_path / "patched"
    shutil.copytree(out / "t", snapshot)
    full = preview(project.root, "t", out, NOW)
    assert same_trees(snapshot, out / "t") == []
    assert full.written == 0
    search = "".join(p.read_text(encoding="utf-8") for p in (out / "t/search/idx").glob("*.js"))
    assert "甲乙" in search                                                   # the new words are searchable


def test_edits_follow_one_another_on_the_patched_state(project, tmp_path):
    out = tmp_path / "serve"
    keep = LastBuild()
    preview(project.root, "t", out, NOW, keep)
    target = project.content / "zwdt/gzdt/b.md"
    for n, words in enumerate(["营商环境。", "政务公开。"]):   # as long as 正文内容。
        target.write_text(page("第二篇工作动态", date="2026-05-02 09:00", keywords="[营商环境]", body=words),
                          encoding="utf-8")
        assert quick.patch(keep, [str(target)]).done, n
    snapshot = tmp_path / "patched"
    shutil.copytree(out / "t", snapshot)
    preview(project.root, "t", out, NOW)
    assert same_trees(snapshot, out / "t") == []


@pytest.mark.slow
def test_demo_page_with_traditional_and_language_versions(tmp_path):
    """The demo has a 繁体 version and an English version: the patched page's 繁体 counterpart and
    the feeds change with it, and the result equals a full build."""
    root = tmp_path / "demo"
    for name in ("sites", "content", "themes"):
        shutil.copytree(REPO / name, root / name)
    out = tmp_path / "serve"
    keep = LastBuild()
    preview(root, "demo", out, DEMO_NOW, keep)
    target = next(p for p in sorted((root / "content/demo/zwdt/gzdt").glob("*.md")))
    append(target, "\n會議強調，要持續優化營商環境。\n")
    assert quick.patch(keep, [str(target)]).done
    snapshot = tmp_path / "patched"
    shutil.copytree(out / "demo", snapshot)
    full = preview(root, "demo", out, DEMO_NOW)
    assert same_trees(snapshot, out / "demo") == []
    assert full.written == 0


def test_a_shift_of_the_mean_page_length_is_declined(project, tmp_path):
    """Search weights depend on the mean page length: when an edit moves it, every page's do."""
    keep = LastBuild()
    preview(project.root, "t", tmp_path / "serve", NOW, keep)
    target = project.content / "zwdt/gzdt/a.md"
    append(target, "\n补充说明：本次活动新增了多个环节，请关注后续通知。\n" * 5)
    assert quick.patch(keep, [str(target)]).reason == "the mean page length changed"


FILLER = "。" * 60


def swap(path, new: str) -> None:
    """Put ``new`` where the filler was, padded to the filler's length: the mean page length
    stays, so only the reason under test can make the patch decline."""
    assert len(new) <= len(FILLER)
    replace(path, FILLER, new + "。" * (len(FILLER) - len(new)))


@pytest.mark.parametrize("change, reason", [
    (lambda p: replace(p, "title: 第一篇工作动态", "title: 第一篇工作动态（改）"), "front matter changed"),
    (lambda p: swap(p, "详见[外部网站](https://www.example.org/n.html)"), "outbound links changed"),
    (lambda p: swap(p, "见[不存在的页面](nothing.md)"), "the body has an error to report"),
    (lambda p: swap(p, "见[网站](site:t/zwdt/gzdt/b.md)"), "a site: link"),
    (lambda p: p.unlink(), "cannot read"),
])
def test_edits_it_cannot_be_sure_of_are_declined_and_leave_the_output(project, tmp_path, change, reason):
    target = project.page("zwdt/gzdt/a.md", "第一篇工作动态", keywords="[营商环境]", body="正文内容。" + FILLER)
    out = tmp_path / "serve"
    keep = LastBuild()
    preview(project.root, "t", out, NOW, keep)
    age(out)
    before = {p: (out / "t" / p).stat().st_mtime_ns for p in files(out / "t")}
    assert keep.site is not None
    served_page = next(p for p in keep.site.pages if p.file == target)
    body = served_page.body
    change(target)
    patched = quick.patch(keep, [str(target)])
    assert not patched.done and patched.reason.startswith(reason)
    assert not keep.ready or served_page.body == body     # nothing half-patched is kept for the next edit
    assert {p: (out / "t" / p).stat().st_mtime_ns for p in files(out / "t")} == before
    assert not list(tmp_path.glob("serve/.t.tmp-*"))  # no temporary folder left behind


def test_the_filler_swap_alone_is_patched(project, tmp_path):
    """The control for the test above: the same kind of edit without the troublesome part."""
    target = project.page("zwdt/gzdt/a.md", "第一篇工作动态", keywords="[营商环境]", body="正文内容。" + FILLER)
    keep = LastBuild()
    preview(project.root, "t", tmp_path / "serve", NOW, keep)
    swap(target, "详见政务公开栏目")
    assert quick.patch(keep, [str(target)]).done


def test_only_pages_of_the_site_are_patched(project, tmp_path):
    out = tmp_path / "serve"
    keep = LastBuild()
    preview(project.root, "t", out, NOW, keep)
    column = project.content / "zwdt/gzdt/_column.yaml"
    assert quick.patch(keep, [str(column)]).reason.startswith("not a Markdown page of this site")
    assert quick.patch(LastBuild(), [str(project.content / "zwdt/gzdt/a.md")]).reason == "no finished build to patch"


def next_build_equals_a_clean_one(project, tmp_path, previous: LastBuild) -> LastBuild:
    """The next build of serve's process (given the last one's state); asserts its output equals a
    clean build's and returns its state."""
    state = LastBuild(previous=previous.search)
    preview(project.root, "t", tmp_path / "serve", NOW, state)
    build_site(project.root, "t", tmp_path / "clean", BuildOptions(now=NOW, jobs=1, preview=True, cache=False))
    assert same_trees(tmp_path / "serve/t", tmp_path / "clean/t") == []
    return state


def test_serve_reuses_the_search_index_when_the_postings_are_the_same(project, tmp_path):
    """A column renamed changes no page text: the next build in the same process takes the last
    build's joined index instead of joining it again, and writes what a clean build writes."""
    first = LastBuild()
    preview(project.root, "t", tmp_path / "serve", NOW, first)
    replace(project.content / "zwdt/gzdt/_column.yaml", "name: 工作动态", "name: 工作动态栏目")
    assert next_build_equals_a_clean_one(project, tmp_path, first).search.index is first.search.index


def test_a_patched_index_is_reused_by_the_next_build_of_the_same_texts(project, tmp_path):
    """After a patch the index is the one the new texts give: a column renamed next (serve's
    confirming build carries both changes) takes it instead of joining the postings again."""
    first = LastBuild()
    preview(project.root, "t", tmp_path / "serve", NOW, first)
    target = project.content / "zwdt/gzdt/a.md"
    replace(target, "正文内容。", "甲乙丙丁。")
    assert quick.patch(first, [str(target)]).done
    replace(project.content / "zwdt/gzdt/_column.yaml", "name: 工作动态", "name: 工作动态栏目")
    assert next_build_equals_a_clean_one(project, tmp_path, first).search.index is first.search.index


@pytest.mark.slow
def test_a_patched_run_in_the_middle_of_the_index_is_rekeyed(project, tmp_path):
    """With several runs of postings (build.page_runs), the patch gives the edited page's run —
    not another — the key a build computes, so the next build still takes the patched index."""
    for i in range(130):   # runs of 50, 50 and 30 pages
        project.page(f"zwdt/gzdt/m{i:03d}.md", f"工作动态{i}", date="2026-03-01 09:00")
    first = LastBuild()
    preview(project.root, "t", tmp_path / "serve", NOW, first)
    assert first.site is not None
    target = first.site.pages[75].file          # in the second run
    replace(target, "正文内容。", "甲乙丙丁。")
    assert quick.patch(first, [str(target)]).done
    replace(project.content / "zwdt/gzdt/_column.yaml", "name: 工作动态", "name: 工作动态栏目")
    assert next_build_equals_a_clean_one(project, tmp_path, first).search.index is first.search.index


def test_an_index_patched_to_other_texts_is_not_reused(project, tmp_path):
    first = LastBuild()
    preview(project.root, "t", tmp_path / "serve", NOW, first)
    target = project.content / "zwdt/gzdt/a.md"
    replace(target, "正文内容。", "甲乙丙丁。")
    assert quick.patch(first, [str(target)]).done
    replace(target, "甲乙丙丁。", "正文内容。")      # back: the runs of postings are the first build's again
    assert next_build_equals_a_clean_one(project, tmp_path, first).search.index is not first.search.index


def test_a_cancelled_build_leaves_the_previous_output_as_it_was(project, tmp_path):
    """BuildCancelled (serve: a newer edit) stops a build before its output replaces anything."""
    from govsite.pipeline.build import BuildCancelled

    out = tmp_path / "serve"
    preview(project.root, "t", out, NOW)
    snapshot = tmp_path / "before"
    shutil.copytree(out / "t", snapshot)
    replace(project.content / "zwdt/gzdt/a.md", "正文内容。", "甲乙丙丁。")
    asked = []

    def cancelled() -> bool:     # no from the first checkpoints, yes from the first render task on
        asked.append(1)
        return len(asked) > 3

    with pytest.raises(BuildCancelled):
        build_site(project.root, "t", out, BuildOptions(now=NOW, jobs=1, preview=True), cancelled=cancelled)
    assert len(asked) > 3
    assert same_trees(snapshot, out / "t") == []
    assert sorted(p.name for p in out.iterdir()) == ["t"]        # no temporary folder left behind


def test_an_edit_during_the_confirming_build_supersedes_it(project, tmp_path, monkeypatch):
    """govsite serve: the second of two quick edits arrives while the full build that confirms the
    first is running. That build stops (nothing of it is served), the second edit is patched at
    once, and the next confirming build covers both and equals a clean build."""
    import threading

    from govsite.pipeline.options import Timings
    from govsite.serve import builder as serve_builder

    monkeypatch.setattr(serve_builder, "CONFIRM_AFTER", 3600.0)   # the test starts confirmations itself
    log: list[str] = []
    preview_builder = serve_builder.PreviewBuilder(project.root, "t", now=NOW, jobs=1, out_root=tmp_path / "serve",
                                                   log=log.append)
    assert preview_builder.build().ok
    preview_builder.prepare()
    target = project.content / "zwdt/gzdt/a.md"
    replace(target, "正文内容。", "甲乙丙丁。")
    assert preview_builder.build([str(target)]).quick

    inside, go_on = threading.Event(), threading.Event()
    checkpoint = Timings.checkpoint

    def held_checkpoint(self):    # the confirming build waits at its first checkpoint for the second edit
        if self.cancelled is not None and not inside.is_set():
            inside.set()
            assert go_on.wait(30)
        checkpoint(self)

    monkeypatch.setattr(Timings, "checkpoint", held_checkpoint)
    confirming = threading.Thread(target=preview_builder._confirm, args=(preview_builder._generation,))
    confirming.start()
    assert inside.wait(30)
    replace(target, "甲乙丙丁。", "戊己庚辛。")
    second: list = []
    request = threading.Thread(target=lambda: second.append(preview_builder.build([str(target)])))
    request.start()
    assert preview_builder._superseded.wait(30)   # the request asked the confirming build to stop …
    go_on.set()                                   # … which it does at its next checkpoint
    request.join(30)
    confirming.join(30)

    assert second and second[0].quick and second[0].ok
    assert any("superseded the confirming build" in line for line in log)
    served = tmp_path / "serve/t"
    assert "戊己庚辛" in (served / "zwdt/gzdt/a.html").read_text(encoding="utf-8")
    preview_builder._confirm(preview_builder._generation)   # the one confirming build for both edits
    assert preview_builder.state.confirmed == 1
    clean = tmp_path / "clean"
    build_site(project.root, "t", clean, BuildOptions(now=NOW, jobs=1, preview=True, cache=False))
    assert same_trees(clean / "t", served) == []
    preview_builder.close()


def test_patches_write_into_a_spare_linked_ahead_and_stay_exact(project, tmp_path):
    """serve links the whole output into a spare folder after each build (quick.prepare), so a patch
    only writes what changes; the output it swaps in is still exactly what a full build writes, and
    the previous output becomes the next spare. A normal build of the process clears the spare,
    and the next patch then links as before."""
    import os

    out = tmp_path / "serve"
    keep = LastBuild()
    preview(project.root, "t", out, NOW, keep)
    quick.prepare(keep)
    spare = out / f".t.spare-{os.getpid()}"
    assert keep.spare is not None and spare.is_dir() and same_trees(spare, out / "t") == []
    target = project.content / "zwdt/gzdt/a.md"
    for words in ("甲乙丙丁。", "戊己庚辛。"):
        text = target.read_text(encoding="utf-8")
        target.write_text(text.replace("正文内容。", words).replace("甲乙丙丁。", words), encoding="utf-8")
        assert quick.patch(keep, [str(target)]).done
        assert keep.spare is not None and same_trees(spare, out / "t") == []   # the next spare: the new output
        assert (spare / "zwdt/gzdt/a.html").stat().st_ino == (out / "t/zwdt/gzdt/a.html").stat().st_ino
    snapshot = tmp_path / "patched"
    shutil.copytree(out / "t", snapshot)
    preview(project.root, "t", tmp_path / "clean", NOW)
    assert same_trees(snapshot, tmp_path / "clean/t") == []
    preview(project.root, "t", out, NOW)           # a normal build in this process: the spare is gone …
    assert not spare.exists()
    replace(target, "戊己庚辛。", "壬癸子丑。")
    assert quick.patch(keep, [str(target)]).done  # … and the patch makes its own folder
    assert "壬癸子丑" in (out / "t/zwdt/gzdt/a.html").read_text(encoding="utf-8")
