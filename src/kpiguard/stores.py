"""Stores: one seller account on one marketplace, with its currency and time zone."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kpiguard import ledger
from kpiguard.errors import Finding, InputError
from kpiguard.marketplaces import MARKETPLACES, PLATFORMS, marketplace
from kpiguard.money import is_known_currency
from kpiguard.workspace import Workspace

STORE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class Store:
    store_id: str
    platform: str
    marketplace: str
    currency: str
    timezone: str
    name: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def validate(store_id: str, platform: str, market: str, currency: str | None, timezone: str | None) -> Store:
    problems: list[Finding] = []
    if not STORE_ID.match(store_id):
        problems.append(Finding("store.id", f"store id {store_id!r} is not allowed", column="ID",
                                hint="use lower-case letters, digits, - and _ (e.g. acme-us)"))
    if platform not in PLATFORMS:
        problems.append(Finding("store.platform", f"unknown platform {platform!r}", column="--platform",
                                hint=f"one of: {', '.join(PLATFORMS)}"))
    if market.upper() not in MARKETPLACES:
        problems.append(Finding("store.marketplace", f"unknown marketplace {market!r}", column="--marketplace",
                                hint=f"one of: {', '.join(sorted(MARKETPLACES))}"))
    if currency and not is_known_currency(currency.upper()):
        problems.append(Finding("store.currency", f"unknown currency {currency!r}", column="--currency",
                                hint="an ISO 4217 code such as USD, EUR, JPY"))
    if timezone:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(Finding("store.timezone", f"unknown time zone {timezone!r}", column="--timezone",
                                    hint="an IANA name such as America/Los_Angeles or Asia/Shanghai"))
    if problems:
        raise InputError("the store cannot be added", problems)
    mp = marketplace(market)
    return Store(store_id, platform, mp.code, (currency or mp.currency).upper(), timezone or mp.timezone)


def add(ws: Workspace, store: Store, actor: str) -> Store:
    ws.require()
    with ws.write_lock(), ws.connect() as con:
        if con.execute("SELECT 1 FROM stores WHERE store_id = ?", [store.store_id]).fetchone():
            raise InputError(f"store {store.store_id!r} exists already", [Finding(
                "store.exists", f"store {store.store_id!r} exists already", column="ID",
                hint="pick another id, or see kpiguard store list")])
        con.execute("BEGIN TRANSACTION")
        con.execute("INSERT INTO stores VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [store.store_id, store.platform, store.marketplace, store.currency, store.timezone,
                     store.name, datetime.now(UTC)])
        ledger.append(con, actor, "store.add", store.to_dict())
        con.execute("COMMIT")
    return store


def list_stores(ws: Workspace) -> list[Store]:
    ws.require()
    with ws.connect(read_only=True) as con:
        rows = con.execute(
            "SELECT store_id, platform, marketplace, currency, timezone, name FROM stores ORDER BY store_id"
        ).fetchall()
    return [Store(*r) for r in rows]
