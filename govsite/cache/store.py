"""The build cache: what the last build worked out, so the next one redoes only what changed.

It lives in ``.govsite-cache/<site>.sqlite`` in the project (git-ignored) and is only ever an
optimisation: deleting it, or a corrupt file, gives a clean build; ``--no-cache`` ignores it.
Nothing is taken from it unless it provably equals what a clean build would compute:

* **Output files** (:class:`Dependencies`): while a template renders, every attribute it reads
  from a page, column, asset or the site is recorded (``TrackingEnvironment.getattr``) together
  with a digest of the value it saw. Next time the file is skipped — and the previous file is
  hard-linked into the new output, keeping its bytes and mtime — only if the template context
  digests to the same value, each recorded read still gives the same value, and the global
  fingerprint (govsite's code, the templates, site.yaml, the build options) is unchanged. New
  template fields need no registration: whatever a template reads is what is checked.
* **Content-keyed results**: Markdown HTML by body (+ the link targets it looked up), search
  postings by chunk contents, check findings by file identity, parsed source files by
  ``(size, mtime_ns)``.

Entries about output files describe the output folder of the last *committed* build, so they
are written only after the swap; content-keyed entries are valid whatever happens to the build.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import io
import os
import pickle
import sqlite3
import threading
import time
from dataclasses import fields
from pathlib import Path
from types import MethodType

from govsite.content.model import Asset, Column, Page, Site

CACHE_DIR = ".govsite-cache"
SCHEMA = 1
RACY_SECONDS = 2.0     # files changed this recently may change again within one mtime tick
SIBLING_ONE_BY_ONE = 64   # misses looked up one by one in the sibling cache before reading its keys
PRUNE_SLACK = 100      # entries no build uses that a table may keep before it is pruned (or 1 %)
_PACKAGE = Path(__file__).resolve().parents[1]   # the govsite package


def _hash(*parts) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.digest()


# the libraries whose work ends up in the output (HTML, sanitizing, search tables, dates, QR
# codes): an upgrade of one may change what it gives for the same input
OUTPUT_LIBRARIES = ("jinja2", "markupsafe", "markdown", "pyyaml", "nh3", "pypinyin", "lunr", "opencc",
                    "tzdata", "chinesecalendar", "segno")


@functools.cache
def code_fingerprint() -> bytes:
    """govsite's own source and the versions of the libraries it renders with: a changed
    pipeline invalidates everything it cached (Markdown HTML made by an older Python-Markdown is
    not what a clean build makes now). Read once per process: the code a process runs does not
    change after it started."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            h.update(path.relative_to(_PACKAGE).as_posix().encode())
            h.update(path.read_bytes())
    for name in OUTPUT_LIBRARIES:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        h.update(f"\x00{name}={version}".encode())
    return h.digest()


def tree_fingerprint(folders) -> bytes:
    """Names and bytes of every file under ``folders`` (templates of a theme and its overrides)."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        folder = Path(folder)
        h.update(str(folder).encode())
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode())
                h.update(path.read_bytes())
    return h.digest()


# -- value digests -----------------------------------------------------------------------------
ENTITIES = (Page, Column, Asset, Site)


def entity_key(obj) -> str:
    """Pages, columns and assets by their source file (unique across a site's language versions,
    whose trees share relative paths); a site by where its tree sits in the output.

    Asked ~100 times per output file, so a page's, column's or asset's key is kept on the object
    (``_entity_key``, beside its fields, with the origin it was made from: a page's key changes
    only with its file and its origin, and a new origin object means "work it out again")."""
    memo = getattr(obj, "__dict__", {}).get("_entity_key")
    origin = getattr(obj, "origin", None)
    if memo is not None and memo[0] is origin:
        return memo[1]
    if isinstance(obj, Page):  # a copy of another site's page (资源库) shares the owner's file
        key = "P:" + str(obj.file) + ("#copy" if origin is not None and origin.copy else "")
    elif isinstance(obj, Column):
        key = "C:" + str(obj.file)
    elif isinstance(obj, Asset):
        key = "A:" + str(obj.file)
    else:  # the site: its prefix is set after it is made, and there are few reads of it
        return "S:" + str(getattr(obj, "out_prefix", ""))
    obj.__dict__["_entity_key"] = (origin, key)
    return key


def _entity_ref(key):  # pragma: no cover - only named in digests, never called
    raise TypeError(key)


def _reduce_entity(obj):
    return _entity_ref, (entity_key(obj),)


def _reduce_method(method):
    owner = method.__self__
    if isinstance(owner, ENTITIES):  # a method reads its object's own fields
        state = digest({f.name: getattr(owner, f.name) for f in fields(owner)})
        return _entity_ref, (("M", method.__func__.__qualname__, entity_key(owner), state),)
    return getattr, (owner, method.__func__.__name__)


class Deferred:
    """A value too big to digest for every output file, and not needed unless the file is made
    again: in digests it stands as ``key`` (which must determine it); ``get()`` reads it when a
    file is really rendered from it (a page body: ~11 KB of HTML, read from the cache)."""

    __slots__ = ("key", "_read")

    def __init__(self, key: bytes, read):
        self.key = key
        self._read = read

    def get(self):
        return self._read()


def _reduce_deferred(value: Deferred):
    return _entity_ref, (("D", value.key),)


class _DigestPickler(pickle.Pickler):
    """Pickles a value with pages, columns, assets and the site standing for themselves (their
    key): what a template reads *from* them is recorded as reads of its own. A bound method of
    one of them stands for the method and the object's own fields (methods read those)."""

    dispatch_table = {**{cls: _reduce_entity for cls in ENTITIES}, MethodType: _reduce_method,
                      Deferred: _reduce_deferred}

    def __init__(self, file):
        super().__init__(file, protocol=5)
        self.buffer = file
        self.fast = True   # no memo: equal values give equal bytes, however their objects are shared


_SCALARS = (int, float, bool, type(None), dt.datetime, dt.date)


def digest(value) -> bytes:
    """A 16-byte digest of a value made of plain data (and site objects, by key).

    A value that cannot be pickled gets a digest of its own every time: whatever depends on it
    is recomputed rather than taken from the cache."""
    kind = type(value)
    if kind is str:
        return hashlib.blake2b(b"s" + value.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    if kind in _SCALARS:
        return hashlib.blake2b(f"{kind.__name__}:{value!r}".encode(), digest_size=16).digest()
    # one pickler per thread, taken while in use (a bound method's digest is made while its
    # owner's value is being pickled): a build digests ~100,000 values
    pickler = getattr(_PICKLERS, "idle", None)
    _PICKLERS.idle = None
    if pickler is None:
        pickler = _DigestPickler(io.BytesIO())
    buffer = pickler.buffer
    buffer.seek(0)
    buffer.truncate()
    try:
        pickler.dump(value)
    except Exception:  # noqa: BLE001 - unpicklable: never equal to anything (the pickler may be
        return os.urandom(16)          # left half-way through the value: it is not used again)
    with buffer.getbuffer() as view:
        result = hashlib.blake2b(view, digest_size=16).digest()
    _PICKLERS.idle = pickler
    return result


_PICKLERS = threading.local()


# -- the store -----------------------------------------------------------------------------------
class BuildCache:
    """One SQLite file per site. Every failure to read or write it means "not cached"."""

    TABLES = ("meta", "sources", "bodies", "markdown", "outputs", "search", "checks", "exports")
    SHARED = ("sources", "bodies", "markdown", "search", "checks")   # keyed by content alone: valid for a sibling
    # keyed by content (and code, settings): true whatever becomes of the build that made them, so
    # saved even when it fails; "outputs" describe the output folder and wait for its commit
    BY_CONTENT = SHARED + ("exports",)

    def __init__(self, project: Path, key: str, fingerprint: bytes, enabled: bool = True,
                 sibling: tuple[str, bytes] | None = None):
        """``sibling``: the name and fingerprint of the cache the same site's builds in the other
        mode keep (``govsite build`` ↔ ``govsite serve``). Entries keyed by content alone — parsed
        sources, Markdown, search postings, text findings — are as true for one as for the other,
        so a miss here is looked up there, and a hit is copied here. The first preview after a
        build (or the first build after a preview) then renders no Markdown again."""
        self.path = Path(project) / CACHE_DIR / f"{key}.sqlite"
        self.fingerprint = fingerprint          # code + build options: everything else is keyed
        self.enabled = enabled
        self.sibling = (self.path.with_name(f"{sibling[0]}.sqlite"), sibling[1]) if sibling else None
        self._db = None
        self._pid = None
        self._sibling_db = None
        self._sibling_pid = None
        self._sibling_keys: dict[str, set] = {}   # per table, read after SIBLING_ONE_BY_ONE misses
        self._sibling_asked: dict[str, int] = {}
        self.pending: dict[str, dict] = {t: {} for t in self.TABLES}
        self.used: dict[str, set] = {t: set() for t in self.TABLES}
        self.saved: dict[str, set] = {t: set() for t in self.TABLES}   # keys written by this build
        self._bulk: dict[str, dict] = {}
        # a read failed as a damaged file fails (not a busy or full one): the cache starts over when
        # the build is saved. Found while reading, not by checking the whole file first, which
        # reads every page of it (0.35 s at 20,000 pages) for every build
        self.damaged = False
        self.hits = {"markdown": 0, "outputs": 0, "search": 0, "checks": 0, "sources": 0, "exports": 0}
        if enabled:
            self._open(check=True)

    # connections are per process: forked workers open their own
    def _open(self, check=False):
        if self._db is not None and self._pid == os.getpid():
            return self._db
        if not self.enabled:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="ascii")
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            for table in self.TABLES:
                db.execute(f"CREATE TABLE IF NOT EXISTS {table} (k BLOB PRIMARY KEY, v BLOB)")
            if check:
                row = db.execute("SELECT v FROM meta WHERE k = ?", (b"fingerprint",)).fetchone()
                if row is None or row[0] != self.fingerprint:
                    for table in self.TABLES:
                        db.execute(f"DELETE FROM {table}")
                    db.execute("INSERT INTO meta VALUES (?, ?)", (b"fingerprint", self.fingerprint))
        except (sqlite3.Error, OSError):
            if check:  # a corrupt or unreadable cache: start a new one, else go without
                try:
                    for suffix in ("", "-wal", "-shm"):
                        Path(str(self.path) + suffix).unlink(missing_ok=True)
                    return self._retry()
                except (sqlite3.Error, OSError):
                    pass
            self.enabled = False
            return None
        self._db, self._pid = db, os.getpid()
        return db

    def _retry(self):
        self._db = None
        self.enabled = True
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        for table in self.TABLES:
            db.execute(f"CREATE TABLE IF NOT EXISTS {table} (k BLOB PRIMARY KEY, v BLOB)")
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (b"fingerprint", self.fingerprint))
        self._db, self._pid = db, os.getpid()
        return db

    BULK = ("outputs", "sources", "checks", "bodies")   # small rows, read nearly all: one query each

    def get(self, table: str, key):
        key = _key(key)
        if table in self.BULK:
            rows = self._bulk.get(table)
            if rows is None:
                rows = self._bulk[table] = self._load(table)
            raw = rows.get(key)
        else:
            db = self._open()
            if db is None:
                return None
            try:
                row = db.execute(f"SELECT v FROM {table} WHERE k = ?", (key,)).fetchone()
            except sqlite3.Error as exc:
                self._failed(exc)
                return None
            raw = row[0] if row else None
        if raw is None and table in self.SHARED and self.sibling is not None:
            raw = self._from_sibling(table, key)
            if raw is not None:
                self.pending[table][key] = raw   # kept here from now on
        if raw is None:
            return None
        try:
            value = pickle.loads(raw)
        except Exception:  # noqa: BLE001 - a damaged entry is a miss
            return None
        self.used[table].add(key)
        return value

    def get_many(self, table: str, keys: list) -> dict:
        """``{key: value}`` for those of ``keys`` that are in ``table`` and readable, in one
        query rather than one per key (bulk tables and siblings aside: for long runs of reads)."""
        db = self._open()
        found: dict = {}
        if db is None:
            return found
        keys = [_key(k) for k in keys]
        try:
            rows = db.execute(f"SELECT k, v FROM {table} WHERE k IN ({','.join('?' * len(keys))})", keys)
            for key, raw in rows:
                try:
                    found[key] = pickle.loads(raw)
                except Exception:  # noqa: BLE001 - a damaged entry is a miss
                    continue
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        self.used[table].update(found)
        return found

    def _load(self, table: str) -> dict:
        db = self._open()
        if db is None:
            return {}
        try:
            return dict(db.execute(f"SELECT k, v FROM {table}"))
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}

    def _failed(self, exc: sqlite3.Error) -> None:
        if not isinstance(exc, sqlite3.OperationalError):  # locked, busy, full: not the file's fault
            self.damaged = True

    def _from_sibling(self, table: str, key: bytes):
        """The sibling cache's entry (raw), or None; a sibling that is missing, unreadable or made
        by other code is never asked again by this process."""
        db = self._sibling_db if self._sibling_pid == os.getpid() else None
        if db is None:
            path, fingerprint = self.sibling
            try:
                if not path.is_file():
                    raise sqlite3.OperationalError("no sibling")
                db = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
                row = db.execute("SELECT v FROM meta WHERE k = ?", (b"fingerprint",)).fetchone()
                if row is None or row[0] != fingerprint:
                    db.close()
                    raise sqlite3.OperationalError("other code or options")
            except sqlite3.Error:
                self.sibling = None
                return None
            self._sibling_db, self._sibling_pid, self._sibling_keys, self._sibling_asked = db, os.getpid(), {}, {}
        try:
            keys = self._sibling_keys.get(table)
            if keys is None:  # a few misses are asked one by one; after many, its keys are read once
                asked = self._sibling_asked[table] = self._sibling_asked.get(table, 0) + 1
                if asked > SIBLING_ONE_BY_ONE:
                    keys = self._sibling_keys[table] = {k for (k,) in db.execute(f"SELECT k FROM {table}")}
            if keys is not None and key not in keys:
                return None
            row = db.execute(f"SELECT v FROM {table} WHERE k = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        return row[0] if row else None

    def preload(self, table: str) -> None:
        """Read a bulk table now (before workers fork, so they share it)."""
        if self.enabled and table in self.BULK and table not in self._bulk:
            self._bulk[table] = self._load(table)

    def keys(self, table: str) -> set:
        """Every key of a table, without the values (to ask "is it there?" many times)."""
        db = self._open()
        if db is None:
            return set()
        try:
            return {k for (k,) in db.execute(f"SELECT k FROM {table}")}
        except sqlite3.Error as exc:
            self._failed(exc)
            return set()

    def drop(self, table: str) -> None:
        """Free a table read in bulk once its stage is over."""
        self._bulk.pop(table, None)

    def put(self, table: str, key, value) -> None:
        """Stage an entry; :meth:`save` writes what is staged (main process only)."""
        if self.enabled:
            self.pending[table][_key(key)] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def take_pending(self) -> dict:
        """A worker hands what it staged (and the keys it used) to the main process."""
        staged = {"rows": {t: rows for t, rows in self.pending.items() if rows},
                  "used": {t: keys for t, keys in self.used.items() if keys}, "damaged": self.damaged}
        self.pending = {t: {} for t in self.TABLES}
        self.used = {t: set() for t in self.TABLES}
        return staged

    def merge(self, staged: dict) -> None:
        for table, rows in staged.get("rows", {}).items():
            self.pending[table].update(rows)
        for table, keys in staged.get("used", {}).items():
            self.used[table].update(keys)
        self.damaged = self.damaged or staged.get("damaged", False)

    def save(self, tables=None, prune=False) -> None:
        """Write what is staged. ``prune`` (after a complete, committed build): drop the entries
        this build neither used nor wrote, so the cache holds one site's working set. A cache
        found damaged is replaced by a new file then, holding what is staged."""
        if prune and self.damaged:
            self._start_over()
        db = self._open()
        tables = tables or self.TABLES
        if db is None:
            return
        try:
            db.execute("BEGIN")
            for table in tables:
                if table == "meta":
                    continue
                rows = self.pending[table]
                if prune:
                    self._prune(db, table, rows)
                if rows:
                    db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows.items())
                    self.saved[table].update(rows)
                    rows.clear()
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._failed(exc)
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def _prune(self, db, table: str, rows: dict) -> None:
        """Drop the entries of ``table`` this build neither used nor wrote (nor is about to write:
        ``rows``) — once they are more than 1 % of the table (or ``PRUNE_SLACK``). A one-file
        build leaves a handful (the edited page's old entries): pruning them every time costs
        more (0.1 s at 5,000 pages) than keeping them a while."""
        known = self.used[table] | self.saved[table]
        stale = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - len(known)   # at least
        if stale <= max(PRUNE_SLACK, len(self.used[table]) // 100):
            return
        db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (k BLOB PRIMARY KEY)")
        db.execute("DELETE FROM keep")
        db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in known | set(rows)))
        db.execute(f"DELETE FROM {table} WHERE k NOT IN (SELECT k FROM keep)")

    def _start_over(self) -> None:
        self.close()
        self.damaged = False
        try:
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            self._retry()
        except (sqlite3.Error, OSError):
            self.enabled = False

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        if self._sibling_db is not None and self._sibling_pid == os.getpid():
            self._sibling_db.close()
        self._db = self._sibling_db = None


def _key(key) -> bytes:
    return key if isinstance(key, bytes) else str(key).encode("utf-8", "surrogatepass")


def stamp(path) -> tuple | None:
    """``(size, mtime_ns, inode)`` of a file, or None when it changed too recently to trust."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if time.time() - st.st_mtime < RACY_SECONDS:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)
