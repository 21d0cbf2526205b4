"""Which seller owns a store, which agencies it granted, which operators work on it.

Three facts the permission checks read (``permissions.visible_stores``):

* ``store_owners``: a store belongs to exactly one seller organisation;
* ``store_grants``: the owner grants an agency organisation a store; revoking stamps the row
  (``revoked_at_utc``) so the history of who could see what stays readable;
* ``operator_assignments``: an agency operator works on the stores assigned to them, and only while
  the agency still holds the grant.

Each change writes an audit row and a ledger entry. From the web (``by`` a ``User``): a seller
admin grants and revokes its own stores; an agency manager assigns its operators to granted stores;
ownership is set only from the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from kpiguard.accounts.audit import Origin, record_in
from kpiguard.accounts.clock import as_utc, utc_now
from kpiguard.accounts.db import next_id, writing
from kpiguard.accounts.model import User
from kpiguard.accounts.orgs import unknown as unknown_org
from kpiguard.accounts.permissions import PermissionDenied, access, require_in
from kpiguard.errors import Finding, InputError, NotFoundError
from kpiguard.workspace import Workspace


@dataclass(frozen=True)
class Grant:
    grant_id: int
    store_id: str
    agency_org_id: str
    granted_by: str
    granted_at: datetime
    revoked_by: str | None = None
    revoked_at: datetime | None = None

    def to_dict(self) -> dict[str, object]:
        return {"grant_id": self.grant_id, "store_id": self.store_id, "agency_org_id": self.agency_org_id,
                "granted_by": self.granted_by, "granted_at": self.granted_at.isoformat(),
                "revoked_by": self.revoked_by, "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None}


@dataclass(frozen=True)
class Listing:
    owners: dict[str, str]  # store_id -> seller org_id
    grants: list[Grant]  # active and revoked, oldest first
    assignments: list[tuple[str, str]]  # (operator e-mail, store_id)

    def to_dict(self) -> dict[str, object]:
        return {"owners": self.owners, "grants": [g.to_dict() for g in self.grants],
                "assignments": [{"email": e, "store_id": s} for e, s in self.assignments]}


def _store_exists(con: duckdb.DuckDBPyConnection, store_id: str, column: str) -> None:
    if con.execute("SELECT 1 FROM stores WHERE store_id = ?", [store_id]).fetchone() is None:
        raise NotFoundError(f"no store {store_id!r} / 店铺不存在", [Finding(
            "store.unknown", f"store {store_id!r} does not exist", column=column, value=store_id,
            hint="see kpiguard store list")])


def _org_kind(con: duckdb.DuckDBPyConnection, org_id: str, kind: str, column: str) -> None:
    row = con.execute("SELECT kind FROM organisations WHERE org_id = ?", [org_id]).fetchone()
    if row is None:
        raise unknown_org(org_id, column)
    if row[0] != kind:
        raise InputError(f"organisation {org_id!r} is a {row[0]}, not a {kind} / 组织类型不符", [Finding(
            "org.kind", f"organisation {org_id!r} is a {row[0]}; this needs a {kind} organisation",
            column=column, value=org_id, hint="see kpiguard org list")])


def assign_owner(ws: Workspace, store_id: str, org_id: str, by: User | str | Origin) -> bool:
    """Record that seller ``org_id`` owns ``store_id`` (CLI only). False when it already did."""
    origin = Origin.of(by)
    if origin.user is not None:
        raise PermissionDenied("store ownership is set with 'kpiguard access assign' / 店铺归属只能通过命令行设置")
    with writing(ws) as con:
        _store_exists(con, store_id, "STORE")
        _org_kind(con, org_id, "seller", "--org")
        row = con.execute("SELECT org_id FROM store_owners WHERE store_id = ?", [store_id]).fetchone()
        if row is not None and row[0] == org_id:
            return False
        if row is not None:
            raise InputError(f"store {store_id!r} belongs to {row[0]!r} already / 店铺已有归属", [Finding(
                "store.owned", f"store {store_id!r} is owned by organisation {row[0]!r}", column="STORE",
                value=store_id, hint="a store has one owner; its grants and plans depend on it")])
        con.execute("INSERT INTO store_owners VALUES (?, ?, ?, ?)", [store_id, org_id, origin.actor, utc_now()])
        record_in(con, origin, "store.owner", f"store:{store_id}", {"store_id": store_id, "org_id": org_id},
                  [store_id])
    return True


def _check_seller_admin(ws: Workspace, origin: Origin, store_id: str) -> None:
    if origin.user is None:
        return
    require_in(access(ws, origin.user), "manage_users", [store_id])
    if origin.user.org_kind != "seller":
        raise PermissionDenied("only the seller that owns a store grants access to it / 只有店铺所属卖家可以授权")


def grant(ws: Workspace, store_id: str, agency_org_id: str, by: User | str | Origin) -> bool:
    """Grant agency ``agency_org_id`` access to ``store_id``. False when it already had access."""
    origin = Origin.of(by)
    _check_seller_admin(ws, origin, store_id)
    with writing(ws) as con:
        _store_exists(con, store_id, "STORE")
        owner = con.execute("SELECT org_id FROM store_owners WHERE store_id = ?", [store_id]).fetchone()
        if owner is None:
            raise InputError(f"store {store_id!r} has no owner yet / 店铺尚未设置归属", [Finding(
                "store.no_owner", f"store {store_id!r} belongs to no seller organisation", column="STORE",
                value=store_id, hint=f"first: kpiguard access assign {store_id} --org SELLER_ORG")])
        _org_kind(con, agency_org_id, "agency", "--to")
        if _active_grant(con, store_id, agency_org_id) is not None:
            return False
        grant_id = next_id(con, "store_grants", "grant_id")
        con.execute("INSERT INTO store_grants VALUES (?, ?, ?, ?, ?, NULL, NULL)",
                    [grant_id, store_id, agency_org_id, origin.actor, utc_now()])
        record_in(con, origin, "grant.add", f"store:{store_id}",
                  {"grant_id": grant_id, "store_id": store_id, "agency_org_id": agency_org_id,
                   "org_id": str(owner[0])}, [store_id])
    return True


def _active_grant(con: duckdb.DuckDBPyConnection, store_id: str, agency_org_id: str) -> int | None:
    row = con.execute("SELECT grant_id FROM store_grants WHERE store_id = ? AND agency_org_id = ? "
                      "AND revoked_at_utc IS NULL", [store_id, agency_org_id]).fetchone()
    return None if row is None else int(row[0])


def revoke(ws: Workspace, store_id: str, agency_org_id: str, by: User | str | Origin) -> None:
    """End agency ``agency_org_id``'s access to ``store_id``; its operators lose the store too."""
    origin = Origin.of(by)
    _check_seller_admin(ws, origin, store_id)
    with writing(ws) as con:
        _store_exists(con, store_id, "STORE")
        grant_id = _active_grant(con, store_id, agency_org_id)
        if grant_id is None:
            raise InputError(f"{agency_org_id!r} has no access to {store_id!r} / 该服务商没有此店铺的授权", [Finding(
                "grant.none", f"organisation {agency_org_id!r} holds no grant for store {store_id!r}",
                column="--to", value=agency_org_id, hint="see kpiguard access list")])
        con.execute("UPDATE store_grants SET revoked_by = ?, revoked_at_utc = ? WHERE grant_id = ?",
                    [origin.actor, utc_now(), grant_id])
        owner = con.execute("SELECT org_id FROM store_owners WHERE store_id = ?", [store_id]).fetchone()
        record_in(con, origin, "grant.revoke", f"store:{store_id}",
                  {"grant_id": grant_id, "store_id": store_id, "agency_org_id": agency_org_id,
                   "org_id": str(owner[0]) if owner else None}, [store_id])


def assign_operator(ws: Workspace, email: str, store_id: str, by: User | str | Origin, remove: bool = False) -> bool:
    """Assign an agency operator to a store the agency holds (or ``remove`` the assignment).
    False when nothing changed."""
    origin = Origin.of(by)
    email = email.strip().lower()
    if origin.user is not None:
        require_in(access(ws, origin.user), "manage_users", [store_id])
    with writing(ws) as con:
        row = con.execute("SELECT user_id, org_id, role FROM users WHERE email = ? AND NOT disabled",
                          [email]).fetchone()
        if row is None or (origin.user is not None and row[1] != origin.user.org_id):
            raise NotFoundError(f"no user {email!r} / 用户不存在", [Finding(
                "user.unknown", f"no enabled user has the e-mail {email!r}", column="EMAIL", value=email,
                hint="see kpiguard user list")])
        user_id, org_id, role = int(row[0]), str(row[1]), str(row[2])
        if role != "agency_operator":
            raise InputError(f"{email} is a {role}; only agency operators are assigned stores / 只有代运营操作员需要分配店铺",
                             [Finding("user.not_operator", f"the user's role is {role}", column="EMAIL", value=email,
                                      hint="managers see every store granted to their agency")])
        _store_exists(con, store_id, "--store")
        held = con.execute("SELECT 1 FROM operator_assignments WHERE user_id = ? AND store_id = ?",
                           [user_id, store_id]).fetchone() is not None
        if remove:
            if not held:
                return False
            con.execute("DELETE FROM operator_assignments WHERE user_id = ? AND store_id = ?", [user_id, store_id])
        else:
            if held:
                return False
            if _active_grant(con, store_id, org_id) is None:
                raise InputError(f"the agency {org_id!r} holds no grant for {store_id!r} / 该服务商未获此店铺授权", [Finding(
                    "grant.none", f"organisation {org_id!r} has no access to store {store_id!r}", column="--store",
                    value=store_id, hint=f"the seller grants it first: kpiguard grant {store_id} --to {org_id}")])
            con.execute("INSERT INTO operator_assignments VALUES (?, ?, ?, ?)",
                        [user_id, store_id, origin.actor, utc_now()])
        record_in(con, origin, "operator.unassign" if remove else "operator.assign", f"user:{email}",
                  {"user_id": user_id, "store_id": store_id, "org_id": org_id}, [store_id])
    return True


def listing(ws: Workspace, user: User | None = None) -> Listing:
    """Owners, grants and assignments; with ``user``, only those about stores the user can see."""
    ws.require()
    seen = access(ws, user).stores if user is not None else None
    with ws.connect() as con:
        owners = {str(r[0]): str(r[1]) for r in con.execute(
            "SELECT store_id, org_id FROM store_owners ORDER BY store_id").fetchall()}
        grants = [Grant(int(r[0]), r[1], r[2], r[3], as_utc(r[4]), r[5], as_utc(r[6]) if r[6] else None)
                  for r in con.execute("SELECT grant_id, store_id, agency_org_id, granted_by, granted_at_utc, "
                                       "revoked_by, revoked_at_utc FROM store_grants ORDER BY grant_id").fetchall()]
        assigned = [(str(r[0]), str(r[1]), str(r[2])) for r in con.execute(
            "SELECT u.email, a.store_id, u.org_id FROM operator_assignments a JOIN users u USING (user_id) "
            "ORDER BY u.email, a.store_id").fetchall()]
    if user is not None and seen is not None:
        owners = {s: o for s, o in owners.items() if s in seen}
        # an agency sees its own grants and operators, not those of another agency on the same store
        grants = [g for g in grants if g.store_id in seen
                  and (user.org_kind == "seller" or g.agency_org_id == user.org_id)]
        assigned = [a for a in assigned if a[1] in seen and (user.org_kind == "seller" or a[2] == user.org_id)]
    return Listing(owners, grants, [(e, s) for e, s, _ in assigned])

