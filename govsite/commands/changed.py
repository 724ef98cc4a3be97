"""``govsite check --changed``: the files that differ from git HEAD (for a pre-commit hook).

Changed means modified, staged, added or untracked (not ignored) in the working tree compared
with HEAD; in a repository without commits, every file counts as changed.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path


class ChangedError(Exception):
    """Not a git work tree, or git is not installed."""


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ChangedError("git is not installed") from None
    if done.returncode != 0:
        raise ChangedError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


def changed_files(project: Path) -> set[str]:
    """Real paths of files changed relative to HEAD in the repository holding ``project``."""
    project = Path(project).resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], project).strip())
    try:
        _git(["rev-parse", "--verify", "-q", "HEAD"], top)
        names = _git(["diff", "--name-only", "--no-renames", "-z", "HEAD", "--"], top).split("\0")
    except ChangedError:  # no commit yet: everything is new
        names = _git(["ls-files", "-z"], top).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], top).split("\0")
    return {os.path.realpath(top / n) for n in names if n}
