"""Precision, recall and F1 of the graph against gold facts, per fact kind.

The graph is asked the fact queries in ``queries/evaluation/`` (the
vocabulary of design/MODEL.md); an optional gold fact neither counts for nor
against; a meeting matches on date with any accepted organizer and kind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.evaluation.gold import Fact, GoldSet, key, number_key, organ_key, place_key
from kg.queries import load_query
from kg.store.oxigraph import OxigraphStore

__all__ = ["KINDS", "Score", "ScoreReport", "score_store"]

KINDS = (
    "published",
    "organs",
    "people",
    "positions",
    "congresses",
    "congress_terms",
    "congress_resolutions",
    "documents",
    "meetings",
)


@dataclass(frozen=True)
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class ScoreReport:
    scores: dict[str, Score]
    misses: dict[str, tuple[list[Fact], list[Fact]]]  # kind -> (false positives, false negatives)
    splits: dict[str, list[str]] = field(default_factory=dict)

    @property
    def overall(self) -> Score:
        return Score(*(sum(getattr(s, n) for s in self.scores.values()) for n in ("tp", "fp", "fn")))


def _rows(store: OxigraphStore, name: str) -> list[dict[str, str | None]]:
    rows = store.query(load_query(f"evaluation/{name}"))
    assert isinstance(rows, ox.QuerySolutions)
    names = [v.value for v in rows.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in rows]


def predicted_facts(store: OxigraphStore) -> dict[str, set[Fact]]:
    """Every fact of the graph as comparable tuples, plus IRIs for the identity checks."""
    facts: dict[str, set[Fact]] = defaultdict(set)
    for r in _rows(store, "published"):
        facts["published"].add((r["article"], str(r["date"])[:10]))
    for r in _rows(store, "organs"):
        facts["organs"].add((r["article"], *organ_key(r["otype"], r["unit"])))
        facts["_organ_iris"].add((key(r["otype"]), r["unit_iri"], r["o"]))
    for r in _rows(store, "people"):
        facts["people"].add((r["article"], key(r["name"])))
        facts["_person_iris"].add((r["article"], key(r["name"]), r["p"]))
    for r in _rows(store, "positions"):
        facts["positions"].add(
            (r["article"], key(r["name"]), key(r["role"]), *organ_key(r["otype"], r["unit"]))
        )
    for r in _rows(store, "congresses"):
        congress = (*organ_key(r["otype"], r["unit"]), int(str(r["ordinal"])))
        facts["congresses"].add((r["article"], *congress))
        facts["_congress_iris"].add((*congress, r["c"]))
        if r["start"] and r["end"]:
            facts["congress_terms"].add((r["article"], *congress, f"{int(r['start'])}-{int(r['end'])}"))
    for r in _rows(store, "congress_resolutions"):
        facts["congress_resolutions"].add(
            (r["article"], *organ_key(r["otype"], r["unit"]), int(str(r["ordinal"])))
        )
    for r in _rows(store, "documents"):
        facts["documents"].add((r["article"], key(r["dtype"]), number_key(r["number"]), place_key(r["unit"])))
    for r in _rows(store, "meetings"):
        facts["meetings"].add(
            (r["article"], str(r["date"])[:10], *organ_key(r["otype"], r["unit"]), key(r["kind"]))
        )
    return facts


def _score_meetings(gold: GoldSet, got: set[Fact]) -> tuple[Score, list[Fact], list[Fact]]:
    tp, missed, used = 0, list[Fact](), set[Fact]()
    for m in sorted(gold.meetings, key=lambda m: not m.required):
        hit = next(
            (
                f
                for f in sorted(got - used, key=str)
                if f[0] == m.article and f[1] == m.date and f[2:4] in m.organizers and f[4] in m.kinds
            ),
            None,
        )
        if hit is not None:
            tp += m.required
            used.add(hit)
        elif m.required:
            missed.append((m.article, m.date, *m.organizers[0], m.kinds[0]))
    wrong = sorted(got - used, key=str)
    return Score(tp, len(wrong), len(missed)), wrong, missed


def _splits(facts: dict[str, set[Fact]], gold: GoldSet) -> dict[str, list[str]]:
    splits: dict[str, list[str]] = {}
    for name, width in (("_organ_iris", 2), ("_congress_iris", 3)):
        iris: dict[Fact, set[object]] = defaultdict(set)
        for row in facts.get(name, set()):
            if None not in row[:width]:
                iris[row[:width]].add(row[width])
        splits[name.strip("_").replace("_iris", "_split")] = sorted(
            str(k) for k, v in iris.items() if len(v) > 1
        )
    people: dict[tuple[object, object], set[object]] = defaultdict(set)
    for a, person, iri in facts.get("_person_iris", set()):
        people[(a, person)].add(iri)
    splits["person_identities_broken"] = [
        str(group)
        for group in gold.identities
        if not set.intersection(*[people.get(member, set()) for member in group])
    ]
    return splits


def score_store(store: OxigraphStore, gold: GoldSet) -> ScoreReport:
    """Compare the store's facts with the gold facts, for the articles the gold covers."""
    facts = predicted_facts(store)
    covered = set(gold.articles)
    scores: dict[str, Score] = {}
    misses: dict[str, tuple[list[Fact], list[Fact]]] = {}
    for kind in KINDS:
        got = {f for f in facts.get(kind, set()) if f[0] in covered}
        if kind == "congress_terms":  # only congresses whose term the article states
            stated = {f[:-1] for f in gold.required[kind] | gold.optional[kind]}
            got = {f for f in got if f[:-1] in stated}
        if kind == "meetings":
            scores[kind], wrong, missed = _score_meetings(gold, got)
        else:
            wrong = sorted(got - gold.required[kind] - gold.optional[kind], key=str)
            missed = sorted(gold.required[kind] - got, key=str)
            scores[kind] = Score(len(got & gold.required[kind]), len(wrong), len(missed))
        misses[kind] = (wrong, missed)
    return ScoreReport(scores, misses, _splits(facts, gold))
