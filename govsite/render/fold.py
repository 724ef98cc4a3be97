"""Interface strings (``_("…")``) put into the templates when they are compiled.

A page of the default theme calls ``_()`` about fifty times — the labels of the header, the
footer and the article tools — and each call from a template goes through Jinja's call machinery
and the build cache's read tracking (~3 µs): a twentieth of a page's render. A call with one
string and nothing else always gives the same text for an environment, whose strings are those of
one language (:class:`govsite.config.messages.Messages`), so :class:`FoldMessages` replaces it by
that text while the template is parsed; Jinja then escapes and joins it like any constant. Calls
with values (``_("本文由{site}发布", site=…)``) stay calls.

Compiled templates are kept — per process (``render.pages.CompiledTemplates``) and beside the
build cache (``.govsite-cache/jinja/``) — under keys that Jinja makes from the template's name and
source: :class:`KeyedByStrings` adds the strings folded in (:func:`strings_key`), so a language
version's templates are compiled, and kept, apart.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import jinja2
from jinja2.bccache import Bucket
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream

MESSAGES = "_"   # the global the templates call for interface strings


class FoldMessages(Extension):
    """``_("literal")`` → the environment's text for it, at parse time."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        messages = self.environment.globals.get(MESSAGES)
        if not callable(messages):
            yield from stream
            return
        window: list[Token] = []
        previous = None
        for token in stream:
            window.append(token)
            # the shape: name "_", "(", a string, ")" — not an attribute ``x._("…")``
            while window and not _could_start(window, previous):
                previous = window.pop(0)
                yield previous
            if len(window) == 4:
                name, _open, literal, _close = window
                previous = Token(name.lineno, "string", messages(literal.value))
                window.clear()
                yield previous
        yield from window


_SHAPE = (("name", MESSAGES), ("lparen", None), ("string", None), ("rparen", None))


def _could_start(window: list[Token], previous: Token | None) -> bool:
    """Are the tokens in ``window`` the beginning of a foldable call?"""
    if previous is not None and previous.type == "dot":
        return False
    for token, (kind, value) in zip(window, _SHAPE, strict=False):
        if token.type != kind or (value is not None and token.value != value):
            return False
    return True


def strings_key(messages) -> str:
    """What the folded strings of an environment are made of: its language and its strings."""
    strings = getattr(messages, "strings", {})
    blob = json.dumps([getattr(messages, "language", ""), sorted(strings.items())], ensure_ascii=False)
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=16).hexdigest()


class KeyedByStrings(jinja2.BytecodeCache):
    """A bytecode cache (``inner``) whose keys also name the interface strings folded into the
    compiled code (:class:`FoldMessages`)."""

    def __init__(self, inner: jinja2.BytecodeCache):
        self.inner = inner

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        key = self.inner.get_cache_key(name, filename) + strings_key(environment.globals.get(MESSAGES))
        bucket = Bucket(environment, key, self.inner.get_source_checksum(source))
        self.inner.load_bytecode(bucket)
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        self.inner.dump_bytecode(bucket)

    def load_bytecode(self, bucket: Bucket) -> None:
        self.inner.load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.inner.dump_bytecode(bucket)

    def clear(self) -> None:
        self.inner.clear()
