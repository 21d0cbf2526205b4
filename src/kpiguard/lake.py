"""Reading the lake: every stored row of a canonical table, or only the current version of each.

Rows are never updated in place. When overlapping exports carry the same fact (same natural key),
the current version is the one with the latest ``source_updated_utc`` (when the platform last
changed it), then the latest import. Superseded versions stay readable for audit.
"""

from __future__ import annotations

import duckdb

from kpiguard.canonical import TABLES, TableSpec
from kpiguard.ingest.sqlmacros import sql_literal
from kpiguard.workspace import Workspace


def all_rows_sql(ws: Workspace, table: str) -> str:
    """Every stored version of every row (SQL text); an empty typed relation when none."""
    spec = TABLES[table]
    if not ws.has_table_data(table):
        return _empty_sql(spec)
    return (
        f"SELECT * FROM read_parquet({sql_literal(ws.table_glob(table))}, "
        "hive_partitioning = false, union_by_name = true)"
    )


def current_sql(ws: Workspace, table: str) -> str:
    """The current version of each natural key (SQL text)."""
    spec = TABLES[table]
    keys = ", ".join(f'"{k}"' for k in spec.natural_key)
    return (
        f"SELECT * EXCLUDE (_version) FROM (SELECT *, row_number() OVER (PARTITION BY {keys} "
        "ORDER BY source_updated_utc DESC NULLS LAST, import_id DESC, raw_row DESC) AS _version "
        f"FROM ({all_rows_sql(ws, table)})) WHERE _version = 1"
    )


def current(ws: Workspace, table: str, con: duckdb.DuckDBPyConnection | None = None) -> duckdb.DuckDBPyRelation:
    connection = con or _default_connection()
    return connection.sql(current_sql(ws, table))


def _default_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    return con


def _empty_sql(spec: TableSpec) -> str:
    cols = ", ".join(f'CAST(NULL AS {t}) AS "{n}"' for n, t in spec.all_columns)
    return f"SELECT {cols} WHERE false"
