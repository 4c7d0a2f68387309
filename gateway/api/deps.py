"""Typed dependencies shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from aisle.settings import Settings
from gateway.rasa_client import RasaClient


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_rasa(request: Request) -> RasaClient:
    return request.app.state.rasa


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
RasaDep = Annotated[RasaClient, Depends(get_rasa)]
