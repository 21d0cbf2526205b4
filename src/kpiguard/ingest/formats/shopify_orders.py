"""Shopify orders export (Admin -> Orders -> Export, CSV) -> order_lines, plus refunds.

Comma separated, UTF-8, one row per line item; a multi-item order repeats ``Name`` (``#1042``).
Header versions, matched by name: the current one; an older one without ``Outstanding Balance,
Employee, Location, Device ID`` (it goes straight from ``Vendor`` to ``Id``); and the oldest, which
ends at ``Lineitem discount``.

Quirks handled here:
- order-level fields (Financial Status, Currency, Subtotal, Shipping, Taxes, Total, Discount
  Amount, Refunded Amount, Paid at, Cancelled at, Email, shipping address) are filled only on
  the first row of each order. ``stage_from`` fills them forward by ``Name`` with window
  functions, so every line sees its order's values;
- timestamps carry the shop's offset: ``2026-03-05 09:12:38 -0500``. ``purchased_at_utc`` is
  exact; ``order_date_local`` is that instant in the kpiguard store's time zone, which should be
  the Shopify shop's zone (``kpiguard store add ... --timezone America/New_York``);
- ``Discount Amount``, ``Shipping`` and ``Taxes`` are per order: they are allocated to the lines
  pro rata by line total (``Lineitem price`` x ``Lineitem quantity``), remainder to the last line,
  in minor units, so the lines of an order sum to the order's amounts exactly (``allocation.py``);
- ``Refunded Amount`` (per order, cumulative) becomes one refund row per order, id
  ``<Name>:refunded``, so a later export with a larger refund supersedes it. The export has no
  refund date: the refund is dated at ``Cancelled at`` if the order was cancelled, else at the
  order's ``Created at`` (refund rate by order cohort); Shopify's payouts report has exact dates;
- status: ``Cancelled at`` set or ``voided`` -> cancelled; ``pending``/``authorized``/``expired``
  payment -> pending; the line (else the order) ``fulfilled`` -> shipped; otherwise unshipped.
  Shopify's export does not say when a parcel was delivered, so ``delivered`` never appears.
"""

from __future__ import annotations

from kpiguard.errors import Finding, InputError
from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.formats.allocation import allocated, filled_forward, line_number_by
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, integer, money, ts
from kpiguard.ingest.sqlmacros import sql_literal
from kpiguard.money import CURRENCY_EXPONENTS

ORDER = "order_name"
# "2026-03-05 09:12:38 -0500"; "iso" also reads "2026-03-05T09:12:38-05:00"
SHOPIFY_TS = ("%Y-%m-%d %H:%M:%S %z", "iso")

STATUS = """CASE
    WHEN o_cancelled IS NOT NULL OR o_financial = 'voided' THEN 'cancelled'
    WHEN o_financial IN ('pending', 'authorized', 'expired') THEN 'pending'
    WHEN coalesce(nullif(lower(trim(LINE_FULFILLMENT)), ''), o_fulfillment) = 'fulfilled' THEN 'shipped'
    ELSE 'unshipped' END"""


def _text(key: str) -> str:
    return f"nullif(trim({key}), '')"


@register
class ShopifyOrders(ReportFormat):
    key = "shopify_orders"
    title = "Shopify orders export"
    title_zh = "Shopify 订单导出"
    table = "order_lines"
    platforms = ("shopify",)
    default_decimal_style = "point"  # Shopify writes 54.50 whatever the shop's locale
    columns = (
        Column(ORDER, ("Name",)),
        Column("email", ("Email",), required=False),
        Column("financial_status", ("Financial Status",)),
        Column("paid_at", ("Paid at",), required=False),
        Column("fulfillment_status", ("Fulfillment Status",), required=False),
        Column("currency", ("Currency",)),
        Column("subtotal", ("Subtotal",)),
        Column("shipping", ("Shipping",), required=False),
        Column("taxes", ("Taxes",), required=False),
        Column("total", ("Total",)),
        Column("discount_amount", ("Discount Amount",), required=False),
        Column("created_at", ("Created at",)),
        Column("quantity", ("Lineitem quantity",)),
        Column("lineitem_name", ("Lineitem name",)),
        Column("lineitem_price", ("Lineitem price",)),
        Column("lineitem_sku", ("Lineitem sku",)),
        Column("lineitem_fulfillment", ("Lineitem fulfillment status",), required=False),
        Column("shipping_zip", ("Shipping Zip",), required=False),
        Column("shipping_country", ("Shipping Country",), required=False),
        Column("cancelled_at", ("Cancelled at",), required=False),
        Column("refunded_amount", ("Refunded Amount",), required=False),
        Column("outstanding_balance", ("Outstanding Balance",), required=False),
        Column("shopify_id", ("Id",), required=False),
        Column("source_name", ("Source",), required=False),
    )

    def version(self, ctx: ImportContext) -> str:
        if ctx.has("outstanding_balance"):
            return "current (with Outstanding Balance, Employee, Location, Device ID)"
        if ctx.has("shopify_id"):
            return "older (without Outstanding Balance, Employee, Location, Device ID)"
        return "oldest (ends at Lineitem discount)"

    def currency_sql(self, ctx: ImportContext) -> str:
        """The currency whose minor unit the file's amounts are converted to.

        ``Currency`` is on each order's first row only, so a line row cannot name its own; the
        conversion needs only the currency's exponent, which every currency of the file must
        share (a USD and a JPY order in one file is refused). The stored ``currency`` is each
        order's own, filled forward in ``stage_from``.
        """
        codes = self._file_currencies(ctx)
        exponents = {CURRENCY_EXPONENTS.get(c, 2) for c in codes}
        if len(exponents) > 1:
            raise InputError(f"{ctx.file_name}: orders in currencies with different minor units", [Finding(
                "value.currency_mixed", f"the file mixes {', '.join(codes)}", file=ctx.file_name,
                column=ctx.headers.get("currency"),
                hint="export the orders of each currency separately (filter by currency in Shopify)")])
        return sql_literal(codes[0]) if codes else ctx.currency

    def _file_currencies(self, ctx: ImportContext) -> list[str]:
        if ctx.con is None:
            return []
        rows = ctx.con.execute("SELECT DISTINCT upper(trim(currency)) FROM src "
                               "WHERE NOT kg_blank(currency) ORDER BY 1").fetchall()
        return [r[0] for r in rows]

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        return {
            "created": ts("created_at", *SHOPIFY_TS),
            "paid": ts("paid_at", *SHOPIFY_TS),
            "cancelled": ts("cancelled_at", *SHOPIFY_TS),
            "quantity": integer("quantity"),
            "price": money("lineitem_price"),  # per unit: "19.95"
            "subtotal": money("subtotal"),
            "shipping": money("shipping"),
            "taxes": money("taxes"),
            "total": money("total"),
            "discount": money("discount_amount"),
            "refunded": money("refunded_amount"),
        }

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [
            RowCheck("value.missing", "kg_blank(order_name)", ORDER, "the order name is empty",
                     "every row of a Shopify export starts with the order's Name (#1001)"),
            RowCheck("order.no_header_row", f"{ORDER} IN (SELECT {ORDER} FROM stage GROUP BY ALL "
                     "HAVING count(nullif(trim(financial_status), '')) = 0)",
                     "financial_status", "the order's first row (with Financial Status) is missing",
                     "the export was cut or filtered: export the orders again without deleting rows"),
        ]

    def stage_from(self, ctx: ImportContext) -> str:
        """Fill order-level fields forward by Name, then allocate the per-order amounts."""
        filled = {
            "o_financial": _text("lower(financial_status)"),
            "o_fulfillment": _text(f"lower({ctx.col('fulfillment_status')})"),
            "o_currency": _text("upper(currency)"),
            "o_email": _text(ctx.col("email")),
            "o_zip": _text(f"ltrim({ctx.col('shipping_zip')}, '''')"),  # Shopify writes '02134
            "o_country": _text(ctx.col("shipping_country")),
            "o_created": "p_created",
            "o_cancelled": "p_cancelled",
            "o_discount": "p_discount",
            "o_shipping": "p_shipping",
            "o_taxes": "p_taxes",
            "o_refunded": "p_refunded",
        }
        cols = ", ".join(f"{filled_forward(expr, ORDER)} AS {name}" for name, expr in filled.items())
        first = f"row_number() OVER (PARTITION BY {ORDER} ORDER BY _row) = 1 AS _first"
        base = f"(SELECT *, {cols}, {first}, p_price * p_quantity AS _line_total FROM stage) AS _filled"
        return allocated(base, ORDER, "_line_total", {
            "a_discount": "o_discount", "a_shipping": "o_shipping", "a_taxes": "o_taxes",
        })

    def select(self, ctx: ImportContext) -> dict[str, str]:
        line_key = f"coalesce({_text('lineitem_sku')}, 'line')"
        return {
            "order_id": f"trim({ORDER})",
            "line_id": line_number_by(line_key, ORDER),
            "purchased_at_utc": "o_created",
            "order_date_local": f"kg_local_date(o_created, {ctx.tz})",
            "order_status": STATUS.replace("LINE_FULFILLMENT", ctx.col("lineitem_fulfillment")),
            "status_raw": "concat_ws(' / ', o_financial, o_fulfillment, "
            "CASE WHEN o_cancelled IS NOT NULL THEN 'cancelled' END)",
            "sku": _text("lineitem_sku"),
            "product_name": "lineitem_name",
            "quantity": "p_quantity",
            "currency": f"coalesce(o_currency, {ctx.currency})",
            "item_price_minor": "_line_total",
            "item_tax_minor": "a_taxes",
            "shipping_minor": "a_shipping",
            "promotion_discount_minor": "abs(a_discount)",
            "fulfillment_channel": "'merchant'",
            "sales_channel": ctx.col("source_name"),
            "is_business_order": "false",
            "buyer_hash": "kg_hash(o_email)",
            "ship_postal_hash": "kg_hash(o_zip)",
            "ship_country": "o_country",
        }

    def outputs(self, ctx: ImportContext) -> dict[str, tuple[dict[str, str], str | None]]:
        return {**super().outputs(ctx), "refunds": (self.refund_select(ctx), "_first AND o_refunded > 0")}

    def refund_select(self, ctx: ImportContext) -> dict[str, str]:
        """One refund per order from the cumulative ``Refunded Amount`` (see the module doc)."""
        at = "coalesce(o_cancelled, o_created)"
        return {
            "refund_id": f"trim({ORDER}) || ':refunded'",
            "order_id": f"trim({ORDER})",
            "kind": "'refund'",
            "refunded_at_utc": at,
            "refund_date_local": f"kg_local_date({at}, {ctx.tz})",
            "currency": f"coalesce(o_currency, {ctx.currency})",
            "amount_minor": "o_refunded",
            "reason": "o_financial",
        }
