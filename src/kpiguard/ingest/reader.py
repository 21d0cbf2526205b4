"""Turn a file's bytes into rows of text cells that DuckDB can transform.

What real exports throw at us, and where it is handled:
- encodings: UTF-8 with or without BOM, GB18030/GBK from Chinese ERPs (no BOM), CP1252 from EU
  flat files. Tried in that order; anything that is not UTF-8 is transcoded once to a UTF-8 copy
  so that DuckDB's fast CSV reader does the heavy lifting.
- separators: TAB (Amazon flat files), comma, semicolon (some amazon.de business reports).
- XLSX (Shopee, the Ads console, ERPs): read with openpyxl; typed numbers become text the value
  parsers understand, percent-formatted cells become ``"25.34%"``.
- binary files, empty files, legacy ``.xls``, web pages saved as ``.xls`` (Chinese ERPs do that),
  UTF-16 without a byte-order mark and merged header cells are refused with a reason.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from kpiguard.errors import Finding, InputError

SNIFF_BYTES = 256 * 1024
MAX_LINE_BYTES = 2 * 1024 * 1024  # DuckDB's default max_line_size; a longer line is refused
ENCODINGS = ("utf-8", "gb18030", "cp1252")
SHEET_HEADER_ROWS = 40  # merged cells this high up may hide header cells


@dataclass
class TextSource:
    """A delimited text file, as UTF-8 on disk, with its first lines decoded for sniffing."""

    path: Path  # UTF-8 (possibly with BOM) file DuckDB reads
    encoding: str
    delimiter: str
    head_rows: list[list[str]]  # the first rows, parsed, for header detection


@dataclass(frozen=True)
class MergedRange:
    """A merged block of cells near the top of a sheet (rows and columns 1-based)."""

    ref: str  # "L1:M1"
    min_row: int
    max_row: int
    min_col: int


@dataclass
class SheetSource:
    """An XLSX worksheet, every cell already turned into text (or None)."""

    rows: list[list[str | None]]
    sheet: str
    merged: list[MergedRange] = field(default_factory=list)  # those starting in the first rows

    def merged_in_row(self, row: int) -> list[MergedRange]:
        return [m for m in self.merged if m.min_row <= row <= m.max_row]


Source = TextSource | SheetSource


def open_source(path: Path, display_name: str, work_dir: Path, careful: bool = True) -> Source:
    """Open a report file. ``careful=False`` trusts the first 256 KB: when they are UTF-8, so is
    the rest as far as the import is concerned (DuckDB refuses a cell that is not, and the import
    then opens the file carefully), and the lines are not scanned for blank lines or mixed line
    ends (the import compares its row count with the file's line count instead)."""
    data_head = _read_head(path)
    if not data_head:
        raise InputError(
            f"{display_name} is empty",
            [Finding("file.empty", "the file is empty", file=display_name,
                     hint="download the report again; an export with no rows still has a header")],
        )
    if data_head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path, display_name)
    _refuse_non_reports(data_head, display_name)
    return _open_text(path, display_name, data_head, work_dir, careful)


def _refuse_non_reports(head: bytes, display_name: str) -> None:
    """Files that are not a sheet or delimited text, each told apart so the hint fits."""
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{display_name} is a legacy Excel .xls file",
            [Finding("file.xls", "legacy .xls workbooks are not read", file=display_name,
                     hint="open it and save as .xlsx or CSV (UTF-8), then import that file")],
        )
    # ERPs "export to Excel" as an HTML table named .xls: <html><table><tr><td>店铺</td>...
    opening = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:64].lower()
    if opening.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        raise InputError(
            f"{display_name} is a web page (HTML/XML), not a report file",
            [Finding("file.html", "the file is an HTML or XML page, as some ERPs write under an .xls name",
                     file=display_name, hint="open it in Excel and save it as .xlsx or CSV UTF-8, then import that")],
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" not in head[:8192]:
        return
    if _looks_like_utf16(head[:8192]):
        raise InputError(
            f"{display_name}: UTF-16 text without a byte-order mark",
            [Finding("file.encoding", "the file is UTF-16 text without the byte-order mark that says so",
                     file=display_name, hint="save it as CSV UTF-8 (or 'Unicode text' from Excel) and import again")],
        )
    raise InputError(
        f"{display_name} is not a text report",
        [Finding("file.binary", "the file contains binary data, not a CSV/TSV/XLSX report",
                 file=display_name, hint="export the report again as CSV, TSV or XLSX")],
    )


def _looks_like_utf16(sample: bytes) -> bool:
    """ASCII text in UTF-16 puts a zero byte in every other position ("a\\x00m\\x00a\\x00")."""
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0) / max(len(even), 1), odd.count(0) / max(len(odd), 1)
    return max(zeros_even, zeros_odd) > 0.3 and min(zeros_even, zeros_odd) < 0.05


def _read_head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(SNIFF_BYTES)


# -- text ---------------------------------------------------------------------------------------

def _detect_encoding(path: Path, head: bytes, display_name: str) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    first_bad = None
    for encoding in ENCODINGS:
        bad = _first_undecodable(path, encoding)
        if bad is None:
            return _gb18030_or_cp1252(path, head) if encoding == "gb18030" else encoding
        first_bad = bad if first_bad is None else first_bad
    offset, sample = first_bad if first_bad else (0, b"")
    raise InputError(
        f"{display_name}: cannot tell the text encoding",
        [Finding("file.encoding", "the file is neither UTF-8, GB18030/GBK nor CP1252 text; the first bytes "
                 f"that are not UTF-8 are {sample.hex(' ')}", file=display_name, row=_line_of(path, offset),
                 hint="save it as CSV UTF-8 and import again")],
    )


def _head_is_utf8(head: bytes) -> bool:
    """Whether the file's first bytes are UTF-8 (a character cut at the end of them is fine)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError:
        return False
    return not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _gb18030_or_cp1252(path: Path, head: bytes) -> str:
    """GB18030 accepts most byte pairs: amazon.de's CP1252 "Umsätze" also reads as "Ums鋞ze".

    When the whole file is valid in both, charset-normalizer judges which text is plausible.
    """
    if _first_undecodable(path, "cp1252") is not None:
        return "gb18030"
    import charset_normalizer

    best = charset_normalizer.from_bytes(head, cp_isolation=["gb18030", "cp1252"]).best()
    return "cp1252" if best is not None and best.encoding == "cp1252" else "gb18030"


def _first_undecodable(path: Path, encoding: str) -> tuple[int, bytes] | None:
    """Where the file stops being ``encoding`` (byte offset and the bytes there), or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    consumed = 0
    with open(path, "rb") as fh:
        try:
            while chunk := fh.read(1 << 22):
                decoder.decode(chunk)
                consumed += len(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            pending = len(exc.object) - len(chunk)  # bytes the decoder held back from before
            return consumed - pending + exc.start, bytes(exc.object[exc.start : exc.start + 4])
    return None


def _line_of(path: Path, offset: int) -> int:
    """The 1-based line number of the byte at ``offset``."""
    lines, seen = 1, 0
    with open(path, "rb") as fh:
        while seen < offset and (chunk := fh.read(min(1 << 22, offset - seen))):
            lines += chunk.count(b"\n")
            seen += len(chunk)
    return lines


def find_long_line(path: Path, limit: int) -> int | None:
    """The 1-based number of the first line longer than ``limit`` bytes, or None.

    Used after DuckDB refused a file, to say which line was too long: its own message does not
    always carry a line number (a line longer than its buffer fails the parallel reader early).
    """
    line, run = 1, 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            start = 0
            while (newline := chunk.find(b"\n", start)) >= 0:
                if run + newline - start > limit:
                    return line
                line, run, start = line + 1, 0, newline + 1
            run += len(chunk) - start
            if run > limit:
                return line
    return None


def _open_text(path: Path, display_name: str, head: bytes, work_dir: Path, careful: bool) -> TextSource:
    encoding = _detect_encoding(path, head, display_name) if careful or not _head_is_utf8(head) else (
        "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8")
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
    if careful and _needs_normalising(utf8_path):
        normal = work_dir / "normalised.csv"
        _normalise_lines(utf8_path, delimiter, normal)
        utf8_path = normal
    return TextSource(utf8_path, encoding, delimiter, head_rows)


_BLANK_THEN_TEXT = re.compile(rb"\n\r?\n[\r\n]*[^\r\n]")


def _needs_normalising(path: Path) -> bool:
    """Whether DuckDB would misread the lines: a blank line before more text (eBay pads its header
    with one), or CRLF and LF line ends mixed (a file someone appended to).

    DuckDB skips blank lines without counting them, which would shift every later row number, and
    stops on mixed line ends. Blank lines at the end of a file change no row number.
    """
    tail, crlf, lf = b"", 0, 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            data = tail + chunk
            if _BLANK_THEN_TEXT.search(data):
                return True
            crlf += chunk.count(b"\r\n") + (tail.endswith(b"\r") and chunk.startswith(b"\n"))
            lf += chunk.count(b"\n")
            tail = data[len(data.rstrip(b"\r\n")) :][-8:]
    return 0 < crlf < lf  # a LF inside a quoted cell counts too: the rewrite keeps it as it is


def _normalise_lines(src: Path, delimiter: str, dst: Path) -> None:
    """Copy ``src`` with every row ending in LF, and each blank line between rows written as a row
    of empty cells (which the import counts, and skips as blank). Line breaks inside a quoted cell
    are kept as they are: a line whose quotes leave a cell open continues the same row."""
    in_quotes, pending = False, 0
    with open(src, encoding="utf-8", newline="") as fin, open(dst, "w", encoding="utf-8", newline="") as fout:
        for line in fin:
            body = line.rstrip("\r\n")
            if not in_quotes and not body:
                pending += 1
                continue
            fout.write((delimiter + "\n") * pending)
            pending = 0
            if body.count('"') % 2:
                in_quotes = not in_quotes
            fout.write(line if in_quotes else body + "\n")
        fout.write("\n" * pending)


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
        # a file object: the raw copy is named by its hash, and openpyxl refuses paths without .xlsx
        with open(path, "rb") as fh:
            book = openpyxl.load_workbook(io.BytesIO(fh.read()), data_only=True)
    # openpyxl raises anything from BadZipFile and KeyError to XML ParseError and TypeError on a
    # damaged or foreign zip; for a user's file each of them means the same thing
    except Exception as exc:  # noqa: BLE001
        raise InputError(
            f"{display_name} is not a readable XLSX workbook",
            [Finding("file.xlsx_unreadable", f"the workbook cannot be opened ({exc})",
                     file=display_name, hint="open it in Excel and save it again as .xlsx or CSV")],
        ) from exc
    if not book.worksheets:
        raise InputError(f"{display_name} has no worksheet", [Finding(
            "file.xlsx_unreadable", "the workbook holds no worksheet with cells", file=display_name,
            hint="export the report again; the data must be on the first sheet")])
    sheet = book.worksheets[0]
    merged = [MergedRange(str(r), r.min_row, r.max_row, r.min_col) for r in sheet.merged_cells.ranges
              if r.min_row <= SHEET_HEADER_ROWS]
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
