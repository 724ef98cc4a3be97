"""Plain-text helpers the content, render and output stages share."""
from __future__ import annotations

SUMMARY_LENGTH = 120


def summarize(text: str, length: int = SUMMARY_LENGTH) -> str:
    """A description cut from the body's plain text (MT-4 Description fallback)."""
    return text if len(text) <= length else text[:length].rstrip() + "…"
