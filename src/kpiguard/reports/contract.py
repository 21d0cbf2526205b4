"""The plan as a contract document (考核方案): every term in plain words, in zh-CN or English.

``build(source, lang)`` turns a plan, its pinned definition set, the metric catalog and the
signatures into a ``Document``; ``render_html``, ``render_md`` and ``render_pdf`` print it. The
sections follow the order a reader checks a contract in: who, what for, how numbers are counted,
what is measured, how it is scored, what happens then, how it ends, who signed which text.
"""

from __future__ import annotations

from kpiguard.metrics.definitions import DefinitionSet
from kpiguard.plans.io import plan_hash
from kpiguard.plans.model import Party
from kpiguard.reports import contract_clauses as clauses
from kpiguard.reports import contract_text as tx
from kpiguard.reports.contract_kpis import guardrails_section, kpis_section
from kpiguard.reports.contract_source import ContractInput, Ctx, Signature
from kpiguard.reports.document import Document, Paragraph, Section, Terms

__all__ = ["ContractInput", "Signature", "build", "normalize_lang"]


def normalize_lang(lang: str) -> str:
    """``zh``, ``zh-cn``, ``zh_CN`` -> ``zh-CN``; anything else English -> ``en``; else ValueError."""
    low = lang.lower().replace("_", "-")
    if low in ("zh", "zh-cn", "zh-hans"):
        return "zh-CN"
    if low in ("en", "en-us", "en-gb"):
        return "en"
    raise ValueError(lang)


def _party(ctx: Ctx, party: Party) -> str:
    contact = f" · {party.contact}" if party.contact else ""
    return ctx.t("party.line", name=party.name, kind=ctx.label("party", party.kind), contact=contact)


def parties_section(ctx: Ctx) -> Section:
    items = ((ctx.t("party.seller"), _party(ctx, ctx.plan.seller)),
             (ctx.t("party.provider"), _party(ctx, ctx.plan.provider)))
    return Section("parties", tx.t("section.parties", ctx.lang), (Terms(items, "parties"),))


def scope_section(ctx: Ctx) -> Section:
    p = ctx.plan
    items = [
        (ctx.t("scope.mode"), ctx.label("mode", p.cooperation_mode)),
        (ctx.t("scope.goal"), ctx.label("goal", p.business_goal)),
        (ctx.t("scope.stage"), ctx.label("stage", p.stage)),
        (ctx.t("scope.stores"), tx.join(p.stores, ctx.lang)),
        (ctx.t("scope.currency"), p.currency),
        (ctx.t("scope.period"), ctx.t("scope.period_value", start=p.period.start, end=p.period.end)),
        (ctx.t("scope.scoring_period"), ctx.label("scoring_period", p.scoring_period)),
    ]
    promises = [ctx.text(x) for x in p.targets_text if ctx.text(x)]
    if promises:
        items.append((ctx.t("scope.promises"), tx.semi(ctx.lang).join(promises)))
    return Section("scope", tx.t("section.scope", ctx.lang), (Terms(tuple(items), "scope"),))


def _gmv_words(ctx: Ctx, defs: DefinitionSet) -> str:
    p = defs.policies
    parts = {"tax": p.gmv_includes_tax, "shipping": p.gmv_includes_shipping, "gift_wrap": p.gmv_includes_gift_wrap}
    sep = "、" if tx.is_zh(ctx.lang) else ", "
    inc = "".join(sep + ctx.label("gmv_part", k) for k, on in parts.items() if on)
    exc = tx.join([ctx.label("gmv_part", k) for k, on in parts.items() if not on], ctx.lang) or ctx.t("gmv.none")
    return ctx.t("gmv.line", source=ctx.label("gmv_source", p.gmv_source), inc=inc, exc=exc)


def _source_title(key: str, lang: str) -> str:
    """An order source by the report's own name (亚马逊所有订单报告), so the clause reads as words."""
    from kpiguard.errors import InputError
    from kpiguard.ingest import registry

    try:
        fmt = registry.get(key)
    except InputError:
        return key
    return fmt.title_zh if tx.is_zh(lang) else fmt.title


def _day_words(ctx: Ctx, zone: str) -> str:
    return ctx.t("day.marketplace") if zone == "marketplace" else ctx.t("day.zone", zone=zone)


def _attribution_words(ctx: Ctx, defs: DefinitionSet) -> str:
    p = defs.policies
    windows = [ctx.t("attribution.window", ad_type=k, days=v) for k, v in p.ad_attribution_days.items()]
    capped = ctx.t("attribution.capped") if p.ad_sales_capped_at_gmv else ""
    return ctx.t("attribution.line", windows=tx.join(windows, ctx.lang), capped=capped)


def _provisional_words(ctx: Ctx, defs: DefinitionSet) -> str:
    items = [ctx.t("provisional.item", table=ctx.label("table", k), days=tx.days(v, ctx.lang))
             for k, v in defs.policies.restatement_days.items() if v > 0]
    return ctx.t("provisional.line", items=tx.join(items, ctx.lang)) if items else ctx.t("not_set")


def definitions_section(ctx: Ctx) -> Section:
    defs, p = ctx.src.definitions, ctx.src.definitions.policies
    title = defs.title.get("zh-CN" if tx.is_zh(ctx.lang) else "en") or defs.title.get("en") or defs.key
    fx = ctx.t(f"fx.{p.fx.method}", currency=ctx.plan.currency, table=p.fx.rate_table, age=p.fx.max_age_days)
    items = (
        (ctx.t("defs.day"), _day_words(ctx, p.day_timezone)),
        (ctx.t("defs.gmv"), _gmv_words(ctx, defs)),
        (ctx.t("defs.cancelled"), ctx.t(f"cancelled.{p.cancelled_lines}")),
        (ctx.t("defs.pending"), ctx.t(f"pending.{p.pending_lines}")),
        (ctx.t("defs.b2b"), ctx.t(f"b2b.{p.b2b}")),
        (ctx.t("defs.refunds"), ctx.t(f"refunds.{p.refunds_booked_on}")),
        (ctx.t("defs.attribution"), _attribution_words(ctx, defs)),
        (ctx.t("defs.fx"), fx),
        (ctx.t("defs.traffic"), ctx.t(f"traffic.{p.traffic_level}")),
        (ctx.t("defs.sources"), ctx.t("sources.line", sources=tx.join(
            [_source_title(k, ctx.lang) for k in p.order_sources], ctx.lang))),
        (ctx.t("defs.provisional"), _provisional_words(ctx, defs)),
    )
    return Section("definitions", tx.t("section.definitions", ctx.lang),
                   (Paragraph(ctx.t("defs.intro", set_key=defs.key, title=title)), Terms(items, "definitions")))


def _meta(ctx: Ctx) -> tuple[tuple[str, str], ...]:
    status = ctx.t("draft") if ctx.src.version is None else ctx.label("status", ctx.src.status)
    version = "" if ctx.src.version is None else str(ctx.src.version)
    return ((ctx.t("meta.plan_id"), ctx.plan.plan_id), (ctx.t("meta.version"), version or "—"),
            (ctx.t("meta.status"), status), (ctx.t("meta.generated"), ctx.src.definitions.key),
            (ctx.t("meta.hash"), plan_hash(ctx.plan)))


def build(source: ContractInput, lang: str) -> Document:
    ctx = Ctx(source, normalize_lang(lang))
    p = source.plan
    own = ctx.text(p.title)
    title = ctx.t("title") + (("——" if tx.is_zh(ctx.lang) else " — ") + own if own else "")
    subtitle = ctx.t("subtitle", seller=p.seller.name, provider=p.provider.name, plan_id=p.plan_id,
                     start=p.period.start, end=p.period.end)
    sections = (parties_section(ctx), scope_section(ctx), definitions_section(ctx), kpis_section(ctx),
                guardrails_section(ctx), clauses.scoring_section(ctx), clauses.review_section(ctx),
                clauses.adjustment_section(ctx), clauses.consequences_section(ctx),
                clauses.incentives_section(ctx), clauses.exit_section(ctx), clauses.raw_data_section(ctx),
                clauses.signatures_section(ctx))
    ref = p.plan_id + (f" v{source.version}" if source.version is not None else "")
    return Document(ctx.lang, title, subtitle, _meta(ctx), sections, ref)
