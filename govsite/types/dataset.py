"""开放数据集 (S7). Placeholder: fields are read as plain front matter until this module is written."""
from __future__ import annotations

from .fields import Fields

NAME = "dataset"
LABEL = "开放数据集"
RULE = "DA-2"


def read(f: Fields, site) -> dict:
    return {}
