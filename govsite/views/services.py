"""办事服务目录. Placeholder until written: lists nothing."""
from __future__ import annotations

NAME = "services"
TITLE = "办事服务目录"
FILE = "services.html"
TEMPLATE = "views/services.html"


def build(site, column) -> dict:
    return {}
