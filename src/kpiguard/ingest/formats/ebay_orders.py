"""eBay Seller Hub orders report (Orders -> Download, "All orders" CSV) -> order_lines.

Column titles were renamed, added and removed over the years, so everything is matched by name;
UK/AU files say ``Postage And Handling`` and ``Post To ...`` where the US says ``Shipping And
Handling`` and ``Ship To ...`` (locale ``en_gb``).

File layout, handled by the engine and the skips below:
- line 1 is bare commas, the header is on line 2 (header detection skips empty rows);
- line 3 is a blank padding row (skipped as a blank row);
- footer lines ``1,record(s) downloaded,from Mar-01-26 to Mar-31-26`` and ``Seller ID : ...``
  are skipped with their own reasons;
- a multi-item order has a summary row with the order totals and no ``Item Number``, then one
  row per item. The summary is skipped (it is not a line), but its ``Shipping And Handling`` is
  used when the order's item rows carry none: it is allocated to the items pro rata by
  ``Sold For`` x ``Quantity``, remainder to the last item (``allocation.py``). A summary amount
  that does not parse is reported on the order's item rows.

Values: money ``$18.00`` / ``£18.00`` in the store's currency; ``Sold For`` is the price per unit
(recalled, not confirmed: identical to the line total when Quantity is 1). ``Sale Date`` is
``Mar-05-26`` with no time and no zone: it is the seller's local calendar day, so
``purchased_at_utc`` is local midnight of that day in the store's time zone, converted to UTC,
and ``order_date_local`` is the day as written. There is no status column: a ``Shipped On Date``
means shipped, a ``Paid On Date`` unshipped, neither pending. The report has no fee or refund
columns (those are in the Payments transaction report).
"""

from __future__ import annotations

from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.formats.allocation import allocated, line_number_by
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, Skip, integer, money, ts
from kpiguard.ingest.sqlmacros import sql_literal

UK = "en_gb"
SUMMARY = "order summary row of a multi-item order (totals, no item)"
SALE_DATE = ("%b-%d-%y", "%b-%d-%Y", "%b %d, %Y", "%d-%b-%y")  # "Mar-05-26", "Mar 5, 2026"

STATUS = """CASE WHEN NOT kg_blank(SHIPPED) THEN 'shipped' WHEN NOT kg_blank(PAID) THEN 'unshipped'
    ELSE 'pending' END"""


@register
class EbayOrders(ReportFormat):
    key = "ebay_orders"
    title = "eBay orders report"
    title_zh = "eBay 订单报告"
    table = "order_lines"
    platforms = ("ebay",)
    columns = (
        Column("sales_record", ("Sales Record Number",)),
        Column("order_number", ("Order Number",), required=False),
        Column("buyer_username", ("Buyer Username", "User Id"), required=False),
        Column("item_number", ("Item Number",)),
        Column("item_title", ("Item Title",)),
        Column("custom_label", ("Custom Label",), required=False),
        Column("quantity", ("Quantity",)),
        Column("sold_for", ("Sold For",)),
        Column("shipping", ("Shipping And Handling",), required=False, locales={UK: ("Postage And Handling",)}),
        Column("seller_tax", ("Seller Collected Tax",), required=False),
        Column("ebay_tax", ("eBay Collected Tax",), required=False),
        Column("sale_date", ("Sale Date",)),
        Column("paid_on", ("Paid On Date",), required=False),
        Column("shipped_on", ("Shipped On Date",), required=False),
        Column("transaction_id", ("Transaction ID",), required=False),
        Column("ship_zip", ("Ship To Zip",), required=False, locales={UK: ("Post To Postcode",)}),
        Column("ship_country", ("Ship To Country",), required=False, locales={UK: ("Post To Country",)}),
    )

    def order_key(self, ctx: ImportContext) -> str:
        """Order Number (``04-11873-40215``), else the Sales Record Number of older files."""
        return f"coalesce(nullif(trim({ctx.col('order_number')}), ''), trim(sales_record))"

    def version(self, ctx: ImportContext) -> str:
        return "with Order Number" if ctx.has("order_number") else "without Order Number (older)"

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        return {
            "sale_date": ts("sale_date", *SALE_DATE),  # naive: read as local midnight in the store's zone
            "quantity": integer("quantity"),
            "sold_for": money("sold_for"),  # "$19.95"
            "shipping": money("shipping"),
            "seller_tax": money("seller_tax"),
            "ebay_tax": money("ebay_tax"),
        }

    def skips(self, ctx: ImportContext) -> list[Skip]:
        cells = "concat_ws('|', " + ", ".join(sorted(ctx.present)) + ")"
        return [
            Skip(f"{cells} ILIKE '%record(s) downloaded%'", "footer: record count"),
            Skip("trim(sales_record) ILIKE 'seller id%'", "footer: seller id"),
            Skip(f"kg_blank(item_number) AND NOT kg_blank({self.order_key(ctx)})", SUMMARY),
        ]

    def _summary_shipping(self, ctx: ImportContext) -> str:
        style = sql_literal(ctx.store.decimal_style if ctx.store else "point")
        return f"kg_minor(kg_num({ctx.col('shipping')}, {style}), {ctx.currency})"

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        bad_summary = (
            f"{self.order_key(ctx)} IN (SELECT {self.order_key(ctx)} FROM stage_all WHERE _skip = "
            f"{sql_literal(SUMMARY)} AND NOT kg_blank({ctx.col('shipping')}) AND {self._summary_shipping(ctx)} IS NULL)"
        )
        checks = [RowCheck("value.excel_number", "regexp_matches(item_number, '[eE][+]')", "item_number",
                           "the item number was turned into a number by Excel and lost digits",
                           "download the report again and import it without opening it in Excel")]
        if ctx.has("shipping"):
            checks.append(RowCheck("value.unparseable", bad_summary, "shipping",
                                   "the order's summary row has a shipping amount that is not an amount",
                                   "correct the summary row of this order or download the report again"))
        return checks

    def stage_from(self, ctx: ImportContext) -> str:
        okey = self.order_key(ctx)
        summary = (
            f"SELECT {okey} AS _sum_key, max({self._summary_shipping(ctx)}) AS _sum_ship "
            f"FROM stage_all WHERE _skip = {sql_literal(SUMMARY)} GROUP BY ALL"
        )
        # The summary's shipping is used only when no item row of the order has its own.
        order_ship = "CASE WHEN count(p_shipping) OVER (PARTITION BY _okey) = 0 THEN _sum_ship END"
        base = (
            f"(SELECT *, {order_ship} AS _order_ship FROM (SELECT s.*, {okey} AS _okey, m._sum_ship FROM stage s "
            f"LEFT JOIN ({summary}) m ON m._sum_key = {okey}) AS _joined) AS _items"
        )
        return allocated(base, "_okey", "p_sold_for * p_quantity", {"a_shipping": "_order_ship"})

    def select(self, ctx: ImportContext) -> dict[str, str]:
        line_key = f"coalesce(nullif(trim({ctx.col('transaction_id')}), ''), {line_number_by('trim(item_number)', '_okey')})"
        status = STATUS.replace("SHIPPED", ctx.col("shipped_on")).replace("PAID", ctx.col("paid_on"))
        return {
            "order_id": "_okey",
            "line_id": line_key,
            "purchased_at_utc": "p_sale_date",
            "order_date_local": f"kg_local_date(p_sale_date, {ctx.tz})",
            "order_status": status,
            "status_raw": f"concat_ws(' / ', 'paid ' || {ctx.col('paid_on')}, 'shipped ' || {ctx.col('shipped_on')})",
            "sku": f"nullif(trim({ctx.col('custom_label')}), '')",
            "product_id": "trim(item_number)",
            "product_name": "item_title",
            "quantity": "p_quantity",
            "currency": ctx.currency,
            "item_price_minor": "p_sold_for * p_quantity",
            "item_tax_minor": "CASE WHEN p_seller_tax IS NULL AND p_ebay_tax IS NULL THEN NULL "
            "ELSE coalesce(p_seller_tax, 0) + coalesce(p_ebay_tax, 0) END",
            "shipping_minor": "coalesce(p_shipping, a_shipping)",
            "promotion_discount_minor": "0",
            "fulfillment_channel": "'merchant'",
            "sales_channel": "'eBay'",
            "is_business_order": "false",
            "buyer_hash": f"kg_hash({ctx.col('buyer_username')})",
            "ship_postal_hash": f"kg_hash({ctx.col('ship_zip')})",
            "ship_country": ctx.col("ship_country"),
        }
