"""Amazon Date Range report: preamble, wide-to-long fees, refunds, US Pacific times, DE locale."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from kpiguard.errors import InputError
from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_date_range
from kpiguard.reportgen.model import FeeLine
from tests.conftest import add_store, current_rows, rows

ORDER, RETURNED = "113-4827710-3301928", "113-9921004-5580112"
# 07:59:59 UTC on 5 March is 11:59:59 PM PST on the 4th (UTC-8)
ORDER_AT = datetime(2026, 3, 5, 7, 59, 59, tzinfo=UTC)
# 06:41:02 UTC on 10 March is 11:41:02 PM PDT on the 9th (UTC-7; DST began on 8 March 2026)
REFUND_AT = datetime(2026, 3, 10, 6, 41, 2, tzinfo=UTC)
FEE_AT = datetime(2026, 3, 12, 18, 0, tzinfo=UTC)


def fl(at: datetime, kind: str, order_id: str, amount_type: str, description: str, amount: str,
       currency: str = "USD", qty: int = 2) -> FeeLine:
    sku = "TWB-750-BLU" if order_id else ""
    return FeeLine("20411873305", at, kind, order_id, sku, qty if order_id else 0, amount_type, description,
                   Decimal(amount), currency)


US = [
    fl(ORDER_AT, "Order", ORDER, "ItemPrice", "Principal", "39.90"),
    fl(ORDER_AT, "Order", ORDER, "ItemPrice", "Tax", "2.84"),
    fl(ORDER_AT, "Order", ORDER, "Promotion", "Principal", "-4.00"),
    fl(ORDER_AT, "Order", ORDER, "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", "-2.84"),
    fl(ORDER_AT, "Order", ORDER, "ItemFees", "Commission", "-5.99"),
    fl(ORDER_AT, "Order", ORDER, "ItemFees", "FBAPerUnitFulfillmentFee", "-8.86"),
    fl(REFUND_AT, "Refund", RETURNED, "ItemPrice", "Principal", "-19.95", qty=1),
    fl(REFUND_AT, "Refund", RETURNED, "ItemPrice", "Tax", "-1.62", qty=1),
    fl(REFUND_AT, "Refund", RETURNED, "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", "1.62", qty=1),
    fl(REFUND_AT, "Refund", RETURNED, "ItemFees", "RefundCommission", "2.40", qty=1),
    fl(FEE_AT, "ServiceFee", "", "other-transaction", "Subscription Fee", "-39.99"),
]


def test_us_current_golden(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = amazon_date_range.write(tmp_path / "2026MarMonthlyTransaction.csv", US)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == '"All amounts in USD, unless specified"' and lines[7].startswith('"date/time"')
    assert lines[8].startswith('"Mar 4, 2026 11:59:59 PM PST"') and '"Mar 9, 2026 11:41:02 PM PDT"' in lines[9]
    result = import_file(ws, path, "acme-us")
    assert result.format_key == "amazon_date_range" and result.format_version == "current"
    assert result.table_rows == {"fees": 11, "refunds": 1}  # 6 + 4 + 1 non-zero amounts; 1 refund
    fees = rows(ws, "fees", order="raw_row, amount_minor")
    order = [f for f in fees if f["order_id"] == ORDER]
    assert {f["amount_type"]: (f["category"], f["amount_minor"]) for f in order} == {
        "product sales": ("principal", 3990), "product sales tax": ("tax", 284),
        "promotional rebates": ("promotion", -400), "marketplace withheld tax": ("tax", -284),
        "selling fees": ("commission", -599), "fba fees": ("fulfillment_fee", -886)}
    # 39.90 + 2.84 - 4.00 - 2.84 - 5.99 - 8.86 = 21.05, the row's total
    assert sum(f["amount_minor"] for f in order) == 2105
    first = order[0]
    assert first["posted_at_utc"] == ORDER_AT and first["posted_date_local"] == date(2026, 3, 4)
    assert (first["transaction_type"], first["settlement_id"], first["sku"], first["quantity"]) == (
        "order", "20411873305", "TWB-750-BLU", 2)
    assert first["currency"] == "USD"
    refund_fees = [f for f in fees if f["order_id"] == RETURNED]
    assert {f["transaction_type"] for f in refund_fees} == {"refund"}
    assert {f["posted_date_local"] for f in refund_fees} == {date(2026, 3, 9)}  # 11:41 PM PDT
    assert sum(f["amount_minor"] for f in refund_fees) == -1755  # -19.95 - 1.62 + 1.62 + 2.40
    (service,) = [f for f in fees if f["order_id"] is None]
    assert (service["transaction_type"], service["category"], service["amount_minor"]) == ("service_fee", "other", -3999)
    assert service["amount_description"] == "Subscription Fee"
    assert len({f["line_key"] for f in fees}) == 11
    (refund,) = rows(ws, "refunds")
    assert (refund["order_id"], refund["kind"], refund["quantity"]) == (RETURNED, "refund", 1)
    assert refund["amount_minor"] == 1995  # product sales -19.95: 19.95 back to the buyer, tax excluded
    assert refund["refunded_at_utc"] == REFUND_AT and refund["refund_date_local"] == date(2026, 3, 9)


def test_us_2017_header(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = amazon_date_range.write(tmp_path / "2017.csv", US[:6], era="2017")
    assert '"sales tax collected","Marketplace Facilitator Tax"' in path.read_text(encoding="utf-8")
    result = import_file(ws, path, "acme-us")
    assert result.format_version == "2017 (sales tax collected)"
    got = {f["amount_type"]: (f["category"], f["amount_minor"]) for f in rows(ws, "fees")}
    assert got["sales tax collected"] == ("tax", 284)
    assert got["Marketplace Facilitator Tax"] == ("tax", -284)
    assert got["product sales"] == ("principal", 3990) and len(got) == 6
    assert rows(ws, "refunds") == []


def test_amazon_de_header_types_and_decimal_comma(ws, tmp_path):
    add_store(ws, "acme-de", "amazon", "DE")
    late = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)  # 00:30 on the 15th in Berlin (CET, UTC+1)
    lines = [fl(late, "Order", ORDER, "ItemPrice", "Principal", "1234.56", "EUR"),
             fl(late, "Order", ORDER, "ItemFees", "Commission", "-185.18", "EUR"),
             fl(late, "Refund", RETURNED, "ItemPrice", "Principal", "-61.00", "EUR", qty=1)]
    path = amazon_date_range.write(tmp_path / "de.csv", lines, locale="de")
    text = path.read_bytes().decode("cp1252")
    assert '"Umsätze"' in text and '"14.03.2026 23:30:00 UTC","20411873305","Bestellung"' in text
    assert '"1.234,56"' in text and '"1.049,38"' in text and '"Erstattung"' in text
    result = import_file(ws, path, "acme-de")
    assert result.locale == "de" and result.encoding == "cp1252"
    fees = rows(ws, "fees", order="raw_row, amount_minor")
    assert [(f["transaction_type"], f["amount_type"], f["amount_minor"]) for f in fees] == [
        ("order", "Verkaufsgebühren", -18518), ("order", "Umsätze", 123456), ("refund", "Umsätze", -6100)]
    assert {f["posted_date_local"] for f in fees} == {date(2026, 3, 15)}
    assert {f["currency"] for f in fees} == {"EUR"}
    (refund,) = rows(ws, "refunds")
    assert refund["amount_minor"] == 6100 and refund["refund_date_local"] == date(2026, 3, 15)


def test_overlapping_reports_do_not_double_count(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    march = amazon_date_range.write(tmp_path / "month.csv", US)
    custom = amazon_date_range.write(tmp_path / "range.csv", US[6:])  # the refund and the fee again
    import_file(ws, march, "acme-us")
    import_file(ws, custom, "acme-us")
    assert len(current_rows(ws, "fees")) == 11 and len(current_rows(ws, "refunds")) == 1
    # 21.05 - 17.55 - 39.99 = -36.49
    assert sum(r["amount_minor"] for r in current_rows(ws, "fees")) == -3649


def test_total_that_does_not_add_up_is_refused(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = amazon_date_range.write(tmp_path / "edited.csv", US[:6])
    path.write_text(path.read_text(encoding="utf-8").replace('"21.05"', '"25.05"'), encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_file(ws, path, "acme-us")
    (finding,) = err.value.findings
    assert (finding.code, finding.row, finding.column, finding.value) == ("value.total_mismatch", 9, "total", "25.05")


def test_reference_example_as_literal_text(ws, tmp_path):
    """The composed example of the format reference, typed out rather than written by our writer."""
    add_store(ws, "acme-us", "amazon", "US")
    preamble = "\n".join(f'"{line}"' for line in (
        "Includes Amazon Marketplace, Fulfillment by Amazon (FBA), and Amazon Webstore transactions",
        "All amounts in USD, unless specified", "Definitions:", "Sales tax collected: Includes sales tax.",
        "Selling fees: Includes variable closing fees and referral fees.", "Other transaction fees: ...",
        'Other: Includes non-order transaction amounts. See the ""Type"" and ""Description"" columns.'))
    header = ('"date/time","settlement id","type","order id","sku","description","quantity","marketplace",'
              '"account type","fulfillment","order city","order state","order postal","tax collection model",'
              '"product sales","product sales tax","shipping credits","shipping credits tax","gift wrap credits",'
              '"giftwrap credits tax","Regulatory Fee","Tax On Regulatory Fee","promotional rebates",'
              '"promotional rebates tax","marketplace withheld tax","selling fees","fba fees",'
              '"other transaction fees","other","total"')
    order = ('"Mar 5, 2026 2:10:44 AM PST","20411873305","Order","113-4827710-3301928","TWB-750-BLU",'
             '"Trail Water Bottle 750ml, Blue","2","amazon.com","Standard Orders","Amazon","AUSTIN","TX",'
             '"78704-1203","MarketplaceFacilitator","39.90","2.84","0","0","0","0","0","0","-4.00","0","-2.84",'
             '"-5.99","-8.86","0","0","21.05"')
    refund = ('"Mar 9, 2026 11:41:02 PM PDT","20411873305","Refund","113-9921004-5580112","TWB-750-BLK",'
              '"Trail Water Bottle 750ml, Black","1","amazon.com","Standard Orders","Amazon","DENVER","CO","80205",'
              '"MarketplaceFacilitator","-19.95","-1.62","0","0","0","0","0","0","0","0","1.62","2.40","0","0","0",'
              '"-17.55"')
    path = tmp_path / "example.csv"
    path.write_text("\n".join([preamble, header, order, refund]) + "\n", encoding="utf-8")
    result = import_file(ws, path, "acme-us")
    assert result.table_rows == {"fees": 10, "refunds": 1}  # 6 + 4 non-zero amounts
    fees = rows(ws, "fees")
    # 2:10:44 AM PST = 10:10:44 UTC; the local (Pacific) day is the 5th
    assert fees[0]["posted_at_utc"] == datetime(2026, 3, 5, 10, 10, 44, tzinfo=UTC)
    assert fees[0]["posted_date_local"] == date(2026, 3, 5)
    assert sum(f["amount_minor"] for f in fees if f["raw_row"] == 9) == 2105
    (refund_row,) = rows(ws, "refunds")
    assert (refund_row["amount_minor"], refund_row["refund_date_local"]) == (1995, date(2026, 3, 9))
