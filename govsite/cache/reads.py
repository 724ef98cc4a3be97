"""What a template read (模板读取记录): the dependencies of an output file, for the build cache.

While a file renders, every attribute a template reads from a page, column, asset or the site
(the entities, :func:`govsite.cache.digest.register_entities`) is recorded with the value it saw
(:class:`TrackingEnvironment`). The cache keeps them as :class:`Dependencies` digests; next build
the file is skipped only if reading the same attributes again gives the same digests. Whatever a
template reads is what is checked, so new template fields need no registration anywhere.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import types

import jinja2

from govsite.cache.digest import digest, hash_parts, on_entities

ENTITIES: tuple = ()   # bound by the content model's registration (digest.on_entities)


def entity_key(obj) -> str:  # pragma: no cover - replaced by the registered key function
    raise TypeError(f"no entity classes registered: {type(obj).__name__}")


def _bind(classes: tuple, key) -> None:
    global ENTITIES, entity_key
    ENTITIES, entity_key = classes, key


on_entities(_bind)


class _Missing:
    """What a template read of an attribute that does not exist gives (a value like any other)."""

    def __repr__(self) -> str:
        return "<missing>"


MISSING = _Missing()
FIELDS = "__fields__"    # a pseudo-attribute: all of an object's own fields


class TrackingEnvironment(jinja2.Environment):
    """A Jinja2 environment that records what templates read from the site's objects.

    Templates reach pages, columns, assets and the site through ``environment.getattr`` and
    ``environment.getitem`` (that is how Jinja2 compiles ``page.title`` and ``page['title']``);
    while ``reads`` is a dict, each ``(entity key, attribute) → value`` read is kept there. The
    build cache re-reads exactly these next time to decide whether a file must be rendered again,
    so new fields and content types need no registration anywhere. A template function that
    reads by itself (``url()``) says so with ``tracks_reads = True`` and records in ``reads``.
    """

    reads: dict | None = None

    def getattr(self, obj, attribute):
        value = super().getattr(obj, attribute)
        if self.reads is not None and isinstance(obj, ENTITIES) and not _own_method(value, obj):
            self.reads[(entity_key(obj), attribute)] = MISSING if isinstance(value, jinja2.Undefined) else value
        return value

    def getitem(self, obj, argument):
        value = super().getitem(obj, argument)
        if self.reads is not None and isinstance(obj, ENTITIES) and isinstance(argument, str):
            self.reads[(entity_key(obj), argument)] = MISSING if isinstance(value, jinja2.Undefined) else value
        return value


class TrackingContext(jinja2.runtime.Context):
    """Calls from templates into Python (``view_links(column)``, filters given a page …) may read
    any field of a page or column they are given: such a call counts as reading all of the
    object's own fields. ``url()`` records exactly what it reads, macros are template code
    (tracked as such), and a call of a page's or column's own method (``page.linked('x')``) is
    recorded with its arguments and result, and made again next time to compare."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja2's signature
        reads = __self.environment.reads  # type: ignore[attr-defined]  # a TrackingEnvironment
        if reads is None or isinstance(__obj, jinja2.runtime.Macro) or getattr(__obj, "tracks_reads", False):
            return super().call(__obj, *args, **kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, ENTITIES) and _own_method(__obj, owner):
            # page.linked('interprets'): the call and its result are the read (methods are pure)
            value = super().call(__obj, *args, **kwargs)
            named = tuple(sorted((k, v) for k, v in kwargs.items() if k not in ("_loop_vars", "_block_vars")))
            call = ("()", __obj.__name__, args, named)
            try:
                reads[(entity_key(owner), call)] = value
            except TypeError:  # arguments that cannot be a key: count all of the object's fields
                reads[(entity_key(owner), FIELDS)] = read_attribute(owner, FIELDS)
            return value
        for arg in (*args, *kwargs.values()):
            if isinstance(arg, ENTITIES):
                reads[(entity_key(arg), FIELDS)] = read_attribute(arg, FIELDS)
        return super().call(__obj, *args, **kwargs)


def _own_method(value, obj) -> bool:
    return isinstance(value, types.MethodType) and value.__self__ is obj


TrackingEnvironment.context_class = TrackingContext


def read_attribute(obj, attribute):
    """What a template gets for ``obj.attribute`` (a missing one is a value of its own)."""
    if attribute == FIELDS:
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    try:
        if isinstance(attribute, tuple):  # a method call: ("()", name, args, kwargs)
            _, name, args, kwargs = attribute
            return getattr(obj, name)(*args, **dict(kwargs))
        return getattr(obj, attribute)
    except Exception:  # noqa: BLE001 - what the template would not get either
        return MISSING


def _keyed(value):
    """A list of pages, columns or assets as their keys, marked as entities: what the digest's
    pickler makes of each by a call back into Python (~25,000 of them for the site's lists the
    home page, views and feeds read, and a page's related pages in its state), in one pass."""
    if type(value) is list and value and isinstance(value[0], ENTITIES):
        key = entity_key
        return (_ENTITY, *[(_ENTITY, key(v)) if isinstance(v, ENTITIES) else v for v in value])
    return value


_ENTITY = "\x00entity"      # marks a page, column or asset standing for its key in a state (no field holds it)
_SHAPES: dict = {}          # entity class → (its state's fields as one getter, where the body is: -1 none)
_PLAIN = frozenset((str, int, float, bool, type(None), bytes, dt.datetime, dt.date))


def entity_state(obj, body_key=None) -> bytes:
    """A digest of everything a page, column or asset holds now: each field (``file`` aside: the
    entity's key names it), other entities by their key. What any code can read from the object
    (properties and methods compute from these, and from the objects they name, which have states
    of their own). A page's body stands as its digest, ``hash_parts(body)``: ``body_key(page)``
    gives it from the parsed page's cache entry (:meth:`govsite.cache.tables.SourcePages.body_key`)
    instead of hashing ~5 KB a page again.

    Made for every page of a build that checks its page records (5,000 × ~40 fields), so the
    fields are read by one getter, a plain value (most of them) is passed over by its type alone,
    and entities in fields and in lists are turned into keys here rather than one by one by the
    digest's pickler."""
    kind = type(obj)
    shape = _SHAPES.get(kind)
    if shape is None:
        names = tuple(f.name for f in dataclasses.fields(obj) if f.name != "file")
        shape = _SHAPES[kind] = (operator.attrgetter(*names), names.index("body") + 1 if "body" in names else -1)
    getter, body_at = shape
    values = [kind.__name__, *getter(obj)]
    entities, key, plain = ENTITIES, entity_key, _PLAIN
    for i, value in enumerate(values):
        if type(value) in plain:
            continue
        if isinstance(value, entities):
            values[i] = (_ENTITY, key(value))
        elif type(value) is list:
            values[i] = _keyed(value)
    if body_at > 0 and type(values[body_at]) is str:
        values[body_at] = (_ENTITY, body_key(obj) if body_key is not None else hash_parts(values[body_at]))
    return digest(values)


class Dependencies:
    """The reads of one build's renders, as the cache keeps them (:meth:`recorded`) and checks
    them (:meth:`still_true`). One digest per object rather than per attribute: a page reads ~90
    values from ~15 objects, and checking them is most of a skipped file's cost; digests are
    remembered for the build (the same column's reads are checked for each of its pages).

    ``entities()``: every page, column, asset and site a recorded read may name (this tree's and
    the sites it includes), read once, when the first check needs them."""

    def __init__(self, entities, body_key=None):
        self._entities_of = entities
        self._entities: dict | None = None
        self._memo: dict = {}   # (entity key, attributes) → digest of their values, for this build
        self._states: dict = {}   # entity key → entity_state(), for this build
        self._body_key = body_key

    def recorded(self, reads: dict) -> list[tuple]:
        """``reads`` (a :attr:`TrackingEnvironment.reads`) as ``(entity key, attributes, digest)``
        per entity (plain tuples: ~15 per output file, pickled into its cache entry)."""
        groups: dict[str, tuple[list, list]] = {}
        for (ekey, attribute), value in reads.items():
            group = groups.get(ekey)
            if group is None:
                group = groups[ekey] = ([], [])
            group[0].append(attribute)
            group[1].append(value)
        memo = self._memo
        checked = []
        for ekey, (names, values) in groups.items():
            attributes = tuple(names)
            known = memo.get((ekey, attributes))
            if known is None:
                known = memo[(ekey, attributes)] = digest(tuple(_keyed(v) for v in values))
            checked.append((ekey, attributes, known))
        return checked

    def entity(self, ekey: str):
        """This tree's page, column, asset or site under ``ekey`` (None: gone, or another tree's)."""
        if self._entities is None:
            self._entities = {entity_key(o): o for o in self._entities_of()}
        return self._entities.get(ekey)

    def still_true(self, checked) -> bool:
        """Does every read recorded last time (:meth:`recorded`) give the same values now?"""
        memo = self._memo
        for ekey, attributes, seen in checked:
            now = memo.get((ekey, attributes))
            if now is None:
                obj = self.entity(ekey)
                if obj is None:
                    return False
                now = memo[(ekey, attributes)] = digest(tuple(_keyed(read_attribute(obj, a)) for a in attributes))
            if now != seen:
                return False
        return True

    def state(self, ekey: str) -> bytes | None:
        """:func:`entity_state` of the page, column or asset under ``ekey`` (None: not in this tree)."""
        states = self._states
        if ekey in states:
            return states[ekey]
        obj = self.entity(ekey)
        state = states[ekey] = None if obj is None else entity_state(obj, self._body_key)
        return state

    def states(self, ekeys) -> list[tuple[str, bytes | None]]:
        """``(entity key, state)`` of each of ``ekeys``, as a page record keeps them."""
        state = self.state
        return [(ekey, state(ekey)) for ekey in ekeys]

    def states_hold(self, recorded) -> bool:
        """Is every entity of ``recorded`` (:meth:`states`) in this tree, in the state it was?"""
        known = self._states.get
        for ekey, seen in recorded:
            now = known(ekey) or self.state(ekey)
            if now is None or now != seen:
                return False
        return True
