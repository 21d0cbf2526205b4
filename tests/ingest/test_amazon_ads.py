"""Amazon Ads console reports: CSV and XLSX, summary and daily, current and older headers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_ads
from kpiguard.reportgen.model import AdRow, Product
from tests.conftest import add_store, rows

BLUE = Product("TWB-750-BLU", "B0D4QCHLD1", "Trail Water Bottle 750ml, Blue")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))


def ad(start: date = MARCH[0], end: date = MARCH[1], **kw) -> AdRow:
    base = {"campaign": "SP - Bottle - Exact", "ad_group": "Exact KW", "product": BLUE, "impressions": 4210,
            "clicks": 63, "spend": Decimal("57.96"), "sales": Decimal("239.60"), "orders": 8, "units": 8,
            "currency": "USD", "targeting": "insulated bottle", "match_type": "EXACT",
            "search_term": "insulated water bottle 750ml", "portfolio": "Bottles"}
    return AdRow(start, end, **{**base, **kw})


def test_search_term_csv_current_golden(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = amazon_ads.write_search_term(tmp_path / "st.csv", [
        ad(), ad(search_term="*", targeting="close-match", match_type="-", impressions=1200, clicks=9,
                 spend=Decimal("1234.56"), sales=Decimal("0"), orders=0, units=0)])
    text = path.read_text(encoding="utf-8")
    assert "7 Day Total Sales ," in text and '"Mar 01, 2026"' in text and '"4,210"' in text
    assert "$57.96" in text and "24.19%" in text  # ACOS 57.96 / 239.60 = 24.19%
    result = import_file(ws, path, "acme-us")
    assert result.format_key == "amazon_ads_search_term"
    assert result.format_version == "current, summary, 7-day attribution"
    first, star = rows(ws, "ad_performance")
    assert (first["period_start_local"], first["period_end_local"]) == MARCH
    assert (first["ad_type"], first["report_kind"], first["attribution_days"]) == ("SP", "search_term", 7)
    assert (first["campaign"], first["ad_group"], first["targeting"], first["match_type"]) == (
        "SP - Bottle - Exact", "Exact KW", "insulated bottle", "EXACT")
    assert first["search_term"] == "insulated water bottle 750ml" and first["product_id"] is None
    assert (first["impressions"], first["clicks"], first["orders"], first["units"]) == (4210, 63, 8, 8)
    assert first["spend_minor"] == 5796 and first["sales_minor"] == 23960  # $57.96, $239.60 in cents
    assert first["currency"] == "USD"
    assert star["search_term"] == "*"  # a placement without keyword, kept as written
    assert star["spend_minor"] == 123456 and star["sales_minor"] == 0  # "$1,234.56", "$0.00"


def test_advertised_product_xlsx_daily_older_header(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    days = [ad(date(2026, 3, 4), date(2026, 3, 4), impressions=1822, clicks=27, spend=Decimal("24.03"),
               sales=Decimal("119.80"), orders=4, units=5),
            ad(date(2026, 3, 5), date(2026, 3, 5), impressions=10, clicks=1, spend=Decimal("0.87"),
               sales=Decimal("0"), orders=0, units=0)]
    path = amazon_ads.write_advertised_product(tmp_path / "ap.xlsx", days, fmt="xlsx", time_unit="daily",
                                               header_era="old")
    result = import_file(ws, path, "acme-us")
    assert result.format_key == "amazon_ads_advertised_product"
    assert result.format_version == "older (no Retailer/Country), daily, 7-day attribution"
    first, second = rows(ws, "ad_performance")
    # a daily row covers one day: start = end = the typed Date cell
    assert (first["period_start_local"], first["period_end_local"]) == (date(2026, 3, 4), date(2026, 3, 4))
    assert second["period_start_local"] == date(2026, 3, 5)
    assert (first["sku"], first["product_id"], first["search_term"]) == ("TWB-750-BLU", "B0D4QCHLD1", None)
    assert first["spend_minor"] == 2403 and first["sales_minor"] == 11980  # typed 24.03 and 119.8
    assert (first["impressions"], first["clicks"], first["orders"], first["units"]) == (1822, 27, 4, 5)
    assert second["spend_minor"] == 87


@pytest.mark.parametrize("style", ["text", "iso", "us"])
def test_date_cell_formats(ws, tmp_path, style):
    add_store(ws, "acme-us", "amazon", "US")
    path = amazon_ads.write_advertised_product(tmp_path / "ap.csv", [ad()], date_style=style)
    import_file(ws, path, "acme-us")
    (row,) = rows(ws, "ad_performance")
    assert (row["period_start_local"], row["period_end_local"]) == MARCH  # Mar 01 / 2026-03-01 / 03/01/2026


def test_fourteen_day_window_from_the_header(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = amazon_ads.write_advertised_product(tmp_path / "sd.csv", [ad(attribution_days=14)])
    assert "14 Day Total Sales " in path.read_text(encoding="utf-8")
    result = import_file(ws, path, "acme-us")
    assert result.format_version == "current, summary, 14-day attribution"
    (row,) = rows(ws, "ad_performance")
    assert row["attribution_days"] == 14 and row["ad_type"] == "SD"
    assert row["sales_minor"] == 23960


def test_search_term_xlsx_typed_cells(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = amazon_ads.write_search_term(tmp_path / "st.xlsx", [ad()], fmt="xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    acos = sheet.cell(row=2, column=header.index("Total Advertising Cost of Sales (ACOS) ") + 1)
    assert acos.value == 0.2419 and acos.number_format == "0.00%"  # 57.96 / 239.60, typed, not "24.19%"
    import_file(ws, path, "acme-us")
    (row,) = rows(ws, "ad_performance")
    assert (row["period_start_local"], row["period_end_local"]) == MARCH  # typed date cells
    assert row["spend_minor"] == 5796 and row["match_type"] == "EXACT"  # typed 57.96


def test_reference_example_as_literal_text(ws, tmp_path):
    """The composed search-term example of the format reference, typed out (note the trailing spaces)."""
    add_store(ws, "acme-us", "amazon", "US")
    path = tmp_path / "st.csv"
    path.write_text(
        "Start Date,End Date,Portfolio name,Currency,Campaign Name,Ad Group Name,Retailer,Country,Targeting,"
        "Match Type,Customer Search Term,Impressions,Clicks,Click-Thru Rate (CTR),Cost Per Click (CPC),Spend,"
        "7 Day Total Sales ,Total Advertising Cost of Sales (ACOS) ,Total Return on Advertising Spend (ROAS),"
        "7 Day Total Orders (#),7 Day Total Units (#),7 Day Conversion Rate,7 Day Advertised SKU Units (#),"
        "7 Day Other SKU Units (#),7 Day Advertised SKU Sales ,7 Day Other SKU Sales \n"
        '"Mar 01, 2026","Mar 31, 2026",Bottles,USD,SP - Bottle - Exact,Exact KW,Amazon,United States,'
        'insulated bottle,EXACT,insulated water bottle 750ml,"4,210",63,1.50%,$0.92,$57.96,$239.60,24.19%,4.13,'
        "8,8,12.70%,7,1,$209.65,$29.95\n", encoding="utf-8")
    import_file(ws, path, "acme-us")
    (row,) = rows(ws, "ad_performance")
    assert (row["period_start_local"], row["period_end_local"]) == MARCH
    assert (row["impressions"], row["clicks"], row["spend_minor"], row["sales_minor"]) == (4210, 63, 5796, 23960)
    assert (row["orders"], row["units"], row["attribution_days"], row["ad_type"]) == (8, 8, 7, "SP")
