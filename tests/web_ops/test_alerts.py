"""Alerts inbox: the open alerts of visible plans; seller admins and agency managers acknowledge.

The fixture's check (gold-us-2026q4 as of 2026-10-15) breaches the order-defect guardrail: 1 claim
over the 10 orders of 1-9 and 15 October = 0.100000, above the plan's limit 0.05; that alert is
critical (tests/alerts cover the rules; here it is the one we know for sure is in the inbox).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.scoring.golden import PLAN_ID
from tests.web_ops.conftest import AUDITOR, MANAGER, OPERATOR, SELLER, VIEWER, OpsWorld, sign_in


def odr_alert(client: TestClient, world: OpsWorld, who: str = SELLER) -> dict:
    alerts = client.get("/api/alerts", headers=world.bearer(who)).json()["alerts"]
    return next(a for a in alerts if a["metric"] == "order_defect_rate")


def test_every_reader_of_the_plan_sees_the_inbox(client: TestClient, world: OpsWorld) -> None:
    alert = odr_alert(client, world)
    assert (alert["rule"], alert["severity"], alert["status"], alert["plan_id"]) == (
        "guardrail_breach", "critical", "open", PLAN_ID)
    assert alert["numbers"]["actual_to_date"] == "0.100000" and alert["numbers"]["limit"] == "0.05"
    for who in (VIEWER, AUDITOR, MANAGER, OPERATOR):
        listed = client.get("/api/alerts", headers=world.bearer(who)).json()
        assert alert["id"] in [a["id"] for a in listed["alerts"]], who
    assert client.get("/api/alerts", headers=world.bearer(VIEWER)).json()["can_ack"] is False
    page = client.get("/alerts", headers=world.bearer(VIEWER)).text
    assert f'data-alert-id="{alert["id"]}" data-severity="critical" data-status="open"' in page
    assert 'data-ack=' not in page  # no button for a viewer


def test_the_agency_manager_acknowledges_with_the_page_s_button(app: FastAPI, world: OpsWorld) -> None:
    browser, csrf = sign_in(app, MANAGER)
    alert = odr_alert(browser, world, MANAGER)
    page = browser.get("/alerts").text
    assert f'action="/alerts/{alert["id"]}/ack" data-ack="{alert["id"]}"' in page
    done = browser.post(f"/alerts/{alert['id']}/ack", data={"csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/alerts"
    after = next(a for a in browser.get("/api/alerts?all=true").json()["alerts"] if a["id"] == alert["id"])
    assert (after["status"], after["acknowledged_by"]) == ("acknowledged", MANAGER)
    assert alert["id"] not in [a["id"] for a in browser.get("/api/alerts").json()["alerts"]]  # open only
    again = browser.post(f"/api/alerts/{alert['id']}/ack", headers={"X-CSRF-Token": csrf})
    assert again.status_code == 400 and again.json()["findings"][0]["code"] == "alert.acknowledged"
    # the seller's auditor reads who acknowledged it
    entries = browser.get("/api/audit?limit=5", headers=world.bearer(AUDITOR)).json()["entries"]
    assert (entries[0]["action"], entries[0]["target"], entries[0]["actor"]) == (
        "alert.acknowledge", f"alert:{alert['id']}", MANAGER)


def test_roles_that_may_not_act_get_403_and_unknown_alerts_404(client: TestClient, world: OpsWorld) -> None:
    alert = odr_alert(client, world)
    for who in (VIEWER, AUDITOR, OPERATOR):
        assert client.post(f"/api/alerts/{alert['id']}/ack", headers=world.bearer(who)).status_code == 403, who
    assert client.post("/api/alerts/999/ack", headers=world.bearer(SELLER)).status_code == 404
    assert odr_alert(client, world)["status"] == "open"
    done = client.post(f"/api/alerts/{alert['id']}/ack", headers=world.bearer(SELLER))
    assert done.status_code == 200 and done.json()["acknowledged_by"] == SELLER


def test_acknowledging_by_cookie_needs_the_csrf_token(app: FastAPI, world: OpsWorld) -> None:
    browser, _ = sign_in(app, SELLER)
    alert = odr_alert(browser, world)
    assert browser.post(f"/alerts/{alert['id']}/ack", data={}).status_code == 403
    assert browser.post(f"/api/alerts/{alert['id']}/ack").status_code == 403
    assert odr_alert(browser, world)["status"] == "open"
