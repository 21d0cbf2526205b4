"""How a report format is described: its columns (with every alias) and how they map to a table.

A format is data plus a little SQL, not a parser loop: the engine (``load.py``) reads the file with
DuckDB into a relation ``src`` whose columns are named by ``Column.key`` (all VARCHAR, plus
``_row``, the 1-based row number in the file), materialises each ``Parsed`` value next to its
source cell, reports every cell that did not parse (file, row, header text, value), and selects the
canonical columns. That keeps a million-line file at DuckDB speed and every error precise.

Value parsers available to ``Parsed.kind`` (SQL macros in ``sqlmacros.py``):
- ``money``: ``$1,234.56``, ``1.234,56 €``, ``￥12,345``, ``JPY 1,234``, ``(5.00)`` -> DECIMAL;
  converted to minor units of the row's currency by ``minor(...)`` in the select;
- ``int``: ``1,234`` -> BIGINT; ``pct``: ``12.5%`` or ``0.125`` -> fraction DECIMAL;
- ``decimal``: a plain number in either decimal style;
- ``ts``: a timestamp in one of ``formats`` (strptime patterns; ``iso`` for ISO 8601 with offset);
  without an offset in the text it is read in ``tz`` (a SQL expression, default the store's zone);
- ``date``: a date in one of ``formats``; ``bool``: true/false/yes/no/1/0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from kpiguard.ingest.headers import normalize_header

ParserKind = Literal["money", "int", "pct", "decimal", "ts", "date", "bool"]


@dataclass(frozen=True)
class Column:
    """A source column: its key in SQL, and every header text it is known by."""

    key: str
    names: tuple[str, ...]
    required: bool = True
    pattern: str | None = None  # a regex over the normalised header, e.g. r"total discount\(\w{3}\)"
    locales: dict[str, tuple[str, ...]] = field(default_factory=dict)  # {"de": (...), "ja": (...)}
    _aliases: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def aliases(self) -> dict[str, str]:
        """Normalised alias -> locale it belongs to (worked out once: detection asks often)."""
        if not self._aliases:
            out = {normalize_header(n): "en" for n in self.names}
            for locale, names in self.locales.items():
                out.update({normalize_header(n): locale for n in names})
            self._aliases.update(out)
        return self._aliases


@dataclass(frozen=True)
class Parsed:
    """A typed value parsed from one source column; unparseable non-empty cells are errors."""

    source: str  # Column.key
    kind: ParserKind
    formats: tuple[str, ...] = ()
    tz: str | None = None  # SQL expression giving the zone for naive timestamps
    decimal_style: Literal["point", "comma", "store"] = "store"


@dataclass(frozen=True)
class RowCheck:
    """A rule over the parsed stage: rows where ``predicate`` is true are errors."""

    code: str
    predicate: str
    column: str  # the source Column.key to name in the finding
    message: str
    hint: str


@dataclass(frozen=True)
class Skip:
    """Rows that are not data (description rows, summaries, footers): skipped, and counted."""

    predicate: str
    reason: str


def money(source: str, decimal_style: Literal["point", "comma", "store"] = "store") -> Parsed:
    return Parsed(source, "money", decimal_style=decimal_style)


def integer(source: str) -> Parsed:
    return Parsed(source, "int")


def pct(source: str) -> Parsed:
    return Parsed(source, "pct")


def ts(source: str, *formats: str, tz: str | None = None) -> Parsed:
    return Parsed(source, "ts", formats=formats or ("iso",), tz=tz)


def day(source: str, *formats: str) -> Parsed:
    return Parsed(source, "date", formats=formats or ("%Y-%m-%d",))


def boolean(source: str) -> Parsed:
    return Parsed(source, "bool")
