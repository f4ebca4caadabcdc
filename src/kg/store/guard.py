"""What a SPARQL text must pass before pyoxigraph sees it.

pyoxigraph (0.5.13, the newest release) parses and plans a query by recursion:
each level of nesting and each element of a chain (``1+1+…``, ``?a ?b ?c .``
repeated, ``OPTIONAL {…}`` after ``OPTIONAL {…}``) takes a stack frame. A few
kilobytes of text overflow an 8 MB thread stack, and a stack overflow kills the
whole process, not the request. So every text is first read by a cheap lexer
here, which refuses what is nested too deep or chained too long, and the text
then runs on a thread whose stack holds everything the lexer lets through
(:func:`on_deep_stack`, :data:`QUERY_STACK`).

The same pass finds the remote endpoints a text would make the server call,
``SERVICE <…>`` and ``LOAD <…>``: only those in the policy's allow-list pass,
so an anonymous query cannot reach another host.

SPARQL lets ``\\u`` and ``\\U`` code point escapes stand for any character of the
text before it is parsed (Oxigraph honours them), so they are decoded first:
``\\u0053ERVICE`` is ``SERVICE`` here too.
"""

from __future__ import annotations

import contextlib
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from kg.errors import QueryError

__all__ = [
    "DEFAULT_POLICY",
    "QUERY_STACK",
    "DeepStackPool",
    "QueryPolicy",
    "QueryRefused",
    "RemoteCallRefused",
    "SparqlShape",
    "check_sparql",
    "explain_syntax_error",
    "is_update",
    "on_deep_stack",
    "update_separator",
]

# Measured on pyoxigraph 0.5.13: at the policy's limits the worst shapes (10,000
# BINDs, FILTERs, OPTIONALs or triple patterns; 128 nested groups) need well under
# a quarter of this. Untouched stack pages cost no memory.
QUERY_STACK = 512 * 1024 * 1024

T = TypeVar("T")


class QueryRefused(QueryError):
    """The text is nested too deep or chained too long to be parsed safely (HTTP 400)."""


class RemoteCallRefused(QueryError):
    """The text would call an endpoint that is not allowed (HTTP 400)."""


@dataclass(frozen=True)
class QueryPolicy:
    """Limits on a SPARQL text, and the remote endpoints it may call."""

    max_depth: int = 128  # brackets open at once: { ( [
    max_elements: int = 10_000  # operators, triple separators and clause keywords, outside data blocks
    max_unary_run: int = 16  # operators in a row with no operand between them: ! ! ! …
    remote_endpoints: frozenset[str] = frozenset()  # exact IRIs SERVICE and LOAD may name


DEFAULT_POLICY = QueryPolicy()


@dataclass(frozen=True)
class SparqlShape:
    """What the lexer learned about an accepted text."""

    remote_calls: tuple[str, ...]  # the endpoint IRIs of its SERVICE and LOAD, in order
    elements: int = 0
    depth: int = 0

    @property
    def shallow(self) -> bool:
        """Small enough for any thread's stack, an 8 MB main thread's included (measured: 1,500 of
        the worst elements pass there)."""
        return self.elements <= 200 and self.depth <= 32


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<variable>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<word>(?:[^\W\d][\w.-]*)?:(?:[\w:%\\-]|\.(?=[\w:%]))*|[^\W\d]\w*)
    | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    | (?P<blank>_:[\w.-]+)
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<operator>&&|\|\||!=|<=|>=|\^\^|[-+*/!=<>|^])
    | (?P<separator>[.;,])
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
# Keywords whose repetition makes pyoxigraph's planner recurse once more.
_CLAUSES = frozenset({"OPTIONAL", "MINUS", "UNION", "FILTER", "BIND", "GRAPH", "SERVICE", "SELECT", "EXISTS"})
# Keywords after which the next { … } holds plain data, which parses flat.
_DATA_OPENERS = frozenset({"DATA", "VALUES"})


def _decode_escapes(text: str) -> str:
    if "\\u" not in text and "\\U" not in text:
        return text

    def char(match: re.Match[str]) -> str:
        return chr(int(match.group(1) or match.group(2), 16))

    return _ESCAPE.sub(char, text)


def _significant(text: str) -> Iterator[tuple[str, str]]:
    """The tokens of ``text`` (its escapes decoded) as (kind, text), without spaces and comments."""
    for match in _TOKEN.finditer(_decode_escapes(text)):
        kind = match.lastgroup
        if kind is not None and kind not in ("space", "comment"):
            yield kind, match.group()


@lru_cache(maxsize=2048)
def _check_short(text: str, policy: QueryPolicy) -> SparqlShape:
    return _check(text, policy)


def check_sparql(text: str, policy: QueryPolicy) -> SparqlShape:
    """The shape of ``text``, or :class:`QueryRefused` / :class:`RemoteCallRefused`.

    >>> check_sparql("SELECT * WHERE { ?s ?p ?o }", QueryPolicy()).remote_calls
    ()
    >>> check_sparql("SELECT * WHERE " + "{" * 200 + "}" * 200, QueryPolicy())
    Traceback (most recent call last):
    ...
    kg.store.guard.QueryRefused: the query nests more than 128 brackets deep; kg refuses it before parsing
    """
    # Repeated texts (dashboards, named queries) are checked once; long ones are rare
    # and would pin memory in the cache.
    return _check_short(text, policy) if len(text) <= 16_384 else _check(text, policy)


def _check(text: str, policy: QueryPolicy) -> SparqlShape:
    depth = deepest = elements = unary_run = 0
    data_depth: int | None = None  # the depth at which the current data block opened
    expect_data = False
    remote_calls: list[str] = []
    remote_keyword: str | None = None  # SERVICE or LOAD, waiting for its endpoint
    for kind, token in _significant(text):
        if remote_keyword is not None and not (kind == "word" and token.upper() == "SILENT"):
            remote_calls.append(_endpoint(remote_keyword, kind, token, policy))
            remote_keyword = None
        if kind == "operator":
            unary_run += 1
            if unary_run > policy.max_unary_run:
                raise QueryRefused(
                    f"the query has more than {policy.max_unary_run} operators in a row; "
                    f"kg refuses it before parsing"
                )
        else:
            unary_run = 0
        in_data = data_depth is not None
        if kind == "open":
            depth += 1
            if depth > policy.max_depth:
                raise QueryRefused(
                    f"the query nests more than {policy.max_depth} brackets deep; kg refuses it before parsing"
                )
            deepest = max(deepest, depth)
            if expect_data and token == "{":
                data_depth, expect_data = depth, False
        elif kind == "close":
            if data_depth is not None and depth == data_depth:
                data_depth = None
            depth = max(depth - 1, 0)
        elif kind == "word":
            keyword = token.upper()
            if keyword in ("SERVICE", "LOAD"):
                remote_keyword = keyword
            if keyword in _DATA_OPENERS and not in_data:
                expect_data = True
            if keyword in _CLAUSES and not in_data:
                elements += 1
        if (kind in ("operator", "separator")) and not in_data:
            elements += 1
        if elements > policy.max_elements:
            raise QueryRefused(
                f"the query has more than {policy.max_elements} operators, triple patterns and clauses; "
                f"kg refuses it before parsing (long lists of values belong in a VALUES block)"
            )
    if remote_keyword is not None:
        remote_calls.append(_endpoint(remote_keyword, "end", "", policy))
    return SparqlShape(tuple(remote_calls), elements, deepest)


_PROLOGUE = frozenset({"PREFIX", "BASE", "VERSION"})


def update_separator(text: str) -> str:
    """What joins more operations after the update ``text``: ``;`` unless it already ends with
    one, or holds no operation yet (a prologue alone may not be followed by ``;``).

    >>> update_separator("INSERT DATA { <s> <p> 1 } # done")
    '\\n;\\n'
    >>> update_separator("INSERT DATA { <s> <p> 1 } ;")
    '\\n'
    >>> update_separator("PREFIX e: <http://e/> BASE <http://e/>")
    '\\n'
    """
    significant = list(_significant(text))
    if significant and significant[-1][1] == ";":
        return "\n"
    return "\n" if _first_operation(significant) is None else "\n;\n"


def _first_operation(significant: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The first token after the prologue (PREFIX name: <iri>, BASE <iri>, VERSION "…"), if any."""
    position = 0
    while position < len(significant):
        kind, token = significant[position]
        if kind != "word" or token.upper() not in _PROLOGUE:
            return kind, token
        position += 3 if token.upper() == "PREFIX" else 2
    return None


_UPDATE_OPENERS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


def is_update(text: str) -> bool:
    """Whether ``text`` opens, after its prologue, with an update operation.

    >>> is_update("PREFIX e: <http://e/> # add one\\nINSERT DATA { e:s e:p 1 }"), is_update("ASK {}")
    (True, False)
    """
    first = _first_operation(list(_significant(text)))
    return first is not None and first[0] == "word" and first[1].upper() in _UPDATE_OPENERS


_POSITION = re.compile(r"error at (\d+):(\d+)")
_PREFIXED_END = re.compile(r"([^\W\d][\w.-]*)?:[\w.%-]*$")


def explain_syntax_error(text: str, message: str, predeclared: Iterable[str] = ()) -> str:
    """pyoxigraph's message, made short where it lists every character it expected after an
    undeclared prefix.

    >>> explain_syntax_error("SELECT * { ?s ex:p ?o }", "error at 1:19: expected one of Prefix not found, …", ["cpv"])
    'undeclared prefix ex: at 1:19 (declare it with PREFIX ex: <…>; declared already: cpv)'
    """
    position = _POSITION.search(message)
    if "Prefix not found" not in message or position is None:
        return message
    line, column = int(position[1]), int(position[2])
    lines = text.split("\n")
    before = lines[line - 1][: column - 1] if line <= len(lines) else ""
    prefixed = _PREFIXED_END.search(before.rstrip())
    name = (prefixed[1] or "") if prefixed is not None else "?"
    known = ", ".join(predeclared)
    return f"undeclared prefix {name}: at {line}:{column} (declare it with PREFIX {name}: <…>" + (
        f"; declared already: {known})" if known else ")"
    )


def _endpoint(keyword: str, kind: str | None, token: str, policy: QueryPolicy) -> str:
    """The endpoint IRI after SERVICE or LOAD, if the policy allows it."""
    iri = token[1:-1] if kind == "iri" else None
    if iri is not None and iri in policy.remote_endpoints:
        return iri
    if not policy.remote_endpoints:
        raise RemoteCallRefused(
            f"{keyword} is off on this server: it calls no remote endpoint "
            f"(an administrator can allow named endpoints with KG_SERVICE_ALLOW)"
        )
    if iri is None:
        raise RemoteCallRefused(f"{keyword} must name its endpoint as a full IRI <…> from the allowed list")
    raise RemoteCallRefused(f"{keyword} <{iri}> is not an allowed endpoint on this server")


_STACK_SIZE = threading.Lock()  # threading.stack_size is process-wide: set and restored under this


def _start_deep(target: Callable[[], None], name: str) -> threading.Thread:
    with _STACK_SIZE:
        previous = threading.stack_size(QUERY_STACK)
        try:
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    return thread


def on_deep_stack(work: Callable[[], T]) -> T:
    """Run ``work`` on a new thread with a :data:`QUERY_STACK` stack and return what it returns.

    For callers on a thread whose stack they do not control (a CLI's main thread,
    a writer process): the lexer's limits are only safe on a stack this deep.
    """
    result: Future[T] = Future()

    def run() -> None:
        try:
            result.set_result(work())
        except BaseException as exc:  # handed to the caller's thread as is
            result.set_exception(exc)

    _start_deep(run, "kg-deep-stack")
    return result.result()


class DeepStackPool:
    """A fixed pool of ``threads`` threads with :data:`QUERY_STACK` stacks, for evaluating queries.

    Daemon threads: a runaway query cannot be stopped, and must not keep its process alive.
    """

    def __init__(self, threads: int, name: str) -> None:
        self._tasks: queue.SimpleQueue[tuple[Future[object], Callable[[], object]] | None] = (
            queue.SimpleQueue()
        )
        self._closed = False
        self._size = threads
        for number in range(threads):
            _start_deep(self._serve, f"{name}-{number}")

    def _serve(self) -> None:
        while (task := self._tasks.get()) is not None:
            future, work = task
            # Dropped before waiting for the next task: a thread would otherwise hold its last
            # answer (a large result's body) for as long as it idles.
            del task
            if future.set_running_or_notify_cancel():
                # The owner may have given up on the future meanwhile (abandoned it with an error).
                with contextlib.suppress(InvalidStateError):
                    try:
                        future.set_result(work())
                    except BaseException as exc:
                        future.set_exception(exc)
            del future, work

    def submit(self, work: Callable[[], T]) -> Future[T]:
        """Run ``work`` on the first free thread."""
        if self._closed:
            raise RuntimeError("the pool is shut down")
        future: Future[T] = Future()
        self._tasks.put((future, work))  # type: ignore[arg-type]  # Future is invariant; results are T
        return future

    def shutdown(self) -> None:
        """Cancel what has not started and let the threads end after their current task."""
        self._closed = True
        while True:
            try:
                task = self._tasks.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                task[0].cancel()
        for _ in range(self._size):
            self._tasks.put(None)
