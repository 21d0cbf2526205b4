"""The base class every report format extends, and the context an import hands it.

A format says which columns it reads (``columns``), how they parse (``parsed``), which rows are
not data (``skips``), which rows are wrong (``checks``) and how the stage maps to its canonical
table (``select``). SQL in ``select`` sees the stage: source columns by ``Column.key`` (VARCHAR),
parsed values as ``p_<name>``, and ``_row``. Helpers: ``ctx.tz`` (store zone, SQL literal),
``ctx.currency`` (store currency, SQL literal), ``ctx.first_row`` (the file row of the first row
under the header), ``ctx.filled(key)`` (no data row has that cell empty), and the macros
``kg_local_date(ts, tz)``, ``kg_hash(text)``, ``kg_trim(text)`` (``trim`` that skips the copy when
there is nothing to trim).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, ClassVar

from kpiguard.ingest.spec import Column, Parsed, RowCheck, Skip
from kpiguard.ingest.sqlmacros import sql_literal

if TYPE_CHECKING:
    import duckdb


@dataclass(frozen=True)
class StoreInfo:
    store_id: str
    platform: str
    marketplace: str
    currency: str
    timezone: str
    decimal_style: str = "point"
    day_first: bool = True


@dataclass
class ImportContext:
    """What a format may know about the import in progress."""

    store: StoreInfo | None
    file_name: str
    present: frozenset[str]  # Column keys found in the header
    headers: dict[str, str]  # Column key -> header text as written in the file
    locale: str
    period_from: date | None = None
    period_to: date | None = None
    snapshot_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    con: duckdb.DuckDBPyConnection | None = None  # for formats that look at values first
    first_row: int = 2  # the file row of the first row under the header
    stage_columns: frozenset[str] = frozenset()  # source columns whose text the stage holds, once built

    @property
    def tz(self) -> str:
        return sql_literal(self.store.timezone if self.store else "UTC")

    @property
    def currency(self) -> str:
        return sql_literal(self.store.currency if self.store else "USD")

    def has(self, key: str) -> bool:
        return key in self.present

    def col(self, key: str, default: str = "NULL") -> str:
        """The source column if the file has it, else a SQL default (for optional columns)."""
        return key if key in self.present else default

    def filled(self, key: str) -> bool:
        """Whether every data row has a value in source column ``key``.

        Known once the stage is built; before that (and when the stage does not hold the column)
        the answer is False, so a format falls back to the SQL that handles empty cells."""
        if self.con is None or key not in self.stage_columns:
            return False
        row = self.con.execute(f'SELECT NOT EXISTS (SELECT 1 FROM stage WHERE kg_blank("{key}"))').fetchone()
        return bool(row and row[0])

    def sample(self, key: str, limit: int = 2000) -> list[str]:
        """Non-empty values of a source column, for formats that must detect a convention."""
        if self.con is None or key not in self.present:
            return []
        rows = self.con.execute(
            f'SELECT "{key}" FROM src WHERE NOT kg_blank("{key}") LIMIT {limit}'
        ).fetchall()
        return [r[0] for r in rows]


class ReportFormat:
    """One report layout (all its versions and locales). Subclasses fill in the class attributes."""

    key: ClassVar[str]
    title: ClassVar[str]
    title_zh: ClassVar[str]
    table: ClassVar[str]
    platforms: ClassVar[tuple[str, ...]] = ()  # stores it may be imported into; () = any platform
    columns: ClassVar[tuple[Column, ...]]
    needs_store: ClassVar[bool] = True
    needs_period: ClassVar[bool] = False  # the file covers a range but has no date column
    default_decimal_style: ClassVar[str | None] = None  # "point" for API flat files, else store's
    description: ClassVar[str] = ""

    def version(self, ctx: ImportContext) -> str:
        """A name for the header variant found (shown to the user, stored with the import)."""
        return "current"

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        return {}

    def skips(self, ctx: ImportContext) -> list[Skip]:
        return []

    def checks(self, ctx: ImportContext) -> list[RowCheck]:
        return []

    def select(self, ctx: ImportContext) -> dict[str, str]:
        raise NotImplementedError(f"{type(self).__name__} must map its columns to {self.table}")

    def outputs(self, ctx: ImportContext) -> dict[str, tuple[dict[str, str], str | None]]:
        """Each target table with its select and an optional row filter (SQL over the stage).

        The default is ``select`` into ``table``; override to also feed other tables, e.g.
        ``{**super().outputs(ctx), "refunds": (self.refund_select(ctx), "p_refund > 0")}``.
        """
        return {self.table: (self.select(ctx), None)}

    def source_updated(self, ctx: ImportContext) -> str:
        """SQL for ``source_updated_utc``: when the platform last changed this row."""
        return f"TIMESTAMPTZ '{ctx.snapshot_at.isoformat()}'"

    def stage_from(self, ctx: ImportContext) -> str:
        """The relation ``select`` reads; override to reshape (unpivot, fill forward) first."""
        return "stage"

    def required_keys(self) -> set[str]:
        return {c.key for c in self.columns if c.required}
