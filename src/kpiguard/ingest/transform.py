"""Run one format over one file inside DuckDB: the stage, then canonical rows in Parquet.

Nothing here touches the workspace; ``load.py`` decides what to keep. Two paths, one result:

- fast: the stage (``stage.py``) found no suspect cell and no refused row; each output table is
  written by one ``COPY`` whose SELECT computes the canonical columns from the stage while DuckDB
  writes Parquet. The rules every canonical row obeys (``checks.out_rules``) ride along as a guard
  that aborts the COPY if any row breaks one;
- detailed: something is wrong somewhere. The stage is rebuilt with every source cell's text, the
  canonical rows are materialised (``out_<table>``) and every rule runs as its own query to name
  each bad cell. Without ``--skip-bad-rows`` the findings refuse the file; with it the bad rows
  are left out and the rest written.

A clean file takes the fast path and never pays for the detailed one; a bad file gets the same
findings it always got.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kpiguard.canonical import TABLES, TableSpec
from kpiguard.errors import Finding, InputError
from kpiguard.ingest import checks, parts, stage, zones
from kpiguard.ingest.cells import Cells
from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.sqlmacros import MACROS, sql_literal

MAX_FINDINGS = checks.MAX_FINDINGS
_LOCAL = threading.local()  # each thread's in-memory database (see new_connection)
_SCHEMAS = itertools.count(1)
RECHECK = "kpiguard: a canonical row breaks a rule"  # the fast path's guard; never shown to a user
FAST_PATH = True  # False sends every file down the detailed path (tests compare the two)


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
    parts: list[parts.Part] = field(default_factory=list)
    path: str = "fast"  # fast | detailed: which path wrote the rows (for the benchmark)


def new_connection(salt: str, temp_dir: Path) -> duckdb.DuckDBPyConnection:
    """A connection for one import, in a schema of its own (its tables and views, and the macros
    it redefines, go there and are dropped by ``close_connection``).

    The in-memory database under it, with every macro, is made once per thread and reused: making
    one costs ~90 ms, a lot for the small files a demo imports by the hundred. ``temp_dir``: where
    DuckDB spills when the import outgrows its memory (the import's staging folder)."""
    db = getattr(_LOCAL, "db", None)
    try:
        if db is None:
            raise duckdb.Error("no database yet")
        db.execute(f"SET temp_directory = {sql_literal(str(temp_dir))}")
    except duckdb.Error:  # none yet, or it spilled somewhere it cannot now leave
        db = _LOCAL.db = _new_database()
        db.execute(f"SET temp_directory = {sql_literal(str(temp_dir))}")
    con = db.cursor()
    schema = f"kg_import_{next(_SCHEMAS)}"
    con.execute(f"CREATE SCHEMA {schema}")
    con.execute(f"SET search_path = '{schema},main'")  # unqualified names: this import's first
    con.execute("SET enable_progress_bar = false")  # it would print into the CLI's output (and --json)
    con.execute(f"SET VARIABLE kg_salt = {sql_literal(salt)}")
    return con


def close_connection(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what the import made and close its connection."""
    try:
        schema = con.execute("SELECT current_schema()").fetchone()
        if schema and str(schema[0]).startswith("kg_import_"):
            con.execute("SET search_path = 'main'")
            con.execute(f"DROP SCHEMA {schema[0]} CASCADE")
    finally:
        con.close()


def _new_database() -> duckdb.DuckDBPyConnection:
    db = duckdb.connect()
    db.execute("SET TimeZone = 'UTC'")
    db.execute("SET preserve_insertion_order = true")  # stage_t's rowid is the row's place in the file
    db.execute(f"SET memory_limit = '{_memory_limit_mb()}MB'")
    # parts are written and read back under paths a later import may reuse (a rolled-back import's
    # number is taken again): never serve a file from a cache of an earlier one
    db.execute("SET enable_external_file_cache = false")
    db.execute(";\n".join(MACROS))
    return db


def _memory_limit_mb() -> int:
    """What an import may hold in memory before DuckDB spills to the staging folder: 2 GB, or half
    the RAM of a smaller machine. A 1,000,000-line file runs as fast as with DuckDB's default
    (80% of RAM, 4.3 GB for that file), and a bigger one no longer crowds out everything else."""
    ram_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    return max(256, min(2048, ram_mb // 2))


def out_table(table: str) -> str:
    return f"out_{table}"


def run(con: duckdb.DuckDBPyConnection, fmt: ReportFormat, ctx: ImportContext, cells: Cells,
        staged: stage.Staged, lineage: dict[str, str], skip_bad_rows: bool, staging: Path,
        store_id: str | None, import_id: int) -> TransformResult:
    """Write every output table's parts under ``staging``; refuse the file if a row is bad (unless
    ``skip_bad_rows``). ``staged``: what ``stage.build`` found."""
    zone = ctx.store.timezone if ctx.store else "UTC"
    zones.define_local_date(con, zone, [f"p_{n}" for n, p in staged.parsed.items()
                                        if p.kind == "ts" and p.source in ctx.present])
    if staged.clean and FAST_PATH:
        try:
            return _fast(con, fmt, ctx, staged, lineage, staging, store_id, import_id)
        except duckdb.Error as exc:
            if RECHECK not in str(exc):
                raise
            shutil.rmtree(staging / "lake", ignore_errors=True)
    if not staged.detailed:
        staged = stage.build(con, fmt, ctx, cells, detailed=True)
    return _detailed(con, fmt, ctx, staged, lineage, skip_bad_rows, staging, store_id, import_id)


def _fast(con: duckdb.DuckDBPyConnection, fmt: ReportFormat, ctx: ImportContext, staged: stage.Staged,
          lineage: dict[str, str], staging: Path, store_id: str | None, import_id: int) -> TransformResult:
    outputs = fmt.outputs(ctx)
    result = TransformResult(rows_out=0, skipped=staged.skipped, rejected=Counter(), findings=[], bad_rows=0,
                             table_rows=dict.fromkeys(outputs, 0))
    for table, (select, where) in outputs.items():
        spec = TABLES[table]
        guard = " OR ".join(f"({rule.where})" for rule in checks.out_rules(spec)) or "false"
        # in a column, not a WHERE: a filter may be evaluated before the format's own WHERE
        checked = f"CASE WHEN {guard} THEN error({sql_literal(RECHECK)}) ELSE raw_row END AS raw_row"
        select, relation = _hash_once(select, fmt.stage_from(ctx), ctx)
        rows = f"SELECT {_canonical(fmt, spec, ctx, lineage, select)} FROM {relation} WHERE {where or 'true'}"
        result.parts += parts.write(con, f"SELECT * REPLACE ({checked}) FROM ({rows})", spec,
                                    parts.folder(staging, table, store_id), import_id)
    _summarise_parts(con, fmt, result)
    return result


def _detailed(con: duckdb.DuckDBPyConnection, fmt: ReportFormat, ctx: ImportContext, staged: stage.Staged,
              lineage: dict[str, str], skip_bad_rows: bool, staging: Path, store_id: str | None,
              import_id: int) -> TransformResult:
    problems = checks.stage_findings(con, fmt, ctx, staged.parsed)
    outputs = fmt.outputs(ctx)
    for table, (select, where) in outputs.items():
        spec = TABLES[table]
        con.execute(f"CREATE OR REPLACE TABLE {out_table(table)} AS SELECT _row AS _src_row, "
                    f"{_canonical(fmt, spec, ctx, lineage, select)} FROM {fmt.stage_from(ctx)} WHERE {where or 'true'}")
        problems += checks.out_findings(con, spec, ctx, out_table(table), select, staged.parsed)
    problems = checks.dedupe(problems)
    bad_rows = sorted({f.row for f in problems if f.row is not None})
    if problems and not skip_bad_rows:
        raise InputError(f"{ctx.file_name}: {len(bad_rows)} row(s) cannot be imported; nothing from this file "
                         "was stored", problems[:MAX_FINDINGS])
    rejected: Counter[str] = Counter(f.message for f in problems)
    result = TransformResult(rows_out=0, skipped=staged.skipped, rejected=rejected, findings=problems[:MAX_FINDINGS],
                             bad_rows=len(bad_rows), table_rows=dict.fromkeys(outputs, 0), path="detailed")
    for table in outputs:
        if bad_rows:
            con.execute(f"DELETE FROM {out_table(table)} WHERE _src_row IN (SELECT unnest(?))", [bad_rows])
        spec = TABLES[table]
        result.parts += parts.write(
            con, f"SELECT * EXCLUDE (_src_row) FROM {out_table(table)}",
            spec, parts.folder(staging, table, store_id), import_id)
    _summarise_parts(con, fmt, result)
    return result


def _hash_once(select: dict[str, str], relation: str, ctx: ImportContext) -> tuple[dict[str, str], str]:
    """Hash each distinct value of a hashed source column once, not once per row.

    ``kg_hash`` is a salted SHA-256, about a microsecond a value; a million rows hold a few
    thousand postcodes. For ``kg_hash(<column>)`` over the plain stage, the values are hashed in
    a ``SELECT DISTINCT`` and joined back (a missing or blank cell finds NULL, as kg_hash gives)."""
    if relation != "stage":
        return select, relation
    joins: list[str] = []
    out = dict(select)
    for key in sorted(ctx.stage_columns):
        pattern = re.compile(rf"kg_hash\(\s*\"?{re.escape(key)}\"?\s*\)")
        if not any(pattern.search(expr) for expr in out.values()):
            continue
        out = {name: pattern.sub(f"_kgh_{key}", expr) for name, expr in out.items()}
        joins.append(f"LEFT JOIN (SELECT _kgk_{key}, kg_hash(_kgk_{key}) AS _kgh_{key} FROM "
                     f"(SELECT DISTINCT \"{key}\" AS _kgk_{key} FROM stage)) ON _kgk_{key} = stage.\"{key}\"")
    return out, " ".join(["stage", *joins])


def _canonical(fmt: ReportFormat, spec: TableSpec, ctx: ImportContext, lineage: dict[str, str],
               select: dict[str, str]) -> str:
    """The table's columns, in its order and types, from the format's select and the lineage."""
    unknown = set(select) - set(spec.column_names())
    if unknown:
        raise ValueError(f"{fmt.key} selects columns {unknown} that {spec.name} does not have")
    exprs = []
    for name, sql_type in spec.all_columns:
        expr = lineage.get(name) or select.get(name) or "NULL"
        if name == "source_updated_utc":
            expr = select.get(name) or fmt.source_updated(ctx)
        exprs.append(f"CAST({expr} AS {sql_type}) AS \"{name}\"")
    return ", ".join(exprs)


def _summarise_parts(con: duckdb.DuckDBPyConnection, fmt: ReportFormat, result: TransformResult) -> None:
    """Rows per table, and the main table's date range and currencies, from the written parts."""
    for part in result.parts:
        result.table_rows[part.table] = result.table_rows.get(part.table, 0) + part.rows
    main = TABLES[fmt.table]
    result.rows_out = result.table_rows.get(main.name, 0)
    files = [str(p.path) for p in result.parts if p.table == main.name]
    if not files:
        return
    relation = f"read_parquet({sql_literal_list(files)})"
    if main.partition_date:
        result.date_from, result.date_to = con.execute(
            f'SELECT min("{main.partition_date}"), max("{main.partition_date}") FROM {relation}').fetchone()  # type: ignore[misc]
    if "currency" in main.column_names():
        result.currencies = [r[0] for r in con.execute(
            f"SELECT DISTINCT currency FROM {relation} WHERE currency IS NOT NULL ORDER BY 1").fetchall()]


def sql_literal_list(items: list[str]) -> str:
    return "[" + ", ".join(sql_literal(i) for i in items) + "]"
