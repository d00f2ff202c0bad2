"""``GET /console``: the page human agents use to take conversations over from the bot.

console.js talks to the agent API (``/v1/agent/...``) and its live feed (``WS /v1/agent/ws``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from kefu.web.staff_pages import build_staff_page_router


def build_console_router(templates_dir: Path | None = None) -> APIRouter:
    return build_staff_page_router(
        "/console", "console.html", {"zh": "客服工作台", "en": "Agent console"}, templates_dir
    )
