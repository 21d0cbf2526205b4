"""Import one file into a workspace: all or nothing, idempotent, recorded in the ledger.

The order of steps is what makes a crash harmless (see ``workspace.py``): the raw copy and the
Parquet parts are written under ``staging/<import_id>/``; the catalog commit (import row, lake
parts, ledger entry) is one transaction; only after it are the files moved into ``raw/`` and
``lake/``. A re-import of the same bytes is recognised by SHA-256 and adds nothing.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from kpiguard import ledger, sqlbind
from kpiguard.errors import Finding, InputError, NotFoundError
from kpiguard.ingest import registry, stage, transform
from kpiguard.ingest.cells import Cells, ReadError, open_cells
from kpiguard.ingest.format import ImportContext, ReportFormat, StoreInfo
from kpiguard.ingest.parts import Part
from kpiguard.ingest.rawcopy import Digest, RawCopy
from kpiguard.ingest.reader import MergedRange, SheetSource, Source, TextSource, open_source
from kpiguard.ingest.registry import described
from kpiguard.ingest.sqlmacros import sql_literal
from kpiguard.marketplaces import marketplace
from kpiguard.workspace import Workspace, publish_staged

Progress = Callable[[str], None]
SMALL_FILE = 8 * 1024 * 1024  # imports in well under a second: keeps the catalog open throughout


@dataclass
class ImportResult:
    file: str
    status: str  # imported | already_imported
    raw_sha256: str
    import_id: int | None = None
    store_id: str | None = None
    format_key: str | None = None
    format_title: str | None = None
    format_version: str | None = None
    locale: str | None = None
    table: str | None = None
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    rejected_reasons: dict[str, int] = field(default_factory=dict)
    findings: list[dict[str, object]] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    currencies: list[str] = field(default_factory=list)
    table_rows: dict[str, int] = field(default_factory=dict)
    encoding: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _mapping_format(path: Path) -> ReportFormat:
    from kpiguard.ingest.mapping import build  # YAML and pydantic load only for --mapping

    return build(path)


def current_actor() -> str:
    return os.environ.get("KPIGUARD_USER") or getpass.getuser()


def store_info(con: duckdb.DuckDBPyConnection, store_id: str, file: str | None = None) -> StoreInfo:
    row = sqlbind.execute(
        con, "SELECT store_id, platform, marketplace, currency, timezone FROM stores WHERE store_id = ?",
        [store_id],
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"no store {store_id!r} in this workspace",
            [Finding("store.unknown", f"store {store_id!r} does not exist", file=file, column="--store",
                     hint="add it first: kpiguard store add ID --platform ... --marketplace ...")],
        )
    mp = marketplace(row[2])
    return StoreInfo(row[0], row[1], row[2], row[3], row[4], mp.decimal_style, mp.day_first)


def import_file(
    ws: Workspace,
    path: Path,
    store_id: str | None,
    *,
    format_key: str | None = None,
    period: tuple[date, date] | None = None,
    skip_bad_rows: bool = False,
    actor: str | None = None,
    progress: Progress | None = None,
    display_name: str | None = None,
    mapping: Path | None = None,
) -> ImportResult:
    """Import one file. ``mapping``: a column-mapping YAML (``ingest/mapping.py``) to read a file
    no built-in format knows; it replaces format detection for this file."""
    ws.require()
    name = display_name or path.name
    chosen: str | ReportFormat | None = _mapping_format(mapping) if mapping else format_key
    note = progress or (lambda _msg: None)
    if not path.is_file():
        raise InputError(f"{name}: no such file", [Finding(
            "file.missing", f"the file {path} does not exist", file=name,
            hint="check the path and the file name (a folder is not a report)")])
    with ws.write_lock(), _Catalog(ws, keep=path.stat().st_size <= SMALL_FILE) as catalog:
        con = catalog.connection()  # what the import needs from the catalog, read at once
        store = store_info(con, store_id, name) if store_id else None
        import_id = int(con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchone()[0])  # type: ignore[index]
        imported = _imported_files(con)
        catalog.pause()
        staging = ws.staging_dir / str(import_id)
        shutil.rmtree(staging, ignore_errors=True)
        try:
            raw = RawCopy(path, staging, set(imported))
            try:
                done = _transform_and_stage(
                    ws, staging, raw, name, import_id, store, chosen, period, skip_bad_rows, note)
            except InputError:
                done = None
                if raw.digest().sha256 not in imported:
                    raise
            digest = raw.digest()
            if digest.sha256 in imported:  # whatever this run made of the file, it is in already
                shutil.rmtree(staging)
                return _already(name, digest.sha256, imported[digest.sha256], store_id)
            assert done is not None
            raw.check_unchanged(name)
            note("hashing parts")
            parts = _describe_parts(staging / "lake", done.parts)
            note("committing")
            _commit(catalog.connection(), done.result, digest.size, actor or current_actor(), parts)
            publish_staged(staging, ws)
            return done.result
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


def _imported_files(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, str | None]]:
    """Each imported file's SHA-256 with its first import and store (a re-import adds nothing)."""
    out: dict[str, tuple[int, str | None]] = {}
    for sha, import_id, store in con.execute(
            "SELECT raw_sha256, import_id, store_id FROM imports ORDER BY import_id").fetchall():
        out.setdefault(sha, (int(import_id), store))
    return out


def _already(name: str, sha: str, seen: tuple[int, str | None], store_id: str | None) -> ImportResult:
    first_id, first_store = seen
    if store_id and first_store and first_store != store_id:
        raise InputError(
            f"{name} was already imported for store {first_store!r}",
            [Finding("import.other_store",
                     f"this exact file was imported for store {first_store!r} (import {first_id})",
                     file=name, hint="a report belongs to one store; check the --store you gave")],
        )
    return ImportResult(file=name, status="already_imported", raw_sha256=sha, import_id=first_id, store_id=first_store)


@dataclass
class _Staged:
    """An import whose parts are written under its staging folder, ready to commit."""

    result: ImportResult
    parts: list[Part]


@dataclass
class _Read:
    """A file read into the stage: its format, source and what the stage found."""

    match: registry.HeaderMatch
    source: Source
    cells: Cells
    ctx: ImportContext
    staged: stage.Staged


def _transform_and_stage(
    ws: Workspace, staging: Path, raw: RawCopy, name: str, import_id: int, store: StoreInfo | None,
    format_key: str | ReportFormat | None, period: tuple[date, date] | None, skip_bad_rows: bool,
    note: Progress,
) -> _Staged | None:
    """Read, check and write the file's rows under ``staging``; None when the file turns out to
    have been imported before (its hash, computed meanwhile, says so)."""
    if raw.path.stat().st_size <= SMALL_FILE:
        raw.digest()  # a few milliseconds: a re-import of a small file then stops before reading it
    if raw.seen_before():
        return None
    con = transform.new_connection(ws.hash_salt, staging)
    raw.watch(con.interrupt)  # a re-import of a large file stops as soon as the hash is known
    try:
        note("reading and parsing")
        read = _read(con, raw, name, staging, store, format_key, period)
        fmt, ctx = read.match.fmt, read.ctx
        sha = raw.digest().sha256
        lineage = {
            "store_id": sql_literal(store.store_id) if store else "NULL",
            "source": sql_literal(fmt.key),
            "import_id": str(import_id),
            "raw_sha256": sql_literal(sha),
            "raw_row": "_row",
        }
        if raw.seen_before():
            return None
        note("writing")
        outcome = transform.run(con, fmt, ctx, read.cells, read.staged, lineage, skip_bad_rows, staging,
                                store.store_id if store else None, import_id)
        if outcome.rows_out == 0:
            raise InputError(f"{name}: no data rows", [Finding(
                "file.no_rows", "the report has a header but no data rows", file=name,
                hint="download a report for a date range that has activity")])
        (staging / "raw_sha256").write_text(sha)
        result = ImportResult(
            file=name, status="imported", raw_sha256=sha, import_id=import_id,
            store_id=store.store_id if store else None, format_key=fmt.key, format_title=fmt.title,
            format_version=fmt.version(ctx), locale=read.match.locale, table=fmt.table,
            rows_accepted=outcome.rows_out, rows_rejected=sum(outcome.rejected.values()),
            rows_skipped=sum(outcome.skipped.values()), skipped_reasons=dict(outcome.skipped),
            table_rows=dict(outcome.table_rows),
            rejected_reasons=dict(outcome.rejected),
            findings=[f.to_dict() for f in outcome.findings] if skip_bad_rows else [],
            date_from=str(outcome.date_from) if outcome.date_from else None,
            date_to=str(outcome.date_to) if outcome.date_to else None,
            currencies=outcome.currencies,
            encoding=getattr(read.source, "encoding", "xlsx"),
        )
        return _Staged(result, outcome.parts)
    except duckdb.InterruptException:
        if raw.digest().sha256 in raw.known:
            return None
        raise
    finally:
        raw.unwatch()
        transform.close_connection(con)


def _read(con: duckdb.DuckDBPyConnection, raw: RawCopy, name: str, staging: Path, store: StoreInfo | None,
          format_key: str | ReportFormat | None, period: tuple[date, date] | None) -> _Read:
    """Read the file into the stage, trusting its first 256 KB about encoding and line ends; open
    it carefully (``reader.open_source``) and read it again only when that trust was misplaced:
    DuckDB refused a cell or a line, or read fewer rows than the file has lines."""
    fast = open_source(raw.path, name, staging, careful=False)
    try:
        read = _read_source(con, fast, name, store, format_key, period)
    except ReadError:
        careful = open_source(raw.path, name, staging, careful=True)
        if _same_text(careful, fast):
            raise
        return _read_source(con, careful, name, store, format_key, period)
    if isinstance(fast, TextSource) and fast.path == raw.path and _lines_disagree(read, raw.digest()):
        careful = open_source(raw.path, name, staging, careful=True)
        if not _same_text(careful, fast):
            return _read_source(con, careful, name, store, format_key, period)
    return read


def _read_source(con: duckdb.DuckDBPyConnection, source: Source, name: str, store: StoreInfo | None,
                 format_key: str | ReportFormat | None, period: tuple[date, date] | None) -> _Read:
    match = _detect(source, name, format_key)
    fmt = match.fmt
    _check_store(fmt, store, name)
    if fmt.needs_period and period is None:
        raise InputError(f"{name}: the report has no date column", [Finding(
            "import.period_missing", f"{described(fmt)} covers the date range chosen when it was downloaded, "
            "and the file does not say which", file=name, column="--from/--to",
            hint="give the range: kpiguard import FILE --store ID --from 2026-10-01 --to 2026-10-31")])
    cells = open_cells(con, source, match)
    ctx = ImportContext(
        store=store, file_name=name, present=frozenset(match.positions), headers=match.headers,
        locale=match.locale, period_from=period[0] if period else None,
        period_to=period[1] if period else None, con=con, first_row=cells.first_row,
    )
    return _Read(match, source, cells, ctx, stage.build(con, fmt, ctx, cells))


def _same_text(a: Source, b: Source) -> bool:
    """Whether two openings of a file read the same bytes the same way."""
    return (isinstance(a, TextSource) and isinstance(b, TextSource) and a.path == b.path
            and a.delimiter == b.delimiter and a.encoding.removesuffix("-sig") == b.encoding.removesuffix("-sig"))


def _lines_disagree(read: _Read, digest: Digest) -> bool:
    """DuckDB read a row for every line after the header but blank ones at the end, unless the file
    has blank lines between rows (skipped without a word) or line breaks inside quoted cells."""
    expected = digest.lines - (read.match.header_index + 1) - digest.trailing_blank
    return read.staged.rows != expected


def _detect(source: Source, name: str, format_key: str | ReportFormat | None) -> registry.HeaderMatch:
    """Find the format, and when there is none say why in the words that fit this file."""
    rows = source.rows[:registry.HEADER_SCAN_ROWS] if isinstance(source, SheetSource) else source.head_rows
    try:
        if isinstance(format_key, ReportFormat):  # a column mapping: detect its headers only
            from kpiguard.ingest.mapping import detect as mapping_detect

            match = mapping_detect(format_key, list(rows), name)  # type: ignore[arg-type]
        else:
            match = registry.detect(list(rows), name, only=format_key)  # type: ignore[arg-type]
    except InputError as exc:
        if isinstance(source, SheetSource) and source.merged:
            raise _merged_error(source, name, source.merged) from exc
        if isinstance(source, TextSource) and source.encoding not in ("utf-8", "utf-8-sig"):
            raise _encoding_error(exc, source.encoding) from exc
        raise
    hidden = source.merged_in_row(match.header_index + 1) if isinstance(source, SheetSource) else []
    if hidden:
        raise _merged_error(source, name, hidden)  # type: ignore[arg-type]
    return match


def _merged_error(sheet: SheetSource, name: str, merged: list[MergedRange]) -> InputError:
    """Merged cells hide header cells: only the first cell of a merged block keeps its text."""
    first = merged[0]
    row = sheet.rows[first.min_row - 1] if first.min_row <= len(sheet.rows) else []
    text = row[first.min_col - 1] if first.min_col <= len(row) else None
    refs = ", ".join(m.ref for m in merged[:3])
    return InputError(f"{name}: merged cells in the header", [Finding(
        "header.merged", f"the sheet '{sheet.sheet}' has merged header cells ({refs})",
        file=name, row=first.min_row, column=str(text).strip() if text else None,
        hint="unmerge the cells so every column has its own header, or export the report again")])


def _encoding_error(exc: InputError, encoding: str) -> InputError:
    """A header read in a guessed encoding may be mojibake: say which encoding was guessed."""
    shown = {"gb18030": "GB18030/GBK (Chinese)", "cp1252": "CP1252 (Western European)"}.get(encoding, encoding)
    hint = (f"the file is not UTF-8 and was read as {shown}; if the header above looks garbled, the file "
            "is in another encoding: open it and save it as CSV UTF-8")
    return InputError(exc.message, [replace(f, hint=f"{hint}. {f.hint or ''}".strip()) for f in exc.findings])


def _check_store(fmt: ReportFormat, store: StoreInfo | None, name: str) -> None:
    if fmt.needs_store and store is None:
        raise InputError(f"{name}: which store is this report from?", [Finding(
            "import.store_missing", f"{described(fmt)} belongs to one store", file=name, column="--store",
            hint="add --store ID (see kpiguard store list)")])
    if store and fmt.platforms and store.platform not in fmt.platforms:
        raise InputError(f"{name}: {described(fmt)} cannot belong to store {store.store_id!r}", [Finding(
            "import.platform_mismatch",
            f"this is {described(fmt)} ({'/'.join(fmt.platforms)}), but store {store.store_id!r} is on {store.platform}",
            file=name, column="--store", hint="pick the store the report was downloaded from")])


def _describe_parts(lake_root: Path, written: list[Part]) -> list[dict[str, object]]:
    """Each staged Parquet part with its table, path in the lake, SHA-256 and row count."""
    out: list[dict[str, object]] = []
    for part in sorted(written, key=lambda p: str(p.path)):
        rel = part.path.relative_to(lake_root).as_posix()
        out.append({"table": part.table, "path": rel, "sha256": _sha256(part.path), "rows": part.rows})
    return out


class _Catalog:
    """The catalog connection of one import: opened to read what the import needs, closed while a
    large file is parsed (other processes may read the catalog meanwhile), opened again to commit.
    A small file's import takes a fraction of a second and keeps it open: one open, not two."""

    def __init__(self, ws: Workspace, keep: bool) -> None:
        self.ws, self.keep = ws, keep
        self._open: ExitStack | None = None
        self._con: duckdb.DuckDBPyConnection | None = None

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._open = ExitStack()
            self._con = self._open.enter_context(self.ws.connect())
        return self._con

    def pause(self) -> None:
        if not self.keep:
            self.close()

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
        self._open, self._con = None, None

    def __enter__(self) -> _Catalog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _commit(con: duckdb.DuckDBPyConnection, result: ImportResult, size: int, actor: str,
            parts: list[dict[str, object]]) -> None:
    now = datetime.now(UTC)
    summary = result.to_dict()
    con.execute("BEGIN TRANSACTION")
    try:
        sqlbind.execute(
            con, "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [result.import_id, result.raw_sha256, result.file, size, result.store_id, result.format_key,
             result.format_version, result.table, result.rows_accepted, result.rows_rejected,
             result.rows_skipped, result.date_from, result.date_to, ",".join(result.currencies),
             actor, now, json.dumps(summary, default=str, ensure_ascii=False)],
        )
        for p in parts:
            sqlbind.execute(con, "INSERT INTO lake_parts VALUES (?, ?, ?, ?, ?)",
                            [result.import_id, p["table"], p["path"], p["rows"], p["sha256"]])
        ledger.append(con, actor, "import", {
            "import_id": result.import_id, "file": result.file, "raw_sha256": result.raw_sha256,
            "bytes": size, "store_id": result.store_id, "format": result.format_key,
            "format_version": result.format_version, "table": result.table,
            "table_rows": result.table_rows,
            "rows_accepted": result.rows_accepted, "rows_rejected": result.rows_rejected,
            "rows_skipped": result.rows_skipped, "parts": parts,
        })
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()
