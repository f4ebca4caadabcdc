"""Data flows one way: text -> records -> RDF -> store -> API -> serving processes. No stage
imports one after it."""

import ast
from pathlib import Path

import pytest

import kg

SOURCE = Path(kg.__file__).parent

# package -> modules it must never import
FORBIDDEN = {
    "kg.nlp": ("kg.rdf", "kg.store", "kg.api", "kg.ontology", "kg.ingest", "kg.linking", "kg.config"),
    "kg.records": ("kg.nlp", "kg.rdf", "kg.store", "kg.api"),
    "kg.vocabulary": ("kg.nlp", "kg.rdf", "kg.store", "kg.api", "kg.ontology"),
    "kg.rdf": ("kg.store", "kg.api", "kg.nlp", "kg.ingest"),
    # The store knows nothing of serving HTTP: the server's web framework stays above it.
    "kg.store": ("kg.api", "kg.serve", "kg.ingest", "kg.cli", "fastapi", "starlette", "uvicorn"),
    # The application answers requests through an engine; how processes run it is kg.serve's.
    "kg.api": ("kg.serve", "kg.ingest", "kg.cli"),
    "kg.serve": ("kg.ingest", "kg.cli"),
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def modules_of(package: str) -> list[Path]:
    relative = Path(*package.split(".")[1:])
    folder = SOURCE / relative
    return sorted(folder.rglob("*.py")) if folder.is_dir() else [SOURCE / f"{relative}.py"]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_stage_imports_a_later_one(package):
    offending = [
        f"{path.relative_to(SOURCE)} imports {name}"
        for path in modules_of(package)
        for name in imports_of(path)
        if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[package])
    ]
    assert not offending
