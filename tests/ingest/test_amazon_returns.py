"""Amazon FBA customer returns: one refunds row per returned unit (LPN), local day of the return."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_returns
from kpiguard.reportgen.model import Product, Refund
from tests.conftest import add_store, current_rows, rows

BLUE = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle 750ml, Blue", fnsku="X004KQ7ZP1")
ORDER = "113-4827710-3301928"


def unit(lpn: str, at: datetime, disposition: str = "SELLABLE", reason: str = "UNWANTED_ITEM") -> Refund:
    return Refund(lpn, ORDER, BLUE, at, 1, Decimal("0"), "USD", reason=reason, disposition=disposition)


def test_two_units_of_one_order_are_two_returns(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    # 07:30 UTC on 5 March is 23:30 on the 4th in Los Angeles (PST); 08:10 UTC is 00:10 on the 5th
    first = unit("LPNRR918273645", datetime(2026, 3, 5, 7, 30, tzinfo=UTC))
    second = unit("LPNRR918273646", datetime(2026, 3, 5, 8, 10, tzinfo=UTC), "CUSTOMER_DAMAGED", "DEFECTIVE")
    path = amazon_returns.write(tmp_path / "returns.txt", [first, second])
    assert "2026-03-05T07:30:00+00:00\t" + ORDER in path.read_text(encoding="utf-8")
    result = import_file(ws, path, "acme-us")
    assert result.format_key == "amazon_fba_returns" and result.rows_accepted == 2
    a, b = rows(ws, "refunds")
    assert a["refund_id"] == f"{ORDER}:LPNRR918273645" and b["refund_id"] == f"{ORDER}:LPNRR918273646"
    assert (a["kind"], a["quantity"], a["amount_minor"], a["currency"]) == ("return", 1, None, "USD")
    assert (a["sku"], a["product_id"], a["order_id"]) == ("TWB-750-BLU", "B0D4QCHLD1", ORDER)
    assert a["refunded_at_utc"] == datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
    assert a["refund_date_local"] == date(2026, 3, 4) and b["refund_date_local"] == date(2026, 3, 5)
    assert (a["reason"], a["disposition"]) == ("UNWANTED_ITEM", "SELLABLE")
    assert (b["reason"], b["disposition"]) == ("DEFECTIVE", "CUSTOMER_DAMAGED")


def test_reimport_in_a_later_report_does_not_add_returns(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    first = unit("LPN1", datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    later = unit("LPN2", datetime(2026, 3, 20, 12, 0, tzinfo=UTC))
    import_file(ws, amazon_returns.write(tmp_path / "a.txt", [first]), "acme-us")
    import_file(ws, amazon_returns.write(tmp_path / "b.txt", [first, later]), "acme-us")
    assert sorted(r["refund_id"] for r in current_rows(ws, "refunds")) == [f"{ORDER}:LPN1", f"{ORDER}:LPN2"]


def test_rows_without_license_plate_stay_distinct(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    at = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    path = amazon_returns.write(tmp_path / "r.txt", [unit("", at), unit("", at)])
    import_file(ws, path, "acme-us")
    ids = [r["refund_id"] for r in current_rows(ws, "refunds")]
    # two identical units of one order returned the same second: numbered, not merged
    assert len(ids) == 2 and len(set(ids)) == 2 and all(i.startswith(f"{ORDER}:TWB-750-BLU@") for i in ids)
