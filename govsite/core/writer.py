"""Stage 5 — write: output goes to a fresh folder beside the target and is swapped in at the end.

A build that fails, or is interrupted, leaves the previous good output untouched: everything is
written to ``.<name>.tmp-<pid>`` in the same parent folder (so the final move is a rename on one
file system), and only a complete, error-free build replaces ``<name>``. On Linux the swap is
one atomic ``renameat2(RENAME_EXCHANGE)``, so there is no moment without ``<name>``; elsewhere
two renames are used and a build killed between them is repaired by the next one. Folders left
by killed builds are removed by the next build.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import filecmp
import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

WHOLE_READ = 16 << 20   # files up to this size are read in one piece to digest them (file_digest)
COMPRESSIBLE = {".html", ".css", ".js", ".xml", ".txt", ".svg", ".json", ".csv"}
_REMOVE_TREE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False when the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(target: Path) -> None:
    """Undo what a killed build left: restore ``<name>`` from its ``.old`` copy, drop temporaries."""
    parent = target.parent
    if not parent.is_dir():
        return
    for leftover in sorted(parent.glob(f".{target.name}.*-*")):
        kind, _, pid = leftover.name.rpartition("-")
        if not pid.isdigit() or _alive(int(pid)) and int(pid) != os.getpid():
            continue
        if kind.endswith(".old") and not target.exists():
            os.replace(leftover, target)
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _link(source: str, dest) -> None:
    try:
        os.link(source, dest)
    except FileExistsError:
        os.unlink(dest)
        os.link(source, dest)


def _write_new(dest, data: bytes) -> None:
    """Write a file that does not share its inode with the previous output."""
    try:
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:   # written before in this build (possibly a link): replace, never truncate
        os.unlink(dest)
        fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def data_digest(data: bytes) -> bytes:
    """:func:`file_digest` of a file holding ``data``."""
    return hashlib.sha256(data).digest()[:16]


def file_digest(path) -> bytes:
    """A digest of a file's bytes: what a file is, whatever its inode and mtime. SHA-256 (its
    first 16 bytes): CPUs hash it in hardware, four times as fast as BLAKE2b here, and a CI build
    with a restored cache digests the whole output once (140 MB at 5,000 pages: 0.08 s, not 0.3 s)."""
    with open(path, "rb", buffering=0) as fh:
        if os.fstat(fh.fileno()).st_size > WHOLE_READ:   # (an attachment: a video, a large PDF)
            return hashlib.file_digest(fh, "sha256").digest()[:16]
        # read whole: file_digest zeroes a 256 KB buffer for every file, a quarter of the time
        # of digesting a page (12 KB) — and a restored CI cache has 16,500 of them
        return hashlib.sha256(fh.read()).digest()[:16]


def _copy_range(source: str | None, fh, offset: int, count: int) -> None:
    """Append ``count`` bytes of the file ``source`` from ``offset`` to the unbuffered ``fh``."""
    if not count:
        return
    assert source is not None, "bytes to copy are always the previous output's"
    with open(source, "rb") as src:
        while count:
            try:
                done = os.copy_file_range(src.fileno(), fh.fileno(), count, offset)
            except (AttributeError, OSError):   # not on this system, or not across these file systems
                block = os.pread(src.fileno(), min(count, 1 << 20), offset)
                done = fh.write(block) if block else 0
            if not done:
                raise OSError(errno.EIO, "previous output file shorter than recorded", source)
            offset += done
            count -= done


def keep_recorded(out, files) -> bool:
    """Take the previous output's ``files`` (``(rel, identity)`` as a build cache entry recorded
    them) as they are, if each is still the file recorded; False (and nothing to rely on) if not."""
    return all(out.previous_is(rel, seen) for rel, seen in files) and all(out.keep(rel) for rel, _ in files)


@dataclass
class PartsRecord:
    """A file written in keyed parts (:meth:`OutputDir.write_parts`), as the build cache keeps it:
    the file's identity and each part's key and length."""

    identity: tuple
    parts: list[tuple[bytes | None, int]]


class UnsafePath(ValueError):
    """An output path that would leave the output folder."""


def identity_of(path) -> tuple:
    """``(size, digest of the bytes)``: a file as the build cache knows it (:meth:`OutputDir.identity`)."""
    return os.stat(path).st_size, file_digest(str(path))


@dataclass(frozen=True, slots=True)
class FileSeen:
    """An output file as a build last saw it: what ``os.stat`` said of it and the digest of its
    bytes. While the stat is the same the digest is taken as it is, so a build does not read the
    files it keeps; a file whose stat differs (a CI cache restored by copying: new inodes and
    mtimes, same bytes) is read and digested once, and known again by its content."""

    size: int
    mtime_ns: int
    inode: int
    digest: bytes

    def matches(self, st: os.stat_result) -> bool:
        return self.size == st.st_size and self.mtime_ns == st.st_mtime_ns and self.inode == st.st_ino


class SeenFiles(Protocol):
    """Where an :class:`OutputDir` looks up and records :class:`FileSeen` by output path (the
    build cache's ``seen`` table; the null cache's keeps nothing)."""

    def get(self, key) -> FileSeen | None: ...

    def put(self, key, value) -> None: ...


def known_digest(seen: SeenFiles, key, path, st: os.stat_result) -> bytes:
    """The digest of the file at ``path``, whose stat is ``st``: as ``seen`` knows it under ``key``
    while the stat is the one recorded, else read (and recorded for next time)."""
    known = seen.get(key)
    if known is not None and known.matches(st):
        return known.digest
    digest = file_digest(path)
    seen.put(key, FileSeen(st.st_size, st.st_mtime_ns, st.st_ino, digest))
    return digest


class _NothingSeen:
    def get(self, key) -> FileSeen | None:
        return None

    def put(self, key, value) -> None:
        pass


class OutputDir:
    """The temporary folder a build writes into, and the previous output it may take files from.

    A file whose bytes equal the previous build's is hard-linked from the previous output instead
    of written, so unchanged files keep their inode and mtime (rsync and ``If-Modified-Since``
    see no change) while the new folder is still complete on its own and swapped in atomically.
    Files in the temporary folder may be links shared with the live output: they are never
    opened for writing in place — a second write to a path replaces the link.
    """

    def __init__(self, target: Path, reuse: bool = True, seen: SeenFiles | None = None):
        self.target = Path(target)
        self.seen: SeenFiles = seen if seen is not None else _NothingSeen()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        recover(self.target)
        self.tmp = self.target.parent / f".{self.target.name}.tmp-{os.getpid()}"
        if self.tmp.exists():
            shutil.rmtree(self.tmp)
        self.tmp.mkdir()
        self._root = str(self.tmp.resolve()) + os.sep
        self._made: set[str] = set()
        self.previous = str(self.target.resolve()) + os.sep if reuse and self.target.is_dir() else None
        self._track = not isinstance(self.seen, _NothingSeen)
        self._wrote: dict[str, bytes] = {}   # digests of files this process wrote, until identity() asks
        self._removing: subprocess.Popen | None = None   # deleting the previous output (commit)
        self.written = 0    # files this process wrote (per process: workers count their own)
        self.kept = 0       # files linked unchanged from the previous output

    def path(self, rel: str) -> Path:
        """The temporary location of output path ``rel``; refuses anything outside the folder."""
        return Path(self._dest(rel))

    def _dest(self, rel: str, changing: bool = True) -> str:
        """:meth:`path` as a string: asked for every output file, where a ``Path`` costs more
        than the link it names. ``changing``: the caller may put other bytes there, so a digest
        kept of what :meth:`write` wrote there is forgotten."""
        if changing and self._wrote:
            self._wrote.pop(rel, None)
        full = os.path.normpath(os.path.join(self._root, rel))
        if not full.startswith(self._root):
            raise UnsafePath(rel)
        parent = os.path.dirname(full)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return full

    def previous_stat(self, rel: str):
        """``os.stat`` of ``rel`` in the previous output, or None."""
        if self.previous is None:
            return None
        try:
            return os.stat(self.previous + rel)
        except (OSError, ValueError):
            return None

    def identity(self, rel: str) -> tuple:
        """``(size, digest)`` of ``rel`` as written: what the build cache records of an output
        file, to know it again in the next build's previous output (:meth:`previous_is`)."""
        dest = self._dest(rel, changing=False)
        st = os.stat(dest)
        return st.st_size, self._digest(rel, dest, st)

    def previous_is(self, rel: str, identity) -> bool:
        """The previous output's ``rel`` still has the bytes recorded as ``identity`` (not replaced
        since, by a quick patch (:mod:`govsite.quick`) or by hand). Known by its stat when that is
        as last seen, else by reading it: an output folder restored from a CI cache is as good
        as the one the build left."""
        st = self.previous_stat(rel)
        if st is None or self.previous is None or len(identity) != 2 or st.st_size != identity[0]:
            return False
        return self._digest(rel, self.previous + rel, st) == identity[1]

    def _digest(self, rel: str, path: str, st: os.stat_result) -> bytes:
        """The digest of the file ``rel`` at ``path``, whose stat is ``st``: as seen before, as
        written just now by this process, or read."""
        wrote = self._wrote.pop(rel, None) if self.previous is None or path != self.previous + rel else None
        if wrote is not None:
            self.seen.put(rel, FileSeen(st.st_size, st.st_mtime_ns, st.st_ino, wrote))
            return wrote
        return known_digest(self.seen, rel, path, st)

    def keep_rest(self, written: set[str]) -> None:
        """Take every file of the previous output not in ``written`` (hard links, as :meth:`keep`).
        One walk with plain strings: a quick patch keeps thousands of files this way."""
        previous, tmp = self.previous, str(self.tmp)
        if previous is None:
            raise FileNotFoundError(self.target)
        for folder, _dirs, files in os.walk(previous):
            rel_folder = os.path.relpath(folder, previous).replace(os.sep, "/")
            prefix = "" if rel_folder == "." else rel_folder + "/"
            into = os.path.join(tmp, prefix)
            os.makedirs(into, exist_ok=True)
            for name in files:
                if prefix + name not in written:
                    os.link(os.path.join(folder, name), into + name)
                    self.kept += 1

    def keep(self, rel: str) -> bool:
        """Take ``rel`` unchanged from the previous output (a hard link); False if impossible."""
        if self.previous is None:
            return False
        dest = self._dest(rel)
        try:
            _link(self.previous + rel, dest)
        except OSError:
            return False
        self.kept += 1
        return True

    def write(self, rel: str, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        dest = self._dest(rel)
        if self.previous is not None:
            old = self.previous + rel
            try:
                if os.stat(old).st_size == len(data):
                    with open(old, "rb") as fh:
                        same = fh.read() == data
                    if same:
                        _link(old, dest)
                        self.kept += 1
                        return
            except OSError:
                pass
        _write_new(dest, data)
        self.written += 1
        if self._track:   # its digest from the bytes at hand: identity() need not read the file back
            self._wrote[rel] = data_digest(data)

    def _written_or_kept(self, rel: str, dest: str, size: int) -> None:
        """Count a file just written at ``dest``; if the previous output's file has the same bytes,
        take that one instead (compared by digest, and only when the sizes are equal)."""
        if self.previous is not None:
            old = self.previous + rel
            try:
                if os.stat(old).st_size == size and file_digest(old) == file_digest(dest):
                    _link(old, dest)
                    self.kept += 1
                    return
            except OSError:
                pass
        self.written += 1

    def write_parts(self, rel: str, parts, recorded: PartsRecord | None = None) -> PartsRecord:
        """:meth:`write` for a file too big to hold in memory twice (the syndication export,
        ~130 MB a file at 20,000 pages), made of keyed parts: ``(key, make)``, ``make()`` giving
        the part's bytes — the same bytes whenever the key is the same (None: no key). The parts
        are written as they are made; the previous output's file is kept instead when it has the
        same bytes (compared by digest, and only when the sizes are equal). Returns what the next
        build needs to do less: the file's identity and each part's key and length. Given that
        record from the previous build (``recorded``), while the previous output's file is still
        the one recorded, the longest runs of leading and trailing parts that are as they were
        are copied from it (in the kernel, ``os.copy_file_range``) and only the parts between
        them are made: an edited page changes one item of the export."""
        old, before = None, []
        if recorded is not None and self.previous is not None and self.previous_is(rel, recorded.identity):
            old, before = self.previous + rel, recorded.parts
        keys = [key for key, _ in parts]
        n, m = len(keys), len(before)
        head = 0
        while head < min(n, m) and keys[head] is not None and keys[head] == before[head][0]:
            head += 1
        tail = 0
        while tail < min(n, m) - head and keys[n - 1 - tail] is not None and keys[n - 1 - tail] == before[m - 1 - tail][0]:
            tail += 1
        if recorded is not None and old is not None and head == n == m and self.keep(rel):   # every part as it was
            return recorded
        dest = self._dest(rel)
        if os.path.lexists(dest):
            os.unlink(dest)
        lengths = [length for _, length in before[:head]]
        with open(dest, "xb", buffering=0) as fh:   # unbuffered: copied ranges and writes interleave
            _copy_range(old, fh, 0, sum(lengths))
            for _, make in parts[head:n - tail]:
                data = memoryview(make())
                lengths.append(len(data))
                while data:
                    data = data[fh.write(data):]
            kept = [length for _, length in before[m - tail:]]
            _copy_range(old, fh, sum(length for _, length in before[:m - tail]), sum(kept))
            lengths += kept
        self._written_or_kept(rel, dest, sum(lengths))   # (parts with new keys may make the same bytes)
        return PartsRecord(self.identity(rel), list(zip(keys, lengths, strict=False)))

    def copy(self, source: Path, rel: str) -> None:
        dest = self._dest(rel)
        if self.previous is not None:
            old = self.previous + rel
            try:
                if os.stat(old).st_size == os.stat(source).st_size and filecmp.cmp(old, source, shallow=False):
                    _link(old, dest)
                    self.kept += 1
                    return
            except OSError:
                pass
        if os.path.lexists(dest):
            os.unlink(dest)
        shutil.copyfile(source, dest)
        self.written += 1

    def commit(self, recycle: bool = False, background: bool = False) -> bool:
        """Swap the finished output in place of the previous one. With ``recycle``, the previous
        output is left where the temporary folder was (returns True) for :meth:`make_spare`.
        With ``background``, the previous output is deleted by another process while the caller
        goes on (a build saves its cache and stamps its output meanwhile); :meth:`settle` waits
        for it. A process that ends first leaves the folder to :func:`recover`."""
        if self.target.exists() and _exchange(self.tmp, self.target):
            if recycle:
                return True
            self._remove(self.tmp, background)   # now holds the previous output
            return False
        old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
        if self.target.exists():
            os.replace(self.target, old)
        os.replace(self.tmp, self.target)
        if old.exists():
            self._remove(old, background)
        return False

    def _remove(self, folder: Path, background: bool) -> None:
        """Delete ``folder``; with ``background``, in a process of its own, not a thread: unlinking
        11,000 files is 11,000 system calls, each giving up and taking back the interpreter lock,
        and a thread doing them beside the build's own file walks (the stamp's) made both take
        2–3 times as long. Where no process can be started, here."""
        if background:
            try:
                self._removing = subprocess.Popen([sys.executable, "-I", "-S", "-c", _REMOVE_TREE, str(folder)],
                                                  stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                  stderr=subprocess.DEVNULL)
                return
            except OSError:
                pass
        shutil.rmtree(folder, ignore_errors=True)

    def settle(self) -> None:
        """Wait until the previous output deleted in the background (:meth:`commit`) is gone."""
        removing, self._removing = self._removing, None
        if removing is not None:
            removing.wait()

    # -- a spare: the next output, made ahead ------------------------------------------------------
    SPARE = "spare"

    @classmethod
    def spare(cls, target: Path, seen: SeenFiles | None = None) -> OutputDir:
        """A temporary folder that already holds the whole of ``target`` as hard links, for a writer
        that will change a few files (govsite serve's quick patch, :mod:`govsite.pipeline.quick`):
        made while nobody waits, it spares the patch linking thousands of files on the editor's
        time. It lives as ``.<name>.spare-<pid>`` (a build's own temporary folder never touches it;
        :func:`recover` clears it after a crash). Writes replace links, never write through them."""
        out = cls(target, seen=seen)
        out.keep_rest(set())
        spare = out.target.parent / f".{out.target.name}.{cls.SPARE}-{os.getpid()}"
        if spare.exists():
            shutil.rmtree(spare)
        os.replace(out.tmp, spare)
        out._move_tmp(spare)
        out.kept = 0
        return out

    def _move_tmp(self, folder: Path) -> None:
        self.tmp = folder
        self._root = str(folder.resolve()) + os.sep
        self._made = set()

    @property
    def is_spare(self) -> bool:
        return self.tmp.name.startswith(f".{self.target.name}.{self.SPARE}-")

    def next_spare(self, changed: set[str]) -> OutputDir:
        """After :meth:`commit` with ``recycle``: the previous output (now in the temporary folder)
        made the next spare by linking the files that changed from the new output — the work of
        the change, not of the whole site. Files the change added are linked too."""
        target = str(self.target.resolve()) + os.sep
        for rel in changed:
            dest = self._dest(rel)
            if os.path.lexists(dest):
                os.unlink(dest)
            os.link(target + rel, dest)
        out = OutputDir.__new__(OutputDir)
        out.target, out.seen, out.previous, out.written, out.kept = self.target, self.seen, target, 0, 0
        out._track, out._wrote, out._removing = self._track, {}, None
        spare = self.target.parent / f".{self.target.name}.{self.SPARE}-{os.getpid()}"
        if self.tmp != spare:
            if spare.exists():
                shutil.rmtree(spare)
            os.replace(self.tmp, spare)
        out._move_tmp(spare)
        return out

    def precompress(self, minimum: int = 256) -> int:
        """Write ``.gz`` (and ``.br`` when the brotli package is installed) beside every text file,
        so a server can send them as they are (nginx ``gzip_static``/``brotli_static``).
        Compressed bytes carry no timestamp, so they are as deterministic as the files."""
        import gzip

        try:
            import brotli
        except ImportError:
            brotli = None
        written = 0
        for path in sorted(self.tmp.rglob("*")):
            if path.suffix.lower() not in COMPRESSIBLE or not path.is_file():
                continue
            data = path.read_bytes()
            if len(data) < minimum:
                continue
            rel = path.relative_to(self.tmp).as_posix()
            self.write(rel + ".gz", gzip.compress(data, 9, mtime=0))
            written += 1
            if brotli is not None:
                self.write(rel + ".br", brotli.compress(data, quality=9))
                written += 1
        return written

    def discard(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


class SubDir:
    """A folder inside an :class:`OutputDir`: a language version writes its pages under its prefix,
    and the version is swapped in together with the main site."""

    def __init__(self, parent: OutputDir, prefix: str):
        self.parent = parent
        self.prefix = prefix.strip("/") + "/"
        self.tmp = parent.tmp / prefix.strip("/")

    def path(self, rel: str) -> Path:
        return self.parent.path(self.prefix + rel)

    def write(self, rel: str, data: bytes | str) -> None:
        self.parent.write(self.prefix + rel, data)

    def copy(self, source: Path, rel: str) -> None:
        self.parent.copy(source, self.prefix + rel)

    # the build cache's view of the previous output, under the prefix too
    @property
    def target(self) -> Path:
        return self.parent.target / self.prefix.rstrip("/")

    def previous_stat(self, rel: str):
        return self.parent.previous_stat(self.prefix + rel)

    def identity(self, rel: str) -> tuple:
        return self.parent.identity(self.prefix + rel)

    def previous_is(self, rel: str, identity) -> bool:
        return self.parent.previous_is(self.prefix + rel, identity)

    def keep(self, rel: str) -> bool:
        return self.parent.keep(self.prefix + rel)

    @property
    def written(self) -> int:
        return self.parent.written

    @written.setter
    def written(self, value: int) -> None:
        self.parent.written = value

    @property
    def kept(self) -> int:
        return self.parent.kept

    @kept.setter
    def kept(self, value: int) -> None:
        self.parent.kept = value
