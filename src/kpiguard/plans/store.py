"""Plans in the workspace: versions, lifecycle and signatures, every change in the ledger.

A plan is a contract, so its text must not move under the signatures. Each version goes

    draft -> proposed -> signed (by seller and provider) -> active -> closed

and only a draft can be edited. A signature records the signer, the role, the time and the
SHA-256 of the plan's canonical form (``plans/io.py``) in the ledger, whose hash chain covers it.
Changing a proposed or signed plan is an *amendment*: version N+1, a draft with a reason, signed
again by both parties; version N stays readable and verifiable. When the amendment is signed it
takes over (``signed``, or ``active`` if N was active) and N becomes ``superseded``.

``verify_plan`` re-derives every version's hash from its stored text and compares it with the
signatures and with the ledger, the only record whose every byte is covered by the chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import duckdb

from kpiguard import catalog, ledger, transactions
from kpiguard.errors import Finding, InputError, NotFoundError, UserError
from kpiguard.metrics import definitions
from kpiguard.plans import history, io, lint
from kpiguard.plans.feasibility import LOOKBACK_MONTHS, history_metrics
from kpiguard.plans.model import Plan
from kpiguard.workspace import Workspace

ROLES: tuple[str, ...] = ("seller", "provider")
AMENDABLE = ("proposed", "signed", "active")


@dataclass(frozen=True)
class Signature:
    role: str  # seller | provider
    name: str
    signed_at: datetime
    plan_hash: str
    ledger_seq: int


@dataclass(frozen=True)
class StoredPlan:
    plan: Plan
    version: int
    status: str  # draft | proposed | signed | active | closed | superseded
    signatures: list[Signature]
    reason: str | None
    yaml_text: str
    plan_hash: str
    created_by: str = ""
    created_at: datetime | None = None

    @property
    def plan_id(self) -> str:
        return self.plan.plan_id

    def to_dict(self) -> dict[str, Any]:
        return {"plan_id": self.plan_id, "version": self.version, "status": self.status, "reason": self.reason,
                "plan_hash": self.plan_hash, "created_by": self.created_by, "created_at": str(self.created_at),
                "signatures": [{"role": s.role, "name": s.name, "signed_at": s.signed_at.isoformat(),
                                "plan_hash": s.plan_hash, "ledger_seq": s.ledger_seq} for s in self.signatures],
                "plan": self.plan.model_dump(mode="json", by_alias=True)}


@dataclass
class PlanVerifyReport:
    plan_id: str
    versions: int = 0
    signatures: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# -- reading ---------------------------------------------------------------------------------
_COLUMNS = "version, status, yaml_text, plan_hash, reason, created_by, created_at_utc"


def _signatures(con: duckdb.DuckDBPyConnection, plan_id: str, version: int) -> list[Signature]:
    rows = con.execute("SELECT role, name, signed_at_utc, plan_hash, ledger_seq FROM plan_signatures "
                       "WHERE plan_id = ? AND version = ? ORDER BY signed_at_utc, role", [plan_id, version]).fetchall()
    return [Signature(r[0], r[1], r[2], r[3], int(r[4])) for r in rows]


def _stored(con: duckdb.DuckDBPyConnection, plan_id: str, row: tuple[Any, ...]) -> StoredPlan:
    version, status, text, digest, reason, by, at = row
    plan, _ = io.load(text, f"{plan_id} v{version}")
    return StoredPlan(plan, int(version), status, _signatures(con, plan_id, int(version)), reason, text, digest, by, at)


def _row(con: duckdb.DuckDBPyConnection, plan_id: str, version: int | None) -> tuple[Any, ...]:
    sql = f"SELECT {_COLUMNS} FROM plan_versions WHERE plan_id = ?"
    row = (con.execute(sql + " AND version = ?", [plan_id, version]) if version is not None
           else con.execute(sql + " ORDER BY version DESC LIMIT 1", [plan_id])).fetchone()
    if row is None:
        what = f"plan {plan_id!r}" + (f" version {version}" if version is not None else "")
        raise NotFoundError(f"no {what} / 没有该方案", [Finding(
            "plan.unknown", f"{what} does not exist", hint="see kpiguard plan list")])
    return tuple(row)


def get(ws: Workspace, plan_id: str, version: int | None = None) -> StoredPlan:
    """A version of a plan (the latest when ``version`` is None), with its signatures."""
    ws.require()
    with ws.connect() as con:
        catalog.ensure_schema(con)
        return _stored(con, plan_id, _row(con, plan_id, version))


def versions(ws: Workspace, plan_id: str) -> list[StoredPlan]:
    ws.require()
    with ws.connect() as con:
        catalog.ensure_schema(con)
        rows = con.execute(f"SELECT {_COLUMNS} FROM plan_versions WHERE plan_id = ? ORDER BY version",
                           [plan_id]).fetchall()
        if not rows:
            _row(con, plan_id, None)  # raises the not-found error
        return [_stored(con, plan_id, tuple(r)) for r in rows]


def list_plans(ws: Workspace) -> list[StoredPlan]:
    """The latest version of every plan, by plan id."""
    ws.require()
    with ws.connect() as con:
        catalog.ensure_schema(con)
        ids = [r[0] for r in con.execute("SELECT plan_id FROM plans ORDER BY plan_id").fetchall()]
        return [_stored(con, pid, _row(con, pid, None)) for pid in ids]


# -- writing ---------------------------------------------------------------------------------
_writing = transactions.writing


def _text_for(plan: Plan, yaml_text: str | None) -> tuple[str, str]:
    """The text to store and its plan hash; a given text must say exactly what ``plan`` says."""
    digest = io.plan_hash(plan)
    if yaml_text is None:
        return io.to_yaml(plan), digest
    parsed, _ = io.load(yaml_text, plan.plan_id)
    if io.plan_hash(parsed) != digest:
        raise ValueError("yaml_text does not describe the plan given with it")
    return yaml_text, digest


def _set_status(con: duckdb.DuckDBPyConnection, actor: str, plan_id: str, version: int, old: str, new: str,
                **extra: Any) -> int:
    con.execute("UPDATE plan_versions SET status = ?, updated_at_utc = ? WHERE plan_id = ? AND version = ?",
                [new, datetime.now(UTC), plan_id, version])
    entry = ledger.append(con, actor, "plan.status",
                          {"plan_id": plan_id, "version": version, "from": old, "to": new, **extra})
    return entry.seq


def _refuse(sp: StoredPlan, action: str, allowed: tuple[str, ...], way_en: str, way_zh: str) -> None:
    if sp.status in allowed:
        return
    en = f"plan {sp.plan_id} version {sp.version} is {sp.status}: it cannot be {action}"
    zh = f"方案 {sp.plan_id} 第{sp.version}版状态为 {sp.status}，不能执行该操作（{action}）"
    raise InputError(f"{en} / {zh}", [Finding(f"plan.{sp.status}", en, column="status", value=sp.status,
                                              hint=f"{way_en} / {way_zh}")])


def create(ws: Workspace, plan: Plan, actor: str, yaml_text: str | None = None) -> StoredPlan:
    """Version 1 of a new plan, as a draft."""
    text, digest = _text_for(plan, yaml_text)
    with _writing(ws) as con:
        if con.execute("SELECT 1 FROM plans WHERE plan_id = ?", [plan.plan_id]).fetchone():
            raise InputError(f"plan {plan.plan_id} exists already / 方案已存在", [Finding(
                "plan.exists", f"plan {plan.plan_id!r} exists already", column="plan_id", value=plan.plan_id,
                hint="edit its draft (kpiguard plan edit), amend it (kpiguard plan amend), or choose another id")])
        now = datetime.now(UTC)
        con.execute("INSERT INTO plans VALUES (?, ?, ?)", [plan.plan_id, actor, now])
        con.execute("INSERT INTO plan_versions VALUES (?, 1, 'draft', ?, ?, NULL, ?, ?, ?)",
                    [plan.plan_id, text, digest, actor, now, now])
        ledger.append(con, actor, "plan.create", {"plan_id": plan.plan_id, "version": 1, "plan_hash": digest})
    return get(ws, plan.plan_id, 1)


def update_draft(ws: Workspace, plan_id: str, plan: Plan, actor: str, yaml_text: str | None = None) -> StoredPlan:
    """Replace the text of a draft. A proposed or signed version is refused: amend it instead."""
    _same_id(plan_id, plan)
    current = get(ws, plan_id)
    _refuse(current, "edited", ("draft",), f"amend it: kpiguard plan amend FILE --reason '...' (creates version "
            f"{current.version + 1}, to be signed again by both parties)",
            f"请提交修订：kpiguard plan amend FILE --reason '...'（生成第{current.version + 1}版，须双方重新签署）")
    text, digest = _text_for(plan, yaml_text)
    with _writing(ws) as con:
        con.execute("UPDATE plan_versions SET yaml_text = ?, plan_hash = ?, updated_at_utc = ? "
                    "WHERE plan_id = ? AND version = ? AND status = 'draft'",
                    [text, digest, datetime.now(UTC), plan_id, current.version])
        ledger.append(con, actor, "plan.update", {"plan_id": plan_id, "version": current.version,
                                                  "previous_hash": current.plan_hash, "plan_hash": digest})
    return get(ws, plan_id, current.version)


def _same_id(plan_id: str, plan: Plan) -> None:
    if plan.plan_id != plan_id:
        raise InputError(f"the file is plan {plan.plan_id}, not {plan_id} / 文件中的方案编号不一致", [Finding(
            "plan.id_mismatch", f"plan_id {plan.plan_id!r} in the file differs from {plan_id!r}",
            column="plan_id", value=plan.plan_id, hint=f"keep plan_id: {plan_id}")])


def propose(ws: Workspace, plan_id: str, actor: str) -> StoredPlan:
    """The draft is put to both parties for signature; from now on its text is fixed."""
    current = get(ws, plan_id)
    _refuse(current, "proposed", ("draft",), "only a draft can be proposed", "只有草稿可以提交签署")
    with _writing(ws) as con:
        _set_status(con, actor, plan_id, current.version, "draft", "proposed", plan_hash=current.plan_hash)
    return get(ws, plan_id, current.version)


def lint_findings(ws: Workspace, sp: StoredPlan) -> list[lint.PlanFinding]:
    """Lint a stored version against its stores' history before it starts, with the same history
    as ``kpiguard plan lint`` gives, so a plan that lints clean there can be signed here."""
    plan, locations = io.load(sp.yaml_text, f"{sp.plan_id} v{sp.version}")
    hist = history.monthly(ws, history_metrics(plan), plan.stores, plan.currency, plan.definition_set,
                           plan.period.start, LOOKBACK_MONTHS)
    return lint.lint(lint.LintContext(plan, locations, f"{sp.plan_id} v{sp.version}", hist))


def _check_signable(ws: Workspace, sp: StoredPlan, role: str) -> None:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r} / 未知签署角色", [Finding(
            "plan.role", f"role {role!r} is not seller or provider", column="--as", value=role,
            hint="sign --as seller or --as provider")])
    _refuse(sp, "signed", ("proposed",), "propose the draft first (kpiguard plan propose)" if sp.status == "draft"
            else "amend it to sign a new version", "请先提交签署（kpiguard plan propose）" if sp.status == "draft"
            else "如需修改请提交修订版本")
    if any(s.role == role for s in sp.signatures):
        raise InputError(f"the {role} has signed plan {sp.plan_id} version {sp.version} already / 该方已签署",
                         [Finding("plan.signed_twice", f"{role} signature exists", column="--as", value=role)])
    if io.plan_hash(sp.plan) != sp.plan_hash:
        raise InputError(f"plan {sp.plan_id} version {sp.version} was altered after it was proposed / 方案文本已被篡改",
                         [Finding("plan.tampered", "the stored text no longer hashes to the stored plan hash",
                                  hint="run kpiguard plan verify; restore the workspace from a backup")])
    definitions.resolve(ws, sp.plan.definition_set)  # must exist to be frozen by the second signature
    findings = lint_findings(ws, sp)
    if lint.has_errors(findings):
        source = f"{sp.plan_id} v{sp.version}"
        raise InputError(f"plan {sp.plan_id} version {sp.version} has lint errors and cannot be signed / "
                         "方案存在检查错误，不能签署",
                         [replace(f.to_finding(source), message=f"{f.code}: {f.en} / {f.zh}")
                          for f in findings if f.severity == "error"])


def sign(ws: Workspace, plan_id: str, role: str, name: str) -> StoredPlan:
    """One party's signature on the latest proposed version; the second one makes it binding."""
    current = get(ws, plan_id)
    _check_signable(ws, current, role)
    signer = name.strip()
    if not signer:
        raise InputError("a signature needs the signer's name / 签署须填写签署人姓名",
                         [Finding("plan.signer", "empty --name", column="--name", hint="--name 'Li Wei'")])
    with _writing(ws) as con:
        # read again under the write lock: the other party may have signed since
        signed = {r[0] for r in con.execute("SELECT role FROM plan_signatures WHERE plan_id = ? AND version = ?",
                                            [plan_id, current.version]).fetchall()}
        if role in signed or _row(con, plan_id, current.version)[1] != "proposed":
            raise InputError(f"plan {plan_id} version {current.version} changed while signing / 签署期间方案已变化",
                             [Finding("plan.race", "another signature or status change came first",
                                      hint="run kpiguard plan show and sign again if still needed")])
        now = datetime.now(UTC)
        entry = ledger.append(con, signer, "plan.sign", {
            "plan_id": plan_id, "version": current.version, "role": role, "name": signer,
            "signed_at": now.isoformat(), "plan_hash": current.plan_hash})
        con.execute("INSERT INTO plan_signatures VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [plan_id, current.version, role, signer, now, current.plan_hash, entry.seq])
        complete = signed | {role} == set(ROLES)
        if complete:
            _take_effect(con, signer, plan_id, current)
    if complete:
        definitions.freeze(ws, current.plan.definition_set, f"{plan_id} v{current.version}", signer)
    return get(ws, plan_id, current.version)


def _take_effect(con: duckdb.DuckDBPyConnection, actor: str, plan_id: str, current: StoredPlan) -> None:
    """Both signed: this version binds; an earlier signed or active version is superseded by it."""
    earlier = con.execute("SELECT version, status FROM plan_versions WHERE plan_id = ? AND version < ? "
                          "AND status IN ('signed', 'active') ORDER BY version DESC LIMIT 1",
                          [plan_id, current.version]).fetchone()
    new_status = "active" if earlier and earlier[1] == "active" else "signed"
    _set_status(con, actor, plan_id, current.version, "proposed", new_status, plan_hash=current.plan_hash)
    if earlier:
        _set_status(con, actor, plan_id, int(earlier[0]), earlier[1], "superseded", by_version=current.version)


def activate(ws: Workspace, plan_id: str, actor: str) -> StoredPlan:
    current = get(ws, plan_id)
    _refuse(current, "activated", ("signed",), "only a plan signed by both parties can be activated",
            "只有双方签署的方案才能生效")
    with _writing(ws) as con:
        _set_status(con, actor, plan_id, current.version, "signed", "active")
    return get(ws, plan_id, current.version)


def close(ws: Workspace, plan_id: str, actor: str, reason: str = "") -> StoredPlan:
    """End the plan (period over, or exit under its exit terms); the signed text stays as it was."""
    current = get(ws, plan_id)
    _refuse(current, "closed", ("signed", "active"), "only a signed or active plan can be closed",
            "只有已签署或已生效的方案才能关闭")
    with _writing(ws) as con:
        _set_status(con, actor, plan_id, current.version, current.status, "closed", reason=reason)
    return get(ws, plan_id, current.version)


def amend(ws: Workspace, plan_id: str, new_plan: Plan, reason: str, actor: str,
          yaml_text: str | None = None) -> StoredPlan:
    """Version N+1 as a draft with a reason. Version N stays as signed until N+1 is signed by both
    (a merely proposed N is superseded at once: it never bound anyone)."""
    _same_id(plan_id, new_plan)
    current = get(ws, plan_id)
    _refuse(current, "amended", AMENDABLE, "edit the draft instead (kpiguard plan edit)" if current.status == "draft"
            else "a closed plan cannot change; start a new plan", "草稿请直接编辑（kpiguard plan edit）"
            if current.status == "draft" else "已关闭的方案不能修改，请新建方案")
    if not reason.strip():
        raise InputError("an amendment needs a reason / 修订须说明原因", [Finding(
            "plan.reason", "empty --reason", column="--reason", hint="--reason 'stockout in November, target prorated'")])
    text, digest = _text_for(new_plan, yaml_text)
    if digest == current.plan_hash:
        raise InputError("the amendment changes nothing / 修订内容与当前版本相同", [Finding(
            "plan.unchanged", f"the file is identical to version {current.version}", hint="edit the terms first")])
    version = current.version + 1
    with _writing(ws) as con:
        now = datetime.now(UTC)
        con.execute("INSERT INTO plan_versions VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?)",
                    [plan_id, version, text, digest, reason.strip(), actor, now, now])
        ledger.append(con, actor, "plan.amend", {"plan_id": plan_id, "version": version, "plan_hash": digest,
                                                 "amends": current.version, "reason": reason.strip()})
        if current.status == "proposed":
            _set_status(con, actor, plan_id, current.version, "proposed", "superseded", by_version=version)
    return get(ws, plan_id, version)


def verify_plan(ws: Workspace, plan_id: str) -> PlanVerifyReport:
    """Every version's text against its stored hash, its signatures and the ledger."""
    ws.require()
    report = PlanVerifyReport(plan_id)
    with ws.connect() as con:
        catalog.ensure_schema(con)
        rows = con.execute("SELECT version, yaml_text, plan_hash FROM plan_versions WHERE plan_id = ? "
                           "ORDER BY version", [plan_id]).fetchall()
        if not rows:
            _row(con, plan_id, None)
        entries = [e for e in ledger.entries(con) if e.payload.get("plan_id") == plan_id]
        report.problems += ledger.chain_problems(con)
        for version, text, digest in rows:
            report.versions += 1
            sigs = _signatures(con, plan_id, int(version))
            report.signatures += len(sigs)
            report.problems += _version_problems(plan_id, int(version), text, digest, sigs, entries)
    return report


def _recorded_hash(entries: list[ledger.LedgerEntry], version: int) -> str | None:
    """The last hash the ledger recorded for a version's text (create, amend or draft update)."""
    found = None
    for e in entries:
        if e.kind in ("plan.create", "plan.amend", "plan.update") and e.payload.get("version") == version:
            found = e.payload.get("plan_hash")
    return found


def _version_problems(plan_id: str, version: int, text: str, digest: str, sigs: list[Signature],
                      entries: list[ledger.LedgerEntry]) -> list[str]:
    where = f"plan {plan_id} version {version}"
    problems: list[str] = []
    try:
        actual = io.plan_hash(io.load(text, where)[0])
    except UserError:
        actual = "(unreadable)"
    recorded = _recorded_hash(entries, version)
    if actual != digest:
        problems.append(f"{where}: the stored text hashes to {actual[:12]}…, not to its recorded {digest[:12]}…")
    if recorded != digest:
        problems.append(f"{where}: the ledger recorded hash {str(recorded)[:12]}… but the catalog says {digest[:12]}…")
    by_seq = {e.seq: e for e in entries}
    for s in sigs:
        e = by_seq.get(s.ledger_seq)
        if e is None or e.kind != "plan.sign" or e.payload.get("role") != s.role or e.payload.get("version") != version:
            problems.append(f"{where}: the {s.role} signature has no matching ledger entry {s.ledger_seq}")
        elif e.payload.get("plan_hash") != actual or s.plan_hash != actual:
            problems.append(f"{where}: the {s.role} signature ({s.name}) was made on another text "
                            f"({str(e.payload.get('plan_hash'))[:12]}…) than the one stored ({actual[:12]}…)")
    signed_roles = {s.role for s in sigs}
    for e in entries:
        if e.kind == "plan.sign" and e.payload.get("version") == version and e.payload.get("role") not in signed_roles:
            problems.append(f"{where}: the ledger holds a {e.payload.get('role')} signature (entry {e.seq}) "
                            "that the catalog lost")
    return problems
