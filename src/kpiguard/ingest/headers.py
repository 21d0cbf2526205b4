"""Header text normalisation, so that one alias matches every spelling platforms use.

Real headers differ in ways that carry no meaning:
- trailing spaces: Amazon Ads writes ``"7 Day Total Sales "``;
- NBSP and en-dashes: amazon.de writes ``"Sitzungen – Summe"`` (U+2013);
- full-width brackets: amazon.co.jp and the Chinese UI write ``"（子）ASIN"``;
- case: ``"Mobile APP"`` next to ``"Mobile App"``, ``(ACoS)`` next to ``(ACOS)``;
- a leading space: TikTok's ``" Virtual Bundle Seller SKU"``.
"""

from __future__ import annotations

import re
import unicodedata

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d"), "-")
_SPACES = re.compile(r"\s+")


def normalize_header(text: object) -> str:
    """Fold a header cell to the form aliases are written in (NFKC, lower case, one space)."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text))  # （）→ (), full-width digits, NBSP → space
    value = value.translate(_DASHES).replace("\ufeff", "")
    value = _SPACES.sub(" ", value).strip().casefold()
    value = value.replace("( ", "(").replace(" )", ")")
    return value
