"""LingXing (领星) ERP order export -> order_lines, source ``erp_lingxing``.

**This is our assumed layout; send us a real export.** No real LingXing order export (with its
exact headers) was found in public sources, so the columns below are a plausible design from the
ERP's own vocabulary (MSKU, 品名, 促销折扣 ...). See docs/formats/lingxing.md. One row per order
line; Chinese headers; CSV encoded GB18030/GBK without BOM (or UTF-8 with BOM), or XLSX:

    订单号  店铺  站点  订购时间  订单状态  MSKU  ASIN  品名  数量  商品金额  税费  运费  促销折扣  币种

- 订单号: the marketplace order id (``114-3941689-8772232``), text;
- 订购时间: ``2026-03-05 09:12:38`` (or ``2026/03/05 09:12``) in the marketplace's local time
  (站点时间), read in the store's zone; a header ``订购时间(北京时间)`` means Beijing time;
- 订单状态: 待付款 / 待发货 / 已发货 / 已完成 / 已取消, or Amazon's English statuses as the ERP
  copies them (Pending, Unshipped, Shipped, Canceled);
- 商品金额: the line total before promotions, without tax; 税费 and 运费 per line;
- 促销折扣: the ERP writes discounts, like fees, negative (``-4.00``); stored as a positive
  discount either way;
- 币种: an ISO code (``USD``) or its Chinese name (美元, 欧元, 英镑, 日元, 人民币, 加元).
"""

from __future__ import annotations

from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.formats.allocation import line_number_by
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, integer, money, ts

ZH = "zh"
TIMES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
CURRENCY_NAMES = {"美元": "USD", "欧元": "EUR", "英镑": "GBP", "日元": "JPY", "人民币": "CNY", "加元": "CAD"}

STATUS = """CASE
    WHEN trim(order_status) IN ('已取消', '取消') OR lower(trim(order_status)) IN ('canceled', 'cancelled') THEN 'cancelled'
    WHEN trim(order_status) IN ('待付款', '未付款') OR lower(trim(order_status)) = 'pending' THEN 'pending'
    WHEN trim(order_status) IN ('待发货', '未发货') OR lower(trim(order_status)) = 'unshipped' THEN 'unshipped'
    WHEN trim(order_status) IN ('已完成', '已签收', '已送达') THEN 'delivered'
    WHEN trim(order_status) IN ('已发货', '部分发货') OR lower(trim(order_status)) LIKE 'shipped%' THEN 'shipped'
    ELSE 'unshipped' END"""


def zh(key: str, *names: str, required: bool = True) -> Column:
    """A column known only by Chinese header text (locale ``zh``)."""
    return Column(key, names, required=required, locales={ZH: names})


def currency_expr(column: str, fallback: str) -> str:
    """SQL: an ISO code from a 币种 cell holding ``USD`` or ``美元``, else ``fallback``."""
    arms = " ".join(f"WHEN '{name}' THEN '{code}'" for name, code in CURRENCY_NAMES.items())
    return f"coalesce(CASE trim({column}) {arms} ELSE nullif(upper(trim({column})), '') END, {fallback})"


@register
class LingXingOrders(ReportFormat):
    key = "erp_lingxing"
    title = "LingXing ERP order export (assumed layout)"
    title_zh = "领星ERP订单导出（假定格式）"
    table = "order_lines"
    columns = (
        zh("order_id", "订单号", "平台订单号"),
        zh("shop", "店铺", required=False),
        zh("site", "站点", "国家", required=False),
        zh("ordered_at", "订购时间", "订购时间(站点时间)", "订购时间(北京时间)"),
        zh("order_status", "订单状态"),
        zh("msku", "MSKU"),
        zh("asin", "ASIN", required=False),
        zh("product_name", "品名", required=False),
        zh("quantity", "数量"),
        zh("item_amount", "商品金额"),
        zh("tax", "税费", required=False),
        zh("shipping", "运费", required=False),
        zh("promotion", "促销折扣", required=False),
        zh("currency", "币种", required=False),
        zh("fulfillment", "配送方式", "发货方式", required=False),
    )

    def _beijing(self, ctx: ImportContext) -> bool:
        return "北京" in ctx.headers.get("ordered_at", "")

    def version(self, ctx: ImportContext) -> str:
        return "assumed layout, Beijing time" if self._beijing(ctx) else "assumed layout, site time"

    def currency_sql(self, ctx: ImportContext) -> str:
        return currency_expr(ctx.col("currency"), ctx.currency)

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        zone = "'Asia/Shanghai'" if self._beijing(ctx) else None  # None: the store's zone
        return {
            "ordered": ts("ordered_at", *TIMES, tz=zone),
            "quantity": integer("quantity"),
            "item_amount": money("item_amount"),
            "tax": money("tax"),
            "shipping": money("shipping"),
            "promotion": money("promotion"),  # "-4.00"
        }

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [RowCheck("value.missing", "kg_blank(order_id)", "order_id", "the order id (订单号) is empty",
                         "every row of the export needs its 订单号")]

    def select(self, ctx: ImportContext) -> dict[str, str]:
        return {
            "order_id": "trim(order_id)",
            "line_id": line_number_by("trim(msku)", "trim(order_id)"),
            "purchased_at_utc": "p_ordered",
            "order_date_local": f"kg_local_date(p_ordered, {ctx.tz})",
            "order_status": STATUS,
            "status_raw": "order_status",
            "sku": "nullif(trim(msku), '')",
            "product_id": f"nullif(trim({ctx.col('asin')}), '')",
            "product_name": ctx.col("product_name"),
            "quantity": "p_quantity",
            "currency": self.currency_sql(ctx),
            "item_price_minor": "p_item_amount",
            "item_tax_minor": "p_tax",
            "shipping_minor": "p_shipping",
            "promotion_discount_minor": "abs(p_promotion)",
            "fulfillment_channel": f"CASE upper(trim({ctx.col('fulfillment')})) WHEN 'FBA' THEN 'platform' "
            "WHEN 'FBM' THEN 'merchant' ELSE NULL END",
            "sales_channel": f"nullif(concat_ws(' ', {ctx.col('shop')}, {ctx.col('site')}), '')",
            "is_business_order": "false",
        }
