"""Writing a grid of text cells as CSV or XLSX: the one place writers save a sheet."""

from __future__ import annotations

import csv
from pathlib import Path


def save_cells(path: Path, cells: list[list[str]], fmt: str = "csv", encoding: str = "utf-8",
               lineterminator: str = "\n") -> Path:
    """CSV in ``encoding`` with ``lineterminator``, or XLSX whose cells are all text."""
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        for values in cells:
            sheet.append(values)
        book.save(path)
        return path
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, lineterminator=lineterminator).writerows(cells)
    return path
