"""One writer, one transaction: a change to the catalog and its ledger entry commit together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from kpiguard import catalog
from kpiguard.workspace import Workspace


@contextmanager
def writing(ws: Workspace) -> Iterator[duckdb.DuckDBPyConnection]:
    """Hold the workspace's write lock and a catalog transaction; roll back on any error."""
    ws.require()
    with ws.write_lock(), ws.connect() as con:
        catalog.ensure_schema(con)
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")
