"""The stage: one pass over the file that reads the cells and parses every value.

``stage_t`` is built by a single ``CREATE TABLE ... AS SELECT`` straight from the cells
(``cells.py``), so DuckDB reads, parses and checks a million rows in parallel and keeps only what
the canonical select needs: the parsed values (``p_<name>``), the text of the source columns the
format's SQL names, and a few flags per row. Its rowid is the row's place in the file (DuckDB
keeps a CSV's order when it fills a table), which gives ``_row`` without a window over the file.

Values parse in two steps (``_Plan``): a fast path in that pass (``sqlmacros.compile_fast``), then
the full rules by an UPDATE of just the cells the fast path left NULL (``_unread`` keeps their
text). Flags: ``_blank`` (every mapped cell empty: skipped as a blank row), ``_formula`` (a text
cell holds a spreadsheet formula), ``_extra`` (cells past the header: a separator inside an
unquoted cell shifts a row). A data row is *suspect* when a cell did not parse or holds a formula;
then the import takes the detailed path (``transform.py``), which names every bad cell.

Views over it: ``stage_all`` (every row, with ``_row`` and ``_skip``, the reason a row is not
data, or NULL) and ``stage`` (the data rows), which formats' SQL reads.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import duckdb

from kpiguard.errors import Finding, InputError
from kpiguard.ingest.cells import Cells, read_error
from kpiguard.ingest.checks import MAX_FINDINGS
from kpiguard.ingest.checks import formula as formula_sql
from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.spec import Parsed
from kpiguard.ingest.sqlmacros import JOINED_KINDS, compile_fast, compile_full, sql_literal

CELLS = "\x00cells\x00"  # stands for the cells' SELECT in the stage's SQL
# The SQL type each parser produces; an absent optional column is a typed NULL of it.
PARSED_TYPES = {"money": "BIGINT", "int": "BIGINT", "decimal": "DECIMAL(38,6)", "pct": "DECIMAL(38,6)",
                "bool": "BOOLEAN", "date": "DATE", "ts": "TIMESTAMPTZ"}


@dataclass
class Staged:
    """What one pass over the stage found."""

    parsed: dict[str, Parsed]
    detailed: bool  # every source column's text is in the stage (the findings queries need it)
    rows: int = 0  # rows in the file after the header, skipped ones included
    skipped: Counter[str] = field(default_factory=Counter)
    suspect: int = 0  # data rows with a cell that may not parse or holds a formula
    refused: int = 0  # data rows a format's row check refuses

    @property
    def clean(self) -> bool:
        return self.suspect == 0 and self.refused == 0


def build(con: duckdb.DuckDBPyConnection, fmt: ReportFormat, ctx: ImportContext, cells: Cells,
          detailed: bool = False) -> Staged:
    """Create ``stage_t`` and its views; count skipped, suspect and refused rows.

    ``detailed`` keeps the text of every source column, for the queries that name bad cells."""
    parsed = fmt.parsed(ctx)
    plan = _Plan(fmt, ctx, parsed)
    keep = sorted(ctx.present) if detailed else _kept_columns(fmt, ctx, parsed)
    sql = plan.create_sql(keep, cells)
    try:
        try:
            con.execute(sql.replace(CELLS, cells.sql))
        except duckdb.InterruptException:
            raise
        except duckdb.Error as exc:
            if "parallel" not in str(exc).lower():
                raise
            # DuckDB's parallel reader refuses quoted newlines (a Shopify note over two lines)
            # together with null_padding; the single-threaded one reads them
            con.execute(sql.replace(CELLS, cells.serial_sql))
    except duckdb.InterruptException:
        raise
    except duckdb.Error as exc:
        raise read_error(exc, ctx.file_name, cells) from exc
    plan.parse_the_rest(con)
    row = f"CAST(rowid + {cells.first_row} AS BIGINT) AS _row, " if not cells.carries_row else ""
    con.execute(f"CREATE OR REPLACE VIEW stage_all AS SELECT {row}*, {_skip_sql(fmt, ctx)} AS _skip FROM stage_t")
    con.execute("CREATE OR REPLACE VIEW stage AS SELECT * FROM stage_all WHERE _skip IS NULL")
    ctx.stage_columns = frozenset(keep)
    staged = Staged(parsed, detailed)
    _summarise(con, fmt, ctx, cells, staged, plan.suspect_sql())
    return staged


def _kept_columns(fmt: ReportFormat, ctx: ImportContext, parsed: dict[str, Parsed]) -> list[str]:
    """The source columns whose text the format's SQL names (beyond the parsers)."""
    texts = [fmt.stage_from(ctx), fmt.source_updated(ctx)]
    texts += [c.predicate for c in fmt.checks(ctx)] + [s.predicate for s in fmt.skips(ctx)]
    texts += [p.tz for p in parsed.values() if p.tz]
    for select, where in fmt.outputs(ctx).values():
        texts += [*select.values(), where or ""]
    text = "\n".join(texts)
    return sorted(k for k in ctx.present if re.search(rf"(?<![\w]){re.escape(k)}(?![\w])", text))


class _Plan:
    """How each parsed value is computed: in the pass that reads the file where that is cheap,
    and for the cells that pass could not read, by an UPDATE of just those rows.

    ``_unread`` holds, for a row with a cell the first pass did not read, the text of each such
    cell (a list, one place per parsed value that has a source column; NULL elsewhere). It is NULL
    for nearly every row of a clean file, so it costs next to nothing to keep, and it is all the
    second pass and the suspect test need."""

    def __init__(self, fmt: ReportFormat, ctx: ImportContext, parsed: dict[str, Parsed]) -> None:
        self.fmt, self.ctx, self.parsed = fmt, ctx, parsed
        self.store_tz = ctx.store.timezone if ctx.store else "UTC"
        self.style = fmt.default_decimal_style or (ctx.store.decimal_style if ctx.store else "point")
        self.parsed_sources = {p.source for p in parsed.values()}
        self.left: list[str] = []  # parsed values with cells the first pass did not read
        self.currencies: dict[str, int] = {}
        self.first: dict[str, str] = {}  # name -> SQL computed while reading
        self.later: dict[str, str] = {}  # name -> full rules for the cells still NULL, over its _unread place
        self.places = {n: i + 1 for i, n in enumerate(n for n, p in parsed.items() if p.source in ctx.present)}
        for name, p in parsed.items():
            if p.source not in ctx.present:
                continue
            n = self.currencies.setdefault(_currency_sql(fmt, ctx), len(self.currencies))
            col = f'"{p.source}"'
            fast = compile_fast(p, col, self.style, f"_kg_exp{n}")
            full = compile_full(p, col, self.store_tz, self.style, f"_kg_cur{n}")
            if fast is None and p.kind not in JOINED_KINDS:
                self.first[name] = full
                continue
            if fast is not None:
                self.first[name] = fast
            self.later[name] = compile_full(p, self.unread(name), self.store_tz, self.style, f"_kg_cur{n}")

    def create_sql(self, keep: list[str], cells: Cells) -> str:
        """The CREATE TABLE for ``stage_t``, with ``CELLS`` where the cells' SELECT goes.

        Levels: the cells; each currency expression and its exponent, once per row (six money
        columns share them); the parsed values; the flags, the kept text and ``_unread``."""
        values = []
        for name, p in self.parsed.items():
            expr = self.first.get(name, "NULL")
            values.append(f"CAST({expr} AS {PARSED_TYPES[p.kind]}) AS p_{name}")
        present = sorted(self.ctx.present)
        blank = " AND ".join(f'kg_blank("{k}")' for k in present) or "false"
        # parsed cells are checked for formulas in suspect_sql: a cell the fast path read is a
        # number or a date, never a formula
        texts = [k for k in present if k not in self.parsed_sources]
        formula = " OR ".join(formula_sql(k) for k in texts) or "false"
        curs = "".join(f", {sql} AS _kg_cur{n}" for sql, n in self.currencies.items())
        exps = "".join(f", kg_exp(_kg_cur{n}) AS _kg_exp{n}" for n in self.currencies.values())
        inner = (f"SELECT *, {', '.join(values) + ', ' if values else ''}"
                 f"CASE WHEN {blank} THEN true ELSE false END AS _blank, "
                 f"CASE WHEN {formula} THEN true ELSE false END AS _formula "
                 f"FROM (SELECT *{exps} FROM (SELECT *{curs} FROM ({CELLS})))")
        cols = ["_row"] if cells.carries_row else []
        cols += ["_blank", "_formula", "_extra", *(f'"{k}"' for k in keep), *(f"p_{n}" for n in self.parsed)]
        if self.places:
            sources = {n: f'"{self.parsed[n].source}"' for n in self.places}
            unread = " OR ".join(f"(p_{n} IS NULL AND {c} IS NOT NULL)" for n, c in sources.items())
            unread_cells = ", ".join(f"CASE WHEN p_{n} IS NULL THEN {c} END" for n, c in sources.items())
            cols.append(f"CASE WHEN {unread} THEN [{unread_cells}] END AS _unread")
        if self.later:
            cols += [f"_kg_cur{n}" for n in self.currencies.values()]
        return f"CREATE OR REPLACE TABLE stage_t AS SELECT {', '.join(cols)} FROM ({inner})"

    def parse_the_rest(self, con: duckdb.DuckDBPyConnection) -> None:
        """The full rules for the cells the first pass left NULL (only the columns that have any)."""
        names = list(self.places)
        if not names:
            return
        counts = con.execute("SELECT " + ", ".join(f"count({self.unread(n)})" for n in names)
                             + " FROM stage_t WHERE _unread IS NOT NULL").fetchone()
        self.left = [n for n, count in zip(names, counts or (), strict=True) if count]
        for name in self.left:
            if name in self.later:
                kind = PARSED_TYPES[self.parsed[name].kind]
                con.execute(f"UPDATE stage_t SET p_{name} = CAST({self.later[name]} AS {kind}) "
                            f"WHERE {self.unread(name)} IS NOT NULL")

    def unread(self, name: str) -> str:
        """SQL for the text of ``name``'s cell when the first pass did not read it, else NULL."""
        return f"_unread[{self.places[name]}]"

    def suspect_sql(self) -> str:
        """True for a row with a cell that does not parse or holds a formula (only the parsed
        columns with a cell the fast path did not read can have either)."""
        arms = ["_formula"]
        for name in self.left:
            arms.append(f"(p_{name} IS NULL AND NOT kg_blank({self.unread(name)}))")
            arms.append(formula_sql(name, self.unread(name)))
        return " OR ".join(arms)


def _currency_sql(fmt: ReportFormat, ctx: ImportContext) -> str:
    """Money is converted to minor units of the row's currency column, else the store's."""
    chooser = getattr(fmt, "currency_sql", None)
    if chooser is not None:
        return str(chooser(ctx))
    return ctx.currency


def _skip_sql(fmt: ReportFormat, ctx: ImportContext) -> str:
    arms = ["WHEN _blank THEN 'blank row'"]
    arms += [f"WHEN ({s.predicate}) THEN {sql_literal(s.reason)}" for s in fmt.skips(ctx)]
    return "CASE " + " ".join(arms) + " ELSE NULL END"


def _summarise(con: duckdb.DuckDBPyConnection, fmt: ReportFormat, ctx: ImportContext, cells: Cells,
               staged: Staged, suspect: str) -> None:
    """One pass over the flags: skipped rows by reason, suspect data rows, row widths; then the
    format's row checks over the data rows."""
    widths: Counter[int] = Counter()
    refused = " OR ".join(f"({c.predicate})" for c in fmt.checks(ctx)) or "false"
    for skip, extra, n, bad, wrong in con.execute(
            f"SELECT _skip, _extra, count(*), count(*) FILTER (WHERE {suspect}), count(*) FILTER (WHERE {refused}) "
            "FROM stage_all GROUP BY ALL").fetchall():
        widths[int(extra)] += int(n)
        staged.rows += int(n)
        if skip is not None:
            staged.skipped[skip] += int(n)
        else:
            staged.suspect += int(bad)
            staged.refused += int(wrong)
    _check_row_width(con, widths, cells, ctx.file_name)


def _check_row_width(con: duckdb.DuckDBPyConnection, widths: Counter[int], cells: Cells, file_name: str) -> None:
    """Refuse rows with more cells than most rows: a separator inside an unquoted text cell shifts
    every later cell of the row. A trailing TAB on every row (Amazon flat files) is no error."""
    if not widths:
        return
    usual = max(widths.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    if not any(extra > usual for extra in widths):
        return
    rows = con.execute(f"SELECT _row, _extra FROM stage_all WHERE _extra > {usual} "
                       f"ORDER BY _row LIMIT {MAX_FINDINGS}").fetchall()
    raise InputError(f"{file_name}: {len(rows)} row(s) have more cells than the header", [Finding(
        "file.row_width", f"the row has {cells.width + extra} cells but the header has {cells.width}",
        file=file_name, row=int(row),
        hint="a text cell probably holds an unquoted separator (TAB, comma or semicolon); "
        "export the report again, or quote that cell") for row, extra in rows])
