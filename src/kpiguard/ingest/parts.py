"""Writing canonical rows as Parquet parts under an import's staging folder.

One ``COPY ... TO ... (PARTITION_BY (month))`` per table, from whatever relation holds the rows:
the stage itself on the fast path (the canonical select runs while DuckDB writes), or a table of
canonical rows on the detailed path. Parts land in
``<staging>/lake/<table>/store=<id>/month=<YYYY-MM>/import-<n>-<i>.parquet``; ``RETURN_STATS``
gives each part's row count without reading it back.

Rows are written in no particular order: readers never rely on it (the current version of a row
is chosen by its source time, import and ``raw_row``), and sorting a million rows by every cell
cost more than writing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from kpiguard.canonical import TableSpec
from kpiguard.ingest.sqlmacros import sql_literal

# zstd at level 1: a quarter less CPU than DuckDB's default level 3, for parts 14% larger (200,000
# All Orders rows, measured: 10.7 MB instead of 9.4 MB); writing is a third of a large import
COMPRESSION = "zstd, COMPRESSION_LEVEL 1"


@dataclass(frozen=True)
class Part:
    table: str
    path: Path  # where it is staged
    rows: int


def folder(staging: Path, table: str, store_id: str | None) -> Path:
    return staging / "lake" / table / f"store={store_id or '_all'}"


def month_sql(spec: TableSpec) -> str:
    """The partition a canonical row goes to: the month of its partition date, or 'all'."""
    return f"strftime(\"{spec.partition_date}\", '%Y-%m')" if spec.partition_date else "'all'"


def write(con: duckdb.DuckDBPyConnection, select: str, spec: TableSpec, target: Path, import_id: int) -> list[Part]:
    """Write the rows of ``select`` (the table's columns plus ``month``) as parts under ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    stats = con.execute(
        f"COPY ({select}) TO {sql_literal(str(target))} (FORMAT PARQUET, PARTITION_BY (month), "
        f"FILENAME_PATTERN 'import-{import_id}-{{i}}', OVERWRITE_OR_IGNORE, COMPRESSION {COMPRESSION}, "
        "RETURN_STATS)"
    ).fetchall()
    return [Part(spec.name, Path(str(row[0])), int(row[1])) for row in stats if int(row[1])]
