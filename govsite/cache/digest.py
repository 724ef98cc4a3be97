"""Digests: what the build cache keys its entries by (缓存键).

A key is a 16-byte BLAKE2b digest of what an entry is made of: :func:`hash_parts` of strings,
bytes and numbers, :func:`digest` of any plain value (a pickle of it), the fingerprints of
govsite's code (:func:`code_fingerprint`) and of template folders (:func:`tree_fingerprint`),
and a file's identity (:func:`file_stamp`).

Pages, columns, assets and the site (the *entities*) stand in a digest for their key alone: what
a template reads *from* them is recorded apart (:mod:`govsite.cache.reads`), so a list of pages
digests as the list of their keys. Which classes are entities, and what their key is, the
content model says (:func:`register_entities`): the cache knows nothing of content.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import io
import os
import pickle
import threading
import time
from dataclasses import fields
from pathlib import Path
from types import MethodType

RACY_SECONDS = 2.0     # files changed this recently may change again within one mtime tick
_PACKAGE = Path(__file__).resolve().parents[1]   # the govsite package


def hash_parts(*parts) -> bytes:
    """A 16-byte digest of ``parts`` (bytes as they are, anything else as its ``str``)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.digest()


# the libraries whose work ends up in the output (HTML, sanitizing, search tables, dates, QR
# codes): an upgrade of one may change what it gives for the same input
OUTPUT_LIBRARIES = ("jinja2", "markupsafe", "markdown", "pyyaml", "nh3", "pypinyin", "lunr", "opencc",
                    "tzdata", "chinesecalendar", "segno", "numpy")


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


def file_stamp(path) -> os.stat_result | None:
    """``os.stat`` of a file, or None when it is missing or changed too recently to trust (its
    content may change again within one mtime tick, after a build read it)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if time.time() - st.st_mtime < RACY_SECONDS:
        return None
    return st



# -- entities: what stands for itself in a digest -----------------------------------------------
ENTITIES: tuple = ()   # the classes registered by the content model (page, column, asset, site)


def entity_key(obj) -> str:
    """The registered key of an entity (see :func:`register_entities`)."""
    raise TypeError(f"no entity classes registered: {type(obj).__name__}")


_REGISTERED: list = []   # functions told the entity classes and key function (reads.py binds them)


def register_entities(classes: tuple, key) -> None:
    """Make instances of ``classes`` stand for ``key(obj)`` in digests, and be what templates'
    reads are recorded from. Called once by :mod:`govsite.content.model`, which defines them:
    the cache package itself imports nothing from content."""
    global ENTITIES, entity_key
    ENTITIES, entity_key = tuple(classes), key
    # in place: a pickler already made holds this very dict
    _DigestPickler.dispatch_table.update({cls: _reduce_entity for cls in ENTITIES})
    for bind in _REGISTERED:
        bind(ENTITIES, key)


def on_entities(bind) -> None:
    """Call ``bind(classes, key)`` now if the entities are registered, and whenever they are: a
    module of this package that checks ``isinstance(obj, ENTITIES)`` on a hot path keeps its own
    global, with no lookup through this module on every call."""
    _REGISTERED.append(bind)
    if ENTITIES:
        bind(ENTITIES, entity_key)


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

    dispatch_table = {MethodType: _reduce_method, Deferred: _reduce_deferred}   # + the entities

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
