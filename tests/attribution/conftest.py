"""The two-store world (world.py) with its signed plan, built once per module."""

from __future__ import annotations

import pytest

from kpiguard.workspace import Workspace
from tests.attribution.world import world


@pytest.fixture(scope="module")
def att_ws(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = tmp_path_factory.mktemp("attribution")
    ws = Workspace(root / "ws")
    ws.init()
    (root / "files").mkdir()
    return world(ws, root / "files")
