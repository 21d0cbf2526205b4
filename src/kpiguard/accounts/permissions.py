"""Who may see and do what: the role x action matrix of ``model.py`` over the catalog's grants.

Two questions, answered separately because they fail differently:

* *May the user see this store at all?* ``visible_stores``: a seller organisation's users see the
  stores it owns; an agency's manager and auditor see the stores granted to the agency (not
  revoked); an agency operator sees the stores assigned to them that are also granted. A store that
  is not visible fails with ``NotVisible`` (HTTP 404), the same answer as for a store that does not
  exist, so another organisation's stores cannot be discovered by probing.
* *May the role do this action?* ``ROLE_ACTIONS``. A visible store with an action the role lacks
  fails with ``PermissionDenied`` (HTTP 403): the user knows the store, just not this power.

A plan is visible when every one of its stores is; acting on a plan needs the action on every store.
Pure reads over the catalog; nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import get_args

import duckdb

from kpiguard.accounts.model import Action, User
from kpiguard.errors import Finding, NotFoundError, UserError
from kpiguard.plans import store as plan_store
from kpiguard.plans.store import StoredPlan
from kpiguard.workspace import Workspace

ACTIONS: tuple[str, ...] = get_args(Action)
_ALL = frozenset(ACTIONS)
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "seller_admin": _ALL,
    "seller_viewer": frozenset({"read"}),
    "agency_manager": frozenset({"read", "import", "plan_edit", "plan_propose", "plan_sign", "event_propose",
                                 "event_decide", "manage_users"}),
    "agency_operator": frozenset({"read", "import", "plan_edit"}),
    "auditor": frozenset({"read", "audit_read"}),
}
# the organisation kind a role belongs to (None: either); a mismatch (never created, but be safe) sees nothing
ROLE_KIND: dict[str, str | None] = {"seller_admin": "seller", "seller_viewer": "seller",
                                    "agency_manager": "agency", "agency_operator": "agency", "auditor": None}

ACTION_WORDS: dict[str, tuple[str, str]] = {
    "read": ("read", "查看"), "import": ("import files into", "导入数据到"), "plan_edit": ("edit plans of", "编辑方案"),
    "plan_propose": ("propose plans of", "提交方案"), "plan_sign": ("sign plans of", "签署方案"),
    "event_propose": ("propose events for", "提出不可抗力事件"), "event_decide": ("decide events for", "审批事件"),
    "archive_raw": ("archive raw data of", "归档原始数据"), "audit_read": ("read the audit log of", "查看审计日志"),
    "manage_users": ("manage users and access of", "管理用户与授权"),
}


class PermissionDenied(UserError):
    """The user may see the thing but their role may not do this (HTTP 403)."""

    status_code = 403


class NotVisible(NotFoundError):
    """The thing is in another organisation, or does not exist; the two look alike (HTTP 404)."""

    status_code = 404


def can_role(user: User, action: str) -> bool:
    """Whether the user's role has ``action`` at all (on some store), ignoring which stores."""
    kind = ROLE_KIND.get(user.role)
    if kind is not None and kind != user.org_kind:
        return False
    return action in ROLE_ACTIONS.get(user.role, frozenset())


def visible_stores_in(con: duckdb.DuckDBPyConnection, user: User) -> list[str]:
    """``visible_stores`` on an open catalog connection."""
    if ROLE_KIND.get(user.role) not in (None, user.org_kind) or user.role not in ROLE_ACTIONS:
        return []
    if user.org_kind == "seller":
        sql = ("SELECT o.store_id FROM store_owners o JOIN stores s USING (store_id) JOIN organisations g "
               "ON g.org_id = o.org_id AND g.kind = 'seller' WHERE o.org_id = ?")
        params: list[object] = [user.org_id]
    else:
        sql = ("SELECT DISTINCT g.store_id FROM store_grants g JOIN store_owners o USING (store_id) "
               "JOIN stores s USING (store_id) WHERE g.agency_org_id = ? AND g.revoked_at_utc IS NULL")
        params = [user.org_id]
        if user.role == "agency_operator":
            sql += " AND g.store_id IN (SELECT store_id FROM operator_assignments WHERE user_id = ?)"
            params.append(user.user_id)
    return sorted(str(r[0]) for r in con.execute(sql, params).fetchall())


def visible_stores(ws: Workspace, user: User) -> list[str]:
    """The ids of the stores ``user`` may see, sorted."""
    ws.require()
    with ws.connect() as con:
        return visible_stores_in(con, user)


@dataclass(frozen=True)
class Access:
    """One user's visible stores, read once, for pages that check many stores and actions."""

    user: User
    stores: frozenset[str]

    def can(self, action: str, store_id: str | None = None) -> bool:
        return can_role(self.user, action) and (store_id is None or store_id in self.stores)

    def require(self, action: str, store_id: str | None = None) -> None:
        require_in(self, action, [] if store_id is None else [store_id])

    def sees_plan(self, sp: StoredPlan) -> bool:
        return bool(sp.plan.stores) and set(sp.plan.stores) <= self.stores


def access(ws: Workspace, user: User) -> Access:
    return Access(user, frozenset(visible_stores(ws, user)))


def can(ws: Workspace, user: User, action: str, store_id: str | None = None) -> bool:
    """Whether ``user`` may do ``action`` on ``store_id`` (or, with None, on anything of theirs)."""
    if not can_role(user, action):
        return False
    return store_id is None or store_id in visible_stores(ws, user)


def require(ws: Workspace, user: User, action: str, store_id: str | None = None) -> None:
    """Return quietly, or raise ``NotVisible`` (not the user's store: 404) or ``PermissionDenied`` (403)."""
    access(ws, user).require(action, store_id)


def require_in(acc: Access, action: str, store_ids: Iterable[str], what: str | None = None) -> None:
    """Every store visible (else ``NotVisible``) and the role has ``action`` (else ``PermissionDenied``)."""
    ids = list(store_ids)
    hidden = [s for s in ids if s not in acc.stores]
    if hidden:
        label = what or f"store {hidden[0]}"
        raise NotVisible(f"no {label} / 不存在", [Finding(
            "access.not_found", f"there is no {label} you can see", hint="see the list of your stores and plans")])
    if not can_role(acc.user, action):
        en, zh = ACTION_WORDS.get(action, (action, action))
        target = what or (f"store {ids[0]}" if ids else "this organisation")
        raise PermissionDenied(f"your role {acc.user.role} may not {en} {target} / 当前角色无权{zh}", [Finding(
            "access.denied", f"the role {acc.user.role} may not {en} {target}",
            hint="ask an administrator of your organisation / 请联系本组织管理员")])


def visible_plans(ws: Workspace, user: User) -> list[StoredPlan]:
    """The latest version of every plan whose stores are all visible to ``user``."""
    acc = access(ws, user)
    return [sp for sp in plan_store.list_plans(ws) if acc.sees_plan(sp)]


def require_plan(ws: Workspace, user: User, action: str, plan_id: str, version: int | None = None) -> StoredPlan:
    """The plan if the user may do ``action`` on all its stores; ``NotVisible`` when it is not theirs
    (or does not exist), ``PermissionDenied`` when it is but the role lacks the action."""
    try:
        sp: StoredPlan | None = plan_store.get(ws, plan_id, version)
    except NotFoundError:
        sp = None  # the same answer as for another organisation's plan
    return plan_allowed(access(ws, user), action, plan_id, sp)


def plan_allowed(acc: Access, action: str, plan_id: str, sp: StoredPlan | None) -> StoredPlan:
    """``require_plan``'s decision on a plan already read (None: there is no such plan); the web
    app decides on the plans and stores it read once per catalog generation."""
    if sp is None or not acc.sees_plan(sp):
        raise NotVisible(f"no plan {plan_id} / 方案不存在", [Finding(
            "access.not_found", f"there is no plan {plan_id!r} you can see", hint="see the list of your plans")])
    require_in(acc, action, sp.plan.stores, f"plan {plan_id}")
    return sp
