"""eBay orders report: bare-comma preamble, summary and footer rows, dates without time or zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import ebay_orders
from kpiguard.reportgen.model import OrderLine, Product
from tests.conftest import add_store, rows

# The reference's example (section 7c), selected columns.
REFERENCE_EXAMPLE = """\
,,,,,,,
Sales Record Number,Order Number,Buyer Username,Item Number,Item Title,Custom Label,Sold Via Promoted Listings,Quantity,Sold For,Shipping And Handling,Total Price,Sale Date,Paid On Date
,,,,,,,
5214,04-11873-40215,trailfan_88,,,,,,,$6.50,$46.40,Mar-05-26,Mar-05-26
5214,04-11873-40215,trailfan_88,296318840021,Trail Water Bottle 750ml Blue,TWB-750-BLU,No,1,$19.95,,,Mar-05-26,Mar-05-26
5214,04-11873-40215,trailfan_88,296318840107,Bottle Brush Long Handle,BRUSH-01,Yes,1,$19.95,,,Mar-05-26,Mar-05-26
1,record(s) downloaded,from Mar-01-26 to Mar-31-26
Seller ID : example_seller
"""

CUP = Product("CUP-01", "296318840300", "Camping Cup")
PLATE = Product("PLATE-01", "296318840301", "Camping Plate")
BOWL = Product("BOWL-01", "296318840302", "Camping Bowl")


def line(order_id: str, at: datetime, product: Product, price: str, currency: str = "USD",
         status: str = "shipped", line_no: int = 1, **kw) -> OrderLine:
    return OrderLine(order_id, line_no, at, at, status, product, 1, Decimal(price), currency, **kw)


def test_reference_example_skips_layout_rows_and_spreads_summary_shipping(ws, tmp_path):
    add_store(ws, "trail-ebay", "ebay", "US")
    path = tmp_path / "eBay-OrdersReport.csv"
    path.write_text(REFERENCE_EXAMPLE, encoding="utf-8")
    result = import_file(ws, path, "trail-ebay")
    assert result.rows_accepted == 2
    assert result.skipped_reasons == {
        "blank row": 1, "order summary row of a multi-item order (totals, no item)": 1,
        "footer: record count": 1, "footer: seller id": 1,
    }
    bottle, brush = rows(ws, "order_lines")
    assert bottle["order_id"] == "04-11873-40215" and bottle["line_id"] == "296318840021"
    assert bottle["item_price_minor"] == 1995  # $19.95 x 1
    # The summary's $6.50 = 650 split by weights 1995 : 1995 -> 325 and 650 - 325 = 325.
    assert (bottle["shipping_minor"], brush["shipping_minor"]) == (325, 325)
    # "Mar-05-26" is the local day: midnight in Los Angeles (PST, UTC-8) = 08:00 UTC.
    assert bottle["purchased_at_utc"] == datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
    assert bottle["order_date_local"] == date(2026, 3, 5)
    assert bottle["order_status"] == "unshipped"  # paid, no Shipped On Date
    assert bottle["sku"] == "TWB-750-BLU" and bottle["currency"] == "USD"


def test_writer_us_allocation_remainder_and_single_item_order(ws, tmp_path):
    add_store(ws, "trail-ebay", "ebay", "US")
    # 07:30 UTC on 5 March is 23:30 on 4 March in Los Angeles: the Sale Date reads Mar-04-26.
    late = datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
    lines = [
        line("04-1", late, CUP, "10.00", shipping=Decimal("1.00")),
        line("04-1", late, PLATE, "10.00", line_no=2),
        line("04-1", late, BOWL, "10.00", line_no=3),
        line("04-2", late, CUP, "12.50", status="pending", shipping=Decimal("3.00"), tax=Decimal("1.10")),
    ]
    path = ebay_orders.write(tmp_path / "orders.csv", lines, site="US")
    result = import_file(ws, path, "trail-ebay")
    assert result.rows_accepted == 4 and result.rows_skipped == 4  # blank, summary, 2 footer lines
    got = {(r["order_id"], r["sku"]): r for r in rows(ws, "order_lines")}
    # $1.00 over three $10.00 items: 100 * 1000 / 3000 = 33.3 -> 33, 33, and the last 100 - 66 = 34.
    assert [got[("04-1", s)]["shipping_minor"] for s in ("CUP-01", "PLATE-01", "BOWL-01")] == [33, 33, 34]
    single = got[("04-2", "CUP-01")]
    assert single["shipping_minor"] == 300 and single["item_tax_minor"] == 110  # on its own row
    assert single["order_status"] == "pending" and got[("04-1", "CUP-01")]["order_status"] == "shipped"
    # Mar-04-26 -> midnight PST on 4 March = 08:00 UTC on 4 March.
    assert single["order_date_local"] == date(2026, 3, 4)
    assert single["purchased_at_utc"] == datetime(2026, 3, 4, 8, 0, tzinfo=UTC)


def test_uk_postage_and_handling_near_midnight(ws, tmp_path):
    add_store(ws, "trail-uk", "ebay", "UK")
    # 23:30 UTC on 10 June is 00:30 BST on 11 June in London: the Sale Date reads Jun-11-26.
    at = datetime(2026, 6, 10, 23, 30, tzinfo=UTC)
    path = ebay_orders.write(tmp_path / "uk.csv", [line("12-9", at, CUP, "8.40", "GBP", shipping=Decimal("2.95"))],
                             site="UK")
    assert "Postage And Handling" in path.read_text() and "£8.40" in path.read_text()
    result = import_file(ws, path, "trail-uk")
    assert result.locale == "en_gb"
    (stored,) = rows(ws, "order_lines")
    assert stored["order_date_local"] == date(2026, 6, 11)
    # midnight BST (UTC+1) on 11 June is 23:00 UTC on 10 June
    assert stored["purchased_at_utc"] == datetime(2026, 6, 10, 23, 0, tzinfo=UTC)
    assert stored["shipping_minor"] == 295 and stored["currency"] == "GBP"


def test_unparseable_summary_shipping_is_reported_on_the_items(ws, tmp_path):
    add_store(ws, "trail-ebay", "ebay", "US")
    path = tmp_path / "bad.csv"
    path.write_text(REFERENCE_EXAMPLE.replace("$6.50", "$6.5O"), encoding="utf-8")  # letter O
    with pytest.raises(InputError) as err:
        import_file(ws, path, "trail-ebay")
    assert {(f.row, f.column) for f in err.value.findings} == {(5, "Shipping And Handling"), (6, "Shipping And Handling")}
