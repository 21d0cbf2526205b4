"""Opening the catalog for the alert tables: a reader, and a writer with its transaction.

A writer holds the workspace's write lock and one DuckDB transaction, so a change and its ledger
entry commit together or not at all. Neither is held across network calls (see ``delivery``):
DuckDB admits one process per catalog file, and a slow robot must not lock every other command
out of the workspace.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from kpiguard import catalog, transactions
from kpiguard.workspace import Workspace


@contextmanager
def reading(ws: Workspace) -> Iterator[duckdb.DuckDBPyConnection]:
    ws.require()
    with ws.connect() as con:
        catalog.ensure_schema(con)
        yield con


writing = transactions.writing  # the project's one writer: write lock + one transaction


def next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    row = con.execute(f"SELECT coalesce(max({column}), 0) FROM {table}").fetchone()
    return int(row[0]) + 1 if row else 1
