"""Amazon "Manage FBA Inventory" (GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA) into ``inventory_snapshots``.

TAB separated, one row per SKU. Two header generations, matched by name: the current 21 columns
and the MWS-era 18 columns that end at ``afn-inbound-receiving-quantity`` (no researching or
future-supply columns). Values: ``your-price`` ``19.95``; quantities are whole numbers, and
``mfn-fulfillable-quantity`` is blank for FBA-only SKUs.

The report is a **snapshot with no date column**. Its date is the store's local day at the moment
of the import (``ctx.snapshot_at``, stored as ``snapshot_at_utc``). A file imported later than the
day it was downloaded can be dated with ``--from D --to D`` (the same day twice): the rows are then
dated D and ``snapshot_at_utc`` stays NULL, since the time of download is not known. A range of
several days is refused: a snapshot is one day. Two snapshots of the same day: the later import
wins.

Quantities kept are Amazon's (AFN) stock: ``fulfillable_qty``, ``reserved_qty``, ``unsellable_qty``;
``total_qty`` is the stock in Amazon's warehouses (``afn-warehouse-quantity``, which is their sum),
and ``inbound_qty`` what is on its way (working + shipped + receiving), kept apart from it.
"""

from __future__ import annotations

from kpiguard.errors import Finding, InputError
from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, integer, money

INBOUND = ("inbound_working", "inbound_shipped", "inbound_receiving")


def _col(key: str, header: str, required: bool = False) -> Column:
    return Column(key, (header,), required=required)


@register
class AmazonManageFbaInventory(ReportFormat):
    key = "amazon_fba_inventory"
    title = "Amazon Manage FBA Inventory report"
    title_zh = "亚马逊管理 FBA 库存报告"
    table = "inventory_snapshots"
    platforms = ("amazon",)
    default_decimal_style = "point"  # flat files write 19.95 on every marketplace
    columns = (
        _col("sku", "sku", True),
        _col("fnsku", "fnsku"),
        _col("asin", "asin"),
        _col("your_price", "your-price"),
        _col("afn_warehouse", "afn-warehouse-quantity", True),
        _col("afn_fulfillable", "afn-fulfillable-quantity", True),
        _col("afn_unsellable", "afn-unsellable-quantity"),
        _col("afn_reserved", "afn-reserved-quantity"),
        _col("afn_total", "afn-total-quantity"),
        _col("inbound_working", "afn-inbound-working-quantity"),
        _col("inbound_shipped", "afn-inbound-shipped-quantity"),
        _col("inbound_receiving", "afn-inbound-receiving-quantity"),
        _col("afn_researching", "afn-researching-quantity"),  # not in the MWS-era 18 columns
    )

    def version(self, ctx: ImportContext) -> str:
        return "current (21 columns)" if ctx.has("afn_researching") else "old (18 columns)"

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        counts = ("afn_warehouse", "afn_fulfillable", "afn_unsellable", "afn_reserved", *INBOUND)
        return {"price": money("your_price"), **{key: integer(key) for key in counts}}

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [RowCheck("value.missing", "kg_blank(sku)", "sku", "the SKU is empty",
                         "every row of the inventory report names a SKU; export the report again")]

    def snapshot_sql(self, ctx: ImportContext) -> tuple[str, str]:
        """(snapshot_at_utc, snapshot_date_local): the import time, or the day the user gave."""
        if ctx.period_from is None or ctx.period_to is None:
            at = f"TIMESTAMPTZ '{ctx.snapshot_at.isoformat()}'"
            return at, f"kg_local_date({at}, {ctx.tz})"
        if ctx.period_from != ctx.period_to:
            raise InputError(f"{ctx.file_name}: an inventory snapshot is one day", [Finding(
                "import.snapshot_range",
                f"--from {ctx.period_from} --to {ctx.period_to} is a range; the report is stock on one day",
                file=ctx.file_name,
                hint="give the day it was downloaded twice (--from D --to D), or leave both out for today")])
        return "NULL", f"DATE '{ctx.period_from.isoformat()}'"

    def select(self, ctx: ImportContext) -> dict[str, str]:
        at, day = self.snapshot_sql(ctx)
        inbound = " + ".join(f"coalesce(p_{key}, 0)" for key in INBOUND)
        on_hand = "coalesce(p_afn_fulfillable, 0) + coalesce(p_afn_reserved, 0) + coalesce(p_afn_unsellable, 0)"
        return {
            "snapshot_at_utc": at,
            "snapshot_date_local": day,
            "sku": "trim(sku)",
            "product_id": f"nullif(trim({ctx.col('asin')}), '')",
            "fulfillable_qty": "p_afn_fulfillable",
            "reserved_qty": "p_afn_reserved",
            "unsellable_qty": "p_afn_unsellable",
            "inbound_qty": inbound,
            "total_qty": f"coalesce(p_afn_warehouse, {on_hand})",
            "currency": ctx.currency,
            "price_minor": "p_price",
        }
