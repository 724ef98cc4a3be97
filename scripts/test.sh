#!/usr/bin/env bash
# Install everything the test suite needs, check lint and types, then run the whole suite.
# Usage: bash scripts/test.sh [pytest arguments]
# (The fast run while editing, without browsers and slow tests: python3 -m pytest -m "not browser and not slow";
# see docs/testing.md.)
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests use Debian's Chromium (Playwright's own browser download does not work offline)
# and a CJK font, so that screenshots show Chinese text.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)   # tests the shipped nginx config
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# axe-core and HTML_CodeSniffer (two accessibility engines) from npm, pinned by package-lock.json
{ [ -f node_modules/axe-core/axe.min.js ] && [ -f node_modules/html_codesniffer/build/HTMLCS.js ]; } \
  || npm ci --no-audit --no-fund --silent

# Output libraries pinned by constraints.txt (byte-identical output depends on their versions);
# ruff, mypy and stubs pinned in pyproject.toml's test extra.
python3 -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'

# Lint and types first (settings in pyproject.toml): cheap, and they fail fast.
python3 -m ruff check govsite tests scripts benchmarks cli.py
python3 -m mypy
exec python3 -m pytest "$@"
