"""Render a document as Markdown, for pasting into a chat, a wiki or a pull request.

Tables become pipe tables; a row's details become a bullet list under the table, since Markdown
tables cannot hold nested lists. Pipes and line breaks in user text are escaped so a party name
cannot break the table.
"""

from __future__ import annotations

from kpiguard.reports.document import Block, Document, Paragraph, Table, Terms


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _table(table: Table) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in table.headers) + " |",
             "|" + "|".join("---" for _ in table.headers) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row.cells) + " |" for row in table.rows]
    for row in table.rows:
        if row.details:
            lines += ["", f"**{_cell(row.cells[0] if len(row.cells) == 1 else ' · '.join(row.cells[:2]))}**", ""]
            lines += [f"- {label}: {value}" for label, value in row.details]
    return lines


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [f"> {block.text}" if block.role == "warning" else block.text]
    if isinstance(block, Terms):
        return [f"- **{label}**: {value}" for label, value in block.items]
    return _table(block)


def render_md(doc: Document) -> str:
    lines = [f"# {doc.title}", "", doc.subtitle, ""]
    lines += [f"- {label}: `{value}`" for label, value in doc.meta]
    for number, section in enumerate(doc.sections, start=1):
        lines += ["", f"## {number}. {section.title}", ""]
        for block in section.blocks:
            lines += [*_block(block), ""]
    return "\n".join(lines).rstrip() + "\n"
