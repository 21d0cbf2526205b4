"""TikTok Shop Seller Center orders export (Orders -> Export, CSV or XLSX) -> order_lines, refunds.

One row per SKU line. Regional variants differ in the address block (VN ``Province, District,
Commune``; US ``Zipcode, Country, State, County, City``; PH, ID ...) and in extra fee columns;
only the order and money columns are read, by name.

Quirks handled here:
- row 2 is a description row (``Platform unique order ID.``, ``Current order status.``): the
  first data row whose Order ID is not digits is skipped with a reason;
- ``Order ID`` is an 18-digit number (``577204819930416125``) and stays text; a value Excel
  turned into ``5.77204819930416E+17`` is refused (its last digits are lost);
- dates are ``DD/MM/YYYY HH:MM:SS`` (VN, PH ...) or ``MM/DD/YYYY`` (US), local time. The order is
  detected per file from the values: a first field above 12 means day-first, a second field
  above 12 month-first; with no such value, the store's marketplace default decides. A file with
  evidence both ways is refused: one file never mixes the two;
- money may carry a code and separators: TikTok JP writes ``JPY 1,234``; a code other than the
  store's currency is refused;
- ``Cancelation/Return Type`` is spelled with one "l"; the two-l spelling is an alias, and
  ``" Virtual Bundle Seller SKU"`` has a leading space (header normalisation strips it);
- order-level amounts (``Shipping Fee After Discount``, ``Taxes``, ``Order Amount``, ``Order
  Refund Amount``) repeat on every line of the order: the first line's value is taken once and
  shipping and taxes are allocated to the lines pro rata (``allocation.py``);
- ``SKU Seller Discount`` is the seller-funded discount (``promotion_discount_minor``);
  ``SKU Platform Discount`` is paid by TikTok and not counted as the seller's discount;
- a non-zero ``Order Refund Amount`` becomes one refund per order (id ``<Order ID>:refunded``),
  dated at ``Cancelled Time`` if any, else at ``Created Time`` (the export has no refund time).
"""

from __future__ import annotations

import re

from kpiguard.errors import Finding, InputError
from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.formats.allocation import allocated, first_in_order, line_number_by
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, Skip, integer, money, ts

ORDER = "order_id"
TIME_KEYS = ("created_time", "paid_time", "cancelled_time")
DAY_FIRST = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")
MONTH_FIRST = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y")
TYPED = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")  # an XLSX date cell read by openpyxl
DATE_PREFIX = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})")

STATUS = """CASE
    WHEN lower(order_status) LIKE 'cancel%' OR lower(trim(CANCEL_TYPE)) = 'cancel' THEN 'cancelled'
    WHEN lower(order_status) IN ('unpaid', 'on hold') THEN 'pending'
    WHEN lower(order_status) IN ('shipped', 'in transit') THEN 'shipped'
    WHEN lower(order_status) IN ('delivered', 'completed') THEN 'delivered'
    ELSE 'unshipped' END"""


def day_first_evidence(values: list[str]) -> tuple[bool, bool]:
    """(some value must be day-first, some value must be month-first) for ``NN/NN/YYYY`` dates."""
    day = month = False
    for value in values:
        m = DATE_PREFIX.match(value)
        if m:
            day = day or int(m.group(1)) > 12
            month = month or int(m.group(2)) > 12
    return day, month


@register
class TikTokOrders(ReportFormat):
    key = "tiktok_orders"
    title = "TikTok Shop orders export"
    title_zh = "TikTok Shop 订单导出"
    table = "order_lines"
    platforms = ("tiktok_shop",)
    columns = (
        Column(ORDER, ("Order ID",)),
        Column("order_status", ("Order Status",)),
        Column("order_substatus", ("Order Substatus",), required=False),
        # spelled with one "l" by TikTok; some tools write two
        Column("cancel_type", ("Cancelation/Return Type", "Cancellation/Return Type"), required=False),
        Column("sku_id", ("SKU ID",), required=False),
        Column("seller_sku", ("Seller SKU",)),
        Column("product_name", ("Product Name",), required=False),
        Column("quantity", ("Quantity",)),
        Column("subtotal_before", ("SKU Subtotal Before Discount",)),
        Column("seller_discount", ("SKU Seller Discount",), required=False),
        Column("shipping_after", ("Shipping Fee After Discount",), required=False),
        Column("taxes", ("Taxes",), required=False),
        Column("order_amount", ("Order Amount",), required=False),
        Column("order_refund", ("Order Refund Amount",), required=False),
        Column("created_time", ("Created Time",)),
        Column("paid_time", ("Paid Time",), required=False),
        Column("cancelled_time", ("Cancelled Time",), required=False),
        Column("fulfillment_type", ("Fulfillment Type",), required=False),
        Column("buyer_username", ("Buyer Username",), required=False),
        Column("zipcode", ("Zipcode",), required=False),
        Column("country", ("Country",), required=False),
        Column("bundle_sku", ("Virtual Bundle Seller SKU",), required=False),  # " Virtual Bundle ..."
    )

    def _day_first(self, ctx: ImportContext) -> bool:
        """Which way this file writes dates; refuses a file that writes both."""
        values = [v for key in TIME_KEYS for v in ctx.sample(key)]
        day, month = day_first_evidence(values)
        if day and month:
            raise InputError(f"{ctx.file_name}: dates are written both DD/MM/YYYY and MM/DD/YYYY", [Finding(
                "value.date_order_mixed", "some dates have a day above 12 first, others second",
                file=ctx.file_name, column=ctx.headers.get("created_time"),
                hint="export the orders again from TikTok Shop; do not combine exports of two regions")])
        if day or month:
            return day
        return ctx.store.day_first if ctx.store else True

    def version(self, ctx: ImportContext) -> str:
        return "DD/MM/YYYY dates" if self._day_first(ctx) else "MM/DD/YYYY dates"

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        formats = (DAY_FIRST if self._day_first(ctx) else MONTH_FIRST) + TYPED
        return {
            "created": ts("created_time", *formats),
            "cancelled": ts("cancelled_time", *formats),
            "quantity": integer("quantity"),
            "subtotal_before": money("subtotal_before"),  # line total: "24.95", "JPY 1,234"
            "seller_discount": money("seller_discount"),
            "shipping": money("shipping_after"),
            "taxes": money("taxes"),
            "refund": money("order_refund"),
        }

    def skips(self, ctx: ImportContext) -> list[Skip]:
        return [Skip(f"_row = {ctx.first_row} AND NOT regexp_full_match(trim(order_id), '[0-9]+')",
                     "description row under the header (TikTok explains each column)")]

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        code = "regexp_extract(trim(subtotal_before), '^([A-Z]{3})', 1)"
        return [
            RowCheck("value.missing", "kg_blank(order_id)", ORDER, "the order id is empty",
                     "every line of a TikTok Shop export has its Order ID"),
            RowCheck("value.excel_number", "regexp_matches(order_id, '[eE][+]')", ORDER,
                     "the order id was turned into a number by Excel and lost its last digits",
                     "export the orders again and import the file as downloaded, without opening it in Excel"),
            RowCheck("value.currency_mismatch", f"{code} NOT IN ('', {ctx.currency})", "subtotal_before",
                     "the amount is in another currency than the store's",
                     "import the file into the store of that region"),
        ]

    def stage_from(self, ctx: ImportContext) -> str:
        firsts = {name: first_in_order(f"p_{name}", ORDER) for name in ("shipping", "taxes", "refund")}
        cols = ", ".join(f"{expr} AS o_{name}" for name, expr in firsts.items())
        first = f"row_number() OVER (PARTITION BY {ORDER} ORDER BY _row) = 1 AS _first"
        base = f"(SELECT *, {cols}, {first} FROM stage) AS _orders"
        return allocated(base, ORDER, "p_subtotal_before", {"a_shipping": "o_shipping", "a_taxes": "o_taxes"})

    def select(self, ctx: ImportContext) -> dict[str, str]:
        line_key = f"coalesce(nullif(trim({ctx.col('sku_id')}), ''), trim(seller_sku))"
        return {
            "order_id": "trim(order_id)",
            "line_id": line_number_by(line_key, ORDER),
            "purchased_at_utc": "p_created",
            "order_date_local": f"kg_local_date(p_created, {ctx.tz})",
            "order_status": STATUS.replace("CANCEL_TYPE", ctx.col("cancel_type")),
            "status_raw": f"concat_ws(' / ', order_status, {ctx.col('order_substatus')}, {ctx.col('cancel_type')})",
            "sku": "nullif(trim(seller_sku), '')",
            "product_id": ctx.col("sku_id"),
            "product_name": ctx.col("product_name"),
            "quantity": "p_quantity",
            "currency": ctx.currency,
            "item_price_minor": "p_subtotal_before",
            "item_tax_minor": "a_taxes",
            "shipping_minor": "a_shipping",
            "promotion_discount_minor": "abs(coalesce(p_seller_discount, 0))",
            "fulfillment_channel": f"CASE WHEN lower({ctx.col('fulfillment_type')}) LIKE '%tiktok%' "
            "THEN 'platform' ELSE 'merchant' END",
            "sales_channel": "'TikTok Shop'",
            "is_business_order": "false",
            "buyer_hash": f"kg_hash({ctx.col('buyer_username')})",
            "ship_postal_hash": f"kg_hash({ctx.col('zipcode')})",
            "ship_country": ctx.col("country"),
        }

    def outputs(self, ctx: ImportContext) -> dict[str, tuple[dict[str, str], str | None]]:
        return {**super().outputs(ctx), "refunds": (self.refund_select(ctx), "_first AND o_refund <> 0")}

    def refund_select(self, ctx: ImportContext) -> dict[str, str]:
        at = "coalesce(p_cancelled, p_created)"
        return {
            "refund_id": "trim(order_id) || ':refunded'",
            "order_id": "trim(order_id)",
            "kind": "'refund'",
            "refunded_at_utc": at,
            "refund_date_local": f"kg_local_date({at}, {ctx.tz})",
            "currency": ctx.currency,
            "amount_minor": "abs(o_refund)",
            "reason": f"nullif(trim({ctx.col('cancel_type')}), '')",
        }
