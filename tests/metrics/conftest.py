"""The case world (world.py) as a fixture shared by the metric tests."""

from __future__ import annotations

import pytest

from kpiguard.workspace import Workspace
from tests.metrics.world import world


@pytest.fixture(scope="module")
def case_ws(tmp_path_factory) -> Workspace:
    root = tmp_path_factory.mktemp("cases")
    ws = Workspace(root / "ws")
    ws.init()
    (root / "files").mkdir()
    return world(ws, root / "files")
