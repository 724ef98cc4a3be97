"""The rule registry is the one list of rule ids (issue #22, "rules as one stage").

Every id a govsite message can print is registered, with what it checks and where it is
enforced; docs/rules.md is generated from the registry and the rule set table, so a user can look
up any id a message prints; the claims that table makes (a test shows what the theme does) are
true; and the documentation links nothing outside the repository.
"""
from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

from govsite.config.check import CHECK as CHECK_SETTINGS
from govsite.config.rule_set import BY_ID, RULE_SET
from govsite.config.rules import BUILD, CHECK, ENFORCERS, PHASES, REGISTRY, RULES, SEVERITIES, rule
from govsite.content.model import Page
from govsite.core.errors import Report
from govsite.pipeline.build import BuildOptions, load_and_check
from govsite.rules.stage import source_rules

from checkfix import check, clean, found
from helpers import NOW

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "govsite"
DOCS = REPO / "docs"
TABLES = {PACKAGE / "config" / "rules.py", PACKAGE / "config" / "rule_set.py"}   # they define ids, not print them
ANY_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:-\d+)?(?:\.[a-z]+)?$")            # CO-3, LK-2.hidden, P1
SET_ID = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2}-\d+(?:\.[a-z]+)?)(?![A-Za-z0-9])")
MESSAGE_ID = re.compile(r"^\[([A-Z][A-Z0-9]*(?:-\d+)?(?:\.[a-z]+)?)\]")  # a message that starts with its id


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def ids_in_source() -> dict[str, set[str]]:
    """Rule id → the modules of govsite/ that use it: in a message (``[CO-3] …``), as ``rule=``, as
    a module's ``RULE``-named constant, as the first argument of ``make``/``Raw``, or in any other
    string (a rule selection such as ``"LK-1" in rules``). Docstrings and comments do not count."""
    used: dict[str, set[str]] = {}

    def add(rule_id: str, path: Path) -> None:
        used.setdefault(rule_id, set()).add(path.relative_to(REPO).as_posix())

    for path in sorted(PACKAGE.rglob("*.py")):
        if path in TABLES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            named = None
            if isinstance(node, ast.keyword) and node.arg == "rule":
                named = node.value
            elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.endswith("RULE")
                                                     for t in node.targets):
                named = node.value
            elif isinstance(node, ast.Call) and node.args:
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if name in ("make", "Raw", "at_output"):
                    named = node.args[0]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
                for rule_id in SET_ID.findall(node.value):
                    add(rule_id, path)
                start = MESSAGE_ID.match(node.value)
                if start:
                    add(start.group(1), path)
            if isinstance(named, ast.Constant) and isinstance(named.value, str) and ANY_ID.match(named.value):
                add(named.value, path)
    return used


def load_docs_script():
    spec = importlib.util.spec_from_file_location("docs_rules", REPO / "scripts" / "docs_rules.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the registry cannot drift from the code --------------------------------------------------------
def test_every_rule_id_govsite_prints_is_registered():
    used = ids_in_source()
    assert {"CO-3", "LK-2.hidden", "SV-2", "P1", "LK-1.gone", "ID-3"} <= set(used)   # the scan finds each kind
    missing = {rule_id: sorted(where) for rule_id, where in used.items()
               if rule_id not in REGISTRY and rule_id not in ("CFG", "BUILD")}
    assert not missing, f"rule ids used in govsite/ but not in govsite/config/rules.py: {missing}"


def test_every_registered_rule_is_reported_somewhere():
    used = ids_in_source()
    dead = sorted(set(REGISTRY) - set(used))
    assert not dead, f"registered but never reported by any module: {dead}"


def test_registry_entries_are_complete():
    set_ids = {entry.id for entry in RULE_SET}
    for r in REGISTRY.values():
        assert ANY_ID.match(r.id), r.id
        assert re.search(r"[\u4e00-\u9fff]", r.title), f"{r.id}: the title is Chinese"
        assert r.summary and "\n" not in r.summary, r.id
        assert r.severity in SEVERITIES and r.phase in PHASES, r.id
        assert r.enforced and set(r.enforced) <= set(ENFORCERS), r.id
        for key in r.settings:
            assert key in CHECK_SETTINGS, f"{r.id}: {key} is not a check: setting"
        if r.page:
            page = DOCS / r.page
            assert page.is_file(), f"{r.id}: docs/{r.page} does not exist"
            assert r.spec in page.read_text(encoding="utf-8"), f"{r.id}: docs/{r.page} does not mention {r.spec}"
        assert r.spec in set_ids or r.page, f"{r.id} is in no rule of the rule set and has no docs page"
        assert rule(r.id) is r


def test_check_rules_are_the_ones_check_settings_can_tune():
    assert set(RULES) == {r.id for r in REGISTRY.values() if CHECK in r.enforced}
    assert "SV-2" not in RULES and BUILD in REGISTRY["SV-2"].enforced
    assert "CO-3" in RULES and set(REGISTRY["CO-3"].enforced) == {BUILD, CHECK}


# -- the rule set table and docs/rules.md -------------------------------------------------------------
def test_rule_set_claims_name_tests_that_exist():
    assert len(BY_ID) == len(RULE_SET)
    for entry in RULE_SET:
        assert SET_ID.fullmatch(entry.id) and "." not in entry.id, entry.id
        assert re.search(r"[\u4e00-\u9fff]", entry.title) and entry.summary, entry.id
        for name in entry.related:
            assert name in REGISTRY, f"{entry.id}: related rule {name} is not registered"
        for shown in entry.theme:
            file, _, test = shown.test.partition("::")
            source = (REPO / file).read_text(encoding="utf-8")
            assert re.search(rf"^def {re.escape(test)}\(", source, re.M), f"{entry.id}: {shown.test} does not exist"


def test_docs_rules_md_is_what_the_script_writes():
    current = (DOCS / "rules.md").read_text(encoding="utf-8")
    assert current == load_docs_script().render(), "docs/rules.md is out of date: run python3 scripts/docs_rules.py"


def test_docs_rules_md_lists_every_rule_set_id_and_every_registered_rule():
    text = (DOCS / "rules.md").read_text(encoding="utf-8")
    rule_set, registered = text.split("\n## Every rule id govsite reports\n")
    row = re.compile(r"^\| ([A-Z][A-Z0-9]*(?:-\d+)?(?:\.[a-z]+)?) \|.*$", re.M)
    rows = {m.group(1): m.group(0) for m in row.finditer(rule_set)}
    assert list(rows) == [entry.id for entry in RULE_SET]
    assert {m.group(1) for m in row.finditer(registered)} == set(REGISTRY) | {"CFG", "BUILD"}
    # an id nothing enforces says so rather than staying blank
    assert "**not covered yet**" in rows["LY-9"] and "**not covered yet**" not in rows["CO-3"]
    assert "build (CO-3)" in rows["CO-3"] and "check (CO-3)" in rows["CO-3"]


def test_docs_link_rules_md_and_nothing_outside_the_repository():
    pages = [REPO / "README.md", *sorted(DOCS.glob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text and "SPEC.md" not in text, page.name
        prose = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)   # examples of link syntax are not links
        for target in re.findall(r"\]\(([^)\s]+)\)", prose):
            if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                continue
            resolved = (page.parent / target.split("#", 1)[0]).resolve()
            assert resolved.is_relative_to(REPO), f"{page.name} links {target}, outside the repository"
    assert "(docs/rules.md)" in (REPO / "README.md").read_text(encoding="utf-8")
    assert "(rules.md)" in (DOCS / "check.md").read_text(encoding="utf-8")


def test_check_md_table_has_a_row_for_each_check_rule():
    text = (DOCS / "check.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| ([A-Z]{2}-\d+(?:\.[a-z]+)?|CFG) \| (?:error|warning|info) \|", text, re.M))
    assert rows == set(RULES) | {"CFG"}


# -- rules moved into the rules stage keep reporting --------------------------------------------------
def test_one_source_per_address_is_id3_in_build_and_check(project):
    clean(project)
    project.column("search", "搜索专栏")
    project.page("search/a.md", "专栏文章")
    result = project.build()
    assert result.exit_code == 1 and "[ID-3] 栏目网址「search」与站点保留名称冲突" in result.output
    [hit] = found(check(project), "ID-3")
    assert hit.path.endswith("search/_column.yaml") and hit.severity == "error"


def test_source_rules_stage_judges_a_resolved_site(project):
    """What the pipeline calls after resolve: structure (ID-3 here) and colour contrast (LY-5), each
    at the line an editor changes."""
    clean(project)
    project.configure('colors:\n  main: "#7fb2ff"\n  soft: "#eef3fa"\n')
    project.column("search", "搜索专栏")
    project.page("search/a.md", "专栏文章")
    main_line = (project.root / "sites/t/site.yaml").read_text(encoding="utf-8").splitlines().index("colors:") + 2
    site = load_and_check(project.root, "t", BuildOptions(now=NOW)).site
    assert site is not None
    report = Report()
    source_rules(site, [p for p in site.by_src.values() if isinstance(p, Page)], report)
    by_rule = {p.rule: p for p in report.problems}
    assert set(by_rule) == {"ID-3", "LY-5"}
    assert by_rule["ID-3"].path.endswith("search/_column.yaml")
    contrast = by_rule["LY-5"]
    assert contrast.path.endswith("site.yaml") and contrast.line == main_line and "对比度不足" in contrast.message
