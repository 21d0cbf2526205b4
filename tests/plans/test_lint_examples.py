"""The brief's bad examples, written as a hurried seller or agency would write them."""

from __future__ import annotations

from kpiguard.plans.lint import has_errors
from tests.plans.plan_text import CLEAN, coded, drop, edit, line_of, lint_text, the_finding

GMV_ONLY = """\
plan_id: gmv-only
seller: {name: Bottle Brand Ltd, kind: seller}
provider: {name: Fast Growth Agency, kind: agency}
cooperation_mode: full_service
business_goal: fast_growth
stage: growth
stores: [case-us]
period: {start: 2026-11-01, end: 2027-04-30}
review_cadence: quarterly
kpis:
  - metric: gmv
    target: 1000000
    weight: 100
targets_text:
  - en: guaranteed sales of a million a month
    zh-CN: 保证月销百万
"""


def test_a_gmv_only_plan_fails_on_most_pitfalls() -> None:
    findings = lint_text(GMV_ONLY)
    assert has_errors(findings)
    gmv_line = line_of(GMV_ONLY, "metric: gmv")
    the_finding(findings, "PL001", "error", gmv_line)  # pitfall 1: 唯GMV论
    the_finding(findings, "PL006", "error", gmv_line)  # pitfall 6: nobody owns it
    the_finding(findings, "PL007", "error", None)  # pitfall 7: no force-majeure clause at all
    the_finding(findings, "PL008", "error", line_of(GMV_ONLY, "review_cadence:"))  # pitfall 8
    the_finding(findings, "PL009", "error", None)  # pitfall 9: raw_data_access is absent
    the_finding(findings, "PL010", "warning", line_of(GMV_ONLY, "kpis:"))  # pitfall 10
    the_finding(findings, "PL003", "warning", gmv_line)  # no data source
    the_finding(findings, "PL002", "warning", line_of(GMV_ONLY, "- en: guaranteed"))  # pitfall 2: 保结果
    assert [f.path for f in coded(findings, "PL018", "warning")] == ["exit_terms.notice_days", "exit_terms.data_handover"]
    assert coded(findings, "PL017", "warning")  # the score changes nothing


def test_greatly_improve_exposure_must_become_a_number() -> None:
    text = edit(edit(CLEAN, "organic_sales_share >= 0.40 by January 2027", "greatly improve exposure"),
                "2027年1月前自然流量销售占比达到40%以上", "大幅提升曝光")
    f = the_finding(lint_text(text), "PL003", "error", line_of(text, "- en: greatly improve exposure"))
    assert f.path == "targets_text.0"  # vague in both languages: the whole item
    assert "greatly improve exposure" in f.en and "大幅提升曝光" in f.zh
    assert "organic_sales_share >= 0.40" in f.hint_en and "40%" in f.hint_zh


def test_a_new_store_given_mature_store_targets() -> None:
    # a new store, 60% on GMV and 40% on net profit, nothing on sell-through or review progress
    text = drop(CLEAN, "  - metric: acos", "guardrails:")
    text = edit(edit(edit(text, "stage: growth", "stage: new"), "    weight: 30\n", "    weight: 60\n"),
                "    weight: 20\n", "    weight: 40\n")
    text = edit(text, "metric: gross_margin_rate", "metric: net_profit")
    text = edit(text, "target: 0.35\n    floor: 0.30\n    stretch: 0.40", "target: 60\n    floor: 40\n    stretch: 80")
    findings = lint_text(text)
    f = the_finding(findings, "PL011", "warning", line_of(text, "stage: new"))
    assert "weighted 100% on mature-store metrics" in f.en and "100%的权重" in f.zh  # 60 + 40
    assert not coded(findings, "PL013")  # the weights do add up: only the stage is wrong
