"""A provisional statement, a refund that arrives late, and the clawback on the final statement.

Without the event (none is proposed here) October scores 37.55 (see test_golden_scorecard.py):
below 40, so the base fee is cut by 50% to 1500.00; no bonus tier is reached (the lowest is 60);
commission 0.05 x (690.00 - 500) = 9.50; payable 1500.00 + 0 + 9.50 = 1509.50 (provisional).
A refund of 30.00 dated 28 October then arrives: net sales 660.00, commission 0.05 x 160 = 8.00,
payable 1508.00 on the final statement; refund rate 3 / 26 is still breached and the cap of 60
does not bind 37.55, so the score does not move. Difference 1508.00 - 1509.50 = -1.50: a
clawback (the plan has clawback_days: 60).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_date_range
from kpiguard.reportgen.model import FeeLine
from kpiguard.settlement.statements import settle, statements
from kpiguard.workspace import Workspace
from tests.scoring.conftest import FINAL, PROVISIONAL
from tests.scoring.golden import PLAN_ID, STORE, build, noon, order_id


def test_late_refund_gives_a_clawback_on_the_final_statement(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.init()
    build(ws, tmp_path / "files")
    first = settle(ws, PLAN_ID, "2026-10", PROVISIONAL)
    assert (first["status"], first["seq"], D(first["score"]["total"])) == ("provisional", 1, D("37.55"))
    assert (D(first["amounts"]["fee_reduction"]), D(first["amounts"]["bonus"]), D(first["amounts"]["payable"])) == (
        D("1500.00"), D("0"), D("1509.50"))
    late = [FeeLine("7002", noon(date(2026, 10, 28)), "Refund", order_id(date(2026, 10, 7)), "HERO-1", 1, "ItemPrice",
                    "Principal", D("-30.00"), "USD")]
    import_file(ws, amazon_date_range.write(tmp_path / "late-refund.csv", late), STORE)
    final = settle(ws, PLAN_ID, "2026-10", FINAL)
    assert (final["status"], final["seq"], D(final["amounts"]["payable"])) == ("final", 2, D("1508.00"))
    assert final["true_up"]["kind"] == "clawback"
    assert (D(final["true_up"]["due"]), final["true_up"]["against_seq"]) == (D("-1.50"), 1)
    assert [s["seq"] for s in statements(ws, PLAN_ID, "2026-10")] == [1, 2]
