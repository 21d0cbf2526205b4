"""The workspace as a long-running server uses it: shared catalog connections, cached results.

The CLI opens the DuckDB catalog per command, read-only where it can. A server answers requests
on many threads at once, and DuckDB refuses a read-only and a read-write connection to the same
file in one process; so the server opens the catalog once, read-write, and gives every caller its
own cursor (DuckDB's MVCC keeps readers consistent); writers are serialised with a thread lock
before the cross-process file lock. While the server runs it holds the catalog: other kpiguard
processes are told the workspace is busy (import through the web page, or stop the server).

Scorecards and pacing take seconds to compute and are read far more often than the data changes,
so results are cached under the workspace's *generation*: the last ledger entry that can move a
number (an import, a plan change or signature, an event, a definition set). Every such change is
a ledger entry, so a cached answer is never older than the data; the ledger is read again only
when the catalog's files changed.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from kpiguard.workspace import Workspace

T = TypeVar("T")


class ServerWorkspace(Workspace):
    """A workspace whose catalog connections can be used from many threads of one process."""

    def __init__(self, home: Any) -> None:
        super().__init__(home)
        self._writer = threading.RLock()
        self._opened = threading.Lock()
        self._root: duckdb.DuckDBPyConnection | None = None
        self._generation_lock = threading.Lock()
        self._seen: tuple[int, ...] = ()
        self._generation = 0

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the server's one open catalog connection: microseconds instead of a file open."""
        cursor = self._connection().cursor()
        try:
            cursor.execute("SET TimeZone = 'UTC'")
            yield cursor
        finally:
            cursor.close()

    def _connection(self) -> duckdb.DuckDBPyConnection:
        with self._opened:
            if self._root is None:
                with super().connect(read_only=False) as probe:  # the same checks and messages as the CLI
                    probe.execute("SELECT 1")
                self._root = duckdb.connect(str(self.catalog_path))
                self._root.execute("SET enable_progress_bar = false")
            return self._root

    def close(self) -> None:
        """Let other processes open the catalog again (the server holds it while it runs)."""
        with self._opened:
            if self._root is not None:
                self._root.close()
                self._root = None

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        with self._writer, super().write_lock():
            yield

    def generation(self) -> int:
        """The last ledger entry that can move a number: imports, plans, signatures, events.

        Sign-ins, audit records, alerts and statements also write the catalog but move no figure,
        so they leave cached scorecards valid. The ledger is only read again when the catalog's
        files changed (a stat is microseconds), whoever wrote them.
        """
        stamp = self._stamp()
        with self._generation_lock:
            if stamp != self._seen:
                with self.connect() as con:
                    row = con.execute(
                        "SELECT coalesce(max(seq), 0) FROM ledger WHERE kind NOT LIKE 'audit.%' "
                        "AND kind NOT LIKE 'alert.%' AND kind NOT LIKE 'webhook.%' "
                        "AND kind NOT IN ('settlement.statement', 'score.final')").fetchone()
                self._generation = int(row[0]) if row else 0
                self._seen = stamp
            return self._generation

    def _stamp(self) -> tuple[int, ...]:
        return catalog_stamp(self)


def catalog_stamp(ws: Workspace) -> tuple[int, ...]:
    """Size and modification time of the catalog and its write-ahead log: every committed write
    changes them (a commit appends to the log, a checkpoint rewrites the file), and two stats cost
    microseconds where a query on the catalog costs milliseconds."""
    out: list[int] = []
    for path in _catalog_files(ws.home):
        try:
            st = os.stat(path)
            out += [st.st_size, st.st_mtime_ns]
        except FileNotFoundError:
            out += [-1, -1]
    return tuple(out)


@functools.lru_cache(maxsize=64)
def _catalog_files(home: Path) -> tuple[str, str]:
    """The catalog and its write-ahead log as plain strings (a page asks for the stamp several times)."""
    path = str(Workspace(home).catalog_path)
    return path, path + ".wal"


class ResultCache:
    """A small LRU of computed results, keyed by what they depend on plus the catalog generation."""

    def __init__(self, size: int = 256) -> None:
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()
        self._computing: dict[tuple[Any, ...], threading.Lock] = {}

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[no-any-return]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:  # twenty clients asking for the same scorecard compute it once
            with self._lock:
                if key in self._items:
                    return self._items[key]  # type: ignore[no-any-return]
            try:
                value = compute()
            except BaseException:
                with self._lock:  # an error is not cached, and its gate must not stay behind (a
                    self._computing.pop(key, None)  # request for each unknown id would leave one)
                raise
            with self._lock:
                self._items[key] = value
                self._computing.pop(key, None)
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
            return value
