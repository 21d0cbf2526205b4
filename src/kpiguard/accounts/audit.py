"""The audit log: who changed what, when and from where; each row also enters the ledger.

The ``audit_log`` table is what people read (filterable, with the IP); the ledger entry written in
the same transaction (kind ``audit.<action>``) is what makes it tamper-evident: deleting or editing
an audit row leaves its ledger entry, whose hash chain ``kpiguard verify`` checks.

Who acts is an ``Origin``: a signed-in ``User`` (the web) or a plain actor name (the CLI, which
is trusted as whoever may write the workspace folder).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from kpiguard import ledger
from kpiguard.accounts.clock import as_utc, utc_now
from kpiguard.accounts.db import next_id, writing
from kpiguard.accounts.model import User
from kpiguard.workspace import Workspace


@dataclass(frozen=True)
class Origin:
    """The acting party of a change: a user of the web app or the CLI's actor name."""

    actor: str
    user: User | None = None
    ip: str | None = None

    @classmethod
    def of(cls, by: User | str | Origin, ip: str | None = None) -> Origin:
        if isinstance(by, Origin):
            return by
        if isinstance(by, User):
            return cls(by.email, by, ip)
        return cls(by, None, ip)


@dataclass(frozen=True)
class AuditEntry:
    audit_id: int
    at_utc: datetime
    actor: str
    user_id: int | None
    org_id: str | None
    action: str
    target: str
    stores: tuple[str, ...]
    detail: dict[str, Any] = field(default_factory=dict)
    ip: str | None = None
    ledger_seq: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"audit_id": self.audit_id, "at_utc": self.at_utc.isoformat(), "actor": self.actor,
                "user_id": self.user_id, "org_id": self.org_id, "action": self.action, "target": self.target,
                "stores": list(self.stores), "detail": self.detail, "ip": self.ip, "ledger_seq": self.ledger_seq}


def record_in(con: duckdb.DuckDBPyConnection, origin: Origin, action: str, target: str,
              detail: dict[str, Any] | None = None, stores: Iterable[str] = (),
              at: datetime | None = None) -> AuditEntry:
    """Write one audit row and its ledger entry inside the caller's transaction."""
    audit_id = next_id(con, "audit_log", "audit_id")
    when = at or utc_now()
    user = origin.user
    store_list = tuple(sorted(set(stores)))
    body = detail or {}
    entry = ledger.append(con, origin.actor, f"audit.{action}", {
        "audit_id": audit_id, "action": action, "target": target, "stores": list(store_list), "detail": body,
        "ip": origin.ip, "user_id": user.user_id if user else None, "org_id": user.org_id if user else None})
    con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [audit_id, when, origin.actor, user.user_id if user else None, user.org_id if user else None,
                 action, target, ledger.canonical_json(list(store_list)), ledger.canonical_json(body),
                 origin.ip, entry.seq])
    return AuditEntry(audit_id, when, origin.actor, user.user_id if user else None,
                      user.org_id if user else None, action, target, store_list, body, origin.ip, entry.seq)


def record(ws: Workspace, by: User | str | Origin, action: str, target: str,
           detail: dict[str, Any] | None = None, stores: Iterable[str] = (), ip: str | None = None) -> AuditEntry:
    """Write one audit row (and its ledger entry) in a transaction of its own."""
    with writing(ws) as con:
        return record_in(con, Origin.of(by, ip), action, target, detail, stores)


def entries(ws: Workspace, user: User, limit: int = 200, before_id: int | None = None) -> list[AuditEntry]:
    """The audit rows ``user`` may read, newest first: their organisation's own actions, changes made
    to their organisation (``detail["org_id"]``, e.g. a user added from the CLI), and anyone's actions
    on stores all of which the user can see (a seller reads what its agency did).

    Needs ``audit_read``; anyone else gets ``PermissionDenied``.
    """
    # permissions reads plans, which the CLI's account commands need not load
    from kpiguard.accounts import permissions

    permissions.require(ws, user, "audit_read")
    mine = set(permissions.visible_stores(ws, user))
    out: list[AuditEntry] = []
    with ws.connect() as con:
        rows = con.execute(
            "SELECT audit_id, at_utc, actor, user_id, org_id, action, target, stores_json, detail_json, ip, "
            "ledger_seq FROM audit_log WHERE audit_id < ? ORDER BY audit_id DESC",
            [before_id if before_id is not None else 2**62]).fetchall()
    for r in rows:
        stores, detail = tuple(json.loads(r[7])), json.loads(r[8])
        if r[4] == user.org_id or detail.get("org_id") == user.org_id or (stores and set(stores) <= mine):
            out.append(AuditEntry(int(r[0]), as_utc(r[1]), r[2], r[3], r[4], r[5], r[6], stores, detail,
                                  r[9], int(r[10])))
            if len(out) >= limit:
                break
    return out


def problems(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Audit rows that disagree with their ledger entries, and ledger entries whose audit row is gone.

    The ledger's own chain (``ledger.chain_problems``) proves the ledger untouched; this proves the
    readable audit log still says what the ledger recorded."""
    found: list[str] = []
    by_seq = {e.seq: e for e in ledger.entries(con) if e.kind.startswith("audit.")}
    rows = con.execute("SELECT audit_id, actor, action, target, stores_json, detail_json, ip, ledger_seq "
                       "FROM audit_log ORDER BY audit_id").fetchall()
    seen: set[int] = set()
    for audit_id, actor, action, target, stores_json, detail_json, ip, seq in rows:
        entry = by_seq.get(int(seq))
        seen.add(int(seq))
        if entry is None:
            found.append(f"audit row {audit_id} ({action}) points to ledger entry {seq}, which is not an audit entry")
            continue
        p = entry.payload
        recorded = (entry.actor, entry.kind, p.get("audit_id"), p.get("target"), p.get("stores"), p.get("detail"),
                    p.get("ip"))
        shown = (actor, f"audit.{action}", audit_id, target, json.loads(stores_json), json.loads(detail_json), ip)
        if recorded != shown:
            found.append(f"audit row {audit_id} ({action}) differs from ledger entry {seq}: it was changed")
    for seq, entry in sorted(by_seq.items()):
        if seq not in seen:
            found.append(f"ledger entry {seq} ({entry.kind}) has no audit row: audit row "
                         f"{entry.payload.get('audit_id')} was deleted")
    return found
