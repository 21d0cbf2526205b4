"""Writing account changes: one transaction under the workspace's write lock, waiting briefly for it.

A server signs people in on many threads while an import may hold the lock for a moment; a sign-in
should wait a little instead of failing at once, so acquiring the lock is retried for a few
seconds before the ``WorkspaceError`` ("being written by another process") reaches the user.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import duckdb

from kpiguard import transactions
from kpiguard.errors import WorkspaceError
from kpiguard.workspace import Workspace

LOCK_WAIT_SECONDS = 5.0


@contextmanager
def writing(ws: Workspace, wait_seconds: float = LOCK_WAIT_SECONDS) -> Iterator[duckdb.DuckDBPyConnection]:
    """``transactions.writing`` with a short wait for the lock; the body's own errors pass through."""
    ws.require()
    deadline = time.monotonic() + wait_seconds
    while True:
        stack = ExitStack()
        try:
            con = stack.enter_context(transactions.writing(ws))
        except WorkspaceError:
            stack.close()
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.05)
            continue
        break
    with stack:
        yield con


def next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    """The next integer key of a small catalog table (called inside the writing transaction)."""
    row = con.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchone()
    return int(row[0]) if row else 1
