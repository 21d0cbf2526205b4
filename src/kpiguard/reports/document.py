"""The document object every report builder returns and every renderer reads.

Builders decide *what* is said (and in which language); renderers only decide how it looks. The
blocks are deliberately few: a paragraph, a list of terms (label: value) and a table whose rows
carry machine-readable attributes, so HTML output can be parsed back by tests and tools
(``<tr data-metric="gmv" data-formula="gmv_amount">``) without scraping visible text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    role: str = ""  # a style hint: "note", "warning", "formula", "example"


@dataclass(frozen=True)
class Terms:
    """Label-value pairs (a definition list): the plain-words statement of a clause."""

    kind: ClassVar[str] = "terms"
    items: tuple[tuple[str, str], ...]
    name: str = ""


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...] = ()  # rendered as data-<key>="value"
    details: tuple[tuple[str, str], ...] = ()  # label-value pairs shown under the row, full width


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    name: str  # identifies the table (CSS class, data-table) e.g. "kpis"
    headers: tuple[str, ...]
    rows: tuple[Row, ...]


Block = Paragraph | Terms | Table


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    lang: str  # a BCP 47 tag: "zh-CN" or "en"
    title: str
    subtitle: str
    meta: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    ref: str = ""  # a short reference printed on every page (plan id and version)

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)
