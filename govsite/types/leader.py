"""负责人信息 (S5). Placeholder: fields are read as plain front matter until this module is written."""
from __future__ import annotations

from .fields import Fields

NAME = "leader"
LABEL = "负责人信息"
RULE = "CO-6"


def read(f: Fields, site) -> dict:
    return {}
