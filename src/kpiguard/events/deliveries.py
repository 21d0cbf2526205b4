"""When a KPI's dependency was delivered: the fact that fair ownership (责任归属) turns on.

A plan's KPI may depend on another role's deliverable by a date (``Kpi.depends_on``: listing
images from design by the 5th). Either party records the day it arrived; the scorecard counts the
days it was overdue (the day after ``due`` up to the day before delivery, or to the period end if
it never came) and applies the dependency's clause. Each record is a ledger entry; a second
record for the same dependency supersedes the first; both stay (a recorded final score is
recomputed with the records that existed when it was taken).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from kpiguard import ledger
from kpiguard.errors import Finding, InputError
from kpiguard.events.store import PARTIES
from kpiguard.plans import store as plan_store
from kpiguard.transactions import writing
from kpiguard.workspace import Workspace


@dataclass(frozen=True)
class Delivery:
    plan_id: str
    metric: str
    role: str
    delivered_on: date
    party: str
    by: str
    note: str


def record(ws: Workspace, d: Delivery) -> Delivery:
    plan = plan_store.get(ws, d.plan_id).plan
    known = {(k.metric, dep.role) for k in plan.kpis for dep in k.depends_on}
    if (d.metric, d.role) not in known:
        listed = ", ".join(f"{m}<-{r}" for m, r in sorted(known)) or "none"
        raise InputError("no such dependency in the plan / 方案中没有该依赖", [Finding(
            "delivery.unknown", f"KPI {d.metric!r} has no dependency on {d.role!r}", column="--metric/--role",
            value=f"{d.metric}<-{d.role}", hint=f"the plan's dependencies: {listed}")])
    if d.party not in PARTIES:
        raise InputError("unknown party / 未知的一方", [Finding(
            "delivery.party", f"unknown party {d.party!r}", column="--party", value=d.party,
            hint="use --party seller or --party provider")])
    with writing(ws) as con:
        con.execute("INSERT INTO deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [d.plan_id, d.metric, d.role, d.delivered_on, d.party, d.by, datetime.now(UTC), d.note])
        ledger.append(con, d.by, "dependency.delivered", {
            "plan_id": d.plan_id, "metric": d.metric, "role": d.role, "delivered_on": str(d.delivered_on),
            "party": d.party, "note": d.note})
    return d


def delivered(ws: Workspace, plan_id: str, cutoff: datetime | None = None) -> dict[tuple[str, str], date]:
    """(metric, role) -> the day the deliverable arrived: the latest record (made by ``cutoff``)."""
    with ws.connect(read_only=True) as con:
        if not con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'deliveries'").fetchone():
            return {}
        rows = con.execute("SELECT metric, role, delivered_on FROM deliveries WHERE plan_id = ? "
                           "AND recorded_at_utc <= coalesce(?, recorded_at_utc) ORDER BY recorded_at_utc",
                           [plan_id, cutoff]).fetchall()
    return {(r[0], r[1]): r[2] for r in rows}
