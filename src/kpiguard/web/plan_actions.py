"""The plan workflow as the web app runs it: permission, then ``plans.store``, then the audit log.

Pages (form posts) and the API (JSON) call the same functions, so both refuse the same things:

* who: ``require_plan``/``require_in`` with the action (plan_edit, plan_propose, plan_sign); a plan
  of another organisation is ``NotVisible`` (404), a role without the action ``PermissionDenied``;
* what: ``plans.store`` refuses what the lifecycle forbids (editing a proposed plan ...);
* proposing a draft with lint errors is refused here with the findings and their lines, since a
  plan that cannot be signed should not be put to the other party;
* a signature is made on the hash the signer saw: when the text moved since, it is refused.

Every change is followed by ``audit(...)`` naming the plan's stores, so both parties read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from pydantic import BaseModel, Field

from kpiguard import stores as stores_mod
from kpiguard.accounts.model import User
from kpiguard.accounts.permissions import access, require_in, require_plan
from kpiguard.errors import Finding, InputError
from kpiguard.periods import parse_period
from kpiguard.plans import store as plan_store
from kpiguard.plans import suggest, templates
from kpiguard.plans.model import Period, Plan
from kpiguard.plans.store import StoredPlan
from kpiguard.web import plan_text
from kpiguard.web.access import lang, workspace
from kpiguard.web.auth import audit
from kpiguard.web.plan_views import stored_lint

PLAN_ID = r"^[a-z0-9][a-z0-9_-]{0,62}$"
RESERVED_IDS = frozenset({"new", "lint"})  # /plans/new is the form, /api/plans/lint the linter
MAX_TEXT = 200_000


class NewPlan(BaseModel):
    """A draft from a template, as ``kpiguard plan new`` makes it."""

    template: str = Field(pattern=r"^[a-z_]{1,20}/[a-z_]{1,20}$", description="mode/stage, e.g. full_service/growth")
    stores: list[str] = Field(min_length=1, max_length=20, description="store ids of the plan")
    period: str = Field(min_length=4, max_length=30, description="2026-12, 2026Q4 or 2026")
    plan_id: str | None = Field(None, pattern=PLAN_ID, description="default STORE-PERIOD")
    seller: str = Field("", max_length=200, description="the seller's name (default: the seller's organisation)")
    provider: str = Field("", max_length=200, description="the agency's name (default: the agency's organisation)")
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$", description="default: the stores' currency")


@dataclass(frozen=True)
class Created:
    plan: StoredPlan
    notes: list[dict[str, Any]]


class LintRefused(InputError):
    """Proposing a plan whose lint has errors: the rows carry line, severity and message."""

    def __init__(self, message: str, findings: list[Finding], rows: list[dict[str, Any]]) -> None:
        super().__init__(message, findings)
        self.rows = rows


def _target(sp: StoredPlan) -> str:
    return f"plan:{sp.plan_id}"


def _currency(request: Request, store_ids: list[str]) -> str:
    """The stores' currency when they share one, else USD (what ``kpiguard plan new`` does)."""
    known = {s.store_id: s.currency for s in stores_mod.list_stores(workspace(request))}
    found = {known[s] for s in store_ids if s in known}
    return found.pop() if len(found) == 1 else "USD"


def _names(user: User, form: NewPlan) -> tuple[str, str]:
    seller = form.seller.strip() or (user.org_name if user.party == "seller" else form.stores[0])
    provider = form.provider.strip() or (user.org_name if user.party == "provider" else "provider / 服务商")
    return seller, provider


def create(request: Request, user: User, form: NewPlan) -> Created:
    """A draft from a template with targets suggested from the stores' history."""
    ws = workspace(request)
    require_in(access(ws, user), "plan_edit", form.stores)
    start, end = parse_period(form.period)
    plan_text.check_period(start, end, "period")
    pid = form.plan_id or f"{form.stores[0]}-{form.period}".lower().replace("..", "-")
    if pid in RESERVED_IDS:
        raise InputError(f"{pid!r} cannot be a plan id here / 该编号保留", [Finding(
            "plan.id", f"{pid!r} is a page of the web app", column="plan_id", value=pid, hint="choose another id")])
    seller, provider = _names(user, form)
    plan = templates.instantiate(templates.load(form.template), pid, seller, provider, form.stores,
                                 Period(start=start, end=end), form.currency or _currency(request, form.stores))
    drafted = suggest.draft(ws, plan)
    sp = plan_store.create(ws, drafted.plan, user.email)
    audit(request, user, "plan.create", _target(sp), {"version": sp.version, "template": form.template,
                                                      "plan_hash": sp.plan_hash}, sp.plan.stores)
    return Created(sp, [n.__dict__ for n in drafted.notes])


def _read(request: Request, user: User, text: str, plan_id: str) -> Plan:
    """The plan in ``text``; its stores must be ones the user may edit (never widen a plan's reach)."""
    if len(text) > MAX_TEXT:
        raise InputError("the plan text is too long / 方案文本过长", [Finding(
            "plan.size", f"{len(text)} characters, at most {MAX_TEXT}", column="yaml", hint="shorten the text")])
    plan, locations = plan_text.load(text, f"{plan_id}.yaml")
    plan_text.check(plan, locations, f"{plan_id}.yaml")
    acc = access(workspace(request), user)
    hidden = [s for s in plan.stores if s not in acc.stores]
    if hidden:
        raise InputError(f"store {', '.join(hidden)} is not one of your stores / 店铺不可见", [Finding(
            "plan.store_hidden", f"store {', '.join(hidden)} is not one of your stores", file=f"{plan_id}.yaml",
            row=locations.line("stores"), column="stores", hint="list only stores you can see")])
    require_in(acc, "plan_edit", plan.stores, f"plan {plan_id}")
    return plan


def save_draft(request: Request, user: User, plan_id: str, text: str) -> StoredPlan:
    ws = workspace(request)
    before = require_plan(ws, user, "plan_edit", plan_id)
    plan = _read(request, user, text, plan_id)
    sp = plan_store.update_draft(ws, plan_id, plan, user.email, text)
    audit(request, user, "plan.update", _target(sp), {"version": sp.version, "previous_hash": before.plan_hash,
                                                      "plan_hash": sp.plan_hash}, sp.plan.stores)
    return sp


def propose(request: Request, user: User, plan_id: str) -> StoredPlan:
    ws = workspace(request)
    sp = require_plan(ws, user, "plan_propose", plan_id)
    if sp.status == "draft":
        rows = [r for r in stored_lint(request, sp, lang(request, user))["findings"] if r["severity"] == "error"]
        if rows:
            raise LintRefused(f"plan {plan_id} has {len(rows)} lint error(s) and cannot be proposed / "
                              f"方案有{len(rows)}个检查错误，不能提交签署",
                              [Finding(r["code"], r["message"], file=f"{plan_id} v{sp.version}", row=r["line"],
                                       column=r["path"] or None, hint=r["hint"]) for r in rows], rows)
    done = plan_store.propose(ws, plan_id, user.email)
    audit(request, user, "plan.propose", _target(done), {"version": done.version, "plan_hash": done.plan_hash},
          done.plan.stores)
    return done


def sign(request: Request, user: User, plan_id: str, seen_hash: str | None) -> StoredPlan:
    """Sign as the user's party (seller admin: seller; agency manager: provider) the text they saw."""
    ws = workspace(request)
    sp = require_plan(ws, user, "plan_sign", plan_id)
    if seen_hash is not None and seen_hash != sp.plan_hash:
        raise InputError("the plan changed since you opened it / 方案在您打开后已变化", [Finding(
            "plan.hash_moved", f"you saw {seen_hash[:16]}…, the plan is now {sp.plan_hash[:16]}…",
            column="plan_hash", hint="reload the plan, read it again and sign")])
    done = plan_store.sign(ws, plan_id, user.party, user.name)
    audit(request, user, "plan.sign", _target(done), {"version": done.version, "role": user.party,
                                                      "plan_hash": sp.plan_hash, "status": done.status},
          done.plan.stores)
    return done


def amend(request: Request, user: User, plan_id: str, text: str, reason: str) -> StoredPlan:
    """Version N+1 as a draft with a reason (agency manager or seller admin: it reopens a contract)."""
    ws = workspace(request)
    require_plan(ws, user, "plan_propose", plan_id)
    plan = _read(request, user, text, plan_id)
    done = plan_store.amend(ws, plan_id, plan, reason, user.email, text)
    audit(request, user, "plan.amend", _target(done), {"version": done.version, "reason": reason.strip(),
                                                       "plan_hash": done.plan_hash}, done.plan.stores)
    return done


def activate(request: Request, user: User, plan_id: str) -> StoredPlan:
    ws = workspace(request)
    require_plan(ws, user, "plan_sign", plan_id)
    done = plan_store.activate(ws, plan_id, user.email)
    audit(request, user, "plan.activate", _target(done), {"version": done.version}, done.plan.stores)
    return done
