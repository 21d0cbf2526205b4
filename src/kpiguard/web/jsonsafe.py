"""JSON that can sit inside a <script> element of a page."""

from __future__ import annotations

import json
from typing import Any


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no '</script>' or '<!--' can end it early."""
    return json.dumps(value, ensure_ascii=False, default=str).replace("<", "\\u003c").replace(">", "\\u003e").replace(
        "&", "\\u0026")
