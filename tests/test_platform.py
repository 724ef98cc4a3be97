"""A platform (集约化) on a CI matrix: ``govsite plan --shards N`` splits the repository's sites into
balanced shards, ``govsite build --shard K/N`` builds one of them with output byte-identical to a
whole build, each job restores and saves only its sites' cache, and the CI files in
docs/deploy.md are what those commands expect."""
from __future__ import annotations

import json
import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml

from govsite.commands.plan import ShardError, SiteWork, parse_shard, partition

from helpers import REPO, age, run

NOW = "2026-12-01 09:00"


def make_platform(root: Path, towns: int = 3) -> Path:
    """The demo's three sites (the portal copies the education bureau's news and links the town's)
    and ``towns`` more towns cloned from 明湖街道, each listing the portal's files (link) and copying
    the portal's 通知公告 (copy): includes that cross any partition."""
    for folder in ("sites", "content", "themes"):
        shutil.copytree(REPO / folder, root / folder)
    base = (root / "sites/mhjd/site.yaml").read_text(encoding="utf-8")
    for n in range(2, 2 + towns):
        key = f"jd{n}"
        text = base.replace("mhjd.jinglan.gov.cn", f"{key}.jinglan.gov.cn").replace("content/mhjd", f"content/{key}")
        text = text.replace("景澜区明湖街道办事处", f"景澜区第{n}街道办事处").replace("3399010021", f"33990100{n:02d}")
        text += ("  - from: demo\n    columns: [zwdt/tzgg]\n    into: zwdt/tzgg\n    mode: copy\n    limit: 3\n")
        (root / "sites" / key).mkdir()
        (root / "sites" / key / "site.yaml").write_text(text, encoding="utf-8")
        shutil.copytree(root / "content/mhjd", root / "content" / key)
    age(root)
    return root


def restore(root: Path, keep) -> None:
    """Move the project away and copy it back as a CI cache restore does: new inodes and
    modification times, and of the cache and output only what ``keep(rel)`` says."""
    away = root.with_name(root.name + ".away")
    shutil.move(root, away)

    def ignore(folder, names):
        rel = Path(folder).relative_to(away)
        return [n for n in names if (rel.parts[:1] in (("build",), (".govsite-cache",)) or
                                     (not rel.parts and n in ("build", ".govsite-cache")))
                and not keep((rel / n).as_posix())]

    shutil.copytree(away, root, copy_function=shutil.copyfile, ignore=ignore)
    shutil.rmtree(away)
    age(root)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- the partition --------------------------------------------------------------------------------
def test_partition_puts_every_site_in_exactly_one_shard_balanced_by_pages():
    work = [SiteWork(f"s{i:02d}", pages) for i, pages in enumerate([900, 500, 400, 300, 300, 200, 100, 50, 50, 10])]
    plan = partition(work, 3)
    placed = [site for shard in plan.shards for site in shard.sites]
    assert sorted(placed) == sorted(w.key for w in work)
    loads = [shard.pages for shard in plan.shards]
    assert sum(loads) == sum(w.pages for w in work)
    assert max(loads) - min(loads) <= 100, loads      # 2810 pages: 937 each at best
    assert [str(shard.spec) for shard in plan.shards] == ["1/3", "2/3", "3/3"]
    assert partition(list(reversed(work)), 3) == plan   # the order sites are found in does not matter


def test_more_shards_than_sites_leaves_shards_empty_not_sites_twice():
    plan = partition([SiteWork("a", 5), SiteWork("b", 3)], 4)
    assert [shard.sites for shard in plan.shards] == [["a"], ["b"], [], []]


@pytest.mark.parametrize("text", ["4/3", "0/3", "3", "a/b", "1/0", "-1/3", "1/-3"])
def test_shard_values_that_name_no_shard_are_refused(text):
    with pytest.raises(ShardError):
        parse_shard(text)
    assert str(parse_shard("3/3")) == "3/3"


@pytest.mark.parametrize("args, message", [
    (["build", "--shard", "4/3"], "K must be between 1 and 3"),
    (["build", "--shard", "0/3"], "K must be between 1 and 3"),
    (["build", "--shard", "x"], "--shard takes K/N"),
    (["plan", "--shards", "0"], "at least 1"),
    (["plan", "--shards", "2", "--format", "paths"], "needs --shard K"),
    (["plan", "--shards", "2", "--format", "sites", "--shard", "3"], "K must be between 1 and 2"),
])
def test_bad_shard_options_exit_1_with_a_clear_message(args, message):
    result = run(["--project", str(REPO), *args])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_plan_of_a_site_including_a_missing_site_exits_1_naming_file_and_line(tmp_path):
    root = make_platform(tmp_path / "p", towns=1)
    config = root / "sites/jd2/site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - from: demo\n    columns: [zwdt/tzgg]",
                                                                 "  - from: nowhere\n    columns: [zwdt/tzgg]"),
                      encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index("  - from: nowhere") + 1
    result = run(["--project", str(root), "plan", "--shards", "2"])
    assert result.exit_code == 1
    assert f"sites/jd2/site.yaml:{line}:" in result.output
    assert "「nowhere」不存在" in result.output


def test_plan_formats_list_the_same_partition(tmp_path):
    root = make_platform(tmp_path / "p")
    data = json.loads(run(["--project", str(root), "plan", "--shards", "3"]).output)
    shards = data["shards"]
    assert sorted(s for shard in shards for s in shard["sites"]) == ["demo", "jd2", "jd3", "jd4", "jyj", "mhjd"]
    assert all(shard["pages"] > 0 for shard in shards)
    github = yaml.safe_load(run(["--project", str(root), "plan", "--shards", "3", "--format", "github"]).output)
    assert [(e["shard"], e["sites"].split()) for e in github["strategy"]["matrix"]["include"]] == \
        [(s["shard"], s["sites"]) for s in shards]
    gitlab = yaml.safe_load(run(["--project", str(root), "plan", "--shards", "3", "--format", "gitlab"]).output)
    assert [(e["SHARD"], e["SITES"].split()) for e in gitlab["parallel"]["matrix"]] == \
        [(s["shard"], s["sites"]) for s in shards]
    for n, shard in enumerate(shards, 1):
        sites = run(["--project", str(root), "plan", "--shards", "3", "--format", "sites", "--shard", str(n)]).output
        assert sites.split() == shard["sites"]
        paths = run(["--project", str(root), "plan", "--shards", "3", "--format", "paths", "--shard", str(n)]).output
        assert paths.split() == [p for s in shard["sites"] for p in (f".govsite-cache/{s}.sqlite", f"build/{s}")]


# -- the shards' builds -----------------------------------------------------------------------------
@pytest.mark.slow
def test_shard_builds_equal_the_whole_build_byte_for_byte(tmp_path):
    root = make_platform(tmp_path / "p")
    whole = run(["--project", str(root), "build", "--now", NOW, "--out", str(tmp_path / "whole"), "--jobs", "2"])
    assert whole.exit_code == 0, whole.output
    for k in (1, 2, 3):
        shard = run(["--project", str(root), "build", "--shard", f"{k}/3", "--now", NOW,
                     "--out", str(tmp_path / "sharded")])
        assert shard.exit_code == 0, shard.output
    expected = tree(tmp_path / "whole")
    assert {rel.split("/")[0] for rel in expected} == {"demo", "jd2", "jd3", "jd4", "jyj", "mhjd"}
    assert tree(tmp_path / "sharded") == expected


@pytest.mark.slow
def test_a_shard_job_restoring_only_its_sites_cache_renders_only_what_changed(tmp_path):
    """A matrix job restores its sites' cache and previous output (``plan --format paths``) into a
    fresh checkout: files with new inodes and mtimes are known by their content, so one edited
    page is rendered with what lists it, and the output equals a clean build's."""
    root = make_platform(tmp_path / "p", towns=1)
    assert run(["--project", str(root), "build", "--now", NOW]).exit_code == 0
    data = json.loads(run(["--project", str(root), "plan", "--shards", "2"]).output)
    shard = next(s for s in data["shards"] if "mhjd" in s["sites"])
    k = data["shards"].index(shard) + 1
    paths = run(["--project", str(root), "plan", "--shards", "2", "--format", "paths", "--shard", str(k)]).output.split()
    restore(root, lambda rel: any(rel == p or rel.startswith(p + "/") or p.startswith(rel + "/") for p in paths))
    assert sorted(p.name for p in (root / "build").iterdir()) == sorted(shard["sites"])
    page = root / "content/mhjd/zwdt/jddt" / sorted(p.name for p in (root / "content/mhjd/zwdt/jddt").glob("2*.md"))[-1]
    page.write_text(page.read_text(encoding="utf-8") + "\n追加的一句话。\n", encoding="utf-8")
    age(root)
    result = run(["--project", str(root), "build", "--shard", f"{k}/2", "--now", NOW])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if line.startswith("mhjd:"))
    counted = re.search(r"\((\d+) rendered", line)
    assert counted, line
    rendered = int(counted.group(1))
    assert 1 <= rendered <= 6, line   # the page, its column's list, the home page … not all 17
    clean = run(["--project", str(root), "build", "mhjd", "--now", NOW, "--no-cache", "--out", str(tmp_path / "clean")])
    assert clean.exit_code == 0
    assert tree(root / "build/mhjd") == tree(tmp_path / "clean/mhjd")


# -- the CI files of docs/deploy.md ------------------------------------------------------------------
def _blocks() -> list[dict]:
    text = (REPO / "docs/deploy.md").read_text(encoding="utf-8")
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", text, re.S)]


def _commands(script: str, env: dict) -> list[list[str]]:
    """The govsite command lines of a CI script, with the shell variables of ``env`` put in."""
    found = []
    for line in script.splitlines():
        for part in re.findall(r"(govsite (?:plan|build)[^;)|&]*)", line):
            part = part.replace("${SHARD%/*}", env["SHARD"].split("/")[0])
            for name in sorted(env, key=len, reverse=True):   # $SHARDS before $SHARD
                part = part.replace(f"${name}", env[name])
            found.append(shlex.split(part)[1:])
    return found


def _check_matrix_job(shards: list[str], n: str, scripts: list[str], root: Path) -> None:
    assert shards == [f"{k}/{n}" for k in range(1, int(n) + 1)]
    for shard in shards:
        env = {"SHARDS": n, "SHARD": shard}
        commands = [c for script in scripts for c in _commands(script, env)]
        assert ["build", "--shard", shard, "--precompress"] in commands
        for args in commands:
            if args[0] == "plan":   # runs and prints what the job uses
                result = run(["--project", str(root), *args])
                assert result.exit_code == 0 and result.output.strip(), (args, result.output)


def test_the_github_and_gitlab_platform_files_in_the_docs_run_plan_then_matrix_build_and_deploy(tmp_path):
    root = make_platform(tmp_path / "p")
    github = next(b for b in _blocks() if isinstance(b, dict) and b.get("name") == "platform")
    jobs = github["jobs"]
    assert jobs["build"]["needs"] == "plan"
    assert any("govsite plan" in step.get("run", "") for step in jobs["plan"]["steps"])
    build = jobs["build"]
    n = github["env"]["SHARDS"]
    steps = build["steps"]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache"))
    assert "matrix.shard" in cache["with"]["key"] and "steps.shard.outputs.paths" in cache["with"]["path"]
    assert [s.get("id") for s in steps].index("shard") < steps.index(cache) < \
        next(i for i, s in enumerate(steps) if "govsite build" in s.get("run", ""))
    assert any("rsync" in step.get("run", "") and "build/$site/" in step["run"] for step in steps)
    _check_matrix_job(build["strategy"]["matrix"]["shard"], n, [s.get("run", "") for s in steps], root)

    gitlab = next(b for b in _blocks() if isinstance(b, dict) and "stages" in b)
    assert gitlab["stages"] == ["plan", "build"]
    assert gitlab["build"]["stage"] == "build" and "$SHARD" in gitlab["build"]["cache"]["key"]
    n = gitlab["variables"]["SHARDS"]
    shards = gitlab["build"]["parallel"]["matrix"][0]["SHARD"]
    _check_matrix_job(shards, n, gitlab["build"]["script"], root)
    assert any("rsync" in line for line in gitlab["build"]["script"])
    # the matrices are what `govsite plan --format github/gitlab` prints for that many shards
    printed = yaml.safe_load(run(["--project", str(root), "plan", "--shards", n, "--format", "github"]).output)
    assert [e["shard"] for e in printed["strategy"]["matrix"]["include"]] == shards
