"""留言答复 (S6). Placeholder: fields are read as plain front matter until this module is written."""
from __future__ import annotations

from .fields import Fields

NAME = "reply"
LABEL = "留言答复"
RULE = "IA-1"


def read(f: Fields, site) -> dict:
    return {}
