"""The whole-build shortcut: a build whose every input is as it was gives the previous output.

A build is a function of its input files (the site folder, the content trees it read — its own,
its language versions', the sites it includes —, the theme folders), govsite's code, the build
options and the build time. After a successful build, :func:`record` writes a stamp
(``.govsite-cache/<site>.stamp``) with a digest of all of these and of the output folder as
written. The next build first calls :func:`previous`: when nothing differs — not one file's
name, size, mtime or inode, and not the output either — the previous output *is* the result,
and nothing is loaded or rendered. Any difference falls through to the normal, per-file cached
build. Like the build cache, the stamp only saves time: deleting it changes nothing.

The build time is not part of the key: the stamp holds the span of build times that give the
same output and findings (:mod:`govsite.site.moments`, :mod:`govsite.core.clock`: until the next
moment at which an answer the build asked of the time changes — a scheduled page going live, an
expiry, the midnight a column goes stale or a deadline day ends —, within the day when the build
read the time itself), and a build whose time (``--now``, ``SOURCE_DATE_EPOCH`` or the clock's
minute) is in it takes the shortcut, however long after the previous build it runs.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

from govsite.cache.digest import code_fingerprint
from govsite.cache.store import CACHE_DIR

# A file whose mtime is this close to the build's start may have changed after the build read it
# without its mtime showing it: 2 s where the file system keeps whole seconds (FAT keeps even
# ones), a tenth of a second where mtimes have sub-second parts (ext4, xfs, btrfs, APFS: the
# kernel's clock tick, a few ms).
COARSE_SECONDS = 2.0
FINE_SECONDS = 0.1


@dataclass
class Previous:
    """What the previous build reported: its page count and its problems (warnings)."""

    pages: int
    problems: list
    outputs: int        # files the build renders through templates (all taken unchanged now)


@dataclass
class _Walk:
    """A digest of input folders made by :func:`previous` at a build's start, for :func:`record`
    to stamp that build with instead of walking the same ~5,000 files again. Sound because it
    was made before the build read any input: a file changed since has another size, mtime or
    inode than the stamp says (the next build then does not take the shortcut), and one changed
    within a tick of the walk leaves no stamp at all (``settled >= walked``)."""

    inputs: bytes
    settled: float   # when the newest file may have last changed (tree_digest)
    walked: float    # wall time when the walk began


_walks: dict[tuple, _Walk] = {}   # by folders: one per site a command checked (several build side by side)


def _path(project: Path, key: str) -> Path:
    return Path(project) / CACHE_DIR / f"{key}.stamp"


def _walk(folder: Path, h, newest: list) -> int:
    """``newest``: [newest mtime in ns, whether any mtime has a sub-second part]."""
    count = 0
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        h.update(b"\x00missing\x00")
        return 0
    for entry in entries:
        try:
            st = entry.stat(follow_symlinks=True)
        except OSError:
            continue
        if entry.is_dir(follow_symlinks=True):
            h.update(f"d{entry.name}/\x00".encode("utf-8", "surrogatepass"))
            count += _walk(Path(entry.path), h, newest)
        else:
            h.update(f"f{entry.name}\x00{st.st_size}\x00{st.st_mtime_ns}\x00{st.st_ino}\x00".encode("utf-8", "surrogatepass"))
            newest[0] = max(newest[0], st.st_mtime_ns)
            newest[1] = newest[1] or st.st_mtime_ns % 1_000_000_000 != 0
            count += 1
    h.update(b"\x01")
    return count


def tree_digest(folders) -> tuple[bytes, int, float]:
    """(digest, file count, when the newest file may have last changed, in seconds) of every
    file under ``folders`` (name, size, mtime, inode, in sorted order)."""
    h = hashlib.blake2b(digest_size=16)
    newest = [0, False]
    count = 0
    for folder in folders:
        h.update(str(folder).encode("utf-8", "surrogatepass") + b"\x00")
        count += _walk(Path(folder), h, newest)
    return h.digest(), count, newest[0] / 1e9 + (FINE_SECONDS if newest[1] else COARSE_SECONDS)


def _key(options: dict, target: Path) -> bytes:
    return hashlib.blake2b(pickle.dumps((code_fingerprint(), sorted(options.items()), str(Path(target).resolve()))),
                           digest_size=16).digest()


def previous(project: Path, key: str, target: Path, now, options: dict) -> Previous | None:
    """The previous build's outcome when no input, option or output file changed since, and the
    build time ``now`` is in the span of build times that give that outcome (the window the build
    recorded: :mod:`govsite.site.moments`)."""
    try:
        stamp = pickle.loads(_path(project, key).read_bytes())
        start, end = stamp["window"]
        if stamp["key"] != _key(options, target) or not start <= now < end:
            return None
        walked = time.time()
        inputs, _, settled = tree_digest(stamp["folders"])
        _walks[tuple(stamp["folders"])] = _Walk(inputs, settled, walked)
        if inputs != stamp["inputs"]:
            return None
        output, _, _ = tree_digest([target])
        if output != stamp["output"]:
            return None
        return Previous(stamp["pages"], stamp["problems"], stamp["outputs"])
    except Exception:  # noqa: BLE001 - no stamp, an old or damaged one: build as usual
        return None


def forget(project: Path, key: str) -> None:
    try:
        _path(project, key).unlink(missing_ok=True)
    except OSError:
        pass


def record(project: Path, key: str, target: Path, window: tuple, options: dict, folders, started_wall: float,
           pages: int, outputs: int, problems: list) -> None:
    """Stamp a successful build. ``window``: ``(start, end)``, the build times that give the same
    output and findings. ``started_wall``: when the build began reading its inputs; a file
    changed after that (less the mtime resolution) may not be in the output, so no stamp. The
    inputs' digest is the one :func:`previous` made at the build's start when it walked the same
    folders (:class:`_Walk`)."""
    folders = sorted({str(Path(f).resolve()) for f in folders})
    walk = _walks.pop(tuple(folders), None)
    if walk is not None and walk.walked <= started_wall:
        inputs, settled, started_wall = walk.inputs, walk.settled, walk.walked
    else:
        inputs, _, settled = tree_digest(folders)
    if settled >= started_wall:
        forget(project, key)
        return
    output, _, _ = tree_digest([target])
    stamp = {"key": _key(options, target), "window": window, "folders": folders, "inputs": inputs, "output": output,
             "pages": pages, "outputs": outputs, "problems": problems}
    path = _path(project, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".stamp.{os.getpid()}")
        tmp.write_bytes(pickle.dumps(stamp, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except OSError:
        forget(project, key)
