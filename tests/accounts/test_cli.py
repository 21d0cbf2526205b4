"""``kpiguard org|user|access|grant|token`` as a user runs them: a real subprocess, exit codes, messages."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import pytest

from kpiguard.accounts import orgs, permissions, tokens, users
from kpiguard.workspace import Workspace
from tests.conftest import add_store, run_cli


@pytest.mark.slow
def test_bootstrap_a_seller_and_an_agency_from_the_cli(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.init()
    add_store(ws, "acme-us", "amazon", "US")
    add_store(ws, "acme-de", "amazon", "DE")
    steps = [
        ("org", "add", "acme", "--name", "Acme Ltd", "--name-zh", "艾克美", "--kind", "seller"),
        ("org", "add", "wave", "--name", "Wave Agency", "--kind", "agency"),
        ("access", "assign", "acme-us", "--org", "acme"),
        ("access", "assign", "acme-de", "--org", "acme"),
        ("grant", "acme-us", "--to", "wave"),
        ("user", "add", "op@wave.example", "--name", "Op", "--org", "wave", "--role", "agency_operator",
         "--password", "operator-password-1"),
        ("user", "assign", "op@wave.example", "--store", "acme-us"),
    ]
    for step in steps:
        r = run_cli(ws, *step)
        assert r.code == 0, (step, r.err)
    # the password from stdin, as a script would give it
    proc = subprocess.run([sys.executable, "-m", "kpiguard", "--workspace", str(ws.home), "user", "add",
                           "boss@acme.example", "--name", "Boss", "--org", "acme", "--role", "seller_admin",
                           "--password-stdin"], input="a-good-long-password\n", capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    listing = run_cli(ws, "user", "list", "--json")
    assert "password" not in listing.out and "argon2" not in listing.out  # neither hash nor password printed
    listed = cast(list[dict[str, str]], listing.json())
    assert [(u["email"], u["role"]) for u in listed] == [("boss@acme.example", "seller_admin"),
                                                         ("op@wave.example", "agency_operator")]
    assert permissions.visible_stores(ws, users.by_email(ws, "op@wave.example")) == ["acme-us"]
    assert permissions.visible_stores(ws, users.by_email(ws, "boss@acme.example")) == ["acme-de", "acme-us"]

    created = run_cli(ws, "token", "create", "op@wave.example", "--name", "nightly")
    assert created.code == 0 and "shown once" in created.err
    raw = created.out.strip()
    user = tokens.resolve(ws, raw, datetime.now(UTC))
    assert user is not None and user.email == "op@wave.example"
    assert raw not in run_cli(ws, "token", "list", "--json").out

    revoked = run_cli(ws, "grant", "acme-us", "--to", "wave", "--revoke")
    assert revoked.code == 0 and "no longer" in revoked.out
    assert permissions.visible_stores(ws, users.by_email(ws, "op@wave.example")) == []


@pytest.mark.slow
def test_bad_input_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    ws.init()
    orgs.add(ws, "acme", "Acme", "seller", "test")
    users.add(ws, "a@acme.example", "A", "acme", "seller_admin", "long-enough-password", "test")
    add = ("user", "add", "a@acme.example", "--name", "A", "--role", "seller_admin")
    cases = {
        "unknown org": (run_cli(ws, "user", "add", "b@acme.example", "--name", "B", "--org", "nowhere",
                                "--role", "seller_admin", "--password", "long-enough-password"),
                        "organisation 'nowhere' does not exist"),
        "duplicate e-mail": (run_cli(ws, *add, "--org", "acme", "--password", "long-enough-password"),
                             "exists already"),
        "weak password": (run_cli(ws, "user", "add", "c@acme.example", "--name", "C", "--org", "acme",
                                  "--role", "seller_viewer", "--password", "short"), "at least 10"),
        "unknown role": (run_cli(ws, "user", "add", "d@acme.example", "--name", "D", "--org", "acme",
                                 "--role", "owner", "--password", "long-enough-password"), "unknown role 'owner'"),
        "grant to a seller": (run_cli(ws, "grant", "nostore", "--to", "acme"), "store 'nostore' does not exist"),
    }
    for name, (result, words) in cases.items():
        assert result.code == 2, name
        assert words in result.err, (name, result.err)
        assert "Traceback" not in result.err, name
    json_err = run_cli(ws, "user", "add", "e@acme.example", "--name", "E", "--org", "acme", "--role", "boss",
                       "--password", "x", "--json")
    assert json_err.code == 2
    assert [f["code"] for f in json_err.json()["findings"]] == ["user.role", "password.short"]  # type: ignore[index]
