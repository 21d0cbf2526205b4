"""What the plan pages show, as plain data: the HTML pages and their /api/ twins render these dicts.

``plan_list`` and ``plan_detail`` are what ``/plans`` and ``/plans/{id}`` show (and
``/api/plan-list``, ``/api/plans/{id}/view`` return). ``lint_report`` turns the linter's findings,
or the reasons a text cannot be read at all, into rows with a line number and a message in the
reader's language, which the draft editor shows as the user types. ``actions`` says which buttons
the user has: the same answer the routes enforce, so a page never offers what would be a 403.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import Request
from starlette.routing import Match

from kpiguard.accounts.model import User
from kpiguard.accounts.permissions import can_role
from kpiguard.errors import Finding, InputError, UserError
from kpiguard.events import store as events_store
from kpiguard.metrics import catalog as catalog_mod
from kpiguard.plans import history, lint
from kpiguard.plans import store as plan_store
from kpiguard.plans.feasibility import LOOKBACK_MONTHS, history_metrics
from kpiguard.plans.model import Plan
from kpiguard.plans.store import StoredPlan
from kpiguard.scoring.scorecard import scoring_period
from kpiguard.web import plan_text
from kpiguard.web.access import cache, today, workspace
from kpiguard.web.views import scoring_periods

# where a period of a plan can be looked at (pages_ops.py has pacing and settlement); a page is
# linked only when its route is installed
PERIOD_PAGES: dict[str, str] = {"score": "/plans/{plan_id}/score?period={period}",
                                "pacing": "/plans/{plan_id}/pace?as_of={as_of}",
                                "settlement": "/plans/{plan_id}/settlement?period={period}"}
PARSE_ZH = {"plan.yaml": "YAML格式错误", "plan.invalid": "方案字段无效", "plan.shape": "不是方案格式",
            "plan.range": "数值或日期超出范围",
            "plan.id_mismatch": "方案编号不一致", "plan.store_hidden": "店铺不可见"}


def _zh(lang: str) -> bool:
    return lang.lower().startswith("zh")


def _title(plan: Plan) -> dict[str, str]:
    return {"en": plan.title.en, "zh-CN": plan.title.zh}


def signatures(sp: StoredPlan) -> list[dict[str, Any]]:
    return [{"role": s.role, "name": s.name, "signed_at": s.signed_at.isoformat(), "plan_hash": s.plan_hash,
             "ledger_seq": s.ledger_seq} for s in sp.signatures]


def actions(user: User, sp: StoredPlan) -> dict[str, bool]:
    """What the user may do to this plan now (its status, their role, what their party did)."""
    signed = {s.role for s in sp.signatures}
    return {
        "edit": sp.status == "draft" and can_role(user, "plan_edit"),
        "propose": sp.status == "draft" and can_role(user, "plan_propose"),
        "sign": sp.status == "proposed" and can_role(user, "plan_sign") and user.party not in signed,
        "amend": sp.status in plan_store.AMENDABLE and can_role(user, "plan_propose"),
        "activate": sp.status == "signed" and can_role(user, "plan_sign"),
        "event_propose": (sp.status in events_store.DECIDABLE_PLAN_STATUSES and sp.plan.adjustments is not None
                          and can_role(user, "event_propose")),
    }


def plan_row(request: Request, user: User, sp: StoredPlan) -> dict[str, Any]:
    return {"plan_id": sp.plan_id, "version": sp.version, "status": sp.status, "title": _title(sp.plan),
            "stores": list(sp.plan.stores), "period": {"start": str(sp.plan.period.start),
                                                       "end": str(sp.plan.period.end)},
            "plan_hash": sp.plan_hash, "signatures": signatures(sp), "actions": actions(user, sp)}


def plan_list(request: Request, user: User, plans: list[StoredPlan]) -> dict[str, Any]:
    return {"plans": [plan_row(request, user, sp) for sp in plans],
            "can_create": can_role(user, "plan_edit")}


def _installed(request: Request, path: str) -> bool:
    """Whether some route of the app answers GET ``path`` (pages other engineers add appear by themselves)."""
    scope = {"type": "http", "path": path, "method": "GET", "root_path": "", "path_params": {},
             "query_string": b"", "headers": []}
    return any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes)


def period_links(request: Request, sp: StoredPlan) -> list[dict[str, Any]]:
    """Each scoring period that has started, with links to the pages installed for it (pacing as of
    the period's last day, or today while it runs)."""
    day = today(request)
    pages = {k: v for k, v in PERIOD_PAGES.items()
             if _installed(request, v.split("?")[0].format(plan_id=sp.plan_id))}
    out = []
    for p in scoring_periods(sp.plan, day):
        as_of = min(scoring_period(sp.plan, p).end, day)
        out.append({"period": p, "links": {k: v.format(plan_id=sp.plan_id, period=p, as_of=as_of)
                                           for k, v in pages.items()}})
    return out


def _kpis(plan: Plan) -> list[dict[str, Any]]:
    cat = catalog_mod.load()
    known = set(cat.keys())
    out = []
    for k in plan.kpis:
        name = cat.metric(k.metric).name if k.metric in known else None
        out.append({"metric": k.metric, "name": {"en": name.en if name else k.metric,
                                                 "zh-CN": name.zh if name else k.metric},
                    "floor": _num(k.floor), "target": _num(k.target), "stretch": _num(k.stretch),
                    "weight": str(k.weight), "owner": k.owner, "kind": k.kind, "suggested": k.suggested,
                    "data_source": k.data_source})
    return out


def _guardrails(plan: Plan) -> list[dict[str, Any]]:
    cat = catalog_mod.load()
    known = set(cat.keys())
    return [{"metric": g.metric, "name": {"en": cat.metric(g.metric).name.en if g.metric in known else g.metric,
                                          "zh-CN": cat.metric(g.metric).name.zh if g.metric in known else g.metric},
             "limit": _num(g.limit), "consequence": g.consequence, "cap_points": _num(g.cap_points),
             "penalty_points": _num(g.penalty_points), "owner": g.owner} for g in plan.guardrails]


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def plan_detail(request: Request, user: User, sp: StoredPlan) -> dict[str, Any]:
    """Everything the plan page shows: terms, KPIs, guardrails, clauses, signatures, periods, events."""
    ws = workspace(request)
    p = sp.plan
    terms = p.model_dump(mode="json", by_alias=True)
    generation = ws.generation()  # every version and event is a ledger entry: read them once per generation
    versions = cache(request).get(("plan-versions", sp.plan_id, generation), lambda: [
        {"version": v.version, "status": v.status, "reason": v.reason, "plan_hash": v.plan_hash}
        for v in plan_store.versions(ws, sp.plan_id)])
    events = cache(request).get(("events", sp.plan_id, None, generation),
                                lambda: events_store.list_events(ws, sp.plan_id))
    return {
        "plan_id": sp.plan_id, "version": sp.version, "status": sp.status, "reason": sp.reason,
        "plan_hash": sp.plan_hash, "created_by": sp.created_by, "title": _title(p),
        "seller": terms["seller"], "provider": terms["provider"], "stores": list(p.stores),
        "currency": p.currency, "definition_set": p.definition_set,
        "period": terms["period"], "scoring_period": p.scoring_period, "review_cadence": p.review_cadence,
        "cooperation_mode": p.cooperation_mode, "business_goal": p.business_goal, "stage": p.stage,
        "kpis": _kpis(p), "weights_total": str(sum((k.weight for k in p.kpis), Decimal(0))),
        "guardrails": _guardrails(p), "adjustments": terms["adjustments"], "incentives": terms["incentives"],
        "consequences": terms["consequences"], "exit_terms": terms["exit_terms"],
        "signatures": signatures(sp),
        "versions": [dict(v) for v in versions],
        "periods": period_links(request, sp),
        "events": [e.to_dict() for e in events],
        "party": user.party, "actions": actions(user, sp),
    }


# -- lint ------------------------------------------------------------------------------------
def finding_row(f: lint.PlanFinding, lang: str) -> dict[str, Any]:
    zh = _zh(lang)
    return {"code": f.code, "severity": f.severity, "line": f.line, "path": f.path,
            "message": f.zh if zh else f.en, "hint": (f.hint_zh if zh else f.hint_en) or None,
            "message_en": f.en, "message_zh": f.zh, "hint_en": f.hint_en or None, "hint_zh": f.hint_zh or None}


def problem_row(f: Finding, lang: str) -> dict[str, Any]:
    """A reason the text cannot be read (YAML syntax, a misspelt key), as a lint row."""
    zh_label = PARSE_ZH.get(f.code, "方案无法读取")
    return {"code": f.code, "severity": "error", "line": f.row, "path": f.column or "",
            "message": f"{zh_label}：{f.message}" if _zh(lang) else f.message, "hint": f.hint,
            "message_en": f.message, "message_zh": f"{zh_label}：{f.message}", "hint_en": f.hint, "hint_zh": f.hint}


def report(plan_id: str | None, rows: list[dict[str, Any]], readable: bool) -> dict[str, Any]:
    counts = {s: sum(1 for r in rows if r["severity"] == s) for s in ("error", "warning", "info")}
    return {"plan_id": plan_id, "readable": readable, "errors": counts["error"], "warnings": counts["warning"],
            "infos": counts["info"], "signable": readable and counts["error"] == 0, "findings": rows}


def plan_history(request: Request, plan: Plan) -> dict[str, list[Decimal]]:
    """The months before the plan, as ``plans.store.lint_findings`` reads them; cached per generation
    because the editor lints on every pause in typing and the history is the slow part."""
    ws = workspace(request)
    metrics = history_metrics(plan)
    key = ("lint-history", tuple(metrics), tuple(plan.stores), plan.currency, plan.definition_set,
           plan.period.start, ws.generation())
    return cache(request).get(key, lambda: history.monthly(ws, metrics, plan.stores, plan.currency,
                                                           plan.definition_set, plan.period.start,
                                                           LOOKBACK_MONTHS))


def lint_text(request: Request, text: str, lang: str, visible: set[str], plan_id: str | None = None
              ) -> dict[str, Any]:
    """Lint a plan text as the editor holds it: unreadable text gives its line, stores the user cannot
    see are named (and no history is read for them), and a text for another plan id is flagged."""
    source = f"{plan_id or 'plan'}.yaml"
    try:
        plan, locations = plan_text.load(text, source)
    except InputError as exc:
        return report(plan_id, [problem_row(f, lang) for f in exc.findings], False)
    rows: list[dict[str, Any]] = []
    if plan_id is not None and plan.plan_id != plan_id:
        rows.append(problem_row(Finding("plan.id_mismatch", f"plan_id {plan.plan_id!r} differs from {plan_id!r}",
                                        row=locations.line("plan_id"), column="plan_id",
                                        hint=f"keep plan_id: {plan_id}"), lang))
    hidden = [s for s in plan.stores if s not in visible]
    if hidden:
        rows.append(problem_row(Finding("plan.store_hidden", f"store {', '.join(hidden)} is not one of your stores",
                                        row=locations.line("stores"), column="stores",
                                        hint="list only stores you can see"), lang))
    try:
        hist = {} if hidden else plan_history(request, plan)
    except UserError:
        hist = {}
    try:
        found = lint.lint(lint.LintContext(plan, locations, source, hist))
    except plan_text.ESCAPES as exc:
        bad = plan_text.out_of_range(source, f"{type(exc).__name__}: {exc}")
        return report(plan_id or plan.plan_id, rows + [problem_row(f, lang) for f in bad.findings], True)
    return report(plan_id or plan.plan_id, rows + [finding_row(f, lang) for f in found], True)


def stored_lint(request: Request, sp: StoredPlan, lang: str) -> dict[str, Any]:
    """The stored version's findings: exactly what signing and proposing check."""
    key = ("lint-stored", sp.plan_id, sp.version, sp.plan_hash, workspace(request).generation())
    try:
        found = cache(request).get(key, lambda: plan_store.lint_findings(workspace(request), sp))
    except plan_text.ESCAPES as exc:  # a text stored before the web checked it (by the CLI)
        raise plan_text.out_of_range(f"{sp.plan_id} v{sp.version}", f"{type(exc).__name__}: {exc}") from None
    return report(sp.plan_id, [finding_row(f, lang) for f in found], True)
