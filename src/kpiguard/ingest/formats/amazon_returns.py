"""Amazon FBA customer returns (GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA) into ``refunds``.

TAB separated (the Seller Central download offers the same names as CSV; the reader sniffs the
separator). One row per returned unit, identified by its license plate number (LPN): an order
returned in two parcels has two rows with different dates and comments, so ``refund_id`` is
``<order-id>:<license-plate-number>``. Rows without an LPN fall back to the order, SKU and return
time, numbered among identical rows.

These are goods coming back (``kind = 'return'``), not money: ``amount_minor`` stays NULL, and the
refund itself arrives through the settlement or transaction reports. ``return-date`` is ISO 8601
in UTC (``2026-09-14T07:03:57+00:00``); ``refund_date_local`` is the store's day.
``detailed-disposition`` (``SELLABLE``, ``CUSTOMER_DAMAGED`` ...) is the warehouse's verdict on the
unit and ``reason`` the buyer's (``UNWANTED_ITEM``, ``DEFECTIVE`` ...); both are kept as written.
"""

from __future__ import annotations

from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, integer, ts


@register
class AmazonFbaReturns(ReportFormat):
    key = "amazon_fba_returns"
    title = "Amazon FBA customer returns report"
    title_zh = "亚马逊 FBA 买家退货报告"
    table = "refunds"
    platforms = ("amazon",)
    columns = (
        Column("return_date", ("return-date",)),
        Column("order_id", ("order-id",)),
        Column("sku", ("sku",)),
        Column("asin", ("asin",), required=False),
        Column("fnsku", ("fnsku",), required=False),
        Column("quantity", ("quantity",)),
        Column("fulfillment_center", ("fulfillment-center-id",), required=False),
        Column("disposition", ("detailed-disposition",)),
        Column("reason", ("reason",), required=False),
        Column("status", ("status",), required=False),
        Column("lpn", ("license-plate-number",), required=False),
    )

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        # "2026-03-12T19:44:02+00:00"; a naive "2026-03-12 19:44:02" is UTC as well
        return {"returned": ts("return_date", "iso", "%Y-%m-%d %H:%M:%S", tz="'UTC'"),
                "quantity": integer("quantity")}

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [RowCheck("value.missing", "kg_blank(order_id)", "order_id", "the order id is empty",
                         "every returned unit belongs to an order; export the report again")]

    def select(self, ctx: ImportContext) -> dict[str, str]:
        lpn = f"nullif(trim({ctx.col('lpn')}), '')"
        by_content = "trim(order_id), trim(sku), coalesce(CAST(p_returned AS VARCHAR), '')"
        fallback = (f"trim(order_id) || ':' || trim(sku) || '@' || coalesce(CAST(p_returned AS VARCHAR), '') "
                    f"|| '#' || row_number() OVER (PARTITION BY {by_content} ORDER BY _row)")
        return {
            "refund_id": f"coalesce(trim(order_id) || ':' || {lpn}, {fallback})",
            "order_id": "trim(order_id)",
            "sku": "trim(sku)",
            "product_id": f"nullif(trim({ctx.col('asin')}), '')",
            "kind": "'return'",
            "refunded_at_utc": "p_returned",
            "refund_date_local": f"kg_local_date(p_returned, {ctx.tz})",
            "quantity": "p_quantity",
            "currency": ctx.currency,  # no money in this report; the store's currency keeps rows uniform
            "amount_minor": "NULL",
            "reason": f"nullif(trim({ctx.col('reason')}), '')",
            "disposition": "nullif(trim(disposition), '')",
        }
