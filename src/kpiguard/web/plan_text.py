"""Reading a plan text typed into a browser, where anything can arrive.

``plans.io.load`` turns YAML and shape problems into findings, but a few texts still escape as
plain exceptions: a date that does not exist (``start: 2026-02-30``: PyYAML's ValueError), nesting
deep enough to exhaust the stack (``[[[[...``), and numbers so large or small that the linter's
Decimal arithmetic overflows (``target: '1e999999'``). From a form those must be a 400 naming the
line, never a 500; and a text the linter cannot work through must not be stored, or proposing and
signing it would fail later. Dates are held to 1970..2200 so the months before a plan exist.
"""

from __future__ import annotations

from datetime import date

import yaml

from kpiguard.errors import Finding, InputError
from kpiguard.plans import io, lint
from kpiguard.plans.io import Locations
from kpiguard.plans.model import Plan

ESCAPES = (ArithmeticError, ValueError, RecursionError)  # OverflowError and decimal errors are ArithmeticErrors
FIRST_YEAR, LAST_YEAR = 1970, 2200


def out_of_range(source: str, detail: str, line: int | None = None) -> InputError:
    return InputError(f"{source}: a number or date is out of range / 方案中有超出范围的数值或日期", [Finding(
        "plan.range", detail, file=source, row=line,
        hint=f"use amounts below 10^15 and real dates from {FIRST_YEAR} to {LAST_YEAR} / "
             f"金额须小于10^15，日期须为{FIRST_YEAR}至{LAST_YEAR}年间的真实日期")])


def _bad_scalar_line(text: str) -> int | None:
    """The line of the first scalar PyYAML cannot construct (a 30 February), if it can be found."""
    try:
        stack: list[yaml.Node | None] = [yaml.compose(text)]
    except (yaml.YAMLError, RecursionError):
        return None
    constructor = yaml.SafeLoader("")
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except ValueError:
                return node.start_mark.line + 1
        elif isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in reversed(node.value) for v in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


def load(text: str, source: str) -> tuple[Plan, Locations]:
    """The plan and its line map, or an ``InputError`` whose findings name the line."""
    try:
        plan, locations = io.load(text, source)
    except RecursionError:
        raise InputError(f"{source} is nested too deeply / 方案嵌套层级过深", [Finding(
            "plan.yaml", "the text nests lists or mappings too deeply to read", file=source,
            hint="a plan nests a few levels at most; check the brackets")]) from None
    except ValueError as exc:
        raise out_of_range(source, str(exc), _bad_scalar_line(text)) from None
    check_period(plan.period.start, plan.period.end, source, locations.line("period"))
    return plan, locations


def check_period(start: date, end: date, source: str, line: int | None = None) -> None:
    if start.year < FIRST_YEAR or end.year > LAST_YEAR:
        raise out_of_range(source, f"period {start} .. {end}", line)


def check(plan: Plan, locations: Locations, source: str) -> None:
    """Refuse a text the linter cannot work through (its rules' arithmetic on the numbers as written)."""
    try:
        lint.lint(lint.LintContext(plan, locations, source, {}))
    except ESCAPES as exc:
        raise out_of_range(source, f"{type(exc).__name__}: {exc}") from None
