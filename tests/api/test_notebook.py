"""The example notebook runs from a clean kernel against a real server and draws its two charts
inline (and into files)."""

import os
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[2] / "examples" / "analysis.ipynb"


def test_notebook_executes(server, tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("KG_URL", server.url)
    monkeypatch.setenv("KG_NOTEBOOK_OUT", str(tmp_path))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbclient.NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    for chart in ("meetings_per_month.png", "roles_per_organ.png"):
        assert (tmp_path / chart).stat().st_size > 5_000
    inline = [o for c in notebook.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(inline) == 2  # each chart shown in the notebook itself
    tables = [
        o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "execute_result"
    ]
    assert "Đống Đa" in str(tables[0]["data"]["text/plain"])
    assert os.environ["KG_URL"] == server.url
