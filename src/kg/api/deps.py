"""Shared objects for the routes, reached through ``Annotated`` dependencies."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from kg.api.engine import Engine
from kg.config import Settings

__all__ = ["Engine", "EngineDep", "SettingsDep", "require_writer"]


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


EngineDep = Annotated[Engine, Depends(_engine)]
SettingsDep = Annotated[Settings, Depends(_settings)]


def require_writer(request: Request, settings: SettingsDep) -> None:
    """Writing needs ``Authorization: Bearer <KG_UPDATE_TOKEN>``; without the variable it is off."""
    if settings.update_token is None:
        raise HTTPException(403, "updates are disabled on this server (set KG_UPDATE_TOKEN to enable them)")
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(
            401,
            "updates need an Authorization: Bearer token",
            headers={"WWW-Authenticate": 'Bearer realm="kg"'},
        )
    if not hmac.compare_digest(token.encode(), settings.update_token.get_secret_value().encode()):
        raise HTTPException(403, "wrong update token")


WriterDep = Annotated[None, Depends(require_writer)]
