"""Who may propose and decide an event, and what the clause's day limit does."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kpiguard.errors import InputError
from kpiguard.events import store as events
from kpiguard.events.store import Event
from kpiguard.plans import io
from kpiguard.scoring.exclusions import event_days, late_days
from tests.scoring.golden import PLAN_ID, PLAN_YAML, STORE


def test_the_proposer_cannot_approve_its_own_event(approved_ws) -> None:
    ws, _ = approved_ws
    e = events.propose(ws, events.Proposal(PLAN_ID, "platform_outage", (STORE,), date(2026, 11, 3),
                                           date(2026, 11, 3), "Seller Central down all day", "provider", "Anna"))
    with pytest.raises(InputError, match="must be decided by the seller"):
        events.approve(ws, e.event_id, "provider", "Anna")
    decided = events.reject(ws, e.event_id, "seller", "Li Wei", "outage was 2 hours")
    assert decided.status == "rejected"
    with pytest.raises(InputError, match="already rejected"):
        events.approve(ws, e.event_id, "seller", "Li Wei")


def test_event_types_and_stores_outside_the_clause_are_refused(approved_ws) -> None:
    ws, _ = approved_ws
    with pytest.raises(InputError, match="does not cover 'major_holiday'"):
        events.propose(ws, events.Proposal(PLAN_ID, "major_holiday", (STORE,), date(2026, 11, 26), date(2026, 11, 27),
                                           "Thanksgiving", "provider", "Anna"))
    with pytest.raises(InputError, match="not in plan"):
        events.propose(ws, events.Proposal(PLAN_ID, "stockout", ("other-store",), date(2026, 11, 1), date(2026, 11, 2),
                                           "stockout", "provider", "Anna"))


def _event(event_id: int, start: date, end: date, status: str = "approved") -> Event:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    return Event(event_id, PLAN_ID, "stockout", (STORE,), start, end, "n", None, None, "provider", "a", now, status,
                 "seller", "b", now, "")


def test_clause_limit_keeps_the_earliest_days() -> None:
    plan = io.load(PLAN_YAML, "golden.yaml")[0]  # max_days_per_period: 10
    days, reasons = event_days(plan, [_event(1, date(2026, 10, 1), date(2026, 10, 8)),
                                      _event(2, date(2026, 10, 6), date(2026, 10, 12)),
                                      _event(3, date(2026, 10, 20), date(2026, 10, 21), status="rejected")],
                               date(2026, 10, 1), date(2026, 10, 31))
    # 1..8 and 6..12 overlap: 12 distinct days, the earliest 10 (1..10) are excluded; 11, 12 are not
    assert sorted(d.day for _, d in days) == list(range(1, 11))
    assert reasons[-1]["not_excluded"] == ["2026-10-11", "2026-10-12"]


def test_late_days_run_from_the_day_after_due_to_the_day_before_delivery() -> None:
    plan = io.load(PLAN_YAML, "golden.yaml")[0]
    dep = plan.kpis[2].depends_on[0]  # due 2026-10-05
    assert [d.day for d in late_days(dep, date(2026, 10, 9), date(2026, 10, 1), date(2026, 10, 31))] == [6, 7, 8]
    assert late_days(dep, date(2026, 10, 5), date(2026, 10, 1), date(2026, 10, 31)) == []
    assert len(late_days(dep, None, date(2026, 10, 1), date(2026, 10, 31))) == 26


def test_rows_for_a_longer_period_are_not_dropped_by_an_excluded_day(tmp_path) -> None:
    """A monthly traffic row (1-31 Oct, 600 sessions) starts on an excluded day (1 Oct): it stays;
    the daily row of 1 Oct (10 sessions) goes, the daily row of 2 Oct (20 sessions) stays: 620."""
    from kpiguard.metrics.tables import LakeReader, connect
    from kpiguard.scoring.exclusions import ExcludingReader
    from kpiguard.workspace import Workspace

    ws = Workspace(tmp_path / "ws")
    ws.init()
    con = connect()
    con.raw_sql("CREATE TABLE t AS SELECT * FROM (VALUES ('s', DATE '2026-10-01', DATE '2026-10-31', 600), "
                "('s', DATE '2026-10-01', DATE '2026-10-01', 10), ('s', DATE '2026-10-02', DATE '2026-10-02', 20)) "
                "v(store_id, period_start_local, period_end_local, sessions)")

    class Fixed(LakeReader):
        def current(self, table, stores=None):
            return self.con.table("t")

    reader = ExcludingReader(Fixed(ws, con), frozenset({("s", date(2026, 10, 1))}))
    assert reader.current("traffic").sessions.sum().execute() == 620
