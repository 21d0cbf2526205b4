"""Render a document as PDF with WeasyPrint, from the same HTML as ``render_html``.

WeasyPrint silently falls back to another font when a glyph is missing, which turns a Chinese
contract into rows of empty boxes. Before rendering a zh-CN document we therefore ask fontconfig
for a font that covers Chinese and refuse, with the fix, when there is none: a contract that
cannot be read is worse than no PDF.
"""

from __future__ import annotations

import shutil
import subprocess

from kpiguard.errors import Finding, UserError
from kpiguard.reports.document import Document
from kpiguard.reports.render_html import render_html

SETUP_HINT = "run `make setup` (installs fonts-noto-cjk and WeasyPrint), or apt-get install fonts-noto-cjk"


def cjk_font_available() -> bool | None:
    """True if fontconfig knows a font covering zh; None when fontconfig cannot be asked."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    return bool(out.strip())


def _weasyprint():  # type: ignore[no-untyped-def]
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the package is there but libpango is not
        raise UserError("PDF export needs WeasyPrint", [Finding(
            "export.pdf", f"WeasyPrint cannot be loaded: {exc}", hint="pip install 'kpiguard[pdf]'; " + SETUP_HINT)]) from exc
    return weasyprint


def render_pdf(doc: Document) -> bytes:
    if doc.lang.lower().startswith("zh") and cjk_font_available() is False:
        raise UserError("no Chinese font is installed", [Finding(
            "export.font", "the PDF would show boxes instead of Chinese characters", hint=SETUP_HINT)])
    weasyprint = _weasyprint()
    pdf = weasyprint.HTML(string=render_html(doc)).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
