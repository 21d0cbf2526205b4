"""Scoring a plan's period, and keeping final scores so they can be recomputed bit-for-bit.

While the period is open to restatement (refunds and late reports still arrive: the definition
set's ``restatement_days``) a score is provisional and recomputed from whatever data there is.
Once final, the first computation is recorded with its data snapshot (every lake part and raw
file hash), the definition set and the exact JSON, and a ledger entry names its hash. Asking for it
again recomputes it from that snapshot — new imports for later periods, or even restatements of
this one, are not in it — and refuses to answer if the result differs from the record.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

from kpiguard import ledger
from kpiguard.errors import Finding, InputError, WorkspaceError
from kpiguard.metrics.tables import LakeReader
from kpiguard.plans import store as plan_store
from kpiguard.plans.store import StoredPlan
from kpiguard.scoring.scorecard import SCORED_STATUSES, compute, scoring_period
from kpiguard.snapshot import Snapshot, problems, take
from kpiguard.transactions import writing
from kpiguard.workspace import Workspace


def governing_version(ws: Workspace, plan_id: str) -> StoredPlan:
    """The signed version in force: the latest one that is signed, active or closed."""
    signed = [v for v in plan_store.versions(ws, plan_id) if v.status in SCORED_STATUSES]
    if not signed:
        latest = plan_store.get(ws, plan_id)
        raise InputError(f"plan {plan_id} is not signed yet / 方案尚未签署", [Finding(
            "score.unsigned", f"plan {plan_id} version {latest.version} is {latest.status}; only signed plans are scored",
            column="plan", value=latest.status, hint="propose it and have both parties sign (kpiguard plan sign)")])
    return signed[-1]


def result_json(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def score(ws: Workspace, plan_id: str, period_text: str, as_of: date | None = None,
          verify: bool = True) -> dict[str, Any]:
    """The scorecard; a recorded final one is recomputed from its snapshot and checked.

    ``verify=False`` returns a recorded final score as recorded (the web app's pages, which
    ``kpiguard score`` and ``kpiguard verify`` check); provisional scores are always computed.
    """
    sp = governing_version(ws, plan_id)
    period = scoring_period(sp.plan, period_text)
    recorded = _load(ws, plan_id, sp.version, period.key)
    if recorded is not None and not verify:
        stored: dict[str, Any] = json.loads(recorded["result_json"])
        return {**stored, "recorded": True, "recorded_at": recorded["recorded_at"].isoformat(),
                "result_sha256": recorded["result_sha256"]}
    if recorded is not None:
        return _recomputed(ws, sp, recorded)
    snap = take(ws)
    reader = LakeReader(ws, parts=snap.paths)
    today = as_of or datetime.now(UTC).date()
    result = compute(ws, sp, period, reader, snap, today)
    if result["status"] == "final":
        _save(ws, sp, period.key, snap, result, today)
        result = {**result, "recorded": True}
    return result


def _recomputed(ws: Workspace, sp: StoredPlan, rec: dict[str, Any]) -> dict[str, Any]:
    snap = Snapshot.from_json(json.loads(rec["snapshot_json"]))
    broken = problems(ws, snap)
    if broken:
        raise WorkspaceError("the data behind the recorded final score changed: " + "; ".join(broken[:5])
                             + " — run kpiguard verify")
    period = scoring_period(sp.plan, rec["period"])
    again = compute(ws, sp, period, LakeReader(ws, parts=snap.paths), snap, rec["as_of"], rec["recorded_at"])
    if result_json(again) != rec["result_json"]:
        raise WorkspaceError(f"recomputing the final score of {sp.plan_id} {rec['period']} from its snapshot gives a "
                             "different result than the one recorded; run kpiguard verify and report this")
    return {**again, "recorded": True, "recorded_at": rec["recorded_at"].isoformat(), "result_sha256": rec["result_sha256"]}


def _load(ws: Workspace, plan_id: str, version: int, period: str) -> dict[str, Any] | None:
    with ws.connect(read_only=True) as con:
        if not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'scores'").fetchone():
            return None
        row = con.execute("SELECT period, snapshot_json, result_json, result_sha256, as_of, recorded_at_utc FROM scores "
                          "WHERE plan_id = ? AND version = ? AND period = ?", [plan_id, version, period]).fetchone()
    if row is None:
        return None
    return {"period": row[0], "snapshot_json": row[1], "result_json": row[2], "result_sha256": row[3],
            "as_of": row[4], "recorded_at": row[5]}


def _save(ws: Workspace, sp: StoredPlan, period: str, snap: Snapshot, result: dict[str, Any], as_of: date) -> None:
    text = result_json(result)
    digest = hashlib.sha256(text.encode()).hexdigest()
    with writing(ws) as con:
        if con.execute("SELECT 1 FROM scores WHERE plan_id = ? AND version = ? AND period = ?",
                       [sp.plan_id, sp.version, period]).fetchone():
            return  # another process recorded it first; its record stands
        con.execute("INSERT INTO scores VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [sp.plan_id, sp.version, period, sp.plan.definition_set, json.dumps(snap.to_json()),
                     snap.digest(), text, digest, as_of, datetime.now(UTC)])
        ledger.append(con, "kpiguard", "score.final", {
            "plan_id": sp.plan_id, "version": sp.version, "period": period, "definition_set": sp.plan.definition_set,
            "snapshot_digest": snap.digest(), "result_sha256": digest, "total": result["total"]})
