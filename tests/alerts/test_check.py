"""``kpiguard alerts check`` end to end on the golden store (tests/scoring/golden.py), with the
real pacing engine, a real workspace and a real loopback receiver.

Hand-known numbers, as of Tuesday 2026-10-20 (see the golden docstring): orders on 1-9 and 15-20
October (10-14 is the stockout) = 15 orders of one unit; GMV to date = days 1-9 (3 and 4 are a
weekend: 2 x 50 + 7 x 20 = 240) + days 15-20 (17 and 18 a weekend: 2 x 50 + 4 x 20 = 180) =
420.00, against a floor of 800 for the month. One refund unit (20 October) and one A-to-z claim
(8 October): refund rate = order defect rate = 1 / 15 = 0.0667, both beyond the 0.05 limits.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kpiguard.alerts import inbox, webhooks
from kpiguard.cli.main import app
from kpiguard.workspace import Workspace
from tests.alerts.receiver import Receiver

pytestmark = [
    pytest.mark.slow,  # builds the golden workspace (~20 s) and paces it
    pytest.mark.skipif(not hasattr(importlib.import_module("kpiguard.pacing"), "pace"),
                       reason="kpiguard.pacing.pace is not in this build yet"),
]


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from tests.scoring.golden import build

    root: Path = tmp_path_factory.mktemp("alerts-golden")
    ws = Workspace(root / "ws")
    ws.init()
    return build(ws, root / "files")


def _check(ws: Workspace) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["--workspace", str(ws.home), "alerts", "check", "gold-us-2026q4",
                                      "--as-of", "2026-10-20", "--json"])
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def test_check_files_alerts_pushes_them_once(golden: Workspace, receiver: Receiver) -> None:
    webhooks.add(golden, "ops-json", "generic", receiver.url("/alerts"), "k3y", "ops")
    first = _check(golden)
    alerts = {(a["rule"], a["metric"]): a for a in first["alerts"]}
    refund = alerts[("guardrail_breach", "refund_rate")]
    assert refund["severity"] == "critical"
    assert Decimal(refund["numbers"]["actual_to_date"]).quantize(Decimal("0.0001")) == Decimal("0.0667")  # 1/15
    odr = alerts[("guardrail_breach", "order_defect_rate")]
    assert Decimal(odr["numbers"]["actual_to_date"]).quantize(Decimal("0.0001")) == Decimal("0.0667")  # 1/15
    gmv = alerts[("forecast_below_floor", "gmv")]
    assert Decimal(gmv["numbers"]["actual_to_date"]) == Decimal("420.00")
    assert Decimal(gmv["numbers"]["floor"]) == Decimal(800)

    created = first["created"]
    assert isinstance(created, list) and len(created) == len(alerts)
    got = receiver.at("/alerts")
    assert sorted(r.json()["alert"]["id"] for r in got) == sorted(created)  # one message per new alert
    for r in got:
        assert r.headers["X-Kpiguard-Signature"] == hmac.new(b"k3y", r.body, hashlib.sha256).hexdigest()

    second = _check(golden)  # the next check, same day: nothing new, nothing sent again
    assert second["created"] == [] and sorted(second["updated"]) == sorted(created)
    assert second["delivery"] == {"messages": [], "suppressed": []}
    assert len(receiver.at("/alerts")) == len(created)
    assert {s.seen_count for s in inbox.list_alerts(golden)} == {2}
