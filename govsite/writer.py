"""Stage 5 — write: output goes to a fresh folder beside the target and is swapped in at the end.

A build that fails, or is interrupted, leaves the previous good output untouched: everything is
written to ``.<name>.tmp-<pid>`` in the same parent folder (so the final move is a rename on one
file system), and only a complete, error-free build replaces ``<name>``.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


class OutputDir:
    def __init__(self, target: Path):
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.target.parent / f".{self.target.name}.tmp-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir()
        self._root = str(self.tmp.resolve()) + os.sep
        self._made: set[str] = set()

    def path(self, rel: str) -> Path:
        """The temporary location of output path ``rel``; refuses anything outside the folder."""
        full = os.path.normpath(os.path.join(self._root, rel))
        if not full.startswith(self._root):
            raise UnsafePath(rel)
        parent = os.path.dirname(full)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return Path(full)

    def write(self, rel: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(self.path(rel), "wb") as fh:
            fh.write(data)

    def copy(self, source: Path, rel: str) -> None:
        shutil.copyfile(source, self.path(rel))

    def commit(self) -> None:
        """Swap the finished output in place of the previous one."""
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
        if self.target.exists():
            os.replace(self.target, old)
        os.replace(self.tmp, self.target)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)
