"""``kpiguard event``, ``dependency``, ``score`` and ``settle`` run as a user would (subprocesses)."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from kpiguard.workspace import Workspace
from tests.conftest import run_cli
from tests.scoring.golden import PLAN_ID, build


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("cli-scoring")
    workspace = Workspace(root / "ws")
    workspace.init()
    return build(workspace, root / "files")


def test_event_flow_and_score_json(ws: Workspace, tmp_path: Path) -> None:
    proof = tmp_path / "proof.txt"
    proof.write_text("inbound delayed", encoding="utf-8")
    added = run_cli(ws, "event", "add", PLAN_ID, "--type", "stockout", "--store", "gold-us", "--from", "2026-10-10",
                    "--to", "2026-10-14", "--note", "inbound delayed", "--party", "provider", "--by", "Anna",
                    "--evidence", str(proof), "--json")
    assert added.code == 0, added.err
    event = json.loads(added.out)
    assert (event["status"], event["evidence"]["name"]) == ("proposed", "proof.txt")
    refused = run_cli(ws, "event", "approve", str(event["event_id"]), "--party", "provider", "--by", "Anna")
    assert refused.code == 2 and "Traceback" not in refused.err
    assert "must be decided by the seller" in refused.err
    ok = run_cli(ws, "event", "approve", str(event["event_id"]), "--party", "seller", "--by", "Li Wei")
    assert ok.code == 0 and "approved" in ok.out
    out = run_cli(ws, "score", PLAN_ID, "--period", "2026-10", "--as-of", "2026-11-10", "--json")
    assert out.code == 0, out.err
    card = json.loads(out.out)
    # the issue's --json contract: these keys, the hand-worked total of test_golden_scorecard.py
    assert {"plan", "version", "period", "status", "total", "kpis", "guardrails", "adjustments"} <= card.keys()
    assert {"metric", "actual", "target", "floor", "stretch", "weight", "attainment", "points", "owner"} <= card["kpis"][0].keys()
    assert {"metric", "actual", "limit", "breached", "effect"} <= card["guardrails"][0].keys()
    assert (card["status"], D(card["total"]), D(card["total_unadjusted"])) == ("provisional", D("60.00"), D("37.55"))
    table = run_cli(ws, "score", PLAN_ID, "--period", "2026-10", "--as-of", "2026-11-10")
    assert table.code == 0 and "总分" in table.out and "60.00" in table.out


def test_dependency_delivery_and_settle(ws: Workspace) -> None:
    bad = run_cli(ws, "dependency", "deliver", PLAN_ID, "--metric", "gmv", "--role", "design", "--on", "2026-10-09",
                  "--party", "provider")
    assert bad.code == 2 and "no dependency" in bad.err and "cvr<-design" in bad.err
    good = run_cli(ws, "dependency", "deliver", PLAN_ID, "--metric", "cvr", "--role", "design", "--on", "2026-10-09",
                   "--party", "provider")
    assert good.code == 0, good.err
    out = run_cli(ws, "settle", PLAN_ID, "--period", "2026-10", "--as-of", "2026-11-10", "--json")
    assert out.code == 0, out.err
    assert "payable" in json.loads(out.out)["amounts"]


def test_wrong_period_and_unsigned_plan_are_clear_errors(ws: Workspace) -> None:
    out = run_cli(ws, "score", PLAN_ID, "--period", "2026-10-01..2026-10-15")
    assert out.code == 2 and "not a scoring period" in out.err and "Traceback" not in out.err
    out = run_cli(ws, "score", PLAN_ID, "--period", "2027-01")
    assert out.code == 2 and "2026-10-01 .. 2026-12-31" in out.err
