"""Turn a file's bytes into rows of text cells that DuckDB can transform.

What real exports throw at us, and where it is handled:
- encodings: UTF-8 with or without BOM, GB18030/GBK from Chinese ERPs (no BOM), CP1252 from EU
  flat files. Tried in that order; anything that is not UTF-8 is transcoded once to a UTF-8 copy
  so that DuckDB's fast CSV reader does the heavy lifting.
- separators: TAB (Amazon flat files), comma, semicolon (some amazon.de business reports).
- XLSX (Shopee, the Ads console, ERPs): read with openpyxl; typed numbers become text the value
  parsers understand, percent-formatted cells become ``"25.34%"``.
- binary files, empty files, legacy ``.xls`` and merged header cells are refused with a reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from kpiguard.errors import Finding, InputError

SNIFF_BYTES = 256 * 1024
MAX_LINE_BYTES = 2 * 1024 * 1024  # DuckDB's default max_line_size; a longer line is refused
ENCODINGS = ("utf-8", "gb18030", "cp1252")


@dataclass
class TextSource:
    """A delimited text file, as UTF-8 on disk, with its first lines decoded for sniffing."""

    path: Path  # UTF-8 (possibly with BOM) file DuckDB reads
    encoding: str
    delimiter: str
    head_rows: list[list[str]]  # the first rows, parsed, for header detection


@dataclass
class SheetSource:
    """An XLSX worksheet, every cell already turned into text (or None)."""

    rows: list[list[str | None]]
    sheet: str
    merged_header_cells: list[str] = field(default_factory=list)


Source = TextSource | SheetSource


def open_source(path: Path, display_name: str, work_dir: Path) -> Source:
    data_head = _read_head(path)
    if not data_head:
        raise InputError(
            f"{display_name} is empty",
            [Finding("file.empty", "the file is empty", file=display_name,
                     hint="download the report again; an export with no rows still has a header")],
        )
    if data_head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, display_name)
    if data_head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{display_name} is a legacy Excel .xls file",
            [Finding("file.xls", "legacy .xls workbooks are not read", file=display_name,
                     hint="open it and save as .xlsx or CSV (UTF-8), then import that file")],
        )
    if b"\x00" in data_head[:8192] and not data_head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(
            f"{display_name} is not a text report",
            [Finding("file.binary", "the file contains binary data, not a CSV/TSV/XLSX report",
                     file=display_name, hint="export the report again as CSV, TSV or XLSX")],
        )
    return _open_text(path, display_name, data_head, work_dir)


def _read_head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(SNIFF_BYTES)


# -- text ---------------------------------------------------------------------------------------

def _detect_encoding(path: Path, head: bytes, display_name: str) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ENCODINGS:
        if _decodes_whole_file(path, encoding):
            return encoding
    raise InputError(
        f"{display_name}: cannot tell the text encoding",
        [Finding("file.encoding", "the file is neither UTF-8, GB18030/GBK nor CP1252 text",
                 file=display_name, hint="save it as CSV UTF-8 and import again")],
    )


def _decodes_whole_file(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as fh:
        try:
            while chunk := fh.read(1 << 22):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _open_text(path: Path, display_name: str, head: bytes, work_dir: Path) -> TextSource:
    encoding = _detect_encoding(path, head, display_name)
    text_head = head.decode(encoding if encoding != "utf-8-sig" else "utf-8-sig", errors="ignore")
    lines = text_head.splitlines()
    if len(head) == SNIFF_BYTES and len(lines) <= 1:
        raise InputError(
            f"{display_name}: the first line is longer than {SNIFF_BYTES // 1024} KB",
            [Finding("file.line_too_long", "a line is too long to be a report row",
                     file=display_name, row=1,
                     hint="this is not a report export; check that you picked the right file")],
        )
    if len(head) == SNIFF_BYTES:
        lines = lines[:-1]  # the last line may be cut in the middle
    delimiter = _sniff_delimiter(lines[:40])
    head_rows = list(csv.reader(io.StringIO("\n".join(lines[:60])), delimiter=delimiter))
    utf8_path = path
    if encoding not in ("utf-8", "utf-8-sig"):
        utf8_path = work_dir / "decoded.csv"
        with open(path, encoding=encoding, newline="") as src, open(
            utf8_path, "w", encoding="utf-8", newline=""
        ) as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
    return TextSource(utf8_path, encoding, delimiter, head_rows)


def _sniff_delimiter(lines: list[str]) -> str:
    """Pick the separator that splits the most lines into the same, largest number of cells."""
    best, best_score = ",", -1
    for delimiter in ("\t", ",", ";"):
        counts = [len(next(csv.reader([ln], delimiter=delimiter))) for ln in lines if ln.strip()]
        if not counts:
            continue
        widest = max(counts)
        score = widest * sum(1 for c in counts if c == widest) if widest > 1 else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


# -- xlsx ---------------------------------------------------------------------------------------

def _open_xlsx(path: Path, display_name: str) -> SheetSource:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"{display_name} is not a readable XLSX workbook",
            [Finding("file.xlsx_unreadable", f"the workbook cannot be opened ({exc})",
                     file=display_name, hint="open it in Excel and save it again as .xlsx or CSV")],
        ) from exc
    sheet = book.worksheets[0]
    merged = [str(rng) for rng in sheet.merged_cells.ranges if rng.min_row <= 10]
    rows: list[list[str | None]] = []
    for row in sheet.iter_rows():
        rows.append([_cell_text(c.value, c.number_format) for c in row])
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return SheetSource(rows, sheet.title, merged)


def _cell_text(value: object, number_format: str | None) -> str | None:
    """Render a typed cell as the text an export would have held."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        exact = Decimal(repr(value))
        if number_format and "%" in number_format:
            return f"{(exact * 100).normalize():f}%"
        return f"{exact.normalize():f}" if exact == exact.to_integral_value() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None
