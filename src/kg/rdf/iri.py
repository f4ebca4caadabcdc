"""Minting data IRIs: readable, deterministic slugs under a configurable base.

The same key always gives the same IRI, so an entity keeps its IRI across
articles and re-ingests (design/MODEL.md, "Entities keep one IRI").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pyoxigraph import NamedNode

__all__ = ["key_of", "mint", "slug"]

_NON_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def slug(*parts: str) -> str:
    """An ASCII slug of Vietnamese text: no diacritics, "đ" as "d", words joined by "-".

    >>> slug("Quận ủy", "Đống Đa")
    'quan-uy-dong-da'
    >>> slug("000_4c83d0c81348116c")
    '000-4c83d0c81348116c'
    """
    text = " ".join(parts).replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-") or "x"


def mint(base: str, kind: str, *key: str) -> NamedNode:
    """The IRI of a ``kind`` of resource (``organ``, ``person``, ...) identified by ``key``.

    >>> mint("https://w3id.org/cpv-kg/id/", "organ", "party-committee", "Đống Đa").value
    'https://w3id.org/cpv-kg/id/organ/party-committee-dong-da'
    """
    if not base.endswith(("/", "#")):
        base += "/"
    return NamedNode(f"{base}{kind}/{slug(*key)}")


def key_of(iri: NamedNode) -> str:
    """The slug a minted IRI ends with, to build the keys of things that depend on it.

    >>> key_of(NamedNode("https://w3id.org/cpv-kg/id/organ/party-committee-dong-da"))
    'party-committee-dong-da'
    """
    return iri.value.rsplit("/", 1)[-1]
