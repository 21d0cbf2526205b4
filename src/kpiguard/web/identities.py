"""Who a session cookie or API token belongs to, and which stores that user sees, remembered
between requests for as long as nothing in the catalog changed.

Every page needs the caller's session, user, roles and visible stores: four queries on the shared
catalog, about half the time of a cached page. They change only when someone writes the catalog
(a sign-out, a disabled user, a changed role, a revoked grant or token), so an answer is kept while
the catalog's files are unchanged (``catalog_stamp``: two stats) and for at most ``TTL_SECONDS``.

Security does not wait for the TTL:

* any committed write changes the stamp, and the next lookup drops everything remembered;
* a request that changes something (any method but GET/HEAD/OPTIONS) drops everything before its
  answer leaves (``SecurityMiddleware``), and ``forget`` runs at sign-out; an answer read while a
  write was in flight is not stored (``_epoch``), so it cannot outlive the write;
* a session is only served from here while its catalog ``last_seen`` is under a minute old and it
  has not expired: the idle timeout, the 12-hour limit and the once-a-minute ``last_seen`` update
  go through ``sessions.resolve`` exactly as before;
* only live sessions and tokens are kept; an unknown cookie is looked up every time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from kpiguard.accounts import sessions, tokens
from kpiguard.accounts.model import User
from kpiguard.accounts.sessions import Session
from kpiguard.web.runtime import catalog_stamp
from kpiguard.workspace import Workspace

T = TypeVar("T")
TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000  # distinct live sessions, tokens and users; beyond it start again


class Identities:
    """Sessions, token users and visible stores, valid while the catalog stamp is unchanged."""

    def __init__(self, ttl: float = TTL_SECONDS, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._ttl = ttl
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, Any], tuple[Any, float]] = {}
        self._stamp: tuple[int, ...] = ()
        self._epoch = 0  # moves whenever everything is dropped; a value read before is not stored
        self.hits = 0
        self.misses = 0

    def forget(self) -> None:
        """Drop everything (after a change made in this process: sign-out, a grant, a revoked token)."""
        with self._lock:
            self._entries.clear()
            self._epoch += 1

    def session(self, ws: Workspace, raw: str, now: datetime) -> Session | None:
        """``sessions.resolve``, answered from memory while that would give the same answer."""
        if not raw or len(raw) > 200:
            return None
        return self._through(ws, ("session", sessions.digest(raw)),
                             lambda s: isinstance(s, Session) and _current(s, now),
                             lambda: sessions.resolve(ws, raw, now))

    def token_user(self, ws: Workspace, raw: str, now: datetime) -> User | None:
        """``tokens.resolve``: the user a live API token acts as (its ``last_used`` is then
        refreshed at most ``TTL_SECONDS`` late, within its once-a-minute granularity)."""
        if not raw.startswith(tokens.PREFIX) or len(raw) > 200:
            return None
        return self._through(ws, ("token", tokens.digest(raw)), lambda u: isinstance(u, User),
                             lambda: tokens.resolve(ws, raw, now))

    def stores(self, ws: Workspace, user: User, compute: Callable[[], list[str]]) -> list[str]:
        """The user's visible stores (``compute`` reads them from the catalog when not known); a
        copy, so that a caller cannot change what is remembered."""
        key = ("stores", (user.user_id, user.org_id, user.org_kind, user.role, user.assigned_stores))
        return list(self._through(ws, key, lambda v: isinstance(v, list), lambda: list(compute())))

    # -- inside ------------------------------------------------------------------------------
    def _lookup(self, ws: Workspace, key: tuple[str, Any]) -> tuple[int, Any]:
        """The current epoch (after dropping everything if the catalog changed) and the live value."""
        stamp = catalog_stamp(ws)  # before any read of the catalog: a write after it changes the stamp
        with self._lock:
            if stamp != self._stamp:
                self._entries.clear()
                self._epoch += 1
                self._stamp = stamp
            entry = self._entries.get(key)
            if entry is not None and self._monotonic() - entry[1] >= self._ttl:
                del self._entries[key]
                entry = None
            return self._epoch, None if entry is None else entry[0]

    def _through(self, ws: Workspace, key: tuple[str, Any], usable: Callable[[Any], bool],
                 compute: Callable[[], T]) -> T:
        """The remembered value of ``key`` when ``usable``, else ``compute()``'s, remembered when
        usable (an unknown cookie, an expired session or a revoked token is asked again next time)."""
        epoch, found = self._lookup(ws, key)
        if found is not None and usable(found):
            self._count(hit=True)
            return found  # type: ignore[no-any-return]
        self._count(hit=False)
        value = compute()
        if value is not None and usable(value):
            self._store(epoch, key, value)
        return value

    def _store(self, epoch: int, key: tuple[str, Any], value: Any) -> None:
        with self._lock:
            if epoch != self._epoch:
                return  # the catalog changed (or a change dropped everything) while it was read
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (value, self._monotonic())

    def _count(self, hit: bool) -> None:
        with self._lock:
            if hit:
                self.hits += 1
            else:
                self.misses += 1


def _current(s: Session, now: datetime) -> bool:
    """Whether ``sessions.resolve`` would give this session back unchanged, without touching it:
    not expired, and seen less than ``TOUCH_EVERY`` ago (so neither idle nor due for an update)."""
    return s.last_seen is not None and now < s.expires_at and now - s.last_seen < sessions.TOUCH_EVERY


_CREATING = threading.Lock()


def identities_of(state: Any) -> Identities:
    """The app's ``Identities`` (``app.state.identities``; ``auth.install`` creates it)."""
    found = getattr(state, "identities", None)
    if not isinstance(found, Identities):
        with _CREATING:
            found = getattr(state, "identities", None)
            if not isinstance(found, Identities):
                found = Identities()
                state.identities = found
    return found
