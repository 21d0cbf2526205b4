"""SQL macros that parse report values inside DuckDB, and the SQL each ``Parsed`` compiles to.

Parsing in SQL keeps a million-row import at DuckDB speed; the rules are spelled out here once:

- numbers: ``$1,234.56`` and ``1.234,56 €`` and ``￥12,345`` and ``JPY 1,234`` and ``(5.00)``.
  With both separators present, the last one is the decimal separator. With only a comma, it is
  a thousands separator when the store writes decimal points and the groups are of three after a
  first group that is not 0 (``1,234`` on amazon.com), else the decimal separator (``1141,18`` in a
  DE settlement file, ``0,005``).
  Anything but digits, separators, signs and a currency symbol or code makes the cell an error:
  ``1O0`` (a letter O) is not silently read as 10.
- integers: ``1,234`` and ``1.234`` (either thousands style) -> 1234; ``1.5`` is an error, and so
  is ``0.005`` (a leading group of thousands is never 0).
- money is converted to minor units of the row's currency and refused if finer than that unit.

Speed: a macro's argument is pasted wherever the body names it, so ``kg_minor(kg_num(x))``
would parse ``x`` a dozen times per row and give DuckDB's planner a tree of thousands of nodes.
Macros that use a value more than once bind it once with a scalar subquery,
``(SELECT ... v ... FROM (SELECT d AS v))``, which DuckDB turns into one projection. Plain
numbers (``39.90``) take a fast path: a cast to DECIMAL(18,6), many times cheaper than (38,6).

Fast paths (``compile_parsed``): most cells of a big export are already in the one spelling a
cast reads (``39.90``, ``2``, ``2026-03-04T17:22:09+00:00``, ``true``). Each parser first tries
that cast and keeps its result only when the cell is exactly the text the cast would print back
(``CAST(TRY_CAST(x AS DECIMAL(18,2)) AS VARCHAR) = x``), i.e. when the full rules below could not
read the cell any other way; every other cell goes through the full rules. So the fast path
changes no result, only the time: a million-line file parses three to five times faster.
"""

from __future__ import annotations

from kpiguard.ingest.spec import Parsed
from kpiguard.money import CURRENCY_EXPONENTS

FULLWIDTH = "０１２３４５６７８９．，－＋（）"
ASCII = "0123456789.,-+()"
# Removed before parsing a number: currency symbols, spaces (NBSP, narrow NBSP), apostrophes.
SYMBOLS = "$€£¥￥₹₱฿₫₩ \u00a0\u202f'"

# Offsets of the zone abbreviations reports print after a time, in minutes east of UTC.
ZONE_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0, "PST": -480, "PDT": -420, "MST": -420, "MDT": -360, "CST": -360,
    "CDT": -300, "EST": -300, "EDT": -240, "BST": 60, "CET": 60, "CEST": 120, "JST": 540,
    "IST": 330, "AEST": 600, "AEDT": 660, "SGT": 480,
}


def _exponent_case() -> str:
    special = {c: e for c, e in CURRENCY_EXPONENTS.items() if e != 2}
    arms = " ".join(f"WHEN '{c}' THEN {e}" for c, e in sorted(special.items()))
    return f"CASE cur {arms} ELSE 2 END"


def _abbr_case() -> str:
    arms = " ".join(f"WHEN '{a}' THEN {m}" for a, m in ZONE_ABBREVIATIONS.items())
    return f"CASE upper(a) {arms} ELSE NULL END"


MACROS = [
    f"CREATE OR REPLACE MACRO kg_txt(x) AS translate(trim(x), '{FULLWIDTH}', '{ASCII}')",
    # strip a leading or trailing ISO code or local prefix, then symbols and spaces
    r"""CREATE OR REPLACE MACRO kg_numtxt(x) AS translate(
          regexp_replace(kg_txt(x), '^(US\$|R\$|S\$|RM|Rp|[A-Z]{3})\s*|\s*[A-Z]{3}$', '', 'g'),
          '""" + SYMBOLS.replace("'", "''") + """', '')""",
    r"""CREATE OR REPLACE MACRO kg_norm(d, style) AS (SELECT CASE
          WHEN v LIKE '%,%' AND v LIKE '%.%' THEN
            CASE WHEN strpos(reverse(v), ',') < strpos(reverse(v), '.')
                 THEN replace(replace(v, '.', ''), ',', '.') ELSE replace(v, ',', '') END
          WHEN v LIKE '%,%' THEN
            CASE WHEN style <> 'comma' AND regexp_full_match(v, '[1-9]\d{0,2}(,\d{3})+') THEN replace(v, ',', '')
                 WHEN length(v) - length(replace(v, ',', '')) = 1 THEN replace(v, ',', '.')
                 ELSE NULL END
          WHEN v LIKE '%.%' AND style = 'comma' AND regexp_full_match(v, '[1-9]\d{0,2}(\.\d{3})+')
            THEN replace(v, '.', '')
          ELSE v END FROM (SELECT d AS v))""",
    r"""CREATE OR REPLACE MACRO kg_num_slow(x, style) AS (SELECT CASE
          WHEN NOT regexp_full_match(t, '[-+]?\(?[-+]?[0-9.,]*[0-9][0-9.,]*\)?-?') THEN NULL
          ELSE (CASE WHEN regexp_matches(t, '^\(|^-|-$') THEN -1 ELSE 1 END)
               * TRY_CAST(kg_norm(regexp_replace(t, '[()+\-]', '', 'g'), style) AS DECIMAL(38,6))
          END FROM (SELECT kg_numtxt(x) AS t))""",
    # "39.90" casts straight to DECIMAL(18,6); wider plain numbers to (38,6); the rest is parsed
    """CREATE OR REPLACE MACRO kg_num(x, style) AS CASE
          WHEN x IS NULL OR trim(x) = '' THEN NULL
          WHEN style <> 'comma' AND TRY_CAST(x AS DECIMAL(18,6)) IS NOT NULL THEN TRY_CAST(x AS DECIMAL(18,6))
          WHEN style <> 'comma' AND TRY_CAST(x AS DECIMAL(38,6)) IS NOT NULL THEN TRY_CAST(x AS DECIMAL(38,6))
          ELSE kg_num_slow(x, style) END""",
    # a number too large for BIGINT is not a count: NULL, reported as unparseable
    "CREATE OR REPLACE MACRO kg_whole(n) AS (SELECT CASE WHEN v = floor(v) THEN TRY_CAST(v AS BIGINT) END "
    "FROM (SELECT n AS v))",
    r"""CREATE OR REPLACE MACRO kg_int(x) AS CASE
          WHEN x IS NULL OR trim(x) = '' THEN NULL
          WHEN regexp_full_match(trim(x), '[-+]?[0-9]+') THEN TRY_CAST(trim(x) AS BIGINT)
          WHEN regexp_full_match(kg_numtxt(x), '-?[1-9]\d{0,2}([.,]\d{3})+')
            THEN TRY_CAST(regexp_replace(kg_numtxt(x), '[.,]', '', 'g') AS BIGINT)
          ELSE kg_whole(kg_num_slow(x, 'point')) END""",
    # a fraction as DECIMAL: "12.5%" -> 0.125 (dividing a DECIMAL by 100 would give a DOUBLE)
    """CREATE OR REPLACE MACRO kg_pct(x, style) AS CAST(CASE
          WHEN x IS NULL OR trim(x) = '' THEN NULL
          WHEN contains(x, '%') THEN kg_num(replace(x, '%', ''), style) * 0.01
          ELSE kg_num(x, style) END AS DECIMAL(38,6))""",
    f"CREATE OR REPLACE MACRO kg_exp(cur) AS {_exponent_case()}",
    # fast paths: a cell in the exact text a cast prints back (see the module docstring). No
    # subquery binds a value here: DuckDB plans a correlated subquery as a join over every row
    "CREATE OR REPLACE MACRO kg_int_fast(x) AS "
    "CASE WHEN CAST(TRY_CAST(x AS BIGINT) AS VARCHAR) = x THEN TRY_CAST(x AS BIGINT) END",
    # money in minor units when the cell is written with exactly the currency's decimals; up to
    # 16 characters, so that the product stays inside DECIMAL(18) (longer cells take the full rules)
    "CREATE OR REPLACE MACRO kg_money0(x) AS CASE WHEN CAST(TRY_CAST(x AS BIGINT) AS VARCHAR) = x "
    "AND length(x) <= 15 THEN TRY_CAST(x AS BIGINT) END",
    "CREATE OR REPLACE MACRO kg_money2(x) AS CASE WHEN CAST(TRY_CAST(x AS DECIMAL(18,2)) AS VARCHAR) = x "
    "AND length(x) <= 16 THEN CAST(TRY_CAST(x AS DECIMAL(18,2)) * 100 AS BIGINT) END",
    "CREATE OR REPLACE MACRO kg_money3(x) AS CASE WHEN CAST(TRY_CAST(x AS DECIMAL(18,3)) AS VARCHAR) = x "
    "AND length(x) <= 16 THEN CAST(TRY_CAST(x AS DECIMAL(18,3)) * 1000 AS BIGINT) END",
    "CREATE OR REPLACE MACRO kg_money_fast(x, e) AS CASE e WHEN 2 THEN kg_money2(x) WHEN 0 THEN kg_money0(x) "
    "WHEN 3 THEN kg_money3(x) ELSE NULL END",
    # refused (NULL) when finer than the currency's minor unit or too large for BIGINT minor units
    """CREATE OR REPLACE MACRO kg_minor(d, cur) AS (SELECT CASE
          WHEN s IS NULL OR s <> floor(s) THEN NULL ELSE TRY_CAST(s AS BIGINT) END
          FROM (SELECT CASE WHEN abs(d) < 1e15 THEN d * pow(10, kg_exp(cur))::DECIMAL(38,0) END AS s))""",
    f"CREATE OR REPLACE MACRO kg_abbr_minutes(a) AS {_abbr_case()}",
    """CREATE OR REPLACE MACRO kg_bool(x) AS CASE
          WHEN lower(trim(x)) IN ('true', 'yes', 'y', '1', '是', 'ja', 'oui', 'はい') THEN true
          WHEN lower(trim(x)) IN ('false', 'no', 'n', '0', '否', 'nein', 'non', 'いいえ') THEN false
          ELSE NULL END""",
    # trim(x), skipping the copy when both ends are printable ASCII (nothing to trim)
    "CREATE OR REPLACE MACRO kg_trim(x) AS CASE WHEN x >= '!' AND x <= '~' AND x[-1] > ' ' AND x[-1] <= '~' "
    "THEN x ELSE trim(x) END",
    "CREATE OR REPLACE MACRO kg_hash(x) AS CASE WHEN x IS NULL OR trim(x) = '' THEN NULL "
    "ELSE sha256(getvariable('kg_salt') || lower(trim(x))) END",
    "CREATE OR REPLACE MACRO kg_local_date(t, tz) AS CAST(timezone(tz, t) AS DATE)",
    # a cell starting with a printable ASCII character is not blank: one byte comparison settles
    # nearly every cell before anything is trimmed
    "CREATE OR REPLACE MACRO kg_blank(x) AS CASE WHEN x >= '!' AND x <= '~' THEN false "
    "ELSE (x IS NULL OR trim(x) = '') END",
]


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def sql_list(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(sql_literal(i) for i in items) + "]"


# Kinds whose full rules bind values with scalar subqueries (kg_num_slow, kg_norm, kg_minor):
# DuckDB plans each as a join over every row it sees, so they run only over the cells the fast
# path could not read (see ``stage.py``).
JOINED_KINDS = frozenset({"money", "decimal", "int", "pct"})


def compile_parsed(p: Parsed, col: str, store_tz: str, store_style: str, currency_sql: str,
                   exponent_sql: str | None = None) -> str:
    """The SQL expression that turns source column ``col`` into the parsed value (the fast path
    where there is one, else the full rules)."""
    full = compile_full(p, col, store_tz, store_style, currency_sql)
    fast = compile_fast(p, col, store_style, exponent_sql or f"kg_exp({currency_sql})")
    if fast is None:
        return full
    return f"CASE WHEN {col} IS NULL THEN NULL ELSE coalesce({fast}, {full}) END"


def compile_full(p: Parsed, col: str, store_tz: str, store_style: str, currency_sql: str) -> str:
    """The full rules: every spelling the module docstring lists."""
    return _compile_full(p, col, store_tz, store_style, currency_sql)


def _compile_full(p: Parsed, col: str, store_tz: str, store_style: str, currency_sql: str) -> str:
    """The full rules: every spelling the module docstring lists."""
    style = sql_literal(store_style if p.decimal_style == "store" else p.decimal_style)
    tz = p.tz or sql_literal(store_tz)
    if p.kind == "money":
        return f"kg_minor(kg_num({col}, {style}), {currency_sql})"
    if p.kind == "decimal":
        return f"kg_num({col}, {style})"
    if p.kind == "int":
        return f"kg_int({col})"
    if p.kind == "pct":
        return f"kg_pct({col}, {style})"
    if p.kind == "bool":
        return f"kg_bool({col})"
    if p.kind == "date":
        return f"CAST(TRY_STRPTIME(trim({col}), {sql_list(p.formats)}) AS DATE)"
    if p.kind == "ts":
        return _compile_ts(p.formats, col, tz)
    raise ValueError(f"unknown parser kind {p.kind}")


def compile_fast(p: Parsed, col: str, store_style: str, exponent_sql: str) -> str | None:
    """A cheap expression that reads the most common spelling of a cell, else NULL (None: the
    kind has no fast path).

    Whatever it reads, the full rules read the same way (see the module docstring); NULL sends the
    cell to the full rules."""
    style = store_style if p.decimal_style == "store" else p.decimal_style
    if p.kind == "money":
        if style == "comma":  # "39,90": the same digits with a point, when there is no point
            return f"CASE WHEN NOT contains({col}, '.') THEN kg_money_fast(replace({col}, ',', '.'), {exponent_sql}) END"
        return f"kg_money_fast({col}, {exponent_sql})"
    if p.kind == "int":
        return f"kg_int_fast({col})"
    if p.kind == "bool":
        return f"CASE {col} WHEN 'true' THEN true WHEN 'false' THEN false END"
    if p.kind == "ts" and p.formats[:1] == ("iso",):
        # "2026-03-04T17:22:09+00:00": an offset at the end is what the iso arm reads first
        return f"CASE WHEN {col}[-3] = ':' AND {col}[-6] IN ('+', '-') THEN TRY_CAST({col} AS TIMESTAMPTZ) END"
    if p.kind == "date" and p.formats[:1] == ("%Y-%m-%d",):
        return (f"CASE WHEN length({col}) = 10 AND {col}[5] = '-' AND {col}[8] = '-' "
                f"AND {col}[1] BETWEEN '0' AND '9' THEN TRY_CAST({col} AS DATE) END")
    return None


def _compile_ts(formats: tuple[str, ...], col: str, tz: str) -> str:
    arms: list[str] = []
    for fmt in formats:
        if fmt == "iso":
            arms.append(
                f"CASE WHEN regexp_matches(trim({col}), '(Z|[+-]\\d\\d:?\\d\\d)$') "
                f"THEN TRY_CAST(trim({col}) AS TIMESTAMPTZ) "
                f"ELSE timezone({tz}, TRY_CAST(trim({col}) AS TIMESTAMP)) END"
            )
        elif fmt.startswith("abbr:"):
            # "Mar 5, 2026 2:10:44 AM PST": the zone is an abbreviation strptime cannot read
            pattern = fmt.removeprefix("abbr:")
            body = f"regexp_replace(trim({col}), '\\s+[A-Za-z]{{1,5}}$', '')"
            abbr = f"regexp_extract(trim({col}), '([A-Za-z]{{1,5}})$', 1)"
            arms.append(
                f"timezone('UTC', TRY_STRPTIME({body}, {sql_literal(pattern)}) "
                f"- to_minutes(CAST(kg_abbr_minutes({abbr}) AS BIGINT)))"
            )
        elif "%z" in fmt or "%Z" in fmt:
            arms.append(f"TRY_STRPTIME(trim({col}), {sql_literal(fmt)})")
        else:
            arms.append(f"timezone({tz}, TRY_STRPTIME(trim({col}), {sql_literal(fmt)}))")
    return arms[0] if len(arms) == 1 else "COALESCE(" + ", ".join(arms) + ")"
