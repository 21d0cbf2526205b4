"""Archiving raw data: only a seller admin; a ledger record; no byte deleted.

The golden store has five raw files (tests/scoring/golden.py imports five reports); other-us none.
"""

from __future__ import annotations

import hashlib
import json

from fastapi import FastAPI
from fastapi.testclient import TestClient

from kpiguard.verify import verify
from tests.scoring.golden import STORE
from tests.web_ops.conftest import (
    AUDITOR,
    MANAGER,
    OPERATOR,
    OTHER,
    SELLER,
    VIEWER,
    OpsWorld,
    sign_in,
)


def test_the_seller_admin_archives_and_the_ledger_records_it(app: FastAPI, world: OpsWorld) -> None:
    client = TestClient(app)
    ws = app.state.workspace
    with ws.connect() as con:
        files = {r[0] for r in con.execute("SELECT raw_sha256 FROM imports WHERE store_id = ?", [STORE]).fetchall()}
    assert len(files) == 5
    done = client.post(f"/api/stores/{STORE}/archive", headers=world.bearer(SELLER))
    assert done.status_code == 200, done.text
    result = done.json()
    assert (result["archived"], result["already_archived"]) == (5, 0)
    assert {f["raw_sha256"] for f in result["files"]} == files
    with ws.connect() as con:
        kind, payload, actor = con.execute("SELECT kind, payload_json, actor FROM ledger WHERE seq = ?",
                                           [result["ledger_seq"]]).fetchone()
        marked = con.execute("SELECT count(*) FROM raw_archive WHERE store_id = ?", [STORE]).fetchone()[0]
    assert (kind, actor, marked) == ("audit.raw.archive", SELLER, 5)
    assert set(json.loads(payload)["detail"]["raw_sha256"]) == files
    for sha in files:  # every byte is still there, unchanged
        assert hashlib.sha256(ws.raw_path(sha).read_bytes()).hexdigest() == sha
    assert verify(ws).ok
    # archiving again marks nothing and records nothing
    again = client.post(f"/api/stores/{STORE}/archive", headers=world.bearer(SELLER)).json()
    assert (again["archived"], again["already_archived"], again["ledger_seq"]) == (0, 5, None)
    listed = client.get(f"/api/imports?store={STORE}", headers=world.bearer(VIEWER)).json()["imports"]
    assert all(i["archived"]["archived_by"] == SELLER for i in listed)
    entries = client.get("/api/audit?limit=5", headers=world.bearer(AUDITOR)).json()["entries"]
    assert [e["action"] for e in entries].count("raw.archive") == 1


def test_the_page_s_button_and_its_csrf_token(app: FastAPI, world: OpsWorld) -> None:
    browser, csrf = sign_in(app, SELLER)
    page = browser.get("/imports").text
    assert f'action="/stores/{STORE}/archive" data-archive-store="{STORE}"' in page
    assert browser.post(f"/stores/{STORE}/archive", data={}).status_code == 403
    done = browser.post(f"/stores/{STORE}/archive", data={"csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/imports?store={STORE}&archived=5"
    assert 'data-archived-now="5"' in browser.get(done.headers["location"]).text


def test_no_other_role_may_archive(client: TestClient, world: OpsWorld) -> None:
    for who in (VIEWER, AUDITOR, MANAGER, OPERATOR):
        assert client.post(f"/api/stores/{STORE}/archive", headers=world.bearer(who)).status_code == 403, who
        assert 'data-archive-store' not in client.get("/imports", headers=world.bearer(who)).text
    for who in (MANAGER, OPERATOR):  # a store not granted to the agency does not exist for it
        assert client.post(f"/api/stores/{OTHER}/archive", headers=world.bearer(who)).status_code == 404
    assert client.post("/api/stores/Bad..Id/archive", headers=world.bearer(SELLER)).status_code == 422
    nothing = client.post(f"/api/stores/{OTHER}/archive", headers=world.bearer(SELLER)).json()
    assert (nothing["archived"], nothing["already_archived"]) == (0, 0)
