"""Amazon settlement flat file V2 (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2) into ``fees``.

TAB separated, 24 columns, long format: one row per amount component (``amount-type`` /
``amount-description`` / ``amount``), e.g. ``ItemPrice / Principal / 39.90`` and
``ItemFees / Commission / -5.99`` for the same order line. Quirks handled here:

- the **first data row is the settlement summary**: only the first six columns are filled and
  ``total-amount`` is the payout. It is skipped (and counted) rather than stored as a fee line;
- dates are **UTC throughout** and written per marketplace: US ``2026-03-05 02:10:44 UTC``, DE
  ``14.03.2023 07:49:55 UTC``, and ``posted_date_local`` is that instant's day in the store's zone.
  Files without ``posted-date-time`` fall back to ``posted-date`` (``2026-03-05``, ``14.03.2023``
  or the ``dd/mm/yy`` seen in a US file): a day, not an instant, so it is kept as written rather
  than shifted by the store's offset (``posted_at_utc`` is then its midnight UTC);
- amounts: US ``-5.99``, DE ``1141,18`` (decimal comma; detected from the file's day-first dotted
  dates, since the flat file has no thousands separators to tell them apart);
- ``category`` maps ``amount-type``/``amount-description`` to the metric layer's words (below).
  A refund's principal stays ``principal``: ``transaction_type = 'refund'`` tells it apart.

``line_key`` must survive the same settlement arriving in two files (Amazon regenerates them, and
CA/MX unified accounts return the US file again): it hashes the settlement id and the row's content,
numbered among identical rows, never its row number.

The older V1 flat file (36 wide columns, ``price-type``/``item-related-fee-type``) is not this
format and is not recognised by it.
"""

from __future__ import annotations

import re
from typing import Literal

from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, Skip, integer, money, ts

UTC = "'UTC'"
# "14.03.2023 07:49:55 UTC" is how amazon.de writes settlement dates; those files write "1141,18"
DOTTED_DAY_FIRST = re.compile(r"^\s*\d{2}\.\d{2}\.\d{4}")

# amount-type / amount-description -> category; first match wins, compared case-blind. The words:
# principal, shipping, gift_wrap, tax (collected and withheld), promotion, commission (referral and
# closing fees), fulfillment_fee (FBA), storage_fee, reserve, reimbursement, other_fee, other.
CATEGORY = """CASE
    WHEN {at} = 'itemprice' AND {ad} = 'principal' THEN 'principal'
    WHEN {at} = 'itemprice' AND {ad} = 'shipping' THEN 'shipping'
    WHEN {at} = 'itemprice' AND {ad} = 'giftwrap' THEN 'gift_wrap'
    WHEN {at} = 'promotion' THEN 'promotion'
    WHEN {ad} IN ('commission', 'refundcommission', 'variableclosingfee', 'fixedclosingfee') THEN 'commission'
    WHEN {ad} LIKE 'fba%fulfillment%' OR {ad} LIKE 'fbaper%' OR {ad} = 'fbaweightbasedfee' THEN 'fulfillment_fee'
    WHEN {at} = 'itemwithheldtax' OR ({ad} LIKE '%tax%' AND {ad} NOT LIKE '%fee%') THEN 'tax'
    WHEN {ad} LIKE '%storage%' THEN 'storage_fee'
    WHEN {ad} LIKE '%reserve%' THEN 'reserve'
    WHEN {at} LIKE '%reimbursement%' OR {ad} LIKE '%reimbursement%' THEN 'reimbursement'
    WHEN {at} = 'itemfees' OR {ad} LIKE '%fee%' THEN 'other_fee'
    ELSE 'other' END"""

# Every column that identifies a line's content (the summary-only columns are left out).
CONTENT = ("transaction_type", "order_id", "merchant_order_id", "adjustment_id", "shipment_id",
           "marketplace_name", "amount_type", "amount_description", "fulfillment_id",
           "order_item_code", "merchant_order_item_id", "merchant_adjustment_item_id", "sku",
           "quantity_purchased", "promotion_id")


def _col(key: str, header: str, required: bool = False) -> Column:
    return Column(key, (header,), required=required)


@register
class AmazonSettlementV2(ReportFormat):
    key = "amazon_settlement_v2"
    title = "Amazon settlement report (flat file V2)"
    title_zh = "亚马逊结算报告（V2 平面文件）"
    table = "fees"
    platforms = ("amazon",)
    columns = (
        _col("settlement_id", "settlement-id", True),
        _col("settlement_start", "settlement-start-date"),
        _col("total_amount", "total-amount", True),
        _col("currency", "currency"),
        _col("transaction_type", "transaction-type", True),
        _col("order_id", "order-id"),
        _col("merchant_order_id", "merchant-order-id"),
        _col("adjustment_id", "adjustment-id"),
        _col("shipment_id", "shipment-id"),
        _col("marketplace_name", "marketplace-name"),
        _col("amount_type", "amount-type", True),
        _col("amount_description", "amount-description", True),
        _col("amount", "amount", True),
        _col("fulfillment_id", "fulfillment-id"),
        _col("posted_date", "posted-date"),
        _col("posted_date_time", "posted-date-time"),
        _col("order_item_code", "order-item-code"),
        _col("merchant_order_item_id", "merchant-order-item-id"),
        _col("merchant_adjustment_item_id", "merchant-adjustment-item-id"),
        _col("sku", "sku"),
        _col("quantity_purchased", "quantity-purchased"),
        _col("promotion_id", "promotion-id"),
    )

    def decimal_style(self, ctx: ImportContext) -> Literal["point", "comma"]:
        dates = ctx.sample("settlement_start", 5) + ctx.sample("posted_date_time", 5)
        return "comma" if any(DOTTED_DAY_FIRST.match(d) for d in dates) else "point"

    def version(self, ctx: ImportContext) -> str:
        return "v2" if ctx.has("posted_date_time") else "v2 (no posted-date-time)"

    def currency_sql(self, ctx: ImportContext) -> str:
        return f"coalesce(nullif(upper(trim({ctx.col('currency')})), ''), {ctx.currency})"

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        out = {
            "amount": money("amount", decimal_style=self.decimal_style(ctx)),
            "quantity": integer("quantity_purchased"),
        }
        if ctx.has("posted_date_time"):
            # "2026-03-05 02:10:44 UTC" (US), "14.03.2023 07:49:55 UTC" (DE), ISO in MWS-era files
            out["posted"] = ts("posted_date_time", "abbr:%Y-%m-%d %H:%M:%S", "abbr:%d.%m.%Y %H:%M:%S",
                               "iso", tz=UTC)
        else:
            # only the day: "2026-03-05", "14.03.2023", or "09/06/25" (day first, seen in a US file)
            out["posted"] = ts("posted_date", "iso", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%y", "%d/%m/%Y", tz=UTC)
        return out

    def skips(self, ctx: ImportContext) -> list[Skip]:
        return [Skip("kg_blank(amount_type) AND kg_blank(amount) AND NOT kg_blank(total_amount)",
                     "settlement summary row (the payout total, not a fee line)")]

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [RowCheck("value.missing", "kg_blank(amount)", "amount", "the amount is empty",
                         "every line of a settlement report carries an amount; download the report again")]

    def select(self, ctx: ImportContext) -> dict[str, str]:
        content = ", ".join(f"coalesce(trim({ctx.col(k, 'NULL')}), '')" for k in CONTENT)
        # the parsed amount and time, so that "1141,18" and "1141.18" name the same line
        identity = f"trim(settlement_id), {content}, CAST(p_amount AS VARCHAR), coalesce(CAST(p_posted AS VARCHAR), '')"
        occurrence = f"row_number() OVER (PARTITION BY {identity} ORDER BY _row)"
        at = f"lower(trim({ctx.col('amount_type')}))"
        ad = f"lower(trim({ctx.col('amount_description')}))"
        return {
            "settlement_id": "trim(settlement_id)",
            "posted_at_utc": "p_posted",
            # a posted-date alone is a day, not an instant: it is not shifted into the store's zone
            "posted_date_local": f"kg_local_date(p_posted, {ctx.tz if ctx.has('posted_date_time') else UTC})",
            # "Order" -> order, "ServiceFee" -> service_fee, "other-transaction" -> other_transaction
            "transaction_type": "regexp_replace(lower(regexp_replace(trim(transaction_type), "
                                "'([a-z])([A-Z])', '\\1_\\2', 'g')), '[^a-z0-9]+', '_', 'g')",
            "order_id": f"nullif(trim({ctx.col('order_id')}), '')",
            "sku": f"nullif(trim({ctx.col('sku')}), '')",
            "quantity": "p_quantity",
            "category": CATEGORY.format(at=at, ad=ad),
            "amount_type": "trim(amount_type)",
            "amount_description": "trim(amount_description)",
            "currency": self.currency_sql(ctx),
            "amount_minor": "p_amount",
            "line_key": f"sha256(concat_ws('|', {identity}, CAST({occurrence} AS VARCHAR)))",
        }
