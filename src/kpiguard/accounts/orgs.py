"""Organisations: a seller company, which owns stores, or an agency, which is granted some of them."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from kpiguard.accounts.audit import Origin, record_in
from kpiguard.accounts.clock import utc_now
from kpiguard.accounts.db import writing
from kpiguard.accounts.model import User
from kpiguard.errors import Finding, InputError, NotFoundError
from kpiguard.workspace import Workspace

ORG_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
KINDS = ("seller", "agency")


@dataclass(frozen=True)
class Organisation:
    org_id: str
    name: str
    kind: str  # seller | agency
    name_zh: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def label(self, lang: str = "en") -> str:
        return (self.name_zh or self.name) if lang.lower().startswith("zh") else self.name


def add(ws: Workspace, org_id: str, name: str, kind: str, by: User | str | Origin,
        name_zh: str | None = None) -> Organisation:
    """Add an organisation. Only the CLI may (a web user cannot create organisations)."""
    origin = Origin.of(by)
    if origin.user is not None:
        from kpiguard.accounts.permissions import PermissionDenied

        raise PermissionDenied("organisations are added with 'kpiguard org add' / 组织只能通过命令行添加")
    problems: list[Finding] = []
    if not ORG_ID.match(org_id):
        problems.append(Finding("org.id", f"organisation id {org_id!r} is not allowed", column="ID", value=org_id,
                                hint="lower-case letters, digits, - and _ (e.g. trailco) / 小写字母、数字、-、_"))
    if kind not in KINDS:
        problems.append(Finding("org.kind", f"unknown kind {kind!r}", column="--kind", value=kind,
                                hint="seller (卖家) or agency (服务商)"))
    if not name.strip():
        problems.append(Finding("org.name", "the name is empty / 名称为空", column="--name",
                                hint="the company's name, e.g. --name 'TrailCo Outdoor Ltd'"))
    if problems:
        raise InputError("the organisation cannot be added / 无法添加组织", problems)
    org = Organisation(org_id, name.strip(), kind, (name_zh or "").strip() or None)
    with writing(ws) as con:
        if con.execute("SELECT 1 FROM organisations WHERE org_id = ?", [org_id]).fetchone():
            raise InputError(f"organisation {org_id!r} exists already / 组织已存在", [Finding(
                "org.exists", f"organisation {org_id!r} exists already", column="ID", value=org_id,
                hint="pick another id, or see kpiguard org list")])
        con.execute("INSERT INTO organisations VALUES (?, ?, ?, ?, ?)",
                    [org.org_id, org.name, org.name_zh, org.kind, utc_now()])
        record_in(con, origin, "org.add", f"org:{org_id}", {**org.to_dict()})
    return org


def get(ws: Workspace, org_id: str) -> Organisation:
    ws.require()
    with ws.connect() as con:
        row = con.execute("SELECT org_id, name, kind, name_zh FROM organisations WHERE org_id = ?",
                          [org_id]).fetchone()
    if row is None:
        raise unknown(org_id, "--org")
    return Organisation(*row)


def list_all(ws: Workspace) -> list[Organisation]:
    ws.require()
    with ws.connect() as con:
        rows = con.execute("SELECT org_id, name, kind, name_zh FROM organisations ORDER BY org_id").fetchall()
    return [Organisation(*r) for r in rows]


def unknown(org_id: str, column: str) -> NotFoundError:
    return NotFoundError(f"no organisation {org_id!r} / 组织不存在", [Finding(
        "org.unknown", f"organisation {org_id!r} does not exist", column=column, value=org_id,
        hint="see kpiguard org list, or add it with kpiguard org add")])
