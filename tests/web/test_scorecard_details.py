"""The scorecard page's details: the trend has gaps where a month has no rows, a guardrail's effect
speaks the page's language only, and the app has an icon (no 404 for /favicon.ico).

The golden store (tests/scoring/golden.py) sells from Thursday 2026-08-06 to 2026-10-31, one order
a day: 20.00 on weekdays, 50.00 on Saturdays and Sundays (none on the October stockout days 10-14),
10 sessions every day; ads only on 2 and 20 October. The October scorecard's trend covers the six
months May to October, so May, June and July have no rows at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal as D

import pytest
from fastapi.testclient import TestClient

from kpiguard.web import views
from kpiguard.web.app import create_app
from kpiguard.web.security import LANG_COOKIE
from tests.web.pages import data_attributes, sign_in
from tests.web.world import OCTOBER_GMV, PLAN, SELLER, TODAY, World, password

SCORECARD = f"/plans/{PLAN}/score?period=2026-10"


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[TestClient]:
    app = create_app(world.home, TODAY)
    with TestClient(app) as browser:
        sign_in(browser, SELLER, password(SELLER))
        yield browser
    app.state.workspace.close()


def trend_of(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="trend-data">(.*?)</script>', html, re.S)
    assert found, "the scorecard has no trend data"
    data = json.loads(found.group(1))
    assert isinstance(data, dict)
    return data


def test_months_without_rows_are_gaps_not_zero(client: TestClient) -> None:
    html = client.get(SCORECARD).text
    data = trend_of(html)
    assert data["months"] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    series = data["series"]
    assert isinstance(series, dict)
    # May to July: no order, traffic or ads row of gold-us, so no figure (the engine's answer was 0.00)
    assert series["gmv"][:3] == [None, None, None]
    assert series["cvr"][:3] == [None, None, None]
    assert series["acos"][:5] == [None] * 5  # no ads row before October
    # August from Thursday the 6th: 26 days, 8 of them weekend days (8, 9, 15, 16, 22, 23, 29, 30):
    # 18 x 20.00 + 8 x 50.00 = 760.00; September: 30 days, 8 weekend days: 22 x 20.00 + 8 x 50.00 = 840.00
    assert [D(v) for v in series["gmv"][3:]] == [D("760.00"), D("840.00"), OCTOBER_GMV]
    # CVR = orders / sessions: August 26 / 260 = 0.1, September 30 / 300 = 0.1, October 26 / 310 = 0.083871
    assert [D(v) for v in series["cvr"][3:]] == [D("0.1"), D("0.1"), D("0.083871")]
    # ACoS in October: spend 30.00 + 20.00 over ad sales 100.00 + 100.00 = 0.25
    assert D(series["acos"][5]) == D("0.25")
    assert "connectgaps: false" in html  # Plotly leaves the gap open instead of joining the points


def effects(html: str) -> dict[str, str]:
    return {e.attrs["data-consequence"]: e.attrs["data-effect"] for e in data_attributes(html).elements
            if e.tag == "td" and "data-effect" in e.attrs}


def test_the_guardrail_effect_speaks_the_page_s_language_only(client: TestClient) -> None:
    # refund rate 2 / 26 = 0.076923 > 0.05: breached, the plan caps the total at 60 points;
    # order defect rate 1 / 26 = 0.038462 < 0.05: not breached, no effect shown
    client.cookies.set(LANG_COOKIE, "en")
    english = client.get(SCORECARD).text
    assert effects(english) == {"cap_total": "total capped at 60", "void_bonus": ""}
    client.cookies.set(LANG_COOKIE, "zh-CN")
    chinese = client.get(SCORECARD).text
    assert effects(chinese) == {"cap_total": "总分封顶 60", "void_bonus": ""}
    guardrails = [re.search(r'<table data-table="guardrails">(.*?)</table>', page, re.S) for page in (english, chinese)]
    assert all(guardrails)
    en_table, zh_table = (re.sub(r"<[^>]+>", " ", g.group(1)) for g in guardrails if g)  # the text a reader sees
    assert not re.search(r"[\u4e00-\u9fff]", en_table), en_table  # not one Chinese character on the English page
    assert not re.search(r"capped|bonus|points|void", zh_table), zh_table  # nor the English words on the Chinese one


def test_each_consequence_in_each_language() -> None:
    # the three consequences a plan can give a guardrail (plans/model.py), with the points it names
    assert views.effect_text("cap_total", D("60"), None, "en") == "total capped at 60"
    assert views.effect_text("cap_total", D("60"), None, "zh-CN") == "总分封顶 60"
    assert views.effect_text("penalty", None, D("5"), "en") == "minus 5 points"
    assert views.effect_text("penalty", None, D("5"), "zh-CN") == "扣 5 分"
    assert views.effect_text("void_bonus", None, None, "en") == "bonus void"
    assert views.effect_text("void_bonus", None, None, "zh-CN") == "取消奖金"
    # points the plan leaves out (lint only warns) show as "?", as the contract export shows them
    assert views.effect_text("cap_total", None, None, "en") == "total capped at ?"
    assert views.effect_text("penalty", None, None, "zh-CN") == "扣 ? 分"


def test_the_app_has_an_icon(client: TestClient) -> None:
    for path in ("/favicon.ico", "/static/favicon.svg"):
        anonymous = TestClient(client.app).get(path)  # the sign-in page asks for it too
        assert anonymous.status_code == 200, path
        assert anonymous.headers["content-type"].startswith("image/svg+xml")
        assert anonymous.text.startswith("<svg")
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").text
    assert '<link rel="icon" href="/static/favicon.svg"' in TestClient(client.app).get("/login").text
