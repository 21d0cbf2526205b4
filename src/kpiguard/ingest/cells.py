"""Where an import reads a file's cells from, as DuckDB sees them.

A text file is never copied into a table of text cells: ``Cells.sql`` reads it with
``read_csv`` where the stage is built (``stage.py``), so DuckDB reads, checks UTF-8 and parses
the values of a million rows in one parallel pass. A view ``src`` over the same read (with
``_row``, the row in the file) serves formats that look at a few values first
(``ImportContext.sample``). An XLSX sheet is already in memory: its cells become a table.

Each relation has the mapped columns as VARCHAR named by ``Column.key`` (an empty cell is NULL)
and ``_extra``, how many cells a row has past the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kpiguard.errors import Finding, InputError
from kpiguard.ingest.reader import MAX_LINE_BYTES, SheetSource, Source, TextSource, find_long_line
from kpiguard.ingest.registry import HeaderMatch
from kpiguard.ingest.sqlmacros import sql_literal

EXTRA_CELLS = 4  # spare columns that count the cells a row has past the header
NO_CELL = "'\x01kpiguard-no-cell\x01'"  # a nullstr no report cell holds


@dataclass(frozen=True)
class Cells:
    """The cells of one file: a SELECT to read them, and how a stage row finds its file row."""

    sql: str  # the mapped cells and _extra (and _row when ``carries_row``)
    serial_sql: str  # the same read single-threaded: DuckDB's parallel reader refuses some files
    first_row: int  # the file row of the first data row (the header is row first_row - 1 or above)
    width: int  # cells in the header row (text files)
    carries_row: bool  # ``sql`` has its own _row column (sheets); else rows keep the file's order
    path: Path | None  # the text file read, for messages about it


def open_cells(con: duckdb.DuckDBPyConnection, source: Source, match: HeaderMatch) -> Cells:
    """Describe how to read ``source``'s mapped cells, and create the view ``src`` over them."""
    if isinstance(source, TextSource):
        return _text_cells(con, source, match)
    return _sheet_cells(con, source, match)


def _text_cells(con: duckdb.DuckDBPyConnection, source: TextSource, match: HeaderMatch) -> Cells:
    width = max(len(source.head_rows[match.header_index]), max(match.positions.values()) + 1)
    first = match.header_index + 2
    picks = ", ".join(f"nullif(c{pos}, '') AS \"{key}\"" for key, pos in match.positions.items())
    extra = " + ".join(f"CAST(c{i} IS NOT NULL AS INTEGER)" for i in range(width, width + EXTRA_CELLS))
    cells = Cells(
        sql=f"SELECT {picks}, {extra} AS _extra FROM {_read_csv(source, match, width, parallel=True)}",
        serial_sql=f"SELECT {picks}, {extra} AS _extra FROM {_read_csv(source, match, width, parallel=False)}",
        first_row=first, width=width, carries_row=False, path=source.path,
    )
    # WITH ORDINALITY numbers the rows in the file's order (a single-threaded scan, which is
    # fine for the few values formats sample; the stage takes its row numbers from rowid)
    con.execute(f"CREATE OR REPLACE VIEW src AS SELECT CAST(ordinality + {first - 1} AS BIGINT) AS _row, {picks} "
                f"FROM {_read_csv(source, match, width, parallel=False)} WITH ORDINALITY")
    return cells


def _read_csv(source: TextSource, match: HeaderMatch, width: int, parallel: bool) -> str:
    """``read_csv`` of every cell as VARCHAR plus EXTRA_CELLS spare columns.

    DuckDB drops trailing empty cells past the declared columns and reads both missing and empty
    cells as NULL; a ``nullstr`` no cell holds tells "no cell" (NULL) from "empty cell" ('').
    """
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width + EXTRA_CELLS)) + "}"
    return (f"read_csv({sql_literal(str(source.path))}, delim={sql_literal(source.delimiter)}, "
            f"header=false, skip={match.header_index + 1}, columns={columns}, quote='\"', escape='\"', "
            f"null_padding=true, auto_detect=false, nullstr={NO_CELL}, max_line_size={MAX_LINE_BYTES}, "
            f"strict_mode=true, parallel={str(parallel).lower()})")


def _sheet_cells(con: duckdb.DuckDBPyConnection, source: SheetSource, match: HeaderMatch) -> Cells:
    import pyarrow as pa  # only XLSX files need it; a text import does not pay for loading it

    start = match.header_index + 1
    data = source.rows[start:]
    arrays: dict[str, list[object]] = {"_row": [start + 1 + i for i in range(len(data))]}
    for key, pos in match.positions.items():
        arrays[key] = [row[pos] if pos < len(row) else None for row in data]
    table = pa.table({k: pa.array(v, type=pa.int64() if k == "_row" else pa.string()) for k, v in arrays.items()})
    con.register("src_arrow", table)
    con.execute("CREATE OR REPLACE TABLE src AS SELECT * FROM src_arrow ORDER BY _row")
    con.unregister("src_arrow")
    sql = "SELECT *, 0 AS _extra FROM src"
    return Cells(sql=sql, serial_sql=sql, first_row=start + 1, width=0, carries_row=True, path=None)


class ReadError(InputError):
    """DuckDB could not read the file as a table (a line, a quote, an encoding it refused)."""


def read_error(exc: duckdb.Error, file_name: str, cells: Cells) -> ReadError:
    """The user's words for a file DuckDB could not read as a table."""
    return ReadError(f"{file_name}: the file cannot be read as a table", [_csv_finding(exc, file_name, cells.path)])


def _csv_finding(exc: duckdb.Error, file_name: str, path: Path | None) -> Finding:
    text = str(exc)
    line = re.search(r"[Ll]ine:?\s*(\d+)", text)
    row = int(line.group(1)) if line else None
    long_line = find_long_line(path, MAX_LINE_BYTES) if path else None
    if long_line is not None:
        return Finding("file.line_too_long", f"row {long_line} is longer than {MAX_LINE_BYTES // (1024 * 1024)} MB",
                       file=file_name, row=long_line,
                       hint="this is not a normal report row; remove the line or export the report again")
    if "expected" in text.lower() and "column" in text.lower() or "too many columns" in text.lower():
        return Finding("file.row_width", "a row has more cells than the header",
                       file=file_name, row=row,
                       hint="check for an unquoted separator in a text cell, or export the report again")
    if "quote" in text.lower() or "unterminated" in text.lower():
        return Finding("file.truncated", "a quoted cell is never closed (the file may be cut off)",
                       file=file_name, row=row, hint="download the report again; the file looks truncated")
    first = text.splitlines()[0] if text else "unreadable"
    return Finding("file.unreadable", f"the table cannot be read: {first}", file=file_name, row=row,
                   hint="export the report again as CSV/TSV or XLSX")
