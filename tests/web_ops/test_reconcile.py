"""Reconciliation page and API: kpiguard.metrics.reconcile for the stores the user may see.

October 2026 of the golden store (tests/scoring/golden.py): the All Orders report sells 22 weekdays
x 20.00 + 9 weekend days x 50.00 = 890.00 less the stockout's 160.00 = 730.00, on 26 days; the
business report's rows carry ordered sales 0.00 (sessions only). So each of the 26 selling days has
a gap equal to its orders (20.00 or 50.00), above the 1% tolerance: 26 days flagged, and the five
stockout days agree (0.00 on both sides).
"""

from __future__ import annotations

from decimal import Decimal as D

from fastapi.testclient import TestClient

from tests.scoring.golden import STORE
from tests.web_ops.conftest import MANAGER, OPERATOR, OTHER, SELLER, VIEWER, OpsWorld

ORDERS = "orders:amazon_all_orders"


def test_gmv_by_source_with_the_gaps(client: TestClient, world: OpsWorld) -> None:
    reply = client.get(f"/api/reconcile?store={STORE}&period=2026-10", headers=world.bearer(OPERATOR))
    assert reply.status_code == 200
    r = reply.json()
    assert (r["store"], r["metric"], r["currency"]) == (STORE, "gmv", "USD")
    assert r["sources"] == ["business_report", ORDERS]
    assert r["totals"] == {"business_report": "0.00", ORDERS: "730.00"}
    assert r["flagged_days"] == 26 and len(r["days"]) == 31
    saturday = next(d for d in r["days"] if d["day"] == "2026-10-03")
    assert (saturday[ORDERS], saturday["gap"], saturday["flagged"]) == ("50.00", "50.00", True)
    stockout = next(d for d in r["days"] if d["day"] == "2026-10-12")
    assert (D(stockout[ORDERS]), stockout["flagged"]) == (D(0), False)
    page = client.get(f"/reconcile?store={STORE}&period=2026-10", headers=world.bearer(OPERATOR)).text
    assert 'data-flagged-days="26"' in page
    assert f'data-source="{ORDERS}" data-amount="730.00"' in page
    assert '<tr data-day="2026-10-03" data-gap="50.00" data-flagged="true">' in page
    # 3 and 4 October both miss 50.00: reconcile reads a time-zone shift, shown in Chinese by default
    assert saturday["likely_causes"][0].startswith("time zone shift")
    assert "时区差异：2026-10-04 有同样大小的差额" in page


def test_from_and_to_and_the_default_store(client: TestClient, world: OpsWorld) -> None:
    # 3 and 4 October are a weekend: 50.00 + 50.00 = 100.00; the operator's only store is the default
    r = client.get("/api/reconcile?from=2026-10-03&to=2026-10-04", headers=world.bearer(OPERATOR)).json()
    assert (r["store"], r["totals"][ORDERS], r["flagged_days"]) == (STORE, "100.00", 2)


def test_stores_of_others_are_not_found_and_bad_ranges_are_400(client: TestClient, world: OpsWorld) -> None:
    for who in (MANAGER, OPERATOR):
        assert client.get(f"/api/reconcile?store={OTHER}&period=2026-10", headers=world.bearer(who)).status_code == 404
    assert client.get(f"/api/reconcile?store={OTHER}&period=2026-10", headers=world.bearer(VIEWER)).status_code == 200
    seller = world.bearer(SELLER)
    assert client.get("/api/reconcile?period=2026-13", headers=seller).status_code == 400
    assert client.get("/api/reconcile?from=2026-10-05", headers=seller).status_code == 400
    assert client.get("/api/reconcile?from=2026-10-05&to=2026-10-01", headers=seller).status_code == 400
    assert client.get("/api/reconcile?from=2024-01-01&to=2026-10-01", headers=seller).status_code == 400
    assert client.get("/api/reconcile?metric=refunds", headers=seller).status_code == 422
