"""Settlement statements: recorded when issued, provisional first, then final with a true-up.

A month is usually settled on its provisional score (the agency is paid on time); refunds and
claims keep arriving for weeks, so when the score turns final the statement is issued again and
the difference to what was already settled is a true-up (owed to the provider) or a clawback
(owed back), the latter only if the plan has a clawback clause (``clawback_days`` > 0: refunds and
claims that arrive within that many days of the period end are reflected in the final score). Each
issued statement is stored with its SHA-256 and a ledger entry; issuing an unchanged statement
again returns the recorded one instead of adding a duplicate.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from kpiguard import ledger
from kpiguard.scoring.records import governing_version, score
from kpiguard.settlement.amounts import amounts
from kpiguard.transactions import writing
from kpiguard.workspace import Workspace

SCORE_FIELDS = ("total", "weighted_total", "total_unadjusted", "status", "bonus_voided", "definition_set", "as_of")


def settle(ws: Workspace, plan_id: str, period: str, as_of: date | None = None) -> dict[str, Any]:
    """Issue (or re-issue) the period's statement; returns it with its sequence number."""
    card = score(ws, plan_id, period, as_of)
    sp = governing_version(ws, plan_id)
    today = as_of or datetime.now(UTC).date()
    lines = amounts(sp.plan, card)
    previous = _last(ws, plan_id, card["period"])
    statement: dict[str, Any] = {
        "plan": sp.plan_id, "version": sp.version, "plan_hash": sp.plan_hash, "period": card["period"],
        "period_start": card["period_start"], "period_end": card["period_end"], "status": card["status"],
        "issued_on": str(today),
        "parties": {"seller": sp.plan.seller.name, "provider": sp.plan.provider.name},
        "score": {k: card[k] for k in SCORE_FIELDS} | {"snapshot_digest": card["snapshot"]["digest"]},
        "kpis": [{k: line[k] for k in ("metric", "name", "weight", "actual", "target", "points")} for line in card["kpis"]],
        "guardrails": [{k: g[k] for k in ("metric", "name", "actual", "limit", "breached", "effect")}
                       for g in card["guardrails"]],
        "amounts": lines, "true_up": None,
    }
    if previous is not None:
        statement["true_up"] = _true_up(sp.plan.incentives.clawback_days, card, previous, lines)
    if previous is not None and _same(previous["statement"], statement):
        return previous["statement"] | {"seq": previous["seq"], "reissued": False}
    seq = _save(ws, statement)
    return statement | {"seq": seq, "reissued": previous is not None}


def _true_up(clawback_days: int, card: dict[str, Any], previous: dict[str, Any], lines: dict[str, Any]) -> dict[str, Any]:
    before = Decimal(previous["statement"]["amounts"]["payable"])
    delta = Decimal(lines["payable"]) - before
    until = date.fromisoformat(card["period_end"]) + timedelta(days=clawback_days)
    out: dict[str, Any] = {"against_seq": previous["seq"], "settled_before": str(before), "difference": str(delta),
                           "clawback_until": str(until)}
    if delta > 0:
        out |= {"kind": "true_up", "due": str(delta), "note": "owed to the provider / 应补付服务商"}
    elif delta < 0 and clawback_days > 0:
        out |= {"kind": "clawback", "due": str(delta), "note": "owed back by the provider / 服务商应退回"}
    elif delta < 0:
        out |= {"kind": "none", "due": "0", "note": "the plan has no clawback clause; nothing is clawed back / "
                                                   "方案无追回条款，不予追回"}
    else:
        out |= {"kind": "none", "due": "0", "note": "no change / 无变化"}
    return out


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    keys = ("status", "score", "amounts", "version")
    return all(json.dumps(a.get(k), sort_keys=True) == json.dumps(b.get(k), sort_keys=True) for k in keys)


def _last(ws: Workspace, plan_id: str, period: str) -> dict[str, Any] | None:
    with ws.connect(read_only=True) as con:
        if not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'settlements'").fetchone():
            return None
        row = con.execute("SELECT seq, statement_json FROM settlements WHERE plan_id = ? AND period = ? "
                          "ORDER BY seq DESC LIMIT 1", [plan_id, period]).fetchone()
    return None if row is None else {"seq": row[0], "statement": json.loads(row[1])}


def statements(ws: Workspace, plan_id: str, period: str) -> list[dict[str, Any]]:
    """Every statement issued for the period, oldest first."""
    with ws.connect(read_only=True) as con:
        if not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'settlements'").fetchone():
            return []
        rows = con.execute("SELECT seq, statement_json FROM settlements WHERE plan_id = ? AND period = ? ORDER BY seq",
                           [plan_id, period]).fetchall()
    return [json.loads(r[1]) | {"seq": r[0]} for r in rows]


def _save(ws: Workspace, statement: dict[str, Any]) -> int:
    text = json.dumps(statement, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.sha256(text.encode()).hexdigest()
    with writing(ws) as con:
        seq = int(con.execute("SELECT coalesce(max(seq), 0) + 1 FROM settlements WHERE plan_id = ? AND period = ?",
                              [statement["plan"], statement["period"]]).fetchone()[0])  # type: ignore[index]
        con.execute("INSERT INTO settlements VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [statement["plan"], statement["version"], statement["period"], seq, statement["status"], text,
                     digest, datetime.now(UTC)])
        ledger.append(con, "kpiguard", "settlement.statement", {
            "plan_id": statement["plan"], "period": statement["period"], "seq": seq, "status": statement["status"],
            "payable": statement["amounts"]["payable"], "statement_sha256": digest,
            "true_up": statement["true_up"]["due"] if statement["true_up"] else None})
    return seq
