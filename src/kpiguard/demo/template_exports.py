"""kpiguard's own templates, which the seller fills in because no platform report carries them:
the cost sheet, review counts, customer-service events (and, workspace-wide, FX rates).

The team of the ERP-managed store keeps its sheets in Chinese (生效日期, 采购成本 ...); the others
in English. Each sheet is one file covering the whole period, written once the period is over.
"""

from __future__ import annotations

from datetime import date

from kpiguard.demo.exports import Export, ExportContext, FileJob
from kpiguard.reportgen.model import ReviewSnapshot, ServiceEvent, StoreHistory


def _lang(ctx: ExportContext) -> str:
    return "zh" if ctx.spec.channel == "lingxing" else "en"


class ProductCosts(Export):
    report, module, format_key = "product costs (kpiguard template)", "templates", "kpiguard_product_costs"

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        if span[0] != self.ctx.start:
            return []
        path = self.ctx.path("templates", f"product_costs.{_lang(self.ctx)}.csv")
        self.writer.write_product_costs(path, chunk.products, self.ctx.start, self.ctx.spec.currency, _lang(self.ctx))
        return [self.job(path)]


class Reviews(Export):
    report, module, format_key = "review snapshots (kpiguard template)", "templates", "kpiguard_reviews"

    def __init__(self, ctx: ExportContext) -> None:
        super().__init__(ctx)
        self.snapshots: list[ReviewSnapshot] = []

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        self.snapshots.extend(chunk.reviews)
        return []

    def finish(self) -> list[FileJob]:
        if not self.snapshots:
            return []
        path = self.ctx.path("templates", f"reviews.{_lang(self.ctx)}.csv")
        self.writer.write_reviews(path, self.snapshots, _lang(self.ctx))
        return [self.job(path)]


class ServiceEvents(Export):
    report, module, format_key = "customer-service events (kpiguard template)", "templates", "kpiguard_cs_events"

    def __init__(self, ctx: ExportContext) -> None:
        super().__init__(ctx)
        self.events: list[ServiceEvent] = []

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        self.events.extend(chunk.service_events)
        return []

    def finish(self) -> list[FileJob]:
        if not self.events:
            return []
        path = self.ctx.path("templates", f"cs_events.{_lang(self.ctx)}.csv")
        self.writer.write_cs_events(path, self.events, _lang(self.ctx), tz=self.ctx.spec.timezone)
        return [self.job(path)]
