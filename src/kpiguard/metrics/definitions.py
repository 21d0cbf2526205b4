"""Definition sets (统计口径): named, versioned policies that say how every metric is computed.

A set is ``name@version``. The built-in ``standard@1`` ships with kpiguard; users add sets to a
workspace in YAML, usually extending another (``extends: standard@1``) and overriding a few
policies. A set pinned by a signed plan is frozen: changing it is refused, and the way forward
is a new version. Frozen sets are recorded in the catalog and in the ledger.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kpiguard import catalog, ledger
from kpiguard.errors import Finding, InputError, NotFoundError
from kpiguard.workspace import Workspace

BUILTIN = ("standard@1",)

class FxPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["daily", "monthly_average"] = "daily"
    rate_table: str = "default"
    max_age_days: int = Field(7, ge=0, le=366)


class Policies(BaseModel):
    model_config = ConfigDict(extra="forbid")
    day_timezone: str = "marketplace"
    gmv_source: Literal["orders", "settlement"] = "orders"
    gmv_includes_tax: bool = False
    gmv_includes_shipping: bool = False
    gmv_includes_gift_wrap: bool = False
    cancelled_lines: Literal["exclude", "include"] = "exclude"
    pending_lines: Literal["exclude_unpriced", "exclude", "include"] = "exclude_unpriced"
    b2b: Literal["include", "exclude"] = "include"
    refunds_booked_on: Literal["refund_date", "order_period"] = "refund_date"
    order_sources: list[str] = Field(default_factory=list)
    traffic_level: Literal["store_if_present", "product"] = "store_if_present"
    ad_attribution_days: dict[str, int] = Field(default_factory=lambda: {"SP": 7, "SB": 14, "SD": 14})
    ad_sales_capped_at_gmv: bool = False
    fx: FxPolicy = Field(default_factory=lambda: FxPolicy())
    restatement_days: dict[str, int] = Field(default_factory=dict)


class DefinitionSet(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]{0,40}$")
    version: int = Field(ge=1)
    extends: str | None = None
    title: dict[str, str] = Field(default_factory=dict)
    description: dict[str, str] = Field(default_factory=dict)
    policies: Policies

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"


def ensure_schema(ws: Workspace) -> None:
    """Workspaces made before definition sets existed get the tables on first use."""
    with ws.connect() as con:
        catalog.ensure_schema(con)


@cache
def _builtin_raw(key: str) -> dict[str, Any]:
    text = resources.files("kpiguard.metrics").joinpath(f"definitions/{key}.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(text))


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _raw(ws: Workspace | None, key: str) -> dict[str, Any]:
    if key in BUILTIN:
        return _builtin_raw(key)
    if ws is not None and ws.exists:
        ensure_schema(ws)
        with ws.connect(read_only=True) as con:
            row = con.execute("SELECT body_json FROM definition_sets WHERE set_key = ?", [key]).fetchone()
        if row:
            return dict(json.loads(row[0]))
    raise NotFoundError(f"no definition set {key!r}", [Finding(
        "definitions.unknown", f"definition set {key!r} does not exist",
        hint="see kpiguard definitions list; the built-in set is standard@1")])


def resolve(ws: Workspace | None, key: str, _seen: tuple[str, ...] = ()) -> DefinitionSet:
    """The set with everything it extends merged in (the parent's policies, then its own)."""
    if key in _seen:
        raise InputError(f"definition set {key} extends itself", [Finding(
            "definitions.cycle", f"{' -> '.join(_seen + (key,))} is a cycle", hint="break the extends chain")])
    raw = _raw(ws, key)
    parent = raw.get("extends")
    policies = raw.get("policies", {})
    if parent:
        policies = _merge(resolve(ws, parent, _seen + (key,)).policies.model_dump(), policies)
    return _validate({**raw, "policies": policies}, key)


def _validate(raw: dict[str, Any], where: str) -> DefinitionSet:
    try:
        return DefinitionSet(**raw)
    except ValidationError as exc:
        raise InputError(f"definition set {where} is not valid", [
            Finding("definitions.invalid", e["msg"], column=".".join(str(p) for p in e["loc"]), file=where)
            for e in exc.errors()
        ]) from exc


def list_sets(ws: Workspace) -> list[dict[str, Any]]:
    ensure_schema(ws)
    with ws.connect(read_only=True) as con:
        rows = con.execute("SELECT set_key, extends, created_by, created_at_utc FROM definition_sets ORDER BY 1").fetchall()
        locks = {r[0]: r[1] for r in con.execute(
            "SELECT set_key, string_agg(locked_by_plan, ', ') FROM definition_set_locks GROUP BY 1").fetchall()}
    out = [{"key": k, "extends": None, "builtin": True, "frozen_by": locks.get(k)} for k in BUILTIN]
    out += [{"key": r[0], "extends": r[1], "builtin": False, "frozen_by": locks.get(r[0]),
             "created_by": r[2], "created_at": str(r[3])} for r in rows]
    return out


def frozen_by(ws: Workspace, key: str) -> list[str]:
    ensure_schema(ws)
    with ws.connect(read_only=True) as con:
        return [r[0] for r in con.execute(
            "SELECT locked_by_plan FROM definition_set_locks WHERE set_key = ? ORDER BY 1", [key]).fetchall()]


def add(ws: Workspace, text: str, source_name: str, actor: str) -> DefinitionSet:
    """Store a user set. Replacing a set is allowed only while no signed plan pins it."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(f"{source_name} is not valid YAML", [Finding("definitions.yaml", str(exc), file=source_name)]) from exc
    if not isinstance(raw, dict):
        raise InputError(f"{source_name} is not a definition set", [Finding(
            "definitions.shape", "expected a mapping with name, version, policies", file=source_name)])
    candidate = _validate(raw, source_name)
    if candidate.key in BUILTIN:
        raise InputError(f"{candidate.key} is built in", [Finding(
            "definitions.builtin", f"{candidate.key} ships with kpiguard and cannot be replaced", file=source_name,
            hint=f"give your set another name, e.g. name: mine, extends: {candidate.key}")])
    if candidate.extends:
        resolve(ws, candidate.extends)
    ensure_schema(ws)
    with ws.write_lock(), ws.connect() as con:
        locks = [r[0] for r in con.execute(
            "SELECT locked_by_plan FROM definition_set_locks WHERE set_key = ?", [candidate.key]).fetchall()]
        current = con.execute("SELECT body_json FROM definition_sets WHERE set_key = ?", [candidate.key]).fetchone()
        body = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)
        if current and current[0] == body:
            return resolve(ws, candidate.key)
        if current and locks:
            raise InputError(f"definition set {candidate.key} is frozen", [Finding(
                "definitions.frozen", f"{candidate.key} is pinned by signed plan(s) {', '.join(locks)} and cannot change",
                file=source_name, column="version",
                hint=f"publish the change as version {candidate.version + 1} and amend the plan to use it")])
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM definition_sets WHERE set_key = ?", [candidate.key])
        con.execute("INSERT INTO definition_sets VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [candidate.key, candidate.name, candidate.version, candidate.extends, body, actor, datetime.now(UTC)])
        ledger.append(con, actor, "definitions.add", {"set": candidate.key, "body": raw, "replaced": bool(current)})
        con.execute("COMMIT")
    return resolve(ws, candidate.key)


def freeze(ws: Workspace, key: str, plan_ref: str, actor: str) -> None:
    """Pin a set for a signed plan; from now on it cannot change. Called by plan signing."""
    resolve(ws, key)
    ensure_schema(ws)
    with ws.write_lock(), ws.connect() as con:
        con.execute("BEGIN TRANSACTION")
        con.execute("INSERT INTO definition_set_locks VALUES (?, ?, ?)", [key, plan_ref, datetime.now(UTC)])
        ledger.append(con, actor, "definitions.freeze", {"set": key, "plan": plan_ref})
        con.execute("COMMIT")
