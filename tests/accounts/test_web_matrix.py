"""The permission matrix over HTTP: every user x store x action, and writes across organisations.

Reads: ``GET /api/stores/{store}/may/{action}`` answers 200 when the hand table of
``test_permissions.py`` says "Y", 404 when the user cannot even read the store (another
organisation's, or not granted/assigned), 403 when they can read it but the role lacks the action.
Writes: the account services called as the signed-in user; no cross-organisation write succeeds.
"""

from __future__ import annotations

import duckdb
from fastapi.testclient import TestClient

from kpiguard.accounts import permissions
from tests.accounts.app import make_app
from tests.accounts.conftest import FakeClock
from tests.accounts.test_permissions import COLUMNS, EXPECTED, STORES, USERS
from tests.accounts.world import (
    AUDITOR,
    FOX_MANAGER,
    MANAGER,
    OPERATOR,
    PEAK_ADMIN,
    SELLER,
    VIEWER,
    World,
)


def bearer(world: World, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[email]}"}


def test_every_user_store_and_action_over_http(world_template: World, clock: FakeClock) -> None:
    client = TestClient(make_app(world_template.ws, clock))
    wrong = []
    for email in USERS:
        for store in STORES:
            for action in COLUMNS:
                if EXPECTED[(email, store, action)]:
                    want = 200
                else:
                    want = 404 if not EXPECTED[(email, store, "read")] else 403
                got = client.get(f"/api/stores/{store}/may/{action}", headers=bearer(world_template, email))
                if got.status_code != want:
                    wrong.append((email, store, action, want, got.status_code))
    assert wrong == []
    # 7 users x 4 stores x 10 actions = 280 answers; a store nobody has is 404 for everyone
    for email in USERS:
        assert client.get("/api/stores/ghost-us/may/read", headers=bearer(world_template, email)).status_code == 404


def _post(client: TestClient, world: World, email: str, path: str, body: dict[str, str]) -> int:
    return client.post(path, json=body, headers=bearer(world, email)).status_code


def test_granting_a_store_only_its_seller_admin_can(world: World, clock: FakeClock) -> None:
    client = TestClient(make_app(world.ws, clock))
    # trail-jp is not granted to bluewave, so to bluewave's people it does not exist (404);
    # trailco's viewer and auditor see it but may not manage access (403). The admin goes last.
    want_jp = {VIEWER: 403, AUDITOR: 403, MANAGER: 404, OPERATOR: 404, PEAK_ADMIN: 404, FOX_MANAGER: 404,
               SELLER: 200}
    got = {e: _post(client, world, e, "/api/stores/trail-jp/grants", {"agency": "redfox"}) for e in want_jp}
    assert got == want_jp
    # trail-us is granted to bluewave: its manager sees it but only a seller grants (403)
    want_us = {VIEWER: 403, AUDITOR: 403, MANAGER: 403, OPERATOR: 403, PEAK_ADMIN: 404, FOX_MANAGER: 404,
               SELLER: 200}
    got = {e: _post(client, world, e, "/api/stores/trail-us/grants", {"agency": "redfox"}) for e in want_us}
    assert got == want_us
    with duckdb.connect(str(world.ws.catalog_path)) as con:
        rows = con.execute("SELECT store_id, agency_org_id, granted_by FROM store_grants WHERE agency_org_id = "
                           "'redfox' ORDER BY grant_id").fetchall()
    assert rows == [("peak-us", "redfox", "test"), ("trail-jp", "redfox", SELLER), ("trail-us", "redfox", SELLER)]


def test_adding_users_only_to_ones_own_organisation(world: World, clock: FakeClock) -> None:
    client = TestClient(make_app(world.ws, clock))
    new = {"name": "New Person", "role": "seller_viewer", "password": "a-long-enough-password"}
    want = {VIEWER: 403, AUDITOR: 403, MANAGER: 404, OPERATOR: 404, PEAK_ADMIN: 404, FOX_MANAGER: 404,
            SELLER: 201}
    got = {e: _post(client, world, e, "/api/orgs/trailco/users", {**new, "email": f"new.{i}@trailco.example"})
           for i, e in enumerate(want)}
    assert got == want
    new_op = {"name": "New Operator", "role": "agency_operator", "password": "a-long-enough-password"}
    want = {OPERATOR: 403, SELLER: 404, VIEWER: 404, AUDITOR: 404, PEAK_ADMIN: 404, FOX_MANAGER: 404,
            MANAGER: 201}
    got = {e: _post(client, world, e, "/api/orgs/bluewave/users", {**new_op, "email": f"op.{i}@bluewave.example"})
           for i, e in enumerate(want)}
    assert got == want
    with duckdb.connect(str(world.ws.catalog_path)) as con:
        added = con.execute("SELECT email, org_id FROM users WHERE email LIKE 'new.%' OR email LIKE 'op.%' "
                            "ORDER BY email").fetchall()
    assert added == [("new.6@trailco.example", "trailco"), ("op.6@bluewave.example", "bluewave")]


def test_assigning_operators_only_by_their_agency_on_granted_stores(world: World, clock: FakeClock) -> None:
    client = TestClient(make_app(world.ws, clock))
    body = {"email": OPERATOR}
    # the operator cannot see trail-de (404); trailco's admin sees the store but not bluewave's user (404);
    # trailco's viewer and auditor may not manage (403); other organisations see nothing (404)
    want = {OPERATOR: 404, SELLER: 404, VIEWER: 403, AUDITOR: 403, PEAK_ADMIN: 404, FOX_MANAGER: 404,
            MANAGER: 200}
    got = {e: _post(client, world, e, "/api/stores/trail-de/operators", body) for e in want}
    assert got == want
    assert permissions.visible_stores(world.ws, world.user(OPERATOR)) == ["trail-de", "trail-us"]
    # and not on a store bluewave does not hold, even by its manager
    assert _post(client, world, MANAGER, "/api/stores/trail-jp/operators", body) == 404
