"""The time accounts use: sessions expire, tokens age, sign-in failures leave a window.

Every function that needs "now" takes a ``Clock`` so tests can move time forward without sleeping.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """DuckDB hands TIMESTAMPTZ back in the session's zone (UTC here); naive values are UTC too."""
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
