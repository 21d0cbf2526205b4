"""The account services on a real workspace: validation, hashes, grants, demo seed, rate limit, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from argon2 import PasswordHasher

from kpiguard import ledger
from kpiguard.accounts import (
    access,
    audit,
    demo,
    orgs,
    passwords,
    permissions,
    ratelimit,
    tokens,
    users,
)
from kpiguard.accounts.passwords import weakness
from kpiguard.accounts.permissions import PermissionDenied
from kpiguard.errors import InputError, NotFoundError
from kpiguard.workspace import Workspace
from tests.accounts.world import (
    AUDITOR,
    FOX_MANAGER,
    MANAGER,
    OPERATOR,
    PASSWORDS,
    PEAK_ADMIN,
    SELLER,
    World,
)
from tests.conftest import add_store


def codes(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [f.code for f in exc.value.findings]


def test_only_an_argon2_hash_of_the_password_is_stored(world_template: World) -> None:
    with duckdb.connect(str(world_template.ws.catalog_path)) as con:
        stored = dict(con.execute("SELECT email, password_hash FROM users").fetchall())
    for email, password in PASSWORDS.items():
        assert stored[email].startswith("$argon2id$") and password not in stored[email]
        assert PasswordHasher().verify(stored[email], password)
    assert len(set(stored.values())) == len(stored)  # salted: no two hashes alike


def test_an_unknown_user_costs_a_full_argon2_run() -> None:
    # the stand-in hash has the same parameters as a real one, so both take as long to check
    assert not passwords.needs_rehash(passwords.DUMMY_HASH)
    assert PasswordHasher().verify(passwords.DUMMY_HASH, "kpiguard: no such user")
    assert passwords.verify(None, "kpiguard: no such user") is False


@pytest.mark.parametrize(("password", "code"), [
    ("nine-char", "password.short"),  # 9 characters
    ("1234567890", "password.common"),
    ("zzzzzzzzzzzz", "password.common"),  # one repeated character
    ("someone@trailco.example", "password.email"),
    ("ten-chars!", None),  # exactly 10 characters
])
def test_password_rule(password: str, code: str | None) -> None:
    found = weakness(password, "someone@trailco.example")
    assert (found.code if found else None) == code


def test_adding_a_user_reports_every_problem_at_once(world: World) -> None:
    with pytest.raises(InputError) as bad:
        users.add(world.ws, "not-an-email", "X", "nowhere", "boss", "short", "test")
    assert codes(bad) == ["user.email", "user.role", "password.short", "org.unknown"]
    with pytest.raises(InputError) as dup:  # e-mails compare without case
        users.add(world.ws, "SELLER@TrailCo.example", "X", "trailco", "seller_viewer", "long-enough-pw", "test")
    assert codes(dup) == ["user.exists"]
    with pytest.raises(InputError) as kind:
        users.add(world.ws, "new@trailco.example", "X", "trailco", "agency_manager", "long-enough-pw", "test")
    assert codes(kind) == ["user.role_kind"]


def test_organisations_validate_and_are_unique(world: World) -> None:
    with pytest.raises(InputError) as bad:
        orgs.add(world.ws, "Bad Id", " ", "vendor", "test")
    assert codes(bad) == ["org.id", "org.kind", "org.name"]
    with pytest.raises(InputError) as dup:
        orgs.add(world.ws, "trailco", "Again", "seller", "test")
    assert codes(dup) == ["org.exists"]
    with pytest.raises(PermissionDenied):  # not from the web
        orgs.add(world.ws, "newco", "NewCo", "seller", world.user(SELLER))


def test_grants_and_assignments_refuse_what_makes_no_sense(world: World) -> None:
    add_store(world.ws, "loose-us", "amazon", "US")
    with pytest.raises(InputError) as unowned:
        access.grant(world.ws, "loose-us", "bluewave", "test")
    assert codes(unowned) == ["store.no_owner"]
    with pytest.raises(InputError) as seller_as_agency:
        access.grant(world.ws, "trail-jp", "northpeak", "test")
    assert codes(seller_as_agency) == ["org.kind"]
    with pytest.raises(NotFoundError):
        access.grant(world.ws, "trail-jp", "nobody", "test")
    with pytest.raises(InputError) as owned:
        access.assign_owner(world.ws, "trail-us", "northpeak", "test")
    assert codes(owned) == ["store.owned"]
    assert access.assign_owner(world.ws, "trail-us", "trailco", "test") is False  # already so: no change
    with pytest.raises(InputError) as none:
        access.revoke(world.ws, "trail-jp", "bluewave", "test")
    assert codes(none) == ["grant.none"]
    with pytest.raises(InputError) as not_op:
        access.assign_operator(world.ws, MANAGER, "trail-de", "test")
    assert codes(not_op) == ["user.not_operator"]
    with pytest.raises(InputError) as ungranted:
        access.assign_operator(world.ws, OPERATOR, "trail-jp", "test")
    assert codes(ungranted) == ["grant.none"]


def test_the_demo_seed(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.init()
    keep_open = duckdb.connect(str(ws.catalog_path))  # as a server would: no file reopened per step
    try:
        _check_demo_seed(ws)
    finally:
        keep_open.close()


def _check_demo_seed(ws: Workspace) -> None:
    for store_id in ("d-us", "d-de", "d-jp"):
        add_store(ws, store_id, "amazon", store_id[2:].upper())
    first = demo.seed(ws, ["d-us", "d-de", "d-jp"])
    assert first["granted_to_agency"] == ["d-us", "d-de"] and first["assigned_to_operator"] == ["d-us"]
    assert {u["email"]: u["role"] for u in first["users"]} == {
        "seller@trailco.example": "seller_admin", "viewer@trailco.example": "seller_viewer",
        "auditor@trailco.example": "auditor", "manager@bluewave.example": "agency_manager",
        "operator@bluewave.example": "agency_operator"}
    assert all(len(u["password"]) >= 10 for u in first["users"])
    with ws.connect() as con:
        counted = [con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                   for t in ("organisations", "users", "store_owners", "store_grants", "operator_assignments")]
    assert counted == [2, 5, 3, 2, 1]
    demo.seed(ws, ["d-us", "d-de", "d-jp"])  # again: nothing added twice
    with ws.connect() as con:
        assert [con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in ("organisations", "users", "store_owners", "store_grants", "operator_assignments")] == counted
        assert ledger.chain_problems(con) == []
    seller = users.by_email(ws, "seller@trailco.example")
    assert seller.org_label("zh-CN") == "踏行户外" and seller.org_label("en") == "TrailCo Outdoor Ltd"
    assert permissions.visible_stores(ws, users.by_email(ws, "operator@bluewave.example")) == ["d-us"]


def test_rate_limit_counts_per_address_across_emails(world: World) -> None:
    start = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    with world.ws.connect() as con:
        # 50 failures from 10.0.0.9, one per 10 s, each for a different e-mail: 09:00:00 ... 09:08:10
        for i in range(50):
            ratelimit.note(con, f"guess{i}@x.example", "10.0.0.9", False, start + timedelta(seconds=10 * i))
        now = start + timedelta(minutes=9)  # 09:09:00
        # a fresh e-mail from that address waits until the first failure (09:00:00) leaves: 09:15:00 = 360 s
        assert ratelimit.retry_after(con, "fresh@x.example", "10.0.0.9", now) == 360
        assert ratelimit.retry_after(con, "fresh@x.example", "10.0.0.10", now) is None
        # 09:15:00: the 09:00:00 failure is out, 49 remain under the cap of 50
        assert ratelimit.retry_after(con, "fresh@x.example", "10.0.0.9", start + timedelta(minutes=15)) is None


def test_a_success_clears_earlier_failures_of_that_email_and_address(world: World) -> None:
    t0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    with world.ws.connect() as con:
        for i in range(4):  # 09:00-09:03 four failures, 09:04 success, 09:05 one failure
            ratelimit.note(con, "a@x.example", "1.1.1.1", False, t0 + timedelta(minutes=i))
        ratelimit.note(con, "a@x.example", "1.1.1.1", True, t0 + timedelta(minutes=4))
        ratelimit.note(con, "a@x.example", "1.1.1.1", False, t0 + timedelta(minutes=5))
        # one failure since the success: far from five
        assert ratelimit.retry_after(con, "a@x.example", "1.1.1.1", t0 + timedelta(minutes=6)) is None


def test_the_audit_log_each_organisation_may_read(world: World) -> None:
    manager = world.user(MANAGER)
    audit.record(world.ws, manager, "plan.propose", "plan:p-us", {"version": 1}, ["trail-us"], ip="10.1.1.1")
    audit.record(world.ws, world.user(FOX_MANAGER), "plan.propose", "plan:p-peak", {}, ["peak-us"])
    seller_sees = [(e.actor, e.target) for e in audit.entries(world.ws, world.user(AUDITOR))]
    assert (MANAGER, "plan:p-us") in seller_sees  # the agency's action on trailco's store
    assert (FOX_MANAGER, "plan:p-peak") not in seller_sees
    assert ("demo", f"user:{SELLER}") in seller_sees  # the CLI's change to trailco (detail org_id)
    peak_sees = [(e.actor, e.target) for e in audit.entries(world.ws, world.user(PEAK_ADMIN))]
    assert (FOX_MANAGER, "plan:p-peak") in peak_sees and (MANAGER, "plan:p-us") not in peak_sees
    assert all("trailco" not in e.target and e.detail.get("org_id") != "trailco"
               for e in audit.entries(world.ws, world.user(PEAK_ADMIN)))
    with pytest.raises(PermissionDenied):
        audit.entries(world.ws, world.user(OPERATOR))
    newest = audit.entries(world.ws, world.user(SELLER), limit=1)[0]
    assert (newest.action, newest.ip, newest.stores) == ("plan.propose", "10.1.1.1", ("trail-us",))


def test_tokens_act_as_their_user_until_revoked(world: World) -> None:
    now = datetime.now(UTC)
    token, raw = tokens.create(world.ws, SELLER, "report robot", "test")
    user = tokens.resolve(world.ws, raw, now)
    assert user is not None and user.email == SELLER
    tokens.revoke(world.ws, token.token_id, "test")
    assert tokens.resolve(world.ws, raw, now) is None
    with pytest.raises(NotFoundError):  # from the web, someone else's token is not there
        tokens.revoke(world.ws, 1, world.user(MANAGER))


def test_language_preference(world: World) -> None:
    assert users.set_language(world.ws, world.user(SELLER), "en").lang == "en"
    with pytest.raises(InputError):
        users.set_language(world.ws, world.user(SELLER), "fr")

