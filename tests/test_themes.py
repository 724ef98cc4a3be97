"""Theme inheritance (``extends:`` in theme.yaml): templates, static files, interface strings and
colours are looked up site → theme → parent theme → …; cycles and unknown parents are errors."""
from __future__ import annotations

from helpers import REPO

DEFAULT = REPO / "themes" / "default"


def _with_marker(template: str, marker: str) -> str:
    text = (DEFAULT / "templates" / template).read_text(encoding="utf-8")
    return text.replace("{% block main %}", "{% block main %}<p class=\"" + marker + "\"></p>", 1)


def _three_levels(project):
    """site t → theme child → theme mid → bundled default."""
    project.write("themes/mid/theme.yaml", 'extends: default\ncolors:\n  main: "#8a1c1c"\n')
    project.write("themes/mid/templates/help.html", _with_marker("help.html", "mid-help"))
    project.write("themes/mid/templates/sitemap.html", _with_marker("sitemap.html", "mid-sitemap"))
    project.write("themes/mid/static/css/mid.css", "/* mid */\n")
    project.write("themes/mid/static/img/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'><!--mid--></svg>")
    project.write("themes/mid/i18n/zh-CN.yaml", "跳到主要内容: 直达正文\n当前位置: 所在位置\n")
    project.write("themes/child/theme.yaml",
                  '# 子主题\nextends: mid\nfixed:\n  muted: "#444444"\npairs:\n  - [muted, soft, 子主题的说明文字]\n')
    project.write("themes/child/templates/sitemap.html", _with_marker("sitemap.html", "child-sitemap"))
    project.write("themes/child/i18n/zh-CN.yaml", "当前位置: 您的位置\n")
    project.configure("theme: child\n")
    # the site's own overrides: one template, one static file
    project.write("sites/t/templates/help.html", _with_marker("help.html", "site-help"))
    project.write("sites/t/static/img/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'><!--site--></svg>")


def test_extended_theme_lookup_order_and_site_overrides(project):
    _three_levels(project)
    result = project.build()
    assert result.exit_code == 0, result.output
    assert 'class="site-help"' in project.html("help.html")          # site over theme over parent
    assert 'class="mid-help"' not in project.html("help.html")
    sitemap = project.html("sitemap.html")
    assert 'class="child-sitemap"' in sitemap and 'class="mid-sitemap"' not in sitemap
    page = project.html("zwdt/gzdt/a.html")                           # from the bundled default
    assert "第一篇工作动态" in page and "<!DOCTYPE html>" in page
    assert "直达正文" in page and "您的位置" in page and "所在位置" not in page  # strings inherited, overridden
    assert project.html("static/img/logo.svg").endswith("<!--site--></svg>")  # site over mid over default
    assert project.html("static/css/mid.css") == "/* mid */\n"
    assert project.out("static/css/site.css").read_bytes() == (DEFAULT / "static/css/site.css").read_bytes()
    assert project.out("static/js/site.js").is_file()
    colors = project.html("static/css/colors.css")
    assert "--main: #8a1c1c;" in colors and "--muted: #444444;" in colors   # overridden one by one
    assert "--white: #ffffff;" in colors and "--main-dark: #681515;" in colors  # inherited, derived from the new main


def test_theme_dirs_everywhere(project):
    from govsite.config.site import load_site
    from govsite.config.theme import load_theme
    from govsite.core.errors import Report
    from govsite.rules.runner import theme_dirs

    _three_levels(project)
    config = load_site(project.root, "t", Report())
    assert config is not None
    report = Report()
    theme = load_theme(project.root, config, report)
    assert report.ok
    expected = [project.root / "sites/t", project.root / "themes/child", project.root / "themes/mid", DEFAULT]
    assert [p.resolve() for p in theme.dirs] == [p.resolve() for p in expected]
    assert [p.resolve() for p in theme_dirs(project.root, config)] == [p.resolve() for p in expected]
    from govsite.serve.builder import PreviewBuilder

    watched = PreviewBuilder(project.root, "t", out_root=project.root / "preview").watched_folders()
    assert {p.resolve() for p in expected} <= {p.resolve() for p in watched}
    assert ("muted", "soft", "子主题的说明文字") in theme.pairs and ("white", "main", "页头网站名称、当前频道、分页当前页") in theme.pairs


def test_inherited_pairs_are_checked_for_contrast(project):
    _three_levels(project)
    project.write("themes/child/theme.yaml", 'extends: mid\nfixed:\n  muted: "#dddddd"\n')
    result = project.build()
    assert result.exit_code != 0
    assert "[LY-5] 颜色对比度不足：日期、来源等辅助文字" in result.output  # a pair declared by default


def test_cached_rebuild_sees_a_parent_theme_template_change(project):
    _three_levels(project)
    assert project.build().exit_code == 0
    assert 'class="child-sitemap"' in project.html("sitemap.html")
    project.write("themes/mid/templates/base.html",
                  (DEFAULT / "templates/base.html").read_text(encoding="utf-8").replace("<body", "<body data-mid=\"1\"", 1))
    assert project.build().exit_code == 0
    assert 'data-mid="1"' in project.html("zwdt/gzdt/a.html") and 'data-mid="1"' in project.html("sitemap.html")


def test_theme_cycle_is_an_error_naming_the_line(project):
    project.write("themes/a/theme.yaml", "# a\nextends: b\n")
    project.write("themes/b/theme.yaml", "colors: {}\nextends: c\n")
    project.write("themes/c/theme.yaml", "extends: a\n")
    project.configure("theme: a\n")
    result = project.build()
    assert result.exit_code != 0
    assert "themes/c/theme.yaml:1: 错误: 主题继承形成循环：a → b → c → a" in result.output
    assert not project.out("index.html").exists()   # nothing half-written


def test_unknown_parent_theme_is_an_error_naming_the_line(project):
    project.write("themes/child/theme.yaml", "# 子主题\n\nextends: nosuch\n")
    project.configure("theme: child\n")
    result = project.build()
    assert result.exit_code != 0
    assert "themes/child/theme.yaml:3: 错误: 主题「child」继承的主题「nosuch」不存在" in result.output
    project.write("themes/child/theme.yaml", "extends: ../default\n")
    result = project.build()
    assert result.exit_code != 0 and "themes/child/theme.yaml:1: 错误: extends「../default」不是主题名" in result.output


def test_project_theme_may_extend_the_bundled_theme_of_the_same_name(project):
    project.write("themes/default/theme.yaml", 'extends: default\ncolors:\n  main: "#1a5e20"\n')
    project.write("themes/default/templates/help.html", _with_marker("help.html", "own-default"))
    project.configure("theme: default\n")
    result = project.build()
    assert result.exit_code == 0, result.output
    assert 'class="own-default"' in project.html("help.html")
    assert "第一篇工作动态" in project.html("zwdt/gzdt/a.html")          # bundled templates underneath
    assert "--main: #1a5e20;" in project.html("static/css/colors.css")
    assert "--white: #ffffff;" in project.html("static/css/colors.css")
    project.write("themes/default/theme.yaml", "extends: mine\n")       # default → mine → default → (bundled)
    project.write("themes/mine/theme.yaml", "extends: default\n")
    assert project.build().exit_code == 0
    project.write("themes/mine/theme.yaml", "extends: mine\n")          # a theme extending itself
    project.configure("theme: mine\n")
    result = project.build()
    assert result.exit_code != 0 and "themes/mine/theme.yaml:1: 错误: 主题继承形成循环：mine → mine" in result.output
