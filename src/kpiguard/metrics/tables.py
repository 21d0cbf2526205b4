"""The lake as Ibis tables: the current version of each row, for the stores a query asks about.

Only the Parquet parts of the requested stores are read (the lake is partitioned by store), and
each natural key keeps its latest version (see ``lake.py`` for the rule). The Ibis backend is
DuckDB in-process; the expressions do not depend on it.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa

from kpiguard.canonical import TABLES
from kpiguard.workspace import Workspace

UTC_TS = dt.Timestamp(timezone="UTC")

_ARROW_TYPES = {
    "VARCHAR": pa.string(), "BIGINT": pa.int64(), "INTEGER": pa.int32(), "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(), "TIMESTAMPTZ": pa.timestamp("us", tz="UTC"),
}


@ibis.udf.scalar.builtin(name="timezone")
def local_time(zone: str, moment: UTC_TS) -> dt.timestamp:  # type: ignore[empty-body,valid-type]
    """DuckDB's timezone(zone, timestamptz): the wall-clock time in ``zone``."""


def connect() -> ibis.BaseBackend:
    con = ibis.duckdb.connect()
    con.raw_sql("SET TimeZone = 'UTC'")
    return con


# Columns no measure reads; left out when a table is materialised for a query (explain keeps all).
UNUSED_BY_MEASURES = {
    "order_lines": ("status_raw", "product_id", "product_name", "sales_channel", "ship_postal_hash",
                    "ship_country", "fulfillment_channel", "shipping_tax_minor", "raw_sha256"),
}


class LakeReader:
    """Current rows of canonical tables, as Ibis expressions on one backend connection.

    A query reads a table several times (sums by day, distinct counts by period, per-store
    choices), so by default the current rows of the columns measures use are materialised once
    per reader. ``full_rows=True`` (explain, drill-down) keeps every column and lineage.

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
        """Latest version of each row, materialised once per reader (a query reads it several times)."""
        key = (table, stores)
        if key not in self._cache:
            expr = self._current(table, stores)
            if not self.full_rows and self.files(table, stores):
                unused = [c for c in UNUSED_BY_MEASURES.get(table, ("raw_sha256",)) if c in expr.columns]
                expr = expr.drop(*unused).cache() if unused else expr.cache()
            self._cache[key] = expr
        return self._cache[key]

    def stored(self, table: str, stores: tuple[str, ...] | None = None) -> ibis.Table:
        """Every stored version; enough for questions whose answer versions cannot change."""
        files = self.files(table, stores)
        if not files:
            return self._current(table, stores)
        return self.con.read_parquet([str(f) for f in files], hive_partitioning=False)

    def _current(self, table: str, stores: tuple[str, ...] | None) -> ibis.Table:
        spec = TABLES[table]
        files = self.files(table, stores)
        if not files:
            schema = pa.schema([(n, _arrow_type(t)) for n, t in spec.all_columns])
            return self.con.create_table(f"empty_{table}", schema.empty_table(), temp=True, overwrite=True)
        raw = self.con.read_parquet([str(f) for f in files], hive_partitioning=False)
        window = ibis.window(
            group_by=list(spec.natural_key),
            order_by=[ibis.desc("source_updated_utc"), ibis.desc("import_id"), ibis.desc("raw_row")],
        )
        ranked = raw.mutate(_version=ibis.row_number().over(window))
        return ranked.filter(ranked._version == 0).drop("_version")

    def has_data(self, table: str, store_id: str) -> bool:
        folder = self.ws.table_dir(table) / f"store={store_id}"
        return folder.exists() and any(self._in_snapshot(p) for p in folder.rglob("*.parquet"))


def _arrow_type(sql_type: str) -> pa.DataType:
    if sql_type.startswith("DECIMAL"):
        precision, scale = (int(x) for x in sql_type[8:-1].split(","))
        return pa.decimal128(precision, scale)
    return _ARROW_TYPES[sql_type]
