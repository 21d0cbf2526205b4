"""``kpiguard store add|list``."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from kpiguard import stores
from kpiguard.cli.output import console, print_json
from kpiguard.cli.state import STATE
from kpiguard.ingest.load import current_actor

app = typer.Typer(help="Stores (店铺): one seller account on one marketplace.", no_args_is_help=True)


@app.command("add")
def add_command(
    store_id: Annotated[str, typer.Argument(metavar="ID", help="short id, e.g. acme-us")],
    platform: Annotated[str, typer.Option(help="amazon, ebay, tiktok_shop, shopee, shopify or erp")],
    marketplace: Annotated[str, typer.Option(help="US, DE, JP, UK ...")],
    currency: Annotated[str | None, typer.Option(help="default: the marketplace's currency")] = None,
    timezone: Annotated[str | None, typer.Option(help="default: the marketplace's time zone")] = None,
    name: Annotated[str | None, typer.Option(help="display name")] = None,
    json_out: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Add a store. / 添加店铺"""
    store = stores.validate(store_id, platform, marketplace, currency, timezone)
    if name:
        store = stores.Store(**{**store.to_dict(), "name": name})  # type: ignore[arg-type]
    stores.add(STATE.workspace, store, current_actor())
    if json_out:
        print_json(store.to_dict())
    else:
        console.print(f"added store [bold]{store.store_id}[/]: {store.platform} {store.marketplace}, "
                      f"{store.currency}, {store.timezone}")


@app.command("list")
def list_command(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List stores. / 店铺列表"""
    rows = stores.list_stores(STATE.workspace)
    if json_out:
        print_json([s.to_dict() for s in rows])
        return
    table = Table("store", "platform", "marketplace", "currency", "time zone", "name")
    for s in rows:
        table.add_row(s.store_id, s.platform, s.marketplace, s.currency, s.timezone, s.name or "")
    console.print(table)
