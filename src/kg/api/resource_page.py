"""The HTML view of a resource: facts grouped by kind, with labels, links and provenance; a
timeline of roles and meetings; a picture of the neighbourhood drawn as server-side SVG."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

from kg.api.ontology_page import short_name, term_labels
from kg.vocabulary import GRAPH_BASE, PREFIXES

__all__ = ["Event", "Page", "local_page", "not_found", "render", "search_box"]

Row = dict[str, str | None]
RDF_TYPE = PREFIXES["rdf"] + "type"
CODE = "https://w3id.org/cpv-kg/code/"
_GROUPS = {  # predicate local name -> heading
    "type": "Kind",
    "label": "Names",
    "name": "Names",
    "placeName": "Names",
    "altLabel": "Names",
    "organType": "Kind",
    "unitLevel": "Kind",
    "documentType": "Kind",
    "jurisdiction": "Relations",
    "partOf": "Relations",
    "subOrganizationOf": "Relations",
    "congressOf": "Relations",
    "term": "Relations",
    "issuedBy": "Relations",
    "adoptedAt": "Relations",
    "implements": "Relations",
    "mentions": "Mentions",
}


@dataclass
class Event:
    """A holding or meeting the articles attest, with its provenance."""

    date: str
    kind: str
    text: str
    article: str | None
    evidence: str | None
    related: list[str] = field(default_factory=list)
    node: str | None = None  # the holding or meeting itself, which has its own page


@dataclass
class Page:
    iri: str
    title: str
    direct: list[Row]
    events: list[Event]
    incoming: list[Row]
    labels: dict[str, str]
    base: str
    cited_by: list[Row] = field(default_factory=list)  # meetings and articles that refer to it
    events_total: int = 0  # the holdings and meetings that name it; this page shows some of them
    events_offset: int = 0
    events_limit: int = 0

    @property
    def is_article(self) -> bool:
        return any(
            _local(str(r["predicate"])) == "type" and str(r["value"]).endswith("#Article")
            for r in self.direct
        )


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def local_page(iri: str, base: str) -> str:
    """This server's page of ``iri`` (``/id/...``) when it is under ``base``; the IRI otherwise."""
    return "/id/" + iri[len(base) :] if iri.startswith(base) else iri


def _predicate(iri: str) -> str:
    """A property by its labels from the ontology, its name as a hint; its IRI's end otherwise."""
    label = term_labels().get(iri)
    if label is None:
        return escape(_local(iri))
    return f"{escape(label)} <span class=code>{escape(_local(iri))}</span>"


def _value(value: str | None, page: Page) -> str:
    if value is None:
        return ""
    if value.startswith(("http://", "https://")):
        text = term_labels().get(value) or page.labels.get(value) or short_name(value)
        if value.startswith(CODE):
            return f"<span class=code>{escape(text)}</span>"
        return f'<a href="{escape(local_page(value, page.base))}">{escape(text)}</a>'
    return escape(value)


def _code_label(iri: str) -> str:
    """A code (a role, a meeting kind) by its labels in both languages, never its notation alone."""
    return term_labels().get(iri) or _local(iri)


def events_of(rows: list[Row]) -> list[Event]:
    """Group the rows of ``api/facts`` that come through a holding or a meeting."""
    by_node: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row["via"]:
            by_node[str(row["via"])].append(row)
    events = []
    for node_rows in by_node.values():
        values: dict[str, list[str]] = defaultdict(list)
        for row in node_rows:
            values[_local(str(row["predicate"]))].append(str(row["value"]))
        first = node_rows[0]
        meeting = any(v.endswith("#Meeting") for v in values.get("type", []))
        day = (values.get("date") or values.get("attestedOn") or [first["articleDate"] or ""])[0][:10]
        if meeting:
            kind = values.get("meetingKind", [f"{CODE}meeting-kind/other"])[0]
            related = values.get("organizer", []) + values.get("concerns", [])
            text = _code_label(kind)
        else:
            role = values.get("role", [f"{CODE}role/other"])[0]
            related = values.get("organization", []) + values.get("member", [])
            text = _code_label(role)
        kind = "meeting" if meeting else "holding"
        events.append(Event(day, kind, text, first["article"], first["evidence"], related, str(first["via"])))
    return sorted(events, key=lambda e: (e.date, e.text))


def _svg(page: Page) -> str:
    """The resource in the middle, its neighbours around it."""
    neighbours: list[tuple[str, str]] = []
    for row in page.direct:
        value = str(row["value"])
        if value.startswith(page.base) and _local(str(row["predicate"])) != "mentions":
            neighbours.append((value, _local(str(row["predicate"]))))
    for event in page.events:
        neighbours += [
            (iri, event.text) for iri in event.related if iri.startswith(page.base) and iri != page.iri
        ]
    for row in page.incoming:
        neighbours.append((str(row["subject"]), "← " + _local(str(row["predicate"]))))
    unique = list(dict.fromkeys(neighbours))[:14]
    size, radius = 520, 190
    cx = cy = size // 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" class=graph '
        f'role="img" aria-label="neighbourhood graph">'
    ]
    for n, (iri, edge) in enumerate(unique):
        angle = 2 * math.pi * n / max(len(unique), 1)
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        label = page.labels.get(iri, _local(iri))[:28]
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.0f}" y2="{y:.0f}" stroke="#bbb"/>')
        parts.append(
            f'<text x="{(cx + x) / 2:.0f}" y="{(cy + y) / 2:.0f}" font-size="10" fill="#888" '
            'pointer-events="none">'
            f"{escape(edge[:24])}</text>"
        )
        parts.append(
            f'<a href="{escape(local_page(iri, page.base))}"><circle cx="{x:.0f}" cy="{y:.0f}" r="6" '
            f'fill="#3a6ea5"/><text x="{x:.0f}" y="{y - 10:.0f}" font-size="11" text-anchor="middle">'
            f"{escape(label)}</text></a>"
        )
    parts.append(
        f'<circle cx="{cx}" cy="{cy}" r="10" fill="#7b1f1f"/><text x="{cx}" y="{cy - 16}" '
        f'font-size="13" font-weight="bold" text-anchor="middle">{escape(page.title[:40])}</text></svg>'
    )
    return "".join(parts)


def _article_of(row: Row) -> str | None:
    """The article a fact was read from; None for the shared graphs (entities, ontology) and for
    an article's facts about itself."""
    graph = row["graph"]
    if not graph or graph == row["iri"] or graph.startswith(GRAPH_BASE):
        return None
    return graph


def _facts_table(page: Page) -> str:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in page.direct:
        grouped[_GROUPS.get(_local(str(row["predicate"])), "Other facts")].append(row)
    # A resource all of whose facts come from one article (a meeting, a holding) names it once.
    sources = {_article_of(r) for r in page.direct} - {None}
    single = sources.pop() if len(sources) == 1 else None
    html = [f"<p>From the article {_value(single, page)}</p>"] if single else []
    for heading in ("Kind", "Names", "Relations", "Other facts", "Mentions"):
        rows = grouped.get(heading)
        if not rows:
            continue
        body = "".join(
            f"<tr><td>{_predicate(str(r['predicate']))}</td><td>{_value(r['value'], page)}</td>"
            f"<td class=src>{_value(_article_of(r), page) if not single else ''}</td></tr>"
            for r in rows
        )
        html.append(f"<h3>{heading}</h3><table>{body}</table>")
    return "".join(html)


def _timeline(page: Page) -> str:
    if not page.events:
        return ""
    if page.is_article:
        return _attested(page)
    items = "".join(
        f"<li><time>{escape(e.date)}</time> <b>{_event_link(e, page)}</b> "
        + " ".join(_value(iri, page) for iri in e.related if iri != page.iri)
        + (f" — {_value(e.article, page)}" if e.article else "")
        + (f"<blockquote>{escape(e.evidence)}</blockquote>" if e.evidence else "")
        + "</li>"
        for e in page.events
    )
    return f"<h2>Timeline</h2>{_pager(page)}<ol class=timeline>{items}</ol>{_pager(page)}"


def _pager(page: Page) -> str:
    """Where the timeline's page sits among all, with links to the pages before and after it."""
    if page.events_total <= page.events_limit:
        return ""
    last = min(page.events_offset + page.events_limit, page.events_total)
    links = [f"{page.events_offset + 1}–{last} of {page.events_total}"]
    if page.events_offset > 0:
        links.insert(0, f"<a href='?events={max(page.events_offset - page.events_limit, 0)}'>earlier</a>")
    if last < page.events_total:
        links.append(f"<a href='?events={last}'>later</a>")
    return f"<p class=pager>{' · '.join(links)}</p>"


def _event_link(event: Event, page: Page) -> str:
    if event.node is None or not event.node.startswith(page.base):
        return escape(event.text)
    return f'<a href="{escape(local_page(event.node, page.base))}">{escape(event.text)}</a>'


def _attested(page: Page) -> str:
    """An article's holdings and meetings: who held what where, and what met, each with its sentence."""
    sections = []
    for kind, heading in (("holding", "Positions held"), ("meeting", "Meetings")):
        items = "".join(
            "<li>"
            + (f"<time>{escape(e.date)}</time> " if kind == "meeting" else "")
            + f"<b>{_event_link(e, page)}</b> "
            + " · ".join(_value(iri, page) for iri in e.related if iri != page.iri)
            + (f"<blockquote>{escape(e.evidence)}</blockquote>" if e.evidence else "")
            + "</li>"
            for e in page.events
            if e.kind == kind
        )
        if items:
            sections.append(f"<h3>{heading}</h3><ul class=timeline>{items}</ul>")
    return "<h2>What this article attests</h2>" + "".join(sections)


def _cited_by(page: Page) -> str:
    """The meetings and articles that refer to the resource, each with the article it is in."""
    if not page.cited_by:
        return ""
    items = "".join(
        f"<li>{_value(str(r['subject']), page)} {_predicate(str(r['predicate']))}"
        + (
            f" <span class=src>in {_value(str(r['graph']), page)}</span>"
            if r["graph"] != r["subject"]
            else ""
        )
        + "</li>"
        for r in page.cited_by
    )
    return f"<h2>Cited by meetings and articles</h2><ul class=cited>{items}</ul>"


def render(page: Page) -> str:
    incoming = "".join(
        f"<li>{_value(str(r['subject']), page)} {_predicate(str(r['predicate']))}</li>" for r in page.incoming
    )
    return (
        f"<!doctype html><html lang=vi><meta charset=utf-8><title>{escape(page.title)}</title>"
        "<link rel=icon href='data:,'>"
        "<style>body{font:15px system-ui;margin:1.5em 2em;max-width:1100px}td{padding:2px 10px;vertical-align:top}"
        ".src,.code{color:#777;font-size:.9em}.timeline li{margin:.5em 0}blockquote{margin:.2em 0 .2em 1.5em;"
        "color:#444;font-style:italic}.graph{float:right;margin-left:1em;border:1px solid #eee}</style>"
        f"<p><a href='/'>kg</a> · <code>{escape(page.iri)}</code></p>{search_box()}<h1>{escape(page.title)}</h1>"
        f"{_svg(page)}<h2>Facts</h2>{_facts_table(page)}{_timeline(page)}"
        + (f"<h2>Referred to by</h2><ul>{incoming}</ul>" if incoming else "")
        + _cited_by(page)
        + "<p style='clear:both'>Also as <a href='?format=turtle'>Turtle</a>, <a href='?format=jsonld'>JSON-LD</a>, "
        "<a href='?format=nt'>N-Triples</a>.</p></html>"
    )


def not_found(iri: str) -> str:
    """The page of an IRI the graph knows nothing about."""
    return (
        f"<!doctype html><html lang=en><meta charset=utf-8><title>Not found</title>"
        "<style>body{font:15px system-ui;margin:1.5em 2em;max-width:1100px}</style>"
        f"<p><a href='/'>kg</a></p>{search_box()}<h1>Nothing is known about this IRI</h1><p><code>{escape(iri)}</code></p>"
        "<p>No article in this graph mentions it. Search from the <a href='/'>query page</a>, "
        "or browse the <a href='/api/v1/people'>people</a> and <a href='/api/v1/organs'>organs</a>.</p></html>"
    )


def search_box(q: str = "") -> str:
    """The search form every page shows (``/search``)."""
    return (
        "<form action='/search' method=get role=search class=kg-search>"
        f"<input type=search name=q value='{escape(q, quote=True)}' "
        "placeholder='name, place, title (accents optional)' aria-label=Search size=40> "
        "<button>Search</button></form>"
    )
