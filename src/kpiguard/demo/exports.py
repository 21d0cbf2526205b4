"""Reports a seller downloads, written from the simulated history as each platform's real file.

An ``Export`` receives the history one month at a time (``add``) and returns the files that are
complete; ``finish`` returns the rest. Each names the writer module and the registered format it
relies on, so a report whose writer or format does not exist yet is left out with a reason rather
than written half-way.

Order exports cover three months each and are downloaded a week after their last day, so every
order in them has reached its final state. The last one is taken five days before the period ends
(recent orders still Pending), and a second export of the last 30 days, taken at the end, overlaps
it: the importer must let the later state (shipped or cancelled) win.
"""

from __future__ import annotations

import importlib
import importlib.util
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

from kpiguard.demo import fast_orders
from kpiguard.demo.scenario import StoreSpec
from kpiguard.demo.xlsx import freeze_xlsx
from kpiguard.reportgen.model import OrderLine, Refund, StoreHistory

BLOCK_MONTHS = 3
DOWNLOAD_LAG = timedelta(days=8)  # a block's export is taken a week after its last day
LAST_CUT = timedelta(days=5)  # the last block's export is taken this long before the period ends
RECENT = timedelta(days=29)  # the overlapping second export covers the last 30 days


@dataclass(frozen=True)
class FileJob:
    """A written file and how to import it."""

    store_id: str | None
    path: Path
    report: str
    period: tuple[date, date] | None = None  # --from/--to, for reports without a date column


@dataclass
class ExportContext:
    spec: StoreSpec
    folder: Path  # demo-files/<store>
    start: date
    end: date
    tz: Any  # ZoneInfo of the store
    fast: bool = False  # benchmark-sized: render All Orders with demo.fast_orders (same bytes)

    def midnight(self, day: date) -> datetime:
        """Local midnight starting ``day`` (when a report is downloaded), time-zone aware."""
        return datetime(day.year, day.month, day.day, tzinfo=self.tz)

    def path(self, kind: str, name: str) -> Path:
        folder = self.folder / kind
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name

    def block(self, day: date) -> int:
        return ((day.year - self.start.year) * 12 + day.month - self.start.month) // BLOCK_MONTHS


class Export(ABC):
    report: ClassVar[str]
    module: ClassVar[str]  # kpiguard.reportgen.<module>
    format_key: ClassVar[str]

    def __init__(self, ctx: ExportContext) -> None:
        self.ctx = ctx

    @classmethod
    def missing(cls) -> str | None:
        """Why this report cannot be produced yet, or None when its writer and format exist."""
        from kpiguard.ingest import registry

        if importlib.util.find_spec(f"kpiguard.reportgen.{cls.module}") is None:
            return f"{cls.report}: no writer kpiguard.reportgen.{cls.module} yet"
        if cls.format_key not in registry.formats():
            return f"{cls.report}: no import format {cls.format_key!r} yet"
        return None

    @property
    def writer(self) -> ModuleType:
        return importlib.import_module(f"kpiguard.reportgen.{self.module}")

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        return []

    def finish(self) -> list[FileJob]:
        return []

    def job(self, path: Path, period: tuple[date, date] | None = None) -> FileJob:
        return FileJob(self.ctx.spec.store_id, path, self.report, period)


class BlockExport(Export):
    """Rows collected over a three-month block and written when the block (or the period) ends."""

    def __init__(self, ctx: ExportContext) -> None:
        super().__init__(ctx)
        self.rows: list[object] = []
        self.first: date | None = None

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        self.first = self.first or span[0]
        self.rows.extend(self.pick(chunk))
        if span[1] != self.ctx.end and self.ctx.block(span[1] + timedelta(days=1)) == self.ctx.block(span[0]):
            return []
        rows, first = self.rows, self.first
        self.rows, self.first = [], None
        return [self.write_block(rows, first, span[1])] if rows else []

    @abstractmethod
    def pick(self, chunk: StoreHistory) -> list[object]:
        """The records of this report in a simulated chunk."""

    @abstractmethod
    def write_block(self, rows: list, first: date, last: date) -> FileJob:  # type: ignore[type-arg]
        """Write one file for the rows of a block of days."""


def as_of(lines: list[OrderLine], moment: datetime) -> list[OrderLine]:
    """The lines as an export taken at ``moment`` shows them: Pending until the final state, except
    that an order on its way to delivery shows as shipped from a third of the way there."""
    out = []
    for ln in lines:
        if ln.updated_at <= moment:
            out.append(ln)
            continue
        shipped = ln.purchased_at + (ln.updated_at - ln.purchased_at) / 3
        if ln.status == "delivered" and shipped <= moment:
            out.append(replace(ln, status="shipped", updated_at=shipped.replace(microsecond=0)))
        else:
            out.append(replace(ln, status="pending", updated_at=ln.purchased_at))
    return out


@dataclass
class _Block:
    first: date
    last: date
    lines: list[OrderLine] = field(default_factory=list)


class OrderExport(Export):
    """Orders in three-month files, plus the overlapping last-30-days export (see module doc)."""

    extension: ClassVar[str] = "csv"
    prefix: ClassVar[str] = "orders"

    def __init__(self, ctx: ExportContext) -> None:
        super().__init__(ctx)
        self.blocks: dict[int, _Block] = {}
        self.refunds: dict[str, list[Refund]] = {}
        self.recent: list[OrderLine] = []
        self.cut = max(ctx.start, ctx.end - LAST_CUT)
        self.recent_from = ctx.midnight(max(ctx.start, ctx.end - RECENT))

    def add(self, chunk: StoreHistory, span: tuple[date, date]) -> list[FileJob]:
        current = self.ctx.block(span[0])
        block = self.blocks.setdefault(current, _Block(span[0], span[1]))
        block.lines.extend(chunk.orders)
        block.last = span[1]
        self.recent.extend(ln for ln in chunk.orders if ln.purchased_at >= self.recent_from)
        for refund in chunk.refunds:
            self.refunds.setdefault(refund.order_id, []).append(refund)
        jobs = []
        for key in [k for k in sorted(self.blocks) if k < current]:
            done = self.blocks[key]
            taken = self.ctx.midnight(done.last + DOWNLOAD_LAG)
            if taken <= self.ctx.midnight(span[1] + timedelta(days=1)):
                jobs.append(self._write(done.lines, done.first, done.last, taken))
                del self.blocks[key]
        return jobs

    def finish(self) -> list[FileJob]:
        end_at = self.ctx.midnight(self.ctx.end + timedelta(days=1))
        final = self.ctx.block(self.ctx.end)
        jobs = []
        for key in sorted(self.blocks):
            done = self.blocks.pop(key)
            if key != final:
                taken = min(self.ctx.midnight(done.last + DOWNLOAD_LAG), end_at)
                jobs.append(self._write(done.lines, done.first, done.last, taken))
                continue
            cut_at = self.ctx.midnight(self.cut + timedelta(days=1))
            early = [ln for ln in done.lines if ln.purchased_at < cut_at]
            if early and done.first <= self.cut:
                jobs.append(self._write(early, done.first, self.cut, cut_at))
        if self.recent:
            jobs.append(self._write(self.recent, max(self.ctx.start, self.ctx.end - RECENT), self.ctx.end, end_at))
        return jobs

    def refunded(self, lines: list[OrderLine], moment: datetime) -> dict[str, Decimal]:
        """Money refunded per order by ``moment`` (for exports that show it)."""
        out: dict[str, Decimal] = {}
        for oid in {ln.order_id for ln in lines}:
            total = sum((r.amount for r in self.refunds.get(oid, ()) if r.refunded_at <= moment), Decimal(0))
            if total:
                out[oid] = total
        return out

    def _write(self, lines: list[OrderLine], first: date, last: date, taken: datetime) -> FileJob:
        path = self.ctx.path("orders", f"{self.prefix}_{first:%Y%m%d}-{last:%Y%m%d}_as-of-{taken:%Y%m%d}.{self.extension}")
        self.render(path, as_of(lines, taken), taken)
        return self.job(path)

    @abstractmethod
    def render(self, path: Path, lines: list[OrderLine], taken: datetime) -> None:
        """Write the order export as it looked at ``taken``."""


class AmazonOrders(OrderExport):
    report, module, format_key = "Amazon All Orders", "amazon_all_orders", "amazon_all_orders"
    extension, prefix = "txt", "all-orders"

    def render(self, path: Path, lines: list[OrderLine], taken: datetime) -> None:
        # the US account downloads through SP-API, the DE one from Seller Central's older layout
        version = "sp-api" if self.ctx.spec.marketplace == "US" else "32"
        (fast_orders if self.ctx.fast else self.writer).write(path, lines, version=version)


class ShopifyOrders(OrderExport):
    report, module, format_key = "Shopify orders export", "shopify_orders", "shopify_orders"
    prefix = "orders_export"

    def render(self, path: Path, lines: list[OrderLine], taken: datetime) -> None:
        self.writer.write(path, lines, era="current", refunds=self.refunded(lines, taken), tz=self.ctx.spec.timezone)


class TikTokOrders(OrderExport):
    report, module, format_key = "TikTok Shop orders export", "tiktok_orders", "tiktok_orders"
    prefix = "tiktok-all-orders"

    def render(self, path: Path, lines: list[OrderLine], taken: datetime) -> None:
        self.writer.write(path, lines, fmt="csv", region=self.ctx.spec.marketplace,
                          refunds=self.refunded(lines, taken), tz=self.ctx.spec.timezone)


class ShopeeOrders(OrderExport):
    report, module, format_key = "Shopee orders export", "shopee_orders", "shopee_orders"
    extension, prefix = "xlsx", "Order.all"

    def render(self, path: Path, lines: list[OrderLine], taken: datetime) -> None:
        self.writer.write(path, lines, locale="en", tz=self.ctx.spec.timezone)
        freeze_xlsx(path, taken)
