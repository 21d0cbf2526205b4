"""What the permission matrix adds to a copy of the world: an object for every route to act on.

Each change a route makes needs an object in the right state, and the page and its /api/ twin
must not use up each other's (a draft proposed through the API is no draft for the page any
more). So, all on gold-us (which every trailco and bluewave user sees) and written for Q1 2027:

    drafts    gold-us-d1 (API), gold-us-d2 (page)          edit, propose
    proposed  gold-us-p1 (API), gold-us-p2 (page)          sign
    signed    gold-us-s1 (API), gold-us-s2 (page)          activate, then amend
    events on gold-us-2026q4: #1 (world, by the provider), #B by the provider with an evidence
              file, #C and #D by the seller: the seller side decides #1 and #B, the agency #C and #D
    alerts    two open ones on gold-us-2026q4 (API, page), one on northpeak's plan
    statements October 2026 issued for gold-us-2026q4 and for northpeak's plan
    tokens    a spare API token for every user, which the user's own DELETE may revoke
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from kpiguard.accounts import tokens
from kpiguard.alerts import inbox
from kpiguard.alerts.model import Alert, Bilingual
from kpiguard.events import store as events
from kpiguard.plans import io
from kpiguard.plans import store as plan_store
from kpiguard.settlement.statements import settle
from kpiguard.workspace import Workspace
from tests.scoring import golden
from tests.web.world import (
    DRAFT_PLAN,
    OTHER_ADMIN,
    OTHER_PLAN,
    OTHER_STORE,
    PLAN,
    ROLE_USERS,
    STORE,
    TODAY,
    World,
)


def plan_text(plan_id: str, store: str = STORE) -> str:
    """The golden plan's terms for Q1 2027 under another id (lints without errors)."""
    return golden.PLAN_YAML.replace(f"plan_id: {golden.PLAN_ID}", f"plan_id: {plan_id}").replace(
        f"stores: [{golden.STORE}]", f"stores: [{store}]").replace(
        "period: {start: 2026-10-01, end: 2026-12-31}", "period: {start: 2027-01-01, end: 2027-03-31}").replace(
        "Q4 2026", "Q1 2027").replace("2026年第四季度", "2027年第一季度")


@dataclass
class MatrixObjects:
    drafts: dict[str, str] = field(default_factory=dict)  # "api"/"page" -> plan id
    proposed: dict[str, str] = field(default_factory=dict)
    signed: dict[str, str] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)  # plan id -> plan hash
    decide: dict[tuple[str, str], int] = field(default_factory=dict)  # (party, "api"/"page") -> event id
    evidence_event: int = 0
    alerts: dict[str, int] = field(default_factory=dict)  # "api"/"page"/"other" -> alert id
    seq: int = 0  # the statement number of October on both plans
    spare_tokens: dict[str, int] = field(default_factory=dict)  # e-mail -> token id


def _plan(ws: Workspace, plan_id: str, state: str) -> str:
    text = plan_text(plan_id)
    plan, _ = io.load(text, f"{plan_id}.yaml")
    sp = plan_store.create(ws, plan, "test", text)
    if state in ("proposed", "signed"):
        sp = plan_store.propose(ws, plan_id, "test")
    if state == "signed":
        plan_store.sign(ws, plan_id, "seller", "Li Wei")
        sp = plan_store.sign(ws, plan_id, "provider", "Anna Smith")
    return sp.plan_hash


def _event(ws: Workspace, party: str, evidence: Path | None = None) -> int:
    start, end = golden.STOCKOUT
    return events.propose(ws, events.Proposal(PLAN, "stockout", (STORE,), start, end, f"stockout noted by the {party}",
                                              party, "someone", evidence)).event_id


def _alert(plan_id: str, store: str, key: str) -> Alert:
    return Alert(rule="floor_at_risk", severity="warning", plan_id=plan_id, plan_version=1, stores=(store,),
                 metric="gmv", period_start=date(2026, 11, 1), period_end=date(2026, 11, 30), as_of=TODAY,
                 numbers={}, title=Bilingual("GMV may miss its floor", "GMV可能低于底线值"),
                 body=Bilingual("see the pacing page", "请查看进度追踪"), dedupe_key=key)


def add(world: World, folder: Path) -> MatrixObjects:
    ws = world.ws
    out = MatrixObjects()
    for kind, state, target in (("d", "draft", out.drafts), ("p", "proposed", out.proposed),
                                ("s", "signed", out.signed)):
        for use in ("api", "page"):
            plan_id = f"gold-us-{kind}{1 if use == 'api' else 2}"
            target[use] = plan_id
            out.hashes[plan_id] = _plan(ws, plan_id, state)
    for plan_id in (OTHER_PLAN, DRAFT_PLAN):
        out.hashes[plan_id] = plan_store.get(ws, plan_id).plan_hash
    evidence = folder / "fba-inbound-delay.txt"
    evidence.write_text("FBA shipment FBA15XYZ checked in 9 days late\n", encoding="utf-8")
    out.evidence_event = _event(ws, "provider", evidence)
    out.decide = {("seller", "api"): world.events["own"], ("seller", "page"): out.evidence_event,
                  ("provider", "api"): _event(ws, "seller"), ("provider", "page"): _event(ws, "seller")}
    now = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
    ids = inbox.record(ws, [_alert(PLAN, STORE, "matrix-api"), _alert(PLAN, STORE, "matrix-page"),
                            _alert(OTHER_PLAN, OTHER_STORE, "matrix-other")], "test", now).ids
    out.alerts = dict(zip(("api", "page", "other"), ids, strict=True))
    seqs = {settle(ws, plan_id, "2026-10", TODAY)["seq"] for plan_id in (PLAN, OTHER_PLAN)}
    assert seqs == {1}
    out.seq = 1
    for email in [*ROLE_USERS.values(), OTHER_ADMIN]:
        out.spare_tokens[email] = tokens.create(ws, email, "spare", "test")[0].token_id
    return out
