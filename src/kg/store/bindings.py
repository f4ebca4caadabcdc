"""Binding parameter values into named queries.

pyoxigraph's ``substitutions`` join the bound values after the WHERE clause is
evaluated, so a FILTER never sees them, and a query over the whole store runs
before the join narrows it. A ``VALUES`` block at the start of the WHERE
clause binds them where they belong. The terms are written by pyoxigraph,
which validates IRIs and escapes literals, so no text from a request is ever
pasted into the query.
"""

from __future__ import annotations

import re
from datetime import date

import pyoxigraph as ox

__all__ = ["bind_values", "parse_parameter"]

XSD = "http://www.w3.org/2001/XMLSchema#"
# The first WHERE that is not inside a comment line.
_WHERE = re.compile(r"^(?:[^#\n]*?)\bWHERE\s*\{", re.IGNORECASE | re.MULTILINE)


def bind_values(
    query: str, bindings: dict[str, ox.NamedNode | ox.Literal | list[ox.NamedNode | ox.Literal]]
) -> str:
    """The query with a ``VALUES`` block for ``bindings`` at the start of its WHERE clause.

    A list binds one row per item (all lists as long as each other); a single
    term binds every row.

    >>> print(bind_values("SELECT * WHERE { ?s ?p ?o }", {"o": ox.Literal('a"}b')}))
    SELECT * WHERE { VALUES (?o) { ("a\\"}b") } ?s ?p ?o }
    >>> print(bind_values("SELECT * WHERE { ?s ?p ?o }", {"s": [ox.NamedNode("http://e/a"), ox.NamedNode("http://e/b")]}))
    SELECT * WHERE { VALUES (?s) { (<http://e/a>) (<http://e/b>) } ?s ?p ?o }
    """
    if not bindings:
        return query
    match = _WHERE.search(query)
    if match is None:
        raise SyntaxError("a query with parameters needs a WHERE clause")
    brace = match.end() - 1
    lengths = {len(v) for v in bindings.values() if isinstance(v, list)}
    if len(lengths) > 1:
        raise ValueError("bound lists must be as long as each other")
    count = lengths.pop() if lengths else 1
    names = " ".join(f"?{ox.Variable(name).value}" for name in bindings)
    rows = " ".join(
        "(" + " ".join(str(v[row] if isinstance(v, list) else v) for v in bindings.values()) + ")"
        for row in range(count)
    )
    return f"{query[: brace + 1]} VALUES ({names}) {{ {rows} }}{query[brace + 1 :]}"


def parse_parameter(text: str) -> tuple[str, ox.NamedNode | ox.Literal]:
    """A ``name=value`` command-line parameter as a typed term.

    ``<...>`` is an IRI, an ISO date an ``xsd:date``, digits an ``xsd:integer``,
    anything else a plain string.

    >>> parse_parameter("organ=<https://w3id.org/cpv-kg/id/organ/x>")[1].value
    'https://w3id.org/cpv-kg/id/organ/x'
    >>> parse_parameter("year=2021")[1].datatype.value
    'http://www.w3.org/2001/XMLSchema#integer'
    """
    name, sep, value = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise ValueError(f"a parameter is NAME=VALUE, not {text!r}")
    if value.startswith("<") and value.endswith(">"):
        return name, ox.NamedNode(value[1:-1])
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        date.fromisoformat(value)
        return name, ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
    if re.fullmatch(r"-?\d+", value):
        return name, ox.Literal(value, datatype=ox.NamedNode(XSD + "integer"))
    return name, ox.Literal(value)
