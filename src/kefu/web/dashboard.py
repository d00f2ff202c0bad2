"""``GET /dashboard``: the manager's dashboard; dashboard.js reads ``GET /v1/analytics/summary`` and
draws the tiles and charts as inline SVG (no third-party scripts)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from kefu.packs.registry import available_packs
from kefu.web.staff_pages import build_staff_page_router


def build_dashboard_router(templates_dir: Path | None = None) -> APIRouter:
    return build_staff_page_router(
        "/dashboard",
        "dashboard.html",
        {"zh": "运营看板", "en": "Service dashboard"},
        templates_dir,
        extra_context=lambda: {"packs": available_packs()},
    )
