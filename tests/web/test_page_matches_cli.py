"""The scorecard page and its /api/ twin show the numbers ``kpiguard score --json`` prints.

The CLI runs first, as a subprocess on this module's copy of the workspace (while the server runs
it holds the catalog); then a real server serves the same folder and the seller reads the page and
the API. The CLI's figures are checked against the golden October worked out by hand
(tests/scoring/golden.py, tests/scoring/test_golden_scorecard.py; no event approved here, so the
unadjusted figures are the scorecard):

gmv   730.00 (26 orders: 22 weekdays x 20.00 + 9 weekend days x 50.00 = 890.00, minus the stockout
      days 50 + 50 + 20 + 20 + 20 = 160.00) < floor 800 -> 0.00 points
acos  (30.00 + 20.00) / (100.00 + 100.00) = 0.25, between floor 0.30 and target 0.20, lower is better:
      60 + (0.30 - 0.25) / (0.30 - 0.20) x 40 = 80.00 points
cvr   26 orders / 310 sessions = 0.083871: 60 + (0.083871 - 0.08) / (0.10 - 0.08) x 40 = 67.74 points
total (50 x 0.00 + 30 x 80.00 + 20 x 67.74) / 100 = 3754.8 / 100 = 37.548 -> 37.55, under the cap
      of 60 the breached refund-rate guardrail (2 / 26 = 0.076923 > 0.05) sets
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal as D
from typing import Any

import httpx
import pytest

from tests.conftest import run_cli
from tests.web.conftest import LiveServer, live_server
from tests.web.pages import data_attributes, sign_in
from tests.web.world import DRAFT_PLAN, OCTOBER_GMV, PLAN, SELLER, STORE, World, password

PERIOD = "2026-10"


@pytest.fixture(scope="module")
def cli_card(world: World) -> dict[str, Any]:
    """``kpiguard score`` on the folder, before any server has opened it."""
    done = run_cli(world.home, "score", PLAN, "--period", PERIOD, "--as-of", "2026-11-10", "--json")
    assert done.code == 0, done.err
    card = done.json()
    assert isinstance(card, dict)
    return card


@pytest.fixture(scope="module")
def seller(world: World, cli_card: dict[str, Any]) -> Iterator[tuple[LiveServer, httpx.Client]]:
    with live_server(world.home) as running, httpx.Client(base_url=running.url, timeout=60) as client:
        sign_in(client, SELLER, password(SELLER))
        yield running, client


def test_the_cli_prints_the_hand_worked_october(cli_card: dict[str, Any]) -> None:
    kpis = {k["metric"]: k for k in cli_card["kpis"]}
    assert (cli_card["plan"], cli_card["period"], cli_card["status"]) == (PLAN, PERIOD, "provisional")
    assert (D(kpis["gmv"]["actual"]), D(kpis["gmv"]["points"])) == (D("730.00"), D("0.00"))
    assert (D(kpis["acos"]["actual"]), D(kpis["acos"]["points"])) == (D("0.25"), D("80.00"))
    assert (D(kpis["cvr"]["actual"]), D(kpis["cvr"]["points"])) == (D("0.083871"), D("67.74"))
    assert D(cli_card["total"]) == D("37.55")


def test_the_api_returns_the_cli_json(seller: tuple[LiveServer, httpx.Client], cli_card: dict[str, Any]) -> None:
    _, client = seller
    response = client.get(f"/api/plans/{PLAN}/score", params={"period": PERIOD})
    assert response.status_code == 200, response.text
    assert response.json() == cli_card


def test_the_scorecard_page_shows_the_cli_numbers(seller: tuple[LiveServer, httpx.Client],
                                                  cli_card: dict[str, Any]) -> None:
    _, client = seller
    response = client.get(f"/plans/{PLAN}/score", params={"period": PERIOD})
    assert response.status_code == 200, response.text[:500]
    page = data_attributes(response.text)
    card = page.first("data-scorecard").attrs
    assert (card["data-scorecard"], card["data-period"], card["data-status"]) == (PLAN, PERIOD, "provisional")
    assert card["data-total"] == cli_card["total"]
    kpis = {r["data-metric"]: r for r in page.rows("kpis")}
    assert list(kpis) == [k["metric"] for k in cli_card["kpis"]]
    for k in cli_card["kpis"]:
        row = kpis[k["metric"]]
        assert (row["data-actual"], row["data-target"], row["data-points"]) == (
            k["actual"] or "", k["target"] or "", k["points"] or ""), k["metric"]
    guardrails = {r["data-metric"]: r["data-breached"] for r in page.rows("guardrails")}
    assert guardrails == {g["metric"]: str(g["breached"]) for g in cli_card["guardrails"]}
    roles = {r["data-role"]: r["data-score"] for r in page.rows("roles")}
    assert roles == {r["role"]: r["score"] or "" for r in cli_card["roles"]}


def test_the_portfolio_page_shows_its_api_numbers(seller: tuple[LiveServer, httpx.Client]) -> None:
    _, client = seller
    api = client.get("/api/portfolio").json()
    page = data_attributes(client.get("/").text)
    # the latest full month before 2026-11-10 is October: gold-us sold 730.00 (hand-worked above)
    stores = {r["data-store"]: r["data-gmv"] for r in page.rows("stores")}
    assert stores == {s["store_id"]: s["gmv"] or "" for s in api["stores"]}
    assert D(stores[STORE]) == OCTOBER_GMV
    plans = {r["data-plan"]: (r["data-total"], r["data-light"]) for r in page.rows("plans")}
    assert plans == {p["plan_id"]: (p["total"] or "", p["light"]) for p in api["plans"]}
    # the seller sees both of its plans, never northpeak's
    assert set(plans) == {PLAN, DRAFT_PLAN}
