"""Browser sessions: a random token in the cookie, only its SHA-256 in the catalog.

A stolen catalog file therefore opens no session. A session ends 12 hours after sign-in, after
2 hours without a request, at sign-out, or when the user is disabled or changes the password.
Each session carries its own CSRF token (synchronizer pattern): forms echo it, ``web/security.py``
compares.

``last_seen`` is refreshed at most once a minute and outside the workspace write lock: it is
bookkeeping, not a change anyone audits, and a page view must not queue behind an import. A
``Session`` carries the ``last_seen`` it left in the catalog, so a caller that remembers sessions
between requests (the web app, ``web/identities.py``) knows when the next one must come here again.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from kpiguard.accounts.audit import Origin, record_in
from kpiguard.accounts.clock import as_utc
from kpiguard.accounts.db import writing
from kpiguard.accounts.model import User
from kpiguard.accounts.users import load_in
from kpiguard.workspace import Workspace

LIFETIME = timedelta(hours=12)
IDLE_TIMEOUT = timedelta(hours=2)
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str
    expires_at: datetime
    last_seen: datetime | None = None  # as the catalog now holds it (None: not known)


def digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()


def open_in(con: duckdb.DuckDBPyConnection, user_id: int, ip: str | None, now: datetime) -> tuple[str, Session]:
    """Start a session inside the caller's (sign-in) transaction; returns the cookie's token."""
    con.execute("DELETE FROM sessions WHERE expires_at_utc <= ? OR last_seen_utc <= ?", [now, now - IDLE_TIMEOUT])
    raw, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + LIFETIME
    con.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?)", [digest(raw), user_id, csrf, ip, now, expires, now])
    user = load_in(con, user_id)
    assert user is not None
    return raw, Session(user, csrf, expires, now)


def resolve(ws: Workspace, raw_token: str, now: datetime) -> Session | None:
    """The live session for a cookie's token, or None (unknown, expired, idle, user disabled)."""
    if not raw_token or len(raw_token) > 200:
        return None
    key = digest(raw_token)
    with ws.connect() as con:
        row = con.execute("SELECT user_id, csrf_token, expires_at_utc, last_seen_utc FROM sessions "
                          "WHERE token_sha256 = ?", [key]).fetchone()
        if row is None:
            return None
        expires, last_seen = as_utc(row[2]), as_utc(row[3])
        if now >= expires or now - last_seen >= IDLE_TIMEOUT:
            return None
        user = load_in(con, int(row[0]))
        if user is None:
            return None
        if now - last_seen >= TOUCH_EVERY:
            # a concurrent request may touch it first; one of the two updates is enough
            with contextlib.suppress(duckdb.Error):
                con.execute("UPDATE sessions SET last_seen_utc = ? WHERE token_sha256 = ?", [now, key])
                last_seen = now
    return Session(user, str(row[1]), expires, last_seen)


def close(ws: Workspace, raw_token: str, user: User, ip: str | None = None) -> None:
    """Sign out: the session row is deleted, so the cookie opens nothing even if it was copied."""
    with writing(ws) as con:
        con.execute("DELETE FROM sessions WHERE token_sha256 = ?", [digest(raw_token)])
        record_in(con, Origin.of(user, ip), "logout", f"user:{user.email}", {"org_id": user.org_id})
