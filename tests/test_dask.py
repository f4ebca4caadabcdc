"""kg ingest --scheduler: extraction on a Dask cluster (a LocalCluster of two worker processes
on 127.0.0.1) gives the store a plain ingest gives."""

import io
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.config import DEFAULT_BASE_IRI as BASE
from kg.ingest import ingest_paths
from kg.store import ExportFormat, OxigraphStore, open_store

distributed = pytest.importorskip("distributed", reason="pip install 'kg[dask]'")


def _dump(store: OxigraphStore) -> list[str]:
    out = io.BytesIO()
    store.export(out, ExportFormat.nquads)
    return sorted(out.getvalue().decode().splitlines())


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local


def test_ingest_on_a_dask_cluster_equals_a_plain_ingest(tmp_path: Path, corpus: Path, cluster):
    folder = tmp_path / "articles"
    folder.mkdir()
    for copy in range(4):
        for path in sorted(corpus.glob("*.txt")):
            shutil.copy(path, folder / f"{copy}-{path.name}")
    (folder / "broken.json").write_text("{ not json", encoding="utf-8")
    plain = OxigraphStore()
    expected = ingest_paths([folder], plain, base_iri=BASE)
    result = CliRunner().invoke(
        app,
        ["ingest", str(folder), "--store", str(tmp_path / "store"), "--scheduler", cluster.scheduler_address],
    )
    assert result.exit_code == 1, result.output  # the broken file is reported, the rest ingested
    assert f"ingested {len(expected.ingested)} article(s), skipped 1" in result.output
    on_dask = open_store(tmp_path / "store")
    try:
        assert _dump(on_dask) == _dump(plain)
    finally:
        on_dask.close()
