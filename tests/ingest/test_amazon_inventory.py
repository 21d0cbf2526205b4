"""Manage FBA Inventory: a snapshot stamped with the import time (mocked clock) or a given day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest import format as format_module
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_inventory
from kpiguard.reportgen.model import InventoryRow, Product
from tests.conftest import add_store, current_rows, rows

BLUE = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle 750ml, Blue", fnsku="X004KQ7ZP1")
BLACK = Product("TWB-750-BLK", "B0D4QCHLD2", "Trail Water Bottle 750ml, Black", fnsku="X004KQ7ZP2")


def freeze_clock(monkeypatch, moment: datetime) -> None:
    """The import time is the snapshot time: fix the clock the import context reads."""

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)

    monkeypatch.setattr(format_module, "datetime", Frozen)


def stock(product: Product = BLUE, fulfillable: int = 377, **kw) -> InventoryRow:
    return InventoryRow(product, fulfillable, **{"reserved": 32, "unsellable": 3, "inbound": 238,
                                                 "price": Decimal("19.95"), **kw})


def test_snapshot_near_local_midnight_golden(ws, tmp_path, monkeypatch):
    add_store(ws, "acme-us", "amazon", "US")
    # imported at 07:30 UTC on 5 March: 23:30 on the 4th in Los Angeles, so the snapshot is the 4th
    moment = datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
    freeze_clock(monkeypatch, moment)
    path = amazon_inventory.write(tmp_path / "inventory.txt", [stock(), stock(BLACK, 0, reserved=0, inbound=0)])
    assert "\t412\t377\t3\t32\t650\t" in path.read_text(encoding="utf-8")  # 377 + 3 + 32; 412 + 238
    result = import_file(ws, path, "acme-us")
    assert result.format_key == "amazon_fba_inventory" and result.format_version == "current (21 columns)"
    blue, black = rows(ws, "inventory_snapshots")
    assert blue["snapshot_at_utc"] == moment and blue["snapshot_date_local"] == date(2026, 3, 4)
    assert (blue["sku"], blue["product_id"]) == ("TWB-750-BLU", "B0D4QCHLD1")
    assert (blue["fulfillable_qty"], blue["reserved_qty"], blue["unsellable_qty"]) == (377, 32, 3)
    assert blue["total_qty"] == 412 and blue["inbound_qty"] == 238  # on hand; inbound kept apart
    assert blue["price_minor"] == 1995 and blue["currency"] == "USD"
    assert (black["fulfillable_qty"], black["total_qty"]) == (0, 3)  # a stocked-out SKU: 3 unsellable


def test_a_given_day_dates_the_snapshot(ws, tmp_path, monkeypatch):
    add_store(ws, "acme-us", "amazon", "US")
    freeze_clock(monkeypatch, datetime(2026, 3, 20, 18, 0, tzinfo=UTC))
    path = amazon_inventory.write(tmp_path / "inventory.txt", [stock()])
    import_file(ws, path, "acme-us", period=(date(2026, 3, 1), date(2026, 3, 1)))
    (row,) = rows(ws, "inventory_snapshots")
    assert row["snapshot_date_local"] == date(2026, 3, 1)  # the day given, not the import day (20th)
    assert row["snapshot_at_utc"] is None  # the time of download is not known


def test_a_range_of_days_is_refused(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = amazon_inventory.write(tmp_path / "inventory.txt", [stock()])
    with pytest.raises(InputError) as err:
        import_file(ws, path, "acme-us", period=(date(2026, 3, 1), date(2026, 3, 31)))
    assert [f.code for f in err.value.findings] == ["import.snapshot_range"]
    assert rows(ws, "inventory_snapshots") == []


def test_old_18_column_header_and_later_snapshot_of_the_day_wins(ws, tmp_path, monkeypatch):
    add_store(ws, "acme-us", "amazon", "US")
    freeze_clock(monkeypatch, datetime(2026, 3, 5, 16, 0, tzinfo=UTC))  # 08:00 PST on the 5th
    morning = amazon_inventory.write(tmp_path / "am.txt", [stock(fulfillable=377)], version="old18")
    assert len(morning.read_text(encoding="utf-8").splitlines()[0].split("\t")) == 18
    result = import_file(ws, morning, "acme-us")
    assert result.format_version == "old (18 columns)"
    freeze_clock(monkeypatch, datetime(2026, 3, 5, 23, 0, tzinfo=UTC))  # 15:00 PST, same day
    import_file(ws, amazon_inventory.write(tmp_path / "pm.txt", [stock(fulfillable=360)], version="old18"), "acme-us")
    (latest,) = current_rows(ws, "inventory_snapshots")
    assert latest["snapshot_date_local"] == date(2026, 3, 5)
    assert latest["fulfillable_qty"] == 360 and latest["total_qty"] == 360 + 32 + 3
