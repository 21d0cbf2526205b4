"""Audit log, ledger head and verification: the auditor and the seller admin read; nobody else.

``audit_read`` belongs to the seller admin and the auditor (kpiguard.accounts.permissions; the
agency's manager does not have it, tests/accounts/test_permissions.py). The ledger head is the
ledger's last entry; ``kpiguard verify`` hashes every raw file and lake part again: the golden
workspace has five raw files (tests/scoring/golden.py imports five reports).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from kpiguard import ledger
from tests.web_ops.conftest import AUDITOR, MANAGER, OPERATOR, SELLER, VIEWER, OpsWorld


def test_the_auditor_reads_the_log_and_the_ledger_head(app: FastAPI, world: OpsWorld) -> None:
    client = TestClient(app)
    reply = client.get("/api/audit?limit=500", headers=world.bearer(AUDITOR))
    assert reply.status_code == 200
    data = reply.json()
    with app.state.workspace.connect() as con:
        seq, digest = ledger.head(con)
        own = con.execute("SELECT count(*) FROM audit_log WHERE org_id = 'trailco' OR detail_json LIKE "
                          "'%\"org_id\":\"trailco\"%'").fetchone()[0]
    assert data["ledger"]["entries"] == seq and data["ledger"]["head_hash"] == digest
    # the demo seed recorded TrailCo's users and grants, and a token was made for each user
    assert len(data["entries"]) >= own > 0
    actions = {e["action"] for e in data["entries"]}
    assert {"org.add", "user.add", "token.create"} <= actions
    ids = [e["audit_id"] for e in data["entries"]]
    assert ids == sorted(ids, reverse=True)  # newest first
    page = client.get("/audit", headers=world.bearer(AUDITOR)).text
    assert f'data-ledger-head data-entries="{seq}" data-hash="{digest}"' in page
    assert f'data-audit-id="{ids[0]}"' in page


def test_paging_back_with_before(client: TestClient, world: OpsWorld) -> None:
    first = client.get("/api/audit?limit=2", headers=world.bearer(SELLER)).json()
    assert len(first["entries"]) == 2 and first["next_before"] == first["entries"][1]["audit_id"]
    more = client.get(f"/api/audit?limit=2&before={first['next_before']}", headers=world.bearer(SELLER)).json()
    assert more["entries"][0]["audit_id"] < first["next_before"]


def test_others_may_not_read_the_audit_log(client: TestClient, world: OpsWorld) -> None:
    for who in (VIEWER, MANAGER, OPERATOR):
        assert client.get("/api/audit", headers=world.bearer(who)).status_code == 403, who
        assert client.get("/audit", headers=world.bearer(who)).status_code == 403, who
        assert client.get("/api/verify", headers=world.bearer(who)).status_code == 403, who


def test_the_seller_verifies_the_workspace(app: FastAPI, world: OpsWorld) -> None:
    client = TestClient(app)
    report = client.get("/api/verify", headers=world.bearer(AUDITOR)).json()
    assert (report["ok"], report["problem_count"], report["raw_files"]) == (True, 0, 5)
    page = client.get("/audit?verify=true", headers=world.bearer(SELLER)).text
    assert 'data-verify data-ok="true" data-problems="0"' in page
    # one raw file gains a byte: verify names it
    with app.state.workspace.connect() as con:
        sha = con.execute("SELECT raw_sha256 FROM imports ORDER BY import_id LIMIT 1").fetchone()[0]
    raw = app.state.workspace.raw_path(sha)
    raw.chmod(0o644)
    raw.write_bytes(raw.read_bytes() + b"\n")
    broken = client.get("/api/verify", headers=world.bearer(AUDITOR)).json()
    assert broken["ok"] is False and broken["problem_count"] == 1
    assert "was altered" in broken["problems"][0]  # the auditor's organisation owns every store
