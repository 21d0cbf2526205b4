"""The Amazon reports besides orders: business reports, ads, settlements, transactions, returns,
inventory.

How a seller of the demo downloads them (and so how the files are cut):
- Business Report by child item: one file per month, imported with that month as ``--from/--to``;
- Sponsored Products advertised-product report: daily rows, one file per three months (the
  console keeps 95 days); a search-term summary for the last month;
- settlements (US): every settlement's V2 flat file, as Amazon publishes them every 14 days;
- Date Range transaction reports (DE, German headers): one per three months, once settled;
- FBA customer returns: one for the whole period; Manage FBA Inventory: one per month-end snapshot.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from kpiguard.demo.exports import BlockExport, Export, ExportContext, FileJob
from kpiguard.reportgen.model import AdRow, FeeLine, Refund, StoreHistory, TrafficRow

LOCALE = {"US": "en", "DE": "de", "JP": "ja"}


class BusinessReport(Export):
    report = "Amazon Business Report (by child item)"
    module, format_key = "amazon_business_report", "amazon_business_report_child"

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        rows = monthly_traffic(chunk.traffic, span)
        if not rows:
            return []
        path = self.ctx.path("business-reports", f"BusinessReport-{span[0]:%Y-%m}.csv")
        us = self.ctx.spec.marketplace == "US"
        self.writer.write_child(path, rows, locale=LOCALE.get(self.ctx.spec.marketplace, "en"), b2b=us)
        return [self.job(path, span)]


def monthly_traffic(rows: list[TrafficRow], span: tuple[date, date]) -> list[TrafficRow]:
    """One row per product over the span; the buy-box share weighted by sessions."""
    by_sku: dict[str, list[TrafficRow]] = {}
    for r in rows:
        by_sku.setdefault(r.product.sku, []).append(r)
    out = []
    for group in by_sku.values():
        sessions = sum(r.sessions for r in group)
        box = sum((r.buy_box_pct * r.sessions for r in group), Decimal(0)) / (sessions or 1)
        out.append(TrafficRow(
            span[0], span[1], group[0].product, sessions, sum(r.page_views for r in group),
            sum(r.units_ordered for r in group), sum((r.ordered_sales for r in group), Decimal(0)),
            sum(r.order_items for r in group), group[0].currency, box.quantize(Decimal("0.0001")),
            sum(r.sessions_b2b for r in group), sum(r.units_ordered_b2b for r in group),
            sum((r.ordered_sales_b2b for r in group), Decimal(0))))
    return out


class AdvertisedProducts(BlockExport):
    report = "Amazon Sponsored Products advertised product report (daily)"
    module, format_key = "amazon_ads", "amazon_ads_advertised_product"

    def pick(self, chunk: StoreHistory) -> list[object]:
        return [r for r in chunk.ads if not r.search_term]

    def write_block(self, rows: list[AdRow], first: date, last: date) -> FileJob:
        path = self.ctx.path("ads", f"Sponsored_Products_Advertised_product_report_{first:%Y%m%d}-{last:%Y%m%d}.csv")
        self.writer.write_advertised_product(path, rows, fmt="csv", time_unit="daily")
        return self.job(path)


class SearchTerms(Export):
    """The last month's customer search terms, summed over the month (the console's Summary)."""

    report = "Amazon Sponsored Products search term report (last month)"
    module, format_key = "amazon_ads", "amazon_ads_search_term"

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        if span[1] != self.ctx.end:
            return []
        totals: dict[tuple[str, str, str, str, str], AdRow] = {}
        for r in (r for r in chunk.ads if r.search_term):
            key = (r.campaign, r.ad_group, r.targeting, r.match_type, r.search_term)
            seen = totals.get(key)
            totals[key] = AdRow(span[0], span[1], r.campaign, r.ad_group, r.product, r.impressions, r.clicks,
                                r.spend, r.sales, r.orders, r.units, r.currency, r.targeting, r.match_type,
                                r.search_term, r.portfolio) if seen is None else _plus(seen, r)
        if not totals:
            return []
        path = self.ctx.path("ads", f"Sponsored_Products_Search_term_report_{span[0]:%Y%m}.csv")
        self.writer.write_search_term(path, list(totals.values()), fmt="csv", time_unit="summary")
        return [self.job(path)]


def _plus(a: AdRow, b: AdRow) -> AdRow:
    return AdRow(a.start, a.end, a.campaign, a.ad_group, a.product, a.impressions + b.impressions,
                 a.clicks + b.clicks, a.spend + b.spend, a.sales + b.sales, a.orders + b.orders, a.units + b.units,
                 a.currency, a.targeting, a.match_type, a.search_term, a.portfolio)


class Settlements(Export):
    report = "Amazon settlement report (V2 flat file)"
    module, format_key = "amazon_settlement", "amazon_settlement_v2"

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        jobs = []
        for s in chunk.settlements:
            path = self.ctx.path("settlements", f"{s.settlement_id}.txt")
            self.writer.write(path, s, locale="de" if self.ctx.spec.marketplace == "DE" else "us")
            jobs.append(self.job(path))
        return jobs


class DateRangeReports(Export):
    """Settled transactions by posting date, one report per three months, written at the end."""

    report = "Amazon Date Range transaction report"
    module, format_key = "amazon_date_range", "amazon_date_range"

    def __init__(self, ctx: ExportContext) -> None:
        super().__init__(ctx)
        self.lines: list[FeeLine] = []

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        for s in chunk.settlements:
            self.lines.extend(s.lines)
        return []

    def finish(self) -> list[FileJob]:
        blocks: dict[int, list[FeeLine]] = {}
        for line in self.lines:
            day = line.posted_at.astimezone(self.ctx.tz).date()
            blocks.setdefault(self.ctx.block(day), []).append(line)
        jobs = []
        for lines in blocks.values():
            lines.sort(key=lambda f: f.posted_at)
            first = lines[0].posted_at.astimezone(self.ctx.tz).date()
            path = self.ctx.path("transactions", f"{first:%Y%b}_CustomTransaction.csv")
            self.writer.write(path, lines, locale="de" if self.ctx.spec.marketplace == "DE" else "us")
            jobs.append(self.job(path))
        return jobs


class CustomerReturns(Export):
    """Returns over the whole period in one download (the report takes any date range)."""

    report = "Amazon FBA customer returns"
    module, format_key = "amazon_returns", "amazon_fba_returns"

    def __init__(self, ctx: ExportContext) -> None:
        super().__init__(ctx)
        self.returns: list[Refund] = []

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        self.returns.extend(chunk.refunds)
        return []

    def finish(self) -> list[FileJob]:
        if not self.returns:
            return []
        path = self.ctx.path("returns", f"FBA_customer_returns_{self.ctx.start:%Y%m%d}-{self.ctx.end:%Y%m%d}.txt")
        self.writer.write(path, self.returns)
        return [self.job(path)]


class Inventory(Export):
    report = "Amazon Manage FBA Inventory (month-end snapshots)"
    module, format_key = "amazon_inventory", "amazon_fba_inventory"
    version: ClassVar[str] = "current"

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        jobs = []
        for day, rows in sorted(chunk.inventory.items()):
            path = self.ctx.path("inventory", f"Manage_FBA_Inventory_{day:%Y%m%d}.txt")
            self.writer.write(path, rows, version=self.version)
            jobs.append(self.job(path, (day, day)))
        return jobs


def amazon_exports() -> list[type[Export]]:
    return [BusinessReport, AdvertisedProducts, SearchTerms, CustomerReturns, Inventory]


def fee_export(marketplace: str) -> type[Export]:
    """One source of fees per store, so the metric layer never counts a fee twice."""
    return DateRangeReports if marketplace == "DE" else Settlements
