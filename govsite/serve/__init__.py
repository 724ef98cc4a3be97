"""``govsite serve``: a live preview for editors — watch, rebuild, reload, errors in the browser.

Three parts, each in its own module:

* :mod:`.watch` — which file events matter (not editors' temporary files) and debouncing bursts;
* :mod:`.builder` — rebuilding through the normal pipeline into ``build/.serve/<site>``;
* :mod:`.http` — the local web server: files of the last good build, live reload over
  Server-Sent Events, the error overlay.

:func:`run` wires them together; the CLI only parses options. See docs/serve.md.
"""
from __future__ import annotations

import ipaddress
import os
import signal
import threading
import webbrowser
from pathlib import Path
from typing import Callable

from govsite.serve.builder import PreviewBuilder
from govsite.serve.http import PreviewServer
from govsite.serve.watch import Debouncer, Watcher, outermost


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Preview:
    """A running preview of one site: server, watcher and builder. ``start`` then ``stop``."""

    #: how long a replaced watcher keeps running beside its successor: events it has read but
    #: not yet handed on (its threads may wait for a busy CPU) still reach the debouncer
    HANDOVER_SECONDS = 2.0

    def __init__(self, project: Path, key: str, host: str = "127.0.0.1", port: int = 0, poll: bool = False,
                 now: str | None = None, jobs: int | None = None, out_root: Path | None = None,
                 check: bool = True, log: Callable[[str], None] = print):
        self.log = log
        self.poll = poll
        self.builder = PreviewBuilder(project, key, now=now, jobs=jobs, out_root=out_root, check=check, log=log)
        self.server = PreviewServer((host, port), self.builder)  # bind first: a taken port fails at once
        self.debouncer = Debouncer(self._rebuild)
        self.watcher = Watcher(self.builder.watched_folders(), self.debouncer.add, poll=poll)
        self._retiring: list[tuple[threading.Timer, Watcher]] = []   # replaced watchers and the timers that stop them
        self._thread = threading.Thread(target=self.server.serve_forever, name="govsite-http", daemon=True)

    @property
    def url(self) -> str:
        return self.server.url

    def _rebuild(self, paths: list[str]) -> None:
        self.builder.build(paths)
        self._follow_folders()
        self.builder.prepare()

    def _follow_folders(self) -> None:
        """Watch what site.yaml names now (another content folder or theme). A folder watched only
        from now on may have changed since the build read it: one more build catches that."""
        folders = self.builder.watched_folders()
        if outermost(p.resolve() for p in folders) != self.watcher.folders:
            old = self.watcher  # stopped only a while after the new one watches: no event falls in between
            self.watcher = Watcher(folders, self.debouncer.add, poll=self.poll)
            self.watcher.start()
            retire = threading.Timer(self.HANDOVER_SECONDS, old.stop)
            retire.daemon = True
            retire.start()
            # (a preview runs for hours: the watchers already stopped are not kept)
            self._retiring = [(t, w) for t, w in self._retiring if t.is_alive()] + [(retire, old)]
            added = [f for f in self.watcher.folders if not any(f == o or o in f.parents for o in old.folders)]
            if added:
                self.debouncer.add([str(f) for f in added])

    def start(self) -> None:
        """Listen and watch at once (a previous preview's output is served meanwhile), then build."""
        self._thread.start()
        try:
            self.watcher.start()
        except OSError as exc:  # inotify limits (fs.inotify.max_user_watches) or no inotify at all
            self.log(f"warning: cannot watch with inotify ({exc.strerror or exc}); polling every second instead")
            self.poll = True
            self.watcher = Watcher(self.watcher.folders, self.debouncer.add, poll=True)
            self.watcher.start()
        self.debouncer.start()
        shown = ", ".join(_shown(f) for f in self.watcher.folders)
        self.log(f"watching {shown}" + (" (polling every second)" if self.poll else ""))

    def first_build(self):
        state = self.builder.build()
        self.builder.prepare()
        return state

    def stop(self) -> None:
        self.server.stopping = True
        self.debouncer.stop()
        for retire, old in self._retiring:
            retire.cancel()
            old.stop()
        self.watcher.stop()
        self.builder.close()  # event streams waiting for a build end
        self.server.shutdown()
        self.server.server_close()


def _shown(folder: Path) -> str:
    try:
        return os.path.relpath(folder)
    except ValueError:
        return str(folder)


def run(project: Path, key: str, host: str = "127.0.0.1", port: int = 0, poll: bool = False,
        now: str | None = None, jobs: int | None = None, check: bool = True, open_browser: bool = True,
        log: Callable[[str], None] = print, warn: Callable[[str], None] = print) -> None:
    """Serve until Ctrl+C (or SIGTERM)."""
    preview = Preview(project, key, host, port, poll, now, jobs, check=check, log=log)
    if not is_loopback(host):
        warn(f"warning: listening on {host}: anyone who can reach this machine can read the preview, "
             "drafts and unpublished pages included")
    stop = threading.Event()
    main_pid = os.getpid()

    def on_sigterm(signum, frame):
        if os.getpid() != main_pid:
            # a render worker forked by build_site inherits this handler: it must end on SIGTERM
            # as usual, or the pool waits for it forever when it is terminated after a build
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        stop.set()

    signal.signal(signal.SIGTERM, on_sigterm)
    preview.start()
    log(f"Serving {key} at {preview.url} (drafts and scheduled pages shown as 「预览」; Ctrl+C to stop)")
    try:
        preview.first_build()
        if open_browser:
            webbrowser.open(preview.url)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
        log("stopped")
