"""The workspace as a long-running server uses it: shared catalog connections, cached results.

The CLI opens the DuckDB catalog per command, read-only where it can. A server answers requests
on many threads at once, and DuckDB refuses a read-only and a read-write connection to the same
file in one process; so the server opens every catalog connection read-write (DuckDB's MVCC keeps
readers consistent) and serialises writers with a thread lock before the cross-process file lock.

Scorecards and pacing take seconds to compute and are read far more often than the data changes,
so results are cached under the catalog's *generation*: the size and modification time of the
catalog and its write-ahead log. Any import, signature, event or score record changes it, so a
cached answer is never older than the data.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import duckdb

from kpiguard.workspace import Workspace

T = TypeVar("T")


class ServerWorkspace(Workspace):
    """A workspace whose catalog connections can be used from many threads of one process."""

    def __init__(self, home: Any) -> None:
        super().__init__(home)
        self._writer = threading.RLock()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        with super().connect(read_only=False) as con:
            yield con

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        with self._writer, super().write_lock():
            yield

    def generation(self) -> tuple[int, ...]:
        """Changes whenever the catalog does (size and mtime of the file and its WAL)."""
        out: list[int] = []
        for path in (self.catalog_path, self.catalog_path.with_name(self.catalog_path.name + ".wal")):
            try:
                st = path.stat()
                out += [st.st_size, st.st_mtime_ns]
            except FileNotFoundError:
                out += [0, 0]
        return tuple(out)


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
            value = compute()
            with self._lock:
                self._items[key] = value
                self._computing.pop(key, None)
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
            return value
