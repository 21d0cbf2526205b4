"""The demo's contracts: signed plans on the simulated stores, and the events a review argues about.

After the reports are imported, the demo drafts plans from the shipped templates with targets
suggested from each store's own history (exactly as ``kpiguard plan new`` does), and walks them
through the lifecycle a real pair of parties would:

- Amazon US: the full-service growth plan over the last six months, proposed, signed by both and
  active; the scenario's stockout proposed by the agency and approved by the seller, so those
  months' scorecards show adjusted and unadjusted figures side by side;
- Amazon DE (when simulated): the same over the same months; its account suspension proposed by
  the agency and still waiting for the seller's decision;
- TikTok Shop (when simulated): a coaching plan proposed by the agency, waiting for signatures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kpiguard.demo.build import DemoResult
from kpiguard.demo.scenario import Event
from kpiguard.events import store as events
from kpiguard.plans import store as plan_store
from kpiguard.plans import suggest, templates
from kpiguard.plans.model import Period, Plan
from kpiguard.plans.store import StoredPlan
from kpiguard.workspace import Workspace

SELLER = "TrailCo Outdoor Ltd / 踏行户外"
AGENCY = "BlueWave Agency / 蓝浪代运营"
SELLER_SIGNER = "Li Wei / 李伟"
MIN_MONTHS = 9  # six plan months after three months of history
AGENCY_SIGNER = "Anna Smith / 安娜"


@dataclass(frozen=True)
class SeededPlan:
    plan_id: str
    status: str
    events: list[str]


def _months_back(end: date, months: int) -> date:
    year, month = divmod(end.year * 12 + end.month - months, 12)
    return date(year, month + 1, 1)


def _draft(ws: Workspace, template: str, plan_id: str, store_id: str, start: date, end: date, currency: str) -> Plan:
    plan = templates.instantiate(templates.load(template), plan_id, SELLER, AGENCY, [store_id],
                                 Period(start=start, end=end), currency)
    plan = suggest.draft(ws, plan).plan
    # confirmed by both parties before proposing: the suggested targets become agreed ones
    return plan.model_copy(update={"kpis": [k.model_copy(update={"suggested": False}) for k in plan.kpis]})


def _sign(ws: Workspace, plan_id: str) -> StoredPlan:
    plan_store.propose(ws, plan_id, AGENCY_SIGNER)
    plan_store.sign(ws, plan_id, "provider", AGENCY_SIGNER)
    plan_store.sign(ws, plan_id, "seller", SELLER_SIGNER)
    return plan_store.activate(ws, plan_id, SELLER_SIGNER)


def seed(ws: Workspace, result: DemoResult) -> list[SeededPlan]:
    """Create the demo's plans and events (skipped when they exist: re-running the demo is harmless)."""
    return seed_for(ws, {s.store_id: s.currency for s in result.stores}, result.events, result.start, result.end)


def seed_for(ws: Workspace, currencies: dict[str, str], scenario: list[Event], first_day: date,
             last_day: date) -> list[SeededPlan]:
    """The plans need history to suggest targets from: at least ``MIN_MONTHS`` simulated months."""
    start, end = _months_back(last_day, 6), last_day
    if _months_back(start, MIN_MONTHS - 6) < first_day:
        return []
    existing = {sp.plan_id for sp in plan_store.list_plans(ws)}
    out: list[SeededPlan] = []
    by_store = {e.store_id: e for e in scenario if e.kind in ("stockout", "account_suspension")}
    for store_id, template, decide in (("amazon-us", "full_service/growth", True),
                                       ("amazon-de", "full_service/growth", False)):
        if store_id not in currencies:
            continue
        plan_id = f"{store_id}-{start:%Y%m}"
        if plan_id in existing:
            continue
        plan_store.create(ws, _draft(ws, template, plan_id, store_id, start, end, currencies[store_id]), AGENCY_SIGNER)
        sp = _sign(ws, plan_id)
        notes = []
        ev = by_store.get(store_id)
        if ev and ev.end >= start:
            proposed = events.propose(ws, events.Proposal(
                plan_id, ev.kind, (store_id,), max(ev.start, start), min(ev.end, end), ev.detail or ev.kind,
                "provider", AGENCY_SIGNER))
            if decide:
                events.approve(ws, proposed.event_id, "seller", SELLER_SIGNER, "checked against the FBA inventory history")
            notes.append(f"#{proposed.event_id} {ev.kind} {'approved' if decide else 'proposed'}")
        out.append(SeededPlan(plan_id, sp.status, notes))
    if "tiktok-us" in currencies:
        plan_id = f"tiktok-us-{last_day:%Y%m}"
        if plan_id not in existing:
            next_start = date(last_day.year + (last_day.month == 12), last_day.month % 12 + 1, 1)
            next_end = _months_back(next_start, -3)
            plan_store.create(ws, _draft(ws, "coaching/growth", plan_id, "tiktok-us", next_start,
                                         date.fromordinal(next_end.toordinal() - 1), currencies["tiktok-us"]),
                              AGENCY_SIGNER)
            proposed_plan = plan_store.propose(ws, plan_id, AGENCY_SIGNER)
            out.append(SeededPlan(plan_id, proposed_plan.status, []))
    return out
