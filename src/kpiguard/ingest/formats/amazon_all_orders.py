"""Amazon "All Orders" flat file (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL).

TAB separated, one row per order item, header on line 1. Three header generations exist and are
matched by name: the MWS 29-column layout, the 32-column one that adds ``is-business-order``,
``purchase-order-number`` and ``price-designation``, and SP-API files that add ``order-item-id``
(sometimes right after ``order-status``), ``cpf``, ``signature-confirmation-recommended`` and drop
``url``. Values: ``purchase-date`` is ISO 8601 with offset (``2026-03-04T17:22:09+00:00``); money
is a plain decimal (``39.90``) in the row's ``currency``; ``item-price`` is the line total for
``quantity``; prices are blank on Pending orders.

The natural key is (order id, line): ``order-item-id`` where present, else the SKU, numbered when
one order has the same SKU on two lines. The latest ``last-updated-date`` wins, so an order that
moved from Pending to Shipped or Cancelled in a later export replaces the earlier state.
"""

from __future__ import annotations

from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, boolean, integer, money, ts

STATUS = """CASE
    WHEN order_status = 'Shipped' AND (item_status IS NULL OR item_status = 'Shipped') THEN 'shipped'
    WHEN lower(coalesce(item_status, '')) = 'cancelled' OR lower(order_status) = 'cancelled' THEN 'cancelled'
    WHEN lower(order_status) IN ('pending', 'pendingavailability', 'pending - waiting for pick up') THEN 'pending'
    WHEN lower(order_status) = 'shipped' AND lower(coalesce(item_status, '')) = 'unshipped' THEN 'unshipped'
    WHEN lower(order_status) IN ('unshipped', 'partiallyshipped', 'shipping') THEN 'unshipped'
    WHEN lower(order_status) = 'shipped - delivered to buyer' THEN 'delivered'
    WHEN lower(order_status) LIKE 'shipped%' THEN 'shipped'
    ELSE 'unshipped' END"""


@register
class AmazonAllOrders(ReportFormat):
    key = "amazon_all_orders"
    title = "Amazon All Orders report"
    title_zh = "亚马逊所有订单报告"
    table = "order_lines"
    platforms = ("amazon",)
    default_decimal_style = "point"  # flat files write 39.90 on every marketplace
    columns = (
        Column("order_id", ("amazon-order-id",)),
        Column("merchant_order_id", ("merchant-order-id",), required=False),
        Column("purchase_date", ("purchase-date",)),
        Column("last_updated", ("last-updated-date",)),
        Column("order_status", ("order-status",)),
        Column("fulfillment_channel", ("fulfillment-channel",), required=False),
        Column("sales_channel", ("sales-channel",), required=False),
        Column("product_name", ("product-name",), required=False),
        Column("sku", ("sku",)),
        Column("asin", ("asin",), required=False),
        Column("item_status", ("item-status",), required=False),
        Column("quantity", ("quantity",)),
        Column("currency", ("currency",)),
        Column("item_price", ("item-price",)),
        Column("item_tax", ("item-tax",), required=False),
        Column("shipping_price", ("shipping-price",), required=False),
        Column("shipping_tax", ("shipping-tax",), required=False),
        Column("gift_wrap_price", ("gift-wrap-price",), required=False),
        Column("item_promotion_discount", ("item-promotion-discount",), required=False),
        Column("ship_postal_code", ("ship-postal-code",), required=False),
        Column("ship_country", ("ship-country",), required=False),
        Column("is_business_order", ("is-business-order",), required=False),
        Column("order_item_id", ("order-item-id",), required=False),
        Column("buyer_email", ("buyer-email",), required=False),
    )

    def version(self, ctx: ImportContext) -> str:
        if ctx.has("order_item_id"):
            return "sp-api (order-item-id)"
        if ctx.has("is_business_order"):
            return "32 columns (is-business-order)"
        return "mws 29 columns"

    def currency_sql(self, ctx: ImportContext) -> str:
        return f"coalesce(nullif(upper(trim(currency)), ''), {ctx.currency})"

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        return {
            "purchased": ts("purchase_date", "iso", "%Y-%m-%d %H:%M:%S"),
            "updated": ts("last_updated", "iso", "%Y-%m-%d %H:%M:%S"),
            "quantity": integer("quantity"),
            "item_price": money("item_price"),
            "item_tax": money("item_tax"),
            "shipping": money("shipping_price"),
            "shipping_tax": money("shipping_tax"),
            "gift_wrap": money("gift_wrap_price"),
            # amazon writes discounts negative: "-4.00"
            "promotion": money("item_promotion_discount"),
            "business": boolean("is_business_order"),
        }

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [RowCheck("value.missing", "kg_blank(order_id)", "order_id",
                         "the order id is empty", "every row of an All Orders report has an amazon-order-id")]

    def select(self, ctx: ImportContext) -> dict[str, str]:
        by_sku = (
            "trim(sku) || CASE WHEN row_number() OVER (PARTITION BY order_id, sku ORDER BY _row) > 1 "
            "THEN '#' || row_number() OVER (PARTITION BY order_id, sku ORDER BY _row) ELSE '' END"
        )
        line = f"coalesce(nullif(trim({ctx.col('order_item_id')}), ''), {by_sku})"
        if ctx.filled("order_item_id"):  # SP-API files: no window over the file to number by SKU
            line = "kg_trim(order_item_id)"
        return {
            "order_id": "kg_trim(order_id)",
            "line_id": line,
            "purchased_at_utc": "p_purchased",
            "order_date_local": f"kg_local_date(p_purchased, {ctx.tz})",
            "order_status": STATUS.replace("item_status", ctx.col("item_status")),
            "status_raw": f"order_status || coalesce(' / ' || {ctx.col('item_status')}, '')",
            "sku": "kg_trim(sku)",
            "product_id": ctx.col("asin"),
            "product_name": ctx.col("product_name"),
            "quantity": "p_quantity",
            "currency": self.currency_sql(ctx),
            "item_price_minor": "p_item_price",
            "item_tax_minor": "p_item_tax",
            "shipping_minor": "p_shipping",
            "shipping_tax_minor": "p_shipping_tax",
            "gift_wrap_minor": "p_gift_wrap",
            "promotion_discount_minor": "abs(p_promotion)",
            "fulfillment_channel": f"CASE lower({ctx.col('fulfillment_channel')}) WHEN 'amazon' THEN 'platform' "
            "WHEN 'merchant' THEN 'merchant' ELSE NULL END",
            "sales_channel": ctx.col("sales_channel"),
            "is_business_order": "coalesce(p_business, false)",
            "buyer_hash": f"kg_hash({ctx.col('buyer_email')})",
            "ship_postal_hash": f"kg_hash({ctx.col('ship_postal_code')})",
            "ship_country": ctx.col("ship_country"),
            "source_updated_utc": "p_updated",
        }
