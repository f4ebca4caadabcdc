"""The query page at ``/`` (YASGUI from the package's own static files) and the named queries it offers."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from kg.api.deps import SettingsDep
from kg.api.ontology_page import query_page_vocabulary
from kg.queries import load_query, queries_dir

__all__ = ["STATIC_DIR", "router"]

router = APIRouter(tags=["Pages"])
STATIC_DIR = str(resources.files("kg.api").joinpath("static"))


class NamedQuery(BaseModel):
    name: str
    question: str
    text: str


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
async def query_page() -> HTMLResponse:
    return HTMLResponse(resources.files("kg.api").joinpath("static", "index.html").read_text("utf-8"))


@router.get("/page-config.json", include_in_schema=False)
async def page_config(settings: SettingsDep) -> dict[str, object]:
    """What the query page needs to know: the base of data IRIs, whose pages this server serves,
    and the vocabulary it completes."""
    return {"base_iri": settings.base_iri, **query_page_vocabulary()}


@router.get("/favicon.ico", include_in_schema=False)
async def favicon() -> Response:
    """No icon, said without an error (browsers ask every page's server for one)."""
    return Response(status_code=204)


@router.get("/queries.json", response_model=list[NamedQuery], summary="The named queries of queries/")
async def named_queries() -> list[NamedQuery]:
    out = []
    for path in sorted(queries_dir().glob("*.rq")):
        text = load_query(path.stem)
        question = next(
            (line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")), path.stem
        )
        out.append(NamedQuery(name=path.stem, question=question, text=text))
    return out
