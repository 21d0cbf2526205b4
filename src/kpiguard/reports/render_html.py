"""Render a document as one self-contained HTML page (inline CSS, no scripts, no external files).

The same HTML feeds the PDF renderer, so print rules (@page, page numbers, rows that do not
split across pages) live in the template too. Text is escaped by Jinja's autoescaping: a plan is
user input and a party name like ``<b>`` must print as written.
"""

from __future__ import annotations

import re
from functools import cache

import jinja2

from kpiguard.reports.document import Document

_CSS_SAFE = re.compile(r"[^A-Za-z0-9 _.@-]")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("kpiguard.reports", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,  # a misspelt field fails the tests instead of printing nothing
    )


def render_html(doc: Document, template: str = "contract.html.j2") -> str:
    # the page footer is a CSS string, where HTML escaping does not apply: keep it to safe characters
    ref = _CSS_SAFE.sub("", doc.ref)
    return _environment().get_template(template).render(doc=doc, ref=ref)
