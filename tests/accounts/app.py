"""A tiny app around the accounts router: what the real app does, with one route per question.

The real app (``kpiguard.web.app``) has the pages; these tests need only the sign-in routes, a
protected page, a protected API call and routes that ask ``permissions`` or call the account
services as the signed-in user, so the HTTP answers (200/201/403/404) can be checked on their own.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.testclient import TestClient
from pydantic import BaseModel

from kpiguard.accounts import access, permissions, users
from kpiguard.accounts.clock import Clock
from kpiguard.accounts.model import User
from kpiguard.errors import NotFoundError, UserError
from kpiguard.web.auth import audit, check_csrf, csrf_token, current_user, install, workspace_of
from kpiguard.workspace import Workspace

UserDep = Annotated[User, Depends(current_user)]


class GrantBody(BaseModel):
    agency: str


class NewUser(BaseModel):
    email: str
    name: str
    role: str
    password: str


class Assignment(BaseModel):
    email: str


def make_app(ws: Workspace, clock: Clock) -> FastAPI:
    app = FastAPI()
    app.state.workspace = ws
    app.state.auth_clock = clock
    install(app)

    @app.exception_handler(UserError)
    def user_error(request: Request, exc: UserError) -> Response:
        status = getattr(exc, "status_code", 404 if isinstance(exc, NotFoundError) else 400)
        return JSONResponse({"error": exc.message, "findings": [f.to_dict() for f in exc.findings]}, status)

    @app.get("/dummy", response_class=HTMLResponse)
    def page(request: Request, user: UserDep) -> str:
        return (f"<p>hello {user.email}</p><form method=post action=/dummy/form>"
                f'<input type="hidden" name="csrf_token" value="{csrf_token(request)}"></form>')

    @app.post("/dummy/form", dependencies=[Depends(check_csrf)])
    def form(user: UserDep) -> dict[str, Any]:
        return {"ok": True, "email": user.email}

    @app.get("/api/dummy")
    def api_read(user: UserDep) -> dict[str, Any]:
        return {"email": user.email}

    @app.post("/api/dummy", dependencies=[Depends(check_csrf)])
    def api_write(request: Request, user: UserDep) -> dict[str, Any]:
        entry = audit(request, user, "dummy.change", "dummy:1", {"n": 1})
        return {"ok": True, "audit_id": entry.audit_id}

    @app.get("/api/stores/{store_id}/may/{action}")
    def may(request: Request, user: UserDep, store_id: str, action: str) -> dict[str, Any]:
        permissions.require(workspace_of(request), user, action, store_id)
        return {"ok": True}

    @app.post("/api/stores/{store_id}/grants", dependencies=[Depends(check_csrf)])
    def grant(request: Request, user: UserDep, store_id: str, body: GrantBody) -> dict[str, Any]:
        return {"changed": access.grant(workspace_of(request), store_id, body.agency, user)}

    @app.post("/api/stores/{store_id}/operators", dependencies=[Depends(check_csrf)])
    def assign(request: Request, user: UserDep, store_id: str, body: Assignment) -> dict[str, Any]:
        return {"changed": access.assign_operator(workspace_of(request), body.email, store_id, user)}

    @app.post("/api/orgs/{org_id}/users", status_code=201, dependencies=[Depends(check_csrf)])
    def add_user(request: Request, user: UserDep, org_id: str, body: NewUser) -> dict[str, Any]:
        added = users.add(workspace_of(request), body.email, body.name, org_id, body.role, body.password, user)
        return {"user_id": added.user_id}

    return app


def page_csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str, next_path: str = "/dummy") -> httpx.Response:
    """Open the sign-in page (which sets the pre-sign-in CSRF cookie) and post the form."""
    token = page_csrf(client.get("/login").text)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token,
                                       "next": next_path}, follow_redirects=False)
