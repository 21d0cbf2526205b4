"""Local dates of UTC instants without a time-zone library call per row.

``kg_local_date(t, tz)`` is ``CAST(timezone(tz, t) AS DATE)``: right, and the most expensive
expression of an import (DuckDB asks ICU's calendar for every row). A zone's offset from UTC is
constant between its transitions, and a report covers months, not decades: after the stage is
built, ``define_local_date`` looks up the store zone's offsets over the span of the file's
timestamps (Python's ``zoneinfo``, the same tz database) and redefines the macro as integer
arithmetic on the epoch with those few offsets. Instants outside that span, and other zones, still
go through ``timezone()``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import duckdb

from kpiguard.ingest.sqlmacros import sql_literal

ICU = "CAST(timezone(tz, t) AS DATE)"
STEP = timedelta(hours=6)  # no zone changes its offset twice within six hours
DAY_MS = 86_400_000


def define_local_date(con: duckdb.DuckDBPyConnection, zone: str, timestamps: list[str]) -> None:
    """Redefine ``kg_local_date`` for ``zone`` over the span of the stage's ``timestamps`` columns."""
    if not timestamps:
        return
    lows = ", ".join(f"min({c})" for c in timestamps)
    highs = ", ".join(f"max({c})" for c in timestamps)
    row = con.execute(f"SELECT least({lows}), greatest({highs}) FROM stage_t").fetchone()
    if row is None or row[0] is None:
        return
    lo, hi = row
    if lo.year < 1971 or hi.year > 2200:
        return
    stretches = offsets(zone, lo.astimezone(UTC), hi.astimezone(UTC))
    if not stretches:
        return
    con.execute(f"CREATE OR REPLACE MACRO kg_local_date(t, tz) AS {local_date_sql(zone, stretches)}")


def local_date_sql(zone: str, stretches: tuple[tuple[int, int, int], ...]) -> str:
    """The macro body: for ``zone`` and an instant inside the stretches, epoch arithmetic."""
    first, last = stretches[0][0], stretches[-1][1]
    arms = " ".join(f"WHEN epoch_ms(t) < {end} THEN {offset}" for _, end, offset in stretches[:-1])
    offset = f"CASE {arms} ELSE {stretches[-1][2]} END" if arms else str(stretches[-1][2])
    fast = f"DATE '1970-01-01' + CAST((epoch_ms(t) + {offset}) // {DAY_MS} AS INTEGER)"
    return (f"CASE WHEN tz = {sql_literal(zone)} AND epoch_ms(t) >= {first} AND epoch_ms(t) < {last} "
            f"THEN {fast} ELSE {ICU} END")


@lru_cache(maxsize=64)
def offsets(zone: str, lo: datetime, hi: datetime) -> tuple[tuple[int, int, int], ...]:
    """(start ms, end ms, offset ms) of each stretch of constant UTC offset covering [lo, hi]."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ()
    start = lo.replace(minute=0, second=0, microsecond=0)
    end = hi + STEP
    out: list[tuple[int, int, int]] = []
    begin, current = start, _offset_ms(tz, start)
    at = start
    while at < end:
        nxt = at + STEP
        if _offset_ms(tz, nxt) != current:
            change = _first_change(tz, at, nxt, current)
            out.append((_ms(begin), _ms(change), current))
            begin, current = change, _offset_ms(tz, change)
        at = nxt
    out.append((_ms(begin), _ms(end), current))
    return tuple(out)


def _first_change(tz: ZoneInfo, a: datetime, b: datetime, before: int) -> datetime:
    """The first second in (a, b] where the offset is no longer ``before``."""
    lo, hi = int(a.timestamp()), int(b.timestamp())
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _offset_ms(tz, datetime.fromtimestamp(mid, UTC)) == before:
            lo = mid
        else:
            hi = mid
    return datetime.fromtimestamp(hi, UTC)


def _offset_ms(tz: ZoneInfo, at: datetime) -> int:
    offset = at.astimezone(tz).utcoffset()
    return int(offset.total_seconds() * 1000) if offset is not None else 0


def _ms(at: datetime) -> int:
    return int(at.timestamp() * 1000)
