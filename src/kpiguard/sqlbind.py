"""Run a parameterised statement with its values written into the SQL as literals.

DuckDB's Python client imports pandas (and with it numpy) before it binds the first parameter of
a process (duckdb PR 18658): 0.6–0.9 s on these machines, more than a whole small import, and a
command such as ``kpiguard import`` binds only a handful of values (its store, the catalog rows,
the ledger entry). ``execute`` writes each ``?`` as a literal of its value instead, for the
types the catalog's statements use: NULL, booleans, integers, text, dates and timestamps.

It is exact, not a shortcut around quoting: text becomes a standard SQL string (DuckDB gives
backslashes no meaning there; a quote is doubled), integers and dates their exact forms,
timestamps their ISO form with microseconds and offset. A value of any other type (Decimal,
float, bytes), text with a NUL character, or a placeholder count that does not match, falls
back to DuckDB's own binding, so the result is the same either way, only slower.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import duckdb


class Unrenderable(Exception):
    """A value with no exact literal here: let DuckDB bind it."""


def literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise Unrenderable("NUL in text")
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, datetime):
        kind = "TIMESTAMPTZ" if value.tzinfo is not None else "TIMESTAMP"
        return f"{kind} '{value.isoformat(sep=' ', timespec='microseconds')}'"
    if isinstance(value, date):
        return f"DATE '{value.isoformat()}'"
    raise Unrenderable(type(value).__name__)


def bind(sql: str, params: Sequence[object]) -> str:
    """``sql`` with its ``?`` placeholders (outside quotes and comments) replaced, in order."""
    out: list[str] = []
    values = iter(params)
    used = 0
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in ("'", '"'):  # a string or a quoted identifier: copied up to its closing quote
            end = sql.find(ch, i + 1)
            while end != -1 and end + 1 < n and sql[end + 1] == ch:  # a doubled quote inside
                end = sql.find(ch, end + 2)
            if end == -1:
                raise Unrenderable("unclosed quote")
            out.append(sql[i:end + 1])
            i = end + 1
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end == -1 else end
            out.append(sql[i:end])
            i = end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                raise Unrenderable("unclosed comment")
            out.append(sql[i:end + 2])
            i = end + 2
        elif ch == "?":
            try:
                out.append(literal(next(values)))
            except StopIteration:
                raise Unrenderable("more placeholders than values") from None
            used += 1
            i += 1
        else:
            out.append(ch)
            i += 1
    if used != len(params):
        raise Unrenderable("more values than placeholders")
    return "".join(out)


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object]) -> duckdb.DuckDBPyConnection:
    """``con.execute(sql, params)``, without DuckDB's parameter binding where the values allow."""
    try:
        text = bind(sql, params)
    except Unrenderable:
        return con.execute(sql, list(params))
    return con.execute(text)
