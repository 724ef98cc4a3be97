"""Watching the source folders: which file events matter, and when to rebuild.

Editors and tools do not simply "modify a file". Vim writes a probe file ``4913`` and a
``name~`` backup, keeps a ``.name.swp``; Emacs creates ``.#name`` lock links and ``#name#``
auto-saves; VS Code (``name.vsctmp``), JetBrains and many others save atomically (write a
temporary file, then *move* it over the original, so the only event for the real file is a
move); ``git checkout`` and ``git pull`` touch hundreds of files within milliseconds. So:

* :func:`is_noise` drops every path the build would ignore anyway (the loader's own rule, plus
  version-control folders and other tools' temporary names), looking at the *destination* of a move;
* :class:`Debouncer` waits until the folders have been quiet for a moment and hands the whole
  burst to one rebuild; changes that arrive during a rebuild start one more rebuild after it.
"""
from __future__ import annotations

import os
import re
import threading
import time
import traceback
from pathlib import Path
from typing import Callable, Iterable

from govsite.content.loader import is_ignored

QUIET_SECONDS = 0.15        # no event for this long: the burst is over
MAX_WAIT_SECONDS = 2.0      # a never-ending burst (a long git checkout) still rebuilds this often

_NOISE_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".govsite-cache", ".idea", ".vscode"}
_NOISE_RE = re.compile(
    r"""^(
        \d+                         # vim's write probe 4913 (and 5036, 5159 … when taken)
      | .*\.sw[a-p]                 # vim swap files .name.swp, .swo, .swn …
      | .*~                         # backups: name~, name.md~
      | \.\#.*                      # Emacs lock links .#name
      | \#.*\#                      # Emacs auto-save #name#
      | .*\.(tmp|temp|vsctmp|bak|orig|rej|part|crdownload|kate-swp|pyc)   # .vsctmp: VS Code atomic save
      | .*___jb_(tmp|old|bak)___    # JetBrains safe write
      | \.goutputstream-.*          # GNOME (gedit)
      | ~\$.* | \.~lock\..*\#       # Microsoft Office, LibreOffice locks
      | \.DS_Store | Thumbs\.db | desktop\.ini
    )$""",
    re.VERBOSE | re.IGNORECASE,
)


def is_noise(path: str | os.PathLike) -> bool:
    """True for files no build reads: editor temporaries, locks, backups, VCS metadata.

    Hidden names (``.name``) are noise too: the loader never reads them and themes do not copy
    them, so a change to one cannot change the site.
    """
    parts = Path(path).parts
    if any(part in _NOISE_DIRS for part in parts):
        return True
    name = parts[-1] if parts else ""
    return not name or is_ignored(name) or bool(_NOISE_RE.match(name))


def event_paths(event) -> list[str]:
    """The paths of a watchdog event that may change the site (a move counts at both ends).

    A folder's own "modified" event only says a file inside it changed, which has its own event.
    """
    if event.event_type in ("opened", "closed", "closed_no_write"):
        return []
    if event.is_directory and event.event_type == "modified":
        return []
    paths = [event.src_path]
    if event.event_type == "moved":
        paths.append(event.dest_path)
    return [os.fsdecode(p) for p in paths if p and not is_noise(os.fsdecode(p))]


class Debouncer:
    """Collects changed paths and calls ``rebuild(paths)`` once per burst, never two at a time."""

    def __init__(self, rebuild: Callable[[list[str]], None], quiet: float = QUIET_SECONDS,
                 max_wait: float = MAX_WAIT_SECONDS):
        self.rebuild = rebuild
        self.quiet = quiet
        self.max_wait = max_wait
        self._pending: set[str] = set()
        self._first = self._last = 0.0
        self._cond = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="govsite-debounce", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def add(self, paths: Iterable[str]) -> None:
        paths = list(paths)
        if not paths:
            return
        with self._cond:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending.update(paths)
            self._last = now
            self._cond.notify_all()

    def _take_burst(self) -> list[str] | None:
        with self._cond:
            while True:
                if self._stopped:
                    return None
                if not self._pending:
                    self._cond.wait()
                    continue
                now = time.monotonic()
                due = min(self._last + self.quiet, self._first + self.max_wait)
                if now >= due:
                    paths, self._pending = sorted(self._pending), set()
                    return paths
                self._cond.wait(due - now)

    def _run(self) -> None:
        while (paths := self._take_burst()) is not None:
            try:
                self.rebuild(paths)  # events arriving meanwhile wait in _pending for the next burst
            except Exception:  # a failed rebuild must not end watching; the next save tries again
                traceback.print_exc()


class Watcher:
    """watchdog observer over some folders, feeding a :class:`Debouncer`.

    ``poll``: stat the files every second instead of asking the kernel (network mounts, some
    containers and VMs, where inotify sees nothing).
    """

    def __init__(self, folders: Iterable[Path], on_paths: Callable[[list[str]], None], poll: bool = False):
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.api import BaseObserver
        from watchdog.observers.polling import PollingObserver

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event):
                paths = event_paths(event)
                if paths:
                    on_paths(paths)

        self.folders = outermost(Path(f).resolve() for f in folders if Path(f).is_dir())
        self._stopped = False
        self.observer: BaseObserver = PollingObserver(timeout=1.0) if poll else Observer()
        handler = Handler()
        for folder in self.folders:
            self.observer.schedule(handler, str(folder), recursive=True)

    def start(self) -> None:
        self.observer.start()

    def stop(self) -> None:
        """Stop watching; a second call (a replaced watcher whose timer already ran) does nothing."""
        if self._stopped:
            return
        self._stopped = True
        self.observer.stop()
        self.observer.join(timeout=5)


def outermost(folders: Iterable[Path]) -> list[Path]:
    """Drop folders inside another watched folder (one event, one report)."""
    result: list[Path] = []
    for folder in sorted(set(folders), key=lambda p: len(p.parts)):
        if not any(folder == f or f in folder.parents for f in result):
            result.append(folder)
    return sorted(result)
