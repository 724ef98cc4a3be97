"""Interface strings folded into the templates at compile time (:mod:`govsite.render.fold`) give
the pages the very bytes the calls gave, and leave calls with values alone."""
from __future__ import annotations

import jinja2
import pytest

from govsite.config.messages import Messages
from govsite.render.fold import FoldMessages, strings_key

STRINGS = {"首页": "Home", "搜索“{keyword}”": "Search “{keyword}”", "<b>": "<i>&"}
TEMPLATES = [
    '{{ _("首页") }}',
    '<a aria-label="{{ _("<b>") }}">{{ _("未译") }}</a>',
    '{{ _("搜索“{keyword}”", keyword=k) }}',
    '{% set t = _("首页") %}{{ t ~ "/" ~ _("首页")|upper }}',
    '{{ obj._("首页") }}',
    '{% macro m(x) %}{{ _("首页") }}{{ x }}{% endmacro %}{{ m(_("<b>")) }}',
    '{{ _ ("首页") }}{{ _( "首页" ) }}',
]


class Counting(Messages):
    calls = 0

    def __call__(self, key, **values):
        Counting.calls += 1
        return super().__call__(key, **values)


class Obj:
    def _(self, key):
        return f"method:{key}"


def render(source: str, fold: bool, language="en") -> str:
    env = jinja2.Environment(autoescape=True, extensions=[FoldMessages] if fold else [])
    env.globals["_"] = Counting(language, STRINGS if language == "en" else {})
    return env.from_string(source).render(k="<税>", obj=Obj())


@pytest.mark.parametrize("source", TEMPLATES)
def test_folded_templates_render_what_the_calls_did(source):
    assert render(source, fold=True) == render(source, fold=False)


def test_constant_calls_are_gone_and_calls_with_values_stay():
    Counting.calls = 0
    render('{{ _("首页") }}{{ _("<b>") }}', fold=True)   # folded at parse time: once each, then constants
    parsed = Counting.calls
    env = jinja2.Environment(autoescape=True, extensions=[FoldMessages])
    env.globals["_"] = Counting("en", STRINGS)
    template = env.from_string('{{ _("首页") }}{{ _("搜索“{keyword}”", keyword=k) }}')
    Counting.calls = 0
    for _ in range(3):
        assert template.render(k="x") == "HomeSearch “x”"
    assert Counting.calls == 3 and parsed == 2   # only the call with a value, once a render


def test_the_strings_key_changes_with_the_language_and_the_strings():
    assert strings_key(Messages("en", STRINGS)) == strings_key(Messages("en", dict(STRINGS)))
    assert strings_key(Messages("en", STRINGS)) != strings_key(Messages("zh-TW", STRINGS))
    assert strings_key(Messages("en", STRINGS)) != strings_key(Messages("en", {**STRINGS, "首页": "Start"}))


@pytest.mark.parametrize("shared", ["memory", "files"])
def test_each_language_gets_its_own_compiled_templates(tmp_path, shared):
    """Compiled templates are kept per process and beside the build cache; two languages compiling
    the same template file must each get their strings (the English version once showed the
    Chinese labels: the cache's keys named only the template's source)."""
    from govsite.render.fold import KeyedByStrings
    from govsite.render.pages import CompiledTemplates

    (tmp_path / "t").mkdir()
    (tmp_path / "t/page.html").write_text('{{ _("首页") }}', encoding="utf-8")
    inner = CompiledTemplates() if shared == "memory" else jinja2.FileSystemBytecodeCache(str(tmp_path))
    out = []
    for language in ("zh-CN", "en", "zh-CN", "en"):
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path / "t")), autoescape=True,
                                 extensions=[FoldMessages], bytecode_cache=KeyedByStrings(inner))
        env.globals["_"] = Messages(language, STRINGS if language == "en" else {})
        out.append(env.get_template("page.html").render())
    assert out == ["首页", "Home", "首页", "Home"]
