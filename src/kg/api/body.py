"""Reading request bodies within the configured size cap."""

from __future__ import annotations

from fastapi import HTTPException, Request

__all__ = ["read_body"]


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 when it is (or announces to be) larger than ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"request body over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"request body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
