"""Amazon Business Reports: child-item and by-date views, every header generation and locale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_business_report as report
from kpiguard.reportgen.model import Product, TrafficRow
from tests.conftest import add_store, rows

BLUE = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle 750ml, Blue", parent_asin="B0D4QPARNT")
BLACK = Product("TWB-750-BLK", "B0D4QCHLD2", "Trail Water Bottle 750ml, Black", parent_asin="B0D4QPARNT")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def traffic(product: Product, sessions: int, sales: str, currency: str = "USD", **kw) -> TrafficRow:
    defaults = {"page_views": sessions + 100, "units_ordered": 10, "order_items": 9}
    return TrafficRow(MARCH[0], MARCH[1], product, sessions=sessions, ordered_sales=Decimal(sales),
                      currency=currency, **{**defaults, **kw})


def by_asin(ws) -> dict[str, dict]:
    return {r["product_id"]: r for r in rows(ws, "traffic")}


def test_current_english_with_b2b_golden(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = report.write_child(tmp_path / "BusinessReport.csv", [
        traffic(BLUE, 1482, "2618.69", page_views=2107, units_ordered=131, order_items=127,
                buy_box_pct=Decimal("0.984"), sessions_b2b=12, units_ordered_b2b=3,
                ordered_sales_b2b=Decimal("59.85")),
        traffic(BLACK, 311, "379.81", page_views=402, units_ordered=19, order_items=19),
    ])
    text = path.read_text(encoding="utf-8-sig")
    assert '"1,482"' in text and '"$2,618.69"' in text and '"98.40%"' in text  # as Amazon prints them
    result = import_file(ws, path, "acme-us", period=MARCH)
    assert result.format_key == "amazon_business_report_child" and result.rows_accepted == 2
    assert result.format_version == "current with B2B" and result.locale == "en"
    blue = by_asin(ws)["B0D4QCHLD1"]
    assert (blue["period_start_local"], blue["period_end_local"]) == MARCH  # from --from/--to
    assert blue["parent_product_id"] == "B0D4QPARNT" and blue["sku"] is None  # no SKU column
    assert blue["sessions"] == 1482 and blue["page_views"] == 2107  # "1,482" -> 1482
    assert blue["units_ordered"] == 131 and blue["order_items"] == 127
    assert blue["ordered_sales_minor"] == 261869  # "$2,618.69" -> 2618.69 USD -> 261869 cents
    assert blue["currency"] == "USD"
    assert blue["buy_box_pct"] == Decimal("0.984")  # "98.40%" -> 0.9840
    assert (blue["sessions_b2b"], blue["units_ordered_b2b"], blue["ordered_sales_b2b_minor"]) == (12, 3, 5985)


def test_without_b2b_columns_and_with_sku(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = report.write_child(tmp_path / "r.csv", [traffic(BLUE, 7, "19.95")], b2b=False, sku=True)
    result = import_file(ws, path, "acme-us", period=MARCH)
    assert result.format_version == "current"
    (row,) = rows(ws, "traffic")
    assert row["sku"] == "TWB-750-BLU" and row["ordered_sales_minor"] == 1995
    assert row["sessions_b2b"] is None and row["ordered_sales_b2b_minor"] is None  # not in the file


def test_old_header_sessions_page_views_buy_box(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = report.write_child(tmp_path / "old.csv", [
        traffic(BLUE, 1234, "1234.50", page_views=2000, buy_box_pct=Decimal("0.5"))], version="old")
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert '"Sessions"' in header and '"Buy Box Percentage"' in header and "Total" not in header.replace("Total Order", "")
    result = import_file(ws, path, "acme-us", period=MARCH)
    assert result.format_version == "old (Sessions, Page Views, Buy Box Percentage) with B2B"  # Units Ordered - B2B
    (row,) = rows(ws, "traffic")
    # "1,234" sessions, "$1,234.50" -> 123450 cents, "50.00%" -> 0.5
    assert (row["sessions"], row["page_views"], row["ordered_sales_minor"]) == (1234, 2000, 123450)
    assert row["buy_box_pct"] == Decimal("0.5")


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_amazon_de_en_dashes_and_decimal_comma(ws, tmp_path, delimiter):
    add_store(ws, "acme-de", "amazon", "DE")
    path = report.write_child(tmp_path / "de.csv", [
        traffic(BLUE, 1482, "5255.61", currency="EUR", ordered_sales_b2b=Decimal("61.00"), sessions_b2b=4)],
        locale="de", delimiter=delimiter)
    text = path.read_text(encoding="utf-8-sig")
    assert "Sitzungen \u2013 Summe" in text and '"5.255,61 €"' in text and '"61,00 €"' in text
    result = import_file(ws, path, "acme-de", period=MARCH)
    assert result.locale == "de"
    (row,) = rows(ws, "traffic")
    assert row["sessions"] == 1482  # counts stay US-style "1,482" in the DE file
    assert row["ordered_sales_minor"] == 525561  # "5.255,61 €" -> 5255.61 EUR
    assert row["ordered_sales_b2b_minor"] == 6100  # "61,00 €": the comma is the decimal separator
    assert row["sessions_b2b"] == 4 and row["currency"] == "EUR"


def test_amazon_co_jp_full_width_brackets_and_yen(ws, tmp_path):
    add_store(ws, "acme-jp", "amazon", "JP")
    path = report.write_child(tmp_path / "jp.csv", [traffic(BLUE, 2048, "12345", currency="JPY")], locale="ja")
    text = path.read_text(encoding="utf-8-sig")
    assert "（子）ASIN" in text and '"￥12,345"' in text
    result = import_file(ws, path, "acme-jp", period=MARCH)
    assert result.locale == "ja"
    (row,) = rows(ws, "traffic")
    assert row["ordered_sales_minor"] == 12345  # JPY has no minor unit: ￥12,345 -> 12345
    assert row["sessions"] == 2048 and row["page_views"] is None  # the JP list has no page views
    assert row["currency"] == "JPY"


def test_chinese_ui_header_with_sku(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = report.write_child(tmp_path / "zh.csv", [traffic(BLACK, 311, "379.81", units_ordered=19)], locale="zh")
    result = import_file(ws, path, "acme-us", period=MARCH)
    assert result.locale == "zh"
    (row,) = rows(ws, "traffic")
    assert row["sku"] == "TWB-750-BLK" and row["product_id"] == "B0D4QCHLD2"
    assert (row["sessions"], row["units_ordered"], row["ordered_sales_minor"]) == (311, 19, 37981)


def test_child_report_without_period_is_refused(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = report.write_child(tmp_path / "r.csv", [traffic(BLUE, 7, "19.95")])
    with pytest.raises(InputError) as err:
        import_file(ws, path, "acme-us")
    assert [f.code for f in err.value.findings] == ["import.period_missing"]
    assert "--from" in (err.value.findings[0].hint or "")
    assert rows(ws, "traffic") == []


def test_euro_report_into_dollar_store_is_refused(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = report.write_child(tmp_path / "de.csv", [traffic(BLUE, 7, "19.95", currency="EUR")], locale="de")
    with pytest.raises(InputError) as err:
        import_file(ws, path, "acme-us", period=MARCH)
    assert {f.code for f in err.value.findings} == {"value.currency"}


def test_by_date_english_one_row_per_day_without_product(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    days = [TrafficRow(date(2026, 3, d), date(2026, 3, d), BLUE, sessions=1000 + d, page_views=1500,
                       units_ordered=40, ordered_sales=Decimal("1798.00"), order_items=38, currency="USD")
            for d in (1, 2)]
    path = report.write_by_date(tmp_path / "bydate.csv", days)
    assert '"03/01/2026"' in path.read_text(encoding="utf-8-sig")
    result = import_file(ws, path, "acme-us")  # dated rows: no --from/--to needed
    assert result.format_key == "amazon_business_report_by_date"
    got = rows(ws, "traffic")
    assert [(r["period_start_local"], r["period_end_local"]) for r in got] == [
        (date(2026, 3, 1), date(2026, 3, 1)), (date(2026, 3, 2), date(2026, 3, 2))]
    assert all(r["product_id"] is None for r in got)
    assert [r["sessions"] for r in got] == [1001, 1002]
    assert got[0]["ordered_sales_minor"] == 179800  # "$1,798.00"


def test_by_date_amazon_de(ws, tmp_path):
    add_store(ws, "acme-de", "amazon", "DE")
    day = TrafficRow(date(2026, 3, 9), date(2026, 3, 9), BLUE, sessions=2500, page_views=3100, units_ordered=70,
                     ordered_sales=Decimal("1234.56"), order_items=66, currency="EUR")
    path = report.write_by_date(tmp_path / "de.csv", [day], locale="de")
    assert '"09.03.2026"' in path.read_text(encoding="utf-8-sig")
    import_file(ws, path, "acme-de")
    (row,) = rows(ws, "traffic")
    assert row["period_start_local"] == date(2026, 3, 9)  # "09.03.2026" is day first
    assert row["ordered_sales_minor"] == 123456 and row["sessions"] == 2500  # "1.234,56 €", "2,500"


def test_reference_example_as_literal_text(ws, tmp_path):
    """The composed US example of the format reference, typed out rather than written by our writer."""
    add_store(ws, "acme-us", "amazon", "US")
    path = tmp_path / "BusinessReport-03.2026.csv"
    path.write_text(
        '"(Parent) ASIN","(Child) ASIN","Title","Sessions - Total","Page Views - Total",'
        '"Featured Offer (Buy Box) Percentage","Units Ordered","Unit Session Percentage","Ordered Product Sales",'
        '"Total Order Items"\n'
        '"B0D4QPARNT","B0D4QCHLD1","Trail Water Bottle 750ml, Blue","1,482","2,107","98.40%","131","8.84%",'
        '"$2,618.69","127"\n', encoding="utf-8-sig")
    import_file(ws, path, "acme-us", period=MARCH)
    (row,) = rows(ws, "traffic")
    assert (row["sessions"], row["page_views"], row["units_ordered"], row["order_items"]) == (1482, 2107, 131, 127)
    assert row["ordered_sales_minor"] == 261869 and row["buy_box_pct"] == Decimal("0.984")
