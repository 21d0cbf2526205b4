"""A final score is recorded with its data snapshot and recomputed bit-for-bit later.

After October is final (as of 2027-01-05, past the 60-day refund window) the score is recorded.
Then November data arrives, and October itself is restated: the 3 October order (a Saturday,
50.00) is re-exported as cancelled. Asking for October's score again recomputes it from the
recorded snapshot: the same JSON, byte for byte (GMV still 730.00). A fresh computation on
today's data says 680.00 (730.00 - 50.00), which proves the comparison could fail.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal as D
from pathlib import Path

import pytest

from kpiguard.errors import WorkspaceError
from kpiguard.ingest.load import import_file
from kpiguard.metrics.tables import LakeReader
from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine
from kpiguard.scoring.records import governing_version, result_json, score
from kpiguard.scoring.scorecard import compute, scoring_period
from kpiguard.snapshot import take
from kpiguard.workspace import Workspace
from tests.scoring.conftest import FINAL
from tests.scoring.golden import HERO, PLAN_ID, STORE, build, noon, order_id, orders

RECORD_KEYS = ("recorded", "recorded_at", "result_sha256")


@pytest.fixture(scope="module")
def final_ws(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, dict, Path]:
    root = tmp_path_factory.mktemp("final")
    ws = Workspace(root / "ws")
    ws.init()
    build(ws, root / "files")
    first = score(ws, PLAN_ID, "2026-10", FINAL)
    return ws, first, root


def test_final_score_is_recorded_with_its_snapshot(final_ws) -> None:
    ws, first, _ = final_ws
    assert first["status"] == "final" and first["recorded"] is True
    with ws.connect(read_only=True) as con:
        (snapshot_json, digest, result_sha) = con.execute(
            "SELECT snapshot_json, snapshot_digest, result_sha256 FROM scores WHERE plan_id = ?", [PLAN_ID]).fetchone()
        entry = con.execute("SELECT payload_json FROM ledger WHERE kind = 'score.final'").fetchone()
    # one part per import and table: the orders file 1 and the traffic file 1 (each covering Aug,
    # Sep and Oct), ads 1, the Date Range report -> fees 1 + refunds 1, cs events 1
    assert len(json.loads(snapshot_json)) == first["snapshot"]["lake_parts"] == 6
    assert digest == first["snapshot"]["digest"]
    assert json.loads(entry[0])["result_sha256"] == result_sha


def test_recomputed_after_new_imports_bit_for_bit(final_ws) -> None:
    ws, first, root = final_ws
    november = [OrderLine(order_id(d), 1, noon(d), noon(d), "shipped", HERO, 1, D("20.00"), "USD")
                for d in (date(2026, 11, 2) + timedelta(days=i) for i in range(5))]
    restated = [OrderLine(order_id(date(2026, 10, 3)), 1, noon(date(2026, 10, 3)), noon(date(2026, 11, 20)),
                          "cancelled", HERO, 1, D("50.00"), "USD")]
    import_file(ws, amazon_all_orders.write(root / "nov.txt", november + restated, version="sp-api"), STORE)
    again = score(ws, PLAN_ID, "2026-10", date(2027, 2, 1))
    strip = lambda r: {k: v for k, v in r.items() if k not in RECORD_KEYS}  # noqa: E731
    assert result_json(strip(again)) == result_json(strip(first))
    assert again["result_sha256"]
    sp = governing_version(ws, PLAN_ID)
    now = take(ws)
    fresh = compute(ws, sp, scoring_period(sp.plan, "2026-10"), LakeReader(ws, parts=now.paths), now, FINAL)
    fresh_gmv = next(k for k in fresh["kpis"] if k["metric"] == "gmv")
    assert D(fresh_gmv["actual"]) == D("680.00")  # today's data differs: the recorded score did not follow it


def test_recompute_refuses_when_snapshot_data_changed(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.init()
    build(ws, tmp_path / "files")
    score(ws, PLAN_ID, "2026-10", FINAL)
    part = sorted((ws.lake_dir / "order_lines").rglob("*.parquet"))[0]
    part.chmod(0o644)
    part.write_bytes(part.read_bytes() + b"x")
    with pytest.raises(WorkspaceError, match="changed"):
        score(ws, PLAN_ID, "2026-10", FINAL)


def test_orders_fixture_skips_the_stockout() -> None:
    october = [o for o in orders(date(2026, 10, 1), date(2026, 10, 31))]
    assert len(october) == 26
    assert sum(o.unit_price for o in october) == D("730.00")


def test_verify_names_an_altered_final_score(tmp_path: Path) -> None:
    from kpiguard.verify import verify

    ws = Workspace(tmp_path / "ws")
    ws.init()
    build(ws, tmp_path / "files")
    score(ws, PLAN_ID, "2026-10", FINAL)
    assert verify(ws).ok
    with ws.connect() as con:
        (text,) = con.execute("SELECT result_json FROM scores WHERE plan_id = ?", [PLAN_ID]).fetchone()
        assert '"total":"37.55"' in text  # the unadjusted golden total (no event in this workspace)
        con.execute("UPDATE scores SET result_json = ? WHERE plan_id = ?",
                    [text.replace('"total":"37.55"', '"total":"99.00"'), PLAN_ID])
    problems = verify(ws).problems
    assert any("final score gold-us-2026q4 v1 2026-10 was altered" in p for p in problems), problems
