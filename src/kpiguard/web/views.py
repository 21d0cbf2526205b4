"""What each page shows, as plain data: the HTML pages and the JSON API render the same dicts.

The numbers come from the same functions the CLI calls (``scoring.records.score``,
``metrics.explain.explain``, ``metrics.engine.run``), so a page, its ``/api/`` twin and the CLI's
``--json`` cannot disagree. Permission checks happen in the routes; these functions take the
stores and plans the user may see.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb

from kpiguard import stores as stores_mod
from kpiguard.canonical import TABLES
from kpiguard.errors import UserError
from kpiguard.metrics import catalog as catalog_mod
from kpiguard.metrics import definitions
from kpiguard.metrics.engine import Query, measures_for, run
from kpiguard.metrics.explain import ExplainRequest, explain
from kpiguard.metrics.tables import parquet_sql
from kpiguard.periods import month_end
from kpiguard.plans import store as plan_store
from kpiguard.plans.model import Plan
from kpiguard.plans.store import StoredPlan
from kpiguard.scoring.records import score
from kpiguard.web import i18n
from kpiguard.web.jsonsafe import script_json
from kpiguard.web.runtime import ResultCache, ServerWorkspace

GREEN, AMBER = Decimal(80), Decimal(60)
TREND_MONTHS = 6


@dataclass(frozen=True)
class Clock:
    """Today as the server sees it; tests and the demo can pin it."""

    today: date | None = None

    def now(self) -> date:
        return self.today or datetime.now(UTC).date()


def light(total: str | None) -> str:
    """Traffic light of a total score: green from 80, amber from 60, red below, grey without one."""
    if total is None:
        return "grey"
    value = Decimal(total)
    return "green" if value >= GREEN else "amber" if value >= AMBER else "red"


def scoring_periods(plan: Plan, today: date) -> list[str]:
    """The plan's scoring periods that have started by ``today``, oldest first."""
    out, first = [], plan.period.start.replace(day=1)
    step = 3 if plan.scoring_period == "quarter" else 1
    while first <= min(plan.period.end, today):
        out.append(f"{first.year}Q{(first.month + 2) // 3}" if step == 3 else f"{first:%Y-%m}")
        year, month = divmod(first.year * 12 + first.month - 1 + step, 12)
        first = date(year, month + 1, 1)
    return out


def latest_period(plan: Plan, today: date) -> str | None:
    periods = scoring_periods(plan, today)
    return periods[-1] if periods else None


def scorecard(ws: ServerWorkspace, cache: ResultCache, plan_id: str, period: str, today: date) -> dict[str, Any]:
    return cache.get(("score", plan_id, period, today, ws.generation()), lambda: score(ws, plan_id, period, today, verify=False))


def portfolio(ws: ServerWorkspace, cache: ResultCache, store_ids: list[str], plans: list[StoredPlan],
              today: date) -> dict[str, Any]:
    """Every visible store with its latest month, every visible plan with its latest score."""
    return cache.get(("portfolio", tuple(store_ids), tuple((p.plan_id, p.version, p.status) for p in plans), today,
                      ws.generation()), lambda: _portfolio(ws, cache, store_ids, plans, today))


def _portfolio(ws: ServerWorkspace, cache: ResultCache, store_ids: list[str], plans: list[StoredPlan],
               today: date) -> dict[str, Any]:
    month_last = today.replace(day=1) - timedelta(days=1)
    month_first = month_last.replace(day=1)
    info = {s.store_id: s for s in stores_mod.list_stores(ws)}
    latest: dict[str, dict[str, Any]] = {}
    if store_ids:
        rows = run(ws, Query(metrics=("gmv", "orders", "sessions"), date_from=month_first, date_to=month_last,
                             stores=tuple(store_ids), by=("store",), as_of=today))
        latest = {r["store"]: r for r in rows}
    stores = [{"store_id": s, "platform": info[s].platform, "marketplace": info[s].marketplace,
               "currency": info[s].currency, "name": info[s].name or s, "month": f"{month_first:%Y-%m}",
               "gmv": latest.get(s, {}).get("gmv"), "orders": latest.get(s, {}).get("orders"),
               "sessions": latest.get(s, {}).get("sessions")} for s in store_ids if s in info]
    out_plans = []
    for sp in plans:
        period = latest_period(sp.plan, today) if sp.status in ("signed", "active", "closed") else None
        card, problem = None, None
        if period:
            try:
                card = scorecard(ws, cache, sp.plan_id, period, today)
            except UserError as exc:
                problem = exc.message
        out_plans.append({
            "plan_id": sp.plan_id, "version": sp.version, "status": sp.status,
            "title": {"en": sp.plan.title.en, "zh-CN": sp.plan.title.zh}, "stores": list(sp.plan.stores),
            "period": period, "total": card["total"] if card else None,
            "score_status": card["status"] if card else None, "light": light(card["total"] if card else None),
            "bonus_voided": card["bonus_voided"] if card else None, "problem": problem,
        })
    return {"as_of": str(today), "stores": stores, "plans": out_plans}


def trend(ws: ServerWorkspace, cache: ResultCache, plan: Plan, period_end: date, today: date) -> dict[str, Any]:
    """Monthly actuals of the plan's KPIs over the months up to the period (chart data).

    A month in which none of the plan's stores has a row in the tables a metric reads is no data
    (None, a gap in the chart), not zero: the engine answers 0 for an empty month of a store that
    has data in other months, which drew the months before a store's first import as a fall to 0."""
    last = month_end(period_end.replace(day=1))
    year, month = divmod(last.year * 12 + last.month - TREND_MONTHS, 12)
    first = date(year, month + 1, 1)
    metrics = tuple(dict.fromkeys(k.metric for k in plan.kpis))

    def compute() -> dict[str, Any]:
        rows = run(ws, Query(metrics=metrics, date_from=first, date_to=last, stores=tuple(plan.stores), by=("month",),
                             currency=plan.currency, definition_set=plan.definition_set, as_of=today))
        months = [r["period_start"][:7] for r in rows]
        tables = metric_tables(ws, metrics, plan.definition_set)
        read = months_with_rows(ws, set().union(*tables.values()), plan.stores)
        covered = {m: set().union(*(read[t] for t in tables[m])) for m in metrics}
        return {"months": months,
                "series": {m: [r.get(m) if month in covered[m] or _nonzero(r.get(m)) else None
                               for r, month in zip(rows, months, strict=True)] for m in metrics}}
    return cache.get(("trend", plan.plan_id, str(first), str(last), metrics, today, ws.generation()), compute)


def metric_tables(ws: ServerWorkspace, metrics: tuple[str, ...], definition_set: str) -> dict[str, set[str]]:
    """The lake tables each metric reads under the definition set (GMV may come from settlements)."""
    cat = catalog_mod.load()
    defs = definitions.resolve(ws, definition_set)
    return {m: {x.table for x in measures_for(cat, [cat.metric(m)], defs).values()} for m in metrics}


def months_with_rows(ws: ServerWorkspace, tables: set[str], stores: tuple[str, ...] | list[str]) -> dict[str, set[str]]:
    """Per table, the months (``2026-08``) in which some of the stores has rows, by each row's own
    date (the table's ``partition_date``), read from the stores' parts in the lake."""
    out: dict[str, set[str]] = {table: set() for table in tables}
    with duckdb.connect() as con:
        for table in tables:
            column = TABLES[table].partition_date
            files = [p for store in stores for p in sorted((ws.table_dir(table) / f"store={store}").rglob("*.parquet"))]
            if column is None or not files:
                continue
            out[table].update(str(m) for (m,) in con.execute(
                f"SELECT DISTINCT strftime(\"{column}\", '%Y-%m') FROM ({parquet_sql(files)}) "
                f"WHERE \"{column}\" IS NOT NULL").fetchall())
    return out


def _nonzero(value: Any) -> bool:
    """A figure other than zero came from rows, whatever month their own date puts them in."""
    try:
        return value is not None and Decimal(str(value)) != 0
    except ArithmeticError:
        return False


@functools.cache
def _names(lang: str) -> tuple[tuple[str, str], ...]:
    return tuple((m.key, m.name.get(lang)) for m in catalog_mod.load().metrics)


@functools.cache
def metric_names_json(lang: str) -> str:
    """``metric_names`` as JSON for a page's script (the built-in catalog does not change)."""
    return script_json(dict(_names(lang)))


def effect_text(consequence: str, cap_points: Any, penalty_points: Any, lang: str) -> str:
    """What a breached guardrail does, in the page's language only (``i18n.LABELS``); points the
    plan leaves out show as "?" (as the contract export shows them), not as an empty gap."""
    label = i18n.t(f"effect_{consequence}", lang)
    points = cap_points if consequence == "cap_total" else penalty_points if consequence == "penalty" else None
    return label.format(points="?" if points is None else points)


def plan_as_scored(ws: ServerWorkspace, results: ResultCache, sp: StoredPlan, version: int) -> Plan:
    """The plan version a scorecard or pace report was computed on: the latest version may be an
    amendment's unsigned draft, whose guardrail points do not bind anyone yet."""
    if sp.version == version:
        return sp.plan
    return results.get(("plan-version", sp.plan_id, version, ws.generation()),
                       lambda: plan_store.get(ws, sp.plan_id, version).plan)


def guardrail_effects(plan: Plan, card: dict[str, Any], lang: str) -> list[str]:
    """The effect of each guardrail line of the scorecard (scored on ``plan``), in ``lang``. The
    scorecard's own ``effect`` is the CLI's, in both languages at once; the page shows one."""
    lines = card.get("guardrails", [])
    terms: list[Any]
    if [g.metric for g in plan.guardrails] == [line["metric"] for line in lines]:
        terms = list(plan.guardrails)  # the scorecard lists them in the plan's order
    else:
        by_metric = {g.metric: g for g in plan.guardrails}
        terms = [by_metric.get(line["metric"]) for line in lines]
    return [effect_text(line["consequence"], g.cap_points if g else None, g.penalty_points if g else None, lang)
            for line, g in zip(lines, terms, strict=True)]


def drilldown(ws: ServerWorkspace, metric: str, stores: tuple[str, ...], date_from: date, date_to: date,
              currency: str | None, definition_set: str, limit: int = 100) -> dict[str, Any]:
    return explain(ws, ExplainRequest(metric, date_from, date_to, stores, definition_set, currency, True, limit))


def metric_names(lang: str) -> dict[str, str]:
    return dict(_names(lang))
