"""Write an Amazon Date Range (Monthly Unified Transaction) report from long-form fee lines.

``FeeLine`` records are the settlement's long form (one amount component each); this report is
wide: one row per transaction (same settlement, time, type, order and SKU) with one column per
kind of amount, and ``total`` their sum. The writer folds the components into the columns the way
Amazon does (Principal -> product sales, Commission -> selling fees, FBA fees -> fba fees ...).

Layout: a preamble of seven quoted lines, then the header, every field quoted.
- ``locale="us"``: UTF-8, times in Pacific time with the zone abbreviation
  (``"Mar 5, 2026 2:10:44 AM PST"``), numbers ``"1,694.07"``; ``era="2017"`` writes the 23-column
  header with one ``sales tax collected`` column and ``Marketplace Facilitator Tax``;
- ``locale="de"``: CP1252 (a DE parser shows ``"Ums?tze"``, i.e. not UTF-8), German header and
  type values (``Bestellung``/``Erstattung``), times ``"01.09.2026 10:22:11 UTC"``, numbers
  ``"1.694,07"``. The German preamble wording is not in the reference and is made up.
"""

from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kpiguard.reportgen.model import FeeLine

US_CURRENT = [
    "date/time", "settlement id", "type", "order id", "sku", "description", "quantity", "marketplace",
    "account type", "fulfillment", "order city", "order state", "order postal", "tax collection model",
    "product sales", "product sales tax", "shipping credits", "shipping credits tax", "gift wrap credits",
    "giftwrap credits tax", "Regulatory Fee", "Tax On Regulatory Fee", "promotional rebates",
    "promotional rebates tax", "marketplace withheld tax", "selling fees", "fba fees",
    "other transaction fees", "other", "total",
]
US_2017 = [
    "date/time", "settlement id", "type", "order id", "sku", "description", "quantity", "marketplace",
    "fulfillment", "order city", "order state", "order postal", "product sales", "shipping credits",
    "gift wrap credits", "promotional rebates", "sales tax collected", "Marketplace Facilitator Tax",
    "selling fees", "fba fees", "other transaction fees", "other", "total",
]
# German header -> the US name whose value it holds
DE = [
    ("Datum/Uhrzeit", "date/time"), ("Abrechnungsnummer", "settlement id"), ("Typ", "type"),
    ("Bestellnummer", "order id"), ("SKU", "sku"), ("Beschreibung", "description"), ("Menge", "quantity"),
    ("Marketplace", "marketplace"), ("Versand", "fulfillment"), ("Ort der Bestellung", "order city"),
    ("Bundesland", "order state"), ("Postleitzahl", "order postal"),
    ("Steuererhebungsmodell", "tax collection model"), ("Umsätze", "product sales"),
    ("Produktumsatzsteuer", "product sales tax"), ("Gutschrift für Versandkosten", "shipping credits"),
    ("Steuer auf Versandgutschrift", "shipping credits tax"),
    ("Gutschrift für Geschenkverpackung", "gift wrap credits"),
    ("Steuer auf Geschenkverpackungsgutschriften", "giftwrap credits tax"),
    ("Rabatte aus Werbeaktionen", "promotional rebates"), ("Steuer auf Aktionsrabatte", "promotional rebates tax"),
    ("Einbehaltene Steuer auf Marketplace", "marketplace withheld tax"), ("Verkaufsgebühren", "selling fees"),
    ("Gebühren zu Versand durch Amazon", "fba fees"), ("Andere Transaktionsgebühren", "other transaction fees"),
    ("Andere", "other"), ("Gesamt", "total"),
]
TYPES = {
    "us": {"Order": "Order", "Refund": "Refund", "ServiceFee": "Service Fee", "Transfer": "Transfer",
           "Adjustment": "Adjustment"},
    "de": {"Order": "Bestellung", "Refund": "Erstattung", "ServiceFee": "Servicegebühr", "Transfer": "Übertrag",
           "Adjustment": "Anpassung"},
}
PREAMBLE = {
    "us": [
        "Includes Amazon Marketplace, Fulfillment by Amazon (FBA), and Amazon Webstore transactions",
        "All amounts in {currency}, unless specified",
        "Definitions:",
        "Sales tax collected: Includes sales tax collected from buyers for product sales, shipping, and gift wrap.",
        "Selling fees: Includes variable closing fees and referral fees.",
        "Other transaction fees: Includes shipping chargebacks, shipping holdbacks, per-item fees  and sales "
        "tax collection fees.",
        'Other: Includes non-order transaction amounts. For more details, see the "Type" and "Description" '
        "columns for each order ID.",
    ],
    "de": [
        "Enthält Transaktionen auf Amazon Marketplace, Versand durch Amazon (FBA) und Amazon Webstore",
        "Alle Beträge in {currency}, sofern nicht anders angegeben",
        "Definitionen:",
        "Verkaufsgebühren: Enthält variable Abschlussgebühren und Verkaufsgebühren.",
        "Andere Transaktionsgebühren: Enthält Versandkostenrückbelastungen und Gebühren pro Artikel.",
        "Andere: Enthält Beträge aus Transaktionen ohne Bestellung.",
        "Weitere Informationen finden Sie in den Spalten \"Typ\" und \"Beschreibung\".",
    ],
}
AMOUNT_COLUMNS = set(US_CURRENT[US_CURRENT.index("product sales"):]) | {
    "sales tax collected", "Marketplace Facilitator Tax"}
SELLING_FEES = {"commission", "refundcommission", "variableclosingfee", "fixedclosingfee"}


def column_for(line: FeeLine, era: str) -> str:
    """The US column that holds one amount component (Amazon's folding of the long form)."""
    kind, what = line.amount_type.lower(), line.amount_description.lower()
    tax_2017 = "sales tax collected"
    if kind == "itemprice":
        return {"principal": "product sales", "shipping": "shipping credits", "giftwrap": "gift wrap credits",
                "tax": "product sales tax" if era == "current" else tax_2017,
                "shippingtax": "shipping credits tax" if era == "current" else tax_2017,
                "giftwraptax": "giftwrap credits tax" if era == "current" else tax_2017}.get(what, "other")
    if kind == "promotion":
        return "promotional rebates"
    if kind == "itemwithheldtax":
        return "marketplace withheld tax" if era == "current" else "Marketplace Facilitator Tax"
    if kind == "itemfees":
        if what in SELLING_FEES:
            return "selling fees"
        return "fba fees" if what.startswith("fba") else "other transaction fees"
    return "other"


def _number(value: Decimal, locale: str) -> str:
    if value == 0:
        return "0"
    text = f"{value:,.2f}"  # "1,694.07"
    return text.replace(",", "_").replace(".", ",").replace("_", ".") if locale == "de" else text


def _when(moment: datetime, locale: str) -> str:
    if locale == "de":
        return moment.astimezone(ZoneInfo("UTC")).strftime("%d.%m.%Y %H:%M:%S UTC")
    local = moment.astimezone(ZoneInfo("America/Los_Angeles"))  # "Mar 5, 2026 2:10:44 AM PST"
    hour = local.hour % 12 or 12
    return f"{local:%b} {local.day}, {local.year} {hour}:{local:%M:%S} {local:%p} {local.tzname()}"


def _transactions(fee_lines: list[FeeLine]) -> list[list[FeeLine]]:
    """Components grouped by transaction, in the order they first appear."""
    groups: dict[tuple[object, ...], list[FeeLine]] = {}
    for line in fee_lines:
        key = (line.settlement_id, line.posted_at, line.transaction_type, line.order_id, line.sku)
        groups.setdefault(key, []).append(line)
    return list(groups.values())


def _row(lines: list[FeeLine], locale: str, era: str) -> dict[str, str]:
    first = lines[0]
    amounts: dict[str, Decimal] = {}
    for line in lines:
        column = column_for(line, era)
        amounts[column] = amounts.get(column, Decimal(0)) + line.amount
    is_order = bool(first.order_id)
    values = {
        "date/time": _when(first.posted_at, locale), "settlement id": first.settlement_id,
        "type": TYPES[locale].get(first.transaction_type, first.transaction_type), "order id": first.order_id,
        "sku": first.sku, "description": first.sku if is_order else first.amount_description,
        "quantity": str(first.quantity) if first.quantity else "",
        "marketplace": ("amazon.de" if locale == "de" else "amazon.com") if is_order else "",
        "account type": "Standard Orders" if is_order else "", "fulfillment": "Amazon" if is_order else "",
        "tax collection model": "MarketplaceFacilitator" if is_order and locale == "us" else "",
        "total": _number(sum(amounts.values(), Decimal(0)), locale),
    }
    values.update({column: _number(amount, locale) for column, amount in amounts.items()})
    return values


def write(path: Path, fee_lines: list[FeeLine], locale: str = "us", era: str = "current") -> Path:
    """The report for these fee lines; ``era`` applies to ``locale="us"`` only."""
    columns = [(h, h) for h in (US_2017 if era == "2017" else US_CURRENT)] if locale == "us" else DE
    us_names = {us for _, us in columns}
    currency = fee_lines[0].currency if fee_lines else "USD"
    with open(path, "w", encoding="cp1252" if locale == "de" else "utf-8", newline="") as fh:
        out = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\n")
        for text in PREAMBLE[locale]:
            out.writerow([text.format(currency=currency)])
        out.writerow([header for header, _ in columns])
        for lines in _transactions(fee_lines):
            values = _row(lines, locale, era)
            lost = {c for c in values if c in AMOUNT_COLUMNS} - us_names
            if lost:
                raise ValueError(f"the {locale}/{era} layout has no column for {sorted(lost)}")
            out.writerow([values.get(us, "0" if us in AMOUNT_COLUMNS else "") for _, us in columns])
    return path
