"""The OpenAPI document: the PACT v3 part (paths and the schemas they reference) is exactly the one generated
before the exchange was split into routers (``fixtures/openapi_pact_v3.json``, generated from the single-module
application, with the CBAM extension's schema since added beside the co-pollutant one under /extensions/), and
every platform JSON response is a typed model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coreduce.exchange import Settings, create_app

FIXTURE = Path(__file__).parent / "fixtures" / "openapi_pact_v3.json"
PACT_PREFIXES = ("/3/", "/auth/", "/.well-known/", "/extensions/")


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value.rsplit("/", 1)[-1]
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def pact_part(document: dict) -> dict:
    """The PACT paths of ``document`` and every schema they reference, directly or through other schemas."""
    paths = {p: v for p, v in document["paths"].items() if p.startswith(PACT_PREFIXES)}
    schemas = document["components"]["schemas"]
    needed: set[str] = set()
    todo = [paths]
    while todo:
        for name in _refs(todo.pop()):
            if name not in needed:
                needed.add(name)
                todo.append(schemas[name])
    return {"paths": paths, "schemas": {name: schemas[name] for name in sorted(needed)}}


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'exchange.sqlite3'}"
    return create_app(Settings(database_url=url)).openapi()


def test_pact_paths_and_schemas_are_unchanged(document):
    before = json.loads(FIXTURE.read_text(encoding="utf-8"))
    now = json.loads(json.dumps(pact_part(document), sort_keys=True))
    assert sorted(now["paths"]) == sorted(before["paths"])
    for path in before["paths"]:
        assert now["paths"][path] == before["paths"][path], path
    assert now["schemas"] == before["schemas"]


def test_platform_json_responses_are_typed_models(document):
    untyped = []
    for path, item in document["paths"].items():
        if not path.startswith("/platform/"):
            continue
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if status.startswith("2") and schema is not None and "$ref" not in schema:
                    untyped.append(f"{method.upper()} {path} {status}: {schema}")
    assert not untyped, untyped
