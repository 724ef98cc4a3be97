"""分页 (the pager under a column list): which page links it shows, worked out here so the template
only presents them.

Office practice is 首页 / 上一页 / the page numbers / 下一页 / 尾页 / 共 N 页 and a box to jump to
a page. A column of 200 list pages cannot show 200 numbers, so the numbers shown are the first
and the last page and ``AROUND`` pages each side of the current one; a gap between them is shown
as 「…」, except a gap of one page, which shows that page (an ellipsis standing for a single
number saves nothing and hides where it leads).

The jump box needs a script: the site is static, so no server turns 「第 37 页」 into
``index_37.html``. Without one it degrades to links (:attr:`Pager.jumps`): every page when there
are few (up to ``ALL_JUMPS``), else the pages at a round step (every 5th, 10th, 50th …) so that
there are at most ``ALL_JUMPS`` of them, the last page always among them: a visitor gets near
any page in one step and to it in a few, and a list page of a 20,000-page site carries a few dozen
links, not hundreds.
"""
from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

AROUND = 2          # page numbers shown each side of the current one
ALL_JUMPS = 30      # up to this many pages the jump links name every page
STEPS = (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000)


@dataclass(frozen=True)
class PageLink:
    """One list page: its number (1-based) and its output path."""

    number: int
    path: str


@dataclass(frozen=True)
class Pager:
    """The pager of list page ``number`` of ``count``."""

    number: int                               # the current page
    count: int                                # 共 N 页
    total: int                                # items in the whole list (共 M 条)
    first: PageLink                           # 首页
    last: PageLink                            # 尾页
    prev: PageLink | None                     # 上一页 (None on the first page)
    next: PageLink | None                     # 下一页 (None on the last page)
    window: tuple[PageLink | None, ...]       # the numbers shown; None is a gap (…)
    jumps: tuple[PageLink, ...]               # the jump box's links without a script; () = no jump box
    pattern: str                              # output path of page n ≥ 2, with "{n}" for the number

    @property
    def gaps(self) -> bool:
        """Are some pages not among the numbers shown (so a jump box helps)?"""
        return None in self.window


def window_numbers(number: int, count: int, around: int = AROUND) -> list[int | None]:
    """The page numbers shown for page ``number`` of ``count``, ``None`` for a gap:
    ``window_numbers(6, 20)`` is ``[1, None, 4, 5, 6, 7, 8, None, 20]``."""
    shown = sorted({1, count} | set(range(max(1, number - around), min(count, number + around) + 1)))
    out: list[int | None] = []
    for n in shown:
        if out:
            before = out[-1]
            assert before is not None
            if n - before == 2:
                out.append(before + 1)      # a gap of one page: show the page
            elif n - before > 2:
                out.append(None)
        out.append(n)
    return out


def jump_numbers(count: int) -> list[int]:
    """The pages the jump box links to without a script (see the module docstring)."""
    if count <= ALL_JUMPS:
        return list(range(1, count + 1))
    step = next((s for s in STEPS if count / s <= ALL_JUMPS - 1), STEPS[-1])
    numbers = [1] + list(range(step, count, step))
    return numbers + [count] if numbers[-1] != count else numbers


def path_pattern(path_of: Callable[[int], str]) -> str:
    """The output path of page n (n ≥ 2) with ``{n}`` for the number, as the jump box's script
    needs it: what the paths of pages 12 and 34 share, around the number (the two numbers share
    no first and no last digit, so the shared parts end where the number begins)."""
    a, b = path_of(12), path_of(34)
    head = len(posixpath.commonprefix([a, b]))
    tail = len(posixpath.commonprefix([a[::-1], b[::-1]]))
    return a[:head] + "{n}" + a[len(a) - tail:]


def make_pager(number: int, count: int, total: int, path_of: Callable[[int], str]) -> Pager:
    """The pager of page ``number`` of ``count``; ``path_of(n)`` is the output path of page n."""
    def link(n: int) -> PageLink:
        return PageLink(n, path_of(n))

    window = tuple(None if n is None else link(n) for n in window_numbers(number, count))
    jumps = tuple(link(n) for n in jump_numbers(count)) if None in window else ()
    return Pager(number=number, count=count, total=total, first=link(1), last=link(count),
                 prev=link(number - 1) if number > 1 else None,
                 next=link(number + 1) if number < count else None,
                 window=window, jumps=jumps, pattern=path_pattern(path_of))
