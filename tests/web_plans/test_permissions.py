"""Who may do what to a plan and its events over HTTP, by role (accounts/model.py):

    route                               seller_admin  viewer/auditor  agency_manager  agency_operator
    read pages and /api/ views          yes           yes             yes             yes (its store)
    new draft, edit a draft             yes           403             yes             yes
    propose, amend                      yes           403             yes             403
    sign, activate                      yes           403             yes             403
    propose an event, decide one        yes           403             yes             403

and a plan of another organisation (rival-us-draft) is 404 for everyone here, as is a plan that
does not exist; the pages offer only the buttons the role may press.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from kpiguard.accounts import audit as audit_log
from kpiguard.accounts import users
from kpiguard.workspace import Workspace
from tests.web_plans.conftest import csrf
from tests.web_plans.world import (
    AUDITOR,
    DRAFT,
    MANAGER,
    OPERATOR,
    RIVAL_DRAFT,
    SELLER,
    SIGNED,
    VIEWER,
    text_for,
)

NEW = {"template": "full_service/growth", "stores": ["gold-us"], "period": "2026-12", "plan_id": "gold-us-x"}


def changes(client: TestClient, plan_id: str, create: bool = True) -> dict[str, int]:
    """The status of every changing call on ``plan_id`` (JSON API, with the session's CSRF header),
    and of creating the draft gold-us-x on the golden store."""
    h = {"X-CSRF-Token": csrf(client)}
    event = {"type": "stockout", "store": "gold-us", "from": "2026-10-10", "to": "2026-10-11", "note": "x"}
    made = {"create": client.post("/api/plans", json=NEW, headers=h).status_code} if create else {}
    return {
        **made,
        "edit": client.put(f"/api/plans/{plan_id}/draft", json={"yaml": text_for(plan_id)}, headers=h).status_code,
        "propose": client.post(f"/api/plans/{plan_id}/propose", headers=h).status_code,
        "sign": client.post(f"/api/plans/{plan_id}/sign", headers=h).status_code,
        "amend": client.post(f"/api/plans/{plan_id}/amend", json={"yaml": text_for(plan_id), "reason": "r"},
                             headers=h).status_code,
        "activate": client.post(f"/api/plans/{plan_id}/activate", headers=h).status_code,
        "event": client.post(f"/api/plans/{plan_id}/events", data=event, headers=h).status_code,
    }


@pytest.mark.parametrize("email", [VIEWER, AUDITOR])
def test_readers_read_and_change_nothing(client_for: Callable[[str], TestClient], email: str) -> None:
    reader = client_for(email)
    for path in ("/plans", f"/plans/{DRAFT}", f"/plans/{SIGNED}", "/events", f"/api/plans/{DRAFT}/view",
                 f"/api/plans/{DRAFT}/lint", "/api/plan-list", "/api/events", f"/plans/{SIGNED}/contract.md"):
        assert reader.get(path).status_code == 200, path
    assert reader.get("/plans/new").status_code == 403
    assert reader.get(f"/plans/{DRAFT}/edit").status_code == 403
    assert changes(reader, DRAFT) == dict.fromkeys(("create", "edit", "propose", "sign", "amend", "activate",
                                                    "event"), 403)
    assert changes(reader, SIGNED, create=False)["event"] == 403
    page = reader.get(f"/plans/{DRAFT}").text
    assert not any(f'id="{b}"' in page for b in ("edit", "propose", "sign", "amend", "activate"))


def test_operator_edits_drafts_but_commits_nothing(client_for: Callable[[str], TestClient], ws: Workspace) -> None:
    operator = client_for(OPERATOR)
    page = operator.get(f"/plans/{DRAFT}").text
    assert 'id="edit"' in page and 'id="propose"' not in page
    token = csrf(operator)
    # propose through the form and the API: 403; the draft stays a draft
    assert operator.post(f"/plans/{DRAFT}/propose", data={"csrf_token": token}).status_code == 403
    got = changes(operator, DRAFT)
    assert got == {"create": 201, "edit": 200, "propose": 403, "sign": 403, "amend": 403, "activate": 403,
                   "event": 403}
    assert operator.get(f"/api/plans/{DRAFT}/view").json()["status"] == "draft"
    assert changes(operator, SIGNED, create=False)["event"] == 403
    mine = [e.action for e in audit_log.entries(ws, users.by_email(ws, AUDITOR)) if e.actor == OPERATOR]
    assert sorted(mine) == ["plan.create", "plan.update"]


def test_viewer_cannot_sign_a_proposed_plan(client_for: Callable[[str], TestClient]) -> None:
    manager = client_for(MANAGER)
    assert manager.post(f"/api/plans/{DRAFT}/propose", headers={"X-CSRF-Token": csrf(manager)}).status_code == 200
    viewer = client_for(VIEWER)
    page = viewer.get(f"/plans/{DRAFT}").text
    assert 'data-status="proposed"' in page and 'id="sign"' not in page
    view = viewer.get(f"/api/plans/{DRAFT}/view").json()
    answer = viewer.post(f"/plans/{DRAFT}/sign", data={"csrf_token": csrf(viewer), "plan_hash": view["plan_hash"]})
    assert answer.status_code == 403
    assert viewer.get(f"/api/plans/{DRAFT}/view").json()["signatures"] == []


@pytest.mark.parametrize("email", [SELLER, VIEWER, AUDITOR, MANAGER, OPERATOR])
def test_another_organisations_plan_is_not_found(client_for: Callable[[str], TestClient], email: str) -> None:
    client = client_for(email)
    for plan_id in (RIVAL_DRAFT, "no-such-plan"):
        for path in (f"/plans/{plan_id}", f"/plans/{plan_id}/edit", f"/plans/{plan_id}/decompose",
                     f"/plans/{plan_id}/contract.html", f"/plans/{plan_id}/events/new", f"/api/plans/{plan_id}/view",
                     f"/api/plans/{plan_id}/lint", f"/api/plans/{plan_id}/decompose", f"/events?plan={plan_id}"):
            assert client.get(path).status_code == 404, (email, path)
        got = changes(client, plan_id, create=False)
        assert got == dict.fromkeys(("edit", "propose", "sign", "amend", "activate", "event"), 404), (email, got)
    assert RIVAL_DRAFT not in {p["plan_id"] for p in client.get("/api/plan-list").json()["plans"]}


def test_a_draft_cannot_be_widened_to_a_store_one_cannot_see(client_for: Callable[[str], TestClient]) -> None:
    manager = client_for(MANAGER)
    token = csrf(manager)
    widened = text_for(DRAFT, "gold-us, rival-us")
    saved = manager.put(f"/api/plans/{DRAFT}/draft", json={"yaml": widened}, headers={"X-CSRF-Token": token})
    assert saved.status_code == 400
    assert [(f["code"], f["row"]) for f in saved.json()["findings"]] == [("plan.store_hidden", 10)]  # stores: line 10
    report = manager.post(f"/api/plans/{DRAFT}/lint", json={"yaml": widened}, headers={"X-CSRF-Token": token}).json()
    assert ("plan.store_hidden", 10) in [(f["code"], f["line"]) for f in report["findings"]]
    rival = manager.post("/api/plans", json={**NEW, "stores": ["rival-us"], "plan_id": "rival-x"},
                         headers={"X-CSRF-Token": token})
    assert rival.status_code == 404


def test_signed_out_and_forged_requests(client_for: Callable[[str], TestClient], app: object) -> None:
    anonymous = TestClient(app)  # type: ignore[arg-type]
    first = anonymous.get("/plans", follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith("/login?next=")
    assert anonymous.get("/api/plan-list").status_code == 401
    # a change without a session has no CSRF token either: refused by the CSRF check, before sign-in
    assert anonymous.post(f"/api/plans/{DRAFT}/propose").status_code == 403
    manager = client_for(MANAGER)
    # a form without the CSRF token, or an API call without the header, changes nothing
    assert manager.post(f"/plans/{DRAFT}/propose", data={}).status_code == 403
    assert manager.post(f"/api/plans/{DRAFT}/propose").status_code == 403
    assert manager.get(f"/api/plans/{DRAFT}/view").json()["status"] == "draft"
