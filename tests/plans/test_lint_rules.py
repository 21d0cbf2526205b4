"""Every lint rule, PL001 to PL010, against a near-identical pair: the clean plan with one edit
that triggers the rule, and one that does not. (PL002 with history is in test_lint_reach.py;
PL011 and on in test_lint_rules_terms.py.)"""

from __future__ import annotations

import pytest

from kpiguard.plans.lint import RULES, has_errors
from kpiguard.plans.lint.rules.quantified import has_quantity
from tests.plans.plan_text import CLEAN, coded, drop, edit, line_of, lint_text, quiet, the_finding

ONLY_GMV = drop(CLEAN, "  - metric: gross_margin_rate", "guardrails:")


def test_the_clean_plan_has_no_error_and_no_warning() -> None:
    findings = lint_text(CLEAN)
    assert not [f for f in findings if f.severity != "info"], [(f.code, f.en) for f in findings]
    assert not has_errors(findings)


def test_every_rule_is_registered_once_with_its_code() -> None:
    lint_text(CLEAN)  # loads the built-in rules
    assert sorted(RULES) == [f"PL{n:03d}" for n in range(1, 20)]


# -- PL001 a volume metric without profit or health -------------------------------------------

def test_pl001_gmv_only_without_guardrails_is_an_error() -> None:
    text = drop(ONLY_GMV, "guardrails:", "adjustments:")
    f = the_finding(lint_text(text), "PL001", "error", line_of(text, "metric: gmv"))
    assert "GMV (gmv)" in f.en and "销售额 (GMV)" in f.zh


def test_pl001_gmv_with_guardrails_but_no_profit_is_a_warning() -> None:
    findings = lint_text(ONLY_GMV)
    the_finding(findings, "PL001", "warning", line_of(ONLY_GMV, "metric: gmv"))
    assert not coded(findings, "PL001", "error")


def test_pl001_gmv_with_a_margin_kpi_is_fine() -> None:
    quiet(lint_text(CLEAN), "PL001")


# -- PL003 numbers, catalog metrics, data sources, quantified promises --------------------------

def test_pl003_kpi_without_target() -> None:
    text = edit(CLEAN, "    target: 0.015\n", "")
    f = the_finding(lint_text(text), "PL003", "error", line_of(text, "metric: cvr"))
    assert "Conversion rate (cvr)" in f.en and "转化率 (cvr)" in f.zh


def test_pl003_metric_not_in_catalog_suggests_the_key() -> None:
    text = edit(CLEAN, "metric: avg_rating", "metric: avg_ratings")
    f = the_finding(lint_text(text), "PL003", "error", line_of(text, "metric: avg_ratings"))
    assert "did you mean avg_rating?" in f.en and "avg_rating" in f.zh


def test_pl003_kpi_without_data_source_is_a_warning() -> None:
    text = edit(CLEAN, "    data_source: weekly review snapshots (kpiguard reviews template)\n", "")
    # kpis.5.data_source is absent: the finding points at the KPI's first line
    the_finding(lint_text(text), "PL003", "warning", line_of(text, "metric: avg_rating"))


def test_pl003_promise_with_a_number_in_both_languages_is_fine() -> None:
    quiet(lint_text(CLEAN), "PL003")


def test_pl003_promise_vague_in_one_language_points_at_that_language() -> None:
    text = edit(CLEAN, "2027年1月前自然流量销售占比达到40%以上", "大幅提升自然流量")
    f = the_finding(lint_text(text), "PL003", "error", line_of(text, "zh-CN: 大幅提升自然流量"))
    assert f.path == "targets_text.0.zh-CN" and "大幅提升自然流量" in f.zh


def test_pl003_chinese_numerals_count_as_a_quantity() -> None:
    text = edit(CLEAN, "2027年1月前自然流量销售占比达到40%以上", "自然流量销售占比提升至四成")
    quiet(lint_text(text), "PL003")


# -- PL004 process and result metrics mixed without a label --------------------------------------

def test_pl004_unlabelled_process_metric_next_to_results() -> None:
    text = edit(CLEAN, "    kind: process\n", "")
    f = the_finding(lint_text(text), "PL004", "warning", line_of(text, "metric: cvr"))
    assert "process" in f.en and "过程指标" in f.zh


def test_pl004_process_metric_labelled_as_result() -> None:
    text = edit(CLEAN, "    kind: process\n", "    kind: result\n")
    the_finding(lint_text(text), "PL004", "warning", line_of(text, "kind: result", after="metric: cvr"))


def test_pl004_labelled_process_metric_is_fine() -> None:
    quiet(lint_text(CLEAN), "PL004")


def test_pl004_unlabelled_process_metric_without_results_is_fine() -> None:
    # the only KPI is cvr (process, unlabelled): nothing to be mixed with
    text = edit(drop(CLEAN, "  - metric: gmv", "  - metric: cvr"), "    kind: process\n", "")
    quiet(lint_text(text), "PL004")


# -- PL005 ad metrics without attribution -------------------------------------------------------

def test_pl005_acos_without_attribution() -> None:
    text = edit(CLEAN, "attribution: SP 7 days, SB and SD 14 days after the click (standard@1), all campaigns "
                "of the store", 'attribution: ""')
    f = the_finding(lint_text(text), "PL005", "error", line_of(text, 'attribution: ""'))
    assert "ACoS (acos)" in f.en and "归因" in f.zh


def test_pl005_organic_share_without_attribution_key() -> None:
    text = edit(CLEAN, "    attribution: ad sales as in acos; every other sale is organic\n", "")
    the_finding(lint_text(text), "PL005", "error", line_of(text, "metric: organic_sales_share"))


def test_pl005_ad_metrics_with_attribution_are_fine() -> None:
    quiet(lint_text(CLEAN), "PL005")


# -- PL006 owners and dependencies --------------------------------------------------------------

def test_pl006_kpi_without_owner() -> None:
    text = edit(CLEAN, "    owner: advertising\n", "")
    the_finding(lint_text(text), "PL006", "error", line_of(text, "metric: acos"))


def test_pl006_operations_owns_cvr_without_a_design_dependency() -> None:
    text = drop(CLEAN, "    depends_on:", "  - metric: avg_rating")
    f = the_finding(lint_text(text), "PL006", "warning", line_of(text, "owner: operations", after="metric: cvr"))
    assert "design" in f.en and "美工" in f.zh


def test_pl006_cvr_owned_by_advertising_needs_no_design_dependency() -> None:
    text = drop(CLEAN, "    depends_on:", "  - metric: avg_rating")
    text = edit(text, "    owner: operations\n", "    owner: advertising\n", after="metric: cvr")
    quiet(lint_text(text), "PL006")


def test_pl006_guardrail_without_owner_is_a_warning() -> None:
    text = edit(CLEAN, "    owner: customer_service\n", "", after="metric: order_defect_rate")
    the_finding(lint_text(text), "PL006", "warning", line_of(text, "metric: order_defect_rate"))


def test_pl006_clean_plan_is_fine() -> None:
    quiet(lint_text(CLEAN), "PL006")


# -- PL007 force-majeure adjustments ------------------------------------------------------------

def test_pl007_no_adjustment_clause() -> None:
    text = drop(CLEAN, "adjustments:", "consequences:")
    # the section is absent, so there is no line to point at
    the_finding(lint_text(text), "PL007", "error", None)


def test_pl007_empty_event_list() -> None:
    text = edit(CLEAN, "events: [stockout, account_suspension, platform_outage, major_holiday, policy_change]",
                "events: []")
    the_finding(lint_text(text), "PL007", "error", line_of(text, "events: []"))


def test_pl007_events_left_out_are_named() -> None:
    text = edit(CLEAN, "events: [stockout, account_suspension, platform_outage, major_holiday, policy_change]",
                "events: [stockout, account_suspension, major_holiday]")
    f = the_finding(lint_text(text), "PL007", "warning", line_of(text, "events:"))
    assert "platform_outage, policy_change" in f.en and "平台故障、平台政策变化" in f.zh


def test_pl007_all_events_listed_is_fine() -> None:
    quiet(lint_text(CLEAN), "PL007")


# -- PL008 review cadence -----------------------------------------------------------------------

def test_pl008_quarterly_review() -> None:
    text = edit(CLEAN, "review_cadence: monthly", "review_cadence: quarterly")
    the_finding(lint_text(text), "PL008", "error", line_of(text, "review_cadence:"))


def test_pl008_weekly_review_and_quarterly_scoring_are_fine() -> None:
    text = edit(edit(CLEAN, "review_cadence: monthly", "review_cadence: weekly"),
                "scoring_period: month", "scoring_period: quarter")
    quiet(lint_text(text), "PL008")


# -- PL009 raw data access ----------------------------------------------------------------------

def test_pl009_seller_without_raw_data_access() -> None:
    text = edit(CLEAN, "seller_keeps_access: true", "seller_keeps_access: false")
    the_finding(lint_text(text), "PL009", "error", line_of(text, "seller_keeps_access:"))


def test_pl009_access_kept_but_not_said_how() -> None:
    text = drop(CLEAN, "  how:", "targets_text:")
    the_finding(lint_text(text), "PL009", "warning", line_of(text, "raw_data_access:"))


def test_pl009_access_kept_and_how_is_fine() -> None:
    quiet(lint_text(CLEAN), "PL009")


# -- PL010 quality of the work ------------------------------------------------------------------

def test_pl010_no_quality_kpi() -> None:
    text = edit(CLEAN, "kind: quality", "kind: result")
    the_finding(lint_text(text), "PL010", "warning", line_of(text, "kpis:"))


def test_pl010_a_quality_kpi_is_enough() -> None:
    quiet(lint_text(CLEAN), "PL010")


@pytest.mark.parametrize(("text", "quantified"), [
    ("organic_sales_share >= 0.40 by January 2027", True),
    ("自然流量占比提升至四成", True),  # 四成 = 40%
    ("销量翻倍", True),
    ("ACoS below 25% within 3 months", True),
    ("大幅提升曝光", False),
    ("greatly improve exposure by 2027-03", False),  # a date is not a quantity
    ("3个月内大幅提升曝光", False),  # nor is a duration
    ("greatly improve exposure in Q1 2027", False),
])
def test_pl003_what_counts_as_a_quantity(text: str, quantified: bool) -> None:
    assert has_quantity(text) is quantified


def test_impossible_dates_and_deep_nesting_are_findings_not_crashes() -> None:
    """2026-02-30 does not exist: YAML's date reader raises; the plan loader names the line (22 in
    the clean fixture holds period.start, 2026-11-01, which the test turns into 2026-02-30)."""
    import pytest

    from kpiguard.errors import InputError
    from kpiguard.plans import io
    from tests.plans.plan_text import CLEAN, line_of

    text = CLEAN.replace("start: 2026-11-01", "start: 2026-02-30")
    with pytest.raises(InputError) as bad_date:
        io.load(text, "plan.yaml")
    assert bad_date.value.findings[0].row == line_of(CLEAN, "start: 2026-11-01") == 22
    with pytest.raises(InputError, match="nested too deeply"):
        io.load("[" * 5000, "deep.yaml")
