"""Archiving a store's raw data: a seller admin freezes the raw files as the record; no byte is deleted.

The seller always keeps its raw data (the brief's pitfall 9), so "archive" here never removes or
moves a file: it marks every raw file imported for the store as archived in the catalog table
``raw_archive`` (one row per file, with who and when), and the marking is one audit entry whose
ledger entry (``audit.raw.archive``, listing the files' SHA-256) commits in the same transaction.
The raw files themselves stay where ``kpiguard verify`` checks them (``raw/ab/abcdef...``), read-only.

Before marking, each file is checked to be present with the size its import recorded: archiving a
file that is gone would certify something that is not there. Archiving again marks only files
imported since; with nothing new it changes nothing and writes nothing.

Permission (only ``seller_admin`` has ``archive_raw``) is checked by the caller (the web route).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import duckdb

from kpiguard import catalog
from kpiguard.accounts.audit import Origin, record_in
from kpiguard.accounts.db import writing
from kpiguard.errors import Finding, InputError
from kpiguard.workspace import Workspace

TABLE = "raw_archive"
ACTION = "raw.archive"


def archive_store(ws: Workspace, store_id: str, by: Origin, now: datetime | None = None) -> dict[str, Any]:
    """Mark every not-yet-archived raw file of ``store_id`` as archived; returns what was marked."""
    at = now or datetime.now(UTC)
    with writing(ws) as con:
        catalog.ensure_schema(con)
        rows = con.execute(
            "SELECT i.raw_sha256, min(i.import_id), max(i.file_bytes), string_agg(DISTINCT i.file_name, ', ') "
            f"FROM imports i WHERE i.store_id = ? AND i.raw_sha256 NOT IN (SELECT raw_sha256 FROM {TABLE}) "
            "GROUP BY i.raw_sha256 ORDER BY min(i.import_id)", [store_id]).fetchall()
        already = _count(con, store_id)
        missing = [Finding("archive.raw_missing", f"the raw file of import {r[1]} ({r[3]}) is missing or has "
                           "changed size", file=str(r[3]), value=str(r[0]),
                           hint="run kpiguard verify and restore the file from a backup before archiving")
                   for r in rows if not _present(ws, str(r[0]), int(r[2]))]
        if missing:
            raise InputError(f"cannot archive the raw data of {store_id}: files are missing / 原始文件缺失，无法归档",
                             missing)
        files = [{"raw_sha256": str(r[0]), "import_id": int(r[1]), "file": str(r[3])} for r in rows]
        result: dict[str, Any] = {"store_id": store_id, "archived": len(files), "already_archived": already,
                                  "files": files, "audit_id": None, "ledger_seq": None}
        if not files:
            return result
        entry = record_in(con, by, ACTION, f"store:{store_id}",
                          {"files": len(files), "raw_sha256": [f["raw_sha256"] for f in files]}, [store_id], at)
        for f in files:
            con.execute(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?)",
                        [f["raw_sha256"], store_id, by.actor, at, entry.audit_id, entry.ledger_seq])
        return result | {"audit_id": entry.audit_id, "ledger_seq": entry.ledger_seq}


def archived(con: duckdb.DuckDBPyConnection, store_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The archived raw files of these stores: SHA-256 -> who archived it and when."""
    ids = list(store_ids)
    if not ids or not _has_table(con):
        return {}
    rows = con.execute(f"SELECT raw_sha256, archived_by, archived_at_utc, ledger_seq FROM {TABLE} "
                       f"WHERE store_id IN ({', '.join('?' for _ in ids)})", ids).fetchall()
    return {str(r[0]): {"archived_by": r[1], "archived_at_utc": _iso(r[2]), "ledger_seq": int(r[3])} for r in rows}


def _count(con: duckdb.DuckDBPyConnection, store_id: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {TABLE} WHERE store_id = ?", [store_id]).fetchone()
    return int(row[0]) if row else 0


def _present(ws: Workspace, sha256: str, size: int) -> bool:
    path = ws.raw_path(sha256)
    return path.is_file() and path.stat().st_size == size


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [TABLE]).fetchone() is not None


def _iso(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
