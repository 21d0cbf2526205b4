"""The append-only ledger: a hash chain over every change to the workspace.

Each entry's hash covers its sequence number, time, actor, kind, payload and the previous entry's
hash, so removing, reordering or editing any entry breaks every later link. The head hash (the
last entry's) is what the parties write into signed documents: anyone holding it can prove that
the workspace's history up to that point is the one they signed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

from kpiguard import sqlbind

GENESIS = "0" * 64


@dataclass(frozen=True)
class LedgerEntry:
    seq: int
    at_utc: datetime
    actor: str
    kind: str
    payload: dict[str, Any]
    prev_hash: str
    entry_hash: str


def canonical_json(value: Any) -> str:
    """Stable text form: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def entry_hash(seq: int, at_utc: datetime, actor: str, kind: str, payload_json: str, prev: str) -> str:
    material = canonical_json([seq, at_utc.isoformat(), actor, kind, payload_json, prev])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def head(con: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    row = con.execute("SELECT seq, entry_hash FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
    return (0, GENESIS) if row is None else (int(row[0]), str(row[1]))


def append(
    con: duckdb.DuckDBPyConnection, actor: str, kind: str, payload: dict[str, Any]
) -> LedgerEntry:
    """Append one entry; call inside the caller's transaction so it commits with the change."""
    last_seq, prev = head(con)
    seq = last_seq + 1
    at = datetime.now(UTC)
    payload_json = canonical_json(payload)
    digest = entry_hash(seq, at, actor, kind, payload_json, prev)
    sqlbind.execute(con, "INSERT INTO ledger VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [seq, at, actor, kind, payload_json, prev, digest])
    return LedgerEntry(seq, at, actor, kind, payload, prev, digest)


def entries(con: duckdb.DuckDBPyConnection) -> list[LedgerEntry]:
    rows = con.execute(
        "SELECT seq, at_utc, actor, kind, payload_json, prev_hash, entry_hash FROM ledger ORDER BY seq"
    ).fetchall()
    return [
        LedgerEntry(int(r[0]), _as_utc(r[1]), r[2], r[3], json.loads(r[4]), r[5], r[6]) for r in rows
    ]


def _as_utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def chain_problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every broken link, gap or altered entry, in plain words; empty when the chain holds."""
    problems: list[str] = []
    rows = con.execute(
        "SELECT seq, at_utc, actor, kind, payload_json, prev_hash, entry_hash FROM ledger ORDER BY seq"
    ).fetchall()
    expected_seq, prev = 1, GENESIS
    for seq, at, actor, kind, payload_json, prev_hash, digest in rows:
        if seq != expected_seq:
            problems.append(
                f"ledger entry {expected_seq}"
                + (f" to {seq - 1}" if seq - 1 > expected_seq else "")
                + f" is missing (the chain jumps from {expected_seq - 1} to {seq})"
            )
        if prev_hash != prev:
            problems.append(
                f"ledger entry {seq} ({kind}) does not link to the entry before it: "
                "an entry was removed, inserted or changed"
            )
        recomputed = entry_hash(seq, _as_utc(at), actor, kind, payload_json, prev_hash)
        if recomputed != digest:
            problems.append(f"ledger entry {seq} ({kind}) was altered after it was written")
        expected_seq, prev = seq + 1, digest
    return problems
