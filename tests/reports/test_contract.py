"""The contract export: every term of the fixture plan is in the HTML, the Markdown and the PDF.

The fixture (fixtures/full_plan.yaml) fills every clause. Expected texts below are written from
the fixture, the metric catalog and the standard@1 definition set by hand, never pasted from output.
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest

from kpiguard.errors import UserError
from kpiguard.metrics import catalog, definitions
from kpiguard.plans import io
from kpiguard.reports.contract import ContractInput, Signature, build
from kpiguard.reports.render_html import render_html
from kpiguard.reports.render_md import render_md
from kpiguard.reports.render_pdf import render_pdf
from tests.reports.htmltree import Node, parse

FIXTURE = Path(__file__).parent / "fixtures" / "full_plan.yaml"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SECTIONS = ["parties", "scope", "definitions", "kpis", "guardrails", "scoring", "review", "adjustment",
            "consequences", "incentives", "exit", "raw-data", "signatures"]

# metric -> (catalog formula, data source from the fixture, update frequency from the tables it reads
# and standard@1's restatement_days: order_lines 7, refunds 60, ad_performance 28, inventory 1)
KPIS = {
    "gmv": ("gmv_amount", "Amazon All Orders report and Shopify orders export, imported daily",
            {"en": ["order reports: daily, can change for 7 days"], "zh-CN": ["订单报表：每日，7天内可能更新"]}),
    "gross_margin_rate": (
        "(gmv_amount - promotion_discount_amount - refund_amount - cogs_amount) / "
        "(gmv_amount - promotion_discount_amount - refund_amount)",
        "Order reports and the seller's product cost table",
        {"en": ["order reports: daily, can change for 7 days", "refund and return reports: daily, can change for 60 days",
                "product cost table (seller-supplied): when costs change"],
         "zh-CN": ["订单报表：每日，7天内可能更新", "退款退货报表：每日，60天内可能更新", "商品成本表（卖家提供）：成本变动时"]}),
    "acos": ("ad_spend_amount / ad_sales_amount", "Amazon Sponsored Products, Brands and Display reports",
             {"en": ["advertising reports: daily, can change for 28 days"], "zh-CN": ["广告报表：每日，28天内可能更新"]}),
    "sell_through_rate": ("skus_sold_count / listed_skus_count", "FBA inventory report and order reports",
                          {"en": ["order reports: daily, can change for 7 days",
                                  "inventory reports: daily, can change for 1 day"],
                           "zh-CN": ["订单报表：每日，7天内可能更新", "库存报表：每日，1天内可能更新"]}),
}


def source(signatures: tuple[Signature, ...] = (), text: str | None = None) -> ContractInput:
    plan, _ = io.load(text or FIXTURE.read_text(encoding="utf-8"), FIXTURE.name)
    version = 1 if signatures else None
    return ContractInput(plan, definitions.resolve(None, plan.definition_set), catalog.load(), signatures, version,
                         "signed" if signatures else "draft")


def html_tree(lang: str, src: ContractInput | None = None) -> Node:
    return parse(render_html(build(src or source(), lang)))


def section(tree: Node, section_id: str) -> Node:
    return tree.find("section", id=section_id)


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_html_has_every_section_and_the_language(lang: str) -> None:
    tree = html_tree(lang)
    assert tree.find("html").attrs["lang"] == lang
    assert [s.attrs["id"] for s in tree.find_all("section")] == SECTIONS
    style = tree.find("style").text()
    assert '"Noto Sans CJK SC"' in style


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_every_kpi_row_states_formula_source_and_frequency(lang: str) -> None:
    kpis = section(html_tree(lang), "kpis")
    rows = kpis.find_all("tr", lambda n: "data-metric" in n.attrs)
    assert [r.attrs["data-metric"] for r in rows] == list(KPIS)
    for entry in kpis.find_all("tbody", lambda n: n.attrs.get("class") == "entry"):
        row = entry.find("tr", **{"class": "main"})
        formula, data_source, frequencies = KPIS[row.attrs["data-metric"]]
        assert row.attrs["data-formula"] == formula
        assert row.attrs["data-source"] == data_source
        text = entry.text()
        assert formula in text and data_source in text
        for frequency in frequencies[lang]:
            assert frequency in row.attrs["data-frequency"] and frequency in text


def test_kpi_targets_weights_and_owners_in_words() -> None:
    kpis = section(html_tree("en"), "kpis")
    gmv = [td.text() for td in kpis.find("tr", data_metric="gmv").find_all("td")]
    assert gmv == ["1", "GMV", "100,000 USD", "80,000 USD", "120,000 USD", "40%", "operations"]
    acos = [td.text() for td in kpis.find("tr", data_metric="acos").find_all("td")]
    assert acos == ["3", "ACoS", "25%", "30%", "20%", "25%", "advertising"]  # ratios 0.25 -> 25%
    assert "design: main images for the 12 new SKUs by 2026-11-05" in kpis.text()
    zh = section(html_tree("zh-CN"), "kpis")
    assert zh.find("tr", data_metric="gmv").find_all("td")[1].text() == "销售额 (GMV)"
    assert "美工：main images for the 12 new SKUs（2026-11-05前）" in zh.text()


def test_guardrails_carry_limit_and_consequence() -> None:
    guardrails = section(html_tree("en"), "guardrails")
    refund = guardrails.find("tr", data_metric="refund_rate")
    assert (refund.attrs["data-limit"], refund.attrs["data-consequence"]) == ("0.05", "cap_total")
    assert [td.text() for td in refund.find_all("td")] == [
        "Refund rate (units)", "at most 5%", "total score capped at 70 points", "customer service"]
    odr = guardrails.find("tr", data_metric="order_defect_rate")
    assert odr.attrs["data-formula"] == "defect_orders_count / orders_count"
    assert "no bonus for the period" in odr.text()
    # the plan states no source for guardrails: the contract names the reports the metric reads
    assert odr.attrs["data-source"] == ("not stated; computed from the order reports, "
                                        "customer-service events (claims, feedback, chargebacks)")


def test_definitions_in_plain_words() -> None:
    text = section(html_tree("en"), "definitions").text()
    assert "standard@1 (Standard definitions)" in text
    assert "does not count tax, shipping, gift wrap" in text  # standard@1: gmv_includes_* all false
    assert "SP 7 days, SB 14 days, SD 14 days" in text
    assert "refund date" in text and "cancelled order lines are not counted" in text
    assert "Amazon All Orders report, Shopify orders export" in text  # order_sources by the reports' names
    zh = section(html_tree("zh-CN"), "definitions").text()
    assert "站点当地日历日" in zh and "SP 7天、SB 14天、SD 14天" in zh and "广告报表28天" in zh


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", {"review": ["every month", "final 60 days after the period ends"],
            "adjustment": ["stockout, account suspension, platform outage, major holiday",
                           "the affected days are left out", "both parties in writing", "10 days"],
            "consequences": ["largest reduction"],
            "incentives": ["3,000 USD", "2,000 USD", "3% of net sales above 80,000 USD, at most 2,000 USD",
                           "refunded within 60 days"],
            "exit": ["30 days", "Within 7 days of exit the agency returns", "two consecutive months"],
            "raw-data": ["Seller Central primary account", "kpiguard verify"]}),
    ("zh-CN", {"review": ["每月召开一次正式复盘会", "期间结束60天后"],
               "adjustment": ["断货、封号、平台故障、重大节日", "剔除受影响天数", "双方书面确认", "10天"],
               "consequences": ["扣减比例最高"],
               "incentives": ["净销售额超过80,000 USD部分的3%", "60天内发生退款"],
               "exit": ["30天", "退出后7天内", "连续两个月总分低于60分"],
               "raw-data": ["卖家保留亚马逊后台主账号"]}),
])
def test_cadence_adjustment_consequence_incentive_and_exit_clauses(lang: str, expected: dict[str, list[str]]) -> None:
    tree = html_tree(lang)
    for section_id, phrases in expected.items():
        text = section(tree, section_id).text()
        for phrase in phrases:
            assert phrase in text, (section_id, phrase)
    steps = section(tree, "consequences").find_all("tr", lambda n: "data-below" in n.attrs)
    assert [(r.attrs["data-below"], r.attrs["data-reduction"]) for r in steps] == [("80", "10"), ("60", "30")]


def test_worked_example_numbers() -> None:
    scoring = section(html_tree("en"), "scoring")
    values = {r.attrs["data-step"]: D(r.attrs["data-value"])
              for r in scoring.find_all("tr", lambda n: "data-step" in n.attrs)}
    assert values["actual"] == 90000  # GMV halfway: (80,000 + 100,000) / 2
    assert values["points"] == 80  # 60 + (90,000 - 80,000) / (100,000 - 80,000) * (100 - 60) = 60 + 0.5 * 40
    assert values["weighted"] == 32  # 80 * 40% weight
    assert values["others"] == 60  # margin 20 + ACoS 25 + sell-through 15 = 60 weight, all at 100 points
    assert values["total"] == 92  # 32 + 60
    assert values["fee"] == 3000  # 92 is below no fee step: 3,000 - 0%
    assert values["bonus"] == 2000  # 92 >= 90: 100% of the 2,000 pool
    assert values["breach"] == 70  # refund rate breached: total capped at 70 = min(92, 70)
    assert values["breach_fee"] == 2700  # 70 < 80 (not < 60): 3,000 - 10% = 2,700
    assert values["breach_bonus"] == 0  # 70 < 80, the lowest tier
    text = scoring.text()
    assert "60 + (90,000 − 80,000) ÷ (100,000 − 80,000) × (100 − 60)" in text
    assert "min(92, 70)" in text and "2,700 USD" in text


def test_signatures_with_hashes_and_a_mismatch() -> None:
    digest = io.plan_hash(source().plan)
    signed = source((Signature("seller", "Li Wei", "2026-10-30 09:12:00 UTC", digest, 41),
                     Signature("provider", "Zhang Min", "2026-10-30 10:02:00 UTC", "0" * 64, 42)))
    block = section(html_tree("en", signed), "signatures")
    assert digest in block.text()
    seller, provider = block.find("tr", data_role="seller"), block.find("tr", data_role="provider")
    assert (seller.attrs["data-hash"], seller.attrs["data-matches"]) == (digest, "true")
    assert provider.attrs["data-matches"] == "false" and "NO — signed a different text" in provider.text()
    assert "Unsigned draft" not in block.text()


def test_draft_and_half_signed_plans_say_so() -> None:
    assert "Unsigned draft" in section(html_tree("en"), "signatures").text()
    assert "未签署草案" in section(html_tree("zh-CN"), "signatures").text()
    half = source((Signature("seller", "Li Wei", "2026-10-30 09:12:00 UTC", io.plan_hash(source().plan), 41),))
    assert "Not yet signed by: provider" in section(html_tree("en", half), "signatures").text()


def test_missing_clauses_are_stated_not_dropped() -> None:
    text = FIXTURE.read_text(encoding="utf-8").split("guardrails:")[0]  # kpis only: no later clause
    tree = html_tree("en", source(text=text))
    assert [s.attrs["id"] for s in tree.find_all("section")] == SECTIONS
    assert "No guardrail metrics are agreed." in section(tree, "guardrails").text()
    assert "force-majeure events do not change targets" in section(tree, "adjustment").text()
    assert "No fee consequences are agreed" in section(tree, "consequences").text()
    assert section(tree, "exit").text().count("Not agreed.") == 3


def test_user_text_is_escaped() -> None:
    text = FIXTURE.read_text(encoding="utf-8").replace("name: Brightway Home 明途家居", 'name: "<script>x</script> & Co"')
    tree = html_tree("en", source(text=text))
    assert tree.find_all("script") == []
    assert "<script>x</script> & Co" in section(tree, "parties").text()


def test_markdown_has_the_same_terms() -> None:
    md = render_md(build(source(), "en"))
    assert "## 4. KPIs" in md and "## 13. Signatures" in md
    assert "| 1 | GMV | 100,000 USD | 80,000 USD | 120,000 USD | 40% | operations |" in md
    assert "- Formula (catalog): ad_spend_amount / ad_sales_amount" in md
    assert "- Update frequency: advertising reports: daily, can change for 28 days" in md
    assert "| Total score | 32 + 60 | 92 |" in md
    assert "> Unsigned draft" in md
    # a signer's name lands in a table cell: a pipe in it must not open a new column
    piped = source((Signature("seller", "A|B", "2026-10-30 09:12:00 UTC", "f" * 64, 7),))
    assert "| seller | A\\|B | 2026-10-30 09:12:00 UTC |" in render_md(build(piped, "en"))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run `make setup` (installs poppler-utils and fonts-noto-cjk)")
    return path


@pytest.fixture(scope="module")
def zh_pdf() -> Path:
    try:
        data = render_pdf(build(source(), "zh-CN"))
    except UserError as exc:  # WeasyPrint or the CJK font missing: say how to fix it, never skip
        pytest.fail(f"{exc.message}: {'; '.join(f.describe() for f in exc.findings)}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "contract.zh-CN.pdf"
    pdf.write_bytes(data)
    return pdf


@pytest.mark.slow
def test_pdf_text_layer_is_chinese(zh_pdf: Path) -> None:
    text = subprocess.run([_tool("pdftotext"), "-layout", str(zh_pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for phrase in ("考核方案", "销售额", "毛利率", "统计口径", "退出条款", "不可抗力"):
        assert phrase in text, phrase
    # the text layer alone could hold Chinese drawn as empty boxes: the glyphs must come from an embedded CJK font
    fonts = subprocess.run([_tool("pdffonts"), str(zh_pdf)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk), fonts


@pytest.mark.slow
def test_pdf_first_page_is_kept_as_png(zh_pdf: Path) -> None:
    stem = ARTIFACTS / "contract.zh-CN"
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(zh_pdf), str(stem)],
                   check=True)
    png = ARTIFACTS / "contract.zh-CN.png"  # -singlefile: no page-number suffix
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000  # a page of text at 80 dpi, not a blank page
