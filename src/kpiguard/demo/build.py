"""Build the demo workspace: simulate the stores, write every report as its platform's file under
``<workspace>/demo-files/<store>/``, and import each through ``import_file``, the same path a user's
download takes.

Stores are simulated one after the other, a month at a time; each month's files are imported as
soon as they are complete, so memory stays bounded however many orders are asked for. The options
are recorded in ``demo-files/demo.json``: running the demo again with the same options finds every
file already imported and changes nothing; other options, or a workspace that holds other data,
are refused rather than mixed in.
"""

from __future__ import annotations

import calendar
import hashlib
import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from time import perf_counter
from zoneinfo import ZoneInfo

import duckdb

from kpiguard import stores
from kpiguard.canonical import TABLES
from kpiguard.demo import fx
from kpiguard.demo.amazon_exports import amazon_exports, fee_export
from kpiguard.demo.erp_exports import LingXingOrders, LingXingProfit
from kpiguard.demo.exports import (
    AmazonOrders,
    Export,
    ExportContext,
    FileJob,
    ShopeeOrders,
    ShopifyOrders,
    TikTokOrders,
)
from kpiguard.demo.scenario import DEFAULT_STORES, Event, StoreSpec, plan_events
from kpiguard.demo.template_exports import ProductCosts, Reviews, ServiceEvents
from kpiguard.demo.world import StoreWorld
from kpiguard.errors import Finding, InputError, UserError
from kpiguard.ingest.load import current_actor, import_file
from kpiguard.lake import current_sql
from kpiguard.workspace import Workspace

Progress = Callable[[str], None]
ORDER_EXPORTS: dict[str, type[Export]] = {
    "amazon": AmazonOrders, "shopify": ShopifyOrders, "tiktok": TikTokOrders, "shopee": ShopeeOrders,
    "lingxing": LingXingOrders,
}
SHEETS: list[type[Export]] = [ProductCosts, Reviews, ServiceEvents]


@dataclass(frozen=True)
class DemoOptions:
    end: date  # the last simulated day
    months: int = 12
    stores: int = 6
    orders_per_day: float = 40.0  # per store, on average over the period
    seed: int = 7
    orders_only: bool = False  # only the order reports (benchmarks)
    import_files: bool = True

    def period(self) -> tuple[date, date]:
        """[start, end]: ``months`` whole months back from the day after ``end``."""
        after = self.end + timedelta(days=1)
        year, month = divmod(after.year * 12 + after.month - 1 - self.months, 12)
        day = min(after.day, calendar.monthrange(year, month + 1)[1])
        return date(year, month + 1, day), self.end


@dataclass
class DemoResult:
    workspace: Path
    files_dir: Path
    start: date
    end: date
    stores: list[StoreSpec]
    events: list[Event]
    files: list[FileJob] = field(default_factory=list)
    imported: int = 0
    already_imported: int = 0
    left_out: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    rows: dict[str, dict[str, int]] = field(default_factory=dict)  # store ("*" = workspace) -> table -> rows
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "workspace": str(self.workspace), "files_dir": str(self.files_dir),
            "start": self.start.isoformat(), "end": self.end.isoformat(),
            "stores": [{"store_id": s.store_id, "name": s.name, "platform": s.platform,
                        "marketplace": s.marketplace, "currency": s.currency, "timezone": s.timezone,
                        "rows": self.rows.get(s.store_id, {})} for s in self.stores],
            "workspace_rows": self.rows.get("*", {}), "events": [e.to_dict() for e in self.events],
            "files": len(self.files), "imported": self.imported, "already_imported": self.already_imported,
            "file_list": [{"store_id": f.store_id, "report": f.report, "path": str(f.path),
                           "from": f.period[0].isoformat() if f.period else None,
                           "to": f.period[1].isoformat() if f.period else None} for f in self.files],
            "left_out": self.left_out, "failures": self.failures, "seconds": round(self.seconds, 1),
        }


def default_end(today: date) -> date:
    """The last day of the last full month before ``today``."""
    return today.replace(day=1) - timedelta(days=1)


def build(ws: Workspace, options: DemoOptions, progress: Progress | None = None) -> DemoResult:
    began = perf_counter()
    note = progress or (lambda _msg: None)
    start, end = options.period()
    specs = list(DEFAULT_STORES[: options.stores])
    events = plan_events(tuple(specs), start, end)
    ws.init()
    files_dir = ws.home / "demo-files"
    _claim(ws, files_dir, options, start, end)
    result = DemoResult(ws.home, files_dir, start, end, specs, events)
    for spec in specs:  # before the import thread takes the workspace's write lock
        _ensure_store(ws, spec, options.import_files)
    importer = Importer(ws, result, options.import_files)
    try:
        for no, spec in enumerate(specs):
            _simulate_store(importer, result, options, spec, no, events, note)
        if not options.orders_only:
            note("FX rates")
            importer.submit([_fx_file(files_dir, start, end, options.seed)])
        note("importing the last files")
    finally:
        importer.wait()
    result.rows = count_rows(ws) if options.import_files else {}
    result.seconds = perf_counter() - began
    return result


def _fx_file(files_dir: Path, start: date, end: date, seed: int) -> FileJob:
    """Workspace-wide rates (no store), as the seller's finance team keeps them."""
    from kpiguard.reportgen import templates

    path = files_dir / "fx" / "fx_rates.en.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    templates.write_fx_rates(path, fx.rates(start, end, seed), "en")
    return FileJob(None, path, "FX rates (kpiguard template)")


def _simulate_store(importer: Importer, result: DemoResult, options: DemoOptions, spec: StoreSpec, no: int,
                    events: list[Event], note: Progress) -> None:
    ctx = ExportContext(spec, result.files_dir / spec.store_id, result.start, result.end, ZoneInfo(spec.timezone),
                        fast=options.orders_only)
    exports = _exports(spec, ctx, options, result)
    world = StoreWorld(spec, events, result.start, result.end, options.orders_per_day, options.seed,
                       orders_only=options.orders_only, store_no=no)
    for span in month_spans(result.start, result.end):
        note(f"{spec.store_id}: {span[0]:%Y-%m}")
        chunk = world.run(*span)
        for export in exports:
            importer.submit(export.add(chunk, span))
    for export in exports:
        importer.submit(export.finish())


def _exports(spec: StoreSpec, ctx: ExportContext, options: DemoOptions, result: DemoResult) -> list[Export]:
    """The reports this store's seller downloads, less those whose writer or format is missing."""
    kinds: list[type[Export]] = [ORDER_EXPORTS[spec.channel]]
    if not options.orders_only:
        if spec.channel == "amazon":
            kinds += [*amazon_exports(), fee_export(spec.marketplace)]
        if spec.channel == "lingxing":
            kinds.append(LingXingProfit)
        kinds += SHEETS
    chosen = []
    for kind in kinds:
        reason = kind.missing()
        if reason is None:
            chosen.append(kind(ctx))
        elif reason not in result.left_out:
            result.left_out.append(reason)
    return chosen


def month_spans(start: date, end: date) -> list[tuple[date, date]]:
    spans = []
    first = start
    while first <= end:
        last = min(end, first.replace(day=calendar.monthrange(first.year, first.month)[1]))
        spans.append((first, last))
        first = last + timedelta(days=1)
    return spans


class Importer:
    """Imports written files in order on one background thread while the next month is simulated.

    The workspace takes one writer at a time, so imports stay sequential and in the order the files
    were written (an export taken later is imported later); DuckDB does its work outside the GIL,
    so simulating and importing overlap on two cores.
    """

    def __init__(self, ws: Workspace, result: DemoResult, enabled: bool) -> None:
        self.ws, self.result, self.enabled = ws, result, enabled
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-import")
        self.pending: list[Future[None]] = []

    def submit(self, jobs: list[FileJob]) -> None:
        for job in jobs:
            self.result.files.append(job)
            if self.enabled:
                self.pending.append(self.pool.submit(self._one, job))

    def wait(self) -> None:
        try:
            for future in self.pending:
                future.result()  # a bug in an import surfaces here, not silently
        finally:
            self.pending = []
            self.pool.shutdown(wait=True, cancel_futures=True)

    def _one(self, job: FileJob) -> None:
        name = job.path.relative_to(self.result.files_dir).as_posix()
        try:
            outcome = import_file(self.ws, job.path, job.store_id, period=job.period, display_name=name)
        except UserError as exc:
            detail = "; ".join(f.describe() for f in exc.findings[:3])
            self.result.failures.append(f"{name}: {exc.message}" + (f" ({detail})" if detail else ""))
            return
        if outcome.status == "already_imported":
            self.result.already_imported += 1
        else:
            self.result.imported += 1


def _ensure_store(ws: Workspace, spec: StoreSpec, create: bool) -> None:
    if not create or any(s.store_id == spec.store_id for s in stores.list_stores(ws)):
        return
    store = stores.validate(spec.store_id, spec.platform, spec.marketplace, spec.currency, spec.timezone)
    stores.add(ws, stores.Store(**{**store.to_dict(), "name": spec.name}), current_actor())  # type: ignore[arg-type]


def _claim(ws: Workspace, files_dir: Path, options: DemoOptions, start: date, end: date) -> None:
    """Mark the workspace as this demo's, or refuse one that holds something else."""
    manifest = files_dir / "demo.json"
    wanted = {"generator": generator_fingerprint(), **asdict(options), "end": end.isoformat(),
              "start": start.isoformat()}
    wanted.pop("import_files")
    wanted["orders_per_day"] = float(options.orders_per_day)  # 40 and 40.0 are the same demo
    if manifest.exists():
        found = json.loads(manifest.read_text())
        if found != wanted:
            raise InputError("this workspace already holds a demo built with other options or another "
                             "version of the generator", [Finding(
                "demo.options_differ", f"built with {found}, asked for {wanted}", file=str(manifest),
                hint="use another --workspace, or delete this one and run the demo again")])
        return
    with ws.connect(read_only=True) as con:
        used = con.execute("SELECT (SELECT count(*) FROM stores) + (SELECT count(*) FROM imports)").fetchone()
    if used and used[0]:
        raise InputError("the demo needs an empty workspace", [Finding(
            "demo.workspace_in_use", f"{ws.home} already holds stores or imports",
            hint="run the demo with another --workspace, e.g. kpiguard --workspace demo-data demo")])
    files_dir.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(wanted, indent=2) + "\n")


def generator_fingerprint() -> str:
    """A hash of the simulation and writer code: a changed generator writes other files, which
    must not be mixed into a workspace built by the old one."""
    import kpiguard.demo
    import kpiguard.reportgen

    digest = hashlib.sha256()
    for package in (kpiguard.demo, kpiguard.reportgen):
        for source in sorted(Path(package.__path__[0]).glob("*.py")):
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return "kpiguard demo " + digest.hexdigest()[:16]


def count_rows(ws: Workspace) -> dict[str, dict[str, int]]:
    """Current rows (latest state per natural key) by store and canonical table."""
    out: dict[str, dict[str, int]] = {}
    con = duckdb.connect()
    try:
        for table in TABLES:
            if not ws.has_table_data(table):
                continue
            sql = f"SELECT coalesce(store_id, '*'), count(*) FROM ({current_sql(ws, table)}) GROUP BY 1"
            for store_id, n in con.execute(sql).fetchall():
                out.setdefault(store_id, {})[table] = int(n)
    finally:
        con.close()
    return out
