"""Write Amazon Business Reports (CSV) as Seller Central exports them.

``write_child`` renders "Detail Page Sales and Traffic By Child Item" with the full current English
header (with or without the ``- B2B`` columns), the older English header (``Sessions``,
``Page Views``, ``Buy Box Percentage``), or the amazon.de / amazon.co.jp / Chinese-UI headers with
the columns the reference lists for them (the DE and JP lists have no Buy Box column).
``write_by_date`` renders the account-level "By Date" view. Values are written the way each site
prints them: US ``"$2,618.69"``, DE ``"5.255,61 €"`` (while counts keep US-style ``"1,482"``), JP
``"￥12,345"``, percentages ``"98.40%"``. Files are UTF-8 with a BOM, every cell quoted.

Every header variant is a list of (header as printed, English current name); the cell values are
computed once per row under the English current names.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from kpiguard.reportgen.model import TrafficRow

SYMBOLS = {"USD": "$", "CAD": "$", "GBP": "£", "EUR": "€", "JPY": "￥", "CNY": "￥"}
MOBILE_SHARE = Decimal("0.6")  # how sessions split between the app and the browser (made up)


def _current_english() -> list[str]:
    """The 37-column header of 2024 (reference 1.1), B2B columns included."""
    header = ["(Parent) ASIN", "(Child) ASIN", "Title"]
    for metric in ("Sessions", "Session Percentage", "Page Views", "Page Views Percentage"):
        for device in ("Mobile App", "Browser", "Total"):
            header += [f"{metric} - {device}", f"{metric} - {device} - B2B"]
    header += ["Featured Offer (Buy Box) Percentage", "Featured Offer (Buy Box) Percentage - B2B"]
    for metric in ("Units Ordered", "Unit Session Percentage", "Ordered Product Sales", "Total Order Items"):
        header += [metric, f"{metric} - B2B"]
    return header


EN = [(h, h) for h in _current_english()]
OLD = [(h, h) for h in ("(Parent) ASIN", "(Child) ASIN", "Title")] + [
    ("Sessions", "Sessions - Total"), ("Session Percentage", "Session Percentage - Total"),
    ("Page Views", "Page Views - Total"), ("Page Views Percentage", "Page Views Percentage - Total"),
    ("Buy Box Percentage", "Featured Offer (Buy Box) Percentage"),
] + [(h, h) for h in ("Units Ordered", "Units Ordered - B2B", "Unit Session Percentage",
                      "Unit Session Percentage - B2B", "Ordered Product Sales",
                      "Ordered Product Sales - B2B", "Total Order Items", "Total Order Items - B2B")]
# amazon.de writes en-dashes (U+2013)
DE = [
    ("(Übergeordnete) ASIN", "(Parent) ASIN"), ("(Untergeordnete) ASIN", "(Child) ASIN"),
    ("Titel", "Title"), ("Sitzungen – mobile App", "Sessions - Mobile App"),
    ("Sitzungen – Browser", "Sessions - Browser"), ("Sitzungen – Summe", "Sessions - Total"),
    ("Sitzungen – Summe – B2B", "Sessions - Total - B2B"), ("Seitenaufrufe – Summe", "Page Views - Total"),
    ("Seitenaufrufe – Summe – B2B", "Page Views - Total - B2B"), ("Bestellte Einheiten", "Units Ordered"),
    ("Bestellte Einheiten – B2B", "Units Ordered - B2B"),
    ("Durch bestellte Produkte erzielter Umsatz", "Ordered Product Sales"),
    ("Bestellsumme – B2B", "Ordered Product Sales - B2B"), ("Zahl der Bestellposten", "Total Order Items"),
    ("Zahl der Bestellposten – B2B", "Total Order Items - B2B"),
]
# amazon.co.jp writes full-width brackets
JA = [
    ("（親）ASIN", "(Parent) ASIN"), ("（子）ASIN", "(Child) ASIN"), ("タイトル", "Title"),
    ("セッション数 - 合計", "Sessions - Total"), ("ユニットセッション率", "Unit Session Percentage"),
    ("注文された商品点数", "Units Ordered"), ("注文点数 - B2B", "Units Ordered - B2B"),
    ("注文商品の売上額", "Ordered Product Sales"), ("注文商品の売上額 - B2B", "Ordered Product Sales - B2B"),
    ("注文品目総数", "Total Order Items"),
]
# the Chinese Seller Central UI; "转化率 - 总计" stands where English has "Session Percentage - Total"
ZH = [
    ("（父）ASIN", "(Parent) ASIN"), ("（子）ASIN", "(Child) ASIN"), ("标题", "Title"), ("SKU", "SKU"),
    ("会话数 - 总计", "Sessions - Total"), ("会话 - 总计 - B2B", "Sessions - Total - B2B"),
    ("转化率 - 总计", "Session Percentage - Total"), ("会话百分比 - 总计 - B2B", "Session Percentage - Total - B2B"),
    ("页面浏览量 - 总计", "Page Views - Total"), ("页面浏览量 - 总计 - B2B", "Page Views - Total - B2B"),
    ("页面浏览量百分比 - 总计", "Page Views Percentage - Total"),
    ("页面浏览量百分比 - 总计 - B2B", "Page Views Percentage - Total - B2B"),
    ("推荐报价（推荐报价展示位）百分比", "Featured Offer (Buy Box) Percentage"),
    ("推荐报价（推荐报价展示位）百分比 - B2B", "Featured Offer (Buy Box) Percentage - B2B"),
    ("已订购商品数量", "Units Ordered"), ("已订购商品数量 - B2B", "Units Ordered - B2B"),
    ("商品会话百分比", "Unit Session Percentage"), ("商品会话百分比 - B2B", "Unit Session Percentage - B2B"),
    ("已订购商品销售额", "Ordered Product Sales"), ("已订购商品销售额 - B2B", "Ordered Product Sales - B2B"),
    ("订单商品总数", "Total Order Items"), ("订单商品总数 - B2B", "Total Order Items - B2B"),
]
CHILD_HEADERS = {"en": EN, "de": DE, "ja": JA, "zh": ZH}


def _int(n: int) -> str:
    return f"{n:,}"  # "1,482" on every site (amazon.de too)


def _pct(part: Decimal | int, whole: Decimal | int) -> str:
    value = Decimal(part) * 100 / Decimal(whole) if whole else Decimal(0)
    return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


def money_text(amount: Decimal, currency: str, locale: str) -> str:
    """``$2,618.69`` / ``5.255,61 €`` / ``￥12,345`` as the business report prints money."""
    symbol = SYMBOLS.get(currency, currency + " ")
    if currency == "JPY":
        return f"{symbol}{amount:,.0f}"
    if locale == "de":
        text = f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
        return f"{text} {symbol}"
    return f"{symbol}{amount:,.2f}"


def _values(r: TrafficRow, sessions_sum: int, views_sum: int, locale: str) -> dict[str, str]:
    """Every cell of one row under its English current header name."""
    app = int(r.sessions * MOBILE_SHARE)
    app_b2b = int(r.sessions_b2b * MOBILE_SHARE)
    app_views = int(r.page_views * MOBILE_SHARE)
    out = {
        "(Parent) ASIN": r.product.parent_asin or r.product.asin, "(Child) ASIN": r.product.asin,
        "Title": r.product.title, "SKU": r.product.sku,
        "Sessions - Mobile App": _int(app), "Sessions - Browser": _int(r.sessions - app),
        "Sessions - Total": _int(r.sessions), "Sessions - Mobile App - B2B": _int(app_b2b),
        "Sessions - Browser - B2B": _int(r.sessions_b2b - app_b2b), "Sessions - Total - B2B": _int(r.sessions_b2b),
        "Page Views - Mobile App": _int(app_views), "Page Views - Browser": _int(r.page_views - app_views),
        "Page Views - Total": _int(r.page_views),
        "Featured Offer (Buy Box) Percentage": _pct(r.buy_box_pct, 1),
        "Units Ordered": _int(r.units_ordered), "Units Ordered - B2B": _int(r.units_ordered_b2b),
        "Unit Session Percentage": _pct(r.units_ordered, r.sessions),
        "Unit Session Percentage - B2B": _pct(r.units_ordered_b2b, r.sessions_b2b),
        "Ordered Product Sales": money_text(r.ordered_sales, r.currency, locale),
        "Ordered Product Sales - B2B": money_text(r.ordered_sales_b2b, r.currency, locale),
        "Total Order Items": _int(r.order_items), "Total Order Items - B2B": _int(r.units_ordered_b2b),
        "Order Item Session Percentage": _pct(r.order_items, r.sessions),
    }
    for device, n in (("Mobile App", app), ("Browser", r.sessions - app), ("Total", r.sessions)):
        out[f"Session Percentage - {device}"] = _pct(n, sessions_sum)
    for device, n in (("Mobile App", app_views), ("Browser", r.page_views - app_views), ("Total", r.page_views)):
        out[f"Page Views Percentage - {device}"] = _pct(n, views_sum)
    return out


def write_child(path: Path, rows: list[TrafficRow], locale: str = "en", version: str = "current",
                b2b: bool = True, sku: bool = False, delimiter: str = ",") -> Path:
    """The child-item report. ``version="old"`` is English; ``sku`` adds SKU after Title (zh has it)."""
    columns = OLD if version == "old" else CHILD_HEADERS[locale]
    if sku and locale != "zh":
        columns = columns[:3] + [("SKU", "SKU")] + columns[3:]
    if not b2b:
        columns = [(h, en) for h, en in columns if not en.endswith(" - B2B")]
    sessions_sum = sum(r.sessions for r in rows) or 1
    views_sum = sum(r.page_views for r in rows) or 1
    body = []
    for r in rows:
        values = _values(r, sessions_sum, views_sum, locale)
        body.append([values.get(en, "0") for _, en in columns])
    return _write_csv(path, [h for h, _ in columns], body, delimiter)


BY_DATE = {
    "en": ("Date", "%m/%d/%Y", [
        ("Ordered Product Sales", "Ordered Product Sales"), ("Ordered Product Sales - B2B", "Ordered Product Sales - B2B"),
        ("Units Ordered", "Units Ordered"), ("Units Ordered - B2B", "Units Ordered - B2B"),
        ("Total Order Items", "Total Order Items"), ("Total Order Items - B2B", "Total Order Items - B2B"),
        ("Page Views - Total", "Page Views - Total"), ("Sessions - Total", "Sessions - Total"),
        ("Sessions - Total - B2B", "Sessions - Total - B2B"),
        ("Featured Offer (Buy Box) Percentage", "Featured Offer (Buy Box) Percentage"),
        ("Order Item Session Percentage", "Order Item Session Percentage")]),
    "de": ("Datum", "%d.%m.%Y", [
        ("Durch bestellte Produkte erzielter Umsatz", "Ordered Product Sales"),
        ("Bestellsumme – B2B", "Ordered Product Sales - B2B"), ("Bestellte Einheiten", "Units Ordered"),
        ("Bestellte Einheiten – B2B", "Units Ordered - B2B"), ("Zahl der Bestellposten", "Total Order Items"),
        ("Zahl der Bestellposten – B2B", "Total Order Items - B2B"), ("Seitenaufrufe – Summe", "Page Views - Total"),
        ("Sitzungen – Summe", "Sessions - Total"), ("Sitzungen – Summe – B2B", "Sessions - Total - B2B"),
        ("Prozentsatz Bestellposten pro Sitzung", "Order Item Session Percentage")]),
}


def write_by_date(path: Path, rows: list[TrafficRow], locale: str = "en") -> Path:
    """The account-level "By Date" view: one row per ``TrafficRow``, dated by its ``start``."""
    date_header, date_format, columns = BY_DATE[locale]
    body = []
    for r in rows:
        values = _values(r, 1, 1, locale)
        body.append([r.start.strftime(date_format)] + [values[en] for _, en in columns])
    return _write_csv(path, [date_header] + [h for h, _ in columns], body, ",")


def _write_csv(path: Path, header: list[str], body: list[list[str]], delimiter: str) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh, delimiter=delimiter, quoting=csv.QUOTE_ALL, lineterminator="\n")
        out.writerow(header)
        out.writerows(body)
    return path
