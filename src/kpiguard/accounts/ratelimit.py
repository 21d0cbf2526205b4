"""Sign-in rate limit: at most 5 failures per e-mail and address in 15 minutes, 50 per address.

Counting failures since the last success (for that e-mail and address) inside a sliding window
keeps a user who mistyped twice from being locked out later, while a guesser gets five tries per
quarter hour. The per-address cap stops one machine trying many e-mails. The answer says how long
to wait: until enough failures have left the window.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import duckdb

MAX_FAILURES = 5
MAX_FAILURES_PER_IP = 50
WINDOW = timedelta(minutes=15)


def note(con: duckdb.DuckDBPyConnection, email: str, ip: str, ok: bool, now: datetime) -> None:
    con.execute("INSERT INTO login_attempts VALUES (?, ?, ?, ?)", [email, ip, now, ok])


def retry_after(con: duckdb.DuckDBPyConnection, email: str, ip: str, now: datetime) -> int | None:
    """Seconds to wait before the next attempt is accepted, or None when it may go ahead."""
    since = now - WINDOW
    last_ok = con.execute("SELECT max(at_utc) FROM login_attempts WHERE email = ? AND ip = ? AND ok",
                          [email, ip]).fetchone()
    start = max(since, last_ok[0]) if last_ok and last_ok[0] is not None else since
    pair = _failures(con, "email = ? AND ip = ?", [email, ip], start)
    everyone = _failures(con, "ip = ?", [ip], since)
    waits = [w for w in (_wait(pair, MAX_FAILURES, now), _wait(everyone, MAX_FAILURES_PER_IP, now)) if w]
    return max(waits) if waits else None


def _failures(con: duckdb.DuckDBPyConnection, where: str, params: list[object], start: datetime) -> list[datetime]:
    rows = con.execute(f"SELECT at_utc FROM login_attempts WHERE {where} AND NOT ok AND at_utc > ? ORDER BY at_utc",
                       [*params, start]).fetchall()
    return [r[0] for r in rows]


def _wait(failures: list[datetime], limit: int, now: datetime) -> int | None:
    """With n >= limit failures in the window, the (n - limit + 1)-th oldest must leave it first."""
    if len(failures) < limit:
        return None
    frees_at = failures[len(failures) - limit] + WINDOW
    return max(1, math.ceil((frees_at - now).total_seconds()))
