"""HTTP routes for the customer chat page and the embeddable widget.

``build_web_router()`` serves ``GET /`` (the chat page) and ``GET /widget.js`` (the loader a business
pastes into its own site).  Routers cannot mount sub-applications, so the static assets are exposed
separately through ``mount_static(app)``.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

WEB_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

SUPPORTED_LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_PACK = "retail"
STATIC_MOUNT_NAME = "static"
STATIC_PATH = "/static"

# Pack ids are short slugs ("retail", "finance", "healthcare", "education", "my-shop_2", ...).
_PACK_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

# The chat page: only its own scripts, styles and API. It is framed by the widget on a business's own
# site, so who may frame it is a setting (KEFU_FRAME_ANCESTORS, default any site).
CHAT_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    )
)


def chat_csp(frame_ancestors: str) -> str:
    return f"{CHAT_CSP}; frame-ancestors {frame_ancestors}"


# Used server-side for <title>/<html lang> when the language is known; chat.js owns the full UI strings.
_PAGE_TITLES: dict[str, str] = {"zh": "在线客服", "en": "Customer service"}


def normalize_lang(lang: str | None) -> str | None:
    """Return a supported language code, or None (the page then picks one from navigator.language)."""
    if lang is None:
        return None
    value = lang.strip().lower().replace("_", "-")
    if value in SUPPORTED_LANGS:
        return value
    # Accept full tags such as "zh-CN" or "en-US", ignore anything else.
    primary = value.split("-", 1)[0]
    return primary if primary in SUPPORTED_LANGS else None


def normalize_pack(pack: str | None) -> str:
    """Return a syntactically valid pack id, falling back to the default pack."""
    if pack is None:
        return DEFAULT_PACK
    value = pack.strip().lower()
    return value if _PACK_RE.fullmatch(value) else DEFAULT_PACK


def _asset_version(static_dir: Path) -> str:
    """Short content hash of the static assets, appended to their URLs to bust caches on upgrade."""
    digest = hashlib.sha256()
    if static_dir.is_dir():
        for path in sorted(static_dir.rglob("*")):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def build_web_router(templates_dir: Path | None = None) -> APIRouter:
    """Build the router serving the chat page (``GET /``) and the widget loader (``GET /widget.js``)."""
    templates = Jinja2Templates(directory=str(templates_dir or TEMPLATES_DIR))
    widget_path = STATIC_DIR / "widget.js"
    version = _asset_version(STATIC_DIR)
    router = APIRouter(tags=["web"])

    @router.get("/", response_class=HTMLResponse, include_in_schema=False)
    def chat_page(
        request: Request,
        pack: str = Query(DEFAULT_PACK),
        lang: str | None = Query(None),
        embed: str | None = Query(None),
    ) -> HTMLResponse:
        chosen_lang = normalize_lang(lang)
        is_embed = embed is not None and embed.strip().lower() in {"1", "true", "yes"}
        base = str(request.scope.get("root_path", "")).rstrip("/")
        context = {
            "pack": normalize_pack(pack),
            "lang": chosen_lang or "",
            "html_lang": "zh-CN" if chosen_lang == "zh" else (chosen_lang or "zh-CN"),
            "title": _PAGE_TITLES[chosen_lang or "zh"] + ("" if chosen_lang else " · Customer service"),
            "embed": is_embed,
            "base": base,
            "static_base": f"{base}{STATIC_PATH}",
            "version": version,
        }
        response = templates.TemplateResponse(request, "chat.html", context)
        # The page holds no secrets of its own (the conversation token lives in sessionStorage), but keep
        # intermediaries from caching a rendering that embeds a given language/pack choice for too long.
        response.headers["Cache-Control"] = "no-cache"
        settings = getattr(request.app.state, "settings", None)
        response.headers["Content-Security-Policy"] = chat_csp(getattr(settings, "frame_ancestors", "*"))
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @router.get("/widget.js", include_in_schema=False)
    def widget_js() -> FileResponse:
        return FileResponse(
            widget_path,
            media_type="application/javascript",
            headers={"Cache-Control": "public, max-age=300"},
        )

    return router


def mount_static(app: FastAPI, static_dir: Path | None = None) -> None:
    """Mount the chat page's static assets (chat.js, chat.css, widget.js) at ``/static``."""
    app.mount(STATIC_PATH, StaticFiles(directory=str(static_dir or STATIC_DIR)), name=STATIC_MOUNT_NAME)
