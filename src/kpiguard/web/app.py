"""The FastAPI application: ``create_app(workspace)`` wires pages, API, auth and static files.

Served by ``kpiguard serve`` (uvicorn) on 127.0.0.1. No CDN: Plotly's JS is the file shipped in
the plotly package. Errors a user can act on (``UserError``) become a 400 with the findings;
things in another organisation are 404 (existence is not leaked), actions a role may not take 403.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import plotly
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates

from kpiguard.accounts.permissions import NotVisible, PermissionDenied
from kpiguard.errors import NotFoundError, UserError
from kpiguard.web import api, i18n, pages
from kpiguard.web.auth import install as install_auth
from kpiguard.web.jsonsafe import script_json
from kpiguard.web.ops_routes import install as install_ops_routes
from kpiguard.web.plan_routes import install as install_plan_routes
from kpiguard.web.runtime import ResultCache, ServerWorkspace
from kpiguard.web.security import LANG_COOKIE
from kpiguard.web.views import Clock

HERE = Path(__file__).parent
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# the icon, a shield with a tick, in the code itself (the package ships no other static file):
# pages link /static/favicon.svg, and /favicon.ico, which browsers ask for by themselves, is the same
FAVICON_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
               '<path d="M16 2 4 6.5V15c0 7.4 5.1 13.3 12 15 6.9-1.7 12-7.6 12-15V6.5z" fill="#2b6cb0"/>'
               '<path d="m10 16.5 4 4 8-9" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" '
               'stroke-linejoin="round"/></svg>')


def create_app(home: Path | str, today: date | None = None) -> FastAPI:
    # no /docs or /redoc: FastAPI's pages load Swagger UI and ReDoc from CDNs, and these machines
    # are offline; the OpenAPI description itself is served at /openapi.json
    app = FastAPI(title="kpiguard", version="1", docs_url=None, redoc_url=None, description="KPI plans that seller and agency both sign. "
                  "Every page's data is also here as JSON. / 卖家与服务商共同签署的KPI考核方案。")
    ws = ServerWorkspace(home)
    ws.require()
    app.state.workspace = ws
    app.state.cache = ResultCache()
    app.state.clock = Clock(today)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.auto_reload = False  # compiled once per process: no stat of each template per request
    templates.env.globals["script_json"] = script_json
    app.state.templates = templates
    app.state.extra_nav = []  # pages other modules add: [{"href": "/events", "key": "events"}]
    app.state.extra_nav.append({"href": "/events", "key": "events"})  # web/pages_events.py

    @app.get("/static/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(PLOTLY_JS, media_type="text/javascript", headers={"Cache-Control": "max-age=86400"})

    @app.get("/static/favicon.svg", include_in_schema=False)
    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(FAVICON_SVG, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})

    @app.exception_handler(UserError)
    def user_error(request: Request, exc: UserError) -> Response:
        status = 404 if isinstance(exc, NotFoundError) else 400
        return _error(request, status, exc.message, [f.to_dict() for f in exc.findings])

    @app.exception_handler(NotVisible)
    def not_visible(request: Request, exc: NotVisible) -> Response:
        return _error(request, 404, str(exc) or "not found", [])

    @app.exception_handler(PermissionDenied)
    def denied(request: Request, exc: PermissionDenied) -> Response:
        return _error(request, 403, str(exc) or "not allowed", [])

    install_auth(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    install_ops_routes(app)  # imports, pacing, alerts, reconcile, audit, settlement: pages and /api/ (web/ops_routes.py)
    install_plan_routes(app)  # plans and events: pages and /api/ (web/plan_routes.py)
    return app


def _error(request: Request, status: int, message: str, findings: list[dict[str, Any]]) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message, "findings": findings}, status_code=status)
    lang = i18n.normalize(request.cookies.get(LANG_COOKIE))
    title = i18n.t("not_found" if status == 404 else "forbidden" if status == 403 else "app", lang)
    rows = "".join(f"<li>{_esc(str(f.get('message', '')))} {_esc(str(f.get('hint', '') or ''))}</li>" for f in findings)
    body = (f"<!doctype html><html lang='{lang}'><meta charset='utf-8'><title>{title}</title>"
            f"<body><h1>{status} {title}</h1><p>{_esc(message)}</p><ul>{rows}</ul><p><a href='/'>←</a></p></body></html>")
    return HTMLResponse(body, status_code=status)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
