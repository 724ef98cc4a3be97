"""Stage 3 — rules (规则): the rule set applied to a site, as one stage of the pipeline.

Every rule is registered in :mod:`govsite.config.rules` (id, severity, phase, settings, one line
of documentation; ``docs/rules.md`` lists them). The pipeline runs them at two points:

* after resolve, on each content tree (the site and each language version):
  :func:`source_rules` — the rules every build applies whatever the site's ``check:`` settings
  say (column structure, one source per address, colour contrast). ``govsite build``, ``check``,
  ``serve`` and ``report`` all load a site through it, so they all see the same errors;
* in ``govsite build`` only, the rules of ``govsite check`` at error level (:class:`BuildGate`):
  ``check_sources(report)`` after :func:`source_rules`, ``check_output(root, report)`` after
  render, on the temporary output folder before it replaces the previous build.

Two kinds of rule run elsewhere, because the code that finds them is the code that reads or
writes what they judge: a content type's field rules (SV-2, GK-5 …, :mod:`govsite.site.types`)
are reported as the fields are read, and the renderer reports what it removes or cannot resolve
while it writes a page (LK-1, LK-2.hidden, AX-1, :mod:`govsite.render`). The registry names them
all the same.
"""
from __future__ import annotations

from govsite.content.model import Site
from govsite.core.errors import Report
from govsite.rules.contrast import check_contrast
from govsite.rules.runner import BuildGate
from govsite.rules.structure import check_site

__all__ = ["BuildGate", "source_rules"]


def source_rules(site: Site, pages: list, report: Report) -> None:
    """The rules every build applies to one resolved content tree.

    ``pages``: every page loaded for the tree, drafts and hidden ones included (a column with only
    scheduled pages is a warning, a column with no page at all an error: CO-3)."""
    check_site(site, pages, report)                     # CO-1, CO-2, CO-3, ID-3, a page's image
    if site.theme is not None:                          # a tree loaded without its theme (资源库)
        check_contrast(site.theme, site.config, report)  # LY-5
