"""Liveness: answered by the server process alone, even while a query runs."""

from __future__ import annotations

from fastapi import APIRouter, Request

__all__ = ["router"]

router = APIRouter(tags=["Health"])


@router.get("/health", summary="The server is up")
async def health(request: Request) -> dict[str, object]:
    return {"status": "ok", "engine_restarts": request.app.state.engine.restarts}
