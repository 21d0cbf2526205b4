"""Render a document as an Excel workbook: a summary sheet with the terms, one sheet per table.

Finance teams re-add a statement's figures in Excel, so a cell that is wholly a number in the
document (``3,509.50``, ``-12.00``, ``95``) or a percentage (``12.5%``) is written as a number
with a matching number format, never as text that SUM() skips. Everything else is text, and text
that a spreadsheet would read as a formula (``=HYPERLINK(...)``, ``+``, ``-``, ``@`` at the start:
a party name is user input) is stored as a plain string with Excel's quote prefix, so it is shown
as written and never evaluated (CSV/formula injection). Characters XML cannot hold (control
characters) are dropped rather than failing the export.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from kpiguard.reports.document import Document, Paragraph, Table, Terms

# no leading zeros (an id like 007 stays text); thousands commas optional; "-" only as a sign
_NUMBER = re.compile(r"^(-?)(0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)(?:\.(\d+))?$")
_PERCENT = re.compile(r"^(-?(?:0|[1-9]\d*)(?:\.(\d+))?)%$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_WORDS = {"summary": ("Summary", "摘要"), "see": ("see sheet {name}", "见工作表 {name}")}
_HEAD_FILL = PatternFill("solid", fgColor="EEF3F8")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _word(key: str, lang: str, **values: str) -> str:
    en, zh = _WORDS[key]
    return (zh if lang.lower().startswith("zh") else en).format(**values)


def _number_format(places: int, percent: bool = False) -> str:
    decimals = "." + "0" * places if places else ""
    return f"0{decimals}%" if percent else f"#,##0{decimals}"


def typed(text: str) -> tuple[Any, str | None]:
    """The cell value for ``text`` and its number format (None: keep it as text)."""
    match = _NUMBER.match(text)
    if match:
        return Decimal(text.replace(",", "")), _number_format(len(match.group(3) or ""))
    match = _PERCENT.match(text)
    if match:
        return Decimal(match.group(1)) / 100, _number_format(len(match.group(2) or ""), percent=True)
    return text, None


def put(sheet: Worksheet, row: int, column: int, text: str) -> Cell:
    """Write one document string into a cell: a number where it is one, otherwise inert text."""
    clean = ILLEGAL_CHARACTERS_RE.sub("", text)
    value, number_format = typed(clean)
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if number_format is not None:
        cell.number_format = number_format
    elif clean.startswith(_FORMULA_START):
        cell.data_type = "s"  # openpyxl would store "=..." as a formula; a string cell is never evaluated
        cell.quotePrefix = True  # and editing it in Excel keeps it text
    return cell  # type: ignore[no-any-return]


def _sheet_name(name: str, taken: set[str]) -> str:
    base = _SHEET_BAD.sub("_", name).strip("'")[:31] or "table"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f"_{n}"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _width(text: str) -> int:
    """Display width: a CJK character takes two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _fit(sheet: Worksheet, widths: dict[int, int], limit: int = 60) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), limit)


def _table_sheet(sheet: Worksheet, title: str, table: Table) -> None:
    detail_labels = list(dict.fromkeys(label for row in table.rows for label, _ in row.details))
    headers = [*table.headers, *detail_labels]
    put(sheet, 1, 1, title).font = Font(bold=True, size=12)
    widths: dict[int, int] = {}
    for column, header in enumerate(headers, start=1):
        cell = put(sheet, 2, column, header)
        cell.font, cell.fill = Font(bold=True), _HEAD_FILL
        widths[column] = _width(header)
    for r, row in enumerate(table.rows, start=3):
        details = dict(row.details)
        values = [*row.cells, *(details.get(label, "") for label in detail_labels)]
        for column, text in enumerate(values, start=1):
            put(sheet, r, column, text).alignment = _WRAP
            widths[column] = max(widths.get(column, 0), _width(text))
    sheet.freeze_panes = "A3"
    _fit(sheet, widths)


def _summary(sheet: Worksheet, doc: Document, table_sheets: dict[int, str]) -> None:
    put(sheet, 1, 1, doc.title).font = Font(bold=True, size=14)
    put(sheet, 2, 1, doc.subtitle)
    r = 3
    for label, value in doc.meta:
        put(sheet, r, 1, label).font = Font(bold=True)
        put(sheet, r, 2, value)
        r += 1
    for number, section in enumerate(doc.sections, start=1):
        r += 1
        put(sheet, r, 1, f"{number}. {section.title}").font = Font(bold=True, size=12)
        r += 1
        for block in section.blocks:
            if isinstance(block, Terms):
                for label, value in block.items:
                    put(sheet, r, 1, label).font = Font(bold=True)
                    put(sheet, r, 2, value).alignment = _WRAP
                    r += 1
            elif isinstance(block, Paragraph):
                put(sheet, r, 2, block.text).alignment = _WRAP
                r += 1
            else:
                name = table_sheets[id(block)]
                link = put(sheet, r, 2, _word("see", doc.lang, name=name))
                # a location (not a "#..." target) is a link inside the workbook, not an external relationship
                link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{name}'!A1")
                link.style = "Hyperlink"
                r += 1
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90


def render_xlsx(doc: Document) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    taken: set[str] = set()
    summary.title = _sheet_name(_word("summary", doc.lang), taken)
    table_sheets: dict[int, str] = {}
    for section in doc.sections:
        for block in section.blocks:
            if isinstance(block, Table):
                sheet = workbook.create_sheet(_sheet_name(block.name, taken))
                _table_sheet(sheet, section.title, block)
                table_sheets[id(block)] = sheet.title
    _summary(summary, doc, table_sheets)
    for sheet in workbook.worksheets:
        sheet.oddFooter.left.text = doc.ref.replace("&", "&&")  # on every printed page, like the PDF footer
    workbook.properties.title = doc.title
    workbook.properties.language = doc.lang
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
