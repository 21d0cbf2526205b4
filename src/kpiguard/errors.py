"""The exception tree, and the one shape every validation problem takes.

    KpiError
     +-- UserError           shown to the user without a traceback; exit code 2
     |    +-- InputError      a file or row the user gave us is wrong (carries findings)
     |    +-- WorkspaceError  the workspace is missing, locked or inconsistent
     |    +-- NotFoundError   a store, import or plan that does not exist
     +-- InternalError       a bug in kpiguard; shown with a traceback only under --debug

Validation never raises on the first problem: it collects ``Finding`` objects (severity, code,
message, file/row/column, what to do) and raises one ``InputError`` at the boundary, so a user
fixes every problem of a file in one pass.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """One problem found in user input, located as precisely as we can."""

    code: str
    message: str
    severity: Severity = "error"
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    hint: str | None = None

    def location(self) -> str:
        parts = [p for p in (self.file,) if p]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def describe(self) -> str:
        text = self.message
        if self.value is not None:
            text += f" (value: {_shorten(self.value)!r})"
        where = self.location()
        if where:
            text = f"{where}: {text}"
        if self.hint:
            text += f" — {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class KpiError(Exception):
    """Root of every error kpiguard raises on purpose."""


class UserError(KpiError):
    """Something the user can fix; printed without a traceback, exit code 2."""

    exit_code = 2

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.findings = list(findings or [])


class InputError(UserError):
    """A file or value given to kpiguard cannot be used as it is."""


class WorkspaceError(UserError):
    """The workspace is missing, locked by another process, or fails a consistency check."""


class NotFoundError(UserError):
    """A named object (store, import, plan) does not exist in the workspace."""


class InternalError(KpiError):
    """A bug: an invariant of kpiguard itself was broken."""
