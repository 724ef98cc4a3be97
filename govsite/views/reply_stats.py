"""留言答复统计. Placeholder until written: lists nothing."""
from __future__ import annotations

NAME = "reply_stats"
TITLE = "留言答复统计"
FILE = "stats.html"
TEMPLATE = "views/reply_stats.html"


def build(site, column) -> dict:
    return {}
