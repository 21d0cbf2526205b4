"""Demo accounts: a seller and its agency on the demo workspace, one user per role.

TrailCo Outdoor Ltd (踏行户外) owns every demo store and grants BlueWave Agency (蓝浪代运营) all but
the last one (all of them when there is only one), so the agency visibly cannot see one of the seller's
stores. The operator works on the
first store only. The passwords are fixed and printed by ``make demo``; they are for a demo on
127.0.0.1, never for real data.

Safe to run again: existing organisations, users, grants and assignments are left as they are.
"""

from __future__ import annotations

from typing import Any

from kpiguard.accounts import access, orgs, users
from kpiguard.errors import NotFoundError
from kpiguard.workspace import Workspace

ACTOR = "demo"
SELLER_ORG = ("trailco", "TrailCo Outdoor Ltd", "踏行户外", "seller")
AGENCY_ORG = ("bluewave", "BlueWave Agency", "蓝浪代运营", "agency")
# e-mail, name, org, role, password (documented demo passwords, at least 10 characters)
DEMO_USERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("seller@trailco.example", "Lin Yue 林悦", "trailco", "seller_admin", "trailco-seller-demo"),
    ("viewer@trailco.example", "Zhou Min 周敏", "trailco", "seller_viewer", "trailco-viewer-demo"),
    ("auditor@trailco.example", "Xu Qing 许晴", "trailco", "auditor", "trailco-auditor-demo"),
    ("manager@bluewave.example", "Chen Hao 陈浩", "bluewave", "agency_manager", "bluewave-manager-demo"),
    ("operator@bluewave.example", "Wang Lei 王磊", "bluewave", "agency_operator", "bluewave-operator-demo"),
)


def seed(ws: Workspace, stores: list[str]) -> dict[str, Any]:
    """Create the demo organisations, users, ownership, grants and the operator's assignment.

    Returns what was set up, with the passwords, for ``make demo`` to print.
    """
    known = {o.org_id for o in orgs.list_all(ws)}
    for org_id, name, name_zh, kind in (SELLER_ORG, AGENCY_ORG):
        if org_id not in known:
            orgs.add(ws, org_id, name, kind, ACTOR, name_zh=name_zh)
    existing = {u.email for u in users.list_all(ws)}
    for email, name, org_id, role, password in DEMO_USERS:
        if email not in existing:
            users.add(ws, email, name, org_id, role, password, ACTOR, lang="zh-CN")
    granted = stores[:-1] if len(stores) > 1 else list(stores)
    for store_id in stores:
        access.assign_owner(ws, store_id, SELLER_ORG[0], ACTOR)
    for store_id in granted:
        access.grant(ws, store_id, AGENCY_ORG[0], ACTOR)
    assigned = stores[:1]
    for store_id in assigned:
        access.assign_operator(ws, "operator@bluewave.example", store_id, ACTOR)
    return {
        "organisations": [{"org_id": o[0], "name": o[1], "name_zh": o[2], "kind": o[3]}
                          for o in (SELLER_ORG, AGENCY_ORG)],
        "users": [{"email": e, "name": n, "org_id": o, "role": r, "password": p} for e, n, o, r, p in DEMO_USERS],
        "stores": list(stores),
        "granted_to_agency": granted,
        "assigned_to_operator": assigned,
    }


def password_of(email: str) -> str:
    """The demo password of a demo user (for tests and the demo's printed instructions)."""
    for e, *_, password in DEMO_USERS:
        if e == email:
            return password
    raise NotFoundError(f"{email} is not a demo user")
