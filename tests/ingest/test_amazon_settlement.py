"""Amazon settlement flat file V2: summary row, long format, UTC, idempotent overlapping files."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from kpiguard.ingest.load import import_file
from kpiguard.reportgen import amazon_settlement
from kpiguard.reportgen.model import FeeLine, Settlement
from tests.conftest import add_store, current_rows, rows

ORDER = "113-4827710-3301928"
# 07:59:59 UTC on 5 March is 23:59:59 on the 4th in Los Angeles (PST, UTC-8); 08:00:00 is the 5th.
BEFORE_MIDNIGHT = datetime(2026, 3, 5, 7, 59, 59, tzinfo=UTC)
AFTER_MIDNIGHT = datetime(2026, 3, 5, 8, 0, 0, tzinfo=UTC)


def fee(amount_type: str, description: str, amount: str, at: datetime = BEFORE_MIDNIGHT,
        kind: str = "Order", order_id: str = ORDER, currency: str = "USD") -> FeeLine:
    return FeeLine("20411873305", at, kind, order_id, "TWB-750-BLU" if order_id else "", 2 if order_id else 0,
                   amount_type, description, Decimal(amount), currency)


US_LINES = (
    fee("ItemPrice", "Principal", "39.90"),
    fee("ItemPrice", "Tax", "2.84"),
    fee("Promotion", "Principal", "-4.00"),
    fee("ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", "-2.84"),
    fee("ItemFees", "Commission", "-5.99"),
    fee("ItemFees", "FBAPerUnitFulfillmentFee", "-4.43"),
    fee("ItemFees", "FBAPerUnitFulfillmentFee", "-4.43"),  # the same fee twice (two units): both count
    fee("ItemPrice", "Principal", "-19.95", at=AFTER_MIDNIGHT, kind="Refund"),
    fee("other-transaction", "Subscription Fee", "-39.99", at=AFTER_MIDNIGHT, kind="ServiceFee", order_id=""),
)


def settlement(lines: tuple[FeeLine, ...], currency: str = "USD") -> Settlement:
    total = sum((ln.amount for ln in lines), Decimal(0))
    return Settlement("20411873305", datetime(2026, 3, 2, 8, 14, 51, tzinfo=UTC),
                      datetime(2026, 3, 16, 8, 14, 51, tzinfo=UTC), datetime(2026, 3, 18, 8, 14, 51, tzinfo=UTC),
                      total, currency, lines)


def test_us_settlement_golden(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = amazon_settlement.write(tmp_path / "settlement.txt", settlement(US_LINES))
    summary = path.read_text().splitlines()[1].split("\t")
    assert summary[:6] == ["20411873305", "2026-03-02 08:14:51 UTC", "2026-03-16 08:14:51 UTC",
                           "2026-03-18 08:14:51 UTC", "-38.89", "USD"] and not any(summary[6:])
    result = import_file(ws, path, "acme-us")
    assert result.format_key == "amazon_settlement_v2" and result.rows_accepted == 9
    assert result.skipped_reasons == {"settlement summary row (the payout total, not a fee line)": 1}
    got = rows(ws, "fees")
    assert [r["amount_minor"] for r in got] == [3990, 284, -400, -284, -599, -443, -443, -1995, -3999]
    assert [r["category"] for r in got] == [
        "principal", "tax", "promotion", "tax", "commission", "fulfillment_fee", "fulfillment_fee",
        "principal", "other_fee"]
    assert [r["transaction_type"] for r in got][-3:] == ["order", "refund", "service_fee"]
    first = got[0]
    assert first["posted_at_utc"] == BEFORE_MIDNIGHT  # "2026-03-05 07:59:59 UTC"
    assert first["posted_date_local"] == date(2026, 3, 4)  # 23:59:59 PST
    assert got[7]["posted_date_local"] == date(2026, 3, 5)  # 08:00 UTC is 00:00 PST on the 5th
    assert (first["settlement_id"], first["order_id"], first["sku"], first["quantity"]) == (
        "20411873305", ORDER, "TWB-750-BLU", 2)
    assert first["currency"] == "USD" and got[8]["order_id"] is None
    # 39.90 + 2.84 - 4.00 - 2.84 - 5.99 - 4.43 - 4.43 - 19.95 - 39.99 = -38.89, the payout
    assert sum(r["amount_minor"] for r in got) == -3889
    assert len({r["line_key"] for r in got}) == 9  # the two identical FBA fee lines stay two lines


def test_overlapping_settlement_files_are_idempotent(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    first = amazon_settlement.write(tmp_path / "a.txt", settlement(US_LINES[:5]))
    # Amazon regenerated the same settlement: same lines in another order, plus two more lines
    again = amazon_settlement.write(tmp_path / "b.txt", settlement(tuple(reversed(US_LINES[:7]))))
    import_file(ws, first, "acme-us")
    import_file(ws, again, "acme-us")
    assert len(rows(ws, "fees")) == 5 + 7  # every version kept for audit
    current = current_rows(ws, "fees")
    assert len(current) == 7  # lines 1-5 are the same facts; the duplicate FBA fee is a real second line
    # 39.90 + 2.84 - 4.00 - 2.84 - 5.99 - 4.43 - 4.43 = 21.05
    assert sum(r["amount_minor"] for r in current) == 2105


def test_amazon_de_dotted_dates_and_decimal_comma(ws, tmp_path):
    add_store(ws, "acme-de", "amazon", "DE")
    # 23:30 UTC on 14 March is 00:30 on the 15th in Berlin (CET, UTC+1)
    late = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)
    lines = (fee("ItemPrice", "Principal", "1141.18", at=late, currency="EUR"),
             fee("ItemFees", "Commission", "-171.18", at=late, currency="EUR"))
    path = amazon_settlement.write(tmp_path / "de.txt", settlement(lines, "EUR"), locale="de")
    text = path.read_text()
    assert "14.03.2026 23:30:00 UTC" in text and "\t1141,18\t" in text and "\t970,00\t" in text
    import_file(ws, path, "acme-de")
    principal, commission = rows(ws, "fees")
    assert principal["amount_minor"] == 114118  # "1141,18" -> 1141.18 EUR
    assert commission["amount_minor"] == -17118
    assert principal["currency"] == "EUR"
    assert principal["posted_at_utc"] == late
    assert principal["posted_date_local"] == date(2026, 3, 15)


def test_without_posted_date_time_the_posted_date_is_used(ws, tmp_path):
    add_store(ws, "acme-us", "amazon", "US")
    path = amazon_settlement.write(tmp_path / "s.txt", settlement((replace(US_LINES[0]),)))
    lines = [ln.split("\t") for ln in path.read_text().splitlines()]
    cut = lines[0].index("posted-date-time")
    path.write_text("\n".join("\t".join(c[:cut] + c[cut + 1:]) for c in lines) + "\n")
    result = import_file(ws, path, "acme-us")
    assert result.format_version == "v2 (no posted-date-time)"
    (row,) = rows(ws, "fees")
    # "2026-03-05" is a day, not an instant: kept as the day (stored as midnight UTC), not moved to
    # 16:00 on the 4th by the Los Angeles offset
    assert row["posted_at_utc"] == datetime(2026, 3, 5, tzinfo=UTC)
    assert row["posted_date_local"] == date(2026, 3, 5)


def test_reference_example_as_literal_text(ws, tmp_path):
    """The composed US example of the format reference, typed out rather than written by our writer."""
    add_store(ws, "acme-us", "amazon", "US")
    header = amazon_settlement.HEADER  # the 24 names as the reference lists them
    summary = ["20411873305", "2026-03-02 08:14:51 UTC", "2026-03-16 08:14:51 UTC", "2026-03-18 08:14:51 UTC",
               "4127.63", "USD"] + [""] * 18
    line = ["20411873305", "", "", "", "", "USD", "Order", ORDER, "", "", "Dk7QpLx2n", "Amazon.com", "ItemPrice",
            "Principal", "39.90", "AFN", "2026-03-05", "2026-03-05 02:10:44 UTC", "61830274419902", "", "",
            "TWB-750-BLU", "2", ""]
    fee_line = line[:12] + ["ItemFees", "Commission", "-5.99"] + line[15:]
    path = tmp_path / "example.txt"
    path.write_text("\n".join("\t".join(r) for r in (header, summary, line, fee_line)) + "\n", encoding="utf-8")
    import_file(ws, path, "acme-us")
    principal, commission = rows(ws, "fees")
    assert (principal["category"], principal["amount_minor"]) == ("principal", 3990)
    assert (commission["category"], commission["amount_minor"]) == ("commission", -599)
    # 02:10:44 UTC on the 5th is 18:10 on the 4th in Los Angeles
    assert principal["posted_date_local"] == date(2026, 3, 4)
