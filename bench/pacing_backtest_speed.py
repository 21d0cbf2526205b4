"""Benchmark: how well pacing forecasts month-end from mid-month, on the demo workspace.

The workspace is ``kpiguard demo`` with its defaults (six stores, 12 months, seed 7, 40 orders a
store a day) ending on a fixed day, so runs are comparable; it is built once through the real
importer (a few minutes) and cached under ``bench/data/pacing-demo-<key>``, the key a hash of
the demo generator's code and options. On it, ``kpiguard.pacing.backtest`` forecasts every full
month's GMV and ACoS from the data up to the 15th and compares with the month's actual: MAPE per
store and overall, beside the naive calendar-day pro-rating a spreadsheet would do, with the share
of months whose actual fell inside pacing's 80% interval. The demo's scenario events (a stockout,
a suspension, brushing, price dumping) stay in: the per-store table and the event list show what
they cost the forecast.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from kpiguard.demo.build import DemoOptions, build, generator_fingerprint
from kpiguard.demo.scenario import DEFAULT_STORES, Event, plan_events
from kpiguard.pacing import backtest
from kpiguard.pacing.backtest import BacktestResult
from kpiguard.periods import month_end
from kpiguard.workspace import Workspace

HERE = Path(__file__).parent
OPTIONS = DemoOptions(end=date(2026, 10, 31))  # the demo's defaults, ending on a fixed day
METRICS = ("gmv", "acos")
DAY = 15


def cache_key(options: DemoOptions) -> str:
    text = (f"{generator_fingerprint()} seed={options.seed} months={options.months} stores={options.stores} "
            f"opd={options.orders_per_day} end={options.end}")
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def demo_workspace(options: DemoOptions = OPTIONS) -> tuple[Workspace, float | None]:
    """The cached demo workspace, built first if needed; the build's seconds (None: cached)."""
    home = HERE / "data" / f"pacing-demo-{cache_key(options)}"
    marker = home / ".built"
    if marker.exists():
        return Workspace(home), None
    if home.exists():
        shutil.rmtree(home)  # a build that did not finish
    began = time.monotonic()
    result = build(Workspace(home), options)
    if result.failures:
        raise RuntimeError("the demo did not import cleanly: " + "; ".join(result.failures[:3]))
    marker.write_text("built\n")
    return Workspace(home), time.monotonic() - began


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def events(options: DemoOptions = OPTIONS) -> list[Event]:
    start, end = options.period()
    return plan_events(tuple(DEFAULT_STORES[: options.stores]), start, end)


def main() -> str:
    ws, built = demo_workspace()
    began = time.monotonic()
    result = backtest(ws, metrics=METRICS, day_of_month=DAY)
    seconds = time.monotonic() - began
    start, end = OPTIONS.period()
    forecasts = sum(1 for c in result.cases if c.forecast is not None)
    lines = [
        f"### Pacing backtest: month-end forecast from day {DAY}, demo workspace (GMV and ACoS)",
        f"- data: `kpiguard demo` defaults, {OPTIONS.stores} stores, {start} .. {end}, seed {OPTIONS.seed}, "
        f"{OPTIONS.orders_per_day:g} orders a store a day; "
        + (f"built and imported in {built:.0f} s" if built is not None else "cached build reused"),
        "- pacing: weekday shape from each store's last 12 weeks, level = last 28 days (the demo has no year "
        "of history, so no seasonal profile from last year); naive: to date x days in month / days elapsed "
        "(for ACoS: the rate to date)",
        f"- backtest time: **{seconds:.1f} s** for {forecasts} month-end forecasts with intervals "
        f"({seconds / max(forecasts, 1) * 1000:.0f} ms each, 20 replayed forecasts per interval)",
        "",
        "| metric | store-months | MAPE pacing | MAPE naive | pacing 80% interval holds the actual |",
        "|---|---|---|---|---|",
    ]
    for m in METRICS:
        lines.append(f"| {m} | {result.months(m)} | **{pct(result.mape(m))}** | {pct(result.mape(m, which='naive'))} | "
                     f"{pct(result.coverage(m))} |")
    lines += ["", *store_table(result), "", *event_lines(result)]
    return "\n".join(lines)


def store_table(result: BacktestResult) -> list[str]:
    head = " | ".join(f"{m} pacing | {m} naive | {m} worst month" for m in METRICS)
    out = [f"| store | {head} |", "|---|" + "---|" * (3 * len(METRICS))]
    for store in result.stores:
        cells = []
        for m in METRICS:
            cases = [c for c in result.cases if c.store == store and c.metric == m and c.ape() is not None]
            worst = max(cases, key=lambda c: c.ape() or Decimal(0), default=None)
            cells += [pct(result.mape(m, store)), pct(result.mape(m, store, "naive")),
                      f"{worst.month:%Y-%m} {pct(worst.ape())}" if worst else "no data"]
        out.append(f"| {store} | " + " | ".join(cells) + " |")
    return out


def event_lines(result: BacktestResult) -> list[str]:
    out = ["Scenario events and the months they touch (pacing vs naive error, forecast vs actual):"]
    for e in events():
        touched = []
        for c in result.cases:
            if c.store == e.store_id and c.month <= e.end and month_end(c.month) >= e.start and c.ape() is not None:
                where = "before" if e.end <= c.as_of else ("after" if e.start > c.as_of else "across")
                touched.append(f"{c.metric} {c.month:%Y-%m} ({where} the 15th): {pct(c.ape())} vs {pct(c.ape('naive'))}, "
                               f"{c.forecast} vs {c.actual}")
        out.append(f"- {e.kind} on {e.store_id} {e.start} .. {e.end}: " + ("; ".join(touched) or "no month backtested"))
    return out


if __name__ == "__main__":
    print(main())
