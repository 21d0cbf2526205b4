"""The lake as Ibis tables: the current version of each row, for the stores a query asks about.

Only the Parquet parts of the requested stores are read (the lake is partitioned by store), and
each natural key keeps its latest version (see ``lake.py`` for the rule). The Ibis backend is
DuckDB in-process; the expressions do not depend on it.

Latest-state resolution is the costly part of reading a table: the textbook way is a window over
the natural key, which hashes, partitions and sorts every row with all its columns. Most keys,
though, occur once. So a reader finds the few rows that lose to a newer version of their key, once
per table and store set, and keeps only their positions (file, row); every query then reads the
parts as they are and leaves those positions out (an anti-join against a small table), and reads
only the columns it uses. See ``superseded_sql``.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt

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


def superseded_sql(table: str, files: list[Path]) -> str:
    """Positions (file, row) of the rows that a newer version of their natural key replaces.

    Two steps in one statement. First, the hash of every row's natural key, grouped: a key whose
    hash occurs once has one version, and that row is current (this is one pass over the key
    columns only, far cheaper than a window over the whole table). Second, the window of the
    version rule over just the rows whose key hash occurs more than once; a hash collision merely
    sends a few more rows through the exact window, which partitions by the key itself.
    """
    keys = ", ".join(f'"{k}"' for k in TABLES[table].natural_key)
    return f"""
        WITH repeated AS (
          SELECT hash({keys}) AS _kg_hash FROM ({parquet_sql(files)}) GROUP BY 1 HAVING count(*) > 1)
        SELECT _kg_file, _kg_row FROM ({parquet_sql(files, positions=True)})
        WHERE hash({keys}) IN (SELECT _kg_hash FROM repeated)
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
        name = f"kg_superseded_{table}_{uuid.uuid4().hex[:8]}"
        self.con.raw_sql(f"CREATE TEMP TABLE {name} AS {superseded_sql(table, files)}")
        (count,) = self.con.raw_sql(f"SELECT count(*) FROM {name}").fetchone()
        if count == 0:
            self.con.raw_sql(f"DROP TABLE {name}")
            return self._parts(table, files, positions=False)
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
