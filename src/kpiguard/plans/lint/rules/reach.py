"""PL002 targets far outside the store's history, and the path a GMV target needs (避坑2 保结果).

Pitfall 2: "guaranteed results" with no path or feasibility. Every KPI with a target and
history is judged by ``plans.feasibility.judge``: more than x1.5 beyond the best month of the
last 12, or a level never reached that needs a bigger one-month step than the store ever made.
A GMV target is also decomposed (GMV = sessions x conversion x AOV, ``plans.decomposition``):
the message says what each driver alone would have to reach, and the even split.

Severity: **warning**. History is evidence, not a veto: a relaunch or a new marketplace can
justify a leap, and the parties may sign it knowingly. **info** when nothing could be checked
(no history for the plan's stores), and for a feasible GMV target, to show its path. A
free-text promise that "guarantees" results is a warning too: the promise is not the plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from kpiguard.plans.decomposition import Decomposition, decompose, round_driver
from kpiguard.plans.feasibility import FAR_FACTOR, Reach, driver_months, judge, monthly_target
from kpiguard.plans.lint import LintContext, PlanFinding, rule
from kpiguard.plans.lint.wording import factor, growth, listing, metric_name, metric_value, number
from kpiguard.plans.model import Kpi

CODE = "PL002"
GUARANTEE = re.compile(r"guarantee|保证|保结果|包结果|包出单|稳赚", re.IGNORECASE)


def _reach_reasons(kpi: Kpi, target: Decimal, reach: Reach, direction: str) -> tuple[list[str], list[str]]:
    """The English and Chinese sentences that say why a target is out of reach."""
    en: list[str] = []
    zh: list[str] = []
    t, best = metric_value(kpi.metric, target), metric_value(kpi.metric, reach.best)
    if reach.far:
        better_en, better_zh = ("", "") if direction == "higher" else (" better than", "（越低越好）")
        en.append(f"target {t} is {factor(reach.beyond_best)}{better_en} the best month of the last {reach.months} "
                  f"({best}); beyond {factor(FAR_FACTOR)} is far outside the store's history")
        zh.append(f"目标值{t}是近{reach.months}个月最佳月份（{best}）的{factor(reach.beyond_best)}{better_zh}，"
                  f"超过{factor(FAR_FACTOR)}即远超店铺历史水平")
    if reach.unprecedented and reach.best_step is not None:
        latest = metric_value(kpi.metric, reach.latest)
        en.append(f"it was never reached and needs {factor(reach.needed_step)} on the latest month ({latest}), "
                  f"while the largest one-month improvement was {factor(reach.best_step)}")
        zh.append(f"该水平从未达到过，需要在最近一个月（{latest}）基础上改善{factor(reach.needed_step)}，"
                  f"而历史单月最大改善仅为{factor(reach.best_step)}")
    return en, zh


def _path_text(d: Decomposition) -> tuple[str, str]:
    """GMV = sessions x conversion x AOV: each driver alone, then the even split."""
    r = d.recent
    alone = {p.name: p.level.get(p.name) for p in d.paths if p.name != "even"}
    s = number(round_driver("sessions", alone["sessions"]), "count")
    c = number(round_driver("cvr", alone["cvr"]), "ratio")
    a = number(round_driver("aov", alone["aov"]), "money")
    even = next(p for p in d.paths if p.name == "even").growth["sessions"]
    recent_en = (f"{number(r.gmv, 'money')} = {number(round_driver('sessions', r.sessions), 'count')} sessions × "
                 f"{number(r.cvr, 'ratio')} × {number(r.aov, 'money')}, last {d.recent_months} month(s)")
    recent_zh = (f"{number(r.gmv, 'money')} = 访问量{number(round_driver('sessions', r.sessions), 'count')} × "
                 f"转化率{number(r.cvr, 'ratio')} × 客单价{number(r.aov, 'money')}，近{d.recent_months}个月")
    verdict = {True: ("the store's history has months with such growth", "店铺历史上有过这样的增长"),
               False: ("no month in the store's history grew a driver that much", "店铺历史上没有任何一个月的驱动因素有过这样的增长"),
               None: ("too little history to compare month-over-month growth", "历史数据太少，无法比较环比增长")}
    v_en, v_zh = verdict[d.feasible_by_history]
    en = (f"GMV = sessions × conversion × AOV: from the recent level ({recent_en}) the target needs "
          f"{factor(d.gmv_growth)}: sessions alone {s}, or conversion alone {c}, or AOV alone {a}; "
          f"evenly {growth(even)} each; {v_en}")
    zh = (f"GMV = 访问量 × 转化率 × 客单价：从近期水平（{recent_zh}）出发，目标需要{factor(d.gmv_growth)}："
          f"仅靠访问量需达到{s}，或仅靠转化率需达到{c}，或仅靠客单价需达到{a}；三者均摊则各需{growth(even)}；{v_zh}")
    return en, zh


def _decomposition(ctx: LintContext, target: Decimal) -> Decomposition | None:
    months = driver_months(ctx.history, ctx.plan.period.start)
    if not months or months[-1].gmv <= 0:
        return None
    return decompose(target, months)


def _kpi_findings(ctx: LintContext, i: int, kpi: Kpi, target: Decimal) -> Iterator[PlanFinding]:
    direction = ctx.catalog.metric(kpi.metric).direction
    reach = judge(ctx.history.get(kpi.metric, []), target, direction)
    en, zh = _reach_reasons(kpi, target, reach, direction) if reach else ([], [])
    dec = _decomposition(ctx, target) if kpi.metric == "gmv" else None
    if dec is not None and dec.feasible_by_history is False and not en:
        en, zh = ["no driver has ever grown as much as it needs"], ["没有任何驱动因素有过所需的增长"]
    path_en, path_zh = _path_text(dec) if dec else ("", "")
    where = f"kpis.{i}.target"
    if en:
        yield ctx.finding(
            CODE, "warning", f"{metric_name(kpi.metric)}: " + "; ".join(en) + (f". {path_en}" if path_en else ""),
            f"{metric_name(kpi.metric, 'zh')}：" + "；".join(zh) + (f"。{path_zh}" if path_zh else ""), where,
            "lower the target, or write down the path (traffic, conversion, order value) both parties believe in",
            "下调目标值，或写明双方认可的达成路径（流量、转化、客单价）")
    elif dec is not None and dec.gmv_growth > 1:
        yield ctx.finding(CODE, "info", path_en, path_zh, where)
    elif kpi.metric == "gmv" and dec is None:
        yield ctx.finding(CODE, "info", "GMV decomposition not checked: no sessions and orders history",
                          "未检查GMV拆解：缺少访问量和订单数的历史数据", where)


def _guarantees(ctx: LintContext) -> Iterator[PlanFinding]:
    for i, text in enumerate(ctx.plan.targets_text):
        if GUARANTEE.search(text.en) or GUARANTEE.search(text.zh):
            yield ctx.finding(
                CODE, "warning", f"a promise guarantees results: '{text.en or text.zh}'",
                f"承诺中含有“保结果”类表述：“{text.zh or text.en}”", f"targets_text.{i}",
                "platform policy, logistics and supply move results; replace the guarantee by KPI targets and their path",
                "跨境结果受平台政策、物流与供应链影响，请把“保证”改为可考核的指标目标及其达成路径")


@rule(CODE)
def targets_within_history(ctx: LintContext) -> Iterator[PlanFinding]:
    known = set(ctx.catalog.keys())
    judged = [(i, k) for i, k in enumerate(ctx.plan.kpis) if k.metric in known and k.target is not None]
    missing = [k.metric for _, k in judged if not ctx.history.get(k.metric)]
    for i, kpi in judged:
        if kpi.target is not None and ctx.history.get(kpi.metric):
            yield from _kpi_findings(ctx, i, kpi, monthly_target(ctx.plan, kpi.metric, kpi.target))
    if missing:
        stores = ", ".join(ctx.plan.stores)
        yield ctx.finding(
            CODE, "info", f"feasibility not checked, no history of {stores} before {ctx.plan.period.start} for: "
            f"{listing(missing)}",
            f"未检查可行性：{stores}在{ctx.plan.period.start}之前没有以下指标的历史数据：{listing(missing, 'zh')}",
            "kpis", "import the stores' reports of the last 12 months, then lint again",
            "导入店铺近12个月的报表后再次检查")
    yield from _guarantees(ctx)
