"""Run one format over one source inside DuckDB: source -> stage -> canonical rows + findings.

Nothing here touches the workspace; ``load.py`` decides what to keep. The stages:

    src    the file's rows as text, columns named by Column.key, plus _row (row in the file)
    stage  src minus skipped rows (blank, description, summary, footer), plus parsed p_<name>
    out_<table>  each output table's canonical columns plus lineage (a format may feed several
           tables, e.g. an order export with refund columns feeds order_lines and refunds)
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from kpiguard.canonical import TABLES, TableSpec
from kpiguard.errors import Finding, InputError
from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.reader import MAX_LINE_BYTES, SheetSource, Source, TextSource, find_long_line
from kpiguard.ingest.registry import HeaderMatch
from kpiguard.ingest.spec import Parsed
from kpiguard.ingest.sqlmacros import MACROS, compile_parsed, sql_literal
from kpiguard.money import CURRENCY_EXPONENTS

MAX_FINDINGS = 50
EXTRA_CELLS = 4  # spare columns that count the cells a row has past the header
NO_CELL = "'\x01kpiguard-no-cell\x01'"  # a nullstr no report cell holds
INJECTION = r"^\s*(=|@)|^\s*[+-].*[A-Za-z][A-Za-z0-9_.]*\s*[(|!]"
SAMPLE_MOMENT = datetime(2026, 3, 4, 17, 22, 9, tzinfo=UTC)  # shown in hints as a well-formed cell
# The SQL type each parser produces; an absent optional column is a typed NULL of it.
PARSED_TYPES = {"money": "BIGINT", "int": "BIGINT", "decimal": "DECIMAL(38,6)", "pct": "DECIMAL(38,6)",
                "bool": "BOOLEAN", "date": "DATE", "ts": "TIMESTAMPTZ"}


@dataclass
class TransformResult:
    rows_out: int
    skipped: Counter[str]
    rejected: Counter[str]
    findings: list[Finding]
    bad_rows: int
    date_from: object = None
    date_to: object = None
    currencies: list[str] = field(default_factory=list)
    table_rows: dict[str, int] = field(default_factory=dict)


def new_connection(salt: str, temp_dir: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = true")  # src's rowid is the row's place in the file
    con.execute("SET enable_progress_bar = false")  # it would print into the CLI's output (and --json)
    con.execute(f"SET temp_directory = {sql_literal(str(temp_dir))}")
    con.execute(f"SET memory_limit = '{_memory_limit_mb()}MB'")
    con.execute(f"SET VARIABLE kg_salt = {sql_literal(salt)}")
    for macro in MACROS:
        con.execute(macro)
    return con


def _memory_limit_mb() -> int:
    """What an import may hold in memory before DuckDB spills to the staging folder: 2 GB, or half
    the RAM of a smaller machine. A 1,000,000-line file runs as fast as with DuckDB's default
    (80% of RAM, 4.3 GB for that file), and a bigger one no longer crowds out everything else."""
    ram_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    return max(256, min(2048, ram_mb // 2))


def load_source(con: duckdb.DuckDBPyConnection, source: Source, match: HeaderMatch, file_name: str) -> None:
    """Create ``src``: mapped columns as VARCHAR named by key, plus ``_row`` (the row in the file)."""
    if isinstance(source, TextSource):
        _load_text(con, source, match, file_name)
    else:
        _load_sheet(con, source, match)


def _load_text(con: duckdb.DuckDBPyConnection, source: TextSource, match: HeaderMatch, file_name: str) -> None:
    width = max(len(source.head_rows[match.header_index]), max(match.positions.values()) + 1)
    try:
        try:
            con.execute(_read_sql(source, match, width, parallel=True))
        except duckdb.Error as exc:
            if "parallel" not in str(exc).lower():
                raise
            # DuckDB's parallel reader refuses quoted newlines (a Shopify note over two lines)
            # together with null_padding; the single-threaded one reads them
            con.execute(_read_sql(source, match, width, parallel=False))
    except duckdb.Error as exc:
        raise InputError(f"{file_name}: the file cannot be read as a table",
                         [_csv_finding(exc, file_name, source.path)]) from exc
    _check_row_width(con, width, match.header_index + 2, file_name)
    # rowid is the row's place in the file (DuckDB keeps a CSV's order); a row_number() window
    # here would take as long as reading the file
    con.execute(f"CREATE VIEW src AS SELECT CAST(rowid + {match.header_index + 2} AS BIGINT) AS _row, "
                "* EXCLUDE (_extra) FROM src_cells")


def _read_sql(source: TextSource, match: HeaderMatch, width: int, parallel: bool) -> str:
    """``src_cells`` from the file: mapped cells (empty -> NULL) and how many cells a row has past
    the header (``_extra``), read into EXTRA_CELLS spare columns.

    DuckDB drops trailing empty cells past the declared columns and reads both missing and empty
    cells as NULL; a ``nullstr`` no cell holds tells "no cell" (NULL) from "empty cell" ('').
    """
    slots = width + EXTRA_CELLS
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(slots)) + "}"
    picks = ", ".join(f"nullif(c{pos}, '') AS \"{key}\"" for key, pos in match.positions.items())
    extra = " + ".join(f"CAST(c{i} IS NOT NULL AS INTEGER)" for i in range(width, slots))
    return f"""
        CREATE OR REPLACE TABLE src_cells AS
        SELECT {picks}, {extra} AS _extra
        FROM read_csv({sql_literal(str(source.path))}, delim={sql_literal(source.delimiter)},
                      header=false, skip={match.header_index + 1}, columns={columns},
                      quote='"', escape='"', null_padding=true, auto_detect=false, nullstr={NO_CELL},
                      max_line_size={MAX_LINE_BYTES}, strict_mode=true, parallel={str(parallel).lower()})
    """


def _check_row_width(con: duckdb.DuckDBPyConnection, width: int, first_row: int, file_name: str) -> None:
    """Refuse rows with more cells than most rows: a separator inside an unquoted text cell shifts
    every later cell of the row. A trailing TAB on every row (Amazon flat files) is no error."""
    usual = con.execute("SELECT mode(_extra) FROM src_cells").fetchone()[0] or 0  # type: ignore[index]
    rows = con.execute(f"SELECT rowid + {first_row}, _extra FROM src_cells WHERE _extra > {usual} "
                       f"ORDER BY rowid LIMIT {MAX_FINDINGS}").fetchall()
    if rows:
        raise InputError(f"{file_name}: {len(rows)} row(s) have more cells than the header", [Finding(
            "file.row_width", f"the row has {width + extra} cells but the header has {width}",
            file=file_name, row=int(row),
            hint="a text cell probably holds an unquoted separator (TAB, comma or semicolon); "
            "export the report again, or quote that cell") for row, extra in rows])


def _csv_finding(exc: duckdb.Error, file_name: str, path: Path) -> Finding:
    text = str(exc)
    line = re.search(r"[Ll]ine:?\s*(\d+)", text)
    row = int(line.group(1)) if line else None
    long_line = find_long_line(path, MAX_LINE_BYTES)
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


def _load_sheet(con: duckdb.DuckDBPyConnection, source: SheetSource, match: HeaderMatch) -> None:
    start = match.header_index + 1
    data = source.rows[start:]
    arrays: dict[str, list[object]] = {"_row": [start + 1 + i for i in range(len(data))]}
    for key, pos in match.positions.items():
        arrays[key] = [row[pos] if pos < len(row) else None for row in data]
    table = pa.table({k: pa.array(v, type=pa.int64() if k == "_row" else pa.string()) for k, v in arrays.items()})
    con.register("src_arrow", table)
    con.execute("CREATE TABLE src AS SELECT * FROM src_arrow ORDER BY _row")
    con.unregister("src_arrow")


def out_table(table: str) -> str:
    return f"out_{table}"


def run(
    con: duckdb.DuckDBPyConnection,
    fmt: ReportFormat,
    ctx: ImportContext,
    lineage: dict[str, str],
    skip_bad_rows: bool,
) -> TransformResult:
    """Build one ``out_<table>`` per output of the format; return counts and findings."""
    parsed = fmt.parsed(ctx)
    _build_stage(con, fmt, ctx, parsed)
    skipped = Counter({r: n for r, n in con.execute(
        "SELECT _skip, count(*) FROM stage_all WHERE _skip IS NOT NULL GROUP BY ALL").fetchall()})
    problems = _stage_findings(con, fmt, ctx, parsed)
    outputs = fmt.outputs(ctx)
    for table, (select, where) in outputs.items():
        spec = TABLES[table]
        _build_out(con, fmt, spec, ctx, lineage, select, where)
        problems += _out_findings(con, fmt, spec, ctx, select, parsed)
    problems = _dedupe(problems)
    bad_rows = sorted({f.row for f in problems if f.row is not None})
    rejected: Counter[str] = Counter()
    if problems and skip_bad_rows:
        for f in problems:
            rejected[f.message] += 1
        for table in outputs:
            con.execute(f"DELETE FROM {out_table(table)} WHERE _src_row IN (SELECT unnest(?))", [bad_rows])
    result = TransformResult(
        rows_out=0, skipped=skipped, rejected=rejected, findings=problems[:MAX_FINDINGS], bad_rows=len(bad_rows),
    )
    for table in outputs:
        n = int(con.execute(f"SELECT count(*) FROM {out_table(table)}").fetchone()[0])  # type: ignore[index]
        result.table_rows[table] = n
    main = TABLES[fmt.table]
    result.rows_out = result.table_rows.get(fmt.table, 0)
    if main.partition_date:
        lo, hi = con.execute(
            f'SELECT min("{main.partition_date}"), max("{main.partition_date}") FROM {out_table(main.name)}'
        ).fetchone()  # type: ignore[misc]
        result.date_from, result.date_to = lo, hi
    if "currency" in main.column_names():
        result.currencies = [r[0] for r in con.execute(
            f"SELECT DISTINCT currency FROM {out_table(main.name)} WHERE currency IS NOT NULL ORDER BY 1").fetchall()]
    return result


def _build_out(con: duckdb.DuckDBPyConnection, fmt: ReportFormat, spec: TableSpec, ctx: ImportContext,
               lineage: dict[str, str], select: dict[str, str], where: str | None) -> None:
    unknown = set(select) - set(spec.column_names())
    if unknown:
        raise ValueError(f"{fmt.key} selects columns {unknown} that {spec.name} does not have")
    exprs = []
    for name, sql_type in spec.all_columns:
        expr = lineage.get(name) or select.get(name) or "NULL"
        if name == "source_updated_utc":
            expr = select.get(name) or fmt.source_updated(ctx)
        exprs.append(f"CAST({expr} AS {sql_type}) AS \"{name}\"")
    con.execute(
        f"CREATE TABLE {out_table(spec.name)} AS SELECT _row AS _src_row, {', '.join(exprs)} "
        f"FROM {fmt.stage_from(ctx)} WHERE {where or 'true'}"
    )


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per (row, column): a cell that did not parse is not also 'missing'."""
    seen: set[tuple[object, object]] = set()
    out = []
    for f in sorted(findings, key=lambda f: (f.row or 0)):
        if (f.row, f.column) in seen:
            continue
        seen.add((f.row, f.column))
        out.append(f)
    return out


def _build_stage(con: duckdb.DuckDBPyConnection, fmt: ReportFormat, ctx: ImportContext, parsed: dict[str, Parsed]) -> None:
    mapped = sorted(ctx.present)
    all_blank = " AND ".join(f'kg_blank("{k}")' for k in mapped) or "false"
    arms = [f"WHEN {all_blank} THEN 'blank row'"]
    arms += [f"WHEN ({s.predicate}) THEN {sql_literal(s.reason)}" for s in fmt.skips(ctx)]
    skip_expr = "CASE " + " ".join(arms) + " ELSE NULL END"
    # a view: materialising it would copy every cell once more for a column read twice
    con.execute(f"CREATE VIEW stage_all AS SELECT *, {skip_expr} AS _skip FROM src")
    store_tz = ctx.store.timezone if ctx.store else "UTC"
    style = fmt.default_decimal_style or (ctx.store.decimal_style if ctx.store else "point")
    cols = []
    for name, p in parsed.items():
        if p.source not in ctx.present:
            cols.append(f"CAST(NULL AS {PARSED_TYPES[p.kind]}) AS p_{name}")  # typed, so coalesce() binds
            continue
        currency_sql = _currency_sql(fmt, ctx, name)
        cols.append(f"{compile_parsed(p, chr(34) + p.source + chr(34), store_tz, style, currency_sql)} AS p_{name}")
    extra = (", " + ", ".join(cols)) if cols else ""
    # no ORDER BY: whatever needs an order says so (windows over _row, findings, the Parquet parts),
    # and sorting every cell of a million rows costs more than the parsing
    con.execute(f"CREATE TABLE stage AS SELECT *{extra} FROM stage_all WHERE _skip IS NULL")


def _currency_sql(fmt: ReportFormat, ctx: ImportContext, parsed_name: str) -> str:
    """Money is converted to minor units of the row's currency column, else the store's."""
    chooser = getattr(fmt, "currency_sql", None)
    if chooser is not None:
        return str(chooser(ctx))
    return ctx.currency


def _stage_findings(con: duckdb.DuckDBPyConnection, fmt: ReportFormat, ctx: ImportContext, parsed: dict[str, Parsed]) -> list[Finding]:
    queries: list[str] = []
    for name, p in parsed.items():
        if p.source not in ctx.present:
            continue
        message = _parse_message(p, ctx)
        queries.append(
            f"SELECT _row, {sql_literal(p.source)} AS col, \"{p.source}\" AS val, {sql_literal(message)} AS msg, "
            f"'value.unparseable' AS code, {sql_literal(_parse_hint(p))} AS hint "
            f"FROM stage WHERE NOT kg_blank(\"{p.source}\") AND p_{name} IS NULL"
        )
    for check in fmt.checks(ctx):
        queries.append(
            f"SELECT _row, {sql_literal(check.column)} AS col, CAST(\"{check.column}\" AS VARCHAR) AS val, "
            f"{sql_literal(check.message)} AS msg, {sql_literal(check.code)} AS code, "
            f"{sql_literal(check.hint)} AS hint FROM stage WHERE {check.predicate}"
        )
    for key in sorted(ctx.present):
        queries.append(
            f"SELECT _row, {sql_literal(key)} AS col, \"{key}\" AS val, "
            "'the cell holds a spreadsheet formula' AS msg, 'value.formula' AS code, "
            "'remove the formula (cells starting with = + - @ run in Excel); kpiguard does not store them' AS hint "
            f"FROM stage WHERE left(ltrim(\"{key}\"), 1) IN ('=', '@', '+', '-') "
            f"AND regexp_matches(\"{key}\", {sql_literal(INJECTION)})"
        )
    return _collect(con, queries, ctx)


def _parse_message(p: Parsed, ctx: ImportContext) -> str:
    return {
        "money": "not an amount (or finer than the currency's smallest unit)",
        "decimal": "not a number",
        "int": "not a whole number",
        "pct": "not a percentage",
        "bool": "not true/false or yes/no",
        "date": "not a date in the expected format",
        "ts": "not a date and time in the expected format",
    }[p.kind]


def _parse_hint(p: Parsed) -> str:
    if p.kind in ("date", "ts"):
        shown = " or ".join(dict.fromkeys(_example(f, p.kind) for f in p.formats))
        return f"expected a value like {shown}; correct the cell or export the report again"
    return "correct the cell or export the report again; do not edit exports in Excel"


def _example(pattern: str, kind: str) -> str:
    """What a cell in ``pattern`` looks like, for hints: '%d.%m.%Y' -> '04.03.2026'."""
    moment = SAMPLE_MOMENT if kind == "ts" else SAMPLE_MOMENT.replace(hour=0, minute=0, second=0)
    if pattern == "iso":
        return moment.isoformat() if kind == "ts" else moment.date().isoformat()
    try:
        if pattern.startswith("abbr:"):
            return moment.strftime(pattern.removeprefix("abbr:")) + " PST"
        return moment.strftime(pattern)
    except ValueError:
        return pattern


def _collect(con: duckdb.DuckDBPyConnection, queries: list[str], ctx: ImportContext) -> list[Finding]:
    if not queries:
        return []
    sql = " UNION ALL ".join(f"({q})" for q in queries) + f" ORDER BY 1 LIMIT {MAX_FINDINGS * 20}"
    rows = con.execute(sql).fetchall()
    return [
        Finding(code, msg, file=ctx.file_name, row=int(row), column=ctx.headers.get(col, col), value=val, hint=hint)
        for row, col, val, msg, code, hint in rows
    ]


def _out_findings(con: duckdb.DuckDBPyConnection, fmt: ReportFormat, spec: TableSpec, ctx: ImportContext,
                  select: dict[str, str], parsed: dict[str, Parsed]) -> list[Finding]:
    names = spec.column_names()
    queries: list[str] = []

    def origin(column: str) -> str:
        expr = select.get(column, "")
        m = re.search(r"\bp_(\w+)", expr)
        if m and m.group(1) in parsed:
            return parsed[m.group(1)].source
        for key in sorted(ctx.present, key=len, reverse=True):
            if re.search(rf'(?<![\w]){re.escape(key)}(?![\w])', expr):
                return key
        return column

    def add(where: str, column: str, message: str, code: str, hint: str) -> None:
        source = origin(column)  # show the cell as the file has it, when it comes from one cell
        val = f'CAST(s."{source}" AS VARCHAR)' if source in ctx.present else "o._v"
        queries.append(
            f"SELECT o._src_row, {sql_literal(source)} AS col, coalesce({val}, o._v) AS val, "
            f"{sql_literal(message)} AS msg, {sql_literal(code)} AS code, {sql_literal(hint)} AS hint "
            f"FROM (SELECT _src_row, CAST(\"{column}\" AS VARCHAR) AS _v FROM {out_table(spec.name)} "
            f"WHERE {where}) o LEFT JOIN stage s ON s._row = o._src_row"
        )

    if "currency" in names:
        known = ", ".join(sql_literal(c) for c in CURRENCY_EXPONENTS)
        add(f"currency IS NULL OR currency NOT IN ({known})", "currency", "unknown currency code",
            "value.currency", "use an ISO 4217 code such as USD, EUR, JPY or CNY")
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    for name, sql_type in spec.columns:
        if sql_type == "TIMESTAMPTZ":
            add(f"\"{name}\" > TIMESTAMPTZ '{tomorrow}'", name, "the date is in the future", "value.future",
                "check the date; a report cannot contain events that have not happened yet")
        elif sql_type == "DATE" and name.endswith("_local"):
            add(f"\"{name}\" > DATE '{tomorrow[:10]}'", name, "the date is in the future", "value.future",
                "check the date; a report cannot contain events that have not happened yet")
    for name in ("quantity",):
        if name in names:
            add("quantity < 0", name, "the quantity is negative", "value.negative",
                "quantities in order and refund reports are positive; correct the cell")
    for name in _required_canonical(spec):
        add(f"\"{name}\" IS NULL", name, f"a required value ({name}) is missing", "value.missing",
            "fill the cell or export the report again")
    return _collect(con, queries, ctx)


def _required_canonical(spec: TableSpec) -> list[str]:
    keys = [k for k in spec.natural_key if k not in ("store_id", "source")]
    if spec.partition_date and spec.partition_date not in keys:
        keys.append(spec.partition_date)
    nullable_in_key = {"sku", "product_id", "campaign", "ad_group", "targeting", "match_type", "search_term"}
    return [k for k in keys if k not in nullable_in_key]
