"""Schemathesis against /openapi.json: whatever is sent, no 5xx, and answers as described.

Every operation of the API is called with cases generated from its own description: valid ones
(positive) and ones that break it (negative: wrong types, out-of-range numbers, bad patterns), as
the seller admin with an API token (bearer tokens skip CSRF, as scripts do). Each operation runs
twice: with generated path parameters (mostly things that do not exist) and with the world's own
objects in the path (gold-us, its plan, event and import), so the code behind the 404 runs too.

Checks: ``not_a_server_error`` (no 5xx), ``response_schema_conformance`` (a 2xx body matches its
declared schema), ``content_type_conformance``, ``response_headers_conformance`` and
``negative_data_rejection`` (input that breaks the schema is refused with a 4xx). Not
``status_code_conformance``: the routes declare the refusals they know (400/403/404) but not
FastAPI's 422 for every one, and that is not an error a user meets.

Failures are collected across operations (not stopped at the first) and reported together,
with the request and the answer, so an owner can reproduce each one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
)

from kpiguard.accounts import tokens
from kpiguard.web.app import create_app
from tests.web.world import PLAN, SELLER, STORE, TODAY, World

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, response_headers_conformance,
          negative_data_rejection]
EXAMPLES = 8  # per operation and mode with the world's objects in the path
EXAMPLES_GENERATED_PATH = 4  # with generated path parameters (almost all answer 404 at the same line)


@dataclass(frozen=True)
class Api:
    app: FastAPI
    schema: Any
    token: str
    token_id: int
    own: dict[str, Any]


@pytest.fixture(scope="module")
def api(world: World) -> Iterator[Api]:
    token, raw = tokens.create(world.ws, SELLER, "schemathesis", "test")
    app = create_app(world.home, TODAY)
    own = {"plan_id": PLAN, "store_id": STORE, "event_id": world.events["own"], "import_id": world.imports["own"],
           "metric": "gmv", "seq": 1, "alert_id": 1}
    yield Api(app, schemathesis.openapi.from_asgi("/openapi.json", app), raw, token.token_id, own)
    app.state.workspace.close()


def describe(case: Any, response: Any, problem: BaseException) -> str:
    body = getattr(response, "text", "")[:200] if response is not None else ""
    first = str(problem).strip().splitlines()[0] if str(problem).strip() else type(problem).__name__
    return (f"{case.operation.label} path={case.path_parameters} query={case.query} body={str(case.body)[:120]!r} "
            f"-> {getattr(response, 'status_code', '?')} {body!r}: {first}")


def explore(api: Api, operation: Any, mode: GenerationMode, path: dict[str, Any] | None) -> list[str]:
    found: list[str] = []
    auth = {"Authorization": f"Bearer {api.token}"}
    strategy = operation.as_strategy(mode, path_parameters=path)

    @settings(max_examples=EXAMPLES if path else EXAMPLES_GENERATED_PATH, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case: Any) -> None:
        if operation.path == "/api/tokens/{token_id}" and case.path_parameters.get("token_id") == api.token_id:
            case.path_parameters["token_id"] = api.token_id + 10_000  # never revoke the token this run uses
        response = None
        try:
            response = case.call(headers=auth)
            case.validate_response(response, checks=CHECKS, headers=auth)
        except Exception as problem:  # a check's failure, or the app raising through the test client
            found.append(describe(case, response, problem))

    try:
        run()
    except Unsatisfiable:
        assert mode == GenerationMode.NEGATIVE  # nothing in the operation can be broken (GET /api/me)
    return found


def test_no_server_error_and_answers_as_described(api: Api) -> None:
    problems: list[str] = []
    operations = [result.ok() for result in api.schema.get_all_operations()]
    assert len(operations) >= 30  # the core, plans, events and operations APIs
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        fills: list[dict[str, Any] | None] = [None]
        if names and names <= set(api.own) and "token_id" not in names:
            fills.append({n: api.own[n] for n in names})
        for path in fills:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                problems += explore(api, operation, mode, path)
    unique = sorted(set(problems))
    assert unique == [], f"{len(unique)} failures:\n" + "\n".join(unique)
