"""The agency drafts a plan with a lint error, sees it with its line while editing, fixes it,
proposes it; the seller signs, then the agency signs. Every step through the real app and its forms.

The text is the golden plan (tests/scoring/golden.py) for December 2026. Its lines, counted by hand:
1 plan_id, 2 title, 3 en, 4 zh-CN, 5 seller, 6 provider, 7 cooperation_mode, 8 business_goal,
9 stage, 10 stores, 11 currency, 12 definition_set, 13 period, 14 scoring_period, 15 review_cadence,
16 ``kpis:``. PL013 (weights must sum to 100) points at ``kpis``, so at line 16.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from kpiguard.accounts import audit as audit_log
from kpiguard.accounts import users
from kpiguard.workspace import Workspace
from tests.web_plans.conftest import csrf
from tests.web_plans.world import AUDITOR, MANAGER, OPERATOR, SELLER, VIEWER, text_for

PLAN = "gold-us-2026-12"
GOOD = text_for(PLAN).replace("period: {start: 2026-10-01, end: 2026-12-31}",
                              "period: {start: 2026-12-01, end: 2026-12-31}")
assert "    weight: 20\n" in GOOD  # the cvr KPI, written block style
BAD = GOOD.replace("    weight: 20\n", "    weight: 10\n")  # 50 + 30 + 10 = 90, not 100


def lint(client: TestClient, token: str, text: str) -> dict:
    answer = client.post(f"/api/plans/{PLAN}/lint", json={"yaml": text}, headers={"X-CSRF-Token": token})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_draft_lint_fix_propose_and_both_sign(client_for: Callable[[str], TestClient], ws: Workspace) -> None:
    manager = client_for(MANAGER)
    form = manager.get("/plans/new")
    assert form.status_code == 200 and 'data-form="plan-new"' in form.text
    made = manager.post("/plans/new", data={"csrf_token": csrf(manager), "template": "full_service/growth",
                                            "store": "gold-us", "period": "2026-12", "plan_id": PLAN},
                        follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == f"/plans/{PLAN}/edit"
    view = manager.get(f"/api/plans/{PLAN}/view").json()
    assert (view["version"], view["status"], view["stores"]) == (1, "draft", ["gold-us"])

    # live lint of the text in the editor: the weights error with its line, in the user's language (zh-CN)
    edit = manager.get(f"/plans/{PLAN}/edit")
    token = csrf_of_page(edit.text)
    assert 'data-form="plan-edit"' in edit.text and 'id="save"' in edit.text
    report = lint(manager, token, BAD)
    weights = [f for f in report["findings"] if f["code"] == "PL013"]
    assert [(f["severity"], f["line"], f["path"]) for f in weights] == [("error", 16, "kpis")]
    assert weights[0]["message"] == "KPI权重合计为90%，不是100%"
    assert weights[0]["message_en"] == "KPI weights sum to 90%, not 100%"
    assert report["errors"] == 1 and report["signable"] is False
    # the lint call changes nothing, but it is a POST: without the header it is refused
    assert manager.post(f"/api/plans/{PLAN}/lint", json={"yaml": BAD}).status_code == 403

    saved = manager.post(f"/plans/{PLAN}/edit", data={"csrf_token": token, "yaml": BAD}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == f"/plans/{PLAN}/edit?saved=true"
    page = manager.get(f"/plans/{PLAN}/edit?saved=true").text
    assert 'data-saved="true"' in page and finding_lines(page, "findings", "PL013") == ["16"]

    # proposing refuses, and the plan page shows the finding with its line
    refused = manager.post(f"/plans/{PLAN}/propose", data={"csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 400
    assert finding_lines(refused.text, "errors", "PL013") == ["16"]
    api_refused = manager.post(f"/api/plans/{PLAN}/propose", headers={"X-CSRF-Token": token})
    assert api_refused.status_code == 400
    assert [(f["code"], f["row"]) for f in api_refused.json()["findings"]] == [("PL013", 16)]
    assert manager.get(f"/api/plans/{PLAN}/view").json()["status"] == "draft"

    # fixed: 50 + 30 + 20 = 100; no error left, so it can be proposed
    assert lint(manager, token, GOOD)["errors"] == 0
    assert manager.post(f"/plans/{PLAN}/edit", data={"csrf_token": token, "yaml": GOOD},
                        follow_redirects=False).status_code == 303
    proposed = manager.post(f"/plans/{PLAN}/propose", data={"csrf_token": token}, follow_redirects=False)
    assert proposed.status_code == 303 and proposed.headers["location"] == f"/plans/{PLAN}"
    view = manager.get(f"/api/plans/{PLAN}/view").json()
    assert view["status"] == "proposed" and view["weights_total"] == "100"
    shown_hash = view["plan_hash"]

    # the seller admin signs as the seller, on the hash the page shows
    seller = client_for(SELLER)
    page = seller.get(f"/plans/{PLAN}").text
    assert f'data-form="plan-sign" data-action="sign" data-plan-hash="{shown_hash}"' in page
    assert 'id="sign"' in page and 'data-field="party">卖家<' in page
    signed = seller.post(f"/plans/{PLAN}/sign", data={"csrf_token": csrf_of_page(page), "plan_hash": shown_hash},
                         follow_redirects=False)
    assert signed.status_code == 303
    # the agency manager signs as the provider (through the API this time)
    done = manager.post(f"/api/plans/{PLAN}/sign", json={"plan_hash": shown_hash}, headers={"X-CSRF-Token": token})
    assert done.status_code == 200, done.text
    final = done.json()
    assert final["status"] == "signed"
    assert sorted((s["role"], s["name"], s["plan_hash"]) for s in final["signatures"]) == [
        ("provider", users.by_email(ws, MANAGER).name, shown_hash), ("seller", users.by_email(ws, SELLER).name, shown_hash)]
    listed = {p["plan_id"]: p for p in seller.get("/api/plan-list").json()["plans"]}
    assert listed[PLAN]["status"] == "signed" and listed[PLAN]["version"] == 1

    # every change is in the audit log, which the seller's auditor can read
    actions = [(e.action, e.actor) for e in reversed(audit_log.entries(ws, users.by_email(ws, AUDITOR)))
               if e.target == f"plan:{PLAN}"]
    assert actions == [("plan.create", MANAGER), ("plan.update", MANAGER), ("plan.update", MANAGER),
                       ("plan.propose", MANAGER), ("plan.sign", SELLER), ("plan.sign", MANAGER)]
    # a second signature by the same party, or the operator/viewer signing, is refused
    assert seller.post(f"/api/plans/{PLAN}/sign", headers={"X-CSRF-Token": csrf(seller)}).status_code == 400
    for email in (OPERATOR, VIEWER):
        other = client_for(email)
        assert other.post(f"/api/plans/{PLAN}/sign", headers={"X-CSRF-Token": csrf(other)}).status_code == 403


def test_yaml_error_shows_its_line_and_keeps_the_text(client_for: Callable[[str], TestClient]) -> None:
    manager = client_for(MANAGER)
    broken = "plan_id: gold-us-draft\ntitle: en: two colons\n"  # line 2: a mapping value inside a plain scalar
    page = manager.get("/plans/gold-us-draft/edit").text
    answer = manager.post("/plans/gold-us-draft/edit", data={"csrf_token": csrf_of_page(page), "yaml": broken})
    assert answer.status_code == 400
    assert finding_lines(answer.text, "errors", "plan.yaml") == ["2"]
    assert "title: en: two colons" in answer.text  # the text is not lost
    report = manager.post("/api/plans/gold-us-draft/lint", json={"yaml": broken},
                          headers={"X-CSRF-Token": csrf_of_page(page)}).json()
    assert report["readable"] is False
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("plan.yaml", 2)]


def test_amend_a_signed_plan_needs_a_reason_and_makes_version_2(client_for: Callable[[str], TestClient]) -> None:
    manager = client_for(MANAGER)
    page = manager.get("/plans/gold-us-2026q4/amend")
    assert page.status_code == 200 and 'data-form="plan-amend"' in page.text
    token = csrf_of_page(page.text)
    text = text_for("gold-us-2026q4").replace("max_days_per_period: 10", "max_days_per_period: 12")
    no_reason = manager.post("/api/plans/gold-us-2026q4/amend", json={"yaml": text, "reason": " "},
                             headers={"X-CSRF-Token": token})
    assert no_reason.status_code == 400
    made = manager.post("/plans/gold-us-2026q4/amend", data={"csrf_token": token, "yaml": text,
                                                             "reason": "two more stockout days"},
                        follow_redirects=False)
    assert made.status_code == 303
    view = manager.get("/api/plans/gold-us-2026q4/view").json()
    # version 2 is a draft with the reason; version 1 stays signed until version 2 is signed by both
    assert (view["version"], view["status"], view["reason"]) == (2, "draft", "two more stockout days")
    assert [(v["version"], v["status"]) for v in view["versions"]] == [(1, "signed"), (2, "draft")]
    assert view["adjustments"]["max_days_per_period"] == 12


def test_activate_a_signed_plan(client_for: Callable[[str], TestClient]) -> None:
    seller = client_for(SELLER)
    page = seller.get("/plans/gold-us-2026q4").text
    assert 'id="activate"' in page
    done = seller.post("/plans/gold-us-2026q4/activate", data={"csrf_token": csrf_of_page(page)},
                       follow_redirects=False)
    assert done.status_code == 303
    assert seller.get("/api/plans/gold-us-2026q4/view").json()["status"] == "active"
    again = seller.post("/api/plans/gold-us-2026q4/activate", headers={"X-CSRF-Token": csrf_of_page(page)})
    assert again.status_code == 400  # only a signed plan can be activated


def csrf_of_page(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def finding_lines(html: str, list_id: str, code: str) -> list[str]:
    """The data-line of each finding ``code`` in the list ``list_id`` of a page."""
    block = re.search(rf'<ul id="{list_id}".*?</ul>', html, re.S)
    assert block, f"no list {list_id}"
    return re.findall(rf'data-finding="{re.escape(code)}" data-severity="\w+" data-line="(\d*)"', block.group(0))


def test_texts_that_escape_the_yaml_reader_are_400s_with_their_line(client_for: Callable[[str], TestClient]) -> None:
    """A 30 February (line 13, the period), nesting thousands deep, and a number whose arithmetic
    overflows: each is a finding, from the live lint (200) and from saving (400), never a 500."""
    manager = client_for(MANAGER)
    token = csrf(manager, "/plans/gold-us-draft/edit")
    feb30 = text_for("gold-us-draft").replace("period: {start: 2026-10-01,", "period: {start: 2026-02-30,")
    huge = text_for("gold-us-draft").replace("    target: 0.10\n", "    target: '1e999999'\n")
    for text, line in ((feb30, 13), ("[" * 3000, None), (huge, None)):
        report = manager.post("/api/plans/gold-us-draft/lint", json={"yaml": text},
                              headers={"X-CSRF-Token": token}).json()
        assert report["errors"] >= 1 and report["signable"] is False
        saved = manager.put("/api/plans/gold-us-draft/draft", json={"yaml": text}, headers={"X-CSRF-Token": token})
        assert saved.status_code == 400
        first = saved.json()["findings"][0]
        assert first["code"] in ("plan.range", "plan.yaml", "plan.value", "plan.shape") and first.get("row") == line
