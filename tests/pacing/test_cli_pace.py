"""``kpiguard pace`` as a user runs it: the table in English and Chinese, --json, bad input."""

from __future__ import annotations

from decimal import Decimal as D

from kpiguard.workspace import Workspace
from tests.conftest import run_cli
from tests.pacing.conftest import PLAN_ID

KPI_FIELDS = {"metric", "unit", "direction", "owner", "actual_to_date", "expected_to_date", "forecast",
              "forecast_low", "forecast_high", "floor", "target", "stretch", "p_floor", "p_target",
              "weekly_needed", "status", "expected_share", "method", "interval_method", "shape", "note"}


def test_the_table_shows_each_kpi_with_both_languages(paced_ws: Workspace) -> None:
    done = run_cli(paced_ws, "pace", PLAN_ID, "--as-of", "2026-10-15")
    assert done.code == 0, done.err
    out = done.out
    for label in ("KPIs / 考核指标", "至今实际", "至今应达", "剩余期间所需", "Guardrails / 风控指标", "超限概率"):
        assert label in out
    # GMV: to date 1900, expected 2375, forecast 4000, 1356.25 a week (numbers as in test_pace)
    for text in ("销售额 (GMV)", "1,900.00", "2,375.00", "4,000.00", "1,356.25 /wk 每周", "behind", "落后"):
        assert text in out
    # ACoS as percentages: 32.24% to date, forecast 31.88%, the rest at most 27.98%
    for text in ("32.24%", "31.88%", "at most 不高于 27.98%", "at risk", "有风险"):
        assert text in out
    assert "day 第 15 / 31 天" in out and "refund_rate: no data for refund_units_count" in out


def test_json_has_the_documented_fields_with_decimal_strings(paced_ws: Workspace) -> None:
    done = run_cli(paced_ws, "pace", PLAN_ID, "--as-of", "2026-10-15", "--json")
    assert done.code == 0, done.err
    data = done.json()
    assert isinstance(data, dict)
    assert {k: data[k] for k in ("plan_id", "version", "plan_status", "as_of", "period_start", "period_end",
                                 "days_elapsed", "days_total", "currency", "stores", "data_through")} == {
        "plan_id": PLAN_ID, "version": 1, "plan_status": "signed", "as_of": "2026-10-15",
        "period_start": "2026-10-01", "period_end": "2026-10-31", "days_elapsed": 15, "days_total": 31,
        "currency": "USD", "stores": ["pace-us"], "data_through": {"pace-us": "2026-10-15"}}
    gmv = data["kpis"][0]
    assert set(gmv) == KPI_FIELDS
    assert (gmv["metric"], gmv["actual_to_date"], gmv["expected_to_date"], gmv["forecast"], gmv["weekly_needed"]) == (
        "gmv", "1900.00", "2375.00", "4000.00", "1356.25")
    assert D(gmv["p_floor"]) == 1 and D(gmv["p_target"]) == 0 and gmv["status"] == "behind"
    tacos = data["guardrails"][0]
    assert (tacos["metric"], tacos["limit"], tacos["forecast"], D(tacos["p_breach"])) == ("tacos", "0.3", "0.255000", 0)
    [gmv_days] = [d for d in data["daily"] if d["store"] == "pace-us" and d["metric"] == "gmv"]
    assert len(gmv_days["values"]) == 84 and gmv_days["values"][-1] == {"day": "2026-10-15", "value": "100.00"}


def test_bad_days_exit_2_with_what_to_do(paced_ws: Workspace) -> None:
    done = run_cli(paced_ws, "pace", PLAN_ID, "--as-of", "15/10/2026")
    assert done.code == 2 and "is not a date" in done.err and "YYYY-MM-DD" in done.err
    assert "Traceback" not in done.err
    outside = run_cli(paced_ws, "pace", PLAN_ID, "--as-of", "2027-02-01", "--json")
    assert outside.code == 2
    error = outside.json()
    assert isinstance(error, dict) and error["findings"][0]["column"] == "--as-of"
    unknown = run_cli(paced_ws, "pace", "no-such-plan", "--as-of", "2026-10-15")
    assert unknown.code == 2 and "no-such-plan" in unknown.err
