"""The lake as Ibis tables: the current version of each row, for the stores a query asks about.

Only the Parquet parts of the requested stores are read (the lake is partitioned by store), and
each natural key keeps its latest version (see ``lake.py`` for the rule). The Ibis backend is
DuckDB in-process; the expressions do not depend on it.

Latest-state resolution is the costly part of reading a table: the textbook way is a window over
the natural key, which hashes, partitions and sorts every row with all its columns. Most keys,
though, occur once. So a reader finds the few rows that lose to a newer version of their key, once
per table and store set: it hashes every row's key (one pass over the key columns), finds the
hashes that repeat, runs the exact window over just those rows, and keeps the losers' positions
(file, row). Every query then reads the parts as they are, leaves those positions out (an
anti-join against a small table), and reads only the columns it uses.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import numpy as np
import pyarrow as pa

from kpiguard.canonical import TABLES
from kpiguard.workspace import Workspace

UTC_TS = dt.Timestamp(timezone="UTC")

# the rule of lake.py: latest source update (a missing one loses), then the later import, then the later row
VERSION_ORDER = "source_updated_utc DESC NULLS LAST, import_id DESC, raw_row DESC"


@ibis.udf.scalar.builtin(name="timezone")
def local_time(zone: str, moment: UTC_TS) -> dt.timestamp:  # type: ignore[empty-body,valid-type]
    """DuckDB's timezone(zone, timestamptz): the wall-clock time in ``zone``."""


def connect() -> ibis.BaseBackend:
    """An in-process DuckDB: UTC session time zone, no progress bar on a command's stderr."""
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")
    con.raw_sql("SET enable_progress_bar = false")
    return con


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def parquet_sql(files: list[Path], positions: bool = False) -> str:
    """``read_parquet`` over exactly these parts; with ``positions`` also each row's (file, row)."""
    listed = ", ".join(_quote(str(f)) for f in files)
    extra = ", file_index AS _kg_file, file_row_number AS _kg_row" if positions else ""
    return f"SELECT *{extra} FROM read_parquet([{listed}], hive_partitioning = false)"


def key_hashes_sql(table: str, files: list[Path]) -> str:
    """The hash of every row's natural key (NULLs hash alike, as the window groups them)."""
    keys = ", ".join(f'"{k}"' for k in TABLES[table].natural_key)
    return f"SELECT hash({keys}) AS h FROM ({parquet_sql(files)})"


def repeated(hashes: np.ndarray) -> np.ndarray:
    """The values that occur more than once: sorted, equal neighbours (a sort of 8-byte integers
    is about twice as fast as DuckDB's GROUP BY ... HAVING count(*) > 1 over millions of keys)."""
    hashes.sort()
    return np.unique(hashes[1:][hashes[1:] == hashes[:-1]])


def superseded_sql(table: str, files: list[Path], repeated_view: str) -> str:
    """Positions (file, row) of the rows that a newer version of their natural key replaces,
    among the rows whose key hash is in ``repeated_view`` (column ``h``): the window of the
    version rule, partitioned by the key itself, so a hash collision only adds rows to it."""
    keys = ", ".join(f'"{k}"' for k in TABLES[table].natural_key)
    return f"""
        SELECT _kg_file, _kg_row FROM ({parquet_sql(files, positions=True)})
        WHERE hash({keys}) IN (SELECT h FROM {repeated_view})
        QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY {VERSION_ORDER}) > 1"""


class LakeReader:
    """Current rows of canonical tables, as Ibis expressions on one backend connection.

    ``current`` is lazy: each query reads the parts itself, so it reads only the columns and row
    groups it needs. What a reader keeps between queries is small: per (table, stores), the part
    list and the positions of superseded rows, so several queries on one reader (pacing, scoring)
    resolve versions once. ``full_rows`` is kept for callers that ask for every column (explain);
    every reader now gives every column, and a query's unused columns are never read.

    ``parts`` pins the reader to a data snapshot: only those lake parts (paths relative to the
    lake, as ``lake_parts`` records them) are read, so a final score recomputed later sees exactly
    the rows it saw then, whatever was imported since.
    """

    def __init__(self, ws: Workspace, con: ibis.BaseBackend | None = None, full_rows: bool = False,
                 parts: frozenset[str] | None = None) -> None:
        self.ws = ws
        self.con = con or connect()
        self.full_rows = full_rows
        self.parts = parts
        self._cache: dict[tuple[str, tuple[str, ...] | None], ibis.Table] = {}

    def files(self, table: str, stores: tuple[str, ...] | None) -> list[Path]:
        root = self.ws.table_dir(table)
        if not root.exists():
            return []
        if stores is None:
            found = root.rglob("*.parquet")
        else:
            folders = [root / f"store={s}" for s in stores] + [root / "store=_all"]
            found = (p for f in folders if f.exists() for p in f.rglob("*.parquet"))
        return sorted(p for p in found if self._in_snapshot(p))

    def _in_snapshot(self, part: Path) -> bool:
        return self.parts is None or part.relative_to(self.ws.lake_dir).as_posix() in self.parts

    def current(self, table: str, stores: tuple[str, ...] | None = None) -> ibis.Table:
        """Latest version of each row; versions are resolved once per reader and table."""
        key = (table, stores)
        if key not in self._cache:
            self._cache[key] = self._current(table, stores)
        return self._cache[key]

    def stored(self, table: str, stores: tuple[str, ...] | None = None) -> ibis.Table:
        """Every stored version; enough for questions whose answer versions cannot change."""
        files = self.files(table, stores)
        if not files:
            return self._empty(table)
        return self._parts(table, files, positions=False)

    def _current(self, table: str, stores: tuple[str, ...] | None) -> ibis.Table:
        files = self.files(table, stores)
        if not files:
            return self._empty(table)
        hashes = repeated(self.con.raw_sql(key_hashes_sql(table, files)).fetchnumpy()["h"])
        if len(hashes) == 0:  # every key occurs once: every row is current
            return self._parts(table, files, positions=False)
        tag = uuid.uuid4().hex[:8]
        name, view = f"kg_superseded_{table}_{tag}", f"kg_repeated_{tag}"
        self.con.con.register(view, pa.table({"h": hashes}))
        self.con.raw_sql(f"CREATE TEMP TABLE {name} AS {superseded_sql(table, files, view)}")
        self.con.con.unregister(view)
        rows = self._parts(table, files, positions=True)
        gone = self.con.table(name)
        kept = rows.anti_join(gone, [rows._kg_file == gone._kg_file, rows._kg_row == gone._kg_row])
        return kept.drop("_kg_file", "_kg_row")

    def _parts(self, table: str, files: list[Path], positions: bool) -> ibis.Table:
        """The parts as a named view, so the SQL of a query (explain shows it) names the view
        instead of listing every part."""
        name = f"kg_{table}_parts_{uuid.uuid4().hex[:8]}"
        self.con.raw_sql(f"CREATE TEMP VIEW {name} AS {parquet_sql(files, positions)}")
        return self.con.table(name)

    def _empty(self, table: str) -> ibis.Table:
        """A table's columns and types with no rows (DDL: no pandas or Arrow round trip)."""
        columns = ", ".join(f'"{n}" {t}' for n, t in TABLES[table].all_columns)
        self.con.raw_sql(f"CREATE OR REPLACE TEMP TABLE empty_{table} ({columns})")
        return self.con.table(f"empty_{table}")

    def has_data(self, table: str, store_id: str) -> bool:
        folder = self.ws.table_dir(table) / f"store={store_id}"
        return folder.exists() and any(self._in_snapshot(p) for p in folder.rglob("*.parquet"))
