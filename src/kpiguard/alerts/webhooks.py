"""The webhooks alerts are pushed to: a name, a kind (which robot format), a URL, a secret.

The URL of a robot is itself a credential (DingTalk's access_token, WeCom's key, Feishu's hook
id are in it), so listings show it masked. The secret is stored in the catalog because every
message must be signed with it; it is never printed or written to the ledger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import duckdb

from kpiguard import ledger
from kpiguard.alerts.channels import CHANNELS
from kpiguard.alerts.db import reading, writing
from kpiguard.errors import Finding, InputError, NotFoundError
from kpiguard.workspace import Workspace

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
DEFAULT_MAX_PER_HOUR = 20  # DingTalk and WeCom robots accept 20 a minute; a group reads far fewer


@dataclass(frozen=True)
class Webhook:
    name: str
    kind: str
    url: str
    secret: str | None
    max_per_hour: int
    created_by: str
    created_at_utc: datetime

    def to_dict(self) -> dict[str, object]:
        """For people and JSON: the URL masked, the secret only as "set"."""
        return {"name": self.name, "kind": self.kind, "url": mask_url(self.url),
                "signed": self.secret is not None, "max_per_hour": self.max_per_hour,
                "created_by": self.created_by, "created_at_utc": self.created_at_utc.isoformat()}


def _mask(value: str) -> str:
    return value if len(value) <= 4 else value[:4] + "…"


def mask_url(url: str) -> str:
    """Query values and long path segments (tokens, hook ids) cut to four characters."""
    parts = urlsplit(url)
    path = "/".join(_mask(seg) if len(seg) > 16 else seg for seg in parts.path.split("/"))
    query = "&".join(f"{k}={_mask(v)}" for k, v in parse_qsl(parts.query, keep_blank_values=True))  # for eyes only
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def validate(name: str, kind: str, url: str, secret: str | None, max_per_hour: int) -> list[Finding]:
    problems: list[Finding] = []
    if not NAME.match(name):
        problems.append(Finding("webhook.name", f"{name!r} is not a usable name", column="NAME", value=name,
                                hint="letters, digits, '_', '-', '.'; at most 64 characters"))
    if kind not in CHANNELS:
        problems.append(Finding("webhook.kind", f"unknown kind {kind!r}", column="--kind", value=kind,
                                hint="one of " + ", ".join(sorted(CHANNELS))))
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(Finding("webhook.url", "not an http(s) URL", column="--url", value=url,
                                hint="paste the robot's webhook address, e.g. https://oapi.dingtalk.com/robot/send?access_token=..."))
    if kind == "wecom" and secret:
        problems.append(Finding("webhook.secret", "WeCom group robots have no signing secret: the key in the URL is the credential",
                                column="--secret", hint="leave out --secret for --kind wecom"))
    if secret is not None and not secret.strip():
        problems.append(Finding("webhook.secret", "the secret is empty", column="--secret",
                                hint="copy the robot's signing secret, or leave out --secret"))
    if max_per_hour < 1:
        problems.append(Finding("webhook.rate", f"--max-per-hour {max_per_hour} would never send",
                                column="--max-per-hour", hint="a positive number, e.g. 20"))
    return problems


def add(ws: Workspace, name: str, kind: str, url: str, secret: str | None, actor: str,
        max_per_hour: int = DEFAULT_MAX_PER_HOUR) -> Webhook:
    problems = validate(name, kind, url, secret, max_per_hour)
    if problems:
        raise InputError(f"cannot add webhook {name!r} / 无法添加Webhook", problems)
    hook = Webhook(name, kind, url.strip(), secret.strip() if secret else None, max_per_hour, actor,
                   datetime.now(UTC))
    with writing(ws) as con:
        if con.execute("SELECT 1 FROM webhooks WHERE name = ?", [name]).fetchone():
            raise InputError(f"webhook {name!r} exists / Webhook已存在", [Finding(
                "webhook.exists", f"a webhook named {name!r} already exists", column="NAME",
                hint=f"pick another name, or 'kpiguard webhook remove {name}' first")])
        con.execute("INSERT INTO webhooks VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [hook.name, hook.kind, hook.url, hook.secret, hook.max_per_hour, actor, hook.created_at_utc])
        ledger.append(con, actor, "webhook.added", {k: v for k, v in hook.to_dict().items()
                                                     if k != "created_at_utc"})
    return hook


def remove(ws: Workspace, name: str, actor: str) -> None:
    with writing(ws) as con:
        get_in(con, name)
        con.execute("DELETE FROM webhooks WHERE name = ?", [name])
        ledger.append(con, actor, "webhook.removed", {"name": name})


def _row(r: tuple[object, ...]) -> Webhook:
    created = r[6]
    assert isinstance(created, datetime)
    return Webhook(str(r[0]), str(r[1]), str(r[2]), None if r[3] is None else str(r[3]), int(str(r[4])),
                   str(r[5]), created.astimezone(UTC) if created.tzinfo else created.replace(tzinfo=UTC))


def list_webhooks(ws: Workspace) -> list[Webhook]:
    with reading(ws) as con:
        return all_in(con)


def all_in(con: duckdb.DuckDBPyConnection) -> list[Webhook]:
    rows = con.execute("SELECT * FROM webhooks ORDER BY name").fetchall()
    return [_row(tuple(r)) for r in rows]


def get(ws: Workspace, name: str) -> Webhook:
    with reading(ws) as con:
        return get_in(con, name)


def get_in(con: duckdb.DuckDBPyConnection, name: str) -> Webhook:
    row = con.execute("SELECT * FROM webhooks WHERE name = ?", [name]).fetchone()
    if row is None:
        raise NotFoundError(f"no webhook {name!r} / 没有该Webhook", [Finding(
            "webhook.unknown", f"webhook {name!r} does not exist", column="NAME", hint="see kpiguard webhook list")])
    return _row(tuple(row))
