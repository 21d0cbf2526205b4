"""Signing in and out, API tokens, and the dependencies every route uses to know its user.

Routes: ``GET /login`` (the form; zh-CN and English), ``POST /login`` (sets the ``kpiguard_session``
cookie), ``POST /logout``, and ``/api/tokens`` (create, list and revoke one's own API tokens; creating
needs a browser session, so a leaked token cannot mint more).

Dependencies for the app's routes:

* ``current_user``: the signed-in ``User``; without credentials an HTML route redirects to
  ``/login?next=...`` and an ``/api/`` route answers 401 JSON.
* ``optional_user``: the user or None.
* ``check_csrf``: on every route that changes something (see ``security.py``).

``install(app)`` adds the router, ``SecurityMiddleware`` and the error pages for this module's
errors. ``audit(request, user, action, target, detail)`` records a change in the audit log and the
ledger; routes call it after every change they make.

The sign-in form is a small page of its own; an app with its own template sets
``app.state.login_page = fn(request, error, status_code, email, next_path) -> Response``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, FastAPI, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from kpiguard.accounts import audit as audit_log
from kpiguard.accounts import sessions, tokens
from kpiguard.accounts.audit import AuditEntry, Origin
from kpiguard.accounts.login import LoginFailed, RateLimited, login
from kpiguard.accounts.model import User
from kpiguard.accounts.permissions import PermissionDenied
from kpiguard.web.identities import Identities, identities_of
from kpiguard.web.security import (
    CSRF_FIELD,
    LANG_COOKIE,
    CsrfFailed,
    NotAuthenticated,
    SecurityMiddleware,
    attach_csrf_cookie,
    check_csrf,
    clear_session_cookie,
    client_ip,
    clock_of,
    csrf_token,
    forget_identity,
    identify,
    is_api,
    set_session_cookie,
    workspace_of,
)
from kpiguard.workspace import Workspace

__all__ = ["audit", "check_csrf", "csrf_token", "current_user", "install", "login_page", "optional_user",
           "router", "workspace_of"]

router = APIRouter()
LoginPage = Callable[[Request, "str | None", int, str, str], Response]


class LoginRequired(HTTPException):
    """A browser without a session on an HTML route: 303 to the sign-in page, coming back after."""

    def __init__(self, request: Request) -> None:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        super().__init__(303, "sign in first / 请先登录", headers={"Location": f"/login?next={quote(back, safe='')}"})


# -- dependencies ----------------------------------------------------------------------------
def current_user(request: Request) -> User:
    """The signed-in user (session cookie or bearer token); 303 to /login or 401 on /api/ otherwise."""
    ident = identify(request)
    if ident is None:
        if is_api(request):
            raise NotAuthenticated("sign in, or send 'Authorization: Bearer <token>' / 请先登录或提供API令牌")
        raise LoginRequired(request)
    return ident.user


def optional_user(request: Request) -> User | None:
    ident = identify(request)
    return ident.user if ident is not None else None


def audit(source: Request | Workspace, user: User | None, action: str, target: str,
          detail: dict[str, Any] | None = None, stores: Iterable[str] = ()) -> AuditEntry:
    """Record a change (``action`` like ``plan.sign``, ``target`` like ``plan:acme-2026q4``) with the
    caller's address, in the audit log and the ledger. ``stores`` lets the store's other party read it."""
    if isinstance(source, Request):
        ws, ip = workspace_of(source), client_ip(source)
    else:
        ws, ip = source, None
    by = Origin.of(user, ip) if user is not None else Origin("anonymous", None, ip)
    return audit_log.record(ws, by, action, target, detail, stores)


# -- the sign-in page ------------------------------------------------------------------------
TEXT = {
    "en": {"title": "Sign in — kpiguard", "heading": "Sign in", "email": "E-mail", "password": "Password",
           "submit": "Sign in", "other": "中文", "other_lang": "zh-CN",
           "tagline": "KPI plans that seller and agency both sign",
           "failed": "E-mail or password is wrong.",
           "limited": "Too many failed sign-ins. Try again in about {minutes} minutes.",
           "csrf": "The form had expired. Please try again."},
    "zh-CN": {"title": "登录 — kpiguard", "heading": "登录", "email": "邮箱", "password": "密码", "submit": "登录",
              "other": "English", "other_lang": "en", "tagline": "卖家与服务商共同签署的KPI考核方案",
              "failed": "邮箱或密码错误。", "limited": "登录失败次数过多，请约{minutes}分钟后再试。",
              "csrf": "表单已过期，请重试。"},
}


def page_lang(request: Request) -> str:
    """``?lang=``, else the language cookie, else the browser's first choice; Chinese by default."""
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if not chosen:
        chosen = "en" if request.headers.get("accept-language", "").lower().startswith("en") else "zh-CN"
    return "en" if chosen.lower().startswith("en") else "zh-CN"


def safe_next(value: str | None) -> str:
    """Where to go after sign-in: a path on this site only (never ``//evil.example`` or a URL)."""
    if (not value or not value.startswith("/") or value.startswith("//") or "\\" in value
            or any(ord(c) < 32 for c in value) or value.startswith("/login")):
        return "/"
    return value


def login_page(request: Request, error: str | None = None, status_code: int = 200, email: str = "",
               next_path: str = "/") -> Response:
    """The sign-in form (``app.state.login_page`` when the app provides its own)."""
    custom: LoginPage | None = getattr(request.app.state, "login_page", None)
    response = custom(request, error, status_code, email, next_path) if custom else _builtin_page(
        request, error, status_code, email, next_path)
    response.headers["Cache-Control"] = "no-store"
    attach_csrf_cookie(request, response)
    return response


def _builtin_page(request: Request, error: str | None, status_code: int, email: str, next_path: str) -> Response:
    lang = page_lang(request)
    t = TEXT[lang]
    esc = html.escape
    alert = f'<p class="error" role="alert">{esc(error)}</p>' if error else ""
    switch = f"/login?lang={t['other_lang']}&next={quote(safe_next(next_path), safe='')}"
    body = f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(t['title'])}</title><link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<style>body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}}
label{{display:block;margin:.8rem 0 .2rem}}input{{width:100%;padding:.45rem;box-sizing:border-box}}
button{{margin-top:1rem;padding:.5rem 1.2rem}}.error{{color:#b00020}}small{{color:#666}}</style></head>
<body><main><h1>{esc(t['heading'])}</h1><p><small>{esc(t['tagline'])}</small></p>{alert}
<form method="post" action="/login">
<input type="hidden" name="{CSRF_FIELD}" value="{esc(csrf_token(request))}">
<input type="hidden" name="next" value="{esc(safe_next(next_path))}">
<label for="email">{esc(t['email'])}</label>
<input id="email" name="email" type="email" autocomplete="username" required value="{esc(email)}">
<label for="password">{esc(t['password'])}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{esc(t['submit'])}</button></form>
<p><a href="{esc(switch)}" hreflang="{t['other_lang']}">{esc(t['other'])}</a></p></main></body></html>"""
    return HTMLResponse(body, status_code=status_code)


@router.get("/login", include_in_schema=False)
def login_form(request: Request, next: str = "/") -> Response:
    if identify(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return login_page(request, next_path=next)


@router.post("/login", include_in_schema=False, dependencies=[Depends(check_csrf)])
def login_submit(request: Request, email: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
                 next: Annotated[str, Form()] = "/") -> Response:
    t = TEXT[page_lang(request)]
    try:
        raw, session = login(workspace_of(request), email, password, client_ip(request), clock_of(request)())
    except RateLimited as exc:
        page = login_page(request, t["limited"].format(minutes=max(1, round(exc.retry_after / 60))), 429, email, next)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    except LoginFailed:
        return login_page(request, t["failed"], 401, email, next)
    forget_identity(request)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, request, raw, session.expires_at - clock_of(request)())
    return response


@router.post("/logout", include_in_schema=False, dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    ident = identify(request)
    if ident is not None and ident.session_token:
        sessions.close(workspace_of(request), ident.session_token, ident.user, client_ip(request))
    identities_of(request.app.state).forget()  # the cookie opens nothing from now on, copies included
    forget_identity(request)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, request)
    return response


# -- API tokens ------------------------------------------------------------------------------
class TokenRequest(BaseModel):
    name: str = Field(min_length=1, max_length=100, description="what the token is for, e.g. 'nightly import'")


class TokenInfo(BaseModel):
    token_id: int
    name: str
    created_at: datetime
    last_used: datetime | None = None
    revoked_at: datetime | None = None


class TokenCreated(TokenInfo):
    token: str = Field(description="the secret; shown this once, send it as 'Authorization: Bearer <token>'")


_ERRORS: dict[int | str, dict[str, Any]] = {401: {"description": "not signed in"},
                                            403: {"description": "CSRF token missing, or not allowed"}}
UserDep = Annotated[User, Depends(current_user)]


@router.post("/api/tokens", status_code=201, response_model=TokenCreated, tags=["tokens"], responses=_ERRORS,
             dependencies=[Depends(check_csrf)])
def create_token(request: Request, body: TokenRequest, user: UserDep) -> TokenCreated:
    """Create an API token for yourself (needs a browser session, not another token)."""
    ident = identify(request)
    if ident is None or ident.via != "session":
        raise PermissionDenied("API tokens are created from a signed-in browser session / 请在浏览器登录后创建API令牌")
    token, raw = tokens.create(workspace_of(request), user.email, body.name, Origin.of(user, client_ip(request)))
    return TokenCreated(**_info(token).model_dump(), token=raw)


@router.get("/api/tokens", response_model=list[TokenInfo], tags=["tokens"], responses=_ERRORS)
def list_tokens(request: Request, user: UserDep) -> list[TokenInfo]:
    """Your API tokens (never their secrets), revoked ones included."""
    return [_info(t) for t in tokens.list_for(workspace_of(request), user.user_id)]


@router.delete("/api/tokens/{token_id}", response_model=TokenInfo, tags=["tokens"],
               responses={**_ERRORS, 404: {"description": "no such live token of yours"}},
               dependencies=[Depends(check_csrf)])
def revoke_token(request: Request, user: UserDep, token_id: Annotated[int, Path(ge=1, le=2**53)]) -> TokenInfo:
    """Revoke one of your API tokens; it stops working at once."""
    return _info(tokens.revoke(workspace_of(request), token_id, Origin.of(user, client_ip(request))))


def _info(t: tokens.ApiToken) -> TokenInfo:
    return TokenInfo(token_id=t.token_id, name=t.name, created_at=t.created_at, last_used=t.last_used,
                     revoked_at=t.revoked_at)


# -- wiring ----------------------------------------------------------------------------------
def install(app: FastAPI) -> None:
    """Add the sign-in routes, ``SecurityMiddleware`` and the answers for this module's errors."""
    app.state.identities = Identities()  # sessions and users remembered between requests (identities.py)
    app.add_middleware(SecurityMiddleware)
    app.add_exception_handler(LoginRequired, _http_error)
    app.add_exception_handler(NotAuthenticated, _http_error)
    app.add_exception_handler(CsrfFailed, _http_error)
    app.include_router(router)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if isinstance(exc, LoginRequired):
        return RedirectResponse(exc.headers["Location"] if exc.headers else "/login", status_code=303)
    if is_api(request) or isinstance(exc, NotAuthenticated):
        return JSONResponse({"error": exc.detail, "findings": []}, status_code=exc.status_code, headers=exc.headers)
    if isinstance(exc, CsrfFailed) and request.url.path == "/login":
        page = login_page(request, TEXT[page_lang(request)]["csrf"], 403)
        return page
    body = (f"<!doctype html><html><meta charset='utf-8'><title>{exc.status_code}</title><body>"
            f"<h1>{exc.status_code}</h1><p>{html.escape(str(exc.detail))}</p><p><a href='/'>←</a></p></body></html>")
    return HTMLResponse(body, status_code=exc.status_code)
