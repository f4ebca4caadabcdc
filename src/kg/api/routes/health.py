"""Liveness: answered by the worker's event loop, even while queries run on its threads."""

from __future__ import annotations

import os

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(tags=["Health"])


@router.get("/health", summary="The server is up")
async def health() -> dict[str, object]:
    return {"status": "ok", "worker": os.getpid()}
