"""Write Amazon Ads console reports (Advertised product, Search term) as CSV or XLSX.

Options mirror what the console offers and what changed over the years:
- ``fmt``: ``csv`` (money ``"$1,234.56"``, percentages ``"24.19%"``, counts ``"4,210"``) or ``xlsx``
  (typed numbers; CTR/ACOS/conversion as fractions with a percent number format, dates as dates);
- ``time_unit``: ``summary`` (``Start Date``/``End Date``) or ``daily`` (one ``Date`` column);
- ``header_era``: ``current`` (with ``Retailer``/``Country``, ``(ACOS)``/``(ROAS)``) or ``old``
  (without them, ``(ACoS)``/``(RoAS)``);
- ``date_style`` for CSV dates, which the reference could not confirm: ``text`` ``"Mar 01, 2026"``,
  ``iso`` ``"2026-03-01"`` or ``us`` ``"03/01/2026"``.
The attribution window in the headers (``7 Day`` / ``14 Day``) comes from the rows. Money headers
end in a space, as the console writes them (``"7 Day Total Sales "``).
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from kpiguard.reportgen.model import AdRow

SYMBOLS = {"USD": "$", "CAD": "$", "GBP": "£", "EUR": "€", "JPY": "￥"}
DATE_STYLES = {"text": "%b %d, %Y", "iso": "%Y-%m-%d", "us": "%m/%d/%Y"}
COUNTRIES = {"USD": "United States", "CAD": "Canada", "GBP": "United Kingdom", "EUR": "Germany", "JPY": "Japan"}
KIND_COLUMNS = {
    "advertised_product": ["Advertised SKU", "Advertised ASIN"],
    "search_term": ["Targeting", "Match Type", "Customer Search Term"],
}


def header(kind: str, days: int, time_unit: str, header_era: str) -> list[str]:
    """The column names, in the console's order, for one report kind and variant."""
    dates = ["Start Date", "End Date"] if time_unit == "summary" else ["Date"]
    where = ["Retailer", "Country"] if header_era == "current" else []
    acos, roas = ("ACOS", "ROAS") if header_era == "current" else ("ACoS", "RoAS")
    return dates + ["Portfolio name", "Currency", "Campaign Name", "Ad Group Name"] + where + KIND_COLUMNS[kind] + [
        "Impressions", "Clicks", "Click-Thru Rate (CTR)", "Cost Per Click (CPC)", "Spend",
        f"{days} Day Total Sales ", f"Total Advertising Cost of Sales ({acos}) ",
        f"Total Return on Advertising Spend ({roas})", f"{days} Day Total Orders (#)",
        f"{days} Day Total Units (#)", f"{days} Day Conversion Rate", f"{days} Day Advertised SKU Units (#)",
        f"{days} Day Other SKU Units (#)", f"{days} Day Advertised SKU Sales ", f"{days} Day Other SKU Sales ",
    ]


def _ratio(part: Decimal | int, whole: Decimal | int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP) if whole else Decimal(0)


def _values(r: AdRow) -> dict[str, object]:
    """Typed cell values by the header's stable part (window and era removed)."""
    return {
        "Start Date": r.start, "End Date": r.end, "Date": r.start, "Portfolio name": r.portfolio,
        "Currency": r.currency, "Campaign Name": r.campaign, "Ad Group Name": r.ad_group,
        "Retailer": "Amazon", "Country": COUNTRIES.get(r.currency, ""),
        "Advertised SKU": r.product.sku, "Advertised ASIN": r.product.asin,
        "Targeting": r.targeting, "Match Type": r.match_type, "Customer Search Term": r.search_term,
        "Impressions": r.impressions, "Clicks": r.clicks, "ctr": _ratio(r.clicks, r.impressions),
        "cpc": (r.spend / r.clicks).quantize(Decimal("0.01"), ROUND_HALF_UP) if r.clicks else Decimal(0),
        "Spend": r.spend, "Total Sales": r.sales, "acos": _ratio(r.spend, r.sales),
        "roas": (r.sales / r.spend).quantize(Decimal("0.01"), ROUND_HALF_UP) if r.spend else Decimal(0),
        "Total Orders": r.orders, "Total Units": r.units, "Conversion Rate": _ratio(r.orders, r.clicks),
        "Advertised SKU Units": r.units, "Other SKU Units": 0,
        "Advertised SKU Sales": r.sales, "Other SKU Sales": Decimal(0),
    }


MONEY = {"Spend", "Total Sales", "Advertised SKU Sales", "Other SKU Sales", "cpc"}
PERCENT = {"ctr", "acos", "Conversion Rate"}


def _stable(name: str) -> str:
    """'7 Day Total Sales ' -> 'Total Sales'; 'Total Advertising Cost of Sales (ACoS) ' -> 'acos'."""
    text = name.strip()
    for marker, key in (("(CTR)", "ctr"), ("(CPC)", "cpc"), ("Cost of Sales", "acos"), ("Advertising Spend", "roas")):
        if marker in text:
            return key
    if " Day " in text:
        text = text.split(" Day ", 1)[1]
    return text.removesuffix(" (#)")


def _csv_cell(key: str, value: object, currency: str, date_format: str) -> str:
    if isinstance(value, date):
        return value.strftime(date_format)
    if key in MONEY:
        places = 0 if currency == "JPY" else 2
        return f"{SYMBOLS.get(currency, '')}{Decimal(str(value)):,.{places}f}"
    if key in PERCENT:
        return f"{Decimal(str(value)) * 100:.2f}%"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _write(path: Path, kind: str, rows: list[AdRow], fmt: str, time_unit: str, header_era: str,
           date_style: str) -> Path:
    days = rows[0].attribution_days if rows else 7
    names = header(kind, days, time_unit, header_era)
    keys = [_stable(n) for n in names]
    table = [[(k, values[k]) for k in keys] for values in map(_values, rows)]
    if fmt == "xlsx":
        return _write_xlsx(path, names, table, rows)
    date_format = DATE_STYLES[date_style]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(names)
        for r, cells in zip(rows, table, strict=True):
            out.writerow([_csv_cell(k, v, r.currency, date_format) for k, v in cells])
    return path


def _write_xlsx(path: Path, names: list[str], table: list[list[tuple[str, object]]], rows: list[AdRow]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Sponsored Products"
    sheet.append(names)
    for r, cells in zip(rows, table, strict=True):
        sheet.append([float(v) if isinstance(v, Decimal) else v for _, v in cells])
        for col, (key, value) in enumerate(cells, start=1):
            cell = sheet.cell(row=sheet.max_row, column=col)
            if isinstance(value, date):
                cell.number_format = "mmm dd, yyyy"
            elif key in MONEY:
                cell.number_format = '"' + SYMBOLS.get(r.currency, "") + '"#,##0.00'
            elif key in PERCENT:
                cell.number_format = "0.00%"
    book.save(path)
    return path


def write_advertised_product(path: Path, rows: list[AdRow], fmt: str = "csv", time_unit: str = "summary",
                             header_era: str = "current", date_style: str = "text") -> Path:
    """One row per advertised product (and day, for ``time_unit="daily"``)."""
    return _write(path, "advertised_product", rows, fmt, time_unit, header_era, date_style)


def write_search_term(path: Path, rows: list[AdRow], fmt: str = "csv", time_unit: str = "summary",
                      header_era: str = "current", date_style: str = "text") -> Path:
    """One row per customer search term, targeting and match type (and day, when daily)."""
    return _write(path, "search_term", rows, fmt, time_unit, header_era, date_style)
