"""LingXing (领星) profit report export (利润报表, one MSKU per row) -> fees, one row per amount.

**Column order not verified; send us a real export.** The field names are LingXing's own (from a
tool converting the profit-report API into the ERP's column names); the layout follows the
reference's composed example:

    店铺  国家  MSKU  ASIN  品名  SKU  FBA销量  FBA销售额  平台费  FBA发货费  广告费总计  采购成本  头程成本  毛利润  毛利率

The report covers the date range chosen when it was downloaded and has no date column, so the
import needs ``--from/--to``; every amount is posted on the range's last day. Each amount column
becomes one ``fees`` row (category below), signed as LingXing signs it: sales positive, fees and
costs negative (``-392.80``). 毛利润 and 毛利率 (``12.71%``) are derived from the others and are
not stored (summing them with the amounts would count twice); 毛利率 is still parsed, so a
malformed cell is reported. Amounts are in the store's currency unless a 币种 column says otherwise.
"""

from __future__ import annotations

from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.formats.lingxing_orders import currency_expr, zh
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Parsed, integer, money, pct
from kpiguard.ingest.sqlmacros import sql_literal

# Column key -> (header, fees.category, English description)
AMOUNTS: dict[str, tuple[str, str, str]] = {
    "fba_sales": ("FBA销售额", "principal", "FBA sales"),
    "fbm_sales": ("FBM销售额", "principal", "FBM sales"),
    "platform_fee": ("平台费", "commission", "platform (referral) fees"),
    "fba_fee": ("FBA发货费", "fulfillment_fee", "FBA fulfilment fees"),
    "ad_spend": ("广告费总计", "advertising", "advertising total"),
    "storage_fee": ("仓储费总计", "storage_fee", "storage fees total"),
    "refunds": ("总退款额", "refund", "refunds total"),
    "purchase_cost": ("采购成本", "cogs", "purchase cost"),
    "first_leg": ("头程成本", "first_leg", "inbound freight (first leg)"),
}


@register
class LingXingProfit(ReportFormat):
    key = "erp_lingxing_profit"
    title = "LingXing ERP profit report (MSKU)"
    title_zh = "领星ERP利润报表（MSKU）"
    table = "fees"
    needs_period = True
    columns = (
        zh("shop", "店铺", required=False),
        zh("country", "国家", "站点", required=False),
        zh("msku", "MSKU"),
        zh("asin", "ASIN", required=False),
        zh("sku", "SKU", required=False),
        zh("fba_units", "FBA销量"),
        zh("gross_profit", "毛利润", required=False),
        zh("margin", "毛利率", required=False),
        zh("currency", "币种", required=False),
        *(zh(key, header, required=key == "fba_sales") for key, (header, _, _) in AMOUNTS.items()),
    )

    def currency_sql(self, ctx: ImportContext) -> str:
        return currency_expr(ctx.col("currency"), ctx.currency)

    def version(self, ctx: ImportContext) -> str:
        return f"MSKU view, {sum(1 for k in AMOUNTS if ctx.has(k))} amount columns"

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        out: dict[str, Parsed] = {key: money(key) for key in AMOUNTS}
        out["fba_units"] = integer("fba_units")
        out["margin"] = pct("margin")  # "12.71%": validated, not stored (derived)
        out["gross_profit"] = money("gross_profit")
        return out

    def stage_from(self, ctx: ImportContext) -> str:
        """One row per (MSKU row, amount column): an unpivot of the amount columns present."""
        arms = []
        for key, (header, category, description) in AMOUNTS.items():
            if not ctx.has(key):
                continue
            arms.append(
                f"SELECT *, {sql_literal(ctx.headers.get(key, header))} AS _amount_type, "
                f"{sql_literal(category)} AS _category, {sql_literal(description)} AS _description, "
                f"p_{key} AS _amount, {sql_literal(key)} = 'fba_sales' AS _is_sales FROM stage "
                f"WHERE p_{key} IS NOT NULL"
            )
        return "(" + " UNION ALL ".join(arms) + ") AS _amounts"

    def select(self, ctx: ImportContext) -> dict[str, str]:
        end = sql_literal(str(ctx.period_to)) if ctx.period_to else "NULL"
        start = sql_literal(str(ctx.period_from)) if ctx.period_from else "NULL"
        return {
            "posted_date_local": f"CAST({end} AS DATE)",
            "transaction_type": "'profit_report'",
            "sku": "nullif(trim(msku), '')",
            "quantity": "CASE WHEN _is_sales THEN p_fba_units END",  # units once, on the sales row
            "category": "_category",
            "amount_type": "_amount_type",
            "amount_description": "_description",
            "currency": self.currency_sql(ctx),
            "amount_minor": "_amount",
            "line_key": f"concat_ws('|', {start}, {end}, {ctx.col('shop')}, trim(msku), _amount_type)",
        }
