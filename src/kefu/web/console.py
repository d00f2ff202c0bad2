"""HTTP route for the agent console: the page human agents use to take conversations over from the bot.

``build_console_router()`` serves ``GET /console``.  The page is a static shell: the agent pastes their
token into it (kept in sessionStorage) and console.js talks to the agent API (``/v1/agent/...``) and its
live feed (``WS /v1/agent/ws``).  Nothing about agents or conversations is rendered server-side.  The
assets come from the same ``/static`` mount as the chat page (see ``routes.mount_static``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from kefu.web.routes import STATIC_DIR, STATIC_PATH, TEMPLATES_DIR, _asset_version, normalize_lang

_PAGE_TITLES: dict[str, str] = {"zh": "客服工作台", "en": "Agent console"}

# The console handles bearer tokens, so it gets a strict policy: only its own scripts, styles and API
# (same-origin fetch and WebSocket), never framed by another site.
CONSOLE_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)


def build_console_router(templates_dir: Path | None = None) -> APIRouter:
    """Build the router serving the agent console page (``GET /console``)."""
    templates = Jinja2Templates(directory=str(templates_dir or TEMPLATES_DIR))
    version = _asset_version(STATIC_DIR)
    router = APIRouter(tags=["web"])

    @router.get("/console", response_class=HTMLResponse, include_in_schema=False)
    def console_page(request: Request, lang: str | None = Query(None)) -> HTMLResponse:
        chosen_lang = normalize_lang(lang)
        base = str(request.scope.get("root_path", "")).rstrip("/")
        context = {
            "lang": chosen_lang or "",
            "html_lang": "en" if chosen_lang == "en" else "zh-CN",
            "title": _PAGE_TITLES[chosen_lang] if chosen_lang else "客服工作台 · Agent console",
            "base": base,
            "static_base": f"{base}{STATIC_PATH}",
            "version": version,
        }
        response = templates.TemplateResponse(request, "console.html", context)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = CONSOLE_CSP
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return router
