"""A column-mapping YAML turned into a report format, for files no built-in format knows.

``kpiguard import FILE --store ID --mapping mapping.yaml``. The YAML names the target canonical
table, each canonical column's source header and parser, optional constants, the decimal style
and the time zone of times written without an offset (docs/mapping.md has a full example)::

    name: my-erp-orders            # rows are stored with source "mapping:my-erp-orders"
    table: order_lines
    decimal_style: point           # point "1,234.56" | comma "1.234,56"; default: the store's
    timezone: Asia/Shanghai        # default: the store's
    columns:
      order_id: 订单编号             # a header: text, or the parser the column's type implies
      purchased_at_utc: {header: 下单时间, parser: ts, formats: ["%Y-%m-%d %H:%M:%S"]}
      quantity: {header: [数量, Qty], parser: int}
      order_status: {header: 状态, values: {已发货: shipped, 已取消: cancelled}}
      item_price_minor: {header: 金额, parser: money}
    constants: {order_status: shipped}
    skip_blank: [order_id]         # rows with that cell blank are skipped (totals, footers)

The YAML is validated with Pydantic plus rules of our own; every problem becomes a finding that
names the YAML key (``columns.quantity.parser``), all reported at once. The format built from it
is not registered: it is handed to the import engine for this one file. Its version string
carries the YAML's SHA-256, so the ledger records exactly which mapping read the file.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, ClassVar, Literal, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kpiguard.canonical import TABLES
from kpiguard.errors import Finding, InputError
from kpiguard.ingest.checks import required_canonical
from kpiguard.ingest.format import ImportContext, ReportFormat
from kpiguard.ingest.headers import normalize_header
from kpiguard.ingest.registry import HEADER_SCAN_ROWS, HeaderMatch, match_row
from kpiguard.ingest.spec import Column, Parsed, ParserKind, Skip
from kpiguard.ingest.sqlmacros import sql_literal

ParserName = Literal["text", "money", "int", "decimal", "pct", "date", "ts", "bool"]
# The canonical DATE column each table can derive from its timestamp, when not mapped itself.
LOCAL_FROM_UTC = {
    "order_date_local": "purchased_at_utc", "refund_date_local": "refunded_at_utc",
    "posted_date_local": "posted_at_utc", "snapshot_date_local": "snapshot_at_utc",
    "event_date_local": "occurred_at_utc",
}
DEFAULT_FORMATS = {"date": ("%Y-%m-%d",), "ts": ("iso",)}


class ColumnMap(BaseModel):
    """Where one canonical column comes from."""

    model_config = ConfigDict(extra="forbid")
    header: str | list[str] = Field(min_length=1)
    parser: ParserName | None = None
    formats: list[str] = Field(default_factory=list)
    values: dict[str, str] = Field(default_factory=dict)  # text only: {已发货: shipped}
    required: bool = True

    def names(self) -> tuple[str, ...]:
        return (self.header,) if isinstance(self.header, str) else tuple(self.header)


class MappingSpec(BaseModel):
    """The mapping YAML, as Pydantic reads it (structure only; ``problems`` checks meaning)."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")
    table: str
    decimal_style: Literal["point", "comma"] | None = None
    timezone: str | None = None
    columns: dict[str, str | ColumnMap] = Field(min_length=1)
    constants: dict[str, str | int | bool | date] = Field(default_factory=dict)
    skip_blank: list[str] = Field(default_factory=list)

    def column(self, key: str) -> ColumnMap:
        value = self.columns[key]
        return ColumnMap(header=value) if isinstance(value, str) else value


def default_parser(column: str, sql_type: str) -> ParserName:
    """The parser a canonical column's type implies: ``*_minor`` money, DATE date ..."""
    if column.endswith("_minor"):
        return "money"
    base = sql_type.split("(")[0]
    return {"BIGINT": "int", "INTEGER": "int", "DECIMAL": "decimal", "TIMESTAMPTZ": "ts", "DATE": "date",
            "BOOLEAN": "bool"}.get(base, "text")  # type: ignore[return-value]


def allowed_parsers(column: str, sql_type: str) -> set[str]:
    implied = default_parser(column, sql_type)
    extra = {"decimal": {"pct"}, "date": {"ts"}}.get(implied, set())  # a DATE may come from a timestamp
    return {implied} | extra


def problems(spec: MappingSpec) -> list[tuple[str, str]]:
    """Meaning checks Pydantic cannot do: (YAML key, message), every problem at once."""
    if spec.table not in TABLES:
        return [("table", f"unknown table {spec.table!r}; one of {', '.join(sorted(TABLES))}")]
    types = dict(TABLES[spec.table].columns)
    out: list[tuple[str, str]] = []
    for key in spec.columns:
        if key not in types:
            out.append((f"columns.{key}", _not_a_column(key, spec.table)))
            continue
        col = spec.column(key)
        parser = col.parser or default_parser(key, types[key])
        if parser not in allowed_parsers(key, types[key]):
            out.append((f"columns.{key}.parser", f"{key} is {types[key]}: use parser "
                        f"{' or '.join(sorted(allowed_parsers(key, types[key])))}, not {parser}"))
        if col.formats and parser not in ("date", "ts"):
            out.append((f"columns.{key}.formats", "formats apply to the date and ts parsers only"))
        if col.values and parser != "text":
            out.append((f"columns.{key}.values", "values (a translation table) apply to text columns only"))
    for key, value in spec.constants.items():
        if key not in types:
            out.append((f"constants.{key}", _not_a_column(key, spec.table)))
        elif key in spec.columns:
            out.append((f"constants.{key}", f"{key} is mapped under columns too; keep one"))
        elif not _castable(value, types[key]):
            out.append((f"constants.{key}", f"{value!r} is not a {types[key]} value"))
    out += [("skip_blank", f"{k} is not under columns") for k in spec.skip_blank if k not in spec.columns]
    if spec.timezone and not _valid_zone(spec.timezone):
        out.append(("timezone", f"unknown time zone {spec.timezone!r}; use an IANA name such as Asia/Shanghai"))
    return out + _coverage(spec)


def _not_a_column(key: str, table: str) -> str:
    names = ", ".join(n for n, _ in TABLES[table].columns)
    return f"{table} has no column {key!r}; its columns: {names}"


def _castable(value: object, sql_type: str) -> bool:
    base = sql_type.split("(")[0]
    if base in ("BIGINT", "INTEGER"):
        return isinstance(value, int) and not isinstance(value, bool)
    if base == "BOOLEAN":
        return isinstance(value, bool)
    if base == "DATE":
        return isinstance(value, date) or bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)))
    if base == "DECIMAL":
        try:
            Decimal(str(value))
        except InvalidOperation:
            return False
    if base == "TIMESTAMPTZ":
        try:
            return datetime.fromisoformat(str(value)).tzinfo is not None  # "2026-03-01T00:00:00+08:00"
        except ValueError:
            return False
    return not isinstance(value, bool) or base == "VARCHAR"


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _coverage(spec: MappingSpec) -> list[tuple[str, str]]:
    """Each column that identifies a row must be mapped, given, or derivable."""
    given = set(spec.columns) | set(spec.constants)
    out = []
    for key in required_canonical(TABLES[spec.table]):
        derivable = (LOCAL_FROM_UTC.get(key) in given or key in ("line_id", "line_key", "rate_table"))
        if key not in given and not derivable:
            source = LOCAL_FROM_UTC.get(key)
            also = f" (or map {source})" if source else ""
            out.append((f"columns.{key}", f"{key} identifies a {spec.table} row: map it{also} or give it under constants"))
    return out


def load_spec(path: Path) -> tuple[MappingSpec, str]:
    """Read and validate the YAML; raise one InputError listing every problem."""
    raw = path.read_bytes() if path.is_file() else None
    if raw is None:
        raise InputError(f"{path.name}: no such mapping file", [Finding(
            "mapping.missing", f"the mapping file {path} does not exist", file=path.name, column="--mapping")])
    try:
        data: Any = yaml.safe_load(raw.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"{path.name}: not valid YAML", [Finding(
            "mapping.yaml", f"the mapping is not valid YAML: {getattr(exc, 'problem', None) or exc}",
            file=path.name, row=mark.line + 1 if mark else None,
            hint="check the indentation and quote headers that contain ':' or '#'")]) from exc
    try:
        spec = MappingSpec.model_validate(data if isinstance(data, dict) else {"": data})
    except ValidationError as exc:
        raise _invalid(path, [(".".join(str(p) for p in e["loc"]) or "(top level)", e["msg"])
                              for e in exc.errors()]) from exc
    found = problems(spec)
    if found:
        raise _invalid(path, found)
    return spec, hashlib.sha256(raw).hexdigest()


def _invalid(path: Path, found: list[tuple[str, str]]) -> InputError:
    return InputError(f"{path.name}: the column mapping is not valid", [
        Finding("mapping.invalid", message, file=path.name, column=key,
                hint="see docs/mapping.md for every key and an example") for key, message in found])


class MappedFormat(ReportFormat):
    """A format whose columns and SQL come from a ``MappingSpec`` (see ``build``)."""

    spec: ClassVar[MappingSpec]
    digest: ClassVar[str]
    default_decimal_style = None

    def version(self, ctx: ImportContext) -> str:
        return f"mapping {self.spec.name} (sha256 {self.digest[:12]})"

    def _types(self) -> dict[str, str]:
        return dict(TABLES[self.spec.table].columns)

    def _parser(self, key: str) -> str:
        return self.spec.column(key).parser or default_parser(key, self._types()[key])

    def currency_sql(self, ctx: ImportContext) -> str:
        if "currency" in self.spec.columns:
            return f"coalesce(nullif(upper(trim({ctx.col('m_currency')})), ''), {ctx.currency})"
        if "currency" in self.spec.constants:
            return sql_literal(str(self.spec.constants["currency"]).upper())
        return ctx.currency

    def parsed(self, ctx: ImportContext) -> dict[str, Parsed]:
        zone = sql_literal(self.spec.timezone) if self.spec.timezone else None
        out = {}
        for key in self.spec.columns:
            kind = self._parser(key)
            if kind == "text":
                continue
            formats = tuple(self.spec.column(key).formats) or DEFAULT_FORMATS.get(kind, ())
            out[key] = Parsed(f"m_{key}", kind_of(kind), formats=formats, tz=zone,
                              decimal_style=self.spec.decimal_style or "store")
        return out

    def skips(self, ctx: ImportContext) -> list[Skip]:
        return [Skip(f"kg_blank(m_{key})", f"blank {self.spec.column(key).names()[0]} (skip_blank)")
                for key in self.spec.skip_blank if ctx.has(f"m_{key}")]

    def select(self, ctx: ImportContext) -> dict[str, str]:
        types = self._types()
        out = {key: self._mapped_sql(key, types[key], ctx) for key in self.spec.columns}
        out.update({k: sql_literal(str(v)) for k, v in self.spec.constants.items() if k != "currency"})
        return {**self._derived(out, ctx), **out}

    def _mapped_sql(self, key: str, sql_type: str, ctx: ImportContext) -> str:
        kind = self._parser(key)
        if key == "currency":
            return self.currency_sql(ctx)
        text = f"nullif(trim({ctx.col('m_' + key)}), '')"
        if kind == "text" and self.spec.column(key).values:  # cells not in the table stay as written
            arms = " ".join(f"WHEN {sql_literal(a)} THEN {sql_literal(b)}"
                            for a, b in self.spec.column(key).values.items())
            return f"CASE {text} {arms} ELSE {text} END"
        if kind == "text":
            return text
        if sql_type == "DATE" and kind == "ts":
            return f"kg_local_date(p_{key}, {ctx.tz})"
        return f"p_{key}"

    def _derived(self, given: dict[str, str], ctx: ImportContext) -> dict[str, str]:
        """Defaults for what the YAML left out: local dates, line ids, currency, rate table."""
        names = {n for n, _ in TABLES[self.spec.table].columns}
        out = {local: f"kg_local_date({given[utc]}, {ctx.tz})"
               for local, utc in LOCAL_FROM_UTC.items() if local in names and utc in given}
        if "currency" in names:
            out["currency"] = self.currency_sql(ctx)
        if self.spec.table == "order_lines":
            key = given.get("sku", "'line'")
            n = f"row_number() OVER (PARTITION BY {given.get('order_id', 'NULL')}, {key} ORDER BY _row)"
            out["line_id"] = f"coalesce({key}, 'line') || CASE WHEN {n} > 1 THEN '#' || {n} ELSE '' END"
        if self.spec.table == "fees":
            cells = "concat_ws('|', " + ", ".join(sorted(ctx.present)) + ")"
            out["line_key"] = f"md5({cells}) || '#' || row_number() OVER (PARTITION BY {cells} ORDER BY _row)"
        if self.spec.table == "fx_rates":
            out["rate_table"] = "'default'"
        return out


def kind_of(name: str) -> ParserKind:
    return name  # type: ignore[return-value]  # every ParserName but "text" is a ParserKind


def build(path: Path) -> MappedFormat:
    """The format described by the mapping YAML at ``path`` (raises InputError when invalid)."""
    spec, digest = load_spec(path)
    columns = tuple(Column(f"m_{key}", spec.column(key).names(), required=spec.column(key).required)
                    for key in spec.columns)
    attrs = {
        "key": f"mapping:{spec.name}", "title": f"column mapping {spec.name}",
        "title_zh": f"列映射 {spec.name}", "table": spec.table, "columns": columns,
        "needs_store": spec.table != "fx_rates", "spec": spec, "digest": digest,
    }
    cls = type("MappedFormat_" + re.sub(r"\W", "_", spec.name), (MappedFormat,), attrs)
    return cls()  # type: ignore[no-any-return]


def detect(fmt: ReportFormat, rows: list[list[str | None]], file_name: str) -> HeaderMatch:
    """The first row holding every required mapped header; else say which headers are missing."""
    best: set[str] | None = None
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        match = match_row(fmt, cells, index)
        if match is not None:
            return match
        found = {c.key for c in fmt.columns if any(_same(c, cell) for cell in cells)}
        best = found if best is None or len(found) > len(best) else best
    missing = [c for c in fmt.columns if c.required and c.key not in (best or set())]
    _no_header(missing, file_name)


def _same(column: Column, cell: str | None) -> bool:
    return normalize_header(cell) in column.aliases()


def _no_header(missing: list[Column], file_name: str) -> NoReturn:
    raise InputError(f"{file_name}: headers named in the column mapping are not in the file", [
        Finding("mapping.header_missing", f"no column headed {' or '.join(repr(n) for n in c.names)}",
                file=file_name, column=f"columns.{c.key.removeprefix('m_')}.header",
                hint="correct the header in the mapping YAML (it must match the file's header text) "
                "or mark the column required: false")
        for c in missing])

