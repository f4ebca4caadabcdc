"""The protocol's ``using-graph-uri`` and ``using-named-graph-uri`` for SPARQL Update.

pyoxigraph's ``Store.update`` takes no dataset, but the language has one: a
``USING``/``USING NAMED`` clause before each ``WHERE``. The protocol
parameters are therefore written into the update as those clauses, found by a
scan that skips strings, IRIs, comments and everything inside braces. The
IRIs are written by pyoxigraph (which validates them), never pasted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from kg.errors import QueryError

__all__ = ["with_dataset"]

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][\w\-.:]*")  # keywords, and prefixed names kept whole
_LONG_QUOTES = ('"""', "'''")


def _string_end(text: str, start: int) -> int:
    quote = text[start : start + 3] if text[start : start + 3] in _LONG_QUOTES else text[start]
    i = start + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            return i + len(quote)
        else:
            i += 1
    return len(text)


def _top_level_words(text: str) -> Iterator[tuple[int, int, str]]:
    """Start, end and upper-cased text of each word outside braces, strings, IRIs and comments."""
    depth, i = 0, 0
    while i < len(text):
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif char == "<" and (iri := _IRIREF.match(text, i)):
            i = iri.end()
        elif char in "'\"":
            i = _string_end(text, i)
        elif char in "{}":
            depth += 1 if char == "{" else -1
            i += 1
        elif depth == 0 and (word := _WORD.match(text, i)):
            yield i, word.end(), word.group().upper()
            i = word.end()
        else:
            i += 1


def with_dataset(update: str, graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """``update`` with USING clauses for ``graphs`` and USING NAMED for ``named_graphs``.

    >>> with_dataset("INSERT { ?s a <http://e/T> } WHERE { ?s ?p ?o }", ["http://e/g"], [])
    'INSERT { ?s a <http://e/T> } USING <http://e/g> WHERE { ?s ?p ?o }'
    """
    if not graphs and not named_graphs:
        return update
    try:
        clauses = " ".join(
            [f"USING {ox.NamedNode(g)}" for g in graphs]
            + [f"USING NAMED {ox.NamedNode(g)}" for g in named_graphs]
        )
    except ValueError as exc:
        raise QueryError(f"using-graph-uri and using-named-graph-uri take IRIs: {exc}") from exc
    words = list(_top_level_words(update))
    if any(word in ("USING", "WITH") for _, _, word in words):
        raise QueryError(
            "the update names its own dataset (USING or WITH): drop using-graph-uri/using-named-graph-uri"
        )
    out, last, previous_end, previous = [], 0, 0, ""
    for start, end, word in words:
        # DELETE WHERE has no room for USING: its pattern is also its template.
        shortcut = previous == "DELETE" and not update[previous_end:start].strip()
        if word == "WHERE" and not shortcut:
            out += [update[last:start], clauses, " "]
            last = start
        previous_end, previous = end, word
    return "".join([*out, update[last:]])
