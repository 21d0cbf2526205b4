"""API tokens for scripts: ``Authorization: Bearer kpg_...``. Shown once, stored as a SHA-256.

A token acts as its user with the user's role; revoking it (or disabling the user) stops it at the
next request. Tokens are long random strings, so a plain SHA-256 is enough to make the stored form
useless (unlike passwords, they cannot be guessed from a dictionary).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

import duckdb

from kpiguard.accounts.audit import Origin, record_in
from kpiguard.accounts.clock import as_utc, utc_now
from kpiguard.accounts.db import next_id, writing
from kpiguard.accounts.model import User
from kpiguard.accounts.users import load_in, normalize_email
from kpiguard.accounts.users import unknown as unknown_user
from kpiguard.errors import Finding, InputError, NotFoundError
from kpiguard.workspace import Workspace

PREFIX = "kpg_"
TOUCH_EVERY_SECONDS = 60


@dataclass(frozen=True)
class ApiToken:
    token_id: int
    name: str
    user_id: int
    created_at: datetime
    last_used: datetime | None
    revoked_at: datetime | None

    def to_dict(self) -> dict[str, object]:
        return {"token_id": self.token_id, "name": self.name, "user_id": self.user_id,
                "created_at": self.created_at.isoformat(),
                "last_used": self.last_used.isoformat() if self.last_used else None,
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create(ws: Workspace, email: str, name: str, by: User | str | Origin) -> tuple[ApiToken, str]:
    """A new token for the user with ``email``; returns it with the secret, which is never shown again.
    From the web a user creates tokens for themself only."""
    origin = Origin.of(by)
    email = normalize_email(email)
    name = name.strip()
    if not name or len(name) > 100:
        raise InputError("the token needs a name (1-100 characters) / 令牌需要名称", [Finding(
            "token.name", "the name is empty or longer than 100 characters", column="--name",
            hint="what the script is, e.g. --name 'nightly import'")])
    with writing(ws) as con:
        row = con.execute("SELECT user_id FROM users WHERE email = ? AND NOT disabled", [email]).fetchone()
        if row is None or (origin.user is not None and origin.user.email != email):
            raise unknown_user(email)
        raw = PREFIX + secrets.token_urlsafe(32)
        token_id = next_id(con, "api_tokens", "token_id")
        now = utc_now()
        con.execute("INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, NULL, NULL)",
                    [token_id, digest(raw), name, int(row[0]), now])
        user = load_in(con, int(row[0]))
        record_in(con, origin, "token.create", f"user:{email}",
                  {"token_id": token_id, "name": name, "org_id": user.org_id if user else None})
    return ApiToken(token_id, name, int(row[0]), now, None, None), raw


def resolve(ws: Workspace, raw: str, now: datetime) -> User | None:
    """The user a live token acts as, or None (unknown, revoked, user disabled)."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    key = digest(raw)
    with ws.connect() as con:
        row = con.execute("SELECT token_id, user_id, last_used_utc FROM api_tokens "
                          "WHERE token_sha256 = ? AND revoked_at_utc IS NULL", [key]).fetchone()
        if row is None:
            return None
        user = load_in(con, int(row[1]))
        if user is not None and (row[2] is None or (now - as_utc(row[2])).total_seconds() >= TOUCH_EVERY_SECONDS):
            # a concurrent request may record the use first; either time will do
            with contextlib.suppress(duckdb.Error):
                con.execute("UPDATE api_tokens SET last_used_utc = ? WHERE token_id = ?", [now, row[0]])
    return user


def revoke(ws: Workspace, token_id: int, by: User | str | Origin) -> ApiToken:
    """Revoke a token (from the web: only one's own). The row stays, stamped with the time."""
    origin = Origin.of(by)
    with writing(ws) as con:
        row = con.execute("SELECT t.user_id, u.email, u.org_id FROM api_tokens t JOIN users u USING (user_id) "
                          "WHERE t.token_id = ? AND t.revoked_at_utc IS NULL", [token_id]).fetchone()
        if row is None or (origin.user is not None and origin.user.user_id != row[0]):
            raise NotFoundError(f"no live token {token_id} / 令牌不存在", [Finding(
                "token.unknown", f"there is no live token with id {token_id}", column="TOKEN_ID",
                value=str(token_id), hint="see kpiguard token list")])
        con.execute("UPDATE api_tokens SET revoked_at_utc = ? WHERE token_id = ?", [utc_now(), token_id])
        record_in(con, origin, "token.revoke", f"user:{row[1]}", {"token_id": token_id, "org_id": row[2]})
    return next(t for t in list_for(ws, int(row[0])) if t.token_id == token_id)


def list_for(ws: Workspace, user_id: int | None = None) -> list[ApiToken]:
    """A user's tokens (every user's with None), revoked ones included; never the secrets."""
    ws.require()
    with ws.connect() as con:
        sql = "SELECT token_id, name, user_id, created_at_utc, last_used_utc, revoked_at_utc FROM api_tokens"
        rows = (con.execute(sql + " WHERE user_id = ? ORDER BY token_id", [user_id]) if user_id is not None
                else con.execute(sql + " ORDER BY token_id")).fetchall()
    return [ApiToken(int(r[0]), r[1], int(r[2]), as_utc(r[3]), as_utc(r[4]) if r[4] else None,
                     as_utc(r[5]) if r[5] else None) for r in rows]
