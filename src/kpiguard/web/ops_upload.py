"""Receiving an uploaded report: streamed to a temporary file chunk by chunk, capped, CSRF-checked.

A report can be hundreds of megabytes, so the multipart body is parsed as it arrives
(``python_multipart``) and the file part goes straight to disk, never into memory; the moment it
passes the cap (``MAX_UPLOAD_BYTES``, or ``app.state.max_upload_bytes``) the upload stops with a
413, and a ``Content-Length`` above the cap is refused before one byte is read. The file is saved
under its own name (without any folder part) in a fresh temporary folder: the importer detects the
format from the headers, never from the name, but the name is what the user sees in findings.

CSRF: the app's ``check_csrf`` dependency would parse the whole form to find the token, which would
consume the stream; so this module checks the same token itself, from the ``X-CSRF-Token`` header
(scripts, ``/api/``) before the body is read, or, for a plain HTML form, from the ``csrf_token``
field, which must come before the file part: no byte of a file is written for a forged request.
Bearer-token calls are exempt, as everywhere else.
"""

from __future__ import annotations

import hmac
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

from fastapi import Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool

from kpiguard.errors import Finding
from kpiguard.web.security import CSRF_FIELD, CSRF_HEADER, CsrfFailed, identify, is_api

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

MAX_UPLOAD_BYTES = 512 * 1024 * 1024
FORM_OVERHEAD = 64 * 1024  # part headers and the small fields around the file
FIELD_LIMIT = 4096  # bytes of one plain field (store id, a date, the CSRF token)
MAX_FIELDS = 16
FILE_FIELD = "file"
NAME_BYTES = 200  # of a saved file name (file systems allow 255)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


class UploadError(Exception):
    """The upload cannot be taken: HTTP ``status`` (400, 413, 415) with findings that say why."""

    def __init__(self, status: int, message: str, findings: list[Finding]) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.findings = findings


@dataclass
class Upload:
    """The received form: plain fields, and the file saved as ``path`` (None when none was sent)."""

    folder: Path
    fields: dict[str, str] = field(default_factory=dict)
    filename: str | None = None
    path: Path | None = None
    size: int = 0

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def upload_limit(request: Request) -> int:
    limit = getattr(request.app.state, "max_upload_bytes", MAX_UPLOAD_BYTES)
    return int(limit)


def too_large(limit: int, name: str | None = None) -> UploadError:
    mb = f"{limit / 1024 / 1024:g} MB"
    return UploadError(413, f"the file is larger than {mb} / 文件超过 {mb} 上限", [Finding(
        "upload.too_large", f"uploads are limited to {mb} ({limit} bytes)", file=name,
        hint="split the report into shorter date ranges, or import it on the server: kpiguard import FILE --store ID")])


def safe_name(raw: str | None) -> str:
    """The file's own name: no folders (``C:\\x\\a.csv`` -> ``a.csv``), no control characters."""
    name = _UNSAFE.sub("", (raw or "").replace("\\", "/").rsplit("/", 1)[-1]).strip().lstrip(".")
    stem, dot, suffix = name.rpartition(".")
    if not dot or len(suffix) > 9:
        stem, suffix = name, ""
    while len(name.encode()) > NAME_BYTES:  # file systems allow 255 bytes: 订单 is 6 of them
        stem = stem[:-1]
        name = stem + (f".{suffix}" if suffix else "")
    return name or "upload"


def csrf_ok(request: Request, sent: str | None) -> bool:
    """The session's CSRF token equals ``sent``; always true for a bearer-token caller."""
    ident = identify(request)
    if ident is not None and ident.via == "token":
        return True
    expected = ident.csrf if ident is not None else None
    return bool(expected and sent and hmac.compare_digest(expected.encode(), sent.encode()))


async def receive(request: Request) -> Upload:
    """Parse the multipart body of ``request`` into an ``Upload`` (the caller calls ``cleanup``).

    Raises ``UploadError`` (bad form, too large) or ``CsrfFailed``."""
    limit = upload_limit(request)
    kind, params = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data" or not params.get(b"boundary"):
        raise UploadError(415, "send the file as multipart/form-data / 请以 multipart/form-data 上传文件", [Finding(
            "upload.content_type", "the request is not a multipart form", column="Content-Type",
            value=request.headers.get("content-type", ""),
            hint="curl -F store=ID -F file=@report.txt .../api/imports")])
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit + FORM_OVERHEAD:
        raise too_large(limit)
    header = request.headers.get(CSRF_HEADER)
    if header is not None or is_api(request):
        if not csrf_ok(request, header):
            raise CsrfFailed()
        guard = None
    else:
        def guard(fields: dict[str, str]) -> None:  # a plain form: the token comes before the file
            if not csrf_ok(request, fields.get(CSRF_FIELD)):
                raise CsrfFailed()
    upload = Upload(Path(tempfile.mkdtemp(prefix="kpiguard-upload-")))
    parts = _Parts(upload, limit, guard)
    parser = MultipartParser(params[b"boundary"], parts.callbacks())
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            if parts.pending:
                await run_in_threadpool(parts.flush)
        parser.finalize()
        await run_in_threadpool(parts.close)
        if parts.open_part:
            raise FormParserError("the form ended inside a part")
    except FormParserError as exc:
        parts.close()
        upload.cleanup()
        raise UploadError(400, "the upload is not a complete multipart form / 上传内容不完整", [Finding(
            "upload.form", f"cannot read the form: {exc}", hint="upload the file again")]) from exc
    except BaseException:
        parts.close()
        upload.cleanup()
        raise
    return upload


class _Parts:
    """The parser's callbacks: small fields into a dict, the one file part onto disk."""

    def __init__(self, upload: Upload, limit: int, guard: Callable[[dict[str, str]], None] | None) -> None:
        self.upload, self.limit, self.guard = upload, limit, guard
        self.pending: list[bytes] = []
        self.open_part = False
        self._name: str | None = None
        self._data = bytearray()
        self._header_name = b""
        self._header_value = b""
        self._disposition = b""
        self._in_file = False  # the current part is the file
        self._fh: IO[bytes] | None = None

    def callbacks(self) -> MultipartCallbacks:
        return {"on_part_begin": self.begin, "on_part_data": self.data, "on_part_end": self.end,
                "on_header_field": self.header_field, "on_header_value": self.header_value,
                "on_header_end": self.header_end, "on_headers_finished": self.headers_done}

    def begin(self) -> None:
        self.open_part, self._in_file = True, False
        self._name, self._disposition = None, b""
        self._data = bytearray()

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name, self._header_value = b"", b""

    def headers_done(self) -> None:
        _, options = parse_options_header(self._disposition)
        if b"name" not in options:
            raise FormParserError("a part has no name")
        self._name = options[b"name"].decode("utf-8", "replace")
        if b"filename" not in options:
            if len(self.upload.fields) >= MAX_FIELDS:
                raise FormParserError("too many fields")
            return
        if self._name != FILE_FIELD or self.upload.path is not None:
            raise FormParserError(f"one file is expected, in the field {FILE_FIELD!r}")
        if self.guard is not None:
            self.guard(self.upload.fields)
        self.upload.filename = safe_name(options[b"filename"].decode("utf-8", "replace"))
        self.upload.path = self.upload.folder / self.upload.filename
        self._fh = open(self.upload.path, "wb")  # noqa: SIM115 - closed by close(), also on errors
        self._in_file = True

    def data(self, data: bytes, start: int, end: int) -> None:
        piece = data[start:end]
        if not self._in_file:
            if len(self._data) + len(piece) > FIELD_LIMIT:
                raise FormParserError(f"the field {self._name!r} is longer than {FIELD_LIMIT} bytes")
            self._data.extend(piece)
            return
        self.upload.size += len(piece)
        if self.upload.size > self.limit:
            raise too_large(self.limit, self.upload.filename)
        self.pending.append(piece)

    def end(self) -> None:
        self.open_part = False
        if not self._in_file and self._name is not None:
            self.upload.fields[self._name] = self._data.decode("utf-8", "replace")

    def flush(self) -> None:
        if self._fh is not None and self.pending:
            self._fh.write(b"".join(self.pending))
        self.pending.clear()

    def close(self) -> None:
        self.flush()
        if self._fh is not None:
            self._fh.close()
            self._fh = None
