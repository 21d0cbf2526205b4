"""``lint_command`` end to end: a plan file in, findings out (table or JSON), exit 2 on errors.

The command is registered on a throw-away Typer app here (the ``kpiguard plan`` group is another
module's); the history case runs against tests/metrics/world.py's workspace.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kpiguard.cli.output import console
from kpiguard.cli.plan_lint import lint_command
from kpiguard.cli.state import STATE
from kpiguard.errors import InputError
from kpiguard.workspace import Workspace
from tests.metrics.world import world
from tests.plans.plan_text import CLEAN, edit, line_of

app = typer.Typer()
app.command()(lint_command)


def run(tmp_path: Path, text: str, *args: str) -> tuple[int, str]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, [str(plan), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


@pytest.fixture(autouse=True)
def no_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(STATE, "workspace", Workspace(tmp_path / "none"))


def test_clean_plan_exits_0_and_says_it_can_be_signed(tmp_path: Path) -> None:
    code, out = run(tmp_path, CLEAN)
    assert code == 0
    assert "0 error(s), 0 warning(s), 1 info: can be signed" in out  # the PL002 "no history" info


def test_errors_exit_2_with_json_in_both_languages(tmp_path: Path) -> None:
    text = edit(CLEAN, "review_cadence: monthly", "review_cadence: quarterly")
    code, out = run(tmp_path, text, "--json")
    assert code == 2
    findings = json.loads(out)
    pl008 = [f for f in findings if f["code"] == "PL008"]
    assert pl008 == [{
        "code": "PL008", "severity": "error", "path": "review_cadence", "line": line_of(text, "review_cadence:"),
        "message_en": pl008[0]["message_en"], "message_zh": pl008[0]["message_zh"],
        "hint_en": pl008[0]["hint_en"], "hint_zh": pl008[0]["hint_zh"]}]
    assert "quarterly" in pl008[0]["message_en"] and "季度" in pl008[0]["message_zh"]


def test_table_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "_width", 240)  # wide enough that no cell is folded
    text = edit(CLEAN, "seller_keeps_access: true", "seller_keeps_access: false")
    code, out = run(tmp_path, text, "--lang", "zh-CN")
    assert code == 2
    assert "PL009" in out and "原始数据权限" in out and "1 个错误，0 个警告，1 个提示：不能签署" in out


def test_unknown_language_and_missing_file_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        lint_command(tmp_path / "plan.yaml", "fr")
    with pytest.raises(InputError) as exc:
        lint_command(tmp_path / "missing.yaml")
    assert exc.value.findings[0].code == "plan.file"


def test_history_from_the_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ws: Workspace) -> None:
    # world: case-us GMV 20.00 in September and 245.00 in October 2026; 300 sessions and 4 orders
    # in October only. The plan starts 2026-11-01: history is November 2025 to October 2026 (the
    # metric layer reports the months before the store's first data as 0).
    (tmp_path / "files").mkdir()
    monkeypatch.setattr(STATE, "workspace", world(ws, tmp_path / "files"))
    code, out = run(tmp_path, edit(CLEAN, "target: 300\n    floor: 240\n    stretch: 360",
                                   "target: 1000\n    floor: 800\n    stretch: 1200"), "--json")
    assert code == 0  # warnings do not block
    gmv = [f for f in json.loads(out) if f["code"] == "PL002" and f["path"] == "kpis.0.target"]
    assert [f["severity"] for f in gmv] == ["warning"]
    # 1000 / 245 = 4.0816: sessions 300 x 4.0816 = 1224.49 -> 1,225 visits; cvr 4/300 x 4.0816 = 5.44%;
    # AOV 61.25 x 4.0816 = 250.00; one aligned month, so no month-over-month growth to compare
    assert "target 1,000.00 is ×4.08 the best month of the last 12 (245.00)" in gmv[0]["message_en"]
    assert "sessions alone 1,225, or conversion alone 5.44%, or AOV alone 250.00" in gmv[0]["message_en"]
    assert "too little history" in gmv[0]["message_en"]
    code, out = run(tmp_path, CLEAN, "--json")  # 300 / 245 = x1.22: within reach, the path is an info
    gmv = [f for f in json.loads(out) if f["code"] == "PL002" and f["path"] == "kpis.0.target"]
    assert [f["severity"] for f in gmv] == ["info"] and "needs ×1.22" in gmv[0]["message_en"]
