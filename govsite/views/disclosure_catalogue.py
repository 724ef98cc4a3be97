"""政府信息公开目录. Placeholder until written: lists nothing."""
from __future__ import annotations

NAME = "disclosure_catalogue"
TITLE = "政府信息公开目录"
FILE = "catalogue.html"
TEMPLATE = "views/disclosure_catalogue.html"


def build(site, column) -> dict:
    return {}
