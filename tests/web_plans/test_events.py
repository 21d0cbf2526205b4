"""A force-majeure event through the web: the agency proposes it with an evidence file, the agency
cannot approve its own event, the seller approves it, and the approval is in the ledger, the audit
log and the October scorecard.

The golden plan (tests/scoring/golden.py) says ``approval: both``: an event the provider proposes is
decided by the seller. The hero SKU was out of stock from 10 to 14 October: 5 days.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from kpiguard import ledger
from kpiguard.accounts import audit as audit_log
from kpiguard.accounts import users
from kpiguard.workspace import Workspace
from tests.web_plans.conftest import csrf
from tests.web_plans.world import AUDITOR, MANAGER, OPERATOR, SELLER, SIGNED, VIEWER

EVIDENCE = b"FBA shipment FBA15XYZ checked in 9 days late\n"


def propose(manager: TestClient) -> TestClient:
    form = manager.get(f"/plans/{SIGNED}/events/new")
    assert form.status_code == 200 and 'data-form="event-new"' in form.text
    # the types offered are the clause's three: stockout, account_suspension, platform_outage
    assert re.findall(r'<option value="(\w+)"', form.text) == ["stockout", "account_suspension", "platform_outage"]
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    answer = manager.post(f"/plans/{SIGNED}/events/new", data={
        "csrf_token": token, "type": "stockout", "store": "gold-us", "from": "2026-10-10", "to": "2026-10-14",
        "note": "hero SKU out of stock: inbound shipment delayed"},
        files={"evidence": ("fba-inbound.txt", EVIDENCE, "text/plain")}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/events?plan={SIGNED}"
    return manager


def test_agency_proposes_seller_approves(client_for: Callable[[str], TestClient], ws: Workspace) -> None:
    manager = propose(client_for(MANAGER))
    listed = manager.get("/api/events").json()["events"]
    assert [(e["event_id"], e["type"], e["status"], e["proposed"]["party"], e["proposed"]["by"], e["deciding_party"],
             e["start"], e["end"]) for e in listed] == [
        (1, "stockout", "proposed", "provider", MANAGER, "seller", "2026-10-10", "2026-10-14")]
    assert listed[0]["evidence"] == {"name": "fba-inbound.txt", "sha256": hashlib.sha256(EVIDENCE).hexdigest()}
    assert listed[0]["can_decide"] is False  # the agency proposed it: the seller decides

    # the agency cannot approve its own event (400, with the reason), nor can its operator or the viewer (403)
    page = manager.get("/events").text
    assert 'id="approve-1"' not in page
    own = manager.post("/events/1/approve", data={"csrf_token": csrf(manager, "/events")})
    assert own.status_code == 400 and "must be decided by the seller" in own.text
    api_own = manager.post("/api/events/1/approve", json={"note": ""}, headers={"X-CSRF-Token": csrf(manager)})
    assert api_own.status_code == 400 and api_own.json()["findings"][0]["code"] == "event.approver"
    for email in (OPERATOR, VIEWER):
        other = client_for(email)
        assert other.post("/api/events/1/approve", headers={"X-CSRF-Token": csrf(other)}).status_code == 403

    # the seller admin sees the button and approves
    seller = client_for(SELLER)
    page = seller.get("/events").text
    assert 'id="approve-1"' in page and 'id="reject-1"' in page
    approved = seller.post("/events/1/approve", data={"csrf_token": csrf(seller, "/events"),
                                                      "note": "checked the FBA inventory history"},
                           follow_redirects=False)
    assert approved.status_code == 303
    event = seller.get("/api/events/1").json()
    assert (event["status"], event["decided"]["party"], event["decided"]["by"], event["decided"]["note"]) == (
        "approved", "seller", SELLER, "checked the FBA inventory history")
    # decided once: approving or rejecting again is refused
    assert seller.post("/api/events/1/reject", headers={"X-CSRF-Token": csrf(seller)}).status_code == 400

    # the ledger has the proposal and the approval; the audit log has both web actions
    with ws.connect() as con:
        kinds = [(e.kind, e.actor, e.payload.get("party")) for e in ledger.entries(con)
                 if e.kind.startswith("event.") and e.payload.get("event_id") == 1]
    assert kinds == [("event.proposed", MANAGER, "provider"), ("event.approved", SELLER, "seller")]
    audited = [(e.action, e.actor, e.detail.get("party")) for e in
               reversed(audit_log.entries(ws, users.by_email(ws, AUDITOR))) if e.target == "event:1"]
    assert audited == [("event.propose", MANAGER, "provider"), ("event.approve", SELLER, "seller")]

    # the approved stockout adjusts October: 5 days (10..14 October) excluded from the GMV KPI
    card = seller.get(f"/api/plans/{SIGNED}/score?period=2026-10").json()
    gmv = next(k for k in card["kpis"] if k["metric"] == "gmv")
    assert gmv["excluded_days"] == 5


def test_rejected_event_and_evidence_download(client_for: Callable[[str], TestClient]) -> None:
    propose(client_for(MANAGER))
    seller = client_for(SELLER)
    rejected = seller.post("/api/events/1/reject", json={"note": "the stock was there"},
                           headers={"X-CSRF-Token": csrf(seller)})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"

    # anyone who may read the plan may download the evidence, as an attachment of opaque type
    viewer = client_for(VIEWER)
    got = viewer.get("/events/1/evidence")
    assert got.status_code == 200 and got.content == EVIDENCE
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith("attachment;") and "fba-inbound.txt" in got.headers[
        "content-disposition"]
    assert viewer.get("/events/2/evidence").status_code == 404  # no such event


def test_event_form_refusals(client_for: Callable[[str], TestClient]) -> None:
    manager = client_for(MANAGER)
    token = csrf(manager)
    # a type the clause does not cover, and days outside the plan period (Q4 2026), are 400s with a reason
    holiday = manager.post(f"/api/plans/{SIGNED}/events", data={
        "type": "major_holiday", "store": "gold-us", "from": "2026-11-26", "to": "2026-11-27", "note": "Thanksgiving"},
        headers={"X-CSRF-Token": token})
    assert holiday.status_code == 400 and holiday.json()["findings"][0]["code"] == "event.type"
    early = manager.post(f"/plans/{SIGNED}/events/new", data={
        "csrf_token": token, "type": "stockout", "store": "gold-us", "from": "2026-09-01", "to": "2026-09-03",
        "note": "before the plan"})
    assert early.status_code == 400 and 'data-finding="event.range"' in early.text
    # a draft plan takes no events; the operator may not propose one at all
    assert manager.post("/api/plans/gold-us-draft/events", data={
        "type": "stockout", "store": "gold-us", "from": "2026-10-10", "to": "2026-10-11", "note": "x"},
        headers={"X-CSRF-Token": token}).status_code == 400
    operator = client_for(OPERATOR)
    assert operator.get(f"/plans/{SIGNED}/events/new").status_code == 403
