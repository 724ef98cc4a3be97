"""政策文件库. Placeholder until written: lists nothing."""
from __future__ import annotations

NAME = "policy_library"
TITLE = "政策文件库"
FILE = "library.html"
TEMPLATE = "views/policy_library.html"


def build(site, column) -> dict:
    return {}
