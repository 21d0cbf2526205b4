"""Which values a column holds per store, read from the Parquet footers instead of the rows.

A query first decides per store which order report, traffic level and ads report count
(``rowsets.choose``). Those columns hold one value per part in practice (a part is one import of
one report for one store), and every part's footer records each column's minimum, maximum and
null count per row group. When the minimum equals the maximum, exactly, the footer answers; a
row group whose statistics do not settle it is read instead. The answer is the same either way.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from kpiguard.metrics.tables import LakeReader, parquet_sql

Values = dict[str, set[str | None]]  # store -> the values present (None when a row has none)
PRESENT = "value"  # null_presence: the column has a non-NULL value


def column_values(reader: LakeReader, table: str, stores: tuple[str, ...], column: str) -> Values:
    """Per store, the distinct values of ``column`` (None stands for NULL)."""
    return _collect(reader, table, stores, column, presence=False)


def null_presence(reader: LakeReader, table: str, stores: tuple[str, ...], column: str) -> Values:
    """Per store, whether ``column`` has NULLs (None) and whether it has values ("value")."""
    return _collect(reader, table, stores, column, presence=True)


def _collect(reader: LakeReader, table: str, stores: tuple[str, ...], column: str, presence: bool) -> Values:
    out: Values = defaultdict(set)
    unsettled: list[Path] = []
    for path, groups in _footers(reader, table, stores, column).items():
        found = [_settled(g, column, presence) for g in groups]
        if any(f is None for f in found):
            unsettled.append(path)
            continue
        for store, values in (f for f in found if f is not None):
            out[store] |= values
    if unsettled:
        value = f'CASE WHEN "{column}" IS NULL THEN NULL ELSE \'{PRESENT}\' END' if presence else f'"{column}"'
        rows = reader.con.raw_sql(f"SELECT DISTINCT store_id, {value} FROM ({parquet_sql(unsettled)})").fetchall()
        for store, found_value in rows:
            if store is not None:
                out[store].add(found_value)
    return {s: v for s, v in out.items() if s in stores}


def _footers(reader: LakeReader, table: str, stores: tuple[str, ...],
             column: str) -> dict[Path, list[dict[str, dict[str, Any]]]]:
    """Per part, per row group: the statistics of ``store_id`` and ``column``."""
    files = reader.files(table, stores)
    if not files:
        return {}
    listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    rows = reader.con.raw_sql(
        "SELECT file_name, row_group_id, path_in_schema, num_values, stats_null_count, stats_min_value, "
        f"stats_max_value, min_is_exact, max_is_exact FROM parquet_metadata([{listed}]) "
        f"WHERE path_in_schema IN ('store_id', '{column}')").fetchall()
    groups: dict[Path, dict[int, dict[str, dict[str, Any]]]] = defaultdict(dict)
    for name, group, col, num, nulls, low, high, low_exact, high_exact in rows:
        groups[Path(name)].setdefault(group, {})[col] = {
            "num": num, "nulls": nulls, "min": low, "max": high, "exact": bool(low_exact and high_exact)}
    return {path: list(by_group.values()) for path, by_group in groups.items()}


def _settled(group: dict[str, dict[str, Any]], column: str,
             presence: bool) -> tuple[str, set[str | None]] | None:
    """(store, values) of one row group when its statistics say it exactly, else None."""
    store, col = group.get("store_id"), group.get(column)
    if store is None or col is None or not _single(store) or store["nulls"] != 0 or col["nulls"] is None:
        return None
    if col["nulls"] == col["num"]:
        return str(store["min"]), {None}
    if not presence and not _single(col):
        return None
    values: set[str | None] = {PRESENT if presence else str(col["min"])}
    if col["nulls"]:
        values.add(None)
    return str(store["min"]), values


def _single(stats: dict[str, Any]) -> bool:
    return bool(stats["exact"]) and stats["min"] is not None and stats["min"] == stats["max"]
