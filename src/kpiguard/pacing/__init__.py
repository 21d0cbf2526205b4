"""Pacing (进度追踪): where a plan's scoring period stands and where it is heading.

``pace(ws, plan_id, as_of)`` fills the ``model.PaceReport`` contract that the early-warning rules
read; ``backtest(ws, stores)`` measures how well the same forecasts did on a store's own history.
"""

from kpiguard.pacing.backtest import backtest
from kpiguard.pacing.pace import pace

__all__ = ["backtest", "pace"]
