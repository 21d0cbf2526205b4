"""The settlement statement (结算单) as a document both parties can sign, in zh-CN or English.

``build_statement(statement, lang)`` reads the dict ``settlement.statements.settle`` returns and
says, in the order a finance person checks it: who and which period, how the score came about
(KPIs, guardrails and their effect), each amount with the arithmetic that produced it, what is
still owed or owed back against an earlier statement, how to trace the numbers (plan hash and data
snapshot digest) and where to sign. It computes no money itself: every amount is the settlement's
own figure, so the statement can never disagree with the ledger; the "how" column only writes out
the arithmetic with the same figures. Table rows carry data-* attributes (raw decimal strings) so
tools and tests read the HTML without scraping the visible text.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from kpiguard.metrics import catalog
from kpiguard.reports import contract_text as ctx_words
from kpiguard.reports import statement_text as st
from kpiguard.reports.contract import normalize_lang
from kpiguard.reports.document import Document, Paragraph, Row, Section, Table, Terms

Block = Paragraph | Terms | Table


@cache
def _units() -> dict[str, str]:
    """Metric key -> unit, so a ratio prints as 12.5% and money with its currency."""
    return {m.key: m.unit for m in catalog.load().metrics}


def money(value: str | None) -> str:
    """A settled amount as written, thousands separated, its decimals kept (3,509.50; JPY 1,200)."""
    return "—" if value is None else f"{Decimal(value):,f}"


def _score(value: str | None, lang: str) -> str:
    return st.t("score.not_scored", lang) if value is None else ctx_words.number(Decimal(value))


def _pct(value: str | Decimal) -> str:
    return ctx_words.number(Decimal(value))


class _Ctx:
    """The statement and the language, with the few lookups every section needs."""

    def __init__(self, statement: dict[str, Any], lang: str) -> None:
        self.s, self.lang = statement, lang
        self.a: dict[str, Any] = statement["amounts"]
        self.cur: str = self.a["currency"]
        self.total = _score(statement["score"]["total"], lang)

    def t(self, key: str, **values: object) -> str:
        return st.t(key, self.lang, **values)

    def name(self, line: dict[str, Any]) -> str:
        names = line.get("name") or {}
        return str(names.get("zh-CN" if ctx_words.is_zh(self.lang) else "en") or names.get("en") or line["metric"])

    def value(self, metric: str, value: str | None) -> str:
        if value is None:
            return self.t("no_data")
        unit = _units().get(metric, "")
        if unit == "money":  # as settled, cents kept (730.00 USD), where the contract writes 730 USD
            return f"{money(value)} {self.cur}"
        return ctx_words.fmt(Decimal(value), unit, self.cur, self.lang)


def _section(c: _Ctx, section_id: str, *blocks: Block) -> Section:
    return Section(section_id, c.t(f"section.{section_id}"), tuple(blocks))


def parties_section(c: _Ctx) -> Section:
    s = c.s
    period = c.t("period.value", period=s["period"], start=s.get("period_start", ""), end=s.get("period_end", ""))
    items = ((c.t("party.seller"), s["parties"]["seller"]), (c.t("party.provider"), s["parties"]["provider"]),
             (c.t("meta.period"), period), (c.t("meta.status"), c.t(f"status.{s['status']}")),
             (c.t("meta.issued"), s["issued_on"]))
    note = Paragraph(c.t(f"status.{s['status']}_note"), "warning" if s["status"] == "provisional" else "note")
    return _section(c, "parties", Terms(items, "parties"), note)


def _kpi_row(c: _Ctx, k: dict[str, Any]) -> Row:
    cells = (c.name(k), f"{_pct(k['weight'])}%", c.value(k["metric"], k["actual"]), c.value(k["metric"], k["target"]),
             _score(k["points"], c.lang))
    attrs = (("metric", k["metric"]), ("weight", k["weight"]), ("actual", k["actual"] or ""),
             ("target", k["target"] or ""), ("points", k["points"] or ""))
    return Row(cells, attrs)


def _guardrail_row(c: _Ctx, g: dict[str, Any]) -> Row:
    breached = g["breached"]
    if breached is None:
        flag, effect = c.t("no_data"), c.t("effect.unknown")
    else:
        flag = c.t("yes") if breached else c.t("no")
        effect = st.half(g["effect"], c.lang) if breached else c.t("effect.none")
    cells = (c.name(g), c.value(g["metric"], g["actual"]), c.value(g["metric"], g["limit"]), flag, effect)
    attrs = (("metric", g["metric"]), ("actual", g["actual"] or ""), ("limit", g["limit"] or ""),
             ("breached", "unknown" if breached is None else str(breached).lower()))
    return Row(cells, attrs)


def score_section(c: _Ctx) -> Section:
    sc = c.s["score"]
    items = [(c.t("score.total"), c.total), (c.t("score.unadjusted"), _score(sc["total_unadjusted"], c.lang)),
             (c.t("score.weighted"), _score(sc["weighted_total"], c.lang)),
             (c.t("score.bonus_voided"), c.t("yes") if sc["bonus_voided"] else c.t("no")),
             (c.t("score.definition_set"), sc["definition_set"])]
    if sc.get("as_of"):
        items.append((c.t("score.as_of"), sc["as_of"]))
    blocks: list[Block] = [Terms(tuple(items), "score")]
    if c.s["kpis"]:
        headers = tuple(c.t(k) for k in ("col.kpi", "col.weight", "col.actual", "col.target", "col.points"))
        blocks.append(Table("kpis", headers, tuple(_kpi_row(c, k) for k in c.s["kpis"])))
    if c.s["guardrails"]:
        headers = tuple(c.t(k) for k in ("col.guardrail", "col.actual", "col.limit", "col.breached", "col.effect"))
        blocks.append(Table("guardrails", headers, tuple(_guardrail_row(c, g) for g in c.s["guardrails"])))
    return _section(c, "score", *blocks)


def _reduction_how(c: _Ctx) -> str:
    a = c.a
    if c.s["score"]["total"] is None:
        return c.t("how.no_total")
    if Decimal(a["fee_reduction_pct"]) == 0:
        return c.t("how.no_reduction", total=c.total)
    return c.t("how.reduction", total=c.total, base=money(a["base_fee"]), pct=_pct(a["fee_reduction_pct"]),
               amount=money(a["fee_reduction"]))


def _bonus_how(c: _Ctx) -> str:
    a, tier = c.a, c.a["bonus_tier"]
    if tier is None:
        return c.t("how.no_total") if c.s["score"]["total"] is None else c.t("how.no_tier", total=c.total)
    values = {"total": c.total, "min_score": _pct(tier["min_score"]), "pool": money(a["bonus_pool"]),
              "pct": _pct(tier["bonus_pct"]), "amount": money(a["bonus"])}
    return c.t("how.bonus_void" if c.s["score"]["bonus_voided"] else "how.bonus", **values)


def _commission_how(c: _Ctx, com: dict[str, Any]) -> str:
    base = ctx_words.label("commission_base", com["base"], c.lang)
    if com["base_value"] is None:
        return c.t("how.commission_no_value", base=base)
    value, threshold = Decimal(com["base_value"]), Decimal(com["threshold"])
    if value <= threshold:
        return c.t("how.commission_below", base=base, value=money(com["base_value"]), threshold=money(com["threshold"]))
    values = {"rate": _pct(Decimal(com["rate"]) * 100), "base": base, "value": money(com["base_value"]),
              "threshold": money(com["threshold"]), "amount": money(com["amount"])}
    if com["cap"] is None:
        return c.t("how.commission", **values)
    return c.t("how.commission_capped", cap=money(com["cap"]), **values)


def _line(c: _Ctx, item: str, how: str, amount: str) -> Row:
    """One amount line; data-amount is its signed contribution, so the lines add up to the payable."""
    return Row((c.t(f"item.{item}"), how, money(amount)), (("item", item), ("amount", amount), ("currency", c.cur)))


def amounts_section(c: _Ctx) -> Section:
    a = c.a
    reduction = a["fee_reduction"] if Decimal(a["fee_reduction"]) == 0 else f"-{a['fee_reduction']}"
    rows = [_line(c, "base_fee", c.t("how.base_fee"), a["base_fee"]),
            _line(c, "fee_reduction", _reduction_how(c), reduction),
            _line(c, "bonus", _bonus_how(c), a["bonus"])]
    commission = a["commission"]["amount"] if a["commission"] else "0"
    if a["commission"]:
        rows.append(_line(c, "commission", _commission_how(c, a["commission"]), commission))
    how = c.t("how.payable", base=money(a["base_fee"]), reduction=money(a["fee_reduction"]), bonus=money(a["bonus"]),
              commission=money(commission), payable=money(a["payable"]))
    rows.append(_line(c, "payable", how, a["payable"]))
    headers = (c.t("col.item"), c.t("col.how"), c.t("col.amount", currency=c.cur))
    blocks: list[Block] = [Table("amounts", headers, tuple(rows))]
    blocks += [Paragraph(st.half(note, c.lang), "note") for note in a["notes"]]
    blocks.append(Terms(((c.t("recap.payable", currency=c.cur), money(a["payable"])),), "payable"))
    return _section(c, "amounts", *blocks)


def true_up_section(c: _Ctx) -> Section:
    t = c.s.get("true_up")
    if not t:
        return _section(c, "true-up", Paragraph(c.t("trueup.first"), "note"))
    how = c.t("how.true_up", payable=money(c.a["payable"]), seq=t["against_seq"], before=money(t["settled_before"]),
              difference=money(t["difference"]))
    details = ((c.t("trueup.note"), st.half(t["note"], c.lang)), (c.t("trueup.window"), t["clawback_until"]))
    attrs = (("kind", t["kind"]), ("due", t["due"]), ("difference", t["difference"]),
             ("settled-before", t["settled_before"]), ("against-seq", str(t["against_seq"])),
             ("clawback-until", t["clawback_until"]), ("currency", c.cur))
    row = Row((c.t(f"kind.{t['kind']}"), how, money(t["due"])), attrs, details)
    headers = (c.t("col.kind"), c.t("col.how"), c.t("col.amount", currency=c.cur))
    return _section(c, "true-up", Table("true-up", headers, (row,)))


def trace_section(c: _Ctx) -> Section:
    s, sc = c.s, c.s["score"]
    as_of = f" --as-of {sc['as_of']}" if sc.get("as_of") else ""
    items = ((c.t("trace.plan_hash"), s["plan_hash"]), (c.t("trace.snapshot"), sc["snapshot_digest"]),
             (c.t("trace.definition_set"), sc["definition_set"]),
             (c.t("trace.recompute"), f"kpiguard score {s['plan']} --period {s['period']}{as_of} --json"))
    return _section(c, "trace", Paragraph(c.t("trace.intro")), Terms(items, "trace"))


def signatures_section(c: _Ctx) -> Section:
    t = c.s.get("true_up")
    due = (c.t("sign.due", kind=c.t(f"kind.{t['kind']}"), due=money(t["due"]), currency=c.cur)
           if t and t["kind"] != "none" else "")
    intro = c.t("sign.intro", seq=c.s.get("seq", "—"), period=c.s["period"], payable=money(c.a["payable"]),
                currency=c.cur, due=due)
    headers = tuple(c.t(k) for k in ("col.role", "col.name", "col.signature", "col.date"))
    rows = tuple(Row((c.t(f"party.{role}"), c.s["parties"][role], c.t("sign.line"), c.t("sign.date")),
                     (("role", role),)) for role in ("seller", "provider"))
    return _section(c, "signatures", Paragraph(intro), Table("signatures", headers, rows))


def build_statement(statement: dict[str, Any], lang: str) -> Document:
    """The statement as a ``Document`` in ``lang`` (zh-CN or en; ValueError for anything else)."""
    c = _Ctx(statement, normalize_lang(lang))
    s = statement
    seq = str(s.get("seq", "—"))
    subtitle = c.t("subtitle", seller=s["parties"]["seller"], provider=s["parties"]["provider"], plan=s["plan"],
                   version=s["version"], period=s["period"])
    meta = ((c.t("meta.plan"), s["plan"]), (c.t("meta.version"), str(s["version"])), (c.t("meta.period"), s["period"]),
            (c.t("meta.status"), c.t(f"status.{s['status']}")), (c.t("meta.issued"), s["issued_on"]),
            (c.t("meta.seq"), seq))
    sections = (parties_section(c), score_section(c), amounts_section(c), true_up_section(c), trace_section(c),
                signatures_section(c))
    return Document(c.lang, c.t("title"), subtitle, meta, sections, f"{s['plan']} v{s['version']} {s['period']} no.{seq}")
