"""意见征集 (S8). Placeholder: fields are read as plain front matter until this module is written."""
from __future__ import annotations

from .fields import Fields

NAME = "consultation"
LABEL = "意见征集"
RULE = "IA-2"


def read(f: Fields, site) -> dict:
    return {}
