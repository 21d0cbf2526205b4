"""Amazon Ads console reports: Sponsored Products "Advertised product" and "Search term".

Downloaded from the advertising console as CSV or XLSX (the console's default for search terms).
Header generations, all matched by name:

- current: ``Start Date, End Date, Portfolio name, Currency, Campaign Name, Ad Group Name, Retailer,
  Country, ...``; money and ACOS headers end in a space (``"7 Day Total Sales "``), which header
  normalisation strips;
- older files have no ``Retailer``/``Country`` and write ``(ACoS)``/``(RoAS)`` (matched case-blind);
- the daily time unit writes one ``Date`` column instead of ``Start Date``/``End Date``;
- the attribution window is in the header: ``7 Day Total Sales`` for Sponsored Products, ``14 Day``
  for Sponsored Brands/Display. ``attribution_days`` is read from the header text, and a 14-day file
  is labelled SB (search terms) or SD (advertised products), since SP always attributes 7 days.

Values: CSV ``"$1,234.56"``, ``"25.34%"``, ``"4,210"``; XLSX typed numbers (the reader renders
percent-formatted cells as ``"25.34%"``). The date cell format is not confirmed anywhere, so several
are accepted: ``"Mar 01, 2026"``, ``"2026-03-01"``, ``"03/01/2026"`` and typed XLSX dates. Dates are
the advertiser profile's local days, stored as they are. A search term of ``*`` (placements with no
keyword) is kept as written.
"""

from __future__ import annotations

import re

from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.registry import register
from kpiguard.ingest.spec import Column, Parsed, RowCheck, day, integer, money

COMMON = (
    Column("start_date", ("Start Date",), required=False),
    Column("end_date", ("End Date",), required=False),
    Column("date", ("Date",), required=False),  # daily time unit: one Date instead of Start/End Date
    Column("portfolio", ("Portfolio name",), required=False),
    Column("currency", ("Currency",), required=False),
    Column("campaign", ("Campaign Name",)),
    Column("ad_group", ("Ad Group Name",)),
    Column("retailer", ("Retailer",), required=False),  # absent from older files
    Column("impressions", ("Impressions",)),
    Column("clicks", ("Clicks",)),
    Column("spend", ("Spend",)),
    # "7 Day Total Sales " (SP) or "14 Day Total Sales " (SB/SD): the window is in the header
    Column("sales", ("7 Day Total Sales", "14 Day Total Sales"), pattern=r"\d+ day total sales"),
    Column("orders", ("7 Day Total Orders (#)", "14 Day Total Orders (#)"), pattern=r"\d+ day total orders \(#\)"),
    Column("units", ("7 Day Total Units (#)", "14 Day Total Units (#)"), pattern=r"\d+ day total units \(#\)"),
)


class _SponsoredAdsReport(ReportFormat):
    """The columns, parsing and period logic both console reports share."""

    table = "ad_performance"
    platforms = ("amazon",)
    report_kind = ""
    window_ad_type = {7: "SP"}  # a 14-day window is not SP; subclasses say which type it is

    def attribution_days(self, ctx: ImportContext) -> int:
        found = re.match(r"\s*(\d+)", ctx.headers.get("sales", ""))
        return int(found.group(1)) if found else 7

    def version(self, ctx: ImportContext) -> str:
        era = "current" if ctx.has("retailer") else "older (no Retailer/Country)"
        unit = "daily" if ctx.has("date") else "summary"
        return f"{era}, {unit}, {self.attribution_days(ctx)}-day attribution"

    def currency_sql(self, ctx: ImportContext) -> str:
        return f"coalesce(nullif(upper(trim({ctx.col('currency')})), ''), {ctx.currency})"

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        # "Mar 01, 2026", "2026-03-01", "03/01/2026" (US console), typed XLSX dates ("2026-03-01 00:00:00")
        slash = ("%d/%m/%Y",) if ctx.store and ctx.store.day_first else ("%m/%d/%Y",)
        formats = ("%b %d, %Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", *slash)
        return {
            "start": day("start_date", *formats),
            "end": day("end_date", *formats),
            "day": day("date", *formats),
            "impressions": integer("impressions"),  # "4,210"
            "clicks": integer("clicks"),
            "spend": money("spend"),  # "$57.96", XLSX 57.96
            "sales": money("sales"),
            "orders": integer("orders"),
            "units": integer("units"),
        }

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        if ctx.has("date") or (ctx.has("start_date") and ctx.has("end_date")):
            return []
        return [RowCheck(
            "header.period_missing", "true", "campaign",
            "the report has neither a Date column nor Start Date and End Date",
            "download the report again with the time unit 'Summary' or 'Daily'",
        )]

    def common_select(self, ctx: ImportContext) -> dict[str, str]:
        days = self.attribution_days(ctx)
        return {
            "period_start_local": "coalesce(p_start, p_day)",
            "period_end_local": "coalesce(p_end, p_day)",
            "ad_type": f"'{self.window_ad_type.get(days, 'SP')}'",
            "report_kind": f"'{self.report_kind}'",
            "campaign": "trim(campaign)",
            "ad_group": "trim(ad_group)",
            "impressions": "p_impressions",
            "clicks": "p_clicks",
            "currency": self.currency_sql(ctx),
            "spend_minor": "p_spend",
            "sales_minor": "p_sales",
            "orders": "p_orders",
            "units": "p_units",
            "attribution_days": str(days),
        }


@register
class AmazonAdsAdvertisedProduct(_SponsoredAdsReport):
    key = "amazon_ads_advertised_product"
    title = "Amazon Ads: Sponsored Products Advertised product report"
    title_zh = "亚马逊广告：推广的商品报告"
    report_kind = "advertised_product"
    window_ad_type = {7: "SP", 14: "SD"}  # Sponsored Display reports advertised products over 14 days
    columns = COMMON + (
        Column("advertised_sku", ("Advertised SKU",), required=False),  # vendors have ASINs only
        Column("advertised_asin", ("Advertised ASIN",)),
    )

    def select(self, ctx: ImportContext) -> dict[str, str]:
        return {
            **self.common_select(ctx),
            "sku": f"nullif(trim({ctx.col('advertised_sku')}), '')",
            "product_id": "nullif(trim(advertised_asin), '')",
        }


@register
class AmazonAdsSearchTerm(_SponsoredAdsReport):
    key = "amazon_ads_search_term"
    title = "Amazon Ads: Sponsored Products Search term report"
    title_zh = "亚马逊广告：搜索词报告"
    report_kind = "search_term"
    window_ad_type = {7: "SP", 14: "SB"}  # Sponsored Brands reports search terms over 14 days
    columns = COMMON + (
        Column("targeting", ("Targeting",)),
        Column("match_type", ("Match Type",)),
        Column("search_term", ("Customer Search Term",)),
    )

    def select(self, ctx: ImportContext) -> dict[str, str]:
        return {
            **self.common_select(ctx),
            "targeting": "trim(targeting)",
            "match_type": "nullif(trim(match_type), '')",
            "search_term": "search_term",  # "*" (no keyword) is kept as written
        }
