"""Pages for staff (agent console, dashboard): static shells that handle bearer tokens.

The browser keeps the token in sessionStorage and the page's script talks to the API; nothing about
agents, customers or figures is rendered on the server. Because the pages hold tokens they get a strict
policy: only their own scripts, styles and API (same-origin fetch and WebSocket), never framed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from kefu.web.routes import STATIC_DIR, STATIC_PATH, TEMPLATES_DIR, _asset_version, normalize_lang

STAFF_CSP = "; ".join(
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


def build_staff_page_router(
    path: str,
    template: str,
    titles: dict[str, str],
    templates_dir: Path | None = None,
    extra_context: Callable[[], dict[str, Any]] | None = None,
) -> APIRouter:
    """A router serving one staff page at ``path`` from ``template``, titled per language."""
    templates = Jinja2Templates(directory=str(templates_dir or TEMPLATES_DIR))
    version = _asset_version(STATIC_DIR)
    router = APIRouter(tags=["web"])

    @router.get(path, response_class=HTMLResponse, include_in_schema=False)
    def staff_page(request: Request, lang: str | None = Query(None)) -> HTMLResponse:
        chosen_lang = normalize_lang(lang)
        base = str(request.scope.get("root_path", "")).rstrip("/")
        context = {
            "lang": chosen_lang or "",
            "html_lang": "en" if chosen_lang == "en" else "zh-CN",
            "title": titles[chosen_lang] if chosen_lang else f"{titles['zh']} · {titles['en']}",
            "base": base,
            "static_base": f"{base}{STATIC_PATH}",
            "version": version,
            **(extra_context() if extra_context else {}),
        }
        response = templates.TemplateResponse(request, template, context)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = STAFF_CSP
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return router
