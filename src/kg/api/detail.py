"""A resource's detail, a page at a time.

What a resource says of itself is short and comes whole. What holdings and meetings say of it
is not: an organ of a large city is named by thousands of them. Those are listed first (their
IRIs and dates only, ``api/event_nodes``), ordered by date, and only one page of them is read
whole (``api/event_facts``), so the first page of a popular organ costs about what a rare one's
does.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.api.engine import Engine
from kg.api.named import Row, iri_binding, select
from kg.config import Settings

__all__ = ["DETAIL_PAGE", "MAX_DETAIL_PAGE", "Detail", "read_detail"]

DETAIL_PAGE = 100  # holdings and meetings on one page of a detail view
MAX_DETAIL_PAGE = 1000


@dataclass(frozen=True)
class Detail:
    """The resource's own facts, and what one page of its holdings and meetings say (rows of
    ``api/facts`` and ``api/event_facts``, which share their columns)."""

    rows: list[Row]
    events_total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        following = self.offset + self.limit
        return following if following < self.events_total else None


def read_detail(
    engine: Engine, settings: Settings, iri: str, offset: int = 0, limit: int = DETAIL_PAGE
) -> Detail:
    """The detail of ``iri`` with the holdings and meetings from ``offset`` on, ``limit`` of them."""
    own = select(engine, settings, "api/facts", {"iri": iri_binding(iri)})
    dates: dict[str, str] = {}
    for row in select(engine, settings, "api/event_nodes", {"iri": iri_binding(iri)}):
        via = str(row["via"])
        dates[via] = min(dates.get(via, "~"), str(row["date"] or "~"))  # undated ones last
    ordered = sorted(dates, key=lambda via: (dates[via], via))
    page = ordered[offset : offset + limit]
    events = (
        select(
            engine,
            settings,
            "api/event_facts",
            {"iri": iri_binding(iri), "via": [iri_binding(v) for v in page]},
        )
        if page
        else []
    )
    return Detail(own + events, len(ordered), offset, limit)
