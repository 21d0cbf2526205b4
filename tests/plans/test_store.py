"""Plan lifecycle in a real workspace: draft -> proposed -> signed -> active -> closed, amendments,
signatures in the ledger, refusal to edit what was signed, and verification of every version."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest

from kpiguard import ledger
from kpiguard.errors import InputError
from kpiguard.metrics import definitions
from kpiguard.plans import io, store, templates
from kpiguard.plans.model import Period, Plan
from kpiguard.workspace import Workspace
from tests.conftest import add_store

# targets by hand for the full_service/growth template (KPIs: gmv, roas, gross_margin_rate,
# organic_sales_share, cvr, ctr); the store has no history, so nothing is judged against it
TARGETS = {"gmv": ("800", "1000", "1200"), "roas": ("3", "4", "5"), "gross_margin_rate": ("0.30", "0.35", "0.40"),
           "organic_sales_share": ("0.30", "0.40", "0.50"), "cvr": ("0.010", "0.012", "0.015"),
           "ctr": ("0.004", "0.005", "0.006")}


def growth_plan(plan_id: str = "acme-us-2026q4", gmv_target: str | None = None) -> Plan:
    plan = templates.instantiate(templates.load("full_service/growth"), plan_id, "Acme Ltd", "Agency Co",
                                 ["acme-us"], Period(start=date(2026, 10, 1), end=date(2026, 12, 31)), "USD")
    kpis = []
    for k in plan.kpis:
        floor, target, stretch = TARGETS[k.metric]
        if k.metric == "gmv" and gmv_target:
            target = gmv_target
        kpis.append(k.model_copy(update={"floor": Decimal(floor), "target": Decimal(target),
                                         "stretch": Decimal(stretch)}))
    return plan.model_copy(update={"kpis": kpis})


@pytest.fixture
def pws(ws: Workspace) -> Workspace:
    add_store(ws, "acme-us", "amazon", "US")
    return ws


def signed(ws: Workspace, plan: Plan) -> store.StoredPlan:
    store.create(ws, plan, "lead")
    store.propose(ws, plan.plan_id, "lead")
    store.sign(ws, plan.plan_id, "seller", "Li Wei")
    return store.sign(ws, plan.plan_id, "provider", "Anna Smith")


def entries(ws: Workspace, kind: str) -> list[ledger.LedgerEntry]:
    with ws.connect(read_only=True) as con:
        return [e for e in ledger.entries(con) if e.kind == kind]


def sha256_of_canonical(plan: Plan) -> str:
    """Independent of plans.io: sorted keys, no spaces, UTF-8, of the JSON dump with aliases."""
    text = json.dumps(plan.model_dump(mode="json", by_alias=True), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_create_gives_version_1_draft_recorded_in_the_ledger(pws: Workspace) -> None:
    plan = growth_plan()
    sp = store.create(pws, plan, "lead")
    assert (sp.version, sp.status, sp.signatures, sp.reason) == (1, "draft", [], None)
    assert sp.plan == plan
    [entry] = entries(pws, "plan.create")
    assert entry.payload == {"plan_id": "acme-us-2026q4", "version": 1, "plan_hash": sha256_of_canonical(plan)}
    assert entry.actor == "lead"


def test_both_signatures_make_it_signed_with_hashes_in_the_ledger_and_the_set_frozen(pws: Workspace) -> None:
    plan = growth_plan()
    store.create(pws, plan, "lead")
    store.propose(pws, plan.plan_id, "lead")
    half = store.sign(pws, plan.plan_id, "seller", "Li Wei")
    assert half.status == "proposed" and [s.role for s in half.signatures] == ["seller"]
    assert definitions.frozen_by(pws, "standard@1") == []  # one signature binds nobody yet

    done = store.sign(pws, plan.plan_id, "provider", "Anna Smith")
    expected = sha256_of_canonical(plan)
    assert done.status == "signed"
    assert {(s.role, s.name, s.plan_hash) for s in done.signatures} == {
        ("seller", "Li Wei", expected), ("provider", "Anna Smith", expected)}
    signs = entries(pws, "plan.sign")
    assert [(e.payload["role"], e.payload["plan_hash"], e.actor) for e in signs] == [
        ("seller", expected, "Li Wei"), ("provider", expected, "Anna Smith")]
    assert sorted(s.ledger_seq for s in done.signatures) == [e.seq for e in signs]
    assert definitions.frozen_by(pws, "standard@1") == ["acme-us-2026q4 v1"]
    assert store.verify_plan(pws, plan.plan_id).ok


def test_editing_a_signed_plan_is_refused_naming_plan_version_status_and_the_way(pws: Workspace) -> None:
    signed(pws, growth_plan())
    with pytest.raises(InputError) as caught:
        store.update_draft(pws, "acme-us-2026q4", growth_plan(gmv_target="1100"), "lead")
    message = caught.value.message
    for words in ("acme-us-2026q4", "version 1", "signed", "第1版"):
        assert words in message
    assert "amend" in caught.value.findings[0].hint
    assert store.get(pws, "acme-us-2026q4").plan.kpis[0].target == Decimal("1000")  # unchanged


def test_a_draft_can_be_edited_and_the_edit_is_a_ledger_entry(pws: Workspace) -> None:
    store.create(pws, growth_plan(), "lead")
    changed = growth_plan(gmv_target="1100")
    sp = store.update_draft(pws, "acme-us-2026q4", changed, "lead")
    assert (sp.version, sp.status, sp.plan.kpis[0].target) == (1, "draft", Decimal("1100"))
    [update] = entries(pws, "plan.update")
    assert update.payload["previous_hash"] == sha256_of_canonical(growth_plan())
    assert update.payload["plan_hash"] == sha256_of_canonical(changed)
    assert store.verify_plan(pws, "acme-us-2026q4").ok


def test_amendment_is_version_2_signed_again_by_both_and_version_1_stays_verifiable(pws: Workspace) -> None:
    v1 = signed(pws, growth_plan())
    v1_text, v1_hash = v1.yaml_text, v1.plan_hash
    v2 = store.amend(pws, "acme-us-2026q4", growth_plan(gmv_target="900"), "stockout in November", "lead")
    assert (v2.version, v2.status, v2.reason, v2.signatures) == (2, "draft", "stockout in November", [])
    assert store.get(pws, "acme-us-2026q4", 1).status == "signed"  # still binding until v2 is signed

    store.propose(pws, "acme-us-2026q4", "lead")
    store.sign(pws, "acme-us-2026q4", "seller", "Li Wei")
    assert store.get(pws, "acme-us-2026q4", 1).status == "signed"  # one signature is not enough
    v2 = store.sign(pws, "acme-us-2026q4", "provider", "Anna Smith")

    assert v2.status == "signed" and {s.role for s in v2.signatures} == {"seller", "provider"}
    assert {s.plan_hash for s in v2.signatures} == {sha256_of_canonical(growth_plan(gmv_target="900"))}
    old = store.get(pws, "acme-us-2026q4", 1)
    assert old.status == "superseded"
    assert (old.yaml_text, old.plan_hash) == (v1_text, v1_hash)
    assert old.plan.kpis[0].target == Decimal("1000")
    assert {s.plan_hash for s in old.signatures} == {v1_hash} and len(old.signatures) == 2
    assert io.plan_hash(io.load(old.yaml_text, "v1")[0]) == v1_hash  # version 1's hash still verifies
    report = store.verify_plan(pws, "acme-us-2026q4")
    assert (report.ok, report.versions, report.signatures) == (True, 2, 4)
    assert definitions.frozen_by(pws, "standard@1") == ["acme-us-2026q4 v1", "acme-us-2026q4 v2"]
    [amend] = entries(pws, "plan.amend")
    assert amend.payload["reason"] == "stockout in November" and amend.payload["amends"] == 1


def test_amending_an_active_plan_keeps_it_active_until_the_amendment_takes_over(pws: Workspace) -> None:
    signed(pws, growth_plan())
    store.activate(pws, "acme-us-2026q4", "lead")
    store.amend(pws, "acme-us-2026q4", growth_plan(gmv_target="900"), "new listing delayed", "lead")
    store.propose(pws, "acme-us-2026q4", "lead")
    store.sign(pws, "acme-us-2026q4", "provider", "Anna Smith")
    assert store.get(pws, "acme-us-2026q4", 1).status == "active"
    v2 = store.sign(pws, "acme-us-2026q4", "seller", "Li Wei")
    assert v2.status == "active" and store.get(pws, "acme-us-2026q4", 1).status == "superseded"
    closed = store.close(pws, "acme-us-2026q4", "lead", "period over")
    assert closed.status == "closed"
    with pytest.raises(InputError, match="closed"):
        store.amend(pws, "acme-us-2026q4", growth_plan(gmv_target="950"), "late change", "lead")


def test_a_plan_with_lint_errors_cannot_be_signed(pws: Workspace) -> None:
    plan = growth_plan()
    plan = plan.model_copy(update={"kpis": [plan.kpis[0].model_copy(update={"weight": Decimal(20)}), *plan.kpis[1:]]})
    store.create(pws, plan, "lead")  # weights now 20+20+15+10+10+15 = 90, not 100
    store.propose(pws, plan.plan_id, "lead")
    with pytest.raises(InputError, match="lint errors") as caught:
        store.sign(pws, plan.plan_id, "seller", "Li Wei")
    assert "PL013" in {f.code for f in caught.value.findings}
    assert all(f.severity == "error" for f in caught.value.findings)
    assert store.get(pws, plan.plan_id).signatures == []
    assert entries(pws, "plan.sign") == []


def test_signing_needs_a_proposal_a_role_a_name_and_one_signature_per_role(pws: Workspace) -> None:
    store.create(pws, growth_plan(), "lead")
    with pytest.raises(InputError, match="is draft") as caught:
        store.sign(pws, "acme-us-2026q4", "seller", "Li Wei")
    assert "kpiguard plan propose" in str(caught.value.findings[0].hint)
    with pytest.raises(InputError, match="draft"):
        store.amend(pws, "acme-us-2026q4", growth_plan(gmv_target="900"), "why", "lead")
    store.propose(pws, "acme-us-2026q4", "lead")
    with pytest.raises(InputError, match="role"):
        store.sign(pws, "acme-us-2026q4", "agency", "Anna Smith")
    with pytest.raises(InputError, match="name"):
        store.sign(pws, "acme-us-2026q4", "seller", "  ")
    store.sign(pws, "acme-us-2026q4", "seller", "Li Wei")
    with pytest.raises(InputError, match="already"):
        store.sign(pws, "acme-us-2026q4", "seller", "Li Wei")
    with pytest.raises(InputError, match="reason"):
        store.amend(pws, "acme-us-2026q4", growth_plan(gmv_target="900"), " ", "lead")
    with pytest.raises(InputError, match="changes nothing"):
        store.amend(pws, "acme-us-2026q4", growth_plan(), "same", "lead")


def test_amending_a_proposal_supersedes_it_at_once(pws: Workspace) -> None:
    store.create(pws, growth_plan(), "lead")
    store.propose(pws, "acme-us-2026q4", "lead")
    store.sign(pws, "acme-us-2026q4", "seller", "Li Wei")
    v2 = store.amend(pws, "acme-us-2026q4", growth_plan(gmv_target="900"), "agency asked for 900", "lead")
    assert v2.version == 2
    assert store.get(pws, "acme-us-2026q4", 1).status == "superseded"
    assert [sp.version for sp in store.versions(pws, "acme-us-2026q4")] == [1, 2]
    assert [sp.plan_id for sp in store.list_plans(pws)] == ["acme-us-2026q4"]


def test_a_tampered_text_fails_verification_and_signing(pws: Workspace) -> None:
    store.create(pws, growth_plan(), "lead")
    store.propose(pws, "acme-us-2026q4", "lead")
    store.sign(pws, "acme-us-2026q4", "seller", "Li Wei")
    with pws.connect() as con:  # someone lowers the GMV target behind the ledger's back
        text = con.execute("SELECT yaml_text FROM plan_versions").fetchone()[0]
        assert "target: '1000'" in text
        con.execute("UPDATE plan_versions SET yaml_text = ?", [text.replace("target: '1000'", "target: '500'", 1)])
    report = store.verify_plan(pws, "acme-us-2026q4")
    assert not report.ok
    assert any("stored text hashes to" in p for p in report.problems)
    assert any("seller signature (Li Wei) was made on another text" in p for p in report.problems)
    with pytest.raises(InputError, match="altered"):
        store.sign(pws, "acme-us-2026q4", "provider", "Anna Smith")


def test_a_signature_removed_from_the_catalog_is_found_in_the_ledger(pws: Workspace) -> None:
    signed(pws, growth_plan())
    with pws.connect() as con:
        con.execute("DELETE FROM plan_signatures WHERE role = 'provider'")
    problems = store.verify_plan(pws, "acme-us-2026q4").problems
    assert any("provider signature" in p and "catalog lost" in p for p in problems)


def test_unknown_plans_and_duplicate_ids(pws: Workspace) -> None:
    from kpiguard.errors import NotFoundError

    with pytest.raises(NotFoundError):
        store.get(pws, "nope")
    store.create(pws, growth_plan(), "lead")
    with pytest.raises(NotFoundError):
        store.get(pws, "acme-us-2026q4", 2)
    with pytest.raises(InputError, match="exists"):
        store.create(pws, growth_plan(), "lead")
    with pytest.raises(InputError, match="activated"):
        store.activate(pws, "acme-us-2026q4", "lead")
