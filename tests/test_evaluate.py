"""`kg evaluate` against the reference scorer of the shared evaluation."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.config import DEFAULT_BASE_IRI
from kg.evaluation.gold import load_gold
from kg.evaluation.scoring import score_store
from kg.ingest import ingest_paths
from kg.store import ExportFormat

from .conftest import GOLD, ROOT

REFERENCE = ROOT.parent / "shared" / "eval" / "score.py"


def damage(store):
    """Remove a meeting and a holding, add a wrong organ mention: scores below 1 on purpose."""
    store._store.update("""
        PREFIX cpv: <https://w3id.org/cpv-kg/ontology#>
        PREFIX schema: <http://schema.org/>
        DELETE { GRAPH ?g { ?m ?p ?o } } WHERE { GRAPH ?g { ?m a cpv:Meeting ; ?p ?o } FILTER(CONTAINS(STR(?g), "000")) } ;
        DELETE { GRAPH ?g { ?h ?p ?o } } WHERE { GRAPH ?g { ?h a cpv:PositionHolding ; ?p ?o } FILTER(CONTAINS(STR(?g), "004")) } ;
        INSERT { GRAPH ?g { ?a schema:mentions <https://w3id.org/cpv-kg/id/organ/government-country-viet-nam> } }
        WHERE { GRAPH ?g { ?a a cpv:Article } FILTER(CONTAINS(STR(?g), "001")) } ;
        INSERT DATA { GRAPH <https://w3id.org/cpv-kg/graph/entities> {
          <https://w3id.org/cpv-kg/id/organ/government-country-viet-nam> a cpv:Organ ;
            cpv:organType <https://w3id.org/cpv-kg/code/organ-type/government> ;
            cpv:jurisdiction <https://w3id.org/cpv-kg/id/unit/country-viet-nam> } }
    """)


def reference_table(nquads: Path) -> dict[str, tuple[int, int, int]]:
    out = subprocess.run(
        [sys.executable, str(REFERENCE), "--nquads", str(nquads), "--gold", str(GOLD)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = re.findall(r"^(\w+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+(\d+)\s+(\d+)\s+(\d+)$", out, re.M)
    return {kind: (int(tp), int(fp), int(fn)) for kind, tp, fp, fn in rows}


@pytest.mark.slow
@pytest.mark.skipif(not REFERENCE.exists(), reason=f"the reference scorer is not at {REFERENCE}")
def test_figures_agree_with_the_reference_scorer(store, corpus, tmp_path):
    ingest_paths([corpus], store, base_iri=DEFAULT_BASE_IRI)
    damage(store)
    nquads = tmp_path / "graph.nq"
    store.export(nquads, ExportFormat.nquads)
    ours = score_store(store, load_gold(GOLD))
    expected = reference_table(nquads)
    got = {kind: (s.tp, s.fp, s.fn) for kind, s in [*ours.scores.items(), ("overall", ours.overall)]}
    assert got == expected
    assert ours.overall.f1 < 1.0


def test_corpus_scores_stay_high(store, corpus):
    """Regression guard: the corpus is a smoke test, not the target, but it must not slip."""
    ingest_paths([corpus], store, base_iri=DEFAULT_BASE_IRI)
    report = score_store(store, load_gold(GOLD))
    assert report.overall.f1 >= 0.95
    assert all(s.f1 >= 0.9 for s in report.scores.values())
    assert not any(report.splits.values())


def test_evaluate_command(corpus):
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(GOLD), "--corpus", str(corpus)])
    assert result.exit_code == 0
    assert re.search(r"^overall F1 \d\.\d{3}$", result.output, re.M)
    assert "positions" in result.output


def test_evaluate_without_gold_folder(tmp_path):
    result = CliRunner().invoke(app, ["evaluate", "--gold", str(tmp_path / "none")])
    assert result.exit_code == 2
