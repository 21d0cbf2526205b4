"""The settlement statement both parties sign: HTML, PDF and XLSX, in zh-CN and English.

The statement below is written by hand (the shape ``settlement.statements.settle`` returns) with
figures chosen so every line can be checked on paper:

    base fee                          3000.00
    fee reduction  total 60 is not below any step (0%)    0.00
    bonus          total 60 reaches the 60-point tier: 2000.00 x 25% = 500.00
    commission     0.05 x (net sales 690.00 - threshold 500) = 0.05 x 190.00 = 9.50
    payable        3000.00 - 0.00 + 500.00 + 9.50 = 3509.50
    clawback       statement no. 1 settled 3521.50: 3509.50 - 3521.50 = -12.00,
                   within the window 2026-10-31 + 90 days = 2027-01-29 (issued 2027-01-05)

The CLI test runs ``kpiguard settle`` on the golden workspace of tests/scoring (its payable of
3509.50 is worked out by hand in tests/scoring/test_golden_scorecard.py).
"""

from __future__ import annotations

import copy
import io
import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kpiguard.errors import InputError, UserError
from kpiguard.events import store as events
from kpiguard.reports import statement_export
from kpiguard.reports.render_html import render_html
from kpiguard.reports.render_md import render_md
from kpiguard.reports.render_pdf import render_pdf
from kpiguard.reports.render_xlsx import render_xlsx
from kpiguard.reports.statement import build_statement
from kpiguard.settlement.statements import statements
from kpiguard.workspace import Workspace
from tests.conftest import run_cli
from tests.reports.htmltree import Node, parse
from tests.scoring.golden import PLAN_ID, STOCKOUT, STORE, build

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PLAN_HASH = "ab" * 32
DIGEST = "cd" * 32

STATEMENT: dict[str, Any] = {
    "plan": "acme-us-2026q4", "version": 2, "plan_hash": PLAN_HASH, "period": "2026-10",
    "period_start": "2026-10-01", "period_end": "2026-10-31", "status": "final", "issued_on": "2027-01-05",
    "parties": {"seller": "Acme Trading Ltd", "provider": "杭州星河代运营有限公司"},
    "score": {"total": "60.00", "weighted_total": "83.00", "total_unadjusted": "37.55", "status": "final",
              "bonus_voided": False, "definition_set": "standard@1", "as_of": "2027-01-05", "snapshot_digest": DIGEST},
    "kpis": [
        {"metric": "gmv", "name": {"en": "GMV", "zh-CN": "销售额 (GMV)"}, "weight": "50", "actual": "730.00",
         "target": "820.22", "points": "78.00"},
        {"metric": "acos", "name": {"en": "ACoS", "zh-CN": "广告销售成本比 (ACoS)"}, "weight": "50", "actual": "0.25",
         "target": "0.20", "points": "80.00"},
    ],
    "guardrails": [
        {"metric": "refund_rate", "name": {"en": "Refund rate (units)", "zh-CN": "退款率（件数）"},
         "actual": "0.076923", "limit": "0.05", "breached": True, "effect": "total capped at 60 / 总分封顶 60"},
        {"metric": "order_defect_rate", "name": {"en": "Order defect rate", "zh-CN": "订单缺陷率 (ODR)"},
         "actual": "0.038462", "limit": "0.05", "breached": False, "effect": "bonus void / 取消奖金"},
    ],
    "amounts": {"currency": "USD", "total": "60.00", "base_fee": "3000.00", "fee_reduction_pct": "0",
                "fee_reduction": "0.00", "bonus_tier": {"min_score": "60", "bonus_pct": "25"},
                "bonus_pool": "2000.00", "bonus": "500.00",
                "commission": {"base": "net_sales", "base_value": "690.00", "rate": "0.05", "threshold": "500",
                               "cap": None, "amount": "9.50"},
                "payable": "3509.50", "notes": []},
    "true_up": {"kind": "clawback", "due": "-12.00", "difference": "-12.00", "settled_before": "3521.50",
                "against_seq": 1, "clawback_until": "2027-01-29", "note": "owed back by the provider / 服务商应退回"},
    "seq": 2,
}


def html(lang: str, statement: dict[str, Any] = STATEMENT) -> Node:
    return parse(render_html(build_statement(statement, lang)))


def amount_rows(tree: Node) -> dict[str, Node]:
    table = tree.find("table", data_table="amounts")
    return {tr.attrs["data-item"]: tr for tr in table.find_all("tr", lambda n: "data-item" in n.attrs)}


def cells(tr: Node) -> list[str]:
    return [td.text() for td in tr.find_all("td")]


# --- HTML -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_html_amount_rows_carry_the_figures(lang: str) -> None:
    rows = amount_rows(html(lang))
    assert list(rows) == ["base_fee", "fee_reduction", "bonus", "commission", "payable"]
    assert {k: tr.attrs["data-amount"] for k, tr in rows.items()} == {
        "base_fee": "3000.00", "fee_reduction": "0.00", "bonus": "500.00", "commission": "9.50", "payable": "3509.50"}
    assert all(tr.attrs["data-currency"] == "USD" for tr in rows.values())
    # the lines add up to the payable: 3000.00 + 0.00 + 500.00 + 9.50 = 3509.50
    assert sum(D(rows[k].attrs["data-amount"]) for k in ("base_fee", "fee_reduction", "bonus", "commission")) == D("3509.50")
    assert cells(rows["payable"])[-1] == "3,509.50"


def test_english_statement_writes_out_the_arithmetic() -> None:
    tree = html("en")
    rows = amount_rows(tree)
    assert cells(rows["base_fee"])[0] == "Base fee"
    assert cells(rows["fee_reduction"])[1] == "total 60 is below no consequence step: no reduction"
    assert cells(rows["bonus"])[1] == "total 60 reaches the tier of 60 points: pool 2,000.00 × 25% = 500.00"
    assert cells(rows["commission"])[1] == "5% × (net sales 690.00 − threshold 500) = 9.50"
    assert cells(rows["payable"])[:2] == ["Payable for the period", "3,000.00 − 0.00 + 500.00 + 9.50 = 3,509.50"]
    assert tree.find("h1").text() == "Settlement statement"
    status = tree.find("dl", data_terms="parties").text()
    assert "Status final" in status and "Issued on 2027-01-05" in status


def test_chinese_statement_uses_the_glossary_labels() -> None:
    tree = html("zh-CN")
    assert tree.find("html").attrs["lang"] == "zh-CN"
    assert tree.find("h1").text() == "结算单"
    rows = amount_rows(tree)
    assert [cells(rows[k])[0] for k in rows] == ["保底服务费", "服务费扣减", "奖金", "提成", "本期应付金额"]
    assert cells(rows["commission"])[1] == "5% ×（净销售额 690.00 − 起提点 500）= 9.50"
    assert "状态 最终" in tree.find("dl", data_terms="parties").text()
    titles = [h2.text() for h2 in tree.find_all("h2")]
    assert titles == ["1. 合作双方与考核期", "2. 考核得分", "3. 结算金额", "4. 补付与追回", "5. 数据溯源", "6. 签署确认"]
    assert tree.find("table", data_table="guardrails").find_all("th")[0].text() == "风控指标"


def test_score_kpis_and_guardrails_with_their_effect() -> None:
    tree = html("zh-CN")
    score = tree.find("dl", data_terms="score").text()
    assert "总分（调整及风控后） 60" in score and "未经不可抗力调整的总分 37.55" in score
    kpis = tree.find("table", data_table="kpis")
    gmv, acos = kpis.find("tr", data_metric="gmv"), kpis.find("tr", data_metric="acos")
    assert (gmv.attrs["data-actual"], gmv.attrs["data-points"]) == ("730.00", "78.00")
    assert cells(gmv) == ["销售额 (GMV)", "50%", "730.00 USD", "820.22 USD", "78"]
    assert cells(acos)[2:] == ["25%", "20%", "80"]  # ratios as percentages: 0.25 -> 25%
    guard = tree.find("table", data_table="guardrails")
    refund, odr = guard.find("tr", data_metric="refund_rate"), guard.find("tr", data_metric="order_defect_rate")
    assert refund.attrs["data-breached"] == "true" and cells(refund)[3:] == ["是", "总分封顶 60"]
    assert odr.attrs["data-breached"] == "false" and cells(odr)[3:] == ["否", "无影响（未超限）"]


def test_clawback_line_trace_and_signature_block() -> None:
    tree = html("zh-CN")
    tr = tree.find("table", data_table="true-up").find("tr", data_kind="clawback")
    assert (tr.attrs["data-due"], tr.attrs["data-settled-before"], tr.attrs["data-against-seq"]) == ("-12.00", "3521.50", "1")
    assert cells(tr) == ["追回（服务方应退回）", "本次应付 3,509.50 − 第1号结算单已结算 3,521.50 = -12.00", "-12.00"]
    details = tree.find("table", data_table="true-up").find("tr", **{"class": "details"}).text()
    assert "服务商应退回" in details and "2027-01-29" in details
    trace = tree.find("dl", data_terms="trace").text()
    assert PLAN_HASH in trace and DIGEST in trace
    assert "kpiguard score acme-us-2026q4 --period 2026-10 --as-of 2027-01-05 --json" in trace
    signatures = tree.find("table", data_table="signatures")
    assert cells(signatures.find("tr", data_role="seller"))[:2] == ["卖家（甲方）", "Acme Trading Ltd"]
    assert cells(signatures.find("tr", data_role="provider"))[:2] == ["服务方（被考核方）", "杭州星河代运营有限公司"]
    assert "____年__月__日" in signatures.text()
    assert "本期应付 3,509.50 USD，追回（服务方应退回） -12.00 USD" in tree.find("section", id="signatures").text()


def test_provisional_first_statement_void_bonus_and_cap() -> None:
    s = copy.deepcopy(STATEMENT)
    s["status"], s["true_up"] = "provisional", None
    s["score"]["bonus_voided"] = True
    s["amounts"] |= {"bonus": "0", "payable": "3009.50",
                     "notes": ["bonus void: a guardrail with void_bonus was breached / 风控指标触发，取消奖金"]}
    # capped commission: 0.05 x (12,500.00 - 500) = 600.00, capped at 400 -> 400.00
    s["amounts"]["commission"] |= {"base_value": "12500.00", "cap": "400", "amount": "400.00"}
    tree = html("en", s)
    rows = amount_rows(tree)
    assert "but a guardrail that voids the bonus was breached: 0" in cells(rows["bonus"])[1]
    assert cells(rows["commission"])[1] == "min(5% × (net sales 12,500.00 − threshold 500), cap 400) = 400.00"
    assert tree.find("section", id="parties").find("p", **{"class": "warning"}).text().startswith("Provisional")
    assert "nothing was settled before" in tree.find("section", id="true-up").text()
    assert "a guardrail with void_bonus was breached" in tree.find("section", id="amounts").text()


def test_markdown_and_unknown_language() -> None:
    md = render_md(build_statement(STATEMENT, "zh-CN"))
    assert "| 本期应付金额 | 3,000.00 − 0.00 + 500.00 + 9.50 = 3,509.50 | 3,509.50 |" in md
    with pytest.raises(ValueError):
        build_statement(STATEMENT, "fr")


# --- PDF --------------------------------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run `make setup` (installs poppler-utils and fonts-noto-cjk)")
    return path


@pytest.mark.slow
def test_pdf_has_the_chinese_text_and_the_payable() -> None:
    try:
        data = render_pdf(build_statement(STATEMENT, "zh-CN"))
    except UserError as exc:  # WeasyPrint or the CJK font missing: say how to fix it, never skip
        pytest.fail(f"{exc.message}: {'; '.join(f.describe() for f in exc.findings)}")
    assert data.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "statement.zh-CN.pdf"
    pdf.write_bytes(data)
    text = subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for phrase in ("结算单", "保底服务费", "奖金", "提成", "风控指标", "本期应付金额", "3,509.50", "-12.00"):
        assert phrase in text, phrase
    fonts = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert any("CJK" in line and " yes " in line for line in fonts.splitlines()), fonts


# --- XLSX -------------------------------------------------------------------------------------------------


def workbook(statement: dict[str, Any] = STATEMENT, lang: str = "zh-CN") -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render_xlsx(build_statement(statement, lang))))


def by_label(sheet: Any, label: str, column: int = 1) -> tuple[Any, ...]:
    for row in sheet.iter_rows():
        if row[column - 1].value == label:
            return tuple(row)
    raise AssertionError(f"no row {label!r} in {sheet.title}")


def test_xlsx_money_cells_are_numbers() -> None:
    wb = workbook()
    assert wb.sheetnames == ["摘要", "kpis", "guardrails", "amounts", "true-up", "signatures"]
    amounts = wb["amounts"]
    assert [c.value for c in amounts[2]] == ["项目", "计算方式", "金额（USD）"]
    payable = by_label(amounts, "本期应付金额")[2]
    assert payable.data_type == "n" and D(str(payable.value)) == D("3509.50")
    assert payable.number_format == "#,##0.00"
    # the column sums in Excel: 3000.00 + 0.00 + 500.00 + 9.50 = 3509.50
    lines = [D(str(amounts.cell(row=r, column=3).value)) for r in range(3, 7)]
    assert sum(lines) == D("3509.50")
    due = by_label(wb["true-up"], "追回（服务方应退回）")[2]
    assert due.data_type == "n" and D(str(due.value)) == D("-12.00")
    summary = wb["摘要"]
    assert summary["A1"].value == "结算单"
    recap = by_label(summary, "本期应付金额（USD）")[1]
    assert recap.data_type == "n" and D(str(recap.value)) == D("3509.50")
    acos = by_label(wb["kpis"], "广告销售成本比 (ACoS)")
    assert D(str(acos[2].value)) == D("0.25") and acos[2].number_format == "0%"  # 25% as the number 0.25


def test_xlsx_keeps_chinese_labels_and_links_tables() -> None:
    wb = workbook()
    summary = wb["摘要"]
    labels = {row[0].value for row in summary.iter_rows()}
    assert {"卖家（甲方）", "服务方（被考核方）", "总分（调整及风控后）", "已签署方案SHA-256", "数据快照摘要"} <= labels
    assert by_label(summary, "服务方（被考核方）")[1].value == "杭州星河代运营有限公司"
    assert by_label(summary, "数据快照摘要")[1].value == DIGEST
    link = next(c for row in summary.iter_rows() for c in row if c.value == "见工作表 amounts")
    assert link.hyperlink.location == "'amounts'!A1"  # a link inside the workbook
    assert wb["guardrails"]["A2"].value == "风控指标"
    details = [c.value for c in wb["true-up"][2]]
    assert details == ["类型", "计算方式", "金额（USD）", "说明", "追回截止日"]
    assert en_sheetnames() == ["Summary", "kpis", "guardrails", "amounts", "true-up", "signatures"]


def en_sheetnames() -> list[str]:
    return workbook(lang="en").sheetnames


def test_xlsx_formula_looking_names_stay_text() -> None:
    s = copy.deepcopy(STATEMENT)
    s["parties"] = {"seller": '=HYPERLINK("http://evil.example","click")', "provider": "@SUM(1+1)"}
    wb = workbook(s, "en")
    for sheet, label, column, expected in (
            ("Summary", "Seller", 2, '=HYPERLINK("http://evil.example","click")'),
            ("Summary", "Provider (scored party)", 2, "@SUM(1+1)"),
            ("signatures", "Seller", 2, '=HYPERLINK("http://evil.example","click")')):
        cell = by_label(wb[sheet], label)[column - 1]
        assert cell.data_type == "s" and cell.value == expected and cell.quotePrefix, (sheet, label)
    # nothing in the workbook is a formula
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_xlsx_drops_characters_xml_cannot_hold() -> None:
    s = copy.deepcopy(STATEMENT)
    s["parties"]["seller"] = "Acme\x07 Trading\x00 Ltd"  # pasted from a terminal: BEL and NUL
    assert by_label(workbook(s, "en")["Summary"], "Seller")[1].value == "Acme Trading Ltd"


def test_xlsx_number_detection_leaves_ids_and_text_alone() -> None:
    from kpiguard.reports.render_xlsx import typed

    assert typed("3,509.50") == (D("3509.50"), "#,##0.00")
    assert typed("-12.00") == (D("-12.00"), "#,##0.00")
    assert typed("1200") == (D("1200"), "#,##0")
    assert typed("12.5%") == (D("0.125"), "0.0%")
    for text in ("007", "2026-10", "-cmd", "1,23", "12.5 USD", "+1"):
        assert typed(text) == (text, None), text


# --- CLI on the golden workspace ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """The golden store and signed plan with the stockout approved (as tests/scoring/conftest.py)."""
    root = tmp_path_factory.mktemp("golden-settle")
    ws = Workspace(root / "ws")
    ws.init()
    build(ws, root / "files")
    e = events.propose(ws, events.Proposal(PLAN_ID, "stockout", (STORE,), STOCKOUT[0], STOCKOUT[1],
                                           "hero SKU out of stock", "provider", "Anna Smith", None))
    events.approve(ws, e.event_id, "seller", "Li Wei", "checked")
    return ws


@pytest.mark.slow
def test_cli_settle_exports_the_statement(golden: Workspace, tmp_path: Path) -> None:
    bad = run_cli(golden, "settle", PLAN_ID, "--period", "2026-10", "--as-of", "2026-11-10",
                  "--export", str(tmp_path / "statement.docx"), "--lang", "fr")
    assert bad.code == 2 and "Traceback" not in bad.err
    assert ".xlsx" in bad.err and "zh-CN or en" in bad.err
    assert statements(golden, PLAN_ID, "2026-10") == []  # bad options issue nothing

    xlsx = tmp_path / "out" / "statement.xlsx"
    res = run_cli(golden, "settle", PLAN_ID, "--period", "2026-10", "--as-of", "2026-11-10", "--export", str(xlsx))
    assert res.code == 0, res.err
    assert f"wrote {xlsx}" in res.out.replace("\n", "")
    amounts = openpyxl.load_workbook(xlsx)["amounts"]
    # golden October (tests/scoring/test_golden_scorecard.py): 3000.00 - 0 + 500.00 + 9.50 = 3509.50
    assert D(str(by_label(amounts, "本期应付金额")[2].value)) == D("3509.50")
    assert D(str(by_label(amounts, "提成")[2].value)) == D("9.50")

    html_file = tmp_path / "statement.en.html"
    res = run_cli(golden, "settle", PLAN_ID, "--period", "2026-10", "--as-of", "2026-11-10", "--export",
                  str(html_file), "--lang", "en", "--json")
    assert res.code == 0, res.err
    out = res.json()
    assert isinstance(out, dict)
    assert out["export"] == {"file": str(html_file), "format": "html", "lang": "en", "bytes": html_file.stat().st_size}
    assert out["seq"] == 1 and out["reissued"] is False  # the unchanged statement is not issued twice
    tree = parse(html_file.read_text(encoding="utf-8"))
    rows = amount_rows(tree)
    assert rows["payable"].attrs["data-amount"] == "3509.50"
    assert cells(rows["commission"])[1] == "5% × (net sales 690.00 − threshold 500) = 9.50"
    assert cells(tree.find("table", data_table="signatures").find("tr", data_role="seller"))[1] == "Gold Seller Ltd"


def test_export_options_are_checked_together(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        statement_export.check_options(tmp_path / "x.txt", "de")
    assert {f.column for f in exc.value.findings} == {"--export", "--lang"}
    assert statement_export.check_options(tmp_path / "X.PDF", "zh_cn") == ("pdf", "zh-CN")
