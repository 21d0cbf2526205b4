"""The role x action x store matrix, against a hand-written table of what each person may do.

Columns: read, import, plan_edit, plan_propose, plan_sign, event_propose, event_decide, archive_raw,
audit_read, manage_users. "Y" allowed, "." refused. The store "*" is the question without a store
("may this role do it anywhere?"). Why each row is what it is:

* trailco's seller admin: everything on its three stores, nothing on northpeak's peak-us;
* the viewer reads; the auditor reads and reads the audit log; neither on peak-us;
* bluewave's manager: everything but archive_raw and audit_read on the two granted stores
  (trail-us, trail-de), nothing on trail-jp (not granted) or peak-us (another seller);
* bluewave's operator: read/import/plan_edit on trail-us only (assigned and granted);
* northpeak's admin and redfox's manager: the same shapes on peak-us only.
"""

from __future__ import annotations

import pytest

from kpiguard.accounts import access, permissions
from kpiguard.accounts.permissions import ACTIONS, NotVisible, PermissionDenied
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

MATRIX = """
user                        store     read imp edit prop sign evp evd arch aud mgr
seller@trailco.example      trail-us  Y    Y   Y    Y    Y    Y   Y   Y    Y   Y
seller@trailco.example      trail-de  Y    Y   Y    Y    Y    Y   Y   Y    Y   Y
seller@trailco.example      trail-jp  Y    Y   Y    Y    Y    Y   Y   Y    Y   Y
seller@trailco.example      peak-us   .    .   .    .    .    .   .   .    .   .
seller@trailco.example      *         Y    Y   Y    Y    Y    Y   Y   Y    Y   Y
viewer@trailco.example      trail-us  Y    .   .    .    .    .   .   .    .   .
viewer@trailco.example      trail-de  Y    .   .    .    .    .   .   .    .   .
viewer@trailco.example      trail-jp  Y    .   .    .    .    .   .   .    .   .
viewer@trailco.example      peak-us   .    .   .    .    .    .   .   .    .   .
viewer@trailco.example      *         Y    .   .    .    .    .   .   .    .   .
auditor@trailco.example     trail-us  Y    .   .    .    .    .   .   .    Y   .
auditor@trailco.example     trail-de  Y    .   .    .    .    .   .   .    Y   .
auditor@trailco.example     trail-jp  Y    .   .    .    .    .   .   .    Y   .
auditor@trailco.example     peak-us   .    .   .    .    .    .   .   .    .   .
auditor@trailco.example     *         Y    .   .    .    .    .   .   .    Y   .
manager@bluewave.example    trail-us  Y    Y   Y    Y    Y    Y   Y   .    .   Y
manager@bluewave.example    trail-de  Y    Y   Y    Y    Y    Y   Y   .    .   Y
manager@bluewave.example    trail-jp  .    .   .    .    .    .   .   .    .   .
manager@bluewave.example    peak-us   .    .   .    .    .    .   .   .    .   .
manager@bluewave.example    *         Y    Y   Y    Y    Y    Y   Y   .    .   Y
operator@bluewave.example   trail-us  Y    Y   Y    .    .    .   .   .    .   .
operator@bluewave.example   trail-de  .    .   .    .    .    .   .   .    .   .
operator@bluewave.example   trail-jp  .    .   .    .    .    .   .   .    .   .
operator@bluewave.example   peak-us   .    .   .    .    .    .   .   .    .   .
operator@bluewave.example   *         Y    Y   Y    .    .    .   .   .    .   .
admin@northpeak.example     trail-us  .    .   .    .    .    .   .   .    .   .
admin@northpeak.example     trail-de  .    .   .    .    .    .   .   .    .   .
admin@northpeak.example     trail-jp  .    .   .    .    .    .   .   .    .   .
admin@northpeak.example     peak-us   Y    Y   Y    Y    Y    Y   Y   Y    Y   Y
admin@northpeak.example     *         Y    Y   Y    Y    Y    Y   Y   Y    Y   Y
manager@redfox.example      trail-us  .    .   .    .    .    .   .   .    .   .
manager@redfox.example      trail-de  .    .   .    .    .    .   .   .    .   .
manager@redfox.example      trail-jp  .    .   .    .    .    .   .   .    .   .
manager@redfox.example      peak-us   Y    Y   Y    Y    Y    Y   Y   .    .   Y
manager@redfox.example      *         Y    Y   Y    Y    Y    Y   Y   .    .   Y
"""
COLUMNS = ("read", "import", "plan_edit", "plan_propose", "plan_sign", "event_propose", "event_decide",
           "archive_raw", "audit_read", "manage_users")


def expected() -> dict[tuple[str, str, str], bool]:
    table: dict[tuple[str, str, str], bool] = {}
    for line in MATRIX.strip().splitlines()[1:]:
        email, store, *marks = line.split()
        assert len(marks) == len(COLUMNS), line
        for action, mark in zip(COLUMNS, marks, strict=True):
            table[(email, store, action)] = mark == "Y"
    return table


EXPECTED = expected()
USERS = sorted({k[0] for k in EXPECTED})
STORES = ["trail-us", "trail-de", "trail-jp", "peak-us"]


def test_the_table_covers_every_action_role_and_store() -> None:
    assert set(COLUMNS) == set(ACTIONS)
    assert len(EXPECTED) == 7 * 5 * 10  # 7 users, 4 stores + "*", 10 actions


def test_can_matches_the_table(world_template: World) -> None:
    ws = world_template.ws
    wrong = []
    for email in USERS:
        user = world_template.user(email)
        acc = permissions.access(ws, user)
        for store in [*STORES, "*"]:
            for action in COLUMNS:
                want = EXPECTED[(email, store, action)]
                store_id = None if store == "*" else store
                got = permissions.can(ws, user, action, store_id)
                if got != want or acc.can(action, store_id) != want:
                    wrong.append((email, store, action, want, got))
    assert wrong == []


def test_visible_stores_are_the_read_column(world_template: World) -> None:
    for email in USERS:
        want = sorted(s for s in STORES if EXPECTED[(email, s, "read")])
        assert permissions.visible_stores(world_template.ws, world_template.user(email)) == want, email


def test_require_says_404_for_other_organisations_and_403_for_missing_powers(world_template: World) -> None:
    ws = world_template.ws
    for email in USERS:
        user = world_template.user(email)
        for store in STORES:
            for action in COLUMNS:
                if EXPECTED[(email, store, action)]:
                    permissions.require(ws, user, action, store)
                    continue
                # a store the user cannot read is "not there" (404); a readable one is "not allowed" (403)
                error = NotVisible if not EXPECTED[(email, store, "read")] else PermissionDenied
                with pytest.raises(error):
                    permissions.require(ws, user, action, store)


def test_a_store_that_does_not_exist_looks_like_another_organisations(world_template: World) -> None:
    user = world_template.user(MANAGER)
    with pytest.raises(NotVisible) as ghost:
        permissions.require(world_template.ws, user, "read", "ghost-us")
    with pytest.raises(NotVisible) as other:
        permissions.require(world_template.ws, user, "read", "peak-us")
    assert ghost.value.message == other.value.message.replace("peak-us", "ghost-us") or \
        ghost.value.message.replace("ghost-us", "X") == other.value.message.replace("peak-us", "X")
    assert ghost.value.status_code == other.value.status_code == 404


def test_visible_plans_need_every_store(world_template: World) -> None:
    # p-us (trail-us), p-usde (trail-us+trail-de), p-jp (trail-jp), p-peak (peak-us)
    want = {SELLER: ["p-jp", "p-us", "p-usde"], VIEWER: ["p-jp", "p-us", "p-usde"],
            AUDITOR: ["p-jp", "p-us", "p-usde"], MANAGER: ["p-us", "p-usde"],
            OPERATOR: ["p-us"],  # p-usde also needs trail-de, which is not assigned to the operator
            PEAK_ADMIN: ["p-peak"], FOX_MANAGER: ["p-peak"]}
    for email, plans in want.items():
        got = sorted(sp.plan_id for sp in permissions.visible_plans(world_template.ws, world_template.user(email)))
        assert got == plans, email


def test_require_plan(world_template: World) -> None:
    ws = world_template.ws
    assert permissions.require_plan(ws, world_template.user(MANAGER), "plan_sign", "p-usde").plan_id == "p-usde"
    with pytest.raises(PermissionDenied):  # the operator sees p-us but commits nothing for the agency
        permissions.require_plan(ws, world_template.user(OPERATOR), "plan_propose", "p-us")
    with pytest.raises(NotVisible) as other:  # trail-de is not assigned to the operator
        permissions.require_plan(ws, world_template.user(OPERATOR), "read", "p-usde")
    with pytest.raises(NotVisible) as missing:
        permissions.require_plan(ws, world_template.user(OPERATOR), "read", "p-nope")
    # the same words for "not yours" and "does not exist", apart from the id asked for
    assert other.value.message.replace("p-usde", "ID") == missing.value.message.replace("p-nope", "ID")
    assert [f.code for f in other.value.findings] == [f.code for f in missing.value.findings]


def test_revoking_a_grant_hides_the_store_from_the_agency_and_its_operator(world: World) -> None:
    manager, operator = world.user(MANAGER), world.user(OPERATOR)
    access.revoke(world.ws, "trail-us", "bluewave", "test")
    assert permissions.visible_stores(world.ws, manager) == ["trail-de"]
    assert permissions.visible_stores(world.ws, operator) == []  # still assigned, but no longer granted
    assert operator.assigned_stores == ("trail-us",)
    access.grant(world.ws, "trail-us", "bluewave", "test")
    assert permissions.visible_stores(world.ws, operator) == ["trail-us"]


def test_a_role_in_the_wrong_kind_of_organisation_sees_nothing(world_template: World) -> None:
    from dataclasses import replace

    forged = replace(world_template.user(SELLER), org_kind="agency")  # never created; checks stay safe
    assert permissions.visible_stores(world_template.ws, forged) == []
    assert not permissions.can(world_template.ws, forged, "read")
