"""What makes a row wrong, said once and used twice.

Each rule is a SQL predicate with the words a finding needs (code, message, hint, the column to
name). ``stage.py`` ORs the predicates into one cheap test per row, so a clean file is checked in
the same pass that reads or writes it; only when that test trips are the rules run one by one
(``stage_findings``, ``out_findings``) to name every bad cell with its file, row, column, value
and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb

from kpiguard.canonical import TableSpec
from kpiguard.errors import Finding
from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.spec import Parsed
from kpiguard.ingest.sqlmacros import sql_literal
from kpiguard.money import CURRENCY_EXPONENTS

MAX_FINDINGS = 50
INJECTION = r"^\s*(=|@)|^\s*[+-].*[A-Za-z][A-Za-z0-9_.]*\s*[(|!]"
SAMPLE_MOMENT = datetime(2026, 3, 4, 17, 22, 9, tzinfo=UTC)  # shown in hints as a well-formed cell
FORMULA_MESSAGE = "the cell holds a spreadsheet formula"
FORMULA_HINT = "remove the formula (cells starting with = + - @ run in Excel); kpiguard does not store them"


@dataclass(frozen=True)
class OutRule:
    """A predicate over one canonical table's column values; true = the row is wrong."""

    where: str
    column: str  # the canonical column the finding is about
    message: str
    code: str
    hint: str


def formula(key: str, expr: str | None = None) -> str:
    """True when the cell would run as a formula in Excel (``=HYPERLINK(...)``, ``+cmd|...``).

    The first comparison is a byte-prefix test DuckDB answers without touching the string: cells
    starting with a digit or a letter (nearly all) skip the regular expression. ``expr``: SQL for
    the cell when it is not the column ``key``."""
    col = expr or f'"{key}"'
    return (f"(({col} < '0' OR ({col} >= '=' AND {col} < 'A')) AND left(ltrim({col}), 1) IN ('=', '@', '+', '-') "
            f"AND regexp_matches({col}, {sql_literal(INJECTION)}))")


def out_rules(spec: TableSpec) -> list[OutRule]:
    """Rules every canonical table obeys: known currency, no future dates, no negative
    quantities, the natural key and the partition date present."""
    names = spec.column_names()
    rules: list[OutRule] = []
    if "currency" in names:
        known = ", ".join(sql_literal(c) for c in CURRENCY_EXPONENTS)
        rules.append(OutRule(f"currency IS NULL OR currency NOT IN ({known})", "currency", "unknown currency code",
                             "value.currency", "use an ISO 4217 code such as USD, EUR, JPY or CNY"))
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    future_hint = "check the date; a report cannot contain events that have not happened yet"
    for name, sql_type in spec.columns:
        if sql_type == "TIMESTAMPTZ":
            rules.append(OutRule(f"\"{name}\" > TIMESTAMPTZ '{tomorrow}'", name, "the date is in the future",
                                 "value.future", future_hint))
        elif sql_type == "DATE" and name.endswith("_local"):
            rules.append(OutRule(f"\"{name}\" > DATE '{tomorrow[:10]}'", name, "the date is in the future",
                                 "value.future", future_hint))
    if "quantity" in names:
        rules.append(OutRule("quantity < 0", "quantity", "the quantity is negative", "value.negative",
                             "quantities in order and refund reports are positive; correct the cell"))
    for name in required_canonical(spec):
        rules.append(OutRule(f"\"{name}\" IS NULL", name, f"a required value ({name}) is missing", "value.missing",
                             "fill the cell or export the report again"))
    return rules


def required_canonical(spec: TableSpec) -> list[str]:
    keys = [k for k in spec.natural_key if k not in ("store_id", "source")]
    if spec.partition_date and spec.partition_date not in keys:
        keys.append(spec.partition_date)
    nullable_in_key = {"sku", "product_id", "campaign", "ad_group", "targeting", "match_type", "search_term"}
    return [k for k in keys if k not in nullable_in_key]


def stage_findings(con: duckdb.DuckDBPyConnection, fmt: ReportFormat, ctx: ImportContext,
                   parsed: dict[str, Parsed]) -> list[Finding]:
    """Cells that did not parse, rows a format's checks refuse, and formula cells, in ``stage``."""
    queries: list[str] = []
    for name, p in parsed.items():
        if p.source not in ctx.present:
            continue
        queries.append(
            f"SELECT _row, {sql_literal(p.source)} AS col, \"{p.source}\" AS val, "
            f"{sql_literal(parse_message(p))} AS msg, "
            f"'value.unparseable' AS code, {sql_literal(parse_hint(p))} AS hint "
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
            f"SELECT _row, {sql_literal(key)} AS col, \"{key}\" AS val, {sql_literal(FORMULA_MESSAGE)} AS msg, "
            f"'value.formula' AS code, {sql_literal(FORMULA_HINT)} AS hint FROM stage WHERE {formula(key)}"
        )
    return _collect(con, queries, ctx)


def out_findings(con: duckdb.DuckDBPyConnection, spec: TableSpec, ctx: ImportContext, relation: str,
                 select: dict[str, str], parsed: dict[str, Parsed]) -> list[Finding]:
    """Canonical rows of ``relation`` (with ``_src_row``) that break ``out_rules``, each shown
    with the cell it came from when it comes from one cell."""
    queries: list[str] = []
    for rule in out_rules(spec):
        source = _origin(rule.column, select, parsed, ctx)
        val = f'CAST(s."{source}" AS VARCHAR)' if source in ctx.present else "o._v"
        queries.append(
            f"SELECT o._src_row, {sql_literal(source)} AS col, coalesce({val}, o._v) AS val, "
            f"{sql_literal(rule.message)} AS msg, {sql_literal(rule.code)} AS code, {sql_literal(rule.hint)} AS hint "
            f"FROM (SELECT _src_row, CAST(\"{rule.column}\" AS VARCHAR) AS _v FROM {relation} "
            f"WHERE {rule.where}) o LEFT JOIN stage s ON s._row = o._src_row"
        )
    return _collect(con, queries, ctx)


def _origin(column: str, select: dict[str, str], parsed: dict[str, Parsed], ctx: ImportContext) -> str:
    """The source column a canonical value comes from (to show the cell as the file has it)."""
    expr = select.get(column, "")
    m = re.search(r"\bp_(\w+)", expr)
    if m and m.group(1) in parsed:
        return parsed[m.group(1)].source
    for key in sorted(ctx.present, key=len, reverse=True):
        if re.search(rf'(?<![\w]){re.escape(key)}(?![\w])', expr):
            return key
    return column


def parse_message(p: Parsed) -> str:
    return {
        "money": "not an amount (or finer than the currency's smallest unit)",
        "decimal": "not a number",
        "int": "not a whole number",
        "pct": "not a percentage",
        "bool": "not true/false or yes/no",
        "date": "not a date in the expected format",
        "ts": "not a date and time in the expected format",
    }[p.kind]


def parse_hint(p: Parsed) -> str:
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


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per (row, column): a cell that did not parse is not also 'missing'."""
    seen: set[tuple[object, object]] = set()
    out = []
    for f in sorted(findings, key=lambda f: (f.row or 0)):
        if (f.row, f.column) in seen:
            continue
        seen.add((f.row, f.column))
        out.append(f)
    return out
