"""办事指南 (S4). Placeholder: fields are read as plain front matter until this module is written."""
from __future__ import annotations

from .fields import Fields

NAME = "service"
LABEL = "办事指南"
RULE = "SV-2"


def read(f: Fields, site) -> dict:
    return {}
