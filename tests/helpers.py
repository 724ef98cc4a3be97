"""Shared test helpers (not a test module, so test modules import it rather than each other):
the paths and pinned times, a temporary govsite project, the CLI runner, and the check that a
failed build leaves the previous output untouched.

The build time is always pinned (``NOW``) so no test changes its verdict as the calendar moves.
"""
from __future__ import annotations

import os
import textwrap
from pathlib import Path

from click.testing import CliRunner

from govsite.commands.cli import main
from govsite.render import pages as render_pages

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-06-01 12:00"
DEMO_NOW = "2026-11-24 10:00"   # the demo's pinned build time (the ``demo`` fixture)

SITE_YAML = """\
name: 测试区人民政府
domain: www.ceshi.gov.cn
base_url: https://www.ceshi.gov.cn/
site_code: "3399020001"
sponsor: 测试区人民政府办公室
org_code: "11339902402360017X"
contact:
  address: 测试区人民路1号
  phone: 0000-12345678
  email: ceshi@ceshi.gov.cn
  postcode: "339200"
icp: 津ICP备17005512号
psb: 津公网安备12019900000002号
conac: https://bszs.conac.cn/sitename?method=show&id=5D2C7B1A0E9F48C3
keywords: [测试区, 政务]
channels: [zwdt, xxgk]
"""


def page(title, date="2026-05-01 09:00", body="正文内容。", **fields):
    lines = [f"title: {title}", f"date: {date}"] + [f"{k}: {v}" for k, v in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


class Project:
    """A temporary govsite project: ``write`` files into it, ``build`` it through the CLI."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content" / "t"

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def column(self, rel: str, name: str, **fields) -> Path:
        body = f"name: {name}\n" + "".join(f"{k}: {v}\n" for k, v in fields.items())
        return self.write(f"content/t/{rel}/_column.yaml", body)

    def configure(self, extra: str = "", replace: dict | None = None) -> None:
        """Change sites/t/site.yaml: replace text in it, then append ``extra`` YAML."""
        path = self.root / "sites/t/site.yaml"
        text = path.read_text(encoding="utf-8")
        for old, new in (replace or {}).items():
            assert old in text, old
            text = text.replace(old, new)
        path.write_text(text + extra, encoding="utf-8")

    def page(self, rel: str, title: str, **kw) -> Path:
        return self.write(f"content/t/{rel}", page(title, **kw))

    def build(self, *args, now=NOW):
        return run(["--project", str(self.root), "build", "t", "--now", now, "--jobs", "1", *args])

    def out(self, rel: str = "") -> Path:
        return self.root / "build" / "t" / rel

    def html(self, rel: str) -> str:
        return self.out(rel).read_text(encoding="utf-8")


def age(root: Path, seconds: int = 60) -> None:
    """Make every file under ``root`` look ``seconds`` old: a file saved within the file system's
    mtime resolution of a build is never trusted to be unchanged."""
    for path in root.rglob("*"):
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 10**9))


def run(args):
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    return result


def tree_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, by path relative to it."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def snapshot(project: Project) -> dict[str, bytes]:
    """Every file of the project's output, by relative path."""
    return tree_files(project.out())


def assert_same_files(got_root: Path, want_root: Path, label: str) -> None:
    """Two output folders hold the same files with the same bytes (a cached build against a clean one)."""
    got, want = tree_files(got_root), tree_files(want_root)
    assert sorted(got) == sorted(want), f"{label}: different file sets"
    different = [rel for rel in want if got[rel] != want[rel]]
    assert not different, f"{label}: files differ from a clean build: {different[:5]}"


def fails_cleanly(project: Project, *expected: str) -> str:
    """Build must fail, print each expected fragment, and leave the old output untouched."""
    before = snapshot(project)
    assert before, "a good build must exist before the bad input is written"
    result = project.build()
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for fragment in expected:
        assert fragment in result.output, f"{fragment!r} not in:\n{result.output}"
    assert snapshot(project) == before
    assert not [p for p in project.root.joinpath("build").iterdir() if p.name.startswith(".")], "temporary folder left behind"
    return result.output


def add_template_global(monkeypatch, name: str, make) -> None:
    """Every build's templates get a global ``name``, ``make(site)`` (a helper a site's Python
    might add, reading what it likes); undone when the test ends."""
    original = render_pages.make_environment

    def with_global(project_root, site):
        env = original(project_root, site)
        env.globals[name] = make(site)
        return env

    monkeypatch.setattr(render_pages, "make_environment", with_global)
