"""Server-rendered pages: portfolio, scorecard, drill-down, definitions, language switch."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kpiguard.accounts.model import User
from kpiguard.errors import Finding, InputError
from kpiguard.metrics import catalog as catalog_mod
from kpiguard.periods import parse_period
from kpiguard.scoring.scorecard import scoring_period
from kpiguard.web import views
from kpiguard.web.access import (
    cache,
    definition_sets,
    lang,
    page_context,
    plan_for,
    render,
    stores_for,
    today,
    visible_plans,
    visible_stores,
    workspace,
)
from kpiguard.web.auth import current_user
from kpiguard.web.jsonsafe import script_json
from kpiguard.web.security import LANG_COOKIE

router = APIRouter(include_in_schema=False)
UserDep = Annotated[User, Depends(current_user)]


@router.get("/", response_class=HTMLResponse)
def portfolio_page(request: Request, user: UserDep) -> Response:
    ws = workspace(request)
    data = views.portfolio(ws, cache(request), visible_stores(request, user), visible_plans(request, user), today(request))
    names = views.metric_names(lang(request, user))
    return render(request, "portfolio.html.j2", page_context(request, user, data=data, names=names))


@router.get("/plans/{plan_id}/score", response_class=HTMLResponse)
def scorecard_page(request: Request, user: UserDep, plan_id: str, period: str | None = None) -> Response:
    sp = plan_for(request, user, plan_id)
    day = today(request)
    chosen = period or views.latest_period(sp.plan, day)
    if chosen is None:
        return RedirectResponse(f"/plans/{plan_id}", status_code=303)
    ws = workspace(request)
    results = cache(request)
    generation = ws.generation()  # before the figures: an import landing meanwhile only makes them newer
    card = views.scorecard(ws, results, plan_id, chosen, day)
    p = scoring_period(sp.plan, chosen)
    chosen_lang = lang(request, user)
    trend_json = results.get(("trend-json", plan_id, p.end, day, generation),
                             lambda: script_json(views.trend(ws, results, sp.plan, p.end, day)))
    scored = views.plan_as_scored(ws, results, sp, card["version"])
    query = urlencode([("from", str(p.start)), ("to", str(p.end)), ("currency", sp.plan.currency),
                       ("definitions", sp.plan.definition_set)] + [("store", s) for s in sp.plan.stores])

    def explain_href(metric: str) -> str:
        return f"/explain/{metric}?{query}"

    title = sp.plan.title.zh if chosen_lang == "zh-CN" else sp.plan.title.en
    return render(request, "scorecard.html.j2", page_context(
        request, user, card=card, light=views.light(card["total"]), periods=views.scoring_periods(sp.plan, day),
        plan_title=title, explain_href=explain_href, trend_json=trend_json,
        effects=views.guardrail_effects(scored, card, chosen_lang), names_json=views.metric_names_json(chosen_lang)))


@router.get("/explain/{metric}", response_class=HTMLResponse)
def explain_page(request: Request, user: UserDep, metric: str,
                 store: Annotated[list[str] | None, Query()] = None,
                 date_from: Annotated[str | None, Query(alias="from")] = None,
                 date_to: Annotated[str | None, Query(alias="to")] = None,
                 period: str | None = None, currency: str | None = None,
                 definitions_key: Annotated[str, Query(alias="definitions")] = "standard@1") -> Response:
    start, end = _range(date_from, date_to, period, today(request))
    x = views.drilldown(workspace(request), metric, stores_for(request, user, store), start, end,
                        currency, definitions_key)
    return render(request, "explain.html.j2", page_context(request, user, x=x))


@router.get("/definitions", response_class=HTMLResponse)
def definitions_page(request: Request, user: UserDep) -> Response:
    sets = definition_sets(request, user)
    return render(request, "definitions.html.j2", page_context(request, user, metrics=catalog_mod.load().metrics,
                                                                 sets=sets))


@router.get("/lang/{code}")
def switch_language(request: Request, code: str) -> Response:
    target = request.headers.get("referer") or "/"
    if not target.startswith(str(request.base_url)):
        target = "/"  # never redirect off-site
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LANG_COOKIE, "en" if code.lower().startswith("en") else "zh-CN", max_age=365 * 86400,
                        httponly=True, samesite="lax")
    return response


def _range(date_from: str | None, date_to: str | None, period: str | None, day: date) -> tuple[date, date]:
    """``period`` (2026-10 ...), or ``from`` and ``to``; by default the last full month."""
    if period:
        return parse_period(period)
    if date_from and date_to:
        return _day(date_from, "from"), _day(date_to, "to")
    if date_from or date_to:
        raise InputError("give both from and to / 请同时给出起止日期", [Finding(
            "range.partial", "give both from and to, or a period", column="from/to", hint="e.g. ?period=2026-10")])
    last = day.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _day(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{text!r} is not a date / 日期格式错误", [Finding(
            "date.invalid", f"cannot read {text!r} as a date", column=name, value=text, hint="use YYYY-MM-DD")]) from exc
