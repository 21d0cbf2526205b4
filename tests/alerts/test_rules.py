"""Each rule on hand-built PaceReports: when it fires, how severe, what it says in both languages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from kpiguard.alerts import rules
from kpiguard.alerts.model import RuleConfig
from kpiguard.alerts.rules import anomaly_flagged, forecast_below_floor, guardrail_breach
from tests.alerts.reports import guardrail, kpi, report

D = Decimal
CFG = RuleConfig()


def test_forecast_below_floor_warning_with_numbers_and_both_languages() -> None:
    r = report([kpi(forecast="84000", low="78000", high="91000", p_floor="0.42", weekly="18750")])
    [a] = forecast_below_floor.evaluate(r, CFG)
    # 84,000 < floor 90,000 fires; the optimistic end 91,000 still reaches the floor -> warning
    assert (a.rule, a.severity, a.metric, a.stores) == ("forecast_below_floor", "warning", "gmv", ("shop-us",))
    assert a.numbers["forecast"] == D(84000) and a.numbers["floor"] == D(90000) and a.numbers["p_floor"] == D("0.42")
    assert a.dedupe_key == "forecast_below_floor:shop-us-2026-10:2026-10-01:gmv"
    assert a.title.en == "GMV forecast below floor" and a.title.zh == "销售额 (GMV) 预测低于底线值"
    assert "84,000.00 USD" in a.body.en and "floor 90,000.00 USD" in a.body.en
    assert "Likelihood of reaching the floor: 42%" in a.body.en and "18,750.00 USD a week" in a.body.en
    assert "底线值 90,000.00 USD" in a.body.zh and "目标值 100,000.00 USD" in a.body.zh
    assert "达到底线值的可能性：42%" in a.body.zh and "每周 18,750.00 USD" in a.body.zh


def test_forecast_below_floor_critical_when_even_the_optimistic_end_misses() -> None:
    [a] = forecast_below_floor.evaluate(report([kpi(forecast="80000", low="74000", high="88000", p_floor="0.0004")]), CFG)
    assert a.severity == "critical"  # 88,000 < 90,000
    # 0.04% is not "0%" (impossible): shown as <1%
    assert "Likelihood of reaching the floor: <1%" in a.body.en and "达到底线值的可能性：<1%" in a.body.zh
    cvr = kpi("cvr", unit="ratio", forecast="0.07", low="0.06", high="0.079", floor="0.08", target="0.1")
    [b] = forecast_below_floor.evaluate(report([cvr]), CFG)
    assert b.title.zh == "转化率预测低于底线值"  # Chinese runs on without a space


def test_likely_miss_fires_even_with_a_forecast_above_the_floor() -> None:
    [a] = forecast_below_floor.evaluate(report([kpi(forecast="95000", p_floor="0.42")]), CFG)
    assert a.severity == "warning" and a.numbers["forecast"] == D(95000)
    assert forecast_below_floor.evaluate(report([kpi(forecast="95000", p_floor="0.5")]), CFG) == []
    assert forecast_below_floor.evaluate(report([kpi(floor=None, forecast="1")]), CFG) == []
    assert forecast_below_floor.evaluate(report([kpi(forecast=None, p_floor=None)]), CFG) == []


def test_lower_is_better_kpi_misses_its_floor_from_above() -> None:
    acos = kpi("acos", unit="ratio", direction="lower", forecast="0.33", low="0.31", high="0.36",
               floor="0.30", target="0.25", stretch="0.20", p_floor="0.2", weekly="0.22")
    [a] = forecast_below_floor.evaluate(report([acos]), CFG)
    # lower is better: 0.33 > 0.30 misses; optimistic (low) end 0.31 > 0.30 also misses -> critical
    assert a.severity == "critical"
    assert a.title.en == "ACoS forecast above floor" and "高于底线值" in a.title.zh
    assert "33.00%" in a.body.en and "a rate of 22.00%" in a.body.en and "达到 22.00%" in a.body.zh


def test_guardrail_trending_and_breached() -> None:
    trending = guardrail(actual="0.04", forecast="0.055", p_breach="0.3")
    breached = guardrail(actual="0.06", forecast="0.058", p_breach="0.9")
    likely = guardrail(actual="0.03", forecast="0.045", p_breach="0.5")
    fine = guardrail(actual="0.03", forecast="0.045", p_breach="0.49")
    found = guardrail_breach.evaluate(report(guardrails=[trending, breached, likely, fine]), CFG)
    # 0.055 > 0.05 (forecast past the limit); 0.06 > 0.05 to date; p 0.5 >= 0.5; p 0.49 and 0.045: nothing
    assert [(a.severity, a.dedupe_key.rsplit(":", 1)[1]) for a in found] == [
        ("warning", "trending"), ("critical", "breached"), ("warning", "trending")]
    crit = found[1]
    assert crit.numbers == {"actual_to_date": D("0.06"), "forecast": D("0.058"), "limit": D("0.05"),
                            "p_breach": D("0.9")}
    assert crit.title.en == "Refund rate (units) beyond its guardrail limit"
    assert crit.title.zh == "退款率（件数）已超出风控指标限值"  # no space after CJK
    assert "6.00%" in crit.body.en and "at most 5.00%" in crit.body.en and "不高于 5.00%" in crit.body.zh


def test_higher_is_better_guardrail() -> None:
    in_stock = guardrail("in_stock_rate", limit="0.95", actual="0.93", forecast="0.94", direction="higher")
    [a] = guardrail_breach.evaluate(report(guardrails=[in_stock]), CFG)
    assert a.severity == "critical" and "at least 95.00%" in a.body.en and "不低于 95.00%" in a.body.zh


def _gmv_days(as_of: date, today: str) -> list[tuple[date, Decimal]]:
    """Eight Thursdays of 100..104-ish GMV, then ``today`` on as_of (a Thursday)."""
    hist = ["100", "104", "96", "102", "98", "101", "99", "100"]
    return [*((as_of - timedelta(weeks=8 - i), D(v)) for i, v in enumerate(hist)), (as_of, D(today))]


def test_anomaly_rule_drop_is_a_warning_spike_is_info() -> None:
    as_of = date(2026, 10, 15)  # a Thursday
    r = report(kpis=[kpi()], daily={("shop-us", "gmv"): _gmv_days(as_of, "40"),
                                    ("shop-eu", "gmv"): _gmv_days(as_of, "130")})
    drop, spike = sorted(anomaly_flagged.evaluate(r, CFG), key=lambda a: a.stores)[::-1]
    # median 100, MAD 1.5 (see test_anomaly): 0.6745 * (40 - 100) / 1.5 = -26.98; (130 - 100) -> 13.49
    assert (drop.stores, drop.severity, drop.numbers["score"]) == (("shop-us",), "warning", D("-26.98"))
    assert (spike.stores, spike.severity, spike.numbers["score"]) == (("shop-eu",), "info", D("13.49"))
    assert drop.day == as_of and drop.dedupe_key == "anomaly_flagged:shop-us-2026-10:shop-us:gmv:2026-10-15"
    assert "below the usual 100.00 USD" in drop.body.en and "Thursdays" in drop.body.en
    assert "低于近 8 个周四的中位数 100.00 USD" in drop.body.zh and "销售额 (GMV)异常" in drop.title.zh


def test_registry_runs_every_rule() -> None:
    as_of = date(2026, 10, 15)
    r = report([kpi(forecast="84000")], [guardrail(actual="0.06")], {("shop-us", "gmv"): _gmv_days(as_of, "40")})
    assert [a.rule for a in rules.evaluate(r)] == ["forecast_below_floor", "guardrail_breach", "anomaly_flagged"]
    assert [a.rule for a in rules.evaluate(r, only=("guardrail_breach",))] == ["guardrail_breach"]
    assert rules.evaluate(report([kpi()], [guardrail()])) == []  # on track: silence
