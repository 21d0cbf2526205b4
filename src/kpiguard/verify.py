"""``kpiguard verify``: prove that nothing stored was altered, removed or slipped in.

Checks, in order: the ledger's hash chain; that every import in the catalog has its ledger entry
(and the reverse); that every raw file still hashes to the SHA-256 it is named by; that every
Parquet part the ledger recorded exists with the same SHA-256; that the lake holds no file
the ledger does not know; that every plan version still says what was signed; that every
recorded final score still hashes to the value its ledger entry names; and that the audit log
agrees with its ledger entries. The ledger, not the catalog's own tables, is the reference: it is the
only part whose every byte is covered by the chain.

Verification holds the workspace's write lock, so no import moves files while they are checked,
and taking it first finishes or removes an import a crash interrupted (``Workspace.recover``):
a committed import whose files still wait in ``staging/`` is not reported as missing files. A
read-only copy of a workspace (an auditor's) is verified as it is.
"""

from __future__ import annotations

import hashlib
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from kpiguard import ledger
from kpiguard.workspace import Workspace


@dataclass
class VerifyReport:
    ledger_entries: int = 0
    head_hash: str = ledger.GENESIS
    raw_files: int = 0
    lake_parts: int = 0
    problems: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)  # interrupted imports finished or removed first

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "ledger_entries": self.ledger_entries, "head_hash": self.head_hash,
                "raw_files": self.raw_files, "lake_parts": self.lake_parts, "problems": self.problems,
                "recovered": self.recovered}


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def verify(ws: Workspace) -> VerifyReport:
    ws.require()
    report = VerifyReport()
    with ExitStack() as held:
        try:
            held.enter_context(ws.write_lock())  # recovers an interrupted import first
            report.recovered = ws.last_recovery
        except PermissionError:
            pass  # a read-only copy: nothing can change under us, nothing to recover
        _verify_catalog_and_files(ws, report)
    return report


def _verify_catalog_and_files(ws: Workspace, report: VerifyReport) -> None:
    with ws.connect(read_only=True) as con:
        report.problems += ledger.chain_problems(con)
        entries = ledger.entries(con)
        imports = con.execute("SELECT import_id, raw_sha256, file_name FROM imports ORDER BY import_id").fetchall()
    report.ledger_entries = len(entries)
    report.head_hash = entries[-1].entry_hash if entries else ledger.GENESIS
    recorded = {e.payload["import_id"]: e for e in entries if e.kind == "import"}
    for import_id, sha, name in imports:
        entry = recorded.get(import_id)
        if entry is None:
            report.problems.append(f"import {import_id} ({name}) has no ledger entry: its record was removed")
        elif entry.payload.get("raw_sha256") != sha:
            report.problems.append(f"import {import_id} ({name}) names a different raw file than its ledger entry")
    known_ids = {row[0] for row in imports}
    for import_id, entry in recorded.items():
        if import_id not in known_ids:
            report.problems.append(f"import {import_id} ({entry.payload.get('file')}) is in the ledger but missing from the catalog")
    _check_raw(ws, recorded, report)
    _check_lake(ws, recorded, report)
    _check_records(ws, entries, report)


def _check_records(ws: Workspace, entries: list[ledger.LedgerEntry], report: VerifyReport) -> None:
    """Plans (texts, hashes, signatures), final scores and the audit log against the ledger."""
    from kpiguard.accounts import audit
    from kpiguard.plans import store as plan_store

    with ws.connect(read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        plan_ids = [r[0] for r in con.execute("SELECT plan_id FROM plans ORDER BY 1").fetchall()] if "plans" in tables else []
        scores = (con.execute("SELECT plan_id, version, period, result_json, result_sha256 FROM scores").fetchall()
                  if "scores" in tables else [])
        if "audit_log" in tables:
            report.problems += audit.problems(con)
    for plan_id in plan_ids:
        report.problems += [p for p in plan_store.verify_plan(ws, plan_id).problems if p not in report.problems]
    finals = {(e.payload.get("plan_id"), e.payload.get("version"), e.payload.get("period")): e.payload
              for e in entries if e.kind == "score.final"}
    for plan_id, version, period, text, digest in scores:
        entry = finals.get((plan_id, version, period))
        if entry is None:
            report.problems.append(f"final score {plan_id} v{version} {period} has no ledger entry")
        elif hashlib.sha256(text.encode()).hexdigest() != digest or entry.get("result_sha256") != digest:
            report.problems.append(f"final score {plan_id} v{version} {period} was altered after it was recorded")


def _check_raw(ws: Workspace, recorded: dict, report: VerifyReport) -> None:
    for entry in recorded.values():
        sha = entry.payload["raw_sha256"]
        path = ws.raw_path(sha)
        name = entry.payload.get("file")
        if not path.exists():
            report.problems.append(f"raw file {sha[:12]}… ({name}, import {entry.payload['import_id']}) is missing")
            continue
        report.raw_files += 1
        actual = file_sha256(path)
        if actual != sha:
            report.problems.append(
                f"raw file {sha[:12]}… ({name}, import {entry.payload['import_id']}) was altered: "
                f"its content now hashes to {actual[:12]}…"
            )


def _check_lake(ws: Workspace, recorded: dict, report: VerifyReport) -> None:
    expected: dict[str, tuple[str, int]] = {}
    for entry in recorded.values():
        for part in entry.payload.get("parts", []):
            expected[part["path"]] = (part["sha256"], entry.payload["import_id"])
    for rel, (sha, import_id) in sorted(expected.items()):
        path = ws.lake_dir / rel
        if not path.exists():
            report.problems.append(f"lake part {rel} (import {import_id}) is missing")
            continue
        report.lake_parts += 1
        if file_sha256(path) != sha:
            report.problems.append(f"lake part {rel} (import {import_id}) was altered")
    if ws.lake_dir.exists():
        for path in sorted(ws.lake_dir.rglob("*.parquet")):
            rel = path.relative_to(ws.lake_dir).as_posix()
            if rel not in expected:
                report.problems.append(f"lake file {rel} was not written by any recorded import")
