"""Response schemas of the REST facade (so ``/docs`` describes them exactly)."""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

from pydantic import BaseModel, Field, computed_field

__all__ = [
    "ArticleItem",
    "CongressItem",
    "DocumentItem",
    "Fact",
    "LinkedItem",
    "MeetingItem",
    "OrganItem",
    "Page",
    "PersonItem",
    "Resource",
    "SearchItem",
    "SearchPage",
]

Item = TypeVar("Item", bound=BaseModel)


class Page(BaseModel, Generic[Item]):
    """One page of a list, with the total number of matches."""

    total: int
    limit: int
    offset: int
    items: list[Item]


class LinkedItem(BaseModel):
    """An item of a list, with its IRI and this server's page of it."""

    id: str = Field(description="The part of the IRI after the base, e.g. organ/party-committee-...")
    iri: str

    @computed_field  # type: ignore[prop-decorator]  # pydantic's documented form
    @property
    def page(self) -> str:
        """This server's page of the item (``/id/...``), or its IRI when outside the base."""
        return self.iri if self.id == self.iri else f"/id/{self.id}"


class OrganItem(LinkedItem):
    label: str
    organ_type: str
    place: str


class PersonItem(LinkedItem):
    name: str
    roles: list[str] = Field(description="role@organ-type@place, as the articles attest them")


class CongressItem(LinkedItem):
    label: str
    place: str
    ordinal: int
    term: str | None


class DocumentItem(LinkedItem):
    label: str
    document_type: str
    number: str | None
    symbol: str | None
    issuer_place: str | None
    issued: date | None
    subject: str | None


class MeetingItem(LinkedItem):
    date: date
    kind: str
    organizer: str
    organizer_type: str
    place: str
    article: str
    evidence: str | None


class ArticleItem(LinkedItem):
    identifier: str
    title: str
    issued: str | None


class Fact(BaseModel):
    """One statement about a resource and where it comes from."""

    predicate: str
    value: str
    graph: str | None = Field(description="The named graph: an article's IRI, or the entity graph")
    via: str | None = Field(None, description="The holding or meeting node that links to the resource")
    article: str | None = None
    article_date: str | None = None
    evidence: str | None = Field(None, description="The sentence the fact was read from")
    value_label: str | None = Field(None, description="The value's label, when it is an IRI that has one")
    value_page: str | None = Field(
        None, description="This server's page of the value: /id/… for a data IRI, /ontology#… for a term"
    )
    article_page: str | None = Field(None, description="This server's page of the article")


class Label(BaseModel):
    """How to show an IRI: its label, and its page on this server when it has one."""

    label: str | None
    page: str | None


class Resource(BaseModel):
    """Everything the graph says about one resource, each fact with its provenance."""

    id: str
    iri: str
    facts: list[Fact] = Field(
        description="What the resource says of itself, then what one page of the holdings and "
        "meetings that name it say"
    )
    events_total: int = Field(0, description="The holdings and meetings that name the resource")
    offset: int = Field(0, description="The first of them on this page")
    limit: int = Field(0, description="How many of them a page has")
    next: str | None = Field(None, description="The next page, if there is one")


class SearchItem(BaseModel):
    iri: str
    page: str = Field(
        description="The IRI's page on this server (/id/...), or the IRI itself outside the base"
    )
    kind: str = Field(description="person, organ, place, document, congress, meeting or article")
    label: str
    mentions: int = Field(description="How many articles mention it")


class SearchPage(BaseModel):
    """Search results, best first, with the number of hits of each kind."""

    query: str
    total: int
    limit: int
    offset: int
    facets: dict[str, int]
    items: list[SearchItem]
