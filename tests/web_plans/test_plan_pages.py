"""The read-only plan pages: list, view, decomposition, contract export, both languages, OpenAPI.

Decomposition of the golden plan, by hand. The plan starts 2026-10-01; the months before it with
data are August (from Thursday the 6th) and September 2026, one order a day of 20.00 on weekdays
and 50.00 on weekend days, 10 sessions a day:

    August 6..31:  26 days, weekend days 8, 9, 15, 16, 22, 23, 29, 30 = 8, weekdays 18
                   GMV 18 x 20 + 8 x 50 = 760.00, orders 26, sessions 260
    September:     30 days, weekend days 5, 6, 12, 13, 19, 20, 26, 27 = 8, weekdays 22
                   GMV 22 x 20 + 8 x 50 = 840.00, orders 30, sessions 300

Recent level (both months, ratios of sums): sessions 560 / 2 = 280 a month, conversion 56 / 560 =
0.1, AOV 1600 / 56 = 28.571428..., GMV 1600 / 2 = 800.00. The GMV KPI's target is 1000 a month
(3000 for the quarter), so growth 1000 / 800 = 1.25: sessions alone 280 x 1.25 = 350, conversion
alone 0.125, AOV alone 28.571428... x 1.25 = 35.714285... -> 35.71. GMV grew 840 / 760 = 1.105
from August to September, less than 1.25: 0 of 1 month-over-month changes reached it.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web_plans.world import MANAGER, SELLER, SIGNED


def test_decomposition_of_the_gmv_target(client_for: Callable[[str], TestClient]) -> None:
    manager = client_for(MANAGER)
    d = manager.get(f"/api/plans/{SIGNED}/decompose").json()
    assert (d["target"], d["months"], d["target_gmv"], d["recent_months"], d["gmv_growth"]) == (
        "3000", 3, "1000.00", 2, "1.2500")
    assert d["recent"] == {"sessions": "280", "cvr": "0.100000", "aov": "28.57", "gmv": "800.00"}
    paths = {p["name"]: p["level"] for p in d["paths"]}
    assert (paths["sessions"]["sessions"], paths["cvr"]["cvr"], paths["aov"]["aov"]) == ("350", "0.125000", "35.71")
    assert (d["gmv_precedent"]["achieved"], d["gmv_precedent"]["changes"]) == (0, 1)
    page = manager.get(f"/plans/{SIGNED}/decompose").text
    assert 'data-path="sessions" data-sessions="350"' in page and 'data-target-gmv="1000.00"' in page
    # another promise, typed in: 1600 for the quarter is 533.33 a month, below the recent 800
    lower = manager.get(f"/api/plans/{SIGNED}/decompose?target=1600").json()
    assert (lower["target_gmv"], lower["feasible_by_history"]) == ("533.33", True)
    assert manager.get(f"/api/plans/{SIGNED}/decompose?target=-5").status_code == 400


def test_plan_page_and_list_in_both_languages(client_for: Callable[[str], TestClient]) -> None:
    seller = client_for(SELLER)
    zh = seller.get(f"/plans/{SIGNED}").text
    assert 'data-status="signed"' in zh and "签署记录" in zh and "风控指标" in zh
    # the golden KPIs: gmv 800/1000/1200 weight 50, acos 0.30/0.20/0.15 weight 30 (YAML reads 0.30 as the
    # number 0.3), cvr 0.08/0.10/0.12 weight 20
    assert 'data-metric="gmv" data-floor="800" data-target="1000" data-stretch="1200" data-weight="50"' in zh
    assert 'data-metric="acos" data-floor="0.3" data-target="0.2" data-stretch="0.15" data-weight="30"' in zh
    assert 'data-field="weights-total">100<' in zh
    assert zh.count('data-signature="') == 2 and 'data-period="2026-10"' in zh and 'data-period="2026-11"' in zh
    assert f'href="/plans/{SIGNED}/score?period=2026-10"' in zh
    seller.cookies.set("kpiguard_lang", "en")
    en = seller.get(f"/plans/{SIGNED}").text
    assert "Signatures" in en and "Adjustment clause" in en and "pw." not in en
    listing = seller.get("/plans").text
    assert f'data-plan="{SIGNED}" data-version="1" data-status="signed" data-signatures="seller,provider"' in listing


def test_contract_export(client_for: Callable[[str], TestClient]) -> None:
    seller = client_for(SELLER)
    md = seller.get(f"/plans/{SIGNED}/contract.md?lang=en")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert f'filename="{SIGNED}-v1.en.md"' in md.headers["content-disposition"]
    assert "Li Wei" in md.text and "Anna Smith" in md.text  # the golden plan's two signers
    pdf = seller.get(f"/plans/{SIGNED}/contract.pdf?lang=zh-CN")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert seller.get(f"/plans/{SIGNED}/contract.docx").status_code == 422
    assert seller.get(f"/plans/{SIGNED}/contract.md?lang=fr").status_code == 400
    assert seller.get(f"/plans/{SIGNED}/contract.md?version=9").status_code == 404  # the plan has version 1 only


def test_openapi_describes_the_plan_api(app: FastAPI) -> None:
    paths = TestClient(app).get("/openapi.json").json()["paths"]
    for path, method in (("/api/plan-list", "get"), ("/api/plans", "post"), ("/api/plans/{plan_id}/view", "get"),
                         ("/api/plans/{plan_id}/lint", "post"), ("/api/plans/{plan_id}/draft", "put"),
                         ("/api/plans/{plan_id}/propose", "post"), ("/api/plans/{plan_id}/sign", "post"),
                         ("/api/events", "get"), ("/api/plans/{plan_id}/events", "post"),
                         ("/api/events/{event_id}/{outcome}", "post")):
        assert method in paths[path], path
    assert not any(p.startswith("/plans") or p.startswith("/events") for p in paths)  # HTML pages stay out
