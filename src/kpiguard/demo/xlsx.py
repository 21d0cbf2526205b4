"""Make an XLSX file's bytes depend only on its content, so a seeded demo is reproducible.

openpyxl stamps the workbook's ``docProps/core.xml`` and every zip entry with the wall-clock time.
A real export carries the time it was downloaded; the demo sets both to the simulated download
time, which makes the same seed give the same bytes.
"""

from __future__ import annotations

import os
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def freeze_xlsx(path: Path, moment: datetime) -> Path:
    when = moment.astimezone(UTC)
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = STAMP.sub(lambda m: m.group(1) + iso + m.group(3), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
    os.replace(tmp, path)
    return path
