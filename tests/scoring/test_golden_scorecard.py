"""The golden scorecard: every figure worked out by hand (see golden.py for the data).

The approved stockout (Sat 10 - Wed 14 October) takes out days that, by the store's own weekday
pattern over the eight weeks before October (weekdays 20.00, weekends 50.00), carry
(50 + 50 + 20 + 20 + 20) / 890 = 160 / 890 = 0.179775 of October's expected GMV — not the
5 / 31 = 0.161290 that calendar days would say. So with ``exclude_days``:

gmv   actual 730.00 (no orders on the stockout days)
      target 1000 x 730/890 = 820.2247 -> 820.22; floor 800 x 730/890 = 656.1798 -> 656.18;
      stretch 1200 x 730/890 = 984.2697 -> 984.27
      points 60 + (730 - 656.18) / (820.22 - 656.18) x 40 = 60 + 73.82 / 164.04 x 40 = 78.0005 -> 78.00
      attainment 730 / 820.22 = 0.89000 -> 0.8900
      unadjusted: 730 < floor 800 -> 0.00 points, attainment 0.7300
acos  50.00 / 200.00 = 0.25 (no ads on the stockout days: unchanged); lower is better:
      60 + (0.30 - 0.25) / (0.30 - 0.20) x 40 = 80.00; attainment 0.20 / 0.25 = 0.8000
cvr   26 orders / 260 sessions (the stockout days' 50 sessions out) = 0.100000 = target -> 100.00
      unadjusted 26 / 310 = 0.083871 -> 60 + 0.003871 / 0.02 x 40 = 67.742 -> 67.74
weighted (50 x 78.00 + 30 x 80.00 + 20 x 100.00) / 100 = 8300 / 100 = 83.00
guardrails refund_rate 2 / 26 = 0.076923 > 0.05: breached, total capped at 60 -> total 60.00;
      order_defect_rate 1 / 26 = 0.038462 <= 0.05: not breached
unadjusted total (50 x 0 + 30 x 80.00 + 20 x 67.74) / 100 = 3754.8 / 100 = 37.548 -> 37.55 (< cap 60)
roles operations (gmv 50, cvr 20): (50 x 78.00 + 20 x 100.00) / 70 = 5900 / 70 = 84.2857 -> 84.29;
      advertising 80.00; customer_service owns the breached refund_rate guardrail
bonus total 60.00 reaches the 60 tier (25% of 2000.00) = 500.00; no fee reduction (60 is not below 60);
      commission 0.05 x (net sales 730.00 - 40.00 refunds = 690.00 - threshold 500) = 9.50;
      payable 3000.00 + 500.00 + 9.50 = 3509.50
"""

from __future__ import annotations

from decimal import Decimal as D

from kpiguard import ledger
from kpiguard.plans import store as plan_store
from kpiguard.plans.model import Plan
from kpiguard.scoring.records import score
from kpiguard.settlement.amounts import amounts
from kpiguard.settlement.statements import settle
from kpiguard.workspace import Workspace
from tests.scoring.conftest import PROVISIONAL
from tests.scoring.golden import PLAN_ID


def kpi(card: dict, metric: str) -> dict:
    return next(k for k in card["kpis"] if k["metric"] == metric)


def test_every_kpi_figure_of_the_golden_scorecard(approved_ws) -> None:
    ws, _ = approved_ws
    card = score(ws, PLAN_ID, "2026-10", PROVISIONAL)
    assert card["status"] == "provisional"
    gmv = kpi(card, "gmv")
    assert (D(gmv["actual"]), D(gmv["target"]), D(gmv["floor"]), D(gmv["stretch"])) == (
        D("730.00"), D("820.22"), D("656.18"), D("984.27"))
    assert D(gmv["expected_share_excluded"]) == D("0.179775")
    assert (D(gmv["points"]), D(gmv["attainment"])) == (D("78.00"), D("0.8900"))
    assert (D(gmv["unadjusted"]["target"]), D(gmv["unadjusted"]["points"]), D(gmv["unadjusted"]["attainment"])) == (
        D("1000"), D("0.00"), D("0.7300"))
    acos = kpi(card, "acos")
    assert (D(acos["actual"]), D(acos["points"]), D(acos["attainment"])) == (D("0.25"), D("80.00"), D("0.8000"))
    cvr = kpi(card, "cvr")
    assert (D(cvr["actual"]), D(cvr["points"])) == (D("0.1"), D("100.00"))
    assert (D(cvr["unadjusted"]["actual"]), D(cvr["unadjusted"]["points"])) == (D("0.083871"), D("67.74"))
    assert cvr["counted_for"] == "operations"  # the KPI met its target: the late images caused no miss


def test_golden_total_guardrails_roles_and_bonus(approved_ws) -> None:
    ws, _ = approved_ws
    card = score(ws, PLAN_ID, "2026-10", PROVISIONAL)
    assert D(card["weighted_total"]) == D("83.00")
    assert D(card["total"]) == D("60.00")
    assert D(card["total_unadjusted"]) == D("37.55")
    refund, odr = card["guardrails"]
    assert (refund["metric"], D(refund["actual"]), refund["breached"]) == ("refund_rate", D("0.076923"), True)
    assert D(card["cap_points"]) == D("60")
    assert (odr["metric"], D(odr["actual"]), odr["breached"], card["bonus_voided"]) == (
        "order_defect_rate", D("0.038462"), False, False)
    roles = {r["role"]: r for r in card["roles"]}
    assert D(roles["operations"]["score"]) == D("84.29")
    assert D(roles["advertising"]["score"]) == D("80.00")
    assert roles["customer_service"]["guardrails_breached"] == ["refund_rate"]
    pay = amounts(_plan(ws), card)
    assert (D(pay["fee_reduction"]), D(pay["bonus"]), D(pay["commission"]["amount"]), D(pay["payable"])) == (
        D("0.00"), D("500.00"), D("9.50"), D("3509.50"))
    assert D(pay["commission"]["base_value"]) == D("690.00")


def test_every_figure_names_its_explain_command(approved_ws) -> None:
    ws, _ = approved_ws
    card = score(ws, PLAN_ID, "2026-10", PROVISIONAL)
    assert kpi(card, "gmv")["explain"] == ("kpiguard explain gmv --store gold-us --from 2026-10-01 --to 2026-10-31 "
                                           "--currency USD --definitions standard@1")
    assert card["adjustments"]["excluded_days"][0] == "gold-us 2026-10-10"
    assert len(card["adjustments"]["excluded_days"]) == 5


def test_approved_event_is_in_the_ledger(approved_ws) -> None:
    ws, event_id = approved_ws
    with ws.connect(read_only=True) as con:
        kinds = [(e.kind, e.payload.get("event_id")) for e in ledger.entries(con)]
    assert ("event.proposed", event_id) in kinds and ("event.approved", event_id) in kinds


def test_rejected_event_changes_nothing_and_is_in_the_ledger(rejected_ws) -> None:
    ws, event_id = rejected_ws
    card = score(ws, PLAN_ID, "2026-10", PROVISIONAL)
    for line in card["kpis"]:
        assert not line["adjusted"]
        for field in ("actual", "target", "floor", "stretch", "points"):
            assert line[field] == line["unadjusted"][field], (line["metric"], field)
    assert D(card["total"]) == D(card["total_unadjusted"]) == D("37.55")
    assert card["adjustments"]["events"] == []
    with ws.connect(read_only=True) as con:
        kinds = [(e.kind, e.payload.get("event_id")) for e in ledger.entries(con)]
    assert ("event.proposed", event_id) in kinds and ("event.rejected", event_id) in kinds


def test_a_miss_caused_by_a_late_dependency_counts_for_the_late_role(rejected_ws) -> None:
    """Without the event, cvr misses (67.74 < 100); design's images were due 5 Oct and never came
    (late 6..31 Oct = 26 days); the clause shift_to_dependency counts the miss for design:
    operations keeps gmv alone (0.00), design gets cvr (67.74)."""
    ws, _ = rejected_ws
    card = score(ws, PLAN_ID, "2026-10", PROVISIONAL)
    cvr = kpi(card, "cvr")
    (dep,) = cvr["dependencies"]
    assert (dep["role"], dep["late_days"], dep["caused_miss"]) == ("design", 26, True)
    assert cvr["counted_for"] == "design"
    roles = {r["role"]: r for r in card["roles"]}
    assert (D(roles["operations"]["score"]), roles["operations"]["kpis"]) == (D("0.00"), ["gmv"])
    assert (D(roles["design"]["score"]), roles["design"]["shifted_in"]) == (D("67.74"), ["cvr"])


def test_settlement_statement_is_recorded_once(approved_ws) -> None:
    ws, _ = approved_ws
    first = settle(ws, PLAN_ID, "2026-10", PROVISIONAL)
    again = settle(ws, PLAN_ID, "2026-10", PROVISIONAL)
    assert D(first["amounts"]["payable"]) == D("3509.50")
    assert first["seq"] == again["seq"] == 1 and again["reissued"] is False


def _plan(ws: Workspace) -> Plan:
    return plan_store.get(ws, PLAN_ID).plan
