"""Users: one organisation and one role each, an Argon2 password hash, a language.

``load`` builds the ``User`` the web app passes around (with the organisation's name and kind and,
for an agency operator, the assigned stores). Adding users from the web goes through the same
``add`` with the signed-in ``User`` as ``by``: it may only add to its own organisation and needs
``manage_users``; the CLI (``by`` a plain name) bootstraps any organisation.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import cast

import duckdb

from kpiguard.accounts import passwords
from kpiguard.accounts.audit import Origin, record_in
from kpiguard.accounts.clock import as_utc, utc_now
from kpiguard.accounts.db import next_id, writing
from kpiguard.accounts.model import ROLES, OrgKind, Role, User
from kpiguard.errors import Finding, InputError, NotFoundError
from kpiguard.workspace import Workspace

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
LANGS = ("zh-CN", "en")
# which roles an organisation of each kind can hold (an auditor can sit in either)
ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    "seller": ("seller_admin", "seller_viewer", "auditor"),
    "agency": ("agency_manager", "agency_operator", "auditor"),
}
_USER_SQL = """SELECT u.user_id, u.email, u.name, u.org_id, o.name, o.kind, u.role, u.lang, o.name_zh
               FROM users u JOIN organisations o USING (org_id) WHERE {where} AND NOT u.disabled"""


@dataclass(frozen=True)
class UserRecord:
    """A row of the user list (no hash)."""

    user_id: int
    email: str
    name: str
    org_id: str
    role: str
    lang: str
    created_at: datetime
    disabled: bool

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "created_at": self.created_at.isoformat()}


def normalize_email(email: str) -> str:
    return email.strip().lower()


def load_in(con: duckdb.DuckDBPyConnection, user_id: int) -> User | None:
    """The enabled user with this id, as the web app sees it, or None."""
    row = con.execute(_USER_SQL.format(where="u.user_id = ?"), [user_id]).fetchone()
    return None if row is None else _user(con, row)


def _user(con: duckdb.DuckDBPyConnection, row: tuple[object, ...]) -> User:
    uid, email, name, org_id, org_name, kind, role, lang, org_name_zh = row
    assigned = tuple(r[0] for r in con.execute(
        "SELECT store_id FROM operator_assignments WHERE user_id = ? ORDER BY store_id", [uid]).fetchall())
    return User(int(cast(int, uid)), str(email), str(name), str(org_id), str(org_name), cast(OrgKind, kind),
                cast(Role, role), str(lang), assigned if role == "agency_operator" else (),
                org_name_zh=str(org_name_zh or ""))


def load(ws: Workspace, user_id: int) -> User | None:
    ws.require()
    with ws.connect() as con:
        return load_in(con, user_id)


def by_email(ws: Workspace, email: str) -> User:
    """The enabled user with this e-mail; ``NotFoundError`` when there is none."""
    ws.require()
    with ws.connect() as con:
        row = con.execute(_USER_SQL.format(where="u.email = ?"), [normalize_email(email)]).fetchone()
        if row is None:
            raise unknown(email)
        return _user(con, row)


def unknown(email: str, column: str = "EMAIL") -> NotFoundError:
    return NotFoundError(f"no user {email!r} / 用户不存在", [Finding(
        "user.unknown", f"no enabled user has the e-mail {email!r}", column=column, value=email,
        hint="see kpiguard user list")])


def add(ws: Workspace, email: str, name: str, org_id: str, role: str, password: str,
        by: User | str | Origin, lang: str = "zh-CN") -> User:
    """Add a user. Every problem (e-mail, organisation, role, password) is reported at once."""
    origin = Origin.of(by)
    _check_may_manage(origin, org_id)
    email = normalize_email(email)
    problems = _add_problems(email, name, role, password, lang)
    with writing(ws) as con:
        org = con.execute("SELECT kind FROM organisations WHERE org_id = ?", [org_id]).fetchone()
        if org is None:
            problems.append(Finding("org.unknown", f"organisation {org_id!r} does not exist", column="--org",
                                    value=org_id, hint="see kpiguard org list, or add it with kpiguard org add"))
        elif role in ROLES and role not in ROLES_BY_KIND[str(org[0])]:
            problems.append(Finding("user.role_kind", f"a {org[0]} organisation has no role {role!r}",
                                    column="--role", value=role,
                                    hint=f"one of: {', '.join(ROLES_BY_KIND[str(org[0])])}"))
        if con.execute("SELECT 1 FROM users WHERE email = ?", [email]).fetchone():
            problems.append(Finding("user.exists", f"a user with the e-mail {email!r} exists already / 邮箱已被使用",
                                    column="EMAIL", value=email, hint="see kpiguard user list"))
        if problems:
            raise InputError("the user cannot be added / 无法添加用户", problems)
        user_id = next_id(con, "users", "user_id")
        con.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?, ?, false)",
                    [user_id, email, name.strip(), org_id, role, passwords.hash_password(password), lang, utc_now()])
        record_in(con, origin, "user.add", f"user:{email}",
                  {"user_id": user_id, "email": email, "org_id": org_id, "role": role})
        user = load_in(con, user_id)
    assert user is not None
    return user


def _add_problems(email: str, name: str, role: str, password: str, lang: str) -> list[Finding]:
    problems: list[Finding] = []
    if not EMAIL.match(email):
        problems.append(Finding("user.email", f"{email!r} is not an e-mail address / 邮箱格式错误", column="EMAIL",
                                value=email, hint="e.g. someone@company.example"))
    if not name.strip():
        problems.append(Finding("user.name", "the name is empty / 姓名为空", column="--name",
                                hint="the person's name, e.g. --name 'Chen Jing'"))
    if role not in ROLES:
        problems.append(Finding("user.role", f"unknown role {role!r} / 角色不存在", column="--role", value=role,
                                hint=f"one of: {', '.join(ROLES)}"))
    if lang not in LANGS:
        problems.append(Finding("user.lang", f"unknown language {lang!r}", column="--lang", value=lang,
                                hint="zh-CN or en"))
    weak = passwords.weakness(password, email)
    if weak:
        problems.append(weak)
    return problems


def _check_may_manage(origin: Origin, org_id: str) -> None:
    """A web user adds users only to its own organisation, and only with ``manage_users``."""
    if origin.user is None:
        return
    from kpiguard.accounts.permissions import NotVisible, PermissionDenied, can_role

    if origin.user.org_id != org_id:
        raise NotVisible(f"no organisation {org_id!r} / 组织不存在")
    if not can_role(origin.user, "manage_users"):
        raise PermissionDenied("you may not manage users / 无权管理用户")


def list_all(ws: Workspace, org_id: str | None = None) -> list[UserRecord]:
    ws.require()
    with ws.connect() as con:
        sql = "SELECT user_id, email, name, org_id, role, lang, created_at_utc, disabled FROM users"
        rows = (con.execute(sql + " WHERE org_id = ? ORDER BY email", [org_id]) if org_id
                else con.execute(sql + " ORDER BY org_id, email")).fetchall()
    return [UserRecord(int(r[0]), r[1], r[2], r[3], r[4], r[5], as_utc(r[6]), bool(r[7])) for r in rows]


def set_language(ws: Workspace, user: User, lang: str) -> User:
    """Remember the user's language (zh-CN or en) for pages and e-mails."""
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}", [Finding(
            "user.lang", f"unknown language {lang!r}", column="lang", value=lang, hint="zh-CN or en")])
    with writing(ws) as con:
        con.execute("UPDATE users SET lang = ? WHERE user_id = ?", [lang, user.user_id])
        record_in(con, Origin.of(user), "user.lang", f"user:{user.email}", {"lang": lang, "org_id": user.org_id})
        fresh = load_in(con, user.user_id)
    assert fresh is not None
    return fresh


def set_password(ws: Workspace, email: str, password: str, by: User | str | Origin) -> None:
    """Replace a password (the CLI, or a user changing their own); every session of the user ends."""
    origin = Origin.of(by)
    email = normalize_email(email)
    weak = passwords.weakness(password, email)
    if weak:
        raise InputError("the password cannot be used / 密码不可用", [weak])
    with writing(ws) as con:
        row = con.execute("SELECT user_id, org_id FROM users WHERE email = ?", [email]).fetchone()
        if row is None:
            raise unknown(email)
        if origin.user is not None and origin.user.user_id != row[0]:
            from kpiguard.accounts.permissions import PermissionDenied

            raise PermissionDenied("you may change only your own password / 只能修改自己的密码")
        con.execute("UPDATE users SET password_hash = ? WHERE user_id = ?",
                    [passwords.hash_password(password), row[0]])
        con.execute("DELETE FROM sessions WHERE user_id = ?", [row[0]])
        record_in(con, origin, "user.password", f"user:{email}", {"user_id": int(row[0]), "org_id": row[1]})


def disable(ws: Workspace, email: str, by: User | str | Origin) -> None:
    """Disable a user: sign-in refused, sessions ended, API tokens stop working. The row stays."""
    origin = Origin.of(by)
    email = normalize_email(email)
    with writing(ws) as con:
        row = con.execute("SELECT user_id, org_id FROM users WHERE email = ?", [email]).fetchone()
        if row is None:
            raise unknown(email)
        _check_may_manage(origin, str(row[1]))
        con.execute("UPDATE users SET disabled = true WHERE user_id = ?", [row[0]])
        con.execute("DELETE FROM sessions WHERE user_id = ?", [row[0]])
        record_in(con, origin, "user.disable", f"user:{email}", {"user_id": int(row[0]), "org_id": row[1]})
