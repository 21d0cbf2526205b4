"""kpiguard's own templates for data no platform report carries: product costs, FX rates,
review snapshots and customer-service events.

Each is a CSV (UTF-8, BOM optional; GB18030 also read) or XLSX with one header row, in English
or Chinese (both accepted, even mixed). The blank templates with examples are in
docs/templates/. Numbers use a decimal point (``12.50``, ``1,234.50``); dates are
``2026-03-01`` or ``2026/03/01`` (an Excel date cell works too).

- product costs (``sku, valid_from, currency, unit_cost, first_leg`` / ``SKU, 生效日期, 币种,
  采购成本, 头程成本``): cost per unit from a date on, in ``currency`` (the store's if absent);
- FX rates (``date, from_currency, to_currency, rate[, rate_table]`` / ``日期, 原币, 目标币, 汇率
  [, 汇率表]``): 1 from_currency = rate to_currency. FX is workspace-wide: no ``--store``;
- review snapshots (``date, asin, sku, review_count, avg_rating`` / ``日期, ASIN, SKU, 评论数,
  平均评分``): counts as of a day;
- customer-service events (``event_id, order_id, kind, occurred_at, status, detail`` /
  ``事件编号, 订单号, 类型, 发生时间, 状态, 详情``): ``kind`` is a_to_z_claim, negative_feedback,
  chargeback or complaint (or A-to-Z索赔, 差评, 拒付, 投诉); ``occurred_at`` without an offset is
  read in the store's time zone.
"""

from __future__ import annotations

from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, day, integer, money, ts
from kpiguard.ingest.sqlmacros import sql_literal
from kpiguard.money import CURRENCY_EXPONENTS

ZH = "zh"
DATES = ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S")  # the last: an XLSX date cell
TIMES = ("iso", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d")
KNOWN = ", ".join(sql_literal(c) for c in sorted(CURRENCY_EXPONENTS))
CS_KINDS = {
    "a_to_z_claim": ("a_to_z_claim", "a-to-z claim", "a-to-z索赔", "a-to-z 索赔", "亚马逊商城交易保障索赔"),
    "negative_feedback": ("negative_feedback", "negative feedback", "差评"),
    "chargeback": ("chargeback", "拒付", "信用卡拒付"),
    "complaint": ("complaint", "投诉"),
}


def both(key: str, en: tuple[str, ...], zh: tuple[str, ...] = (), required: bool = True) -> Column:
    """A template column with its English and Chinese header texts."""
    return Column(key, en, required=required, locales={ZH: zh} if zh else {})


def code(column: str) -> str:
    return f"upper(trim({column}))"


class TemplateFormat(ReportFormat):
    """Shared settings: decimal point, the template's header language as its version."""

    default_decimal_style = "point"

    def version(self, ctx: ImportContext) -> str:
        return f"kpiguard template v1 ({'Chinese' if ctx.locale == ZH else 'English'} headers)"


@register
class ProductCostsTemplate(TemplateFormat):
    key = "kpiguard_product_costs"
    title = "kpiguard product costs template"
    title_zh = "kpiguard 产品成本模板"
    table = "product_costs"
    columns = (
        both("sku", ("sku", "msku")),
        both("valid_from", ("valid_from", "valid from"), ("生效日期",)),
        both("currency", ("currency",), ("币种",), required=False),
        both("unit_cost", ("unit_cost", "unit cost"), ("采购成本", "单位采购成本")),
        both("first_leg", ("first_leg", "first leg"), ("头程成本", "单位头程成本"), required=False),
    )

    def currency_sql(self, ctx: ImportContext) -> str:
        return f"coalesce(nullif({code(ctx.col('currency'))}, ''), {ctx.currency})"

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        return {"valid_from": day("valid_from", *DATES), "unit_cost": money("unit_cost"),
                "first_leg": money("first_leg")}

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [RowCheck("value.negative", "p_unit_cost < 0 OR p_first_leg < 0", "unit_cost",
                         "a cost is negative", "write costs as positive amounts per unit")]

    def select(self, ctx: ImportContext) -> dict[str, str]:
        return {"sku": "nullif(trim(sku), '')", "valid_from": "p_valid_from", "currency": self.currency_sql(ctx),
                "unit_cost_minor": "p_unit_cost", "first_leg_minor": "coalesce(p_first_leg, 0)"}


@register
class FxRatesTemplate(TemplateFormat):
    key = "kpiguard_fx_rates"
    title = "kpiguard FX rates template"
    title_zh = "kpiguard 汇率模板"
    table = "fx_rates"
    needs_store = False  # one set of rates for the whole workspace
    columns = (
        both("rate_date", ("date", "rate_date"), ("日期",)),
        both("from_currency", ("from_currency", "from"), ("原币", "原币种")),
        both("to_currency", ("to_currency", "to"), ("目标币", "目标币种")),
        both("rate", ("rate",), ("汇率",)),
        both("rate_table", ("rate_table", "table"), ("汇率表",), required=False),
    )

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        return {"rate_date": day("rate_date", *DATES), "rate": Parsed("rate", "decimal")}

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        hint = "use ISO 4217 codes such as USD, EUR, JPY or CNY"
        return [
            RowCheck("value.currency", f"{code('from_currency')} NOT IN ({KNOWN})", "from_currency",
                     "unknown currency code", hint),
            RowCheck("value.currency", f"{code('to_currency')} NOT IN ({KNOWN})", "to_currency",
                     "unknown currency code", hint),
            RowCheck("value.not_positive", "p_rate <= 0", "rate", "the rate must be above zero",
                     "write how many to_currency one from_currency buys, e.g. 7.1234"),
        ]

    def select(self, ctx: ImportContext) -> dict[str, str]:
        return {"rate_date": "p_rate_date", "from_currency": code("from_currency"),
                "to_currency": code("to_currency"), "rate": "p_rate",
                "rate_table": f"coalesce(nullif(trim({ctx.col('rate_table')}), ''), 'default')"}


@register
class ReviewsTemplate(TemplateFormat):
    key = "kpiguard_reviews"
    title = "kpiguard review snapshots template"
    title_zh = "kpiguard 评论快照模板"
    table = "reviews"
    columns = (
        both("snapshot_date", ("date", "snapshot_date"), ("日期",)),
        both("product_id", ("asin", "product_id", "product id"), ("产品ID",)),
        both("sku", ("sku",), required=False),
        both("review_count", ("review_count", "reviews"), ("评论数", "评论数量")),
        both("avg_rating", ("avg_rating", "rating"), ("平均评分", "评分")),
    )

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        return {"snapshot_date": day("snapshot_date", *DATES), "review_count": integer("review_count"),
                "avg_rating": Parsed("avg_rating", "decimal")}

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [
            RowCheck("value.range", "p_avg_rating < 0 OR p_avg_rating > 5", "avg_rating",
                     "the average rating is outside 0-5", "write the star rating, e.g. 4.6"),
            RowCheck("value.negative", "p_review_count < 0", "review_count",
                     "the review count is negative", "write the number of reviews shown on the listing"),
        ]

    def select(self, ctx: ImportContext) -> dict[str, str]:
        return {"snapshot_date_local": "p_snapshot_date", "product_id": "nullif(trim(product_id), '')",
                "sku": f"nullif(trim({ctx.col('sku')}), '')", "review_count": "p_review_count",
                "avg_rating": "p_avg_rating"}


@register
class CsEventsTemplate(TemplateFormat):
    key = "kpiguard_cs_events"
    title = "kpiguard customer-service events template"
    title_zh = "kpiguard 客服事件模板"
    table = "cs_events"
    columns = (
        both("event_id", ("event_id", "event id"), ("事件编号", "事件ID")),
        both("order_id", ("order_id", "order id"), ("订单号",), required=False),
        both("kind", ("kind", "type"), ("类型", "事件类型")),
        both("occurred_at", ("occurred_at", "occurred at"), ("发生时间",)),
        both("status", ("status",), ("状态",), required=False),
        both("detail", ("detail", "details"), ("详情", "说明"), required=False),
    )

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        return {"occurred": ts("occurred_at", *TIMES)}

    def kind_sql(self) -> str:
        arms = " ".join(
            f"WHEN lower(trim(kind)) IN ({', '.join(sql_literal(n) for n in names)}) THEN {sql_literal(key)}"
            for key, names in CS_KINDS.items()
        )
        return f"CASE {arms} ELSE NULL END"

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return [RowCheck("value.kind", f"({self.kind_sql()}) IS NULL", "kind", "unknown event kind",
                         "one of a_to_z_claim, negative_feedback, chargeback, complaint "
                         "(A-to-Z索赔, 差评, 拒付, 投诉)")]

    def select(self, ctx: ImportContext) -> dict[str, str]:
        return {"event_id": "nullif(trim(event_id), '')", "order_id": f"nullif(trim({ctx.col('order_id')}), '')",
                "kind": self.kind_sql(), "occurred_at_utc": "p_occurred",
                "event_date_local": f"kg_local_date(p_occurred, {ctx.tz})",
                "status": f"nullif(trim({ctx.col('status')}), '')", "detail": ctx.col("detail")}
