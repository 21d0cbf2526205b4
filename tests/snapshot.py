"""A workspace's stored state, for tests that assert a failed or killed command changed nothing.

The state is every catalog table's rows (read through DuckDB, so a checkpoint that rewrites the
catalog file's bytes without changing its contents does not count) and every file under ``raw/``
and ``lake/`` with its SHA-256. ``staging/`` is left out: it holds work in progress, which crash
recovery deletes or rolls forward.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

Snapshot = dict[str, object]


def catalog_contents(home: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table of the catalog, rows sorted, as plain tuples."""
    con = duckdb.connect(str(home / "catalog.duckdb"), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1"
        ).fetchall()]
        return {name: con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall() for name in names}
    finally:
        con.close()


def stored_files(home: Path) -> list[tuple[str, str]]:
    """(path relative to the workspace, SHA-256) of every file under raw/ and lake/, sorted."""
    out = []
    for folder in ("raw", "lake"):
        root = home / folder
        if root.exists():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                out.append((path.relative_to(home).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest()))
    return out


def snapshot(home: Path) -> Snapshot:
    return {"catalog": catalog_contents(home), "files": stored_files(home)}
