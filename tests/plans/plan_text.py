"""The clean plan of fixtures/clean_plan.yaml and small text edits of it, for the lint tests.

Tests change the YAML *text* (not a parsed dict) so the line numbers a finding reports are the
lines of a file a person would read; ``line_of`` finds the expected line by its content.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from kpiguard.plans import io
from kpiguard.plans.lint import LintContext, PlanFinding, lint

CLEAN_PATH = Path(__file__).parent / "fixtures" / "clean_plan.yaml"
CLEAN = CLEAN_PATH.read_text(encoding="utf-8")


def edit(text: str, old: str, new: str, after: str | None = None) -> str:
    """Replace ``old`` once: the only occurrence, or the first after the line holding ``after``."""
    start = 0
    if after is not None:
        assert text.count(after) == 1, f"anchor {after!r} is not unique"
        start = text.index(after)
    else:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old):]


def drop(text: str, first: str, until: str) -> str:
    """Remove the lines from the one holding ``first`` up to (not including) the one holding ``until``."""
    lines = text.splitlines(keepends=True)
    i = next(n for n, line in enumerate(lines) if first in line)
    j = next(n for n, line in enumerate(lines) if n > i and until in line)
    return "".join(lines[:i] + lines[j:])


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """1-based number of the first line holding ``needle`` (after the line holding ``after``)."""
    lines = text.splitlines()
    start = 0 if after is None else next(n for n, line in enumerate(lines) if after in line)
    return next(n for n, line in enumerate(lines) if n >= start and needle in line) + 1


def lint_text(text: str, history: dict[str, list[Decimal]] | None = None) -> list[PlanFinding]:
    plan, locations = io.load(text, "plan.yaml")
    return lint(LintContext(plan, locations, "plan.yaml", history or {}))


def coded(findings: list[PlanFinding], code: str, severity: str | None = None) -> list[PlanFinding]:
    return [f for f in findings if f.code == code and (severity is None or f.severity == severity)]


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def the_finding(findings: list[PlanFinding], code: str, severity: str, line: int | None) -> PlanFinding:
    """The one finding of ``code`` at ``severity``; asserts its line and both languages."""
    found = coded(findings, code, severity)
    assert len(found) == 1, [(f.code, f.severity, f.line, f.en) for f in findings]
    f = found[0]
    assert f.line == line, (f.line, line, f.en)
    assert re.search("[A-Za-z]{3}", f.en) and f.en != f.zh, f.en  # English words (quoted text may be Chinese)
    assert has_cjk(f.zh), f.zh
    if f.severity != "info":
        assert f.hint_en and has_cjk(f.hint_zh), (f.hint_en, f.hint_zh)
    return f


def quiet(findings: list[PlanFinding], code: str) -> None:
    """No error or warning of ``code`` (info findings do not block anything)."""
    loud = [f for f in coded(findings, code) if f.severity != "info"]
    assert not loud, [(f.severity, f.line, f.en) for f in loud]
