"""Who is acting: the contract between accounts (storage, passwords, sessions) and the web app.

An organisation is a seller company or an agency. A seller organisation owns stores; it grants an
agency organisation access to some of them. Users belong to one organisation and have one role:

    seller_admin    everything on the seller's stores: sign as seller, decide events as seller,
                    grant agencies access, manage the seller's users, archive raw data
    seller_viewer   read the seller's stores
    agency_manager  read granted stores; import; draft, edit and propose plans; sign as provider;
                    propose and decide events as provider; add the agency's users and assign
                    its operators to granted stores
    agency_operator read and import for the stores assigned to them (within the agency's grants);
                    draft and edit plans of those stores; nothing that commits the agency
    auditor         read everything of its organisation, including the audit log; change nothing

``Action`` names what a request wants to do; ``kpiguard.accounts.permissions.can`` answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

OrgKind = Literal["seller", "agency"]
Role = Literal["seller_admin", "seller_viewer", "agency_manager", "agency_operator", "auditor"]
ROLES: tuple[str, ...] = ("seller_admin", "seller_viewer", "agency_manager", "agency_operator", "auditor")
Action = Literal[
    "read",            # see a store's data, scores, plans, events, imports
    "import",          # upload report files into a store
    "plan_edit",       # create or edit a draft plan
    "plan_propose",    # propose a draft for signature
    "plan_sign",       # sign (as the seller or as the provider, by the user's organisation)
    "event_propose",   # propose a force-majeure event
    "event_decide",    # approve or reject an event proposed by the other party
    "archive_raw",     # archive raw data (seller admins only; leaves a ledger record)
    "audit_read",      # read the audit log and the ledger
    "manage_users",    # add users to one's own organisation, grant agencies access
]


@dataclass(frozen=True)
class User:
    user_id: int
    email: str
    name: str
    org_id: str
    org_name: str
    org_kind: OrgKind
    role: Role
    lang: str = "zh-CN"  # zh-CN | en, switchable per user
    assigned_stores: tuple[str, ...] = field(default_factory=tuple)  # agency_operator only
    org_name_zh: str = ""  # the organisation's Chinese name, when it has one (踏行户外)

    def org_label(self, lang: str) -> str:
        """The organisation's name in ``lang`` (zh-CN falls back to the English name)."""
        return (self.org_name_zh or self.org_name) if lang.lower().startswith("zh") else self.org_name

    @property
    def party(self) -> str:
        """The plan party this user acts for: ``seller`` or ``provider``."""
        return "seller" if self.org_kind == "seller" else "provider"
