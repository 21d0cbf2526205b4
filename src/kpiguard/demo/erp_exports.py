"""The store whose data only arrives through a Chinese ERP (LingXing 领星): its order export and its
profit report, in GBK as a Chinese Windows Excel saves CSV, with Chinese headers and product names.

The profit report is downloaded per three months (imported with that range as ``--from/--to``);
LingXing signs fees and costs negative and computes them from the orders, Amazon's fee schedule,
the ads and the seller's cost sheet, as the demo does here.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from kpiguard.demo.catalog import quantize
from kpiguard.demo.exports import BlockExport, FileJob, OrderExport
from kpiguard.demo.payouts import COMMISSION, FBA_FEE
from kpiguard.reportgen.model import OrderLine, Product, StoreHistory

SHOP, SITE = "TrailCo-JP", "日本"


class LingXingOrders(OrderExport):
    report, module, format_key = "LingXing ERP order export (GBK)", "lingxing", "erp_lingxing"
    prefix = "lingxing-orders"

    def render(self, path: Path, lines: list[OrderLine], taken: datetime) -> None:
        rows = self.writer.order_rows(lines, SHOP, SITE, self.ctx.spec.timezone)  # 订购时间: site time
        self.writer.save(path, rows, "csv", encoding="gbk")


class LingXingProfit(BlockExport):
    report, module, format_key = "LingXing ERP profit report (GBK)", "lingxing", "erp_lingxing_profit"

    def pick(self, chunk: StoreHistory) -> list[object]:
        """Per product: units and sales of the orders not cancelled, and the ad spend."""
        sums: dict[str, list[object]] = {}
        for ln in chunk.orders:
            if ln.status != "cancelled":
                entry = sums.setdefault(ln.product.sku, [ln.product, 0, Decimal(0), Decimal(0)])
                entry[1] += ln.quantity  # type: ignore[operator]
                entry[2] += ln.line_total - ln.discount  # type: ignore[operator]
        for ad in chunk.ads:
            if ad.product.sku in sums:
                sums[ad.product.sku][3] += ad.spend  # type: ignore[operator]
        return [tuple(v) for v in sums.values()]

    def write_block(self, rows: list, first: date, last: date) -> FileJob:  # type: ignore[type-arg]
        totals: dict[str, tuple[Product, int, Decimal, Decimal]] = {}
        for product, units, sales, spend in rows:
            seen = totals.get(product.sku)
            totals[product.sku] = (product, units, sales, spend) if seen is None else (
                product, seen[1] + units, seen[2] + sales, seen[3] + spend)
        cur = self.ctx.spec.currency
        profit = [self.writer.ProfitRow(
            SHOP, SITE, p.sku, p.asin, p.title, p.sku, units, sales, -quantize(sales * COMMISSION, cur),
            -FBA_FEE[cur] * units, -spend, -p.unit_cost * units, -p.first_leg * units)
            for p, units, sales, spend in totals.values()]
        path = self.ctx.path("erp", f"lingxing-profit_{first:%Y%m%d}-{last:%Y%m%d}.csv")
        self.writer.save(path, self.writer.profit_rows(profit), "csv", encoding="gbk")
        return self.job(path, (first, last))
