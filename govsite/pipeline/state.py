"""What a long-lived process (``govsite serve``) keeps of its last finished build, so that the next
edit can be patched in (:mod:`govsite.pipeline.quick`) and the next build can reuse its search index.

A one-off ``govsite build`` keeps nothing: it passes no :class:`LastBuild`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from govsite.cache.store import NULL_CACHE, Cache
from govsite.content.model import Site
from govsite.core.errors import Problem
from govsite.core.writer import OutputDir
from govsite.render.pages import SiteRenderer
from govsite.search.build import SearchState


@dataclass
class LastBuild:
    """The last finished build of a site, as the build left it (filled by ``build_site(last=…)``).

    ``previous``: the search state of the build before, handed to this one so that an unchanged
    set of postings reuses the index already joined in memory."""

    target: Path | None = None
    warnings: list[Problem] = field(default_factory=list)
    cache: Cache = NULL_CACHE                 # the build cache the build used (govsite.cache)
    site: Site | None = None
    renderer: SiteRenderer | None = None
    avgdl: float = 0.0                        # mean page length of the search index (BM25)
    search: SearchState = field(default_factory=SearchState)
    previous: SearchState | None = None
    suggest: tuple | None = None              # the suggest index, made on first use (quick.prepare)
    by_file: dict | None = None               # source file → (document number, page), made on first use
    spare: OutputDir | None = None            # the output linked ahead for the next patch (quick.prepare)

    @property
    def ready(self) -> bool:
        """A finished build is described: an edit can be patched into it."""
        return self.site is not None and self.renderer is not None

    def clear(self) -> None:
        """Forget the build (a patch that went wrong leaves nothing to patch into)."""
        self.__dict__.update(LastBuild().__dict__)
