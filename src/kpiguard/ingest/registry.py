"""The registry of report formats, and detection of a file's format from its header row.

Formats register themselves with ``@register``; built-in formats are imported by
``kpiguard.ingest.formats`` exactly as a plug-in's would be. Detection never looks at the file
name: it scans the first rows for one whose cells contain every required column of a format,
preferring the format that explains the most cells of that row.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kpiguard.errors import Finding, InputError
from kpiguard.ingest.format import ReportFormat
from kpiguard.ingest.headers import normalize_header

_FORMATS: dict[str, ReportFormat] = {}
HEADER_SCAN_ROWS = 40


def described(fmt: ReportFormat) -> str:
    """The format's title with its article, for messages: "an Amazon All Orders report"."""
    return ("an " if fmt.title[:1].lower() in "aeiou" else "a ") + fmt.title


def register(cls: type[ReportFormat]) -> type[ReportFormat]:
    instance = cls()
    if instance.key in _FORMATS:
        raise ValueError(f"format {instance.key} registered twice")
    _FORMATS[instance.key] = instance
    return cls


def formats() -> dict[str, ReportFormat]:
    import kpiguard.ingest.formats  # noqa: F401  (registers the built-in formats)

    return dict(_FORMATS)


def get(key: str) -> ReportFormat:
    known = formats()
    if key not in known:
        raise InputError(
            f"unknown format {key!r}",
            [Finding("format.unknown", f"no format named {key!r}",
                     hint="run 'kpiguard formats' to list them")],
        )
    return known[key]


@dataclass(frozen=True)
class HeaderMatch:
    fmt: ReportFormat
    header_index: int  # 0-based index of the header row among the file's rows
    positions: dict[str, int]  # Column key -> 0-based cell position
    headers: dict[str, str]  # Column key -> header text as written
    locale: str
    score: tuple[int, int]


def match_row(fmt: ReportFormat, cells: list[str | None], index: int,
              normalized: list[str] | None = None) -> HeaderMatch | None:
    if normalized is None:
        normalized = [normalize_header(c) for c in cells]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    locales: Counter[str] = Counter()
    for column in fmt.columns:
        aliases = column.aliases()
        for pos, text in enumerate(normalized):
            if not text:
                continue
            locale = aliases.get(text)
            if locale is None and column.pattern and re.fullmatch(column.pattern, text):
                locale = "en"
            if locale is not None:
                positions[column.key] = pos
                headers[column.key] = str(cells[pos]).strip()
                locales[locale] += 1
                break
    if not fmt.required_keys() <= positions.keys():
        return None
    non_en = [(n, loc) for loc, n in locales.items() if loc != "en"]
    locale = max(non_en)[1] if non_en else "en"
    filled = sum(1 for t in normalized if t)
    return HeaderMatch(fmt, index, positions, headers, locale, (len(positions), -filled))


def detect(rows: list[list[str | None]], file_name: str, only: str | None = None) -> HeaderMatch:
    """Find the header row and the format; refuse unknown or ambiguous files with a reason."""
    candidates = [get(only)] if only else list(formats().values())
    best: HeaderMatch | None = None
    for index, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        if not any(c and str(c).strip() for c in cells):
            continue
        normalized = [normalize_header(c) for c in cells]
        for fmt in candidates:
            match = match_row(fmt, cells, index, normalized)
            if match and (best is None or (match.score > best.score and match.header_index == best.header_index)):
                best = match
        if best is not None:
            break  # the first row that is a header wins; later rows are data
    if best is None:
        raise InputError(f"{file_name}: format not recognised", [_unknown_finding(rows, file_name, only)])
    _check_duplicate_headers(rows[best.header_index], best, file_name)
    return best


def _unknown_finding(rows: list[list[str | None]], file_name: str, only: str | None) -> Finding:
    first = next((r for r in rows if any(c and str(c).strip() for c in r)), [])
    shown = ", ".join(str(c).strip()[:40] for c in first[:6] if c)  # a cell may be a whole page
    if only:
        fmt = get(only)
        missing = _closest_missing(fmt, rows)
        return Finding(
            "format.missing_columns",
            f"the file is not {described(fmt)}: required columns missing: {', '.join(missing)}",
            file=file_name, row=_header_row(rows), column=", ".join(missing),
            hint="export the report again with all columns, or pick the right --format",
        )
    best_fmt, missing = _closest_format(rows)
    if best_fmt is not None and len(missing) <= 3:
        return Finding(
            "format.missing_columns",
            f"looks like {described(best_fmt)} but required columns are missing: {', '.join(missing)}",
            file=file_name, row=_header_row(rows), column=", ".join(missing),
            hint="export the report again with every column selected",
        )
    return Finding(
        "format.unknown",
        f"no known report has this header (first cells: {shown or 'none'})",
        file=file_name, row=_header_row(rows),
        hint="run 'kpiguard formats' for the supported reports, or import it with a column "
        "mapping: kpiguard import FILE --mapping mapping.yaml",
    )


def _header_row(rows: list[list[str | None]]) -> int:
    """The 1-based row a header would be on: the first one with any text."""
    return next((i + 1 for i, r in enumerate(rows) if any(c and str(c).strip() for c in r)), 1)


def _closest_missing(fmt: ReportFormat, rows: list[list[str | None]]) -> list[str]:
    best: list[str] | None = None
    for cells in rows[:HEADER_SCAN_ROWS]:
        present = {normalize_header(c) for c in cells if c}
        missing = [
            c.names[0]
            for c in fmt.columns
            if c.required and not (set(c.aliases()) & present)
            and not (c.pattern and any(re.fullmatch(c.pattern, p) for p in present))
        ]
        if best is None or len(missing) < len(best):
            best = missing
    return best or []


def _closest_format(rows: list[list[str | None]]) -> tuple[ReportFormat | None, list[str]]:
    best: tuple[ReportFormat | None, list[str]] = (None, ["?"] * 99)
    for fmt in formats().values():
        missing = _closest_missing(fmt, rows)
        found = len(fmt.required_keys()) - len(missing)
        if found >= 3 and len(missing) < len(best[1]):
            best = (fmt, missing)
    return best


def _check_duplicate_headers(cells: list[str | None], match: HeaderMatch, file_name: str) -> None:
    seen: dict[str, int] = {}
    findings = []
    used = set(match.positions.values())
    for pos, cell in enumerate(cells):
        text = normalize_header(cell)
        if not text:
            continue
        if text in seen and (pos in used or seen[text] in used):
            findings.append(Finding(
                "header.duplicate",
                f"the column header '{str(cell).strip()}' appears twice "
                f"(columns {seen[text] + 1} and {pos + 1})",
                file=file_name, row=match.header_index + 1, column=str(cell).strip(),
                hint="remove or rename one of the two columns, or export the report again",
            ))
        seen.setdefault(text, pos)
    if findings:
        raise InputError(f"{file_name}: duplicated column header", findings)
