"""A data snapshot: exactly which lake parts (and so which raw files) a number was computed from.

Rows are never changed in place: every import adds Parquet parts and records them with their
SHA-256 in ``lake_parts``. A snapshot lists the parts that existed when a final score was
computed; reading only those parts later (``LakeReader(parts=...)``) reproduces the score
bit-for-bit however much has been imported since, and re-hashing them proves nobody edited them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from kpiguard.workspace import Workspace


@dataclass(frozen=True)
class PartRef:
    path: str  # relative to the lake, as lake_parts records it
    sha256: str
    import_id: int
    raw_sha256: str  # the raw file the part was made from


@dataclass(frozen=True)
class Snapshot:
    parts: tuple[PartRef, ...]

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(p.path for p in self.parts)

    @property
    def raw_files(self) -> list[str]:
        return sorted({p.raw_sha256 for p in self.parts})

    def digest(self) -> str:
        """One hash naming the whole snapshot (printed on statements and recorded in the ledger)."""
        text = json.dumps([[p.path, p.sha256] for p in self.parts], separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def to_json(self) -> list[dict[str, Any]]:
        return [{"path": p.path, "sha256": p.sha256, "import_id": p.import_id, "raw_sha256": p.raw_sha256}
                for p in self.parts]

    @classmethod
    def from_json(cls, rows: list[dict[str, Any]]) -> Snapshot:
        return cls(tuple(PartRef(r["path"], r["sha256"], int(r["import_id"]), r["raw_sha256"]) for r in rows))


def take(ws: Workspace) -> Snapshot:
    """Every lake part recorded in the catalog now, in a stable order."""
    with ws.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT p.path, p.sha256, p.import_id, i.raw_sha256 FROM lake_parts p "
            "JOIN imports i USING (import_id) ORDER BY p.path").fetchall()
    return Snapshot(tuple(PartRef(r[0], r[1], int(r[2]), r[3]) for r in rows))


def problems(ws: Workspace, snap: Snapshot) -> list[str]:
    """Parts of the snapshot that are missing or whose bytes changed since (empty when intact)."""
    out = []
    for part in snap.parts:
        path = ws.lake_dir / part.path
        if not path.exists():
            out.append(f"lake part {part.path} is missing")
        elif _sha256(path.read_bytes()) != part.sha256:
            out.append(f"lake part {part.path} changed (SHA-256 differs from the recorded one)")
    return out


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
