"""Reading a plan's YAML with the line of every key, so findings point at the text people edit.

``load`` returns the plan and a ``Locations`` map from a dotted path (``kpis.2.weight``) to its
line in the file. Shape errors (unknown keys, a weight that is not a number) are collected from
Pydantic and raised together as one ``InputError`` naming file, line and path.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml
from pydantic import ValidationError

from kpiguard.errors import Finding, InputError
from kpiguard.plans.model import Plan


@dataclass
class Locations:
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, path: str) -> int | None:
        """The line of ``path`` or of its nearest parent that has one."""
        parts = path.split(".")
        while parts:
            found = self.lines.get(".".join(parts))
            if found is not None:
                return found
            parts.pop()
        return None


def _walk(node: yaml.Node, prefix: str, out: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            out[path] = key_node.start_mark.line + 1
            _walk(value_node, path, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            path = f"{prefix}.{i}"
            out[path] = item.start_mark.line + 1
            _walk(item, path, out)


def parse_yaml(text: str, source: str) -> tuple[Any, Locations]:
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"{source} is not valid YAML", [Finding(
            "plan.yaml", str(getattr(exc, "problem", exc)), file=source,
            row=mark.line + 1 if mark else None, hint="fix the YAML syntax (indentation, quotes, colons)")]) from exc
    except ValueError as exc:  # a date that does not exist, e.g. 2026-02-30
        raise InputError(f"{source} has an impossible value", [Finding(
            "plan.value", str(exc), file=source, row=_bad_date_line(text),
            hint="dates are YYYY-MM-DD and must exist (2026-02-28, not 2026-02-30)")]) from exc
    except RecursionError as exc:
        raise InputError(f"{source} is nested too deeply to be a plan", [Finding(
            "plan.shape", "the text nests lists or mappings hundreds of levels deep", file=source,
            hint="start from a template: kpiguard plan new --template full_service/growth ...")]) from exc
    locations = Locations()
    if node is not None:
        _walk(node, "", locations.lines)
    return data, locations


def _bad_date_line(text: str) -> int | None:
    """The first line holding a YYYY-MM-DD that is not a real day (YAML reads those as dates)."""
    for number, line in enumerate(text.splitlines(), 1):
        for found in re.findall(r"\b(\d{4}-\d{2}-\d{2})\b", line):
            try:
                date.fromisoformat(found)
            except ValueError:
                return number
    return None


def load(text: str, source: str) -> tuple[Plan, Locations]:
    data, locations = parse_yaml(text, source)
    if not isinstance(data, dict):
        raise InputError(f"{source} is not a plan", [Finding(
            "plan.shape", "a plan is a mapping with plan_id, seller, provider, kpis ...", file=source, row=1,
            hint="start from a template: kpiguard plan new --template full_service/growth ...")])
    try:
        return Plan.model_validate(data), locations
    except ValidationError as exc:
        findings = []
        for e in exc.errors():
            path = ".".join(str(p) for p in e["loc"])
            findings.append(Finding("plan.invalid", e["msg"], file=source, row=locations.line(path), column=path,
                                    value=None if e.get("input") is None or isinstance(e.get("input"), dict | list)
                                    else str(e["input"]),
                                    hint="see docs/plans.md for every key and its allowed values"))
        raise InputError(f"{source}: the plan cannot be read", findings) from exc


def canonical_form(plan: Plan) -> str:
    """The text that is signed: sorted keys, no formatting, Decimals as strings, both languages."""
    data = plan.model_dump(mode="json", by_alias=True)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def plan_hash(plan: Plan) -> str:
    return hashlib.sha256(canonical_form(plan).encode("utf-8")).hexdigest()


def to_yaml(plan: Plan) -> str:
    data = plan.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
