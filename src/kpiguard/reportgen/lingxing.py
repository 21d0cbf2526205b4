"""Write LingXing (领星)-style ERP exports: the order export and the MSKU profit report.

Both layouts are our assumption (see docs/formats/lingxing.md), written the way Chinese ERPs
export: CSV in GB18030 without BOM (what Excel on a Chinese Windows reads as "ANSI"), or XLSX.
Fees and costs are negative, discounts too; 毛利率 is a ``12.71%`` string.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from kpiguard.reportgen.model import OrderLine
from kpiguard.reportgen.sheets import save_cells

ORDER_COLUMNS = ["订单号", "店铺", "站点", "订购时间", "订单状态", "MSKU", "ASIN", "品名", "数量",
                 "商品金额", "税费", "运费", "促销折扣", "币种"]
ORDER_STATUS = {"pending": "待付款", "unshipped": "待发货", "shipped": "已发货", "delivered": "已完成",
                "cancelled": "已取消"}
PROFIT_COLUMNS = ["店铺", "国家", "MSKU", "ASIN", "品名", "SKU", "FBA销量", "FBA销售额", "平台费",
                  "FBA发货费", "广告费总计", "采购成本", "头程成本", "毛利润", "毛利率"]


@dataclass(frozen=True)
class ProfitRow:
    """One MSKU of a LingXing profit report; fees and costs are negative, as LingXing writes them."""

    shop: str
    country: str
    msku: str
    asin: str
    name: str
    sku: str
    fba_units: int
    fba_sales: Decimal
    platform_fee: Decimal
    fba_fee: Decimal
    ad_spend: Decimal
    purchase_cost: Decimal
    first_leg: Decimal

    @property
    def gross_profit(self) -> Decimal:
        return (self.fba_sales + self.platform_fee + self.fba_fee + self.ad_spend + self.purchase_cost
                + self.first_leg)

    @property
    def margin(self) -> str:
        rate = (self.gross_profit / self.fba_sales * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return f"{rate}%"


def _amount(value: Decimal, currency: str) -> str:
    return f"{value:.0f}" if currency == "JPY" else f"{value:.2f}"


def order_rows(lines: list[OrderLine], shop: str, site: str, tz: str) -> list[list[str]]:
    out = [ORDER_COLUMNS]
    for ln in lines:
        cur = ln.currency
        out.append([
            ln.order_id, shop, site, ln.purchased_at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S"),
            ORDER_STATUS[ln.status], ln.product.sku, ln.product.asin, ln.product.title, str(ln.quantity),
            _amount(ln.line_total, cur), _amount(ln.tax, cur), _amount(ln.shipping, cur),
            _amount(-ln.discount, cur) if ln.discount else _amount(Decimal(0), cur), cur,
        ])
    return out


def profit_rows(rows: list[ProfitRow]) -> list[list[str]]:
    out = [PROFIT_COLUMNS]
    for r in rows:
        out.append([r.shop, r.country, r.msku, r.asin, r.name, r.sku, str(r.fba_units)] + [
            f"{v:.2f}" for v in (r.fba_sales, r.platform_fee, r.fba_fee, r.ad_spend, r.purchase_cost,
                                 r.first_leg, r.gross_profit)
        ] + [r.margin])
    return out


def save(path: Path, cells: list[list[str]], fmt: str = "csv", encoding: str = "gb18030") -> Path:
    """CSV in ``encoding`` (GB18030, no BOM, CRLF, as Windows ERPs write) or XLSX with text cells."""
    return save_cells(path, cells, fmt, encoding, "\r\n")


def write_orders(path: Path, lines: list[OrderLine], fmt: str = "csv", shop: str = "TrailCo-US",
                 site: str = "美国", tz: str = "America/Los_Angeles") -> Path:
    """The assumed 领星 order export; 订购时间 in the site's local time ``tz``."""
    return save(path, order_rows(lines, shop, site, tz), fmt)


def write_profit(path: Path, rows: list[ProfitRow], fmt: str = "csv") -> Path:
    return save(path, profit_rows(rows), fmt)
