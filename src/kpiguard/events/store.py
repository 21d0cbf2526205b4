"""Force-majeure events (不可抗力事件): proposed by one party, approved or rejected by the other.

An event names a type the plan's adjustment clause lists (stockout, account suspension ...), the
stores and days it hit, and its evidence (a note and optionally a file, kept by SHA-256 under
``evidence/``). Who may decide is the clause's ``approval``: ``both`` means the party that did not
propose it; ``seller`` or ``agency`` names the one party whose word counts. Every step is a ledger
entry, so a scorecard's adjustment can always be traced to who proposed and who agreed.
Only approved events adjust a score (``scoring/adjustments.py``); a rejected one changes nothing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from kpiguard import ledger
from kpiguard.errors import Finding, InputError, NotFoundError
from kpiguard.plans import store as plan_store
from kpiguard.plans.model import Plan
from kpiguard.transactions import writing
from kpiguard.workspace import Workspace

PARTIES: tuple[str, ...] = ("seller", "provider")
DECIDABLE_PLAN_STATUSES = ("signed", "active", "closed")
PARTY_LABELS = {"seller": "seller / 卖家", "provider": "provider / 服务商"}


@dataclass(frozen=True)
class Event:
    event_id: int
    plan_id: str
    event_type: str
    stores: tuple[str, ...]
    start: date
    end: date
    note: str
    evidence_name: str | None
    evidence_sha256: str | None
    proposed_party: str
    proposed_by: str
    proposed_at: datetime
    status: str  # proposed | approved | rejected
    decided_party: str | None
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str | None

    def days_in(self, start: date, end: date) -> list[date]:
        """The event's days that fall in [start, end]."""
        first, last = max(self.start, start), min(self.end, end)
        return [date.fromordinal(d) for d in range(first.toordinal(), last.toordinal() + 1)]

    def to_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "plan_id": self.plan_id, "type": self.event_type,
                "stores": list(self.stores), "start": str(self.start), "end": str(self.end), "note": self.note,
                "evidence": {"name": self.evidence_name, "sha256": self.evidence_sha256} if self.evidence_sha256 else None,
                "proposed": {"party": self.proposed_party, "by": self.proposed_by, "at": self.proposed_at.isoformat()},
                "status": self.status,
                "decided": ({"party": self.decided_party, "by": self.decided_by, "note": self.decision_note,
                             "at": self.decided_at.isoformat()} if self.decided_at else None)}


@dataclass(frozen=True)
class Proposal:
    plan_id: str
    event_type: str
    stores: tuple[str, ...]
    start: date
    end: date
    note: str
    party: str
    by: str
    evidence: Path | None = None


def _problem(code: str, en: str, zh: str, column: str, value: str | None, hint: str) -> InputError:
    return InputError(f"{en} / {zh}", [Finding(code, en, column=column, value=value, hint=hint)])


def _check_party(party: str) -> None:
    if party not in PARTIES:
        raise _problem("event.party", f"unknown party {party!r}", f"未知的一方 {party!r}", "--party", party,
                       "use --party seller or --party provider")


def _check_proposal(plan: Plan, p: Proposal) -> None:
    _check_party(p.party)
    clause = plan.adjustments
    if clause is None:
        raise _problem("event.no_clause", f"plan {plan.plan_id} has no adjustment clause: events cannot adjust it",
                       f"方案 {plan.plan_id} 没有不可抗力调整条款，事件不能调整考核", "adjustments", None,
                       "amend the plan to add an adjustments clause (kpiguard plan amend)")
    if p.event_type not in clause.events:
        raise _problem("event.type", f"the plan's clause does not cover {p.event_type!r} events",
                       f"方案条款不包含 {p.event_type!r} 类事件", "--type", p.event_type,
                       f"the clause covers: {', '.join(clause.events) or 'none'}")
    unknown = [s for s in p.stores if s not in plan.stores]
    if not p.stores or unknown:
        raise _problem("event.store", f"store {', '.join(unknown) or '(none)'} is not in plan {plan.plan_id}",
                       "店铺不在该方案内", "--store", ", ".join(unknown) or None,
                       f"give one or more of: {', '.join(plan.stores)}")
    if p.end < p.start:
        raise _problem("event.range", "the event ends before it starts", "事件结束日期早于开始日期", "--to", str(p.end),
                       "give --from on or before --to")
    if p.start > plan.period.end or p.end < plan.period.start:
        raise _problem("event.range", f"the event lies outside the plan period {plan.period.start} .. {plan.period.end}",
                       "事件不在方案周期内", "--from", str(p.start), "give days within the plan period")
    if not p.note.strip():
        raise _problem("event.note", "an event needs a description of what happened", "事件需要说明",
                       "--note", None, "say what happened and how it is evidenced, e.g. --note 'FBA inbound delayed'")


def _store_evidence(ws: Workspace, source: Path) -> str:
    if not source.is_file():
        raise _problem("event.evidence", f"evidence file {source} does not exist", "证据文件不存在", "--evidence",
                       str(source), "give the path of a file (screenshot, PDF, e-mail export)")
    data = source.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    target = ws.home / "evidence" / digest
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        target.chmod(0o444)
    return digest


def _plan_for_events(ws: Workspace, plan_id: str) -> Plan:
    sp = plan_store.get(ws, plan_id)
    if sp.status not in DECIDABLE_PLAN_STATUSES:
        raise _problem("event.plan_status", f"plan {plan_id} is {sp.status}; events adjust signed plans only",
                       f"方案 {plan_id} 状态为 {sp.status}，只有已签署的方案可登记事件", "plan", sp.status,
                       "sign the plan first (kpiguard plan sign)")
    return sp.plan


def propose(ws: Workspace, p: Proposal) -> Event:
    plan = _plan_for_events(ws, p.plan_id)
    _check_proposal(plan, p)
    digest = _store_evidence(ws, p.evidence) if p.evidence else None
    with writing(ws) as con:
        event_id = int(con.execute("SELECT coalesce(max(event_id), 0) + 1 FROM events").fetchone()[0])  # type: ignore[index]
        now = datetime.now(UTC)
        con.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'proposed', NULL, NULL, NULL, NULL)",
                    [event_id, p.plan_id, p.event_type, json.dumps(list(p.stores)), p.start, p.end, p.note,
                     p.evidence.name if p.evidence else None, digest, p.party, p.by, now])
        ledger.append(con, p.by, "event.proposed", {
            "event_id": event_id, "plan_id": p.plan_id, "type": p.event_type, "stores": list(p.stores),
            "start": str(p.start), "end": str(p.end), "note": p.note, "party": p.party, "evidence_sha256": digest})
    return get(ws, event_id)


def approve(ws: Workspace, event_id: int, party: str, by: str, note: str = "") -> Event:
    return _decide(ws, event_id, party, by, note, "approved")


def reject(ws: Workspace, event_id: int, party: str, by: str, note: str = "") -> Event:
    return _decide(ws, event_id, party, by, note, "rejected")


def _decide(ws: Workspace, event_id: int, party: str, by: str, note: str, outcome: str) -> Event:
    _check_party(party)
    event = get(ws, event_id)
    plan = _plan_for_events(ws, event.plan_id)
    if event.status != "proposed":
        raise _problem("event.decided", f"event {event_id} is already {event.status}", f"事件 {event_id} 已处理（{event.status}）",
                       "event", event.status, "propose a new event if the facts changed")
    required = deciding_party(plan, event)
    if party != required:
        raise _problem("event.approver", f"event {event_id} must be decided by the {required}, not the {party}",
                       f"事件 {event_id} 须由{PARTY_LABELS[required]}确认", "--party", party,
                       "the plan's adjustment clause says who approves (approval: both means the other party)")
    with writing(ws) as con:
        con.execute("UPDATE events SET status = ?, decided_party = ?, decided_by = ?, decided_at_utc = ?, "
                    "decision_note = ? WHERE event_id = ?", [outcome, party, by, datetime.now(UTC), note, event_id])
        ledger.append(con, by, f"event.{outcome}", {"event_id": event_id, "plan_id": event.plan_id,
                                                    "party": party, "note": note})
    return get(ws, event_id)


def deciding_party(plan: Plan, event: Event) -> str:
    """seller or provider: who approves or rejects ``event`` under the plan's clause."""
    approval = plan.adjustments.approval if plan.adjustments else "both"
    if approval == "seller":
        return "seller"
    if approval == "agency":
        return "provider"
    return "provider" if event.proposed_party == "seller" else "seller"


def get(ws: Workspace, event_id: int) -> Event:
    with ws.connect(read_only=True) as con:
        rows = _select(con, "WHERE event_id = ?", [event_id])
    if not rows:
        raise NotFoundError(f"no event {event_id}", [Finding("event.unknown", f"event {event_id} does not exist",
                                                             column="EVENT_ID", hint="see kpiguard event list")])
    return rows[0]


def list_events(ws: Workspace, plan_id: str | None = None, status: str | None = None) -> list[Event]:
    ws.require()
    clauses, params = [], []
    if plan_id:
        clauses.append("plan_id = ?")
        params.append(plan_id)
    if status:
        clauses.append("status = ?")
        params.append(status)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    with ws.connect(read_only=True) as con:
        if not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'events'").fetchone():
            return []
        return _select(con, where, params)


def _select(con: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> list[Event]:
    rows = con.execute(f"SELECT * FROM events {where} ORDER BY event_id", params).fetchall()
    return [Event(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
                  r[13], r[14], r[15], r[16]) for r in rows]
