"""The pacing world (world.py) with the plan of fixtures/pace_plan.yaml signed by both parties."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpiguard.plans import io, store
from kpiguard.workspace import Workspace
from tests.pacing.world import build

PLAN = Path(__file__).parent / "fixtures" / "pace_plan.yaml"
PLAN_ID = "pace-us-2026q4"


@pytest.fixture(scope="session")
def paced_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("pacing")
    ws = Workspace(root / "ws")
    ws.init()
    (root / "files").mkdir()
    build(ws, root / "files")
    text = PLAN.read_text(encoding="utf-8")
    plan, _ = io.load(text, str(PLAN))
    store.create(ws, plan, "lead", text)
    store.propose(ws, PLAN_ID, "lead")
    store.sign(ws, PLAN_ID, "seller", "Li Wei")
    store.sign(ws, PLAN_ID, "provider", "Anna Smith")
    return ws
