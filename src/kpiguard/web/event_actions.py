"""Force-majeure events as the web app runs them: who may see, propose and decide, then the audit log.

``events.store`` decides the lifecycle (the plan's clause names which party approves; a decided
event stays decided). Here: the user's party is ``user.party`` (a seller admin decides as the
seller, an agency manager as the provider), the action is checked on every store of the plan
(event_propose, event_decide; read for the list and the evidence), and an uploaded evidence file
is written to a temporary folder under its own name before ``events.store.propose`` keeps it by
SHA-256, since the store takes a path.
"""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request, UploadFile

from kpiguard.accounts.model import User
from kpiguard.accounts.permissions import can_role
from kpiguard.errors import Finding, InputError, NotFoundError
from kpiguard.events import store as events_store
from kpiguard.events.store import Event, Proposal
from kpiguard.plans import store as plan_store
from kpiguard.plans.store import StoredPlan
from kpiguard.web.access import cache, require_plan, visible_plans, workspace
from kpiguard.web.auth import audit

MAX_EVIDENCE = 20 * 1024 * 1024  # a screenshot, a PDF, an e-mail export
CHUNK = 1024 * 1024


def _deciding_party(plan_id: str, e: Event, plans: dict[str, StoredPlan]) -> str | None:
    sp = plans.get(plan_id)
    if sp is None:
        return None
    return events_store.deciding_party(sp.plan, e)  # the store's own rule, not a copy of it


def event_row(user: User, e: Event, plans: dict[str, StoredPlan]) -> dict[str, Any]:
    """An event with who decides it and whether this user may do so now."""
    decider = _deciding_party(e.plan_id, e, plans)
    may = e.status == "proposed" and can_role(user, "event_decide") and decider == user.party
    return {**e.to_dict(), "deciding_party": decider, "can_decide": may,
            "evidence_href": f"/events/{e.event_id}/evidence" if e.evidence_sha256 else None}


def listing(request: Request, user: User, plan_id: str | None = None, status: str | None = None) -> dict[str, Any]:
    """The events of every plan the user may see (optionally one plan's, or one status)."""
    plans = {sp.plan_id: sp for sp in visible_plans(request, user)}
    if plan_id is not None:
        require_plan(request, user, "read", plan_id)
    ws = workspace(request)
    every = cache(request).get(("events", plan_id, status, ws.generation()),
                               lambda: events_store.list_events(ws, plan_id, status))
    found = [e for e in every if e.plan_id in plans]
    return {"events": [event_row(user, e, plans) for e in found], "party": user.party,
            "can_propose": can_role(user, "event_propose")}


def visible_event(request: Request, user: User, event_id: int, action: str = "read") -> Event:
    """The event when the user may ``action`` on its plan; another organisation's event is a 404.

    The event and the plan are read once per workspace generation (every proposal and decision is
    a ledger entry that moves it): reading the plan's YAML again made each request take 0.2 s."""
    ws = workspace(request)
    e = cache(request).get(("event", event_id, ws.generation()), lambda: events_store.get(ws, event_id))
    require_plan(request, user, "read", e.plan_id)  # 404 before 403: existence is not leaked
    require_plan(request, user, action, e.plan_id)
    return e


def _safe_name(name: str | None) -> str:
    """The upload's own name, reduced to a plain file name (no folders, no control characters)."""
    base = Path((name or "").replace("\\", "/")).name
    cleaned = re.sub(r"[^\w.\- ()\u4e00-\u9fff]", "_", base).strip(" .")
    return cleaned[:120] or "evidence"


async def _save_upload(upload: UploadFile, folder: Path) -> Path:
    target = folder / _safe_name(upload.filename)
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > MAX_EVIDENCE:
                raise InputError("the evidence file is too large / 证据文件过大", [Finding(
                    "event.evidence_size", f"more than {MAX_EVIDENCE // (1024 * 1024)} MB", column="evidence",
                    hint="upload a smaller file (a screenshot or a PDF)")])
            out.write(chunk)
    if size == 0:
        raise InputError("the evidence file is empty / 证据文件为空", [Finding(
            "event.evidence_empty", "the uploaded file has no bytes", column="evidence",
            hint="choose the file again, or leave the field empty")])
    return target


async def propose(request: Request, user: User, plan_id: str, event_type: str, stores: list[str], start: date,
                  end: date, note: str, evidence: UploadFile | None) -> Event:
    """Propose an event for the user's party, with its evidence file when one was uploaded."""
    ws = workspace(request)
    sp = require_plan(request, user, "event_propose", plan_id)  # the store checks type, stores and days
    with tempfile.TemporaryDirectory(prefix="kpiguard-evidence-") as folder:
        path = await _save_upload(evidence, Path(folder)) if evidence is not None and evidence.filename else None
        e = events_store.propose(ws, Proposal(plan_id, event_type, tuple(stores), start, end, note, user.party,
                                              user.email, path))
    audit(request, user, "event.propose", f"event:{e.event_id}", {
        "plan_id": plan_id, "type": e.event_type, "start": str(e.start), "end": str(e.end),
        "party": e.proposed_party, "evidence_sha256": e.evidence_sha256}, sp.plan.stores)
    return e


def decide(request: Request, user: User, event_id: int, outcome: str, note: str) -> Event:
    """Approve or reject as the user's party; the plan's clause says which party that must be."""
    e = visible_event(request, user, event_id, "event_decide")
    act = events_store.approve if outcome == "approve" else events_store.reject
    done = act(workspace(request), event_id, user.party, user.email, note.strip())
    audit(request, user, f"event.{outcome}", f"event:{event_id}", {
        "plan_id": e.plan_id, "party": user.party, "status": done.status, "note": note.strip()},
        plan_store.get(workspace(request), e.plan_id).plan.stores)
    return done


def evidence_file(request: Request, user: User, event_id: int) -> tuple[Path, str]:
    """The stored evidence of an event the user may read, and the name it was uploaded under."""
    e = visible_event(request, user, event_id)
    path = workspace(request).home / "evidence" / str(e.evidence_sha256)
    if not e.evidence_sha256 or not path.is_file():
        raise NotFoundError(f"event {event_id} has no evidence file / 该事件没有证据文件", [Finding(
            "event.no_evidence", f"event {event_id} was proposed without a file", column="evidence",
            hint="see the event's note")])
    return path, e.evidence_name or f"evidence-{event_id}"
