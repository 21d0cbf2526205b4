"""The shipped templates (4 modes x 3 stages) carry the full terms, and `plan new` fills their
targets from history (hand-worked percentiles) into plans that lint without errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from kpiguard.metrics import catalog
from kpiguard.plans import history, io, store, suggest, templates
from kpiguard.plans.lint import LintContext, has_errors, lint
from kpiguard.plans.model import EVENT_TYPES, Kpi, Period, Plan
from kpiguard.workspace import Workspace
from tests.metrics.world import world

KEYS = [f"{m}/{s}" for m in ("full_service", "coaching", "training", "in_house") for s in ("new", "growth", "mature")]
AD_METRICS = {"acos", "roas", "tacos", "ad_sales", "ad_orders", "ad_spend", "cpc", "ctr", "organic_sales_share"}
NOVEMBER = Period(start=date(2026, 11, 1), end=date(2026, 11, 30))
BOTH = ["case-us", "case-shop"]  # case-us has traffic, ads and reviews; case-shop the buyers LTV needs


def make(key: str, stores: list[str] | None = None, currency: str = "USD") -> Plan:
    return templates.instantiate(templates.load(key), key.replace("/", "-"), "Seller Ltd", "Agency Co",
                                 stores or ["case-us"], NOVEMBER, currency)


def weight_of(plan: Plan, *metrics: str) -> D:
    return sum((k.weight for k in plan.kpis if k.metric in metrics), D(0))


def test_twelve_templates_ship() -> None:
    assert templates.available() == KEYS


@pytest.mark.parametrize("key", KEYS)
def test_template_carries_the_full_terms(key: str) -> None:
    plan, cat = make(key), catalog.load()
    assert (plan.cooperation_mode, plan.stage) == tuple(key.split("/"))
    assert plan.title.en and plan.title.zh
    assert sum(k.weight for k in plan.kpis) == 100
    assert {k.metric for k in plan.kpis} <= set(cat.keys())
    assert all(k.owner and k.kind and k.data_source and k.note.en and k.note.zh for k in plan.kpis)
    assert any(k.kind == "quality" for k in plan.kpis)
    assert all(k.attribution for k in plan.kpis if k.metric in AD_METRICS)
    assert any(d.role == "design" for k in plan.kpis for d in k.depends_on) or plan.stage == "mature"
    assert any(k.depends_on for k in plan.kpis)
    guards = {g.metric: g for g in plan.guardrails}
    assert set(guards) == {"refund_rate", "complaint_rate", "order_defect_rate"}
    assert all(g.limit is not None and g.owner for g in guards.values())
    assert guards["order_defect_rate"].limit == D("0.01")  # Amazon's own target: below 1%
    assert plan.adjustments is not None and set(plan.adjustments.events) == set(EVENT_TYPES)
    assert plan.adjustments.approval == "both"
    assert plan.review_cadence == "monthly" and plan.definition_set == "standard@1"
    assert plan.raw_data_access.seller_keeps_access and plan.raw_data_access.how.zh
    assert plan.exit_terms.notice_days and plan.exit_terms.data_handover.en and plan.exit_terms.early_exit.zh


@pytest.mark.parametrize("key", KEYS)
def test_incentives_follow_agency_practice(key: str) -> None:
    inc = make(key).incentives
    assert inc.commission is not None and inc.commission.base == "net_sales"
    assert D("0.03") <= inc.commission.rate <= D("0.08")  # 3-8% of net sales (industry-facts.md)
    assert inc.clawback_days == 60
    assert [t.min_score for t in inc.tiers] == [D(80), D(100)] and inc.bonus_pool > 0
    assert (inc.base_fee == 0) == key.startswith("in_house")  # salaries are outside an in-house plan


@pytest.mark.parametrize("key", KEYS)
def test_history_based_targets_are_placeholders(key: str) -> None:
    plan = make(key)
    assert all(k.target is None and k.floor is None and k.stretch is None and not k.suggested for k in plan.kpis)
    assert plan.incentives.commission is not None and plan.incentives.commission.threshold == 0


def test_stages_weigh_what_the_brief_says() -> None:
    new, growth, mature = (make(f"full_service/{s}") for s in ("new", "growth", "mature"))
    assert weight_of(new, "sell_through_rate", "review_count_gain") == 45  # 25 + 20
    assert weight_of(new, "gmv") == 10
    assert weight_of(growth, "gmv", "roas") == 50  # 30 + 20
    assert weight_of(mature, "net_profit", "inventory_turnover_days", "customer_ltv") == 65  # 30 + 20 + 15
    coaching = make("coaching/growth")  # coaching moves 10 points from results to the quality KPI
    assert weight_of(coaching, "ctr") == 25 and weight_of(coaching, "gmv", "roas") == 40


def test_unknown_template_is_a_user_error() -> None:
    from kpiguard.errors import NotFoundError

    with pytest.raises(NotFoundError, match="full_service/old"):
        templates.load("full_service/old")


# -- suggestions, worked by hand --------------------------------------------------------------
def metric(key: str) -> catalog.Metric:
    return catalog.load().metric(key)


def test_higher_is_better_target_floor_and_stretch() -> None:
    kpi, note = suggest.suggest_kpi(Kpi(metric="gmv"), metric("gmv"), [D(100), D(200), D(300), D(400)], "growth")
    # median 250; growth step 15% = 37.50 -> target 287.50
    # floor = 25th percentile: position 3 x 0.25 = 0.75 -> 100 + 0.75 x 100 = 175.00
    # stretch = 90th percentile: position 2.7 -> 300 + 0.7 x 100 = 370, + 37.50 = 407.50
    assert (kpi.floor, kpi.target, kpi.stretch, kpi.suggested) == (D("175.00"), D("287.50"), D("407.50"), True)
    assert note.suggested and "287.50" in note.en and "287.50" in note.zh


def test_lower_is_better_moves_down() -> None:
    kpi, _ = suggest.suggest_kpi(Kpi(metric="acos"), metric("acos"), [D("0.30"), D("0.20"), D("0.25")], "growth")
    # sorted 0.20 0.25 0.30; median 0.25; rate step 5% = 0.0125 -> target 0.2375
    # floor = 75th percentile: position 1.5 -> 0.25 + 0.5 x 0.05 = 0.2750
    # stretch = 10th percentile: position 0.2 -> 0.20 + 0.2 x 0.05 = 0.21, - 0.0125 = 0.1975
    assert (kpi.floor, kpi.target, kpi.stretch) == (D("0.2750"), D("0.2375"), D("0.1975"))


def test_one_month_stretch_is_one_step_beyond_the_target() -> None:
    kpi, _ = suggest.suggest_kpi(Kpi(metric="gmv"), metric("gmv"), [D("245.00")], "new")
    # new stage: 30% step = 73.50; target 318.50; floor 245.00; stretch max(245 + 73.50, 318.50 + 73.50) = 392.00
    assert (kpi.floor, kpi.target, kpi.stretch) == (D("245.00"), D("318.50"), D("392.00"))


def test_months_before_the_first_data_are_not_zero_sales() -> None:
    kpi, _ = suggest.suggest_kpi(Kpi(metric="gmv"), metric("gmv"), [D(0), D(0), D(20), D(245)], "mature")
    # history starts at 20: median (20 + 245) / 2 = 132.50; mature step 5% = 6.625 -> 139.13 (half up)
    assert kpi.target == D("139.13")


def test_quarterly_scoring_adds_up_totals_but_not_rates() -> None:
    gmv, _ = suggest.suggest_kpi(Kpi(metric="gmv"), metric("gmv"), [D(100), D(200)], "mature", "quarter")
    aov, _ = suggest.suggest_kpi(Kpi(metric="aov"), metric("aov"), [D(50), D(60)], "mature", "quarter")
    assert gmv.target == D("472.50")  # months x3: 300, 600 -> median 450 + 5% = 472.50
    assert aov.target == D("56.65")  # an average is not tripled: median 55 + 3% = 56.65


def test_no_history_leaves_the_target_empty_and_says_so() -> None:
    kpi, note = suggest.suggest_kpi(Kpi(metric="customer_ltv"), metric("customer_ltv"), [], "mature")
    assert (kpi.target, kpi.suggested) == (None, False)
    assert not note.suggested and "no history" in note.en and "无历史数据" in note.zh


def test_a_full_share_leaves_no_room_and_says_so() -> None:
    kpi, note = suggest.suggest_kpi(Kpi(metric="sell_through_rate"), metric("sell_through_rate"), [D(1)], "new")
    assert kpi.target is None and "by hand" in note.en  # 100% sell-through cannot grow: target = stretch = 1


def test_fill_keeps_hand_targets_and_sets_the_commission_threshold() -> None:
    plan = make("full_service/growth")
    plan = plan.model_copy(update={"kpis": [plan.kpis[0].model_copy(update={"target": D(999)}), *plan.kpis[1:]]})
    filled = suggest.fill(plan, {"gmv": [D(1)], "roas": [D(4)], "net_sales": [D(100), D(300), D(200)]})
    assert filled.plan.kpis[0].target == D(999) and not filled.plan.kpis[0].suggested
    assert filled.plan.kpis[1].target == D("4.2000")  # roas 4 + 5%
    assert filled.plan.incentives.commission is not None
    assert filled.plan.incentives.commission.threshold == D("200.00")  # median monthly net sales
    assert {n.metric for n in filled.notes if not n.suggested} == {"gross_margin_rate", "organic_sales_share",
                                                                   "cvr", "ctr"}


def test_fees_in_another_currency_are_cleared_not_reused(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.init()
    drafted = suggest.draft(ws, make("full_service/growth", currency="JPY"))
    assert (drafted.plan.incentives.base_fee, drafted.plan.incentives.bonus_pool) == (0, 0)
    assert any(n.metric == "incentives" and "JPY" in n.en for n in drafted.notes)


# -- every template, drafted on the case world, lints without errors ---------------------------
@pytest.fixture(scope="module")
def case_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("templates")
    ws = Workspace(root / "ws")
    ws.init()
    (root / "files").mkdir()
    return world(ws, root / "files")


@pytest.fixture(scope="module")
def case_history(case_ws: Workspace) -> dict[str, list[D]]:
    """One history of every metric any template names, for both stores (the engine is the slow
    part; the suggestion and the linter are pure and get the same history they would fetch)."""
    plans = [make(k, BOTH) for k in KEYS]
    metrics = {m for p in plans for m in suggest.plan_history_metrics(p)}
    return history.monthly(case_ws, sorted(metrics), BOTH, "USD", "standard@1", NOVEMBER.start, 12)


@pytest.mark.parametrize("key", KEYS)
def test_every_template_drafted_from_history_lints_without_errors(case_history: dict[str, list[D]], key: str) -> None:
    drafted = suggest.fill(make(key, BOTH), case_history)
    assert all(k.target is not None and k.suggested for k in drafted.plan.kpis), drafted.notes
    plan, locations = io.load(io.to_yaml(drafted.plan), key)
    findings = lint(LintContext(plan, locations, key, case_history))
    assert not has_errors(findings), [(f.code, f.en) for f in findings if f.severity == "error"]


def test_plan_new_path_on_the_world_drafts_a_signable_plan(case_ws: Workspace) -> None:
    """The real path once: history from the workspace, stored as a draft, linted as signing does."""
    drafted = suggest.draft(case_ws, make("full_service/mature", BOTH))
    # net profit of October: 171.50 (both stores, tests/metrics/world.py); September 15.00 (one Amazon
    # order of 20.00 less 5.00 first-leg and unit cost 4.00... as the metric layer computes it): the
    # target must sit between the floor and the stretch whatever the exact history
    # net profit, both stores: September 15.00 (case-us's one order of 20.00 on Sept 30, less unit
    # cost 4.00 and first leg 1.00), October 171.50 (60.50 case-us + 111.00 case-shop, cases.yaml).
    # median (15 + 171.50) / 2 = 93.25; mature step 5% = 4.6625 -> target 97.9125 -> 97.91
    # floor P25 = 15 + 0.25 x 156.50 = 54.125 -> 54.13; stretch P90 = 15 + 0.9 x 156.50 = 155.85 + 4.6625 -> 160.51
    net = drafted.plan.kpis[0]
    assert (net.metric, net.floor, net.target, net.stretch) == ("net_profit", D("54.13"), D("97.91"), D("160.51"))
    # commission threshold: median monthly net sales, September 20.00 and October 326.00 -> 173.00
    assert drafted.plan.incentives.commission is not None
    assert drafted.plan.incentives.commission.threshold == D("173.00")
    sp = store.create(case_ws, drafted.plan, "test")
    assert not has_errors(store.lint_findings(case_ws, sp))
