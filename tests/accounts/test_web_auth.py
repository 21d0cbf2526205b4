"""Signing in over HTTP: cookies, CSRF, rate limit, tokens, expiry, sign-out, audit and ledger.

A real workspace, the real accounts router in a small FastAPI app (``tests/accounts/app.py``), the
clock injected through ``app.state.auth_clock``.
"""

from __future__ import annotations

import hashlib

import duckdb
from fastapi.testclient import TestClient

from kpiguard import ledger
from kpiguard.accounts import audit as audit_mod
from kpiguard.accounts import users
from kpiguard.web.security import CSRF_COOKIE, SESSION_COOKIE
from tests.accounts.app import make_app, page_csrf, sign_in
from tests.accounts.conftest import FakeClock
from tests.accounts.world import MANAGER, PASSWORDS, SELLER, VIEWER, World


def client_for(world: World, clock: FakeClock, https: bool = False) -> TestClient:
    return TestClient(make_app(world.ws, clock), base_url="https://testserver" if https else "http://testserver")


def cookie_header(response: object, name: str) -> str:
    headers = response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    found = [h for h in headers if h.startswith(f"{name}=")]
    assert len(found) == 1, headers
    return str(found[0])


def test_sign_in_sets_a_session_cookie_that_scripts_cannot_read(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    r = sign_in(client, SELLER, PASSWORDS[SELLER])
    assert r.status_code == 303 and r.headers["location"] == "/dummy"
    header = cookie_header(r, SESSION_COOKIE)
    flags = [part.strip().lower() for part in header.split(";")]
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "max-age=43200" in flags  # 12 hours = 12 * 3600 s
    assert "secure" not in flags  # plain http on loopback; see the https test
    assert client.get("/dummy").text.startswith(f"<p>hello {SELLER}</p>")
    # the catalog holds the SHA-256 of the cookie's token, never the token
    raw = client.cookies[SESSION_COOKIE]
    with duckdb.connect(str(world.ws.catalog_path)) as con:
        stored = con.execute("SELECT token_sha256, csrf_token FROM sessions").fetchall()
    assert stored[0][0] == hashlib.sha256(raw.encode()).hexdigest() and raw not in stored[0]


def test_over_https_both_cookies_are_secure(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock, https=True)
    page = client.get("/login")
    assert "secure" in [p.strip().lower() for p in cookie_header(page, CSRF_COOKIE).split(";")]
    r = client.post("/login", data={"email": SELLER, "password": PASSWORDS[SELLER],
                                    "csrf_token": page_csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert "secure" in [p.strip().lower() for p in cookie_header(r, SESSION_COOKIE).split(";")]


def test_wrong_password_and_unknown_email_get_the_same_answer(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    wrong = sign_in(client, SELLER, "not-the-password")
    unknown = sign_in(client, "nobody@trailco.example", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert "邮箱或密码错误" in wrong.text and "邮箱或密码错误" in unknown.text  # Chinese by default
    assert SESSION_COOKIE not in wrong.headers.get("set-cookie", "")
    client.cookies.set("kpiguard_lang", "en")
    assert "E-mail or password is wrong." in sign_in(client, SELLER, "still-not-it").text


def test_five_failures_in_15_minutes_pause_sign_in(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    # failures at 09:00, 09:01, 09:02, 09:03, 09:04
    for _ in range(5):
        assert sign_in(client, MANAGER, "guess-guess-guess").status_code == 401
        clock.advance(minutes=1)
    # 09:05: even the right password waits; the 09:00 failure leaves the window at 09:15,
    # so Retry-After = 09:15 - 09:05 = 10 min = 600 s
    limited = sign_in(client, MANAGER, PASSWORDS[MANAGER])
    assert limited.status_code == 429 and limited.headers["retry-after"] == "600"
    assert "10" in limited.text  # "请约10分钟后再试"
    clock.advance(minutes=9, seconds=59)  # 09:14:59: still five failures after 09:14:59 - 15 min
    assert sign_in(client, MANAGER, PASSWORDS[MANAGER]).headers["retry-after"] == "1"
    clock.advance(seconds=1)  # 09:15:00: the 09:00 failure is out; four remain, so it may go ahead
    assert sign_in(client, MANAGER, PASSWORDS[MANAGER]).status_code == 303
    # the other user from the same address was never limited
    client.cookies.clear()
    assert sign_in(client, VIEWER, PASSWORDS[VIEWER]).status_code == 303


def test_sign_in_without_the_form_token_is_refused(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    data = {"email": SELLER, "password": PASSWORDS[SELLER]}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 403  # no cookie, no field
    client.get("/login")  # now the browser has the cookie
    assert client.post("/login", data={**data, "csrf_token": "forged-forged-forged-forged"},
                       follow_redirects=False).status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_without_a_session_pages_redirect_and_the_api_answers_401(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    page = client.get("/dummy?period=2026-10", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Fdummy%3Fperiod%3D2026-10"
    api = client.get("/api/dummy")
    assert api.status_code == 401 and api.headers["www-authenticate"] == "Bearer" and "error" in api.json()
    # and the login page sends the user back where they were going, but never off-site
    assert sign_in(client, SELLER, PASSWORDS[SELLER], "/dummy?period=2026-10").headers["location"] == \
        "/dummy?period=2026-10"
    client.cookies.clear()
    assert sign_in(client, SELLER, PASSWORDS[SELLER], "//evil.example/x").headers["location"] == "/"


def test_forms_need_the_sessions_csrf_token(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    sign_in(client, SELLER, PASSWORDS[SELLER])
    token = page_csrf(client.get("/dummy").text)
    assert client.post("/dummy/form", data={}).status_code == 403
    assert client.post("/dummy/form", data={"csrf_token": token[:-1] + "x"}).status_code == 403
    assert client.post("/dummy/form", data={"csrf_token": token}).json() == {"ok": True, "email": SELLER}
    # the token is the session's own: the one stored with the session row
    with duckdb.connect(str(world.ws.catalog_path)) as con:
        assert con.execute("SELECT csrf_token FROM sessions").fetchone() == (token,)


def test_api_calls_by_cookie_must_send_the_csrf_header(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    sign_in(client, SELLER, PASSWORDS[SELLER])
    token = page_csrf(client.get("/dummy").text)
    assert client.post("/api/dummy").status_code == 403
    assert client.post("/api/dummy", data={"csrf_token": token}).status_code == 403  # a form field is not enough
    assert client.post("/api/dummy", headers={"X-CSRF-Token": token}).json()["ok"] is True


def test_api_tokens_work_for_the_api_are_stored_hashed_and_can_be_revoked(world: World, clock: FakeClock) -> None:
    browser = client_for(world, clock)
    sign_in(browser, MANAGER, PASSWORDS[MANAGER])
    csrf = {"X-CSRF-Token": page_csrf(browser.get("/dummy").text)}
    created = browser.post("/api/tokens", json={"name": "nightly import"}, headers=csrf)
    assert created.status_code == 201
    raw, token_id = created.json()["token"], created.json()["token_id"]
    assert raw.startswith("kpg_")
    with duckdb.connect(str(world.ws.catalog_path)) as con:
        row = con.execute("SELECT token_sha256, name FROM api_tokens WHERE token_id = ?", [token_id]).fetchone()
    assert row == (hashlib.sha256(raw.encode()).hexdigest(), "nightly import")

    script = client_for(world, clock)
    bearer = {"Authorization": f"Bearer {raw}"}
    assert script.get("/api/dummy", headers=bearer).json() == {"email": MANAGER}
    assert script.post("/api/dummy", headers=bearer).status_code == 200  # no CSRF for bearer tokens
    assert script.post("/api/tokens", json={"name": "more"}, headers=bearer).status_code == 403  # no minting
    listed = script.get("/api/tokens", headers=bearer).json()
    assert "nightly import" in [t["name"] for t in listed] and all("token" not in t for t in listed)

    # another user's token id is "not found"; one's own is revoked and stops at once
    assert browser.delete(f"/api/tokens/{token_id - 1}", headers=csrf).status_code == 404
    assert browser.delete(f"/api/tokens/{token_id}", headers=csrf).json()["revoked_at"] is not None
    refused = script.get("/api/dummy", headers=bearer)
    assert refused.status_code == 401 and "revoked" in refused.json()["error"]


def test_a_wrong_bearer_token_is_refused_even_with_a_session(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    sign_in(client, SELLER, PASSWORDS[SELLER])
    assert client.get("/api/dummy", headers={"Authorization": "Bearer kpg_made-up"}).status_code == 401
    assert client.get("/api/dummy", headers={"Authorization": "Basic c2VsbGVyOnB3"}).status_code == 401
    assert client.get("/api/dummy").status_code == 200


def test_sessions_end_after_2_idle_hours_or_12_hours(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    sign_in(client, SELLER, PASSWORDS[SELLER])  # 09:00
    clock.advance(hours=1, minutes=59)  # 10:59, idle 1:59
    assert client.get("/dummy", follow_redirects=False).status_code == 200
    clock.advance(hours=1, minutes=59)  # 12:58, idle 1:59 since 10:59
    assert client.get("/dummy", follow_redirects=False).status_code == 200
    for _ in range(4):  # 14:57, 16:56, 18:55, 20:54: active, under 12 hours
        clock.advance(hours=1, minutes=59)
        assert client.get("/dummy", follow_redirects=False).status_code == 200
    clock.advance(minutes=6)  # 21:00 = sign-in + 12 h: over, however active
    assert client.get("/dummy", follow_redirects=False).status_code == 303

    idle = client_for(world, clock)
    sign_in(idle, VIEWER, PASSWORDS[VIEWER])  # 21:00
    clock.advance(hours=2)  # 23:00: two hours without a request
    assert idle.get("/api/dummy").status_code == 401


def test_sign_out_ends_the_session_for_every_copy_of_the_cookie(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    sign_in(client, SELLER, PASSWORDS[SELLER])
    stolen = client.cookies[SESSION_COOKIE]
    token = page_csrf(client.get("/dummy").text)
    assert client.post("/logout", data={}, follow_redirects=False).status_code == 403  # CSRF here too
    out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert 'kpiguard_session=""' in cookie_header(out, SESSION_COOKIE) or "max-age=0" in \
        cookie_header(out, SESSION_COOKIE).lower()
    other = client_for(world, clock)
    other.cookies.set(SESSION_COOKIE, stolen)
    assert other.get("/api/dummy").status_code == 401


def test_a_disabled_user_is_out_everywhere(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    sign_in(client, MANAGER, PASSWORDS[MANAGER])
    bearer = {"Authorization": f"Bearer {world.tokens[MANAGER]}"}
    assert client.get("/api/dummy", headers=bearer).status_code == 200
    users.disable(world.ws, MANAGER, "test")
    assert client.get("/api/dummy").status_code == 401
    assert client.get("/api/dummy", headers=bearer).status_code == 401
    client.cookies.clear()
    assert sign_in(client, MANAGER, PASSWORDS[MANAGER]).status_code == 401


def test_the_sign_in_page_speaks_both_languages_and_refuses_frames(world: World, clock: FakeClock) -> None:
    client = client_for(world, clock)
    zh = client.get("/login")
    assert '<html lang="zh-CN">' in zh.text and "邮箱" in zh.text and "密码" in zh.text
    assert zh.headers["x-frame-options"] == "DENY" and zh.headers["cache-control"] == "no-store"
    en = client.get("/login?lang=en")
    assert '<html lang="en">' in en.text and "E-mail" in en.text and "Password" in en.text
    assert "<script" not in client.get("/login?next=%22%3E%3Cscript%3E").text  # next is escaped, not echoed raw


def test_every_change_is_in_the_audit_log_and_the_ledger(world: World, clock: FakeClock) -> None:
    with world.ws.connect() as con:
        before = con.execute("SELECT max(audit_id) FROM audit_log").fetchall()[0][0]
    client = client_for(world, clock)
    sign_in(client, MANAGER, "wrong-wrong-wrong")
    sign_in(client, MANAGER, PASSWORDS[MANAGER])
    csrf = {"X-CSRF-Token": page_csrf(client.get("/dummy").text)}
    client.post("/api/tokens", json={"name": "ci"}, headers=csrf)
    client.post("/api/dummy", headers=csrf)
    client.post("/logout", data={"csrf_token": csrf["X-CSRF-Token"]})
    with world.ws.connect() as con:
        rows = con.execute("SELECT a.action, a.actor, a.ip, l.kind, l.actor FROM audit_log a JOIN ledger l "
                           "ON l.seq = a.ledger_seq WHERE a.audit_id > ? ORDER BY a.audit_id", [before]).fetchall()
        assert ledger.chain_problems(con) == [] and audit_mod.problems(con) == []
    assert [r[0] for r in rows] == ["login.failed", "login.ok", "token.create", "dummy.change", "logout"]
    assert all(r[1] == MANAGER and r[4] == MANAGER and r[2] == "testclient" for r in rows)
    assert [r[3] for r in rows] == ["audit." + r[0] for r in rows]


def test_an_edited_or_deleted_audit_row_is_detected(world: World) -> None:
    with world.ws.connect() as con:
        assert audit_mod.problems(con) == []
        con.execute("UPDATE audit_log SET detail_json = '{}' WHERE action = 'grant.add' AND target = 'store:peak-us'")
        con.execute("DELETE FROM audit_log WHERE action = 'user.add' AND target = 'user:manager@redfox.example'")
        found = audit_mod.problems(con)
    assert len(found) == 2
    assert "differs from ledger entry" in found[0] and "has no audit row" in found[1]

