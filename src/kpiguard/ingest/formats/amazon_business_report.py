"""Amazon Business Reports: "Detail Page Sales and Traffic By Child Item" and the "By Date" view.

CSV, comma separated (some amazon.de exports use ``;``; the reader sniffs it), UTF-8 often with a
BOM. Headers come in several generations and UI languages, all matched by name:

- current English, with or without the ``... - B2B`` columns (B2B only for Amazon Business sellers),
  and with Mobile App / Browser splits we do not need (we read the ``- Total`` columns);
- the older English header before the Mobile App/Browser split: ``Sessions``, ``Page Views``,
  ``Buy Box Percentage`` (now ``Sessions - Total``, ``Page Views - Total``,
  ``Featured Offer (Buy Box) Percentage``);
- amazon.de (en-dashes, ``Sitzungen – Summe``), amazon.co.jp (full-width brackets, ``（子）ASIN``)
  and the Chinese Seller Central UI (``（子）ASIN``, ``会话数 - 总计``); header normalisation folds
  dashes and brackets, so the aliases below are written as the reports print them.

The child-item report has **no date column**: it covers the range picked in Seller Central when it
was downloaded, so the import must be given ``--from/--to`` (``needs_period``), which become
``period_start_local``/``period_end_local`` in the store's zone (Amazon US days are Pacific time).
The "By Date" report is account-level, one row per day, and goes into ``traffic`` with
``product_id`` NULL.

The user can pick columns in the UI, so only the ASIN (child report), sessions, units and sales are
required. A money cell whose symbol does not fit the store's currency (``€`` in a USD store) is an
error: the file was almost certainly downloaded from another marketplace.
"""

from __future__ import annotations

from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, day, integer, money, pct
from kpiguard.ingest.sqlmacros import sql_literal

# Which currencies may print each symbol; a symbol outside the store's set is a wrong-store file.
SYMBOL_CURRENCIES = {
    "€": ("EUR",),
    "£": ("GBP",),
    "￥": ("JPY", "CNY"),
    "¥": ("JPY", "CNY"),
    "$": ("USD", "CAD", "MXN", "AUD", "NZD", "SGD", "HKD", "TWD", "BRL"),
}

# Columns both views share. Old English names are extra names; locales as the reference lists them.
SESSIONS = Column(
    "sessions", ("Sessions - Total", "Sessions"),  # "Sessions" before the Mobile App/Browser split
    locales={"de": ("Sitzungen – Summe", "Sitzungen – gesamt"), "ja": ("セッション数 - 合計",),
             "zh": ("会话数 - 总计",)},
)
SESSIONS_B2B = Column(
    "sessions_b2b", ("Sessions - Total - B2B",), required=False,
    locales={"de": ("Sitzungen – Summe – B2B",), "zh": ("会话 - 总计 - B2B",)},
)
PAGE_VIEWS = Column(
    "page_views", ("Page Views - Total", "Page Views"), required=False,  # the JP export lacks it
    locales={"de": ("Seitenaufrufe – Summe",), "zh": ("页面浏览量 - 总计",)},
)
BUY_BOX = Column(
    "buy_box", ("Featured Offer (Buy Box) Percentage", "Buy Box Percentage"), required=False,
    # one DE parser names it only as "Einkaufswagen…"; match that prefix, never the B2B column
    pattern=r"einkaufswagen(?!.*b2b).*",
    locales={"zh": ("推荐报价（推荐报价展示位）百分比",)},
)
UNITS = Column(
    "units", ("Units Ordered",),
    locales={"de": ("Bestellte Einheiten",), "ja": ("注文された商品点数",), "zh": ("已订购商品数量",)},
)
UNITS_B2B = Column(
    "units_b2b", ("Units Ordered - B2B",), required=False,
    locales={"de": ("Bestellte Einheiten – B2B",), "ja": ("注文点数 - B2B",), "zh": ("已订购商品数量 - B2B",)},
)
SALES = Column(
    "sales", ("Ordered Product Sales",),
    locales={"de": ("Durch bestellte Produkte erzielter Umsatz",), "ja": ("注文商品の売上額",),
             "zh": ("已订购商品销售额",)},
)
SALES_B2B = Column(
    "sales_b2b", ("Ordered Product Sales - B2B",), required=False,
    locales={"de": ("Bestellsumme – B2B",), "ja": ("注文商品の売上額 - B2B",), "zh": ("已订购商品销售额 - B2B",)},
)
ORDER_ITEMS = Column(
    "order_items", ("Total Order Items",), required=False,
    locales={"de": ("Zahl der Bestellposten",), "ja": ("注文品目総数",), "zh": ("订单商品总数",)},
)
METRICS = (SESSIONS, SESSIONS_B2B, PAGE_VIEWS, BUY_BOX, UNITS, UNITS_B2B, SALES, SALES_B2B, ORDER_ITEMS)


class _BusinessReport(ReportFormat):
    """What the two views share: metric columns, value parsing and the wrong-store check."""

    table = "traffic"
    platforms = ("amazon",)

    def version(self, ctx: ImportContext) -> str:
        # the old header says "Sessions"; the current one "Sessions - Total" (or a locale's name)
        old = ctx.headers.get("sessions", "").strip().casefold() == "sessions"
        era = "old (Sessions, Page Views, Buy Box Percentage)" if old else "current"
        return f"{era}{' with B2B' if ctx.has('sessions_b2b') or ctx.has('units_b2b') else ''}"

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        # US "$2,618.69", amazon.de "5.255,61 €", amazon.co.jp "￥12,345"; counts "1,482";
        # percentages "98.40%". Money follows the store's decimal style; counts parse either way.
        return {
            "sessions": integer("sessions"),
            "sessions_b2b": integer("sessions_b2b"),
            "page_views": integer("page_views"),
            "buy_box": pct("buy_box"),
            "units": integer("units"),
            "units_b2b": integer("units_b2b"),
            "sales": money("sales"),
            "sales_b2b": money("sales_b2b"),
            "order_items": integer("order_items"),
        }

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        currency = ctx.store.currency if ctx.store else "USD"
        foreign = [s for s, allowed in SYMBOL_CURRENCIES.items() if currency not in allowed]
        if not foreign:
            return []
        predicate = " OR ".join(f"contains(coalesce(sales, ''), {sql_literal(s)})" for s in foreign)
        return [RowCheck(
            "value.currency", predicate, "sales",
            f"the amount's currency symbol does not match the store's currency ({currency})",
            "the report was downloaded from another marketplace; import it into that store",
        )]

    def metrics_select(self, ctx: ImportContext) -> dict[str, str]:
        return {
            "sessions": "p_sessions",
            "page_views": "p_page_views",
            "units_ordered": "p_units",
            "order_items": "p_order_items",
            "currency": ctx.currency,
            "ordered_sales_minor": "p_sales",
            "buy_box_pct": "p_buy_box",
            "sessions_b2b": "p_sessions_b2b",
            "units_ordered_b2b": "p_units_b2b",
            "ordered_sales_b2b_minor": "p_sales_b2b",
        }


@register
class AmazonBusinessReportChild(_BusinessReport):
    key = "amazon_business_report_child"
    title = "Amazon Business Report: Detail Page Sales and Traffic By Child Item"
    title_zh = "亚马逊业务报告：详情页面上的销售量与访问量（子商品）"
    needs_period = True  # the file has no date column; --from/--to give the range it covers
    columns = (
        Column("parent_asin", ("(Parent) ASIN",), required=False,
               locales={"de": ("(Übergeordnete) ASIN",), "ja": ("（親）ASIN",), "zh": ("（父）ASIN",)}),
        # "（子）ASIN" is the JP and the Chinese UI spelling alike; listed once
        Column("child_asin", ("(Child) ASIN",), locales={"de": ("(Untergeordnete) ASIN",), "ja": ("（子）ASIN",)}),
        Column("title", ("Title",), required=False, locales={"de": ("Titel",), "ja": ("タイトル",), "zh": ("标题",)}),
        Column("sku", ("SKU",), required=False),  # the Chinese UI and some exports add it after Title
    ) + METRICS

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return super().checks(ctx) + [RowCheck(
            "value.missing", "kg_blank(child_asin)", "child_asin", "the child ASIN is empty",
            "every row of the child-item report names a child ASIN; export the report again")]

    def select(self, ctx: ImportContext) -> dict[str, str]:
        if ctx.period_from is None or ctx.period_to is None:  # the engine refuses this earlier
            raise ValueError(f"{self.key} needs the period the report covers")
        return {
            "period_start_local": f"DATE '{ctx.period_from.isoformat()}'",
            "period_end_local": f"DATE '{ctx.period_to.isoformat()}'",
            "product_id": "trim(child_asin)",
            "parent_product_id": f"nullif(trim({ctx.col('parent_asin')}), '')",
            "sku": f"nullif(trim({ctx.col('sku')}), '')",
            **self.metrics_select(ctx),
        }


@register
class AmazonBusinessReportByDate(_BusinessReport):
    key = "amazon_business_report_by_date"
    title = "Amazon Business Report: Sales and Traffic By Date"
    title_zh = "亚马逊业务报告：按日期的销售量与访问量"
    columns = (Column("date", ("Date",), locales={"de": ("Datum",)}),) + METRICS

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        # US "03/01/2026" (or "3/1/26"), amazon.de "01.03.2026"; "%y" before "%Y" so that "3/1/26"
        # is not read as the year 26. Slash dates follow the marketplace's day/month order.
        month_first = ("%m/%d/%y", "%m/%d/%Y")
        day_first = ("%d/%m/%y", "%d/%m/%Y")
        slash = day_first if (ctx.store and ctx.store.day_first) else month_first
        return {**super().parsed(ctx), "day": day("date", "%Y-%m-%d", "%d.%m.%Y", *slash)}

    def select(self, ctx: ImportContext) -> dict[str, str]:
        return {
            "period_start_local": "p_day",
            "period_end_local": "p_day",
            "product_id": "NULL",
            **self.metrics_select(ctx),
        }
