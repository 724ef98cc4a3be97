"""The build cache's typed tables: one object per kind of entry, with its own key function.

Each table makes its keys (``key(...)``, from what the entry is made of), and gives and takes
entries as dataclasses (:class:`BodyEntry`, :class:`OutputEntry` …), stored as plain tuples
(they unpickle fastest). A table whose key needs a state besides the name (an output file's
template context) keys by a :class:`StateKey` and gives an entry only when its state is the
key's. An entry that cannot be read — damaged, or of another shape — is a miss.

The null cache's tables (:class:`NullTable`) have the same methods: no key, never a hit,
nothing kept, ``memo`` computes. Tables count their own hits (what the build reports per kind).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govsite.cache.digest import digest, file_stamp, hash_parts
from govsite.core.writer import FileSeen, PartsRecord, known_digest


@dataclass(slots=True)
class StateKey:
    """An entry's key, and the digest of everything else it is made of (checked on reading)."""

    key: bytes
    state: bytes


@dataclass(slots=True)
class SourceKey:
    """A parsed source file's key, and its path (the entry is kept without it)."""

    key: bytes
    path: Path


class _Entry:
    """Entries are stored as the tuple of their fields."""

    __slots__ = ()

    def pack(self) -> tuple:
        names: tuple[str, ...] = self.__slots__
        return tuple(getattr(self, name) for name in names)


@dataclass(slots=True)
class BodyEntry(_Entry):
    """The small part of a rendered page body: what it looked up (link targets and their state
    then), the digests of its HTML and text (``content_key``) and of the text the search index
    reads (``search_key``), its summary, first image, findings and outbound links."""

    looked_up: list
    content_key: bytes | None   # (None only in the null cache, which keeps nothing)
    search_key: bytes | None
    summary: str
    first_image: str
    issues: list
    outbound: list


@dataclass(slots=True)
class MarkdownEntry(_Entry):
    """A page body's HTML (``render.markup.Rendered``) and plain text."""

    rendered: object
    text: str


@dataclass(slots=True)
class OutputEntry(_Entry):
    """An output file rendered through a template: its state, what the template read
    (:meth:`govsite.cache.reads.Dependencies.recorded`) and the file's identity as written."""

    state: bytes
    reads: list
    identity: tuple


@dataclass(slots=True)
class PageRecord(_Entry):
    """Everything a content page's render gave, and what it was made of, so that the next build
    can take the page whole when none of that changed — without the template context, the body's,
    the export's or the output file's keys (:meth:`govsite.render.pages.SiteRenderer.render_page`).

    ``state``: the renderer's settings and what the page's render takes from outside the objects
    (language switch, preview note). ``entities``: ``(entity key, state digest)`` of every page,
    column and asset the render read from, with the columns above them
    (:meth:`govsite.cache.reads.Dependencies.states`). ``site_reads``: what templates read from the
    site objects, as :meth:`~govsite.cache.reads.Dependencies.recorded` keeps reads.
    ``looked_up``: the body's link targets and their state then. ``identity``: the output file.
    ``problems``, ``outbound``, ``body`` (the body entry's key, content and search keys, summary,
    first image, findings), ``export`` (the export items' key): what the render gave; ``output``:
    the key of the output file's entry (kept through pruning with the body's and the export's)."""

    state: bytes
    entities: list
    site_reads: list
    looked_up: list
    identity: tuple
    problems: list
    outbound: list
    body: tuple
    export: bytes | None
    output: bytes


@dataclass(slots=True)
class FileRecord(_Entry):
    """A column's list page as its last render left it: what it was made of, as a
    :class:`PageRecord` says it, the file's identity and its output entry's key."""

    state: bytes
    entities: list
    site_reads: list
    identity: tuple
    output: bytes


@dataclass(slots=True)
class FilesEntry(_Entry):
    """Files made from plain data (sitemap, feeds): their state and ``(path, identity)`` each."""

    state: bytes
    files: list


@dataclass(slots=True)
class DocEntry(_Entry):
    """A search document fragment (``search/doc/<n>.js``): its state and identity as written."""

    state: bytes
    identity: tuple


@dataclass(slots=True)
class SearchRecord(_Entry):
    """The site-wide search files of the last build: the inputs they were made of, each file with
    its identity, their statistics, and the runs of postings the index was joined from."""

    inputs: bytes | None
    files: list
    stats: dict
    runs: tuple | None


@dataclass(slots=True)
class JoinedEntry(_Entry):
    """The last joined search index (``FullTextIndex.joined()``: its columns) and its runs."""

    runs: tuple | None
    columns: tuple


class _Kept:
    """Entries of one kind, kept in one SQLite table of the :class:`~govsite.cache.store.CacheFile`."""

    entry: type | None = None   # an _Entry dataclass, stored as its tuple; None: stored as it is

    def __init__(self, file, table: str, hit=None):
        self._file = file
        self._table = table
        self._hit = hit

    def _read(self, key: bytes):
        value = self._file.get(self._table, key)
        if value is None or self.entry is None:
            return value
        try:
            return self.entry(*value)
        except Exception:  # noqa: BLE001 - of another shape: a damaged entry is a miss
            return None

    def _write(self, key: bytes, value) -> None:
        self._file.put(self._table, key, value.pack() if self.entry is not None else value)

    def keep(self, key: bytes) -> None:
        """Keep an entry through pruning without reading it (a later build wants it)."""
        self._file.use(self._table, key)


class Table(_Kept):
    """Entries keyed by bytes (made by the table's ``key`` function)."""

    def get(self, key: bytes | None):
        return self._read(key) if key is not None else None

    def put(self, key: bytes | None, value) -> None:
        if key is not None:
            self._write(key, value)

    def memo(self, key: bytes | None, compute):
        """The entry under ``key``, or ``compute()`` — kept under it for next time."""
        value = self.get(key)
        if value is None:
            value = compute()
            self.put(key, value)
        return value


class _StateTable(_Kept):
    """Entries keyed by a :class:`StateKey`, valid only for the key's state."""

    def get(self, key: StateKey | None):
        if key is None:
            return None
        entry = self._read(key.key)
        return entry if entry is not None and entry.state == key.state else None

    def put(self, key: StateKey | None, value) -> None:
        if key is not None:
            self._write(key.key, value)


# -- load ----------------------------------------------------------------------------------------
class SourcePages(_Kept):
    """Parsed content pages, by source file content (:class:`FileStamps`). A page is kept
    without its ``file``, which its key names already: unpickling a ``Path`` costs more than the
    rest of the page (0.05 s of every build at 5,000 pages), and the walk has just made one.
    Kept with it, the digest of its body (:meth:`body_key`), made once per source."""

    def __init__(self, file, table: str, hit, stamps: FileStamps):
        super().__init__(file, table, hit)
        self._stamps = stamps
        self._bodies: dict = {}   # path → (digest of the body, the body parsed), this build's
        self._new: set = set()    # the paths of the pages parsed anew (put) in this build

    def key(self, path: Path, rel: str) -> SourceKey | None:
        """None for a file changed too recently to trust (:func:`~govsite.cache.digest.file_stamp`)."""
        st = self._stamps.of(path)
        return SourceKey(b"pg" + hash_parts(path, rel, *st), path) if st is not None else None

    def get(self, key: SourceKey | None):
        if key is None:
            return None
        value = self._read(key.key)
        try:
            page, body = value
        except (TypeError, ValueError):   # missing, or of another shape
            return None
        self._hit("sources")
        page.file = key.path
        self._bodies[key.path] = (body, page.body)
        return page

    def parsed(self) -> set:
        """The files this build parsed anew (not taken from the cache): what changed, mostly."""
        return set(self._new)

    def put(self, key: SourceKey | None, page) -> None:
        self._new.add(page.file)   # (also a file too new to key: the one just edited, mostly)
        if key is not None:
            body = hash_parts(page.body)
            self._bodies[key.path] = (body, page.body)
            page.file = None
            try:
                self._write(key.key, (page, body))
            finally:
                page.file = key.path

    def body_key(self, page) -> bytes:
        """``hash_parts(page.body)``, the digest a page's body stands for in its state
        (:func:`govsite.cache.reads.entity_state`): kept with the parsed page, so a build hashes
        only the bodies it parses — while the page still holds the very string parsed (a quick
        patch puts in another)."""
        known = self._bodies.get(page.file)
        return known[0] if known is not None and known[1] is page.body else hash_parts(page.body)


class Ranks(Table):
    """Related pages (相关文章) of every page by rank, from every page's keywords in rank order."""

    @staticmethod
    def key(keywords: tuple) -> bytes:
        return b"rr" + digest(keywords)


# -- render --------------------------------------------------------------------------------------
class Bodies(Table):
    """The small entries of rendered page bodies (:class:`BodyEntry`); their HTML and text are in
    :class:`Markdown` under the same key, read only when a file is really made from them."""

    entry = BodyEntry

    def __init__(self, file, table: str, hit, markdown_table: str):
        super().__init__(file, table, hit)
        self._markdown = markdown_table

    @staticmethod
    def key(settings: bytes, src: str, url: str, body_line: int, body: str, origin) -> bytes:
        return b"md" + hash_parts(settings, src, url, body_line, body, origin)

    @staticmethod
    def digests(html: str, text: str, indexed: str) -> tuple[bytes, bytes]:
        """``(content_key, search_key)``: what a body's HTML and text, and the part of the text
        the search index reads, stand for in keys and digests."""
        return hash_parts(html, text), hash_parts(indexed)

    def get(self, key: bytes | None, valid=None) -> BodyEntry | None:
        """The entry, if ``valid(entry)`` (its link targets are as they were): a hit, and its
        HTML is kept for later builds whether it is read or not."""
        if key is None:
            return None
        entry = self._read(key)
        if entry is None or (valid is not None and not valid(entry)):
            return None
        self._hit("markdown")
        self._file.use(self._markdown, key)
        return entry


class Markdown(Table):
    """The HTML and text of rendered page bodies (:class:`MarkdownEntry`), keyed like their
    small entries in :class:`Bodies`."""

    entry = MarkdownEntry

    key = staticmethod(Bodies.key)


class OutputFiles(_StateTable):
    """Output files rendered through templates (:class:`OutputEntry`), by path."""

    entry = OutputEntry

    @staticmethod
    def key(fingerprint: bytes, template: str, path: str, absolute_links: bool, context: dict,
            alternates) -> StateKey:
        """``context``: the template context (pages in it stand for their keys, and
        :class:`~govsite.cache.digest.Deferred` values for theirs)."""
        return StateKey(fingerprint + path.encode("utf-8", "surrogatepass"),
                        hash_parts(fingerprint, template, path, absolute_links, digest(context), digest(alternates)))

    def reads(self, key: StateKey | None) -> dict | None:
        """Where a render of the file records its reads (None: nothing to record them for)."""
        return {} if key is not None else None

    def record(self, key: StateKey | None, reads: dict | None, dependencies, out, path: str) -> OutputEntry | None:
        """The file as rendered just now into ``out``, with what it read (the entry kept)."""
        if key is None or reads is None:
            return None
        entry = OutputEntry(key.state, dependencies.recorded(reads), out.identity(path))
        self.put(key, entry)
        return entry


class PageRecords(_StateTable):
    """Content pages as their last render left them (:class:`PageRecord`), by source path."""

    entry = PageRecord
    enabled = True

    @staticmethod
    def key(fingerprint: bytes, src: str, state: bytes) -> StateKey:
        return StateKey(fingerprint + b"page\x00" + src.encode("utf-8", "surrogatepass"), state)


class FileRecords(_StateTable):
    """Columns' list pages as their last render left them (:class:`FileRecord`), by output path."""

    entry = FileRecord

    @staticmethod
    def key(fingerprint: bytes, path: str, state: bytes) -> StateKey:
        return StateKey(fingerprint + b"list\x00" + path.encode("utf-8", "surrogatepass"), state)


class MadeFiles(_StateTable):
    """Files made from plain data alone (sitemap, feeds: :class:`FilesEntry`), by name."""

    entry = FilesEntry

    @staticmethod
    def key(fingerprint: bytes, name: str, inputs) -> StateKey:
        return StateKey(fingerprint + b"files\x00" + name.encode("utf-8", "surrogatepass"),
                        hash_parts(fingerprint, name, digest(inputs)))

    def record(self, key: StateKey | None, out, paths) -> None:
        if key is not None:
            self.put(key, FilesEntry(key.state, [(path, out.identity(path)) for path in paths]))


class DocFragments(_StateTable):
    """Search document fragments (:class:`DocEntry`), by output path."""

    entry = DocEntry

    @staticmethod
    def key(path: str, record: dict, search_key: bytes | None) -> StateKey | None:
        """None for a body without a search key (rendered without a cache)."""
        if search_key is None:
            return None
        return StateKey(b"doc\x00" + path.encode("utf-8"), hash_parts(digest(record), search_key))

    def record(self, key: StateKey | None, out, rel: str) -> None:
        if key is not None:
            self.put(key, DocEntry(key.state, out.identity(rel)))


class SearchFiles(Table):
    """The last build's site-wide search files (:class:`SearchRecord`), one per content tree."""

    entry = SearchRecord

    @staticmethod
    def key(fingerprint: bytes) -> bytes:
        return fingerprint + b"\x00search"


@dataclass(slots=True)
class ConvertedEntry(_Entry):
    """A page converted to another script (繁体 version): the state it was made in (the settings
    and the simplified page's bytes) and the converted file's identity as written."""

    state: bytes
    identity: tuple


class Converted(_StateTable):
    """Converted pages (:class:`ConvertedEntry`), by output path."""

    entry = ConvertedEntry
    enabled = True

    @staticmethod
    def key(setting: bytes, rel: str, source: tuple) -> StateKey:
        """``source``: the simplified page's identity (size, digest)."""
        return StateKey(b"tc\x00" + rel.encode("utf-8", "surrogatepass"), hash_parts(setting, *source))

    def record(self, key: StateKey | None, out, rel: str) -> None:
        if key is not None:
            self.put(key, ConvertedEntry(key.state, out.identity(rel)))


class SeenFiles(Table):
    """Output files as the last committed build left them (:class:`~govsite.core.writer.FileSeen`:
    stat and content digest), by output path: the output folder (:class:`~govsite.core.writer.OutputDir`)
    asks here to know a file without reading it, and records the files it had to read."""

    PREFIX = b"seen\x00"

    def __init__(self, file, table: str, hit=None):
        super().__init__(file, table, hit)
        file.fold(table, self.PREFIX)   # kept as one value: a restored cache changes every entry at once

    def key(self, rel) -> bytes:
        return self.PREFIX + os.fsencode(rel)

    def get(self, rel: str) -> FileSeen | None:   # type: ignore[override]
        value = Table.get(self, self.key(rel))
        try:
            return FileSeen(*value) if value is not None else None
        except TypeError:   # of another shape: a damaged entry is a miss
            return None

    def put(self, rel: str, value: FileSeen) -> None:   # type: ignore[override]
        Table.put(self, self.key(rel), (value.size, value.mtime_ns, value.inode, value.digest))


class FileStamps(SeenFiles):
    """What a source file is, ``(size, digest of its bytes)``, known by its stat while that is as
    last seen (:class:`~govsite.core.writer.FileSeen`, by path) and read only when it is not.

    Entries about files are keyed by this, not by inode and mtime: a CI runner that restores the
    cache and checks the sources out anew has the same files with new inodes and mtimes, and
    parses, checks and scans nothing again for it (each file is read once, to know it)."""

    PREFIX = b"sd\x00"

    def __init__(self, file, table: str, hit=None):
        super().__init__(file, table, hit)
        self._of: dict = {}   # path → what of() said, for this build (load and the source checks both ask)

    def of(self, path) -> tuple | None:
        """None for a file missing or changed too recently to trust (:func:`~govsite.cache.digest.file_stamp`).
        Asked once per file and build: the source checks see the file the load read."""
        known = self._of.get(path, self)
        if known is not self:
            return known
        st = file_stamp(path)
        if st is None:
            known = None
        else:
            try:
                known = st.st_size, known_digest(self, path, path, st)
            except OSError:
                known = None
        self._of[path] = known
        return known


class ExportFiles(Table):
    """The export files, as written in keyed parts (:class:`~govsite.core.writer.PartsRecord`)."""

    @staticmethod
    def key(fingerprint: bytes, rel: str) -> bytes:
        return fingerprint + b"\x00export\x00" + rel.encode("utf-8")

    def get(self, key: bytes | None) -> PartsRecord | None:
        value = Table.get(self, key)
        try:
            return PartsRecord(*value) if value is not None else None
        except TypeError:   # of another shape: a damaged entry is a miss
            return None

    def put(self, key: bytes | None, value: PartsRecord) -> None:
        Table.put(self, key, (value.identity, value.parts))


# -- search --------------------------------------------------------------------------------------
class Postings(Table):
    """The postings of runs of consecutive documents, and their count."""

    @staticmethod
    def key(avgdl: float, docs) -> bytes:
        """A run's key: what its postings are made of — the average length and, per document,
        ``(doc id, heading, search key)`` (a digest of the text the index reads)."""
        return b"ix" + hash_parts(avgdl, *(part for doc, heading, text_key in docs
                                         for part in (f"{doc}\x01{heading}", text_key)))

    def count(self, key: bytes | None) -> int | None:
        """How many postings the run has, if they are in the cache (a hit: they are kept)."""
        if key is None:
            return None
        count = self._file.get(self._table, key + b"n")
        if count is not None:
            self._hit("search")
            self._file.use(self._table, key)
        return count

    def put(self, key: bytes | None, segments, count: int = 0) -> None:
        if key is not None:
            self._file.put(self._table, key, segments)
            self._file.put(self._table, key + b"n", count)


JOINED = b"\x00joined"


class JoinedIndex(Table):
    """The last joined search index (:class:`JoinedEntry`), one per content tree: ~10 MB at
    5,000 pages, so it is replaced rather than left for pruning to find."""

    entry = JoinedEntry

    @staticmethod
    def key(fingerprint: bytes) -> bytes:
        return fingerprint + JOINED

    def record(self, key: bytes | None, runs: tuple | None, index) -> None:
        """Keep ``index`` (a ``FullTextIndex``), joined from ``runs``."""
        if key is not None:
            self.put(key, JoinedEntry(runs, index.joined()))


class Suggest(Table):
    """The suggest index (terms and ``suggest.js``), by everything it is made of."""

    @staticmethod
    def key(made_of) -> bytes:
        return b"sg" + digest(made_of)


PINYIN_TABLE = b"pinyin-table"
T2S_TABLE = b"t2s-table"


class Pinyin(Table):
    """``pinyin.js`` by the characters it covers; and the whole-block character tables, made once:
    the pinyin of every CJK character (a new character in an edit does not import pypinyin) and
    the traditional → simplified table the index reads text through."""

    @staticmethod
    def key(chars) -> bytes:
        return b"py" + hash_parts("".join(chars))

    def whole_table(self, compute):
        """The table of every character, from the cache or ``compute()``d and kept."""
        return self.memo(PINYIN_TABLE, compute)

    def keep_whole_table(self) -> None:
        self.keep(PINYIN_TABLE)

    def t2s_table(self, compute, known=None):
        """OpenCC's traditional → simplified table of the CJK block (the search index's): ``known``
        (the process has it: kept through pruning), from the cache, or ``compute()``d and kept."""
        if known is not None:
            self.keep(T2S_TABLE)
            return known
        return self.memo(T2S_TABLE, compute)


# -- check ---------------------------------------------------------------------------------------
class TextFindings(Table):
    """Findings of the text rules in a source file, by the file's content (:class:`FileStamps`)
    and the settings."""

    def __init__(self, file, table: str, hit, stamps: FileStamps):
        super().__init__(file, table, hit)
        self._stamps = stamps

    def key(self, setting: bytes, path: Path, url: str) -> bytes | None:
        st = self._stamps.of(path)
        return b"tx" + hash_parts(setting, path, url, *st) if st is not None else None

    def get(self, key: bytes | None):
        found = Table.get(self, key)
        if found is not None:
            self._hit("checks")
        return found


class Scans(Table):
    """An output file's scan, by the file's content (as the output folder knows it: the
    :class:`SeenFiles` of its path) and the settings."""

    def __init__(self, file, table: str, hit, seen: SeenFiles):
        super().__init__(file, table, hit)
        self._seen = seen

    def key(self, setting: bytes, root, rel: str) -> bytes | None:
        path = os.path.join(root, rel)
        try:
            st = os.stat(path)
        except OSError:
            return None
        try:
            content = known_digest(self._seen, rel, path, st)
        except OSError:
            return None
        return b"sc" + hash_parts(setting, rel, st.st_size, content)

    def get(self, key: bytes | None):
        found = Table.get(self, key)
        if found is not None:
            self._hit("checks")
        return found


# -- export --------------------------------------------------------------------------------------
class ExportItems(_Kept):
    """A page's two export items (JSON Feed item, RSS ``<item>``), by what they are made of."""

    PARTS = (b"j", b"r")

    def __init__(self, file, table: str, hit):
        super().__init__(file, table, hit)
        self._known: set | None = None   # the keys in the file, read once per process

    @staticmethod
    def key(fingerprint: bytes, content_key: bytes, made_of) -> bytes:
        return b"ex" + hash_parts(fingerprint, content_key, digest(made_of))

    def has(self, key: bytes) -> bool:
        """Both items are in the cache (a hit: they are kept); they are read when joined."""
        if self._known is None:
            self._known = self._file.keys(self._table)
        parts = [key + part for part in self.PARTS]
        if not all(part in self._known for part in parts):
            return False
        for part in parts:
            self._file.use(self._table, part)
        self._hit("exports")
        return True

    def put(self, key: bytes | None, items: tuple[bytes, bytes]) -> None:
        if key is None:
            return
        for part, data in zip(self.PARTS, items, strict=True):
            self._file.put(self._table, key + part, data)

    def get_many(self, keys: list, part: int) -> dict:
        """``{key: item}`` of those of ``keys`` whose item ``part`` (0: JSON, 1: RSS) is readable."""
        suffix = self.PARTS[part]
        found = self._file.get_many(self._table, [key + suffix for key in keys])
        return {key[:-1]: data for key, data in found.items()}


class NullTable:
    """Every table of the null cache: no key, never an entry, nothing kept."""

    enabled = False

    def key(self, *parts, **named) -> Any:
        return None

    def get(self, key, valid=None) -> Any:
        return None

    def put(self, key, *value) -> None:
        pass

    def memo(self, key, compute):
        return compute()

    def digests(self, *texts) -> tuple[None, None]:
        return None, None

    def reads(self, key) -> None:
        return None

    def record(self, key, *made) -> None:
        return None

    def body_key(self, page) -> bytes:
        return hash_parts(page.body)

    def parsed(self) -> set:
        return set()

    def count(self, key) -> None:
        return None

    def has(self, key) -> bool:
        return False

    def get_many(self, keys, part) -> dict:
        return {}

    def keep(self, key) -> None:
        pass

    def whole_table(self, compute) -> None:
        return None

    def t2s_table(self, compute, known=None):
        return known if known is not None else compute()

    def keep_whole_table(self) -> None:
        pass
