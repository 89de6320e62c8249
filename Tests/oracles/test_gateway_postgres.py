"""The gateway on PostgreSQL (`--database postgres://…`): the same answers as on the embedded SQLite store.

Uses the cluster `.ci/postgres` starts (ESSOR_TEST_POSTGRES_URL); each run seeds the demo data set into a fresh
schema (`?schema=NAME`), dropped at the end. Without the variable the tests skip locally and fail with CI=true.
Checks: the authorisation table of element reads, the catalogue (count, ETag, 304), the listing, `/readyz` naming
the engine, an audit row for a denial, and that the data outlive a restart (SIGTERM, then a new server).
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
import requests

from gateway import USERS, GatewayServer, can_read, ci, visible

OBJECTS = [90001, 90011, 90015, 90500, 91095, 99999]


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url.split("?")[0], "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True,
                   capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def postgres_url() -> str:
    url = os.environ.get("ESSOR_TEST_POSTGRES_URL")
    if not url:
        if ci():
            pytest.fail("ESSOR_TEST_POSTGRES_URL is not set (bash .ci/postgres start)", pytrace=False)
        pytest.skip("ESSOR_TEST_POSTGRES_URL is not set: eval \"$(bash .ci/postgres start)\" first")
    schema = "essor_gateway_" + uuid.uuid4().hex[:12]
    _psql(url, f"CREATE SCHEMA {schema}")
    yield url + ("&" if "?" in url else "?") + f"schema={schema}"
    _psql(url, f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="module")
def seeded(serve_binary, postgres_url, tmp_path_factory) -> tuple[str, dict[str, str], Path]:
    folder = tmp_path_factory.mktemp("postgres-gateway")
    keys_file = folder / "keys.json"
    serve_binary.run("demo", "seed", "--database", postgres_url, "--keys-out", keys_file, check=True)
    return postgres_url, json.loads(keys_file.read_text()), folder


def _start(serve_binary, pki, seeded, name: str) -> tuple[GatewayServer, str]:
    url, _, folder = seeded
    workdir = folder / name
    workdir.mkdir()
    repo = Path(__file__).resolve().parents[2]
    server = GatewayServer(serve_binary, workdir, [
        "serve", "--database", url, "--host", "127.0.0.1", "--port", "0", "--certs", str(pki.root),
        "--policies", str(repo / "policies")])
    port = server.wait_listening()
    return server, f"https://127.0.0.1:{port}"


def _get(base: str, pki, key: str, path: str, **kwargs) -> requests.Response:
    return requests.get(base + path, headers={"Authorization": f"Bearer {key}", **kwargs.pop("headers", {})},
                        verify=str(pki.ca), timeout=60, **kwargs)


def test_answers_as_on_sqlite_and_keeps_its_data_across_a_restart(serve_binary, pki, seeded):
    _, keys, _ = seeded
    server, base = _start(serve_binary, pki, seeded, "first")
    try:
        ready = requests.get(base + "/readyz", verify=str(pki.ca), timeout=30)
        assert ready.status_code == 200 and ready.json()["database"] == "postgres"
        for user in USERS:
            for norad in OBJECTS:
                response = _get(base, pki, keys[user], f"/api/v1/objects/{norad}/elements", params={"format": "tle"})
                expected = 200 if can_read(user, norad) else 404
                assert response.status_code == expected, f"{user} → {norad}: {response.status_code} {response.text}"
        catalogue = _get(base, pki, keys["operator-a"], "/api/v1/catalogue", params={"format": "3le"})
        assert catalogue.status_code == 200
        assert len(catalogue.text.splitlines()) == 3 * len(visible("operator-a"))
        etag = catalogue.headers["ETag"]
        again = _get(base, pki, keys["operator-a"], "/api/v1/catalogue", params={"format": "3le"},
                     headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        page = _get(base, pki, keys["operator-b"], "/api/v1/objects", params={"limit": 5})
        assert [item["id"] for item in page.json()["items"]] == visible("operator-b")[:5]
    finally:
        assert server.stop() == 0, server.tail()

    # A new server on the same database: same data, same ETag, and the denial above is in the audit log.
    server, base = _start(serve_binary, pki, seeded, "second")
    try:
        catalogue = _get(base, pki, keys["operator-a"], "/api/v1/catalogue", params={"format": "3le"})
        assert catalogue.status_code == 200 and catalogue.headers["ETag"] == etag
    finally:
        assert server.stop() == 0, server.tail()
    url, _, _ = seeded
    audit = serve_binary.run("audit", "list", "--database", url, "--user", "operator-a", "--limit", "1000", check=True)
    assert "90011" in audit.stdout and "deny" in audit.stdout
