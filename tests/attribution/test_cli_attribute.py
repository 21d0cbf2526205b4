"""``kpiguard attribute`` run as a user would (a subprocess) on the two-store world of world.py.

The figures of world.py (September -> October 2026):
  att-a  1000 sessions, cvr 0.04, aov 100, GMV 4000  ->  1200 sessions, cvr 0.045, aov 110, GMV 5940
  att-b  1000 sessions, cvr 0.04, aov 50,  GMV 2000  ->   800 sessions, cvr 0.0325, aov 55, GMV 1430
  both   2000 sessions, cvr 0.04, aov 75,  GMV 6000  ->  2000 sessions, cvr 0.04, aov 92.125, GMV 7370
Plan att-q4: GMV target 7260 a month (= 6000 x 1.21), cvr target 0.04.
Shapley for three factors: x's part = dx ((y0 z0 + y1 z1) / 3 + (y0 z1 + y1 z0) / 6); when one factor
does not move this is dx x y (z0 + z1) / 2 for the others.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kpiguard.plans import io, store
from kpiguard.workspace import Workspace
from tests.attribution.world import PLAN_ID, plan_text
from tests.conftest import run_cli
from tests.plans.plan_text import edit


@pytest.fixture(scope="module")
def by_store(att_ws: Workspace) -> dict:
    """``attribute att-q4 --period 2026-10 --by store --json``, run once for the two tests reading it."""
    r = run_cli(att_ws, "attribute", "att-q4", "--period", "2026-10", "--by", "store", "--json")
    assert r.code == 0, r.err
    return r.json()


def rows(data: dict, table: str) -> dict[str, dict]:
    return {r["key"]: r for r in data[table]["rows"]}


def effects(row: dict) -> tuple[str, str, str, str]:
    return row["gap"], row["traffic"], row["conversion"], row["aov"]


def test_against_the_plan_per_store(by_store: dict) -> None:
    data = by_store
    assert (data["plan"], data["version"], data["status"], data["method"]) == ("att-q4", 1, "signed", "shapley")
    assert data["gmv"]["comparison"]["against"] == "target"
    gmv = rows(data, "gmv")
    # plan: cvr stated 0.04 (September's too), so 7260 / 6000 = 1.21 is left to sessions and aov,
    # sqrt(1.21) = 1.1 each: 2200 sessions x 0.04 x 82.50 = 7260
    assert gmv["total"]["base"] == {"sessions": "2200", "orders": "88", "cvr": "0.040000", "aov": "82.50",
                                    "gmv": "7260.00"}
    assert gmv["total"]["target_sources"] == {"cvr": "stated", "sessions": "even", "aov": "even"}
    # total 2200, 0.04, 82.50 -> 2000, 0.04, 92.125; cvr does not move:
    # traffic -200 x 0.04 x (82.5 + 92.125) / 2 = -698.50; aov 9.625 x 0.04 x (2200 + 2000) / 2 = 808.50
    assert effects(gmv["total"]) == ("110.00", "-698.50", "0.00", "808.50")
    # store targets by September GMV 4000 : 2000 -> 4840 and 2420; each store's cvr was 0.04, so
    # sessions and aov grow by 1.1: att-a 1100 x 0.04 x 110, att-b 1100 x 0.04 x 55
    assert (gmv["att-a"]["base"]["gmv"], gmv["att-a"]["base"]["sessions"], gmv["att-a"]["base"]["aov"]) == (
        "4840.00", "1100", "110.00")
    assert (gmv["att-b"]["base"]["gmv"], gmv["att-b"]["base"]["aov"]) == ("2420.00", "55.00")
    # att-a 1100, 0.04, 110 -> 1200, 0.045, 110 (aov still): traffic 100 x 110 x (0.04 + 0.045) / 2 =
    # 467.50, conversion 0.005 x 110 x (1100 + 1200) / 2 = 632.50; 5940 - 4840 = 1100
    assert effects(gmv["att-a"]) == ("1100.00", "467.50", "632.50", "0.00")
    # att-b 1100, 0.04, 55 -> 800, 0.0325, 55: traffic -300 x 55 x 0.03625 = -598.125, conversion
    # -0.0075 x 55 x 950 = -391.875; floors -598.13 - 391.88 = -990.01, one cent back to the tie's
    # larger amount (traffic): -598.12 - 391.88 = -990.00 = 1430 - 2420
    assert effects(gmv["att-b"]) == ("-990.00", "-598.12", "-391.88", "0.00")
    # the store gaps add up to the total gap: 1100 - 990 = 110
    assert D(gmv["att-a"]["gap"]) + D(gmv["att-b"]["gap"]) == D(gmv["total"]["gap"])


def test_profit_against_the_previous_month(by_store: dict) -> None:
    data = by_store
    assert data["profit"]["comparison"]["against"] == "previous"
    assert (data["profit"]["comparison"]["start"], data["profit"]["comparison"]["end"]) == ("2026-09-01", "2026-09-30")
    profit = rows(data, "profit")
    # both stores: net sales 6000 -> 7370; cogs 40 x 50 + 40 x 25 = 3000 -> 54 x 50 + 26 x 25 = 3350,
    # gross profit 3000 -> 4020 (margin 1/2 -> 6/11); ads 200 -> 300; fees 400 -> 500;
    # net profit 2400 -> 3220, gap 820. sales 1370 x 23/44 = 716.136, margin 6685/22 = 303.864,
    # floors 716.13 + 303.86 - 200 = 819.99: the cent to sales (remainder 0.64 > 0.36)
    total = profit["total"]
    assert (total["base"]["net_profit"], total["actual"]["net_profit"]) == ("2400.00", "3220.00")
    assert (total["gap"], total["sales"], total["margin"], total["ad_spend"], total["fees"]) == (
        "820.00", "716.14", "303.86", "-100.00", "-100.00")
    # att-a: 4000 -> 5940, gross profit 2000 -> 3240 (1/2 -> 6/11), net profit 1400 -> 2440 (gap 1040):
    # sales 1940 x 23/44 = 1014.0909, margin (1/22) x 4970 = 225.9090; floors 1014.09 + 225.90 - 200 =
    # 1039.99, the cent to margin (0.91 > 0.09)
    a = profit["att-a"]
    assert (a["gap"], a["sales"], a["margin"], a["ad_spend"], a["fees"]) == (
        "1040.00", "1014.09", "225.91", "-100.00", "-100.00")
    # att-b has no refund, ad or fee report: on its own its net profit is unknown, so no split
    assert profit["att-b"]["gap"] is None and "net_profit" in profit["att-b"]["missing"]


def test_against_the_previous_month_per_store(att_ws: Workspace) -> None:
    r = run_cli(att_ws, "attribute", "att-q4", "--period", "2026-10", "--by", "store", "--against", "previous",
                "--json")
    assert r.code == 0, r.err
    gmv = rows(r.json(), "gmv")
    # att-a 1000, 0.04, 100 -> 1200, 0.045, 110 (ds 200, dc 0.005, da 10):
    # traffic 200 x ((4 + 4.95)/3 + (4.4 + 4.5)/6) = 893.333; conversion 0.005 x ((100000 + 132000)/3 +
    # (110000 + 120000)/6) = 578.333; aov 10 x ((40 + 54)/3 + (45 + 48)/6) = 468.333; sum 1940.
    # floors 1939.99, equal remainders: the cent to the largest amount (traffic)
    assert effects(gmv["att-a"]) == ("1940.00", "893.34", "578.33", "468.33")
    # att-b 1000, 0.04, 50 -> 800, 0.0325, 55 (ds -200, dc -0.0075, da 5):
    # traffic -200 x ((2 + 1.7875)/3 + (2.2 + 1.625)/6) = -200 x 1.9 = -380
    # conversion -0.0075 x ((50000 + 44000)/3 + (55000 + 40000)/6) = -353.75
    # aov 5 x ((40 + 26)/3 + (32.5 + 32)/6) = 163.75;  -380 - 353.75 + 163.75 = -570 = 1430 - 2000
    assert effects(gmv["att-b"]) == ("-570.00", "-380.00", "-353.75", "163.75")
    # both: 2000 sessions and cvr 0.04 on both sides, aov 75 -> 92.125: all 1370 is order value
    assert effects(gmv["total"]) == ("1370.00", "0.00", "0.00", "1370.00")


def test_top_skus_against_last_month(att_ws: Workspace) -> None:
    r = run_cli(att_ws, "attribute", "att-q4", "--period", "2026-10", "--by", "sku", "--top", "1", "--json")
    assert r.code == 0, r.err
    data = r.json()
    # the plan has no SKU targets: SKUs are compared with September whatever --against says
    assert data["gmv"]["comparison"]["against"] == "previous" and "no SKU targets" in data["gmv"]["comparison"]["en"]
    # sessions come from the store-level report, so per SKU only orders x aov can be split:
    # SKU-A 40 x 100 -> 54 x 110: orders 14 x (100 + 110) / 2 = 1470, aov 10 x (40 + 54) / 2 = 470
    # other (SKU-B) 40 x 50 -> 26 x 55: orders -14 x 52.5 = -735, aov 5 x 33 = 165
    assert [n["code"] for n in data["notes"]] == ["sessions_not_by_sku"]
    gmv = rows(data, "gmv")
    assert list(gmv) == ["SKU-A", "other"]  # top 1 by GMV (5940 > 1430), then the rest
    assert effects(gmv["SKU-A"]) == ("1940.00", "0.00", "1470.00", "470.00")
    assert effects(gmv["other"]) == ("-570.00", "0.00", "-735.00", "165.00")
    assert gmv["other"]["members"] == ["SKU-B"]


def test_tables_in_english_and_chinese(att_ws: Workspace) -> None:
    r = run_cli(att_ws, "attribute", "att-q4", "--period", "2026-10", "--by", "store")
    assert r.code == 0, r.err
    for words in ("访问量影响", "转化率影响", "客单价影响", "traffic effect", "conversion effect", "order value effect",
                  "净利润差额", "对比上期 2026-09-01..2026-09-30", "against the target of plan att-q4 v1",
                  "-598.12", "-391.88", "716.14", "1100 → 1200"):
        assert words in r.out, words


def test_bad_requests_exit_2_with_findings(att_ws: Workspace) -> None:
    outside = run_cli(att_ws, "attribute", "att-q4", "--period", "2027-01", "--json")
    assert outside.code == 2 and "outside the plan's period" in outside.out
    days = run_cli(att_ws, "attribute", "att-q4", "--period", "2026-10-01..2026-10-15")
    assert days.code == 2 and "not whole months" in days.err and "Traceback" not in days.err
    by = run_cli(att_ws, "attribute", "att-q4", "--period", "2026-10", "--by", "platform")
    assert by.code == 2 and "--by" in by.err
    missing = run_cli(att_ws, "attribute", "no-such-plan", "--period", "2026-10")
    assert missing.code == 2 and "Traceback" not in missing.err
    against = run_cli(att_ws, "attribute", "att-q4", "--period", "2026-10", "--against", "budget")
    assert against.code == 2 and "--against" in against.err


def test_a_plan_nobody_signed_is_refused(att_ws: Workspace) -> None:
    draft = io.load(edit(plan_text(), f"plan_id: {PLAN_ID}", "plan_id: att-draft"), "draft.yaml")[0]
    store.create(att_ws, draft, "lead")
    r = run_cli(att_ws, "attribute", "att-draft", "--period", "2026-10", "--json")
    assert r.code == 2 and r.json()["findings"][0]["code"] == "attribution.unsigned"


def test_month_to_date_against_the_same_days_last_month(att_ws: Workspace) -> None:
    # October 1-15 against September 1-15. Order n falls on day 1 + n % 28, so days 1-15 hold
    # orders n = 0..14 and n = 28..42 (of those that exist):
    #   September: att-a 15 + 12 (n 28..39) = 27 x 100, att-b 27 x 50 -> 54 orders, 4050.00
    #   October:   att-a 15 + 15 (n 28..42) = 30 x 110, att-b 15 (26 orders) x 55 -> 45 orders, 4125.00
    # sessions (all on the 15th) 2000 -> 2000; cvr 54/2000 = 0.027 -> 0.0225; aov 75 -> 91.666...
    r = run_cli(att_ws, "attribute", "att-q4", "--period", "2026-10-01..2026-10-15", "--against", "previous",
                "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert (data["gmv"]["comparison"]["start"], data["gmv"]["comparison"]["end"]) == ("2026-09-01", "2026-09-15")
    total = rows(data, "gmv")["total"]
    assert (total["base"]["gmv"], total["actual"]["gmv"]) == ("4050.00", "4125.00")
    assert (total["base"]["orders"], total["actual"]["orders"]) == ("54", "45")
    # sessions still: conversion -0.0045 x 2000 x (75 + 91.667) / 2 = -9 x 250/3 = -750,
    # aov (50/3) x 2000 x (0.027 + 0.0225) / 2 = (50/3) x 49.5 = 825;  -750 + 825 = 75
    assert effects(total) == ("75.00", "0.00", "-750.00", "825.00")
