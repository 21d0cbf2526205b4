"""Golden workspaces: the same store and plan, with the stockout event approved or rejected."""

from __future__ import annotations

from datetime import date

import pytest

from kpiguard.events import store as events
from kpiguard.workspace import Workspace
from tests.scoring.golden import PLAN_ID, STOCKOUT, STORE, build


def _with_event(tmp_path_factory: pytest.TempPathFactory, decision: str) -> tuple[Workspace, int]:
    root = tmp_path_factory.mktemp(f"golden-{decision}")
    ws = Workspace(root / "ws")
    ws.init()
    build(ws, root / "files")
    evidence = root / "fba-inbound-delay.txt"
    evidence.write_text("FBA shipment FBA15XYZ checked in 9 days late\n", encoding="utf-8")
    e = events.propose(ws, events.Proposal(PLAN_ID, "stockout", (STORE,), STOCKOUT[0], STOCKOUT[1],
                                           "hero SKU out of stock: inbound shipment delayed", "provider", "Anna Smith",
                                           evidence))
    decide = events.approve if decision == "approved" else events.reject
    decide(ws, e.event_id, "seller", "Li Wei", "checked the FBA inventory history")
    return ws, e.event_id


@pytest.fixture(scope="module")
def approved_ws(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, int]:
    return _with_event(tmp_path_factory, "approved")


@pytest.fixture(scope="module")
def rejected_ws(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, int]:
    return _with_event(tmp_path_factory, "rejected")


PROVISIONAL = date(2026, 11, 10)  # refunds stay open 60 days after October: provisional
FINAL = date(2027, 1, 5)  # after 2026-10-31 + 60 days: final
