"""The contract's commercial clauses: scoring with a worked example, review, adjustment,
consequences, incentives, exit, raw-data access and signatures.

Each missing clause is stated as "not agreed" rather than left out, because the document's
reader (often the party that did not write the plan) must see what is absent, not infer it.
"""

from __future__ import annotations

from decimal import Decimal

from kpiguard.plans.io import plan_hash
from kpiguard.reports import contract_text as tx
from kpiguard.reports.contract_kpis import consequence
from kpiguard.reports.contract_source import Ctx
from kpiguard.reports.document import Paragraph, Row, Section, Table, Terms
from kpiguard.reports.worked_example import Example, worked_example

SIGNING_ROLES = ("seller", "provider")  # the roles plans.store accepts; both sign before a plan binds


def _section(ctx: Ctx, section_id: str, *blocks: Paragraph | Terms | Table) -> Section:
    return Section(section_id, tx.t(f"section.{section_id}", ctx.lang), blocks)


def _fig(ctx: Ctx, value: Decimal, metric_key: str) -> str:
    """A figure inside a calculation: ratios as percentages, everything else as a bare number."""
    m = ctx.metric(metric_key)
    return f"{tx.number(value * 100)}%" if m is not None and m.unit == "ratio" else tx.number(value)


def _step(key: str, title: str, calc: str, result: str, value: Decimal | None) -> Row:
    return Row((title, calc, result), (("step", key), ("value", "" if value is None else str(value))))


def _curve_steps(ctx: Ctx, ex: Example) -> list[Row]:
    c, n, name = ctx.plan.scoring_curve, tx.number, ctx.metric_name(ex.metric)
    f, tg, a = (_fig(ctx, v, ex.metric) for v in (ex.floor, ex.target, ex.actual))
    points = f"{n(c.at_floor)} + ({a} − {f}) ÷ ({tg} − {f}) × ({n(c.at_target)} − {n(c.at_floor)})"
    return [
        _step("actual", ctx.t("step.actual"), ctx.t("calc.actual", floor=f, target=tg), a, ex.actual),
        _step("points", ctx.t("step.points", metric=name), points, n(ex.points), ex.points),
        _step("weighted", ctx.t("step.weighted", metric=name), f"{n(ex.points)} × {n(ex.weight)} ÷ 100",
              n(ex.weighted), ex.weighted),
        _step("others", ctx.t("step.others"), ctx.t("calc.others", w=n(ex.others_weight), points=n(c.at_target)),
              n(ex.total - ex.weighted), ex.total - ex.weighted),
        _step("total", ctx.t("step.total"), f"{n(ex.weighted)} + {n(ex.total - ex.weighted)}", n(ex.total),
              ex.total),
    ]


def _money_steps(ctx: Ctx, prefix: str, fee_pct: Decimal, bonus: Decimal) -> list[Row]:
    inc, n, rows = ctx.plan.incentives, tx.number, []
    if inc.base_fee:
        fee = inc.base_fee - inc.base_fee * fee_pct / 100
        rows.append(_step(f"{prefix}fee", ctx.t(f"step.{prefix}fee"),
                          ctx.t("calc.fee", base=n(inc.base_fee), pct=n(fee_pct)), ctx.money(fee), fee))
    if inc.bonus_pool:
        paid = inc.bonus_pool * bonus / 100
        rows.append(_step(f"{prefix}bonus", ctx.t(f"step.{prefix}bonus"),
                          ctx.t("calc.bonus", pool=n(inc.bonus_pool), pct=n(bonus)), ctx.money(paid), paid))
    return rows


def _breach_steps(ctx: Ctx, ex: Example) -> list[Row]:
    g, n = ex.guardrail, tx.number
    if g is None or ex.breached_total is None or ex.breached_fee_pct is None or ex.breached_bonus_pct is None:
        return []
    if g.consequence == "cap_total" and g.cap_points is not None:
        calc = f"min({n(ex.total)}, {n(g.cap_points)})"
    elif g.consequence == "penalty" and g.penalty_points is not None:
        calc = f"{n(ex.total)} − {n(g.penalty_points)}"
    else:
        calc = f"{n(ex.total)} ({consequence(ctx, g)})"
    title = ctx.t("step.breach", metric=ctx.metric_name(g.metric))
    rows = [_step("breach", title, calc, n(ex.breached_total), ex.breached_total)]
    return rows + _money_steps(ctx, "breach_", ex.breached_fee_pct, ex.breached_bonus_pct)


def scoring_section(ctx: Ctx) -> Section:
    c, n = ctx.plan.scoring_curve, tx.number
    directions = {m.key: m.direction for m in ctx.src.catalog.metrics}
    ex = worked_example(ctx.plan, directions)
    steps = _curve_steps(ctx, ex) + _money_steps(ctx, "", ex.fee_pct, ex.bonus_pct) + _breach_steps(ctx, ex)
    intro = ctx.t("example.intro", metric=ctx.metric_name(ex.metric))
    if ex.hypothetical:
        intro += " " + ctx.t("example.hypothetical")
    headers = (ctx.t("col.step"), ctx.t("col.calc"), ctx.t("col.result"))
    return _section(
        ctx, "scoring",
        Paragraph(ctx.t("scoring.curve", below=n(c.below_floor), floor=n(c.at_floor), target=n(c.at_target),
                        stretch=n(c.at_stretch), cap=n(c.cap))),
        Paragraph(ctx.t("scoring.formula", floor=n(c.at_floor), target=n(c.at_target)), "formula"),
        Paragraph(ctx.t("scoring.total"), "formula"),
        Paragraph(intro, "example"),
        Table("example", headers, tuple(steps)),
    )


def _slowest_table(ctx: Ctx) -> tuple[str, int] | None:
    """The source table whose figures stay provisional longest, among every metric the plan scores."""
    keys = [k.metric for k in ctx.plan.kpis] + [g.metric for g in ctx.plan.guardrails]
    tables = {t for key in keys if (m := ctx.metric(key)) is not None for t in ctx.tables(m)}
    ranked = sorted(((ctx.restatement(t), t) for t in tables), reverse=True)
    return (ranked[0][1], ranked[0][0]) if ranked and ranked[0][0] > 0 else None


def review_section(ctx: Ctx) -> Section:
    blocks: list[Paragraph | Terms | Table] = [
        Paragraph(ctx.t("review.line", cadence=ctx.label("cadence", ctx.plan.review_cadence))),
        Paragraph(ctx.t("review.scoring", period=ctx.label("scoring_period", ctx.plan.scoring_period))),
    ]
    slowest = _slowest_table(ctx)
    if slowest:
        blocks.append(Paragraph(ctx.t("review.final", days=tx.days(slowest[1], ctx.lang),
                                      table=ctx.label("table", slowest[0]))))
    return _section(ctx, "review", *blocks)


def adjustment_section(ctx: Ctx) -> Section:
    adj = ctx.plan.adjustments
    if adj is None or not adj.events:
        return _section(ctx, "adjustment", Paragraph(ctx.t("adjustment.none"), "warning"))
    events = tx.join([ctx.label("event", e) for e in adj.events], ctx.lang)
    most = tx.days(adj.max_days_per_period, ctx.lang) if adj.max_days_per_period else ctx.t("adjustment.unlimited")
    terms = Terms(((ctx.t("adjustment.events"), events), (ctx.t("adjustment.method"), ctx.label("method", adj.method)),
                   (ctx.t("adjustment.approval"), ctx.label("approval", adj.approval)),
                   (ctx.t("adjustment.max"), most)), "adjustment")
    return _section(ctx, "adjustment", terms, Paragraph(ctx.t("adjustment.record")))


def consequences_section(ctx: Ctx) -> Section:
    steps = sorted(ctx.plan.consequences, key=lambda s: s.below_score, reverse=True)
    if not steps:
        return _section(ctx, "consequences", Paragraph(ctx.t("consequences.none"), "warning"))
    rows = tuple(Row((tx.number(s.below_score), f"{tx.number(s.fee_reduction_pct)}%"),
                     (("below", str(s.below_score)), ("reduction", str(s.fee_reduction_pct)))) for s in steps)
    table = Table("fee-steps", (ctx.t("col.below"), ctx.t("col.reduction")), rows)
    return _section(ctx, "consequences", table, Paragraph(ctx.t("consequences.rule")))


def _commission(ctx: Ctx) -> str:
    c = ctx.plan.incentives.commission
    if c is None:
        return ctx.t("incentives.no_commission")
    cap = ctx.t("incentives.commission_cap", cap=ctx.money(c.cap)) if c.cap is not None else ""
    return ctx.t("incentives.commission_line", rate=tx.number(c.rate * 100), base=ctx.label("commission_base", c.base),
                 threshold=ctx.money(c.threshold), cap=cap)


def incentives_section(ctx: Ctx) -> Section:
    inc = ctx.plan.incentives
    clawback = (ctx.t("incentives.clawback_line", n=inc.clawback_days) if inc.clawback_days
                else ctx.t("incentives.no_clawback"))
    terms = Terms(((ctx.t("incentives.base_fee"), ctx.money(inc.base_fee)),
                   (ctx.t("incentives.pool"), ctx.money(inc.bonus_pool)),
                   (ctx.t("incentives.commission"), _commission(ctx)),
                   (ctx.t("incentives.clawback"), clawback)), "incentives")
    blocks: list[Paragraph | Terms | Table] = [terms]
    if inc.tiers:
        tiers = sorted(inc.tiers, key=lambda tier: tier.min_score, reverse=True)
        rows = tuple(Row((tx.number(tier.min_score), f"{tx.number(tier.bonus_pct)}%"),
                         (("min-score", str(tier.min_score)), ("bonus", str(tier.bonus_pct)))) for tier in tiers)
        blocks += [Table("bonus-tiers", (ctx.t("col.min_score"), ctx.t("col.bonus")), rows),
                   Paragraph(ctx.t("incentives.tiers_rule"))]
    return _section(ctx, "incentives", *blocks)


def exit_section(ctx: Ctx) -> Section:
    ex = ctx.plan.exit_terms
    notice = tx.days(ex.notice_days, ctx.lang) if ex.notice_days is not None else ctx.t("not_agreed")
    return _section(ctx, "exit", Terms((
        (ctx.t("exit.notice"), notice),
        (ctx.t("exit.handover"), ctx.text(ex.data_handover) or ctx.t("not_agreed")),
        (ctx.t("exit.early"), ctx.text(ex.early_exit) or ctx.t("not_agreed")),
    ), "exit"))


def raw_data_section(ctx: Ctx) -> Section:
    raw = ctx.plan.raw_data_access
    return _section(ctx, "raw-data", Terms((
        (ctx.t("raw.access"), ctx.t("yes") if raw.seller_keeps_access else ctx.t("no")),
        (ctx.t("raw.how"), ctx.text(raw.how) or ctx.t("not_agreed")),
    ), "raw-data"), Paragraph(ctx.t("raw.ledger")))


def signatures_section(ctx: Ctx) -> Section:
    current = plan_hash(ctx.plan)
    blocks: list[Paragraph | Terms | Table] = [Paragraph(ctx.t("sign.hash", hash=current), "hash")]
    if not ctx.src.signatures:
        blocks.append(Paragraph(ctx.t("sign.draft"), "warning"))
        return _section(ctx, "signatures", *blocks)
    headers = tuple(ctx.t(k) for k in ("col.role", "col.name", "col.signed_at", "col.hash", "col.ledger", "col.check"))
    rows = tuple(Row((ctx.label("party", s.role), s.name, s.signed_at, s.plan_hash,
                      "" if s.ledger_seq is None else str(s.ledger_seq),
                      ctx.t("sign.ok") if s.plan_hash == current else ctx.t("sign.differs")),
                     (("role", s.role), ("hash", s.plan_hash), ("matches", str(s.plan_hash == current).lower())))
                 for s in ctx.src.signatures)
    blocks.append(Table("signatures", headers, rows))
    missing = [ctx.label("party", r) for r in SIGNING_ROLES if r not in {s.role for s in ctx.src.signatures}]
    if missing:
        blocks.append(Paragraph(ctx.t("sign.missing", roles=tx.join(missing, ctx.lang)), "warning"))
    return _section(ctx, "signatures", *blocks)
