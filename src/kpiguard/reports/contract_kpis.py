"""The contract's KPI and guardrail sections: what is measured, how, from where and how often.

The update frequency is derived, not typed: each metric's measures name the canonical tables
they read, each table has a publishing rhythm (orders daily, settlements every 14 days), and the
pinned definition set says how long a table's figures can still change (ads are restated for 28
days). Writing it from the same catalog the engine uses keeps the contract true to the numbers.
"""

from __future__ import annotations

from decimal import Decimal

from kpiguard.metrics.catalog import Metric
from kpiguard.plans.model import Dependency, Guardrail, Kpi
from kpiguard.reports import contract_text as tx
from kpiguard.reports.contract_source import Ctx
from kpiguard.reports.document import Paragraph, Row, Section, Table


def data_source(ctx: Ctx, metric: Metric | None, stated: str = "") -> str:
    """The agreed data source, or (when the plan is silent) the reports the metric is computed from."""
    if stated:
        return stated
    tables = [ctx.label("table", t) for t in ctx.tables(metric)] if metric else []
    return ctx.t("source.missing", tables=tx.join(tables, ctx.lang) or "?")


def update_frequency(ctx: Ctx, metric: Metric | None) -> str:
    """Per source table: how often it publishes and for how many days it can still change."""
    parts = []
    for table in ctx.tables(metric) if metric else []:
        n = ctx.restatement(table)
        key = "frequency.item" if n else "frequency.item_final"
        parts.append(ctx.t(key, table=ctx.label("table", table), freq=ctx.label("frequency", table),
                           days=tx.days(n, ctx.lang)))
    return tx.semi(ctx.lang).join(parts) if parts else ctx.t("not_set")


def _measures(ctx: Ctx, metric: Metric) -> str:
    lines = []
    for name in ctx.measure_names(metric):
        plain = tx.pick(tx.MEASURES.get(name, (name, name)), ctx.lang)
        lines.append(f"{plain} = {ctx.src.catalog.measures[name].formula}")
    return tx.semi(ctx.lang).join(lines)


def _dependency(ctx: Ctx, dep: Dependency) -> str:
    due = ctx.t("depends.due", due=dep.due.isoformat()) if dep.due else ""
    return ctx.t("depends.line", role=ctx.label("role", dep.role), deliverable=dep.deliverable, due=due,
                 clause=ctx.label("clause", dep.clause))


def _metric_details(ctx: Ctx, metric: Metric | None, source: str) -> list[tuple[str, str]]:
    if metric is None:
        return [(ctx.t("col.source"), source)]
    unit = ctx.t("unit.direction", unit=ctx.label("unit", metric.unit), direction=ctx.label("direction", metric.direction))
    return [
        (ctx.t("col.formula"), f"{metric.name.get(ctx.lang)} = {ctx.plain_formula(metric)}"),
        (ctx.t("col.exact"), metric.formula),
        (ctx.t("col.measures"), _measures(ctx, metric)),
        (ctx.t("col.unit"), unit),
        (ctx.t("col.source"), source),
        (ctx.t("col.frequency"), update_frequency(ctx, metric)),
    ]


def _kpi_row(ctx: Ctx, index: int, kpi: Kpi) -> Row:
    metric = ctx.metric(kpi.metric)
    source = data_source(ctx, metric, kpi.data_source)
    details = _metric_details(ctx, metric, source)
    if kpi.kind:
        details.append((ctx.t("col.kind"), ctx.label("kind", kpi.kind)))
    if kpi.attribution:
        details.append((ctx.t("col.attribution"), kpi.attribution))
    if kpi.depends_on:
        details.append((ctx.t("col.depends"), tx.semi(ctx.lang).join(_dependency(ctx, d) for d in kpi.depends_on)))
    note = ctx.text(kpi.note)
    if note:
        details.append((ctx.t("col.note"), note))
    owner = ctx.label("role", kpi.owner) if kpi.owner else ctx.t("not_set")
    cells = (str(index), ctx.metric_name(kpi.metric), ctx.fmt(kpi.target, kpi.metric), ctx.fmt(kpi.floor, kpi.metric),
             ctx.fmt(kpi.stretch, kpi.metric), ctx.t("weight.value", w=tx.number(kpi.weight)), owner)
    attrs = (("metric", kpi.metric), ("formula", metric.formula if metric else ""), ("source", source),
             ("frequency", update_frequency(ctx, metric)), ("target", _raw(kpi.target)), ("floor", _raw(kpi.floor)),
             ("stretch", _raw(kpi.stretch)), ("weight", _raw(kpi.weight)), ("owner", kpi.owner or ""),
             ("direction", metric.direction if metric else ""))
    return Row(cells, attrs, tuple(details))


def _raw(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def kpis_section(ctx: Ctx) -> Section:
    headers = ("#", *(ctx.t(k) for k in ("col.kpi", "col.target", "col.floor", "col.stretch", "col.weight",
                                          "col.owner")))
    rows = tuple(_kpi_row(ctx, i, k) for i, k in enumerate(ctx.plan.kpis, start=1))
    return Section("kpis", tx.t("section.kpis", ctx.lang),
                   (Paragraph(ctx.t("kpis.intro")), Table("kpis", headers, rows)))


def consequence(ctx: Ctx, g: Guardrail) -> str:
    if g.consequence == "cap_total":
        return ctx.t("consequence.cap_total", cap=tx.number(g.cap_points) if g.cap_points is not None else "?")
    if g.consequence == "penalty":
        return ctx.t("consequence.penalty", points=tx.number(g.penalty_points) if g.penalty_points is not None else "?")
    return ctx.t("consequence.void_bonus")


def limit(ctx: Ctx, g: Guardrail) -> str:
    metric = ctx.metric(g.metric)
    key = "limit.higher" if metric and metric.direction == "higher" else "limit.lower"
    return ctx.t(key, v=ctx.fmt(g.limit, g.metric))


def _guardrail_row(ctx: Ctx, g: Guardrail) -> Row:
    metric = ctx.metric(g.metric)
    source = data_source(ctx, metric)
    owner = ctx.label("role", g.owner) if g.owner else ctx.t("not_set")
    cells = (ctx.metric_name(g.metric), limit(ctx, g), consequence(ctx, g), owner)
    attrs = (("metric", g.metric), ("formula", metric.formula if metric else ""), ("limit", _raw(g.limit)),
             ("consequence", g.consequence), ("source", source), ("frequency", update_frequency(ctx, metric)))
    return Row(cells, attrs, tuple(_metric_details(ctx, metric, source)))


def guardrails_section(ctx: Ctx) -> Section:
    if not ctx.plan.guardrails:
        return Section("guardrails", tx.t("section.guardrails", ctx.lang),
                       (Paragraph(ctx.t("guardrails.none"), "warning"),))
    headers = tuple(ctx.t(k) for k in ("col.kpi", "col.limit", "col.consequence", "col.owner"))
    rows = tuple(_guardrail_row(ctx, g) for g in ctx.plan.guardrails)
    return Section("guardrails", tx.t("section.guardrails", ctx.lang),
                   (Paragraph(ctx.t("guardrails.intro")), Table("guardrails", headers, rows)))
