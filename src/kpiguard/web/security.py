"""Who is calling, and may this request be trusted: session cookie or API token, CSRF, cookies.

* Identity: ``Authorization: Bearer kpg_...`` (scripts) or the ``kpiguard_session`` cookie (browsers),
  resolved once per request and kept on ``request.state``; between requests the app remembers it
  while the catalog is unchanged (``identities.py``, which says why that is safe). A bearer header
  that is wrong is a 401 even when a cookie is present: an explicit credential must not silently
  fall back to another.
* CSRF, synchronizer pattern: a signed-in session has its own random CSRF token (in the catalog
  with the session). Every unsafe request (POST, PUT, PATCH, DELETE) by cookie must echo it, in the
  form field ``csrf_token`` (HTML forms) or the ``X-CSRF-Token`` header (``/api/`` calls by cookie
  must use the header). Bearer-token requests are exempt: a browser never adds that header by itself.
  Before sign-in (the sign-in form) the token is a random ``kpiguard_csrf`` cookie echoed by the form
  (double submit), which stops login CSRF.
* Cookies: HttpOnly, SameSite=Lax, Path=/, Secure when the request came over https.

``SecurityMiddleware`` sets the pre-sign-in CSRF cookie when a page asked for one, and headers that
keep pages out of other sites' frames; after a request that may have changed something it drops
the remembered identities before the answer leaves.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from fastapi import HTTPException, Request
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kpiguard.accounts.clock import Clock, utc_now
from kpiguard.accounts.model import User
from kpiguard.web.identities import identities_of
from kpiguard.workspace import Workspace

SESSION_COOKIE = "kpiguard_session"
LANG_COOKIE = "kpiguard_lang"  # the language choice the app's /lang/{code} stores
CSRF_COOKIE = "kpiguard_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_IDENTITY = "kpiguard_identity"
_NEW_CSRF = "kpiguard_new_csrf"
_MISSING = object()


class NotAuthenticated(HTTPException):
    """No valid credentials on an API request (401); scripts should send a bearer token."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message, headers={"WWW-Authenticate": "Bearer"})


class CsrfFailed(HTTPException):
    """An unsafe request without the right CSRF token (403)."""

    def __init__(self) -> None:
        super().__init__(403, "the form is missing or has an outdated security token (CSRF); reload the page "
                              "and try again / 表单安全令牌缺失或已过期，请刷新页面后重试")


@dataclass(frozen=True)
class Identity:
    user: User
    via: Literal["session", "token"]
    csrf: str | None = None  # the session's CSRF token; None for API tokens
    session_token: str | None = None  # the cookie's raw value, to end the session at sign-out
    expires_at: datetime | None = None


def workspace_of(request: Request) -> Workspace:
    """The workspace the app serves (``app.state.workspace``)."""
    ws: Workspace = request.app.state.workspace
    return ws


def clock_of(request: Request) -> Clock:
    """The clock sessions and the rate limit use: ``app.state.auth_clock`` when a test set one."""
    clock: Clock = getattr(request.app.state, "auth_clock", utc_now)
    return clock


def client_ip(request: Request) -> str:
    """The caller's address (uvicorn's ``--proxy-headers`` puts the forwarded one here)."""
    return request.client.host if request.client else "unknown"


def is_api(request: Request) -> bool:
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def identify(request: Request) -> Identity | None:
    """The caller, from a bearer token or the session cookie; None when anonymous. Cached per request."""
    cached = getattr(request.state, _IDENTITY, _MISSING)
    if cached is not _MISSING:
        return cached  # type: ignore[return-value]
    ws, now = workspace_of(request), clock_of(request)()
    known = identities_of(request.app.state)
    header = request.headers.get("authorization")
    found: Identity | None = None
    if header is not None:
        scheme, _, value = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise NotAuthenticated("use 'Authorization: Bearer <token>' (kpiguard token create) / 请使用 Bearer 令牌")
        user = known.token_user(ws, value.strip(), now)
        if user is None:
            raise NotAuthenticated("the API token is unknown or revoked / API令牌无效或已撤销")
        found = Identity(user, "token")
    else:
        raw = request.cookies.get(SESSION_COOKIE)
        session = known.session(ws, raw, now) if raw else None
        if session is not None and raw is not None:
            found = Identity(session.user, "session", session.csrf_token, raw, session.expires_at)
    setattr(request.state, _IDENTITY, found)
    return found


def forget_identity(request: Request) -> None:
    """Drop the cached identity (after sign-in or sign-out changed it within this request)."""
    if hasattr(request.state, _IDENTITY):
        delattr(request.state, _IDENTITY)


# -- cookies ---------------------------------------------------------------------------------
def set_session_cookie(response: Response, request: Request, raw_token: str, lifetime: timedelta) -> None:
    response.set_cookie(SESSION_COOKIE, raw_token, max_age=int(lifetime.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=is_https(request))


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))


def _csrf_cookie_header(value: str, secure: bool) -> str:
    probe = Response()
    probe.set_cookie(CSRF_COOKIE, value, path="/", httponly=True, samesite="lax", secure=secure)
    return probe.headers["set-cookie"]


# -- CSRF ------------------------------------------------------------------------------------
def csrf_token(request: Request) -> str:
    """The token a page puts in its forms (``<input type=hidden name=csrf_token>``) and its scripts
    send as ``X-CSRF-Token``: the session's, or before sign-in the browser's ``kpiguard_csrf`` cookie
    (created on the spot; ``SecurityMiddleware`` sends it with the page)."""
    ident = identify(request)
    if ident is not None and ident.csrf:
        return ident.csrf
    existing = request.cookies.get(CSRF_COOKIE)
    if existing and 20 <= len(existing) <= 100:
        return existing
    fresh: str | None = getattr(request.state, _NEW_CSRF, None)
    if fresh is None:
        fresh = secrets.token_urlsafe(32)
        setattr(request.state, _NEW_CSRF, fresh)
    return fresh


def attach_csrf_cookie(request: Request, response: Response) -> None:
    """Set the pre-sign-in CSRF cookie ``csrf_token`` created for this request on ``response``
    (what ``SecurityMiddleware`` does for every page; call it where the middleware is not installed)."""
    fresh: str | None = getattr(request.state, _NEW_CSRF, None)
    if fresh:
        response.headers.append("set-cookie", _csrf_cookie_header(fresh, is_https(request)))
        setattr(request.state, _NEW_CSRF, None)  # set once: the middleware sees it done


async def check_csrf(request: Request) -> None:
    """Dependency for every route that changes something; a no-op for GET and for bearer tokens.

    Raises ``CsrfFailed`` (403) when the token is missing or wrong."""
    if request.method in SAFE_METHODS:
        return
    ident = identify(request)
    if ident is not None and ident.via == "token":
        return
    expected = ident.csrf if ident is not None else request.cookies.get(CSRF_COOKIE)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and not is_api(request) and request.headers.get("content-type", "").startswith(_FORM_TYPES):
        value = (await request.form()).get(CSRF_FIELD)  # Starlette caches the parsed form for the route
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise CsrfFailed()


# -- middleware ------------------------------------------------------------------------------
class SecurityMiddleware:
    """Adds the pre-sign-in CSRF cookie a page asked for, and framing/sniffing/referrer headers."""

    HEADERS = (("x-frame-options", "DENY"), ("x-content-type-options", "nosniff"),
               ("referrer-policy", "same-origin"))

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        changes = scope.get("method", "GET") not in SAFE_METHODS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                if changes:  # whatever it changed (a grant, a role, a session) counts from the next request
                    app = scope.get("app")
                    if app is not None:
                        identities_of(app.state).forget()
                headers = MutableHeaders(scope=message)
                for name, value in self.HEADERS:
                    if name not in headers:
                        headers[name] = value
                fresh = scope.get("state", {}).get(_NEW_CSRF)
                if fresh:
                    headers.append("set-cookie", _csrf_cookie_header(fresh, scope.get("scheme") == "https"))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if changes and scope.get("app") is not None:  # also when it failed before answering
                identities_of(scope["app"].state).forget()
