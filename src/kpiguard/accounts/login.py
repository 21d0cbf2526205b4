"""Signing in: rate limit, password check, a new session; every attempt audited and in the ledger.

The answer to a wrong e-mail and to a wrong password is the same ``LoginFailed``, so sign-in does
not reveal who has an account. The check, the attempt record and the new session commit together.
"""

from __future__ import annotations

from datetime import datetime

from kpiguard.accounts import passwords, ratelimit, sessions
from kpiguard.accounts.audit import Origin, record_in
from kpiguard.accounts.db import writing
from kpiguard.accounts.users import normalize_email
from kpiguard.errors import Finding, UserError
from kpiguard.workspace import Workspace


class LoginFailed(UserError):
    """Wrong e-mail or password, or a disabled user (HTTP 401); the message does not say which."""

    status_code = 401

    def __init__(self) -> None:
        super().__init__("e-mail or password is wrong / 邮箱或密码错误", [Finding(
            "login.failed", "e-mail or password is wrong", column="password",
            hint="check both; after 5 failures sign-in pauses for 15 minutes / 连续5次失败将暂停15分钟")])


class RateLimited(UserError):
    """Too many failures lately (HTTP 429); ``retry_after`` seconds until the next attempt counts."""

    status_code = 429

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, round(retry_after / 60))
        super().__init__(f"too many failed sign-ins; try again in about {minutes} min / "
                         f"登录失败次数过多，请约{minutes}分钟后再试")
        self.retry_after = retry_after


def login(ws: Workspace, email: str, password: str, ip: str, now: datetime) -> tuple[str, sessions.Session]:
    """The new session's cookie token and the session, or ``LoginFailed`` / ``RateLimited``."""
    email = normalize_email(email)[:320]
    with writing(ws) as con:
        wait = ratelimit.retry_after(con, email, ip, now)
        if wait is not None:
            raise RateLimited(wait)  # nothing to commit: the refused attempt is not counted
        row = con.execute("SELECT user_id, password_hash, disabled, org_id FROM users WHERE email = ?",
                          [email]).fetchone()
        ok = passwords.verify(row[1] if row else None, password) and row is not None and not row[2]
        ratelimit.note(con, email, ip, ok, now)
        if not ok or row is None:
            reason = "no such user" if row is None else "disabled" if row[2] else "wrong password"
            record_in(con, Origin(email, None, ip), "login.failed", f"user:{email}",
                      {"email": email, "reason": reason, "org_id": row[3] if row else None}, at=now)
            session = None
        else:
            if passwords.needs_rehash(row[1]):
                con.execute("UPDATE users SET password_hash = ? WHERE user_id = ?",
                            [passwords.hash_password(password), row[0]])
            raw, session = sessions.open_in(con, int(row[0]), ip, now)
            record_in(con, Origin.of(session.user, ip), "login.ok", f"user:{email}",
                      {"org_id": session.user.org_id}, at=now)
    if session is None:
        raise LoginFailed()
    return raw, session
