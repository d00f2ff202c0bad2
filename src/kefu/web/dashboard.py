"""HTTP route for the manager dashboard: ``GET /dashboard``.

The page is a static shell: the manager pastes the admin token into it (kept in sessionStorage) and
dashboard.js reads ``GET /v1/analytics/summary`` and draws the tiles and charts as inline SVG (no
third-party scripts). Nothing is rendered server-side but the language; assets come from ``/static``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from kefu.packs.registry import available_packs
from kefu.web.routes import STATIC_DIR, STATIC_PATH, TEMPLATES_DIR, _asset_version, normalize_lang

_PAGE_TITLES: dict[str, str] = {"zh": "运营看板", "en": "Service dashboard"}

# The page handles the admin token: only its own scripts, styles and API, never framed by another site.
DASHBOARD_CSP = "; ".join(
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


def build_dashboard_router(templates_dir: Path | None = None) -> APIRouter:
    """Build the router serving the manager dashboard page (``GET /dashboard``)."""
    templates = Jinja2Templates(directory=str(templates_dir or TEMPLATES_DIR))
    version = _asset_version(STATIC_DIR)
    router = APIRouter(tags=["web"])

    @router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
    def dashboard_page(request: Request, lang: str | None = Query(None)) -> HTMLResponse:
        chosen_lang = normalize_lang(lang)
        base = str(request.scope.get("root_path", "")).rstrip("/")
        context = {
            "lang": chosen_lang or "",
            "html_lang": "en" if chosen_lang == "en" else "zh-CN",
            "title": _PAGE_TITLES[chosen_lang] if chosen_lang else "运营看板 · Service dashboard",
            "base": base,
            "static_base": f"{base}{STATIC_PATH}",
            "version": version,
            "packs": available_packs(),
        }
        response = templates.TemplateResponse(request, "dashboard.html", context)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = DASHBOARD_CSP
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return router
