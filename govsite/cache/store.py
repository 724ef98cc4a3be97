"""The build cache: what the last build worked out, so the next one redoes only what changed.

It lives in ``.govsite-cache/<site>.sqlite`` in the project (git-ignored) and is only ever an
optimisation: deleting it, or a corrupt file, gives a clean build; ``--no-cache`` gives the
:data:`NULL_CACHE`, which has the same tables and never holds anything. Nothing is taken from it
unless it provably equals what a clean build would compute:

* **Output files**: while a template renders, every attribute it reads from a page, column, asset
  or the site is recorded (:mod:`govsite.cache.reads`) together with a digest of the value it
  saw. Next time the file is skipped — and the previous file is hard-linked into the new output,
  keeping its bytes and mtime — only if the template context digests to the same value, each
  recorded read still gives the same value, and the global fingerprint (govsite's code, the
  templates, site.yaml, the build options) is unchanged.
* **Content pages and list pages, whole** (:class:`~govsite.cache.tables.PageRecord`): what a
  page's render gave (problems, body keys, export key, the file's identity) with what it was
  made of — the state of every page, column and asset it read (a digest of all their fields,
  :func:`govsite.cache.reads.entity_state`), the site's reads, the body's link targets. While
  all of that holds, the page is taken as recorded without making its template context or
  keys: a one-file build looks only at the pages whose inputs changed.
* **Content-keyed results**: Markdown HTML by body (+ the link targets it looked up), search
  postings by chunk contents, check findings by file identity, parsed source files by
  ``(size, mtime_ns)``.

Stages use the typed tables of :class:`BuildCache` (:mod:`govsite.cache.tables`); this module
holds the SQLite file under them (:class:`CacheFile`). Entries about output files describe the
output folder of the last *committed* build, so they are written only after the swap;
content-keyed entries are valid whatever happens to the build.
"""
from __future__ import annotations

import os
import pickle
import sqlite3
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from govsite.cache import tables as t
from govsite.cache.digest import code_fingerprint, hash_parts

CACHE_DIR = ".govsite-cache"
SCHEMA = 1
SIBLING_ONE_BY_ONE = 64   # misses looked up one by one in the sibling cache before reading its keys
PAGE_SIZE = 65536      # SQLite's page size for a new cache file (see CacheFile._connect)
PRUNE_SLACK = 100      # entries no build uses that a table may keep before it is pruned (or 1 %)

# the SQLite tables (each typed table of govsite.cache.tables keeps its entries in one of them)
META, SOURCES, BODIES, MARKDOWN, OUTPUTS, SEARCH, CHECKS, EXPORTS = (
    "meta", "sources", "bodies", "markdown", "outputs", "search", "checks", "exports")
TABLES = (META, SOURCES, BODIES, MARKDOWN, OUTPUTS, SEARCH, CHECKS, EXPORTS)
SHARED = (SOURCES, BODIES, MARKDOWN, SEARCH, CHECKS)   # keyed by content alone: valid for a sibling
# keyed by content (and code, settings): true whatever becomes of the build that made them, so
# saved even when it fails; "outputs" describe the output folder and wait for its commit
BY_CONTENT = SHARED + (EXPORTS,)
BULK = (OUTPUTS, SOURCES, CHECKS, BODIES)   # small rows, read nearly all: one query each
HIT_KINDS = ("markdown", "outputs", "search", "checks", "sources", "exports")


@dataclass
class Handover:
    """What a forked worker hands the main process: the entries it staged (per SQLite table),
    the keys it used (so pruning keeps them), whether it found the file damaged, and its hits."""

    rows: dict[str, dict] = field(default_factory=dict)
    used: dict[str, set] = field(default_factory=dict)
    damaged: bool = False
    hits: dict[str, int] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.rows or self.used or self.damaged or any(self.hits.values()))


def _family_value(raw: bytes | None) -> dict:
    """A folded family's entries from its stored value (:meth:`CacheFile.fold`): none when it is
    missing or damaged (the family starts over)."""
    if raw is None:
        return {}
    try:
        family = pickle.loads(raw)
    except Exception:  # noqa: BLE001 - a damaged value
        return {}
    return family if isinstance(family, dict) else {}


class CacheFile:
    """One SQLite file per site. Every failure to read or write it means "not cached".

    Values are pickled here; what they are, and their keys, only the typed tables know."""

    def __init__(self, path: Path, fingerprint: bytes, sibling: tuple[Path, bytes] | None = None):
        """``sibling``: the path and fingerprint of the cache the same site's builds in the other
        mode keep (``govsite build`` ↔ ``govsite serve``). Entries keyed by content alone — parsed
        sources, Markdown, search postings, text findings — are as true for one as for the other,
        so a miss here is looked up there, and a hit is copied here. The first preview after a
        build (or the first build after a preview) then renders no Markdown again."""
        self.path = path
        self.fingerprint = fingerprint          # code + build options: everything else is keyed
        self.enabled = True
        self.sibling = sibling
        self._db: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._sibling_db: sqlite3.Connection | None = None
        self._sibling_pid: int | None = None
        self._sibling_keys: dict[str, set] = {}   # per table, read after SIBLING_ONE_BY_ONE misses
        self._sibling_asked: dict[str, int] = {}
        self.pending: dict[str, dict] = {table: {} for table in TABLES}
        self.used: dict[str, set] = {table: set() for table in TABLES}
        self.saved: dict[str, set] = {table: set() for table in TABLES}   # keys written by this build
        self._bulk: dict[str, dict] = {}
        # families of small rows kept as one value per table (fold): table → key prefixes, and
        # each family's entries once read (by (table, prefix); the sibling's apart)
        self._folds: dict[str, tuple[bytes, ...]] = {}
        self._families: dict[tuple[str, bytes], dict] = {}
        self._sibling_families: dict[tuple[str, bytes], dict] = {}
        # a read failed as a damaged file fails (not a busy or full one): the cache starts over when
        # the build is saved. Found while reading, not by checking the whole file first, which
        # reads every page of it (0.35 s at 20,000 pages) for every build
        self.damaged = False
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
            db = self._connect()
            if check:
                row = db.execute("SELECT v FROM meta WHERE k = ?", (b"fingerprint",)).fetchone()
                if row is None or row[0] != self.fingerprint:
                    # made by other code or options: a new file (not the old one emptied, which
                    # would keep its size and the page size it was made with)
                    db.close()
                    for suffix in ("", "-wal", "-shm"):
                        Path(str(self.path) + suffix).unlink(missing_ok=True)
                    return self._retry()
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

    def _connect(self) -> sqlite3.Connection:
        """A connection to the file, which is made if need be with pages of ``PAGE_SIZE`` bytes:
        a build writes tens of MB of values (a 14 MB search index after every edit), and SQLite
        writes those about three times as fast in 64 KB pages as in its default 4 KB ones."""
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
        db.execute(f"PRAGMA page_size={PAGE_SIZE}")   # (only a new file takes it)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        for table in TABLES:
            db.execute(f"CREATE TABLE IF NOT EXISTS {table} (k BLOB PRIMARY KEY, v BLOB)")
        return db

    def _retry(self):
        self._db = None
        self.enabled = True
        db = self._connect()
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (b"fingerprint", self.fingerprint))
        self._db, self._pid = db, os.getpid()
        return db

    def get(self, table: str, key: bytes):
        """The value under ``key``, or None (missing, unreadable, or a damaged entry). What this
        build staged (here, or in a worker whose part was merged) is the newest: an output file
        a worker digested is known to the main process's output scan without reading it again
        (every one of them, in a build whose restored output has new inodes and mtimes)."""
        raw = self.pending[table].get(key)
        if raw is not None:
            try:
                return pickle.loads(raw)
            except Exception:  # noqa: BLE001 - (staged by this very code: never seen)
                return None
        prefix = self._family_of(table, key)
        if prefix is not None:
            return self._get_folded(table, prefix, key)
        if table in BULK:
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
        if raw is None and table in SHARED and self.sibling is not None:
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

    # -- families: many small rows as one value --------------------------------------------------
    def fold(self, table: str, prefix: bytes) -> None:
        """Keep the entries of ``table`` whose keys start with ``prefix`` together, as one value
        (a dict) under the key ``prefix``, not as rows. For a family of many small entries that
        change all at once: the stat and digest of every output and source file (``seen``), which
        a CI job restoring the cache finds all new — 16,500 rows at 5,000 pages, whose writing
        took 0.25 s of every such build, against a few ms for one value. Entries are read and
        staged as any (:meth:`get`, :meth:`put`); :meth:`save` folds the staged ones in."""
        if prefix not in self._folds.get(table, ()):
            self._folds[table] = (*self._folds.get(table, ()), prefix)

    def _family_of(self, table: str, key: bytes) -> bytes | None:
        prefixes = self._folds.get(table)
        if prefixes and key.startswith(prefixes):
            return next(p for p in prefixes if key.startswith(p))
        return None

    def _family(self, table: str, prefix: bytes) -> dict:
        """The family's entries as saved (read once per process; empty when missing or damaged)."""
        family = self._families.get((table, prefix))
        if family is None:
            family = self._families[(table, prefix)] = self._read_family(table, prefix)
        return family

    def _read_family(self, table: str, prefix: bytes) -> dict:
        db = self._open()
        if db is None:
            return {}
        try:
            row = db.execute(f"SELECT v FROM {table} WHERE k = ?", (prefix,)).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        return _family_value(row[0] if row else None)

    def _get_folded(self, table: str, prefix: bytes, key: bytes):
        value = self._family(table, prefix).get(key)
        if value is None and table in SHARED and self.sibling is not None:
            value = self._sibling_family(table, prefix).get(key)
            if value is not None:   # kept here from now on
                self.pending[table][key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        if value is not None:
            self.used[table].add(key)
        return value

    def _sibling_family(self, table: str, prefix: bytes) -> dict:
        family = self._sibling_families.get((table, prefix))
        if family is None:
            family = self._sibling_families[(table, prefix)] = _family_value(self._from_sibling(table, prefix))
        return family

    def _save_families(self, db, table: str, rows: dict, prune: bool) -> None:
        """Fold the staged entries of ``table``'s families (taken out of ``rows``) into their
        values and write those that changed; with ``prune``, without the entries this build
        neither used nor wrote (once they are more than 1 % of the family)."""
        for prefix in self._folds.get(table, ()):
            staged = {key: raw for key, raw in rows.items() if key.startswith(prefix)}
            for key in staged:
                del rows[key]
            family = self._family(table, prefix)
            changed = False
            if prune:
                known = self.used[table] | self.saved[table] | staged.keys()
                stale = [key for key in family if key not in known]
                if len(stale) > max(PRUNE_SLACK, len(family) // 100):
                    for key in stale:
                        del family[key]
                    changed = True
            for key, raw in staged.items():
                try:
                    value = pickle.loads(raw)
                except Exception:  # noqa: BLE001 - (staged by this very code: never seen)
                    continue
                if family.get(key) != value:
                    family[key] = value
                    changed = True
            if changed:
                db.execute(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
                           (prefix, pickle.dumps(family, protocol=pickle.HIGHEST_PROTOCOL)))
            self.saved[table].update(staged)
            self.saved[table].add(prefix)

    def get_many(self, table: str, keys: list) -> dict:
        """``{key: value}`` for those of ``keys`` that are in ``table`` and readable, in one
        query rather than one per key (bulk tables and siblings aside: for long runs of reads)."""
        db = self._open()
        found: dict = {}
        if db is None:
            return found
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
            if self.sibling is None:
                return None
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
        """Read a bulk table, and its families, now (before workers fork, so they share them)."""
        if self.enabled and table in BULK and table not in self._bulk:
            self._bulk[table] = self._load(table)
        for prefix in self._folds.get(table, ()) if self.enabled else ():
            self._family(table, prefix)

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

    def put(self, table: str, key: bytes, value) -> None:
        """Stage an entry; :meth:`save` writes what is staged (main process only)."""
        if self.enabled:
            self.pending[table][key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def use(self, table: str, key: bytes) -> None:
        """Keep ``key`` through pruning without reading it (an entry a later build wants)."""
        self.used[table].add(key)

    def take_pending(self) -> Handover:
        """What this process staged and used since it last handed them over (a worker's part)."""
        staged = Handover({table: rows for table, rows in self.pending.items() if rows},
                          {table: keys for table, keys in self.used.items() if keys}, self.damaged)
        self.forget_staged()
        return staged

    def save_here(self, tables) -> None:
        """Write what this process staged in ``tables`` itself, and count their keys as used: a
        forked process's content-keyed entries (true whatever becomes of the build) need not be
        pickled to the main process and written there, on the time of everything it waits for;
        the keys it hands over keep them through the main process's pruning."""
        fresh = {table: [key for key in self.pending[table] if self._family_of(table, key) is None]
                 for table in tables}
        fresh = {table: keys for table, keys in fresh.items() if keys}
        if not fresh:
            return
        self.save(tables=tuple(fresh), families=False)
        for table, keys in fresh.items():
            self.used[table].update(keys)

    def forget_staged(self) -> None:
        self.pending = {table: {} for table in TABLES}
        self.used = {table: set() for table in TABLES}
        self.damaged = False

    def merge(self, staged: Handover) -> None:
        for table, rows in staged.rows.items():
            self.pending[table].update(rows)
        for table, keys in staged.used.items():
            self.used[table].update(keys)
        self.damaged = self.damaged or staged.damaged

    def save(self, tables=None, prune=False, families=True) -> None:
        """Write what is staged. ``prune`` (after a complete, committed build): drop the entries
        this build neither used nor wrote, so the cache holds one site's working set. A cache
        found damaged is replaced by a new file then, holding what is staged. ``families``: also
        the entries of folded families (:meth:`fold`) — only the main process writes those (a
        family is one value: a worker writing its own would lose the others' entries)."""
        if prune and self.damaged:
            self._start_over()
        db = self._open()
        tables = tables or TABLES
        if db is None or not prune and not any(self.pending[table] for table in tables):
            return   # (after each render task, mostly: nothing to write, no transaction to open)
        try:
            db.execute("BEGIN")
            for table in tables:
                if table == META:
                    continue
                rows = self.pending[table]
                if table in self._folds:
                    if families:
                        self._save_families(db, table, rows, prune)
                    else:   # (handed over with the rest: see save_here)
                        rows = {key: raw for key, raw in rows.items() if self._family_of(table, key) is None}
                if prune:
                    self._prune(db, table, rows)
                if rows:
                    db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows.items())
                    self.saved[table].update(rows)
                    if rows is self.pending[table]:
                        rows.clear()
                    else:   # (the families' entries stay staged, for the main process)
                        for key in rows:
                            del self.pending[table][key]
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
        prefixes = self._folds.get(table)
        if prefixes:   # a family's entries are not rows; its value is (under its prefix)
            known = {key for key in known if not key.startswith(prefixes)} | set(prefixes)
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


class BuildCache:
    """The build cache of one site: one typed table per kind of entry (``cache.bodies.get(key)``
    gives a :class:`~govsite.cache.tables.BodyEntry`), over one :class:`CacheFile`.

    Tables count their own hits (``hits``: per kind, what the build reports). A forked process
    starts with nothing staged, used or counted (what it inherited is its parent's to save):
    :meth:`take_pending` hands over what the worker did, :meth:`merge` takes it in."""

    def __init__(self, project: Path, name: str, fingerprint: bytes, sibling: tuple[str, bytes] | None = None):
        path = Path(project) / CACHE_DIR / f"{name}.sqlite"
        self.file = CacheFile(path, fingerprint, (path.with_name(f"{sibling[0]}.sqlite"), sibling[1]) if sibling else None)
        self.path = path
        self.hits: dict[str, int] = dict.fromkeys(HIT_KINDS, 0)
        file, hits = self.file, self._hit
        self.stamps = t.FileStamps(file, SOURCES)
        self.pages = t.SourcePages(file, SOURCES, hits, self.stamps)
        self.ranks = t.Ranks(file, SOURCES)
        self.bodies = t.Bodies(file, BODIES, hits, MARKDOWN)
        self.markdown = t.Markdown(file, MARKDOWN)
        self.outputs = t.OutputFiles(file, OUTPUTS)
        self.files = t.MadeFiles(file, OUTPUTS)
        self.page_records = t.PageRecords(file, OUTPUTS)
        self.file_records = t.FileRecords(file, OUTPUTS)
        self.doc_fragments = t.DocFragments(file, OUTPUTS)
        self.search_files = t.SearchFiles(file, OUTPUTS)
        self.export_files = t.ExportFiles(file, OUTPUTS)
        self.seen = t.SeenFiles(file, OUTPUTS)
        self.converted = t.Converted(file, OUTPUTS)
        self.postings = t.Postings(file, SEARCH, hits)
        self.joined = t.JoinedIndex(file, SEARCH)
        self.suggest = t.Suggest(file, SEARCH)
        self.pinyin = t.Pinyin(file, SEARCH)
        self.text_findings = t.TextFindings(file, CHECKS, hits, self.stamps)
        self.scans = t.Scans(file, CHECKS, hits, self.seen)
        self.exports = t.ExportItems(file, EXPORTS, hits)
        _LIVE.add(self)

    @property
    def enabled(self) -> bool:
        """False once the file proved unusable: the tables then hold nothing, like the null cache's."""
        return self.file.enabled

    def _hit(self, kind: str) -> None:
        self.hits[kind] += 1

    def derive(self, make) -> bytes:
        """``make()``: a fingerprint entries are keyed by (a renderer's, the check settings'),
        made only with a cache to key."""
        return make()

    def compiled_templates(self, default):
        """Where Jinja2 keeps compiled templates: beside the cache (keyed by their source)."""
        folder = self.path.parent / "jinja"
        folder.mkdir(exist_ok=True)
        return jinja2.FileSystemBytecodeCache(str(folder))

    # -- stages ---------------------------------------------------------------------------------
    def loaded(self) -> None:
        """The sources are loaded: free their table (read in bulk) and write the new entries."""
        self.file.drop(SOURCES)
        self.file.save(tables=(SOURCES,))

    def checked(self) -> None:
        """The source checks are done: free their table and write the new findings."""
        self.file.drop(CHECKS)
        self.file.save(tables=(CHECKS,))

    def before_render(self) -> None:
        """Read the output entries now, before the render workers fork (they share them); each
        worker reads the body entries it needs itself."""
        self.file.preload(OUTPUTS)

    def save_content(self) -> None:
        """Write the entries keyed by content, true whatever becomes of the build (after each
        task of the page loop, so memory stays bounded, and when a build fails)."""
        self.file.save(tables=BY_CONTENT)

    def save_build(self) -> None:
        """The build is committed: write everything, and prune what it no longer uses."""
        self.file.save(prune=True)

    def hit_counts(self) -> dict[str, int] | None:
        """Hits per kind (the build result's ``cache``; None without a cache)."""
        return dict(self.hits)

    def replay_file(self, output: bytes) -> None:
        """A list page taken from its record: keep its output entry through pruning."""
        self.file.use(OUTPUTS, output)

    def replay_page(self, body: bytes, output: bytes, export: bytes | None) -> None:
        """A page taken whole from its record (:class:`~govsite.cache.tables.PageRecord`): keep
        the entries its render relies on through pruning — its body (``bodies``, ``markdown``),
        its output entry and its export items — and count the hits the render would have had."""
        use = self.file.use
        use(BODIES, body)
        use(MARKDOWN, body)
        use(OUTPUTS, output)
        self.hits["markdown"] += 1
        if export is not None:
            for part in t.ExportItems.PARTS:
                use(EXPORTS, export + part)
            self.hits["exports"] += 1

    def take_pending(self) -> Handover:
        """A worker hands what it staged, the keys it used and its hits to the main process."""
        staged = self.file.take_pending()
        staged.hits, self.hits = self.hits, dict.fromkeys(HIT_KINDS, 0)
        return staged

    def hand_over(self) -> Handover:
        """A forked process's part at the end of a task: the entries keyed by content written to
        the cache file from here (:meth:`CacheFile.save_here`; at 5,000 pages a cold build's
        workers made ~170 MB of them, which the main process used to receive, merge and write
        while the workers waited for their next task), the rest as :meth:`take_pending`."""
        self.file.save_here(BY_CONTENT)
        return self.take_pending()

    def merge(self, staged: Handover) -> None:
        if not staged:
            return
        self.file.merge(staged)
        for kind, n in staged.hits.items():
            self.hits[kind] += n

    def _forked(self) -> None:
        self.file.forget_staged()
        self.hits = dict.fromkeys(HIT_KINDS, 0)

    def close(self) -> None:
        self.file.close()


class NullCache:
    """The cache of a build without one (``--no-cache``, or a file that cannot be opened): the
    same tables, which never hold anything (:class:`~govsite.cache.tables.NullTable`), so stages
    call it as they call a real one."""

    enabled = False
    pages = ranks = bodies = markdown = outputs = files = doc_fragments = search_files = export_files = seen = \
        postings = joined = suggest = pinyin = text_findings = scans = exports = stamps = converted = \
        page_records = file_records = t.NullTable()

    def derive(self, make) -> bytes:
        return b""

    def compiled_templates(self, default):
        return default

    def loaded(self) -> None:
        pass

    checked = before_render = save_content = save_build = close = loaded

    def hit_counts(self) -> dict[str, int] | None:
        return None

    def take_pending(self) -> Handover:
        return Handover()

    def hand_over(self) -> Handover:
        return Handover()

    def replay_page(self, body: bytes, output: bytes, export: bytes | None) -> None:
        pass

    def replay_file(self, output: bytes) -> None:
        pass

    def merge(self, staged: Handover) -> None:
        pass


NULL_CACHE = NullCache()
Cache = BuildCache | NullCache


def open_cache(project: Path, key: str, use: bool = True, options: dict | None = None,
               scratch: bool = False) -> Cache:
    """The build cache of one site (``.govsite-cache/<key>.sqlite``), or the null cache when
    switched off or unusable. ``options``: the build options that change output (part of its
    fingerprint). ``govsite serve`` (``preview``) and ``govsite build`` keep caches of their own
    and share the entries keyed by content (each is the other's sibling). A scratch build
    (``govsite check`` rendering a stale site) keeps one of its own too, with ``govsite build``'s
    as its sibling: with one file for both, each would find the other's fingerprint and start the
    cache over, and the next ``govsite build`` would render everything again."""
    if not use:
        return NULL_CACHE
    options = dict(options or {})

    def name_and_fingerprint(options, suffix=""):
        suffix = suffix or (".preview" if options.get("preview") else "")
        return key + suffix, hash_parts(code_fingerprint(), sorted(options.items()))

    if scratch:
        name, fingerprint = name_and_fingerprint(options, ".check")
        sibling = name_and_fingerprint({**options, "check": True})
    else:
        name, fingerprint = name_and_fingerprint(options)
        sibling = name_and_fingerprint({**options, "preview": not options.get("preview")})
    cache = BuildCache(project, name, fingerprint, sibling=sibling)
    return cache if cache.file.enabled else NULL_CACHE


# a forked process starts with nothing staged: what it inherited is its parent's to save
_LIVE: weakref.WeakSet = weakref.WeakSet()


def _after_fork() -> None:
    for cache in list(_LIVE):
        cache._forked()


os.register_at_fork(after_in_child=_after_fork)
