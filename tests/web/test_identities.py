"""Sessions, users and visible stores remembered between requests (web/identities.py): warm pages
skip the four catalog queries, and every change of who may do what counts from the very next
request: a deleted session, a disabled user, a changed role, a revoked grant or API token, a
sign-out. No test waits for the memory to expire: each change must be seen at once.

World (tests/web/world.py): trailco owns gold-us; bluewave's manager is granted gold-us; the plan
gold-us-2026q4 is on gold-us.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from kpiguard.accounts import access, tokens, users
from kpiguard.web.app import create_app
from kpiguard.web.identities import Identities, identities_of
from kpiguard.web.security import SESSION_COOKIE
from tests.web.pages import csrf_of, sign_in
from tests.web.world import MANAGER, PLAN, SELLER, STORE, TODAY, VIEWER, World, password


@pytest.fixture(scope="module")
def app(world: World) -> Iterator[FastAPI]:
    made = create_app(world.home, TODAY)
    yield made
    made.state.workspace.close()


def signed_in(app: FastAPI, email: str) -> TestClient:
    client = TestClient(app)
    sign_in(client, email, password(email))
    return client


def catalog(app: FastAPI, sql: str, params: list[object]) -> None:
    """A change written straight into the server's catalog, as another part of the process would."""
    with app.state.workspace.connect() as con:
        con.execute(sql, params)


def test_warm_requests_are_answered_from_memory(app: FastAPI) -> None:
    client = signed_in(app, SELLER)
    known = identities_of(app.state)
    assert client.get("/api/me").status_code == 200
    assert client.get("/api/stores").status_code == 200
    hits, misses = known.hits, known.misses
    for _ in range(5):
        assert client.get("/api/me").json()["email"] == SELLER
        assert client.get("/api/stores").status_code == 200
    # five /api/me and five /api/stores: 10 sessions and 5 store lists found, nothing read again
    assert (known.hits - hits, known.misses - misses) == (15, 0)


def test_a_changed_role_counts_at_once(app: FastAPI) -> None:
    client = signed_in(app, VIEWER)
    assert client.get("/api/me").json()["role"] == "seller_viewer"
    assert client.get("/api/me").json()["role"] == "seller_viewer"  # now remembered
    catalog(app, "UPDATE users SET role = 'auditor' WHERE email = ?", [VIEWER])
    assert client.get("/api/me").json()["role"] == "auditor"
    catalog(app, "UPDATE users SET role = 'seller_viewer' WHERE email = ?", [VIEWER])
    assert client.get("/api/me").json()["role"] == "seller_viewer"


def test_a_deleted_session_or_a_disabled_user_is_out_at_once(app: FastAPI, world: World) -> None:
    client = signed_in(app, VIEWER)
    assert client.get("/api/me").status_code == 200
    assert client.get("/api/me").status_code == 200
    catalog(app, "DELETE FROM sessions WHERE user_id = (SELECT user_id FROM users WHERE email = ?)", [VIEWER])
    assert client.get("/api/me").status_code == 401
    assert client.get("/", follow_redirects=False).status_code == 303  # to the sign-in page

    other = signed_in(app, VIEWER)
    bearer = TestClient(app, headers={"Authorization": f"Bearer {world.tokens[VIEWER]}"})
    assert (other.get("/api/me").status_code, bearer.get("/api/me").status_code) == (200, 200)
    assert (other.get("/api/me").status_code, bearer.get("/api/me").status_code) == (200, 200)
    users.disable(app.state.workspace, VIEWER, "test")
    assert (other.get("/api/me").status_code, bearer.get("/api/me").status_code) == (401, 401)


def test_a_revoked_grant_hides_the_store_and_its_plan_at_once(app: FastAPI) -> None:
    agency = signed_in(app, MANAGER)
    for _ in range(2):  # the second time from memory
        assert [s["store_id"] for s in agency.get("/api/stores").json()] == [STORE]
        assert agency.get(f"/api/plans/{PLAN}").status_code == 200
    access.revoke(app.state.workspace, STORE, "bluewave", "test")
    assert agency.get("/api/stores").json() == []
    assert agency.get(f"/api/plans/{PLAN}").status_code == 404
    assert agency.get(f"/plans/{PLAN}/score?period=2026-10").status_code == 404
    access.grant(app.state.workspace, STORE, "bluewave", "test")
    assert [s["store_id"] for s in agency.get("/api/stores").json()] == [STORE]


def test_sign_out_and_a_revoked_token_end_every_copy_at_once(app: FastAPI, world: World) -> None:
    client = signed_in(app, SELLER)
    copy = TestClient(app)
    copy.cookies.set(SESSION_COOKIE, client.cookies[SESSION_COOKIE])
    assert copy.get("/api/me").status_code == 200
    assert copy.get("/api/me").status_code == 200
    out = client.post("/logout", data={"csrf_token": csrf_of(client.get("/").text)}, follow_redirects=False)
    assert out.status_code == 303
    assert copy.get("/api/me").status_code == 401

    token, raw = tokens.create(app.state.workspace, SELLER, "identities test", "test")
    script = TestClient(app, headers={"Authorization": f"Bearer {raw}"})
    assert script.get("/api/me").status_code == 200
    assert script.get("/api/me").status_code == 200
    tokens.revoke(app.state.workspace, token.token_id, "test")
    assert script.get("/api/me").status_code == 401


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_read_while_a_change_lands_is_not_kept(app: FastAPI) -> None:
    ws = app.state.workspace
    known = Identities(ttl=5.0, monotonic=Ticks())
    user = users.by_email(ws, SELLER)
    reads: list[int] = []

    def read_during_a_change() -> list[str]:
        reads.append(1)
        known.forget()  # a change finished while this answer was being read
        return [STORE]

    def read_quietly() -> list[str]:
        reads.append(2)
        return [STORE]

    assert known.stores(ws, user, read_during_a_change) == [STORE]
    assert known.stores(ws, user, read_quietly) == [STORE]
    assert reads == [1, 2]  # read again: the first answer may predate the change


def test_nothing_is_kept_longer_than_the_ttl(app: FastAPI) -> None:
    ws = app.state.workspace
    ticks = Ticks()
    known = Identities(ttl=5.0, monotonic=ticks)
    user = users.by_email(ws, SELLER)
    reads: list[float] = []

    def read() -> list[str]:
        reads.append(ticks.now)
        return [STORE]

    known.stores(ws, user, read)
    ticks.now += 4.9
    known.stores(ws, user, read)  # 4.9 s old: remembered
    ticks.now += 0.1
    known.stores(ws, user, read)  # 5.0 s old: read again
    assert reads == [100.0, 105.0]
