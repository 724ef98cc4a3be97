"""Headless Chromium for tests: Debian's /usr/bin/chromium driven by Playwright.

Playwright's own browser download does not work on our machines, so the system Chromium is used
with the flags that keep it from reaching for the network at start-up.
"""
from __future__ import annotations

import os

CHROMIUM = os.environ.get("GOVSITE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps"]


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
