"""Shopee Seller Centre orders export (My Orders -> Export, XLSX) -> order_lines.

One row per item. Headers come in the seller's UI language: English (``Order ID``, ``Deal Price``)
and Indonesian (``No. Pesanan``, ``Harga Setelah Diskon``) are read. The Indonesian names
``No. Pesanan, Status Pesanan, SKU Induk, No. Referensi SKU, Harga Awal, Harga Setelah Diskon,
Jumlah, Total Pembayaran, Waktu Pesanan Dibuat`` are confirmed by a public parser; the other
Indonesian names below are recalled, not confirmed, so none of them is required.

Quirks handled here:
- the currency is inside column names: ``Seller Voucher(PHP)``, ``Total Discount(MYR)``. Those
  columns match by pattern, and the code in the header is the rows' currency; a code that is not
  the store's currency is refused (the file belongs to another store);
- dates are local times ``2026-03-04 18:22`` (an XLSX date cell reads as ``2026-03-04 18:22:00``);
- numbers are typed cells, or text with thousands separators (``"1,299"``);
- ``Original Price`` and ``Deal Price`` are unit prices: the line total before discounts is
  Original Price x Quantity, and the seller's price discount (Original - Deal) x Quantity;
- ``Seller Voucher`` and ``Buyer Paid Shipping Fee`` are order amounts. Whether Shopee repeats
  them on every item row is not confirmed: the first non-empty value of the order is taken once
  and allocated to the lines pro rata by Deal Price x Quantity (``allocation.py``). Shopee-funded
  vouchers and coins are not the seller's discount and are not counted.
"""

from __future__ import annotations

import re

from kpiguard.errors import Finding, InputError
from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.formats.allocation import allocated, first_in_order, line_number_by
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, integer, money, ts

ORDER = "order_id"
CURRENCY_IN_HEADER = re.compile(r"\((\w{3})\)\s*$")
ID = "id"

STATUS = """CASE
    WHEN lower(trim(order_status)) IN ('cancelled', 'canceled', 'batal') THEN 'cancelled'
    WHEN lower(trim(order_status)) IN ('unpaid', 'belum bayar') THEN 'pending'
    WHEN lower(trim(order_status)) IN ('to ship', 'ready to ship', 'perlu dikirim') THEN 'unshipped'
    WHEN lower(trim(order_status)) IN ('shipping', 'to receive', 'shipped', 'dikirim', 'sedang dikirim')
      THEN 'shipped'
    WHEN lower(trim(order_status)) IN ('completed', 'delivered', 'selesai') THEN 'delivered'
    ELSE 'unshipped' END"""


@register
class ShopeeOrders(ReportFormat):
    key = "shopee_orders"
    title = "Shopee orders export"
    title_zh = "Shopee 订单导出"
    table = "order_lines"
    platforms = ("shopee",)
    columns = (
        Column(ORDER, ("Order ID",), locales={ID: ("No. Pesanan",)}),
        Column("order_status", ("Order Status",), locales={ID: ("Status Pesanan",)}),
        Column("created", ("Order Creation Date",), locales={ID: ("Waktu Pesanan Dibuat",)}),
        Column("parent_sku", ("Parent SKU Reference No.",), required=False, locales={ID: ("SKU Induk",)}),
        Column("sku", ("SKU Reference No.",), locales={ID: ("No. Referensi SKU", "Nomor Referensi SKU")}),
        Column("product_name", ("Product Name",), required=False, locales={ID: ("Nama Produk",)}),
        Column("variation", ("Variation Name",), required=False, locales={ID: ("Nama Variasi",)}),
        Column("original_price", ("Original Price",), locales={ID: ("Harga Awal",)}),
        Column("deal_price", ("Deal Price",), locales={ID: ("Harga Setelah Diskon",)}),
        Column("quantity", ("Quantity",), locales={ID: ("Jumlah",)}),
        # "Seller Voucher(PHP)": the currency code is part of the name
        Column("seller_voucher", (), required=False, pattern=r"seller voucher ?\(\w{3}\)",
               locales={ID: ("Voucher Ditanggung Penjual",)}),
        Column("total_discount", (), required=False, pattern=r"total discount ?\(\w{3}\)",
               locales={ID: ("Total Diskon",)}),
        Column("buyer_shipping", ("Buyer Paid Shipping Fee",), required=False,
               locales={ID: ("Ongkos Kirim Dibayar oleh Pembeli",)}),
        Column("grand_total", ("Grand Total",), required=False, locales={ID: ("Total Pembayaran",)}),
        Column("buyer", ("Username (Buyer)",), required=False, locales={ID: ("Username (Pembeli)",)}),
    )

    def header_currency(self, ctx: ImportContext) -> str | None:
        """The code written inside a header such as ``Seller Voucher(PHP)``, if any."""
        for key in ("seller_voucher", "total_discount"):
            m = CURRENCY_IN_HEADER.search(ctx.headers.get(key, ""))
            if m:
                return m.group(1).upper()
        return None

    def currency_sql(self, ctx: ImportContext) -> str:
        code = self.header_currency(ctx)
        return f"'{code}'" if code else ctx.currency

    def version(self, ctx: ImportContext) -> str:
        code = self.header_currency(ctx)
        return f"currency {code} in headers" if code else "no currency in headers"

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        code = self.header_currency(ctx)
        if code and ctx.store and code != ctx.store.currency:
            raise InputError(f"{ctx.file_name}: amounts in {code}, store in {ctx.store.currency}", [Finding(
                "import.currency_mismatch",
                f"the headers say the amounts are in {code}, but store {ctx.store.store_id!r} sells in "
                f"{ctx.store.currency}", file=ctx.file_name, column=ctx.headers.get("seller_voucher"),
                hint="import the file into the Shopee store of that country")])
        return {
            "created": ts("created", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"),  # "2026-03-04 18:22"
            "quantity": integer("quantity"),
            "original": money("original_price"),  # typed 899, or text "1,299"
            "deal": money("deal_price"),
            "voucher": money("seller_voucher"),
            "shipping": money("buyer_shipping"),
        }

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [RowCheck("value.missing", "kg_blank(order_id)", ORDER, "the order id is empty",
                         "every row of a Shopee export has its Order ID")]

    def stage_from(self, ctx: ImportContext) -> str:
        firsts = ", ".join(f"{first_in_order(f'p_{n}', ORDER)} AS o_{n}" for n in ("voucher", "shipping"))
        base = f"(SELECT *, {firsts}, p_deal * p_quantity AS _deal_total FROM stage) AS _orders"
        return allocated(base, ORDER, "_deal_total", {"a_voucher": "o_voucher", "a_shipping": "o_shipping"})

    def select(self, ctx: ImportContext) -> dict[str, str]:
        line_key = "coalesce(nullif(trim(sku), ''), 'line')"
        return {
            "order_id": "trim(order_id)",
            "line_id": line_number_by(line_key, ORDER),
            "purchased_at_utc": "p_created",
            "order_date_local": f"kg_local_date(p_created, {ctx.tz})",
            "order_status": STATUS,
            "status_raw": "order_status",
            "sku": "nullif(trim(sku), '')",
            "product_name": f"nullif(concat_ws(' - ', {ctx.col('product_name')}, {ctx.col('variation')}), '')",
            "quantity": "p_quantity",
            "currency": self.currency_sql(ctx),
            "item_price_minor": "p_original * p_quantity",
            "shipping_minor": "a_shipping",
            "promotion_discount_minor": "(p_original - p_deal) * p_quantity + abs(coalesce(a_voucher, 0))",
            "fulfillment_channel": "'merchant'",
            "sales_channel": "'Shopee'",
            "is_business_order": "false",
            "buyer_hash": f"kg_hash({ctx.col('buyer')})",
        }
