"""Every lint rule, PL011 to PL019, against a near-identical pair of plans (see test_lint_rules)."""

from __future__ import annotations

from tests.plans.plan_text import CLEAN, coded, drop, edit, line_of, lint_text, quiet, the_finding

# -- PL011 stage fit ----------------------------------------------------------------------------

# gmv 30 -> 55, acos 15 -> 0, organic share 10 -> 0: 55 + 20 + 0 + 0 + 10 + 15 = 100
NEW_GMV_55 = edit(edit(edit(edit(CLEAN, "stage: growth", "stage: new"), "    weight: 30\n", "    weight: 55\n"),
                       "    weight: 15\n", "    weight: 0\n", after="metric: acos"),
                  "    weight: 10\n", "    weight: 0\n", after="metric: organic_sales_share")


def test_pl011_new_store_weighted_on_gmv() -> None:
    # gmv 55% > 50%, and no sell_through_rate or review_count_gain KPI
    findings = lint_text(NEW_GMV_55)
    quiet(findings, "PL013")
    f = the_finding(findings, "PL011", "warning", line_of(NEW_GMV_55, "stage:"))
    assert "55%" in f.en and "55%" in f.zh and "动销率" in f.zh


def test_pl011_same_weights_in_a_growth_store_are_fine() -> None:
    quiet(lint_text(edit(NEW_GMV_55, "stage: new", "stage: growth")), "PL011")


def test_pl011_new_store_with_review_progress_is_fine() -> None:
    text = edit(NEW_GMV_55, "metric: avg_rating", "metric: review_count_gain")
    quiet(lint_text(text), "PL011")


def test_pl011_new_store_at_exactly_half_is_fine() -> None:
    # 50% is not more than half: 50 + 20 + 5 + 0 + 10 + 15 = 100
    text = edit(edit(NEW_GMV_55, "    weight: 55\n", "    weight: 50\n"), "    weight: 0\n", "    weight: 5\n",
                after="metric: acos")
    findings = lint_text(text)
    quiet(findings, "PL013")
    quiet(findings, "PL011")


MATURE_NO_MARGIN = edit(edit(edit(CLEAN, "stage: growth", "stage: mature"), "metric: gmv", "metric: customer_ltv"),
                        "metric: gross_margin_rate", "metric: repeat_purchase_rate")


def test_pl011_mature_store_without_margin_or_profit() -> None:
    the_finding(lint_text(MATURE_NO_MARGIN), "PL011", "warning", line_of(MATURE_NO_MARGIN, "stage:"))


def test_pl011_mature_store_with_margin_is_fine() -> None:
    quiet(lint_text(edit(CLEAN, "stage: growth", "stage: mature")), "PL011")


def test_pl011_leaves_a_mature_gmv_plan_without_profit_to_pl001() -> None:
    text = edit(drop(CLEAN, "  - metric: gross_margin_rate", "  - metric: acos"), "stage: growth", "stage: mature")
    findings = lint_text(text)
    quiet(findings, "PL011")
    assert coded(findings, "PL001", "warning")


# -- PL012 floor, target and stretch in order ---------------------------------------------------

def test_pl012_higher_is_better_stretch_below_target() -> None:
    text = edit(CLEAN, "stretch: 360", "stretch: 200")
    f = the_finding(lint_text(text), "PL012", "error", line_of(text, "stretch: 200"))
    assert "target is 300.00 and stretch is 200.00" in f.en and "目标值为300.00" in f.zh


def test_pl012_lower_is_better_floor_below_target() -> None:
    # ACoS: floor 0.20 < target 0.25, but lower is better so the floor must be the highest
    text = edit(CLEAN, "floor: 0.30\n    stretch: 0.20", "floor: 0.20\n    stretch: 0.20")
    f = the_finding(lint_text(text), "PL012", "error", line_of(text, "target: 0.25"))
    assert "floor is 20.00% and target is 25.00%" in f.en and "越低越好" in f.zh


def test_pl012_ordered_levels_are_fine() -> None:
    quiet(lint_text(CLEAN), "PL012")


# -- PL013 weights sum to 100 (the lead's example rule) -----------------------------------------

def test_pl013_weights_sum_to_101() -> None:
    text = edit(CLEAN, "    weight: 30\n", "    weight: 31\n")
    f = the_finding(lint_text(text), "PL013", "error", line_of(text, "kpis:"))
    assert "101" in f.en and "101" in f.zh


def test_pl013_weights_sum_to_100() -> None:
    quiet(lint_text(CLEAN), "PL013")


# -- PL014 definition set pinned ----------------------------------------------------------------

def test_pl014_definition_set_without_version() -> None:
    text = edit(CLEAN, "definition_set: standard@1", "definition_set: standard")
    the_finding(lint_text(text), "PL014", "error", line_of(text, "definition_set:"))


def test_pl014_empty_definition_set() -> None:
    text = edit(CLEAN, "definition_set: standard@1", 'definition_set: ""')
    the_finding(lint_text(text), "PL014", "error", line_of(text, "definition_set:"))


def test_pl014_pinned_set_is_fine() -> None:
    quiet(lint_text(edit(CLEAN, "definition_set: standard@1", "definition_set: acme-eu@12")), "PL014")


# -- PL015 duplicate metrics --------------------------------------------------------------------

def test_pl015_metric_listed_twice() -> None:
    text = edit(CLEAN, "metric: organic_sales_share", "metric: acos")
    second = line_of(text, "metric: acos", after="attribution: SP 7 days")
    f = the_finding(lint_text(text), "PL015", "error", second)
    first = line_of(text, "metric: acos")
    assert f"first at line {first}" in f.en and f"第{first}行" in f.zh


def test_pl015_guardrail_listed_twice() -> None:
    text = edit(CLEAN, "metric: order_defect_rate", "metric: refund_rate")
    the_finding(lint_text(text), "PL015", "error", line_of(text, "metric: refund_rate", after="limit: 0.05"))


def test_pl015_each_metric_once_is_fine() -> None:
    quiet(lint_text(CLEAN), "PL015")


# -- PL016 guardrails that can gate -------------------------------------------------------------

def test_pl016_guardrail_without_limit() -> None:
    text = edit(CLEAN, "    limit: 0.01\n", "")
    the_finding(lint_text(text), "PL016", "error", line_of(text, "metric: order_defect_rate"))


def test_pl016_ratio_limit_written_as_a_percentage() -> None:
    text = edit(CLEAN, "limit: 0.05", "limit: 5")
    f = the_finding(lint_text(text), "PL016", "error", line_of(text, "limit: 5"))
    assert "did you mean 0.05?" in f.en and "0.05" in f.zh  # 5 / 100


def test_pl016_limit_that_can_never_be_breached() -> None:
    text = edit(CLEAN, "limit: 0.05", "limit: 1")  # refund rate <= 100% always holds
    the_finding(lint_text(text), "PL016", "warning", line_of(text, "limit: 1"))


def test_pl016_cap_total_without_cap_points() -> None:
    text = edit(CLEAN, "    cap_points: 60\n", "")
    the_finding(lint_text(text), "PL016", "warning", line_of(text, "consequence: cap_total"))


def test_pl016_guardrail_on_unknown_metric() -> None:
    text = edit(CLEAN, "metric: refund_rate", "metric: refund_ratio")
    the_finding(lint_text(text), "PL016", "error", line_of(text, "metric: refund_ratio"))


def test_pl016_complete_guardrails_are_fine() -> None:
    quiet(lint_text(CLEAN), "PL016")


# -- PL017 consequences and incentives ----------------------------------------------------------

def test_pl017_tiers_without_a_pool() -> None:
    text = edit(CLEAN, "bonus_pool: 2000", "bonus_pool: 0")
    the_finding(lint_text(text), "PL017", "warning", line_of(text, "tiers:"))


def test_pl017_higher_tier_paying_less() -> None:
    text = edit(CLEAN, "bonus_pct: 100", "bonus_pct: 40")
    f = the_finding(lint_text(text), "PL017", "warning", line_of(text, "bonus_pct: 40"))
    assert "100 pays 40% of the pool, less than 50% at 80" in f.en


def test_pl017_score_that_changes_nothing() -> None:
    text = drop(drop(CLEAN, "consequences:", "incentives:"), "  tiers:", "exit_terms:")
    text = edit(text, "bonus_pool: 2000", "bonus_pool: 0")
    the_finding(lint_text(text), "PL017", "warning", None)  # no consequences key: no line


def test_pl017_settlement_terms_complete_are_fine() -> None:
    quiet(lint_text(CLEAN), "PL017")


# -- PL018 exit terms ---------------------------------------------------------------------------

def test_pl018_no_notice_period() -> None:
    text = edit(CLEAN, "  notice_days: 30\n", "")
    the_finding(lint_text(text), "PL018", "warning", line_of(text, "exit_terms:"))


def test_pl018_no_data_handover() -> None:
    text = drop(CLEAN, "  data_handover:", "  early_exit:")
    the_finding(lint_text(text), "PL018", "warning", line_of(text, "exit_terms:"))


def test_pl018_in_house_plans_need_no_exit_terms() -> None:
    text = edit(edit(CLEAN, "  notice_days: 30\n", ""), "cooperation_mode: full_service", "cooperation_mode: in_house")
    quiet(lint_text(text), "PL018")


def test_pl018_written_exit_terms_are_fine() -> None:
    quiet(lint_text(CLEAN), "PL018")


# -- PL019 both languages -----------------------------------------------------------------------

def test_pl019_title_in_english_only() -> None:
    text = edit(CLEAN, "  zh-CN: 亚马逊美国站代运营考核方案（2026年11月至2027年4月）\n", "")
    f = the_finding(lint_text(text), "PL019", "info", line_of(text, "title:"))
    assert "Chinese" in f.en and "中文" in f.zh


def test_pl019_both_languages_are_fine() -> None:
    assert not coded(lint_text(CLEAN), "PL019")
