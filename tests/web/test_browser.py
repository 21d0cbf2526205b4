"""The web app in a real browser: Debian's Chromium driven by Playwright against a real server.

One browser for the module (launching Chromium takes a second or two); each test opens its own
context (cookies) and page. Every page visited is saved as tests/artifacts/web/<name>.png.
The numbers asserted are the golden October's, worked out by hand in tests/scoring/golden.py:
26 orders (31 days less the 5 stockout days), GMV 730.00, total 37.55 (see test_page_matches_cli).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from kpiguard.reportgen import amazon_all_orders
from kpiguard.reportgen.model import OrderLine
from tests.scoring.golden import HERO
from tests.web.conftest import LiveServer
from tests.web.matrix_world import plan_text
from tests.web.world import MANAGER, OCTOBER_GMV, OCTOBER_ORDERS, PLAN, SELLER, STORE, password

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing: `make setup` installs "
                                "Debian's chromium package (never `playwright install`)")

if CHROMIUM.exists():
    from playwright.sync_api import (
        Browser,
        ConsoleMessage,
        Page,
        Response,
        Route,
        expect,
        sync_playwright,
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


class Tab:
    """A signed-in page that remembers the console errors and screenshots every page it visits."""

    def __init__(self, page: Page, server: LiveServer, artifacts: Path) -> None:
        self.page, self.server, self.artifacts = page, server, artifacts
        self.errors: list[str] = []
        self.external: list[str] = []  # requests that left the server: the app must work offline (no CDN)
        self.failed: list[str] = []  # answers of 400 or more to anything the page loaded ("404 <url>")
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.route("**/*", self._route)  # anything for another host is refused at once, and noted

    def _route(self, route: Route) -> None:
        if route.request.url.startswith(self.server.url + "/"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def _console(self, message: ConsoleMessage) -> None:
        # every console error counts, the browser's own request for /favicon.ico included
        if message.type == "error":
            self.errors.append(f"console: {message.text} at {message.location.get('url')}")

    def _response(self, response: Response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def clean(self) -> None:
        """No script error, no console error, no resource answered 4xx/5xx, nothing fetched from another host."""
        assert (self.errors, self.failed, self.external) == ([], [], [])

    def refused(self, status: int, path: str) -> None:
        """The browser logs every 4xx answer as a console error: take out the one refusal the test
        provoked on purpose (exactly one, of that status, from that path)."""
        mine = [e for e in self.errors if f"status of {status}" in e and e.endswith(self.server.url + path)]
        assert len(mine) == 1, self.errors
        self.errors.remove(mine[0])
        answered = [f for f in self.failed if f == f"{status} {self.server.url}{path}"]
        assert len(answered) == 1, self.failed
        self.failed.remove(answered[0])

    def goto(self, path: str) -> None:
        response = self.page.goto(self.server.url + path)
        assert response is not None and response.ok, (path, response.status if response else None)

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.artifacts / f"{name}.png"), full_page=True)

    def sign_in(self, email: str) -> None:
        self.goto("/login")
        self.shot("login")
        self.page.fill("#email", email)
        self.page.fill("#password", password(email))
        with self.page.expect_navigation():
            self.page.click("button[type=submit]")
        assert self.page.url == self.server.url + "/", self.page.url

    def lang(self) -> str:
        return str(self.page.get_attribute("html", "lang"))

    def switch_lang(self) -> None:
        before = self.lang()
        with self.page.expect_navigation():
            self.page.click("[data-action=switch-lang]")
        assert self.lang() != before


@pytest.fixture
def tab(browser: Browser, server: LiveServer, artifacts: Path) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    yield Tab(context.new_page(), server, artifacts)
    context.close()


@pytest.fixture
def seller(tab: Tab) -> Tab:
    tab.sign_in(SELLER)
    return tab


def open_october(tab: Tab) -> None:
    """From the portfolio, the plan's scorecard, then its October."""
    tab.page.click(f"tr[data-plan='{PLAN}'] a")
    tab.page.wait_for_selector("[data-scorecard]")
    with tab.page.expect_navigation():
        tab.page.click("a[href$='period=2026-10']")
    expect(tab.page.locator("[data-scorecard]")).to_have_attribute("data-period", "2026-10")


def test_seller_opens_the_portfolio_the_scorecard_and_the_orders_behind_gmv(seller: Tab) -> None:
    page = seller.page
    # portfolio: both of trailco's plans, gold-us's October GMV (the last full month before 10 November)
    expect(page.locator(f"tr[data-plan='{PLAN}']")).to_have_count(1)
    assert D(page.get_attribute(f"tr[data-store='{STORE}']", "data-gmv") or "0") == OCTOBER_GMV
    assert page.locator("tr[data-plan='peak-us-2026q4']").count() == 0  # another seller's plan
    seller.shot("portfolio")
    open_october(seller)
    card = page.locator("[data-scorecard]")
    assert D(card.get_attribute("data-total") or "0") == D("37.55")
    assert D(page.get_attribute("tr[data-metric='gmv']", "data-actual") or "0") == OCTOBER_GMV
    seller.shot("scorecard")
    with page.expect_navigation():
        page.click("a[data-drill='gmv']")
    assert "/explain/gmv" in page.url
    # GMV is the sum of October's order lines: one line per order, 26 orders
    measures = page.locator("section[data-measure]")
    assert measures.count() >= 1
    first = measures.first
    assert int(first.get_attribute("data-rows") or "0") == OCTOBER_ORDERS
    expect(first.locator("table[data-table=rows] tr[data-row]")).to_have_count(OCTOBER_ORDERS)
    assert D(page.locator("[data-field=value]").inner_text()) == OCTOBER_GMV
    # the raw file the rows came from: the All Orders report, with its SHA-256
    raw = first.locator("table[data-table=raw-files] tr[data-sha256]")
    expect(raw).to_have_count(1)
    assert re.fullmatch(r"[0-9a-f]{64}", raw.first.get_attribute("data-sha256") or "")
    assert "orders.txt" in raw.first.inner_text()
    seller.shot("explain-gmv")
    seller.clean()


def test_the_trend_chart_renders(seller: Tab) -> None:
    """Fails when Plotly did not draw: no SVG, no traces, or a script error on the page."""
    open_october(seller)
    page = seller.page
    page.wait_for_selector("#trend .main-svg", timeout=15_000)
    traces = page.evaluate("() => (document.getElementById('trend').data || []).length")
    assert traces == 3  # one line per KPI of the plan: gmv, acos, cvr
    # the GMV trace, a point per month with sales. August from Thursday the 6th: 26 days, 8 of them
    # weekend days (8, 9, 15, 16, 22, 23, 29, 30): 18 x 20.00 + 8 x 50.00 = 760.00; September from
    # Tuesday the 1st: 30 days, 8 weekend days: 22 x 20.00 + 8 x 50.00 = 840.00; October 730.00
    gmv = page.evaluate("() => { const t = document.getElementById('trend').data[0]; "
                        "return [t.x, t.y, t.connectgaps]; }")
    assert gmv[0] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    assert [D(str(v)) for v in gmv[1][-3:]] == [D("760"), D("840"), OCTOBER_GMV]
    # May to July: the store had no rows yet, so no point (a gap, not a fall to 0)
    assert gmv[1][:3] == [None, None, None] and gmv[2] is False
    assert page.locator("#trend .scatterlayer .trace").count() == 3
    seller.shot("scorecard-chart")
    seller.clean()


def test_switching_language_to_chinese_and_back(seller: Tab) -> None:
    open_october(seller)
    page = seller.page
    if seller.lang() != "en":  # the demo users start in zh-CN
        seller.switch_lang()
    assert seller.lang() == "en"
    expect(page.locator("main")).to_contain_text("Total score")
    seller.switch_lang()
    assert seller.lang() == "zh-CN"
    main = page.locator("main")
    for label in ("总分", "考核指标", "风控指标", "岗位得分", "实际值", "目标值"):
        expect(main).to_contain_text(label)
    headers = " ".join(page.locator("main th, main h2").all_inner_texts())
    assert "Total score" not in main.inner_text() and not re.search(r"[A-Z][a-z]+ [a-z]+", headers), headers
    seller.shot("scorecard-zh")
    seller.switch_lang()
    assert seller.lang() == "en"
    expect(page.locator("main")).to_contain_text("Total score")
    headers = " ".join(page.locator("main th, main h2").all_inner_texts())
    assert "KPI" in headers and "Guardrails" in headers and "Actual" in headers
    assert not re.search(r"[\u4e00-\u9fff]", headers), headers  # no Chinese left in the labels
    seller.shot("scorecard-en")
    seller.clean()


# -- pages of the imports and plans engineers (ids agreed in the brief) ----------------------------
def november_orders(path: Path) -> Path:
    """Three November orders of the hero bottle: 20.00 + 20.00 + 50.00 (Sat 7 November)."""
    lines = []
    for n, (day, price) in enumerate(((2, "20.00"), (3, "20.00"), (7, "50.00")), start=1):
        at = datetime(2026, 11, day, 20, 0, tzinfo=UTC)
        lines.append(OrderLine(f"114-99{n:05d}-0000001", 1, at, at, "shipped", HERO, 1, D(price), "USD"))
    return amazon_all_orders.write(path, lines, version="sp-api")


def test_upload_a_report_and_see_its_import_result(seller: Tab, tmp_path: Path) -> None:
    page = seller.page
    seller.goto("/imports")
    page.wait_for_selector("#upload-form")
    seller.shot("imports")
    page.select_option("#upload-store", STORE)
    page.set_input_files("#upload-file", str(november_orders(tmp_path / "november-orders.txt")))
    page.click("#upload-form [type=submit]")
    result = page.locator("[data-import-result]")
    expect(result).to_have_count(1, timeout=60_000)
    # three lines written, three accepted, none rejected
    assert (result.get_attribute("data-status"), result.get_attribute("data-accepted"),
            result.get_attribute("data-rejected")) == ("imported", "3", "0")
    assert page.get_attribute("#upload-progress", "value") == "100"  # the upload's progress bar ran to the end
    seller.shot("import-result")
    # the import is listed with the same counts
    seller.goto(f"/imports?store={STORE}")
    listed = page.locator("table[data-table=imports] tr[data-import-id]").first
    assert (listed.get_attribute("data-accepted"), listed.get_attribute("data-rejected")) == ("3", "0")
    # a file with a negative quantity on line 3 is refused, and the page says where and why
    page.select_option("#upload-store", STORE)
    page.set_input_files("#upload-file", str(Path(__file__).parents[1] / "fixtures" / "bad" / "negative_quantity.txt"))
    page.click("#upload-form [type=submit]")
    result = page.locator("[data-import-result]")
    expect(result).to_have_attribute("data-status", "rejected", timeout=60_000)
    assert result.get_attribute("data-accepted") == "0"
    finding = page.locator("[data-finding][data-code='value.negative']")
    expect(finding).to_have_count(1)
    assert (finding.get_attribute("data-row"), finding.get_attribute("data-column")) == ("3", "quantity")
    seller.shot("import-refused")
    seller.refused(400, f"/api/imports?store={STORE}")
    seller.clean()


NEW_PLAN = "gold-us-2027q1"


def plan_yaml(weight_cvr: int) -> str:
    """The golden plan moved to Q1 2027, with the CVR weight given: 20 makes the weights
    50 + 30 + 20 = 100; 25 makes them 105, lint error PL013 (the weights must sum to 100)."""
    text = plan_text(NEW_PLAN)
    assert "    weight: 20\n" in text
    return text.replace("    weight: 20\n", f"    weight: {weight_cvr}\n")


def edit_text(tab: Tab, text: str, errors: int) -> None:
    """Type the plan into the editor and wait for the live lint to count ``errors`` errors."""
    page = tab.page
    page.fill("form[data-form=plan-edit] textarea", text)
    expect(page.locator("#lint-summary")).to_have_attribute("data-errors", str(errors), timeout=30_000)
    expect(page.locator("#lint-state")).to_have_attribute("data-state", "ready")


def click_and_wait(tab: Tab, selector: str) -> None:
    with tab.page.expect_navigation():
        tab.page.click(selector)


def test_agency_proposes_a_plan_after_fixing_a_lint_error_and_the_seller_signs(
        browser: Browser, server: LiveServer, artifacts: Path) -> None:
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US") for _ in range(2)]
    try:
        agency = Tab(contexts[0].new_page(), server, artifacts)
        agency.sign_in(MANAGER)
        page = agency.page
        # a new draft from a template, on the one store the agency was granted
        agency.goto("/plans/new")
        page.select_option("#template", "full_service/growth")
        page.check(f"input[name=store][value='{STORE}']")
        page.fill("#period", "2027Q1")
        page.fill("#plan_id", NEW_PLAN)
        agency.shot("plan-new")
        click_and_wait(agency, "#create")
        assert page.url.endswith(f"/plans/{NEW_PLAN}/edit"), page.url
        # the text with weights summing to 105: the live lint flags it before saving
        edit_text(agency, plan_yaml(25), errors=1)
        expect(page.locator("#findings [data-finding='PL013'][data-severity=error]")).to_have_count(1)
        agency.shot("plan-edit-lint-error")
        click_and_wait(agency, "#save")
        expect(page.locator("[data-saved]")).to_have_count(1)
        agency.goto(f"/plans/{NEW_PLAN}")
        click_and_wait(agency, "#propose")  # refused: the findings come back with their line
        refusal = page.locator("#errors [data-finding='PL013']")
        expect(refusal).to_have_count(1)
        assert page.get_attribute("h1[data-plan]", "data-status") == "draft"
        agency.shot("plan-propose-refused")
        agency.refused(400, f"/plans/{NEW_PLAN}/propose")
        # fixed: weights 50 + 30 + 20 = 100, no error left; saved and proposed
        agency.goto(f"/plans/{NEW_PLAN}/edit")
        edit_text(agency, plan_yaml(20), errors=0)
        click_and_wait(agency, "#save")
        agency.goto(f"/plans/{NEW_PLAN}")
        assert page.inner_text("[data-field=weights-total]").strip() in ("100", "100.0", "100.00")
        click_and_wait(agency, "#propose")
        expect(page.locator("h1[data-plan]")).to_have_attribute("data-status", "proposed")
        agency.shot("plan-proposed")
        agency.clean()

        # the seller reads it and signs the hash shown
        seller = Tab(contexts[1].new_page(), server, artifacts)
        seller.sign_in(SELLER)
        seller.goto(f"/plans/{NEW_PLAN}")
        shown = seller.page.inner_text("[data-field=plan-hash]").strip()
        click_and_wait(seller, "#sign")
        signature = seller.page.locator("tr[data-signature=seller]")
        expect(signature).to_have_count(1)
        assert signature.get_attribute("data-plan-hash") == shown
        seller.shot("plan-signed-by-seller")
        # the agency signs as the provider: both signatures, the plan binds
        agency.goto(f"/plans/{NEW_PLAN}")
        click_and_wait(agency, "#sign")
        expect(page.locator("h1[data-plan]")).to_have_attribute("data-status", "signed")
        expect(page.locator("tr[data-signature]")).to_have_count(2)
        agency.shot("plan-signed")
        seller.clean()
        agency.clean()
    finally:
        for ctx in contexts:
            ctx.close()


def test_the_icon_loads_and_nothing_answers_404(seller: Tab) -> None:
    """The pages link /static/favicon.svg; /favicon.ico, which browsers ask for by themselves,
    answers the same icon: no 404 in the console (``clean`` counts every console error)."""
    page = seller.page
    assert page.get_attribute("link[rel=icon]", "href") == "/static/favicon.svg"
    for path in ("/static/favicon.svg", "/favicon.ico"):
        answer = page.request.get(seller.server.url + path)
        assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml"), path
    seller.goto("/definitions")
    page.wait_for_timeout(300)  # the browser fetches the icon after the page has loaded
    seller.clean()


def test_a_missing_resource_is_caught(seller: Tab) -> None:
    """The check above would see a 404: a page that loads a missing image fails ``clean``."""
    page = seller.page
    page.evaluate("() => new Promise(done => { const img = new Image(); img.onerror = done; img.onload = done; "
                  "img.src = '/static/missing.png'; document.body.appendChild(img); })")
    assert f"404 {seller.server.url}/static/missing.png" in seller.failed
    with pytest.raises(AssertionError):
        seller.clean()


def test_no_page_needs_the_internet(seller: Tab) -> None:
    """FastAPI's /docs and /redoc would load Swagger UI and ReDoc from CDNs (blank offline): they
    are not served; the API is described at /openapi.json, which loads nothing."""
    for path in ("/docs", "/redoc"):
        assert seller.page.request.get(seller.server.url + path).status == 404
    assert seller.page.request.get(seller.server.url + "/openapi.json").ok
