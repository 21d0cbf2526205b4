"""The raw copy of an imported file and its SHA-256, made while the import reads the file.

Copying and hashing a 235 MB file takes most of a second; a thread does both (``copyfile`` lets the
kernel copy, hashlib releases the GIL) while DuckDB reads and parses the file, and in the same pass
counts the file's line ends, which the import compares with the rows DuckDB read (DuckDB skips
blank lines without saying so). The copy is hashed, so the stored bytes are the hashed bytes; the
import reads the original and checks afterwards that it did not change meanwhile (size, inode,
modification time), so the rows come from those bytes too.

When the hash is known the copy gets its content address, ``staging/<n>/raw/<sha256>``, and a file
imported before is noticed: the thread calls ``on_known`` (which interrupts the running query), so
a re-import stops early instead of parsing everything again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kpiguard.errors import Finding, InputError

CHUNK = 1 << 22


@dataclass(frozen=True)
class Digest:
    sha256: str
    size: int
    lines: int  # lines of text, the last one counted when it has no line end
    trailing_blank: int  # blank lines at the end of the file (DuckDB reads no row for them)


class RawCopy:
    """Copy ``path`` into ``folder/raw`` and hash the copy, in a background thread."""

    def __init__(self, path: Path, folder: Path, known: set[str]) -> None:
        (folder / "raw").mkdir(parents=True, exist_ok=True)
        self.path = path  # what the import reads
        self._raw = folder / "raw"
        self.known = known
        self._lock = threading.Lock()
        self._on_known: Callable[[], None] | None = None
        self._digest: Digest | None = None
        self._error: BaseException | None = None
        self._seen = _identity(path)
        self._thread = threading.Thread(target=self._run, name="kpiguard-sha256", daemon=True)
        self._thread.start()

    def watch(self, on_known: Callable[[], None]) -> None:
        """Call ``on_known`` once the hash shows this file was imported before (now, if it has)."""
        with self._lock:
            self._on_known = on_known
            hit = self._digest is not None and self._digest.sha256 in self.known
        if hit:
            on_known()

    def seen_before(self) -> bool:
        """Whether the hash is known and shows the file was imported before (without waiting)."""
        with self._lock:
            return self._digest is not None and self._digest.sha256 in self.known

    def unwatch(self) -> None:
        with self._lock:
            self._on_known = None

    def digest(self) -> Digest:
        """Wait for the hash (the raw copy is in place under ``raw/`` when this returns)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._digest is not None
        return self._digest

    def check_unchanged(self, name: str) -> None:
        """Refuse the import if the file changed while it was read (a download still running)."""
        digest = self.digest()
        if _identity(self.path) != self._seen or digest.size != self._seen[0]:
            raise InputError(f"{name} changed while it was imported", [Finding(
                "file.changed", "the file was written to while kpiguard read it", file=name,
                hint="wait until the download or export has finished, then import the file again")])

    def _run(self) -> None:
        try:
            incoming = self._raw / "incoming"
            shutil.copyfile(self.path, incoming)
            digest = _digest(incoming)
            os.replace(incoming, self._raw / digest.sha256)
            with self._lock:
                self._digest = digest
                callback = self._on_known if digest.sha256 in self.known else None
            if callback is not None:
                callback()
        except BaseException as exc:  # noqa: BLE001  (re-raised in the importing thread by digest())
            self._error = exc


def _identity(path: Path) -> tuple[int, int, int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev


def _digest(path: Path) -> Digest:
    sha = hashlib.sha256()
    size = newlines = 0
    tail = b""  # the run of line-end bytes the file ends with (so far)
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buffer):
            chunk = view[:n]
            sha.update(chunk)  # releases the GIL: DuckDB and this thread share the cores
            newlines += buffer.count(b"\n", 0, n)
            ends = _line_end_run(buffer, n)
            tail = tail + bytes(chunk) if ends == n else bytes(view[n - ends:n])
            size += n
    lines = newlines + (0 if size == 0 or tail.endswith(b"\n") else 1)
    blank = lines if len(tail) == size else max(0, tail.count(b"\n") - 1)
    return Digest(sha.hexdigest(), size, lines, blank)


def _line_end_run(data: bytearray, n: int) -> int:
    """How many of the first ``n`` bytes, counted from the end, are CR or LF."""
    i = n
    while i and data[i - 1] in (10, 13):
        i -= 1
    return n - i
