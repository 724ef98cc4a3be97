"""数据开放目录. Placeholder until written: lists nothing."""
from __future__ import annotations

NAME = "data_catalogue"
TITLE = "数据开放目录"
FILE = "datasets.html"
TEMPLATE = "views/data_catalogue.html"


def build(site, column) -> dict:
    return {}
