"""``kpiguard org|user|access|grant|token``: organisations, users, who may see which store, API tokens.

The CLI is how a workspace is bootstrapped: whoever may write the workspace folder adds the first
organisations and users; afterwards a seller admin manages access from the web as well. Every
command here writes an audit row and a ledger entry under the OS user's name (or ``$KPIGUARD_USER``).
``register(app)`` adds the groups to the main command in one line. Ownership lives under
``access`` because ``store`` is the stores group (``cli/stores.py``).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from kpiguard.accounts import access, orgs, tokens, users
from kpiguard.accounts.model import ROLES
from kpiguard.cli.output import console, err_console, print_json
from kpiguard.cli.state import STATE
from kpiguard.errors import Finding, InputError
from kpiguard.ingest.load import current_actor

org_app = typer.Typer(help="Organisations (组织): a seller company or an agency.", no_args_is_help=True)
user_app = typer.Typer(help="Users (用户): one organisation and one role each.", no_args_is_help=True)
access_app = typer.Typer(help="Store ownership and who may see which store (店铺归属与授权).", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts (API令牌).", no_args_is_help=True)
JsonOpt = Annotated[bool, typer.Option("--json", help="machine-readable output")]


def register(app: typer.Typer) -> None:
    app.add_typer(org_app, name="org")
    app.add_typer(user_app, name="user")
    app.add_typer(access_app, name="access")
    app.add_typer(token_app, name="token")
    app.command("grant")(grant_command)


def _actor() -> str:
    return f"cli:{current_actor()}"


# -- org -------------------------------------------------------------------------------------
@org_app.command("add")
def org_add(
    org_id: Annotated[str, typer.Argument(metavar="ID", help="short id, e.g. trailco")],
    name: Annotated[str, typer.Option("--name", help="the company's name")],
    kind: Annotated[str, typer.Option("--kind", help="seller or agency")],
    name_zh: Annotated[str | None, typer.Option("--name-zh", help="Chinese name, e.g. 踏行户外")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Add an organisation. / 添加组织"""
    org = orgs.add(STATE.workspace, org_id, name, kind, _actor(), name_zh=name_zh)
    if json_out:
        print_json(org.to_dict())
    else:
        console.print(f"added {org.kind} organisation [bold]{org.org_id}[/]: {org.name}"
                      + (f" / {org.name_zh}" if org.name_zh else ""), highlight=False)


@org_app.command("list")
def org_list(json_out: JsonOpt = False) -> None:
    """List organisations. / 组织列表"""
    rows = orgs.list_all(STATE.workspace)
    if json_out:
        print_json([o.to_dict() for o in rows])
        return
    table = Table("org", "kind", "name", "中文名", title_justify="left")
    for o in rows:
        table.add_row(o.org_id, o.kind, o.name, o.name_zh or "")
    console.print(table)


# -- user ------------------------------------------------------------------------------------
def _password(stdin: bool, given: str | None) -> str:
    if stdin and given is not None:
        raise InputError("give the password one way / 只能用一种方式提供密码", [Finding(
            "password.twice", "both --password and --password-stdin were given", column="--password",
            hint="prefer --password-stdin: a password on the command line shows in the process list")])
    if stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if given is not None:
        return given
    if sys.stdin.isatty():
        return str(typer.prompt("password / 密码", hide_input=True, confirmation_prompt=True))
    raise InputError("no password given / 未提供密码", [Finding(
        "password.missing", "the user needs a password", column="--password-stdin",
        hint="echo \"$PASSWORD\" | kpiguard user add ... --password-stdin")])


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="sign-in e-mail")],
    name: Annotated[str, typer.Option("--name", help="the person's name")],
    org_id: Annotated[str, typer.Option("--org", help="organisation id (kpiguard org list)")],
    role: Annotated[str, typer.Option("--role", help=", ".join(ROLES))],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
    password: Annotated[str | None, typer.Option("--password", help="the password (visible to other local users)")] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh-CN or en")] = "zh-CN",
    json_out: JsonOpt = False,
) -> None:
    """Add a user (bootstrap the first seller admin with this). / 添加用户"""
    secret = _password(password_stdin, password)
    user = users.add(STATE.workspace, email, name, org_id, role, secret, _actor(), lang=lang)
    if json_out:
        print_json({"user_id": user.user_id, "email": user.email, "name": user.name, "org_id": user.org_id,
                    "role": user.role, "lang": user.lang})
    else:
        console.print(f"added user [bold]{user.email}[/] ({user.role}) to {user.org_id}", highlight=False)


@user_app.command("list")
def user_list(org_id: Annotated[str | None, typer.Option("--org", help="only this organisation")] = None,
              json_out: JsonOpt = False) -> None:
    """List users (never passwords). / 用户列表"""
    rows = users.list_all(STATE.workspace, org_id)
    if json_out:
        print_json([u.to_dict() for u in rows])
        return
    table = Table("e-mail", "name", "org", "role", "lang", "disabled", title_justify="left")
    for u in rows:
        table.add_row(u.email, u.name, u.org_id, u.role, u.lang, "yes" if u.disabled else "")
    console.print(table)


@user_app.command("assign")
def user_assign(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="an agency operator")],
    store_id: Annotated[str, typer.Option("--store", help="a store granted to the operator's agency")],
    remove: Annotated[bool, typer.Option("--remove", help="take the store away instead")] = False,
) -> None:
    """Assign an agency operator to a store. / 为代运营操作员分配店铺"""
    changed = access.assign_operator(STATE.workspace, email, store_id, _actor(), remove=remove)
    verb = ("removed" if remove else "assigned") if changed else ("was not assigned" if remove else "already assigned")
    console.print(f"{email}: {store_id} {verb}", highlight=False)


@user_app.command("disable")
def user_disable(email: Annotated[str, typer.Argument(metavar="EMAIL")]) -> None:
    """Disable a user: sign-in, sessions and API tokens stop. / 停用用户"""
    users.disable(STATE.workspace, email, _actor())
    console.print(f"disabled {email}", highlight=False)


@user_app.command("password")
def user_password(
    email: Annotated[str, typer.Argument(metavar="EMAIL")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="read the password from stdin")] = False,
    password: Annotated[str | None, typer.Option("--password", help="the new password")] = None,
) -> None:
    """Set a new password; the user's sessions end. / 重设密码"""
    users.set_password(STATE.workspace, email, _password(password_stdin, password), _actor())
    console.print(f"password of {email} changed; their sessions ended", highlight=False)


# -- access ----------------------------------------------------------------------------------
@access_app.command("assign")
def access_assign(
    store_id: Annotated[str, typer.Argument(metavar="STORE", help="store id (kpiguard store list)")],
    org_id: Annotated[str, typer.Option("--org", help="the seller organisation that owns it")],
) -> None:
    """Record which seller owns a store. / 设置店铺归属"""
    changed = access.assign_owner(STATE.workspace, store_id, org_id, _actor())
    console.print(f"store {store_id} {'now belongs' if changed else 'already belongs'} to {org_id}", highlight=False)


@access_app.command("list")
def access_list(json_out: JsonOpt = False) -> None:
    """Owners, grants (revoked ones too) and operator assignments. / 归属、授权与分配"""
    listing = access.listing(STATE.workspace)
    if json_out:
        print_json(listing.to_dict())
        return
    table = Table("store", "owner", "granted to", "operators", title_justify="left")
    for store_id, owner in listing.owners.items():
        live = [g.agency_org_id for g in listing.grants if g.store_id == store_id and g.revoked_at is None]
        ops = [e for e, s in listing.assignments if s == store_id]
        table.add_row(store_id, owner, ", ".join(live), ", ".join(ops))
    console.print(table)


def grant_command(
    store_id: Annotated[str, typer.Argument(metavar="STORE", help="a store with an owner")],
    to: Annotated[str, typer.Option("--to", help="the agency organisation")],
    revoke: Annotated[bool, typer.Option("--revoke", help="end the access instead")] = False,
) -> None:
    """Grant an agency access to a store (or --revoke it). / 授权服务商访问店铺"""
    if revoke:
        access.revoke(STATE.workspace, store_id, to, _actor())
        console.print(f"{to} no longer has access to {store_id}", highlight=False)
        return
    changed = access.grant(STATE.workspace, store_id, to, _actor())
    console.print(f"{to} {'now has' if changed else 'already had'} access to {store_id}", highlight=False)


# -- token -----------------------------------------------------------------------------------
@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Argument(metavar="EMAIL", help="the user the token acts as")],
    name: Annotated[str, typer.Option("--name", help="what it is for")],
    json_out: JsonOpt = False,
) -> None:
    """Create an API token; it is printed once, keep it. / 创建API令牌（仅显示一次）"""
    token, raw = tokens.create(STATE.workspace, email, name, _actor())
    if json_out:
        print_json({**token.to_dict(), "token": raw})
        return
    sys.stdout.write(raw + "\n")
    err_console.print(f"token {token.token_id} ({token.name}) for {email}: shown once, store it safely; "
                      "send it as 'Authorization: Bearer <token>' / 令牌只显示一次，请妥善保存", highlight=False)


@token_app.command("list")
def token_list(email: Annotated[str | None, typer.Argument(metavar="[EMAIL]")] = None, json_out: JsonOpt = False) -> None:
    """List API tokens (never the secrets). / 令牌列表"""
    user_id = users.by_email(STATE.workspace, email).user_id if email else None
    rows = tokens.list_for(STATE.workspace, user_id)
    if json_out:
        print_json([t.to_dict() for t in rows])
        return
    table = Table("id", "name", "user", "created", "last used", "revoked", title_justify="left")
    for t in rows:
        table.add_row(str(t.token_id), t.name, str(t.user_id), f"{t.created_at:%Y-%m-%d %H:%M}",
                      f"{t.last_used:%Y-%m-%d %H:%M}" if t.last_used else "",
                      f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "")
    console.print(table)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[int, typer.Argument(metavar="TOKEN_ID")]) -> None:
    """Revoke an API token. / 撤销API令牌"""
    tokens.revoke(STATE.workspace, token_id, _actor())
    console.print(f"token {token_id} revoked", highlight=False)
