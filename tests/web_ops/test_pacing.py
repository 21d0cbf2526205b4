"""Pacing page and API: the numbers are kpiguard.pacing.pace's, the chart is drawn from them.

A figure worked out by hand (tests/scoring/golden.py: 20.00 a weekday order, 50.00 a weekend one,
nothing from the 10th to the 14th): GMV from 1 to 15 October 2026 is
    1 Thu 20 + 2 Fri 20 + 3 Sat 50 + 4 Sun 50 + 5..9 Mon-Fri 5 x 20 + 15 Thu 20 = 260.00
over days_elapsed 15 of days_total 31; and the order defect rate to date is 1 A-to-z claim
(8 October) over the 10 orders of 1-9 and 15 October = 0.100000.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from fastapi import FastAPI
from fastapi.testclient import TestClient

from kpiguard.pacing import pace
from kpiguard.pacing.export import to_dict
from kpiguard.plans import store as plan_store
from kpiguard.web.app import create_app
from kpiguard.web.security import LANG_COOKIE
from kpiguard.workspace import Workspace
from tests.scoring.golden import PLAN_ID
from tests.web_ops.conftest import MANAGER, OPERATOR, OTHER_PLAN, SELLER, TODAY, VIEWER, OpsWorld

AS_OF = date(2026, 10, 15)


def test_page_and_api_show_pace_s_numbers(app: FastAPI, world: OpsWorld) -> None:
    client = TestClient(app)
    api = client.get(f"/api/plans/{PLAN_ID}/pace?as_of={AS_OF}", headers=world.bearer(VIEWER))
    assert api.status_code == 200
    data = api.json()
    expected = to_dict(pace(app.state.workspace, PLAN_ID, AS_OF))
    assert data == expected  # the API is `kpiguard pace --json`
    gmv = next(k for k in data["kpis"] if k["metric"] == "gmv")
    odr = next(g for g in data["guardrails"] if g["metric"] == "order_defect_rate")
    assert (gmv["actual_to_date"], data["days_elapsed"], data["days_total"]) == ("260.00", 15, 31)
    assert odr["actual_to_date"] == "0.100000"

    page = client.get(f"/plans/{PLAN_ID}/pace?as_of={AS_OF}", headers=world.bearer(VIEWER))
    assert page.status_code == 200
    for k in data["kpis"]:
        row = re.search(rf'<tr data-metric="{k["metric"]}"([^>]*)>', page.text)
        assert row, k["metric"]
        attrs = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', row[1]))
        for field in ("actual_to_date", "expected_to_date", "forecast", "forecast_low", "forecast_high",
                      "p_floor", "p_target", "weekly_needed", "status"):
            assert attrs[field.replace("_", "-")] == (k[field] or ""), (k["metric"], field)
    for g in data["guardrails"]:
        assert f'data-metric="{g["metric"]}" data-actual-to-date="{g["actual_to_date"] or ""}" ' \
               f'data-forecast="{g["forecast"] or ""}" data-limit="{g["limit"] or ""}" ' \
               f'data-p-breach="{g["p_breach"] or ""}"' in page.text
    assert 'id="pace-chart" data-chart="pace"' in page.text and "/static/plotly.min.js" in page.text


def test_the_chart_shows_each_kpi_as_a_share_of_its_target(client: TestClient, world: OpsWorld) -> None:
    from kpiguard.web.ops_views import pace_chart

    data = client.get(f"/api/plans/{PLAN_ID}/pace?as_of={AS_OF}", headers=world.bearer(SELLER)).json()
    chart = pace_chart(data)
    gmv = next(s for s in chart["series"] if s["metric"] == "gmv")
    # actual to date 260.00 of the target 1000 = 26%; it starts at 0 on the first day of the period
    assert gmv["actual_x"][:2] == ["2026-10-01", "2026-10-15"] and gmv["actual_y"][:2] == [0.0, 26.0]
    assert gmv["expected_y"][-1] == 100.0 and gmv["expected_x"][-1] == "2026-10-31"


def test_the_app_s_today_is_the_default_day(client: TestClient, world: OpsWorld) -> None:
    data = client.get(f"/api/plans/{PLAN_ID}/pace", headers=world.bearer(MANAGER)).json()
    assert data["as_of"] == "2026-11-10" and data["period_start"] == "2026-11-01"


def test_plans_of_other_stores_are_not_found_and_bad_days_are_400(client: TestClient, world: OpsWorld) -> None:
    # other-us is not granted to the agency: its plan does not exist for the manager or the operator
    for who in (MANAGER, OPERATOR):
        assert client.get(f"/api/plans/{OTHER_PLAN}/pace", headers=world.bearer(who)).status_code == 404
        assert client.get(f"/plans/{OTHER_PLAN}/pace", headers=world.bearer(who)).status_code == 404
    assert client.get("/api/plans/no-such-plan/pace", headers=world.bearer(SELLER)).status_code == 404
    outside = client.get(f"/api/plans/{PLAN_ID}/pace?as_of=2027-02-01", headers=world.bearer(SELLER))
    assert outside.status_code == 400 and outside.json()["findings"][0]["code"] == "pace.as_of"
    assert client.get(f"/api/plans/{PLAN_ID}/pace?as_of=2026-02-30", headers=world.bearer(SELLER)).status_code == 422


def test_the_guardrail_effect_speaks_the_page_s_language(app: FastAPI, world: OpsWorld) -> None:
    # the golden plan: refund rate over 0.05 caps the total at 60 points; ODR over 0.05 voids the bonus
    expected = {"en": {"refund_rate": "total capped at 60", "order_defect_rate": "bonus void"},
                "zh-CN": {"refund_rate": "总分封顶 60", "order_defect_rate": "取消奖金"}}
    for chosen, effects in expected.items():
        client = TestClient(app, cookies={LANG_COOKIE: chosen})
        page = client.get(f"/plans/{PLAN_ID}/pace?as_of={AS_OF}", headers=world.bearer(VIEWER)).text
        shown = dict(re.findall(r'<tr data-metric="([a-z_]+)"[^>]*>(?:(?!</tr>).)*?data-effect="([^"]*)"', page, re.S))
        assert shown == effects, chosen


def test_the_effect_is_the_signed_version_s_not_an_amendment_draft_s(world: OpsWorld) -> None:
    # the golden plan's signed version caps the total at 60 on a refund-rate breach; a draft
    # amendment proposing 50 binds nobody yet, and pacing still paces the signed version
    ws = Workspace(world.home)
    signed = plan_store.get(ws, PLAN_ID)
    guardrails = [g.model_copy(update={"cap_points": Decimal("50")}) if g.metric == "refund_rate" else g
                  for g in signed.plan.guardrails]
    draft = plan_store.amend(ws, PLAN_ID, signed.plan.model_copy(update={"guardrails": guardrails}),
                             "refund cap to 50", "manager@test")
    assert draft.version == signed.version + 1 and draft.status == "draft"
    application = create_app(world.home, TODAY)
    try:
        client = TestClient(application, cookies={LANG_COOKIE: "en"})
        page = client.get(f"/plans/{PLAN_ID}/pace?as_of={AS_OF}", headers=world.bearer(VIEWER)).text
    finally:
        application.state.workspace.close()
    shown = dict(re.findall(r'<tr data-metric="([a-z_]+)"[^>]*>(?:(?!</tr>).)*?data-effect="([^"]*)"', page, re.S))
    assert shown["refund_rate"] == "total capped at 60"
