"""The REST facade at ``/api/v1/``: lists with filters and pages, details with provenance.

Every filter value is bound into a named query of ``queries/api/`` through
pyoxigraph substitutions; nothing from a request is pasted into SPARQL text.
Lists answer JSON, or JSON-LD (with an ``@context``) when asked for
``application/ld+json``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from operator import itemgetter
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, BeforeValidator
from starlette.concurrency import run_in_threadpool

from kg.api.deps import Engine, EngineDep, SettingsDep
from kg.api.detail import DETAIL_PAGE, MAX_DETAIL_PAGE, read_detail
from kg.api.labels import MAX_LABELS, labels_for
from kg.api.named import Binding, Row, Table, iri_binding, select, select_table, term_value
from kg.api.ontology_page import term_page
from kg.api.openapi import errors
from kg.api.resource_page import local_page
from kg.api.schemas import (
    ArticleItem,
    CongressItem,
    DocumentItem,
    Fact,
    Label,
    MeetingItem,
    OrganItem,
    Page,
    PersonItem,
    Resource,
)
from kg.config import Settings
from kg.errors import QueryError
from kg.text import collation_key, normalize, search_form

__all__ = ["router"]

router = APIRouter(
    prefix="/api/v1",
    tags=["REST"],
    responses={
        200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}},
        **errors(400, 404, 406, 503),
    },
)

XSD = "http://www.w3.org/2001/XMLSchema#"

Code = Annotated[str | None, Query(pattern=r"^[a-z][a-z-]{0,40}$", description="A code of the code list")]
Text = Annotated[str | None, Query(min_length=1, max_length=200, description="Text the name contains")]
Place = Annotated[str | None, Query(min_length=1, max_length=100, description="The place's bare name")]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


def _iso_day(value: object) -> object:
    """Only ``YYYY-MM-DD``: pydantic would also take a number as a day since 1970."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a day is written YYYY-MM-DD")
    return value


Day = Annotated[date | None, Query(description="ISO date (YYYY-MM-DD)"), BeforeValidator(_iso_day)]

CONTEXT = {
    "@vocab": "https://w3id.org/cpv-kg/ontology#",
    "iri": "@id",
    "label": "http://www.w3.org/2000/01/rdf-schema#label",
    "name": "http://xmlns.com/foaf/0.1/name",
    "title": "http://purl.org/dc/terms/title",
    "issued": "http://purl.org/dc/terms/issued",
    "identifier": "http://purl.org/dc/terms/identifier",
    "article": {"@id": "http://www.w3.org/ns/prov#wasDerivedFrom", "@type": "@id"},
    "page": {"@id": "http://xmlns.com/foaf/0.1/page", "@type": "@id"},
    "items": "@graph",
}


def _literal(value: str, datatype: str | None = None) -> Binding:
    return ("literal", value, datatype)


FilterValue = str | int | date | None


def _bindings(**values: FilterValue) -> dict[str, Binding]:
    """Request values as typed terms: text normalized like the graph, dates and integers typed."""
    out: dict[str, Binding] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, date):
            out[name] = _literal(value.isoformat(), XSD + "date")
        elif isinstance(value, int):
            out[name] = _literal(str(value), XSD + "integer")
        else:
            out[name] = _literal(normalize(str(value)))
    return out


def _id(iri: str, settings: Settings) -> str:
    return iri[len(settings.base_iri) :] if iri.startswith(settings.base_iri) else iri


def _page(
    request: Request,
    table: Table,
    sorts: dict[str, SortField],
    sort: str,
    limit: int,
    offset: int,
    item: Callable[[Row], BaseModel],
) -> JSONResponse:
    """Sort by ``sort`` (a field, "-" first for descending; missing values last) and cut a page.

    Only the sorted column is decoded for every row, and only the page's rows become items:
    a list may hold thousands.
    """
    column, value = sorts[sort.lstrip("-")]
    at = table.column(column)
    descending = sort.startswith("-")
    known = [(value(v), terms) for terms in table.rows if (v := term_value(terms[at])) is not None]
    known.sort(key=itemgetter(0), reverse=descending)
    missing = [terms for terms in table.rows if not terms[at]]
    ordered = [terms for _, terms in known]
    ordered = missing + ordered if descending else ordered + missing
    items = [item(table.row(terms)) for terms in ordered[offset : offset + limit]]
    return _respond(request, len(table.rows), limit, offset, items)


def _respond(
    request: Request, total: int, limit: int, offset: int, items: Sequence[BaseModel]
) -> JSONResponse:
    body: dict[str, Any] = {
        "total": total,
        "limit": limit,
        "offset": offset,
        "items": [item.model_dump(mode="json") for item in items],
    }
    if "application/ld+json" in request.headers.get("accept", ""):
        return JSONResponse({"@context": CONTEXT, **body}, media_type="application/ld+json")
    return JSONResponse(body)


# The columns a list's ``q`` looks in. It is matched here, in its search form, not in SPARQL,
# which has no accent folding: "dong da" finds "Đống Đa", as search does.
_TEXT_COLUMNS = {
    "api/organs": ("label",),
    "api/people": ("name",),
    "api/people_holding": ("name",),
    "api/congresses": ("label",),
    "api/documents": ("label", "subject"),
    "api/meetings": ("evidence",),
    "api/articles": ("title",),
}


async def _table(
    engine: Engine, settings: Settings, name: str, *, text: str | None = None, **values: FilterValue
) -> Table:
    table = await select_table(engine, settings, name, _bindings(**values))
    if text:
        wanted = search_form(text)
        columns = [table.column(c) for c in _TEXT_COLUMNS[name]]
        found = [
            row
            for row in table.rows
            if wanted in search_form(" ".join(term_value(row[c]) or "" for c in columns))
        ]
        return Table(table.columns, found)
    return table


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


# How each list sorts: by field, the column sorted on and its value as sorted.
SortField = tuple[str, Callable[[str], Any]]
# Names and labels sort in Vietnamese alphabetical order ("Đảng ủy" after "Dân vận", not after "Z").
ORGAN_SORTS: dict[str, SortField] = {"label": ("label", collation_key), "place": ("placeName", collation_key)}
CONGRESS_SORTS: dict[str, SortField] = {"ordinal": ("ordinal", int), "place": ("placeName", collation_key)}
DOCUMENT_SORTS: dict[str, SortField] = {"issued": ("issued", _day), "label": ("label", collation_key)}
MEETING_SORTS: dict[str, SortField] = {"date": ("date", date.fromisoformat)}
ARTICLE_SORTS: dict[str, SortField] = {"issued": ("issued", str)}


def _organ_item(r: Row, settings: Settings) -> OrganItem:
    return OrganItem(
        id=_id(str(r["iri"]), settings),
        iri=str(r["iri"]),
        label=str(r["label"]),
        organ_type=str(r["type"]),
        place=str(r["placeName"]),
    )


def _congress_item(r: Row, settings: Settings) -> CongressItem:
    return CongressItem(
        id=_id(str(r["iri"]), settings),
        iri=str(r["iri"]),
        label=str(r["label"]),
        place=str(r["placeName"]),
        ordinal=int(str(r["ordinal"])),
        term=f"{r['start']}-{r['end']}" if r["start"] else None,
    )


def _document_item(r: Row, settings: Settings) -> DocumentItem:
    return DocumentItem(
        id=_id(str(r["iri"]), settings),
        iri=str(r["iri"]),
        label=str(r["label"]),
        document_type=str(r["type"]),
        number=r["number"],
        symbol=r["symbol"],
        issuer_place=r["issuerPlace"],
        issued=_day(r["issued"]),
        subject=r["subject"],
    )


def _meeting_item(r: Row, settings: Settings) -> MeetingItem:
    return MeetingItem(
        id=_id(str(r["iri"]), settings),
        iri=str(r["iri"]),
        date=date.fromisoformat(str(r["date"])),
        kind=str(r["kind"]),
        organizer=str(r["organizerLabel"]),
        organizer_type=str(r["type"]),
        place=str(r["placeName"]),
        article=str(r["article"]),
        evidence=r["evidence"],
    )


def _article_item(r: Row, settings: Settings) -> ArticleItem:
    return ArticleItem(
        id=_id(str(r["iri"]), settings),
        iri=str(r["iri"]),
        identifier=str(r["identifier"]),
        title=str(r["title"]),
        issued=r["issued"],
    )


@router.get("/organs", response_model=Page[OrganItem], summary="Organs, by type, place and name")
async def organs(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    organ_type: Code = None,
    place: Place = None,
    q: Text = None,
    sort: Literal["label", "-label", "place", "-place"] = "label",
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    table = await _table(engine, settings, "api/organs", type=organ_type, placeName=place, text=q)
    return _page(request, table, ORGAN_SORTS, sort, limit, offset, lambda r: _organ_item(r, settings))


@router.get("/people", response_model=Page[PersonItem], summary="People, by role, organ type, place and name")
async def people(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    role: Code = None,
    organ_type: Code = None,
    place: Place = None,
    q: Text = None,
    sort: Literal["name", "-name"] = "name",
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    # Only the page's people have their roles looked up: joining every holding of every
    # person costs seconds once there are tens of thousands of them.
    if role is None and organ_type is None and place is None:
        table = await _table(engine, settings, "api/people", text=q)
    else:
        table = await _table(
            engine, settings, "api/people_holding", role=role, type=organ_type, placeName=place, text=q
        )
    at_iri, at_name = table.column("iri"), table.column("name")
    # Keyed by the IRI as written (an IRI term is "<" + IRI + ">"): only the page's are decoded.
    names = {terms[at_iri]: term_value(terms[at_name]) or "" for terms in table.rows}
    ordered = sorted(names, key=lambda term: collation_key(names[term]), reverse=sort.startswith("-"))
    page = ordered[offset : offset + limit]
    shown = {str(term_value(term)): names[term] for term in page}
    roles: dict[str, set[str]] = defaultdict(set)
    if shown:
        bindings: dict[str, Binding | list[Binding]] = {
            "iri": [iri_binding(iri) for iri in shown],
            **_bindings(role=role, type=organ_type, placeName=place),
        }
        for r in await run_in_threadpool(select, engine, settings, "api/person_roles", bindings):
            roles[str(r["iri"])].add(f"{r['role']}@{r['type']}@{r['placeName']}")
    items = [
        PersonItem(id=_id(iri, settings), iri=iri, name=name, roles=sorted(roles[iri]))
        for iri, name in shown.items()
    ]
    return _respond(request, len(names), limit, offset, items)


@router.get("/congresses", response_model=Page[CongressItem], summary="Congresses, by place and ordinal")
async def congresses(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    place: Place = None,
    ordinal: Annotated[int | None, Query(ge=1, le=100)] = None,
    q: Text = None,
    sort: Literal["ordinal", "-ordinal", "place", "-place"] = "place",
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    table = await _table(engine, settings, "api/congresses", placeName=place, ordinal=ordinal, text=q)
    return _page(request, table, CONGRESS_SORTS, sort, limit, offset, lambda r: _congress_item(r, settings))


@router.get(
    "/documents", response_model=Page[DocumentItem], summary="Documents, by type, issuer's place, date"
)
async def documents(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    document_type: Code = None,
    place: Place = None,
    q: Text = None,
    date_from: Day = None,
    date_to: Day = None,
    sort: Literal["issued", "-issued", "label", "-label"] = "label",
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    _check_range(date_from, date_to)
    table = await _table(
        engine,
        settings,
        "api/documents",
        type=document_type,
        placeName=place,
        text=q,
        **{"from": date_from, "to": date_to},
    )
    return _page(request, table, DOCUMENT_SORTS, sort, limit, offset, lambda r: _document_item(r, settings))


@router.get(
    "/meetings", response_model=Page[MeetingItem], summary="Meetings, by kind, organizer, place, date"
)
async def meetings(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    kind: Code = None,
    organ_type: Code = None,
    place: Place = None,
    q: Text = None,
    date_from: Day = None,
    date_to: Day = None,
    sort: Literal["date", "-date"] = "-date",
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    _check_range(date_from, date_to)
    table = await _table(
        engine,
        settings,
        "api/meetings",
        kind=kind,
        type=organ_type,
        placeName=place,
        text=q,
        **{"from": date_from, "to": date_to},
    )
    return _page(request, table, MEETING_SORTS, sort, limit, offset, lambda r: _meeting_item(r, settings))


@router.get("/articles", response_model=Page[ArticleItem], summary="Articles, by title text and date")
async def articles(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    q: Text = None,
    date_from: Day = None,
    date_to: Day = None,
    sort: Literal["issued", "-issued"] = "-issued",
    limit: Limit = 50,
    offset: Offset = 0,
) -> JSONResponse:
    _check_range(date_from, date_to)
    table = await _table(engine, settings, "api/articles", text=q, **{"from": date_from, "to": date_to})
    return _page(request, table, ARTICLE_SORTS, sort, limit, offset, lambda r: _article_item(r, settings))


def _check_range(date_from: date | None, date_to: date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise HTTPException(400, "date_from is after date_to")


@router.get(
    "/{kind}/{key:path}", response_model=Resource, summary="Every fact about one resource, with provenance"
)
async def detail(
    kind: Literal["organ", "person", "congress", "document", "unit", "term", "article"],
    key: str,
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    offset: Annotated[int, Query(ge=0, description="The first holding or meeting of this page")] = 0,
    limit: Annotated[
        int, Query(ge=1, le=MAX_DETAIL_PAGE, description="Holdings and meetings on this page")
    ] = DETAIL_PAGE,
) -> Resource:
    iri = f"{settings.base_iri}{kind}/{key}"
    try:
        found = await run_in_threadpool(read_detail, engine, settings, iri, offset, limit)
    except QueryError as exc:  # the key makes no valid IRI
        raise HTTPException(400, f"not an IRI: {iri!r}") from exc
    if not found.rows and not found.events_total:
        raise HTTPException(404, f"nothing is known about {iri}")
    rows = found.rows
    labels = await run_in_threadpool(labels_for, engine, settings, (str(r["value"]) for r in rows))
    facts = [
        Fact(
            predicate=str(r["predicate"] if not r["via"] else f"{r['viaPredicate']}/{r['predicate']}"),
            value=str(r["value"]),
            graph=r["graph"],
            via=r["via"],
            article=r["article"],
            article_date=r["articleDate"],
            evidence=r["evidence"],
            value_label=labels.get(str(r["value"])),
            value_page=_local_page(str(r["value"]), settings),
            article_page=_local_page(r["article"], settings) if r["article"] else None,
        )
        for r in rows
    ]
    following = found.next_offset
    return Resource(
        id=f"{kind}/{key}",
        iri=iri,
        facts=facts,
        events_total=found.events_total,
        offset=offset,
        limit=limit,
        next=str(request.url.include_query_params(offset=following)) if following is not None else None,
    )


def _local_page(value: str, settings: Settings) -> str | None:
    """This server's page of a data IRI or an ontology term; None for anything else."""
    if value.startswith(settings.base_iri):
        return local_page(value, settings.base_iri)
    return term_page(value)


def _labels(iris: list[str], engine: Engine, settings: Settings) -> dict[str, Label]:
    if len(iris) > MAX_LABELS:
        raise HTTPException(400, f"at most {MAX_LABELS} IRIs at once")
    labels = labels_for(engine, settings, iris)
    return {
        iri: Label(label=labels.get(iri), page=_local_page(iri, settings))
        for iri in dict.fromkeys(iris)
        if iri in labels or _local_page(iri, settings) is not None
    }


@router.get(
    "/labels",
    response_model=dict[str, Label],
    summary="Labels and local pages of IRIs (names of data, both-language labels of ontology terms)",
)
async def labels(
    iri: Annotated[list[str], Query(description="An IRI; repeat for more")],
    engine: EngineDep,
    settings: SettingsDep,
) -> dict[str, Label]:
    return await run_in_threadpool(_labels, iri, engine, settings)


@router.post(
    "/labels",
    response_model=dict[str, Label],
    summary="Labels and local pages of many IRIs (a JSON list in the body), as the query page asks",
)
async def labels_of_many(iris: list[str], engine: EngineDep, settings: SettingsDep) -> dict[str, Label]:
    return await run_in_threadpool(_labels, iris, engine, settings)
