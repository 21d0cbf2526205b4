"""PL002: targets against the store's history, and the path a GMV target needs.

Histories are written by hand (oldest month first) so every factor below can be checked with a
pencil; ``test_plan_lint_cli`` does the same against a real workspace.
"""

from __future__ import annotations

from decimal import Decimal as D

from kpiguard.plans.feasibility import judge
from tests.plans.plan_text import CLEAN, coded, edit, line_of, lint_text, quiet, the_finding


def gmv_target(value: str, text: str = CLEAN) -> str:
    return edit(text, "    target: 300\n", f"    target: {value}\n")


def gmv_history(*values: str) -> dict[str, list[D]]:
    return {"gmv": [D(v) for v in values]}


def test_target_far_above_the_best_month() -> None:
    text = gmv_target("1000")
    findings = lint_text(text, gmv_history("180", "245", "240"))
    f = the_finding(findings, "PL002", "warning", line_of(text, "target: 1000"))
    # best month 245.00; 1000 / 245 = 4.0816 -> x4.08, more than x1.50
    assert "target 1,000.00 is ×4.08 the best month of the last 3 (245.00)" in f.en
    assert "1,000.00" in f.zh and "×4.08" in f.zh and "245.00" in f.zh


def test_target_within_history_is_not_flagged() -> None:
    # 300 / 245 = x1.22 <= x1.5; from the latest month 300 / 240 = x1.25 <= best step 245 / 180 = x1.36
    findings = lint_text(CLEAN, gmv_history("180", "245", "240"))
    quiet(findings, "PL002")
    # without sessions and orders the decomposition is reported as not checked
    assert [f.en for f in coded(findings, "PL002", "info") if f.path == "kpis.0.target"] == [
        "GMV decomposition not checked: no sessions and orders history"]


def test_target_never_reached_needing_an_unprecedented_step() -> None:
    findings = lint_text(CLEAN, gmv_history("200", "245", "230"))
    f = the_finding(findings, "PL002", "warning", line_of(CLEAN, "target: 300"))
    # 300 > best 245 (never reached); 300 / 230 = 1.3043 -> x1.30 > best step 245 / 200 = 1.225 -> x1.23
    assert "needs ×1.30 on the latest month (230.00)" in f.en
    assert "largest one-month improvement was ×1.23" in f.en
    assert "far outside" not in f.en  # 300 / 245 = x1.22 is not far


def test_lower_is_better_target_far_below_the_best_month() -> None:
    text = edit(CLEAN, "target: 0.25", "target: 0.15")
    f = the_finding(lint_text(text, {"acos": [D("0.30"), D("0.28")]}), "PL002", "warning", line_of(text, "target: 0.15"))
    # best (lowest) ACoS 28%; 0.28 / 0.15 = 1.8667 -> x1.87 better
    assert "target 15.00% is ×1.87 better than the best month of the last 2 (28.00%)" in f.en


def test_lower_is_better_target_within_reach() -> None:
    # 0.28 / 0.27 = x1.04, and the store once improved 0.30 -> 0.28 = x1.07
    text = edit(edit(CLEAN, "target: 0.25", "target: 0.27"), "floor: 0.30\n    stretch: 0.20",
                "floor: 0.30\n    stretch: 0.26")
    quiet(lint_text(text, {"acos": [D("0.30"), D("0.28")]}), "PL002")


def test_quarterly_targets_of_additive_metrics_are_compared_per_month() -> None:
    quarterly = edit(CLEAN, "scoring_period: month", "scoring_period: quarter")
    history = gmv_history("180", "245", "240")
    quiet(lint_text(gmv_target("900", quarterly), history), "PL002")  # 900 / 3 = 300 a month, as above
    text = gmv_target("3000", quarterly)
    f = the_finding(lint_text(text, history), "PL002", "warning", line_of(text, "target: 3000"))
    assert "target 1,000.00 is ×4.08" in f.en  # 3000 / 3 = 1000 a month


DRIVERS = {"gmv": [D("200"), D("250")], "sessions": [D("1000"), D("1250")], "orders": [D("20"), D("25")]}


def test_gmv_decomposition_of_an_infeasible_target() -> None:
    text = gmv_target("900")
    f = the_finding(lint_text(text, DRIVERS), "PL002", "warning", line_of(text, "target: 900"))
    # recent level, 2 months: sessions (1000 + 1250) / 2 = 1125, cvr 45 / 2250 = 2%, aov 450 / 45 = 10,
    # GMV 450 / 2 = 225; 900 / 225 = x4: sessions 4,500, or cvr 8%, or AOV 40; evenly 4^(1/3) = 1.5874
    assert "from the recent level (225.00 = 1,125 sessions × 2.00% × 10.00, last 2 month(s))" in f.en
    assert "needs ×4.00: sessions alone 4,500, or conversion alone 8.00%, or AOV alone 40.00" in f.en
    assert "evenly +58.7% each" in f.en
    assert "no month in the store's history grew a driver that much" in f.en  # best growth was x1.25
    assert "×4.08" not in f.en and "900.00 is ×3.60 the best month" in f.en  # 900 / 250 = 3.6
    assert "访问量需达到4,500" in f.zh and "转化率需达到8.00%" in f.zh and "客单价需达到40.00" in f.zh


def test_gmv_decomposition_of_a_feasible_target_is_shown_as_info() -> None:
    text = gmv_target("240")
    findings = lint_text(text, DRIVERS)
    quiet(findings, "PL002")
    info = [f for f in coded(findings, "PL002", "info") if f.path == "kpis.0.target"]
    assert len(info) == 1 and info[0].line == line_of(text, "target: 240")
    # 240 / 225 = x1.0667: sessions 1125 x 1.0667 = 1,200; cvr 2% x 1.0667 = 2.13%; AOV 10.67
    assert "sessions alone 1,200, or conversion alone 2.13%, or AOV alone 10.67" in info[0].en
    assert "the store's history has months with such growth" in info[0].en  # sessions grew x1.25 once


def test_no_history_is_an_info_naming_the_unchecked_metrics() -> None:
    findings = lint_text(CLEAN, gmv_history("180", "245", "240"))
    info = [f for f in coded(findings, "PL002", "info") if f.path == "kpis"]
    assert len(info) == 1 and info[0].line == line_of(CLEAN, "kpis:")
    assert info[0].en.endswith("for: gross_margin_rate, acos, organic_sales_share, cvr, avg_rating")
    assert "gross_margin_rate、acos" in info[0].zh


def test_a_guaranteed_result_is_a_warning() -> None:
    text = edit(CLEAN, "2027年1月前自然流量销售占比达到40%以上", "保证月销100万美元")
    f = the_finding(lint_text(text), "PL002", "warning", line_of(text, "- en: organic_sales_share"))
    assert "保证月销100万美元" in f.zh


def test_judge_needs_a_positive_latest_month_and_target() -> None:
    assert judge([D("100"), D("0")], D("50"), "higher") is None
    assert judge([D("100")], D("0"), "lower") is None
    reach = judge([D("100")], D("160"), "higher")
    assert reach is not None and reach.far and not reach.unprecedented  # 1.6 > 1.5; one month, no step
