"""Observation requests and the backend bridge (issue 11; the contract is docs/observation-requests.md), black box.

Each test starts its own `essor serve` (SQLite: a copy of the seeded demo database; PostgreSQL: a fresh schema seeded
with the demo data set) with `--backend-url` pointing at a `BackendDouble` (backend_double.py): an HTTPS server on
127.0.0.1 that verifies the gateway's client certificate (dev CA, SAN `urn:essor:user:gateway`) and records every
call. The backend's callbacks are made here as the `backend` user.

The policy is policies/default.yaml with only the request-rate quotas (`requests_per_minute`, `requests_per_day`)
raised: the requester's tasking rule allows 10 calls a minute, and these tests make more; every tasking quota and
limit (open requests 10, 20 a day, 60 tracks a day, 7-day windows, `urgent` at most) is the default one.

The Truth list of issue 11 checked here:
- over real mutual TLS, each request reaches the backend exactly once although it answers 503 three times and the
  gateway is stopped (SIGTERM) and restarted on the same database in between; a cancel made while the backend is
  down is forwarded, after the submission, when it is back; a gateway presenting another certificate is refused
  and keeps retrying (nothing acknowledged, the request stays SUBMITTED);
- the state machine through the backend's callbacks and the requester's answers, illegal moves refused (409) with
  nothing changed; every transition exactly once, in order, in the feed of the requester and of admin only;
- the authorisation matrix, priority and window limits, quotas; forbidden and missing are the same 404;
- idempotency, also under 2 and 10 concurrent identical POSTs; the `essor request` CLI;
- the core flow and concurrent idempotency on PostgreSQL as well.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from backend_double import GATEWAY_URI, BackendDouble, Reply
from gateway import (
    PROBLEM_SLUGS, REQUEST_ID, Gateway, GatewayServer, Seed, assert_common_headers, iso, media_type, write_policy,
)
from push import free_port, wait_until
from test_gateway_products import make_tdm, unique

REQUEST_PROBLEM_SLUGS = {
    "priority-not-allowed": 403,
    "idempotency-conflict": 409,
    "illegal-transition": 409,
    "quota-exceeded": 429,
}
OPEN_STATES = {"SUBMITTED", "ACCEPTED", "PROPOSED", "SCHEDULED", "PARTIAL", "COLLECTED"}
ROUTE = "/api/v1/observation-requests"
MISSING_REQUEST = "req_0000000000000000"
PUBLIC_OBJECTS = iter(range(90600, 91090))          # public, no owner: a requester may task them
RESTRICTED_OBJECT = 91095                           # restricted: nobody but admin reads it
OPERATORS_OBJECT = 90005                            # marked operators: not a requester's
MISSING_OBJECT = 999_999                            # not in the catalogue
FORWARD_TIMEOUT = 40                                # seconds: 1 + 2 + 4 s of backoff, a restart, a loaded machine


# ---- helpers -----------------------------------------------------------------------------------------------------------

def next_object() -> int:
    return next(PUBLIC_OBJECTS)


def window(start_hours: float = 2, hours: float = 4) -> dict:
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=start_hours)
    return {"start": iso(start), "stop": iso(start + timedelta(hours=hours))}


def request_body(norad: int | None = None, *, tag: str | None = None, **changes) -> dict:
    body = {"target": {"norad_id": norad or next_object()}, "window": window(), "measurements": ["optical-angles"],
            "tracks": 1, "priority": "routine", "purpose": tag or unique("oracle")}
    body.update(changes)
    return body


def millis(text: str) -> str:
    """`2026-12-08T20:00:00Z` → `2026-12-08T20:00:00.000Z` (the gateway's form)."""
    return text.replace("Z", ".000Z") if "." not in text else text


def request_problem(response: requests.Response, status: int, slug: str, parameter: str | None = None) -> dict:
    """An RFC 9457 problem (gateway.assert_problem, extended with the four problem types of observation requests)."""
    context = f"{response.request.method} {response.request.url} → {response.status_code}: {response.text[:800]}"
    assert response.status_code == status, context
    assert media_type(response) == "application/problem+json", context
    body = response.json()
    for key in ("type", "title", "status", "detail", "instance", "request_id"):
        assert key in body, f"problem without {key!r}: {body}"
    assert body["type"] == f"urn:essor:problem:{slug}", context
    assert {**PROBLEM_SLUGS, **REQUEST_PROBLEM_SLUGS}[slug] == status
    assert body["status"] == status, context
    assert isinstance(body["title"], str) and body["title"] and isinstance(body["detail"], str), context
    assert body["instance"] == requests.utils.urlparse(response.request.url).path, context
    assert body["request_id"] == response.headers.get("X-Request-ID") and REQUEST_ID.match(body["request_id"]), context
    if status == 400:
        assert "parameter" in body, f"a 400 names its parameter: {body}"
    if parameter is not None:
        assert body.get("parameter") == parameter, f"parameter {body.get('parameter')!r}, expected {parameter!r}: {body}"
    return body


def comparable(response: requests.Response) -> tuple:
    """A problem answer without what differs per call (request id, instance path)."""
    body = response.json()
    body.pop("request_id", None)
    body.pop("instance", None)
    return response.status_code, media_type(response), body


def submit(gateway: Gateway, user: str, body: dict, *, key: str | None = None, status: int = 201,
           idempotency: str | None = None) -> dict:
    headers = {"Idempotency-Key": idempotency} if idempotency else {}
    response = gateway.request("POST", ROUTE, user=None if key else user, key=key, json=body, headers=headers)
    context = f"POST {ROUTE} as {user} {json.dumps(body)[:300]} → {response.status_code}: {response.text[:800]}"
    assert response.status_code == status, context
    created = response.json()
    if status == 201:
        assert created["id"].startswith("req_") and len(created["id"]) == 20, context
        assert response.headers.get("Location") == f"{ROUTE}/{created['id']}", (context, response.headers)
        assert created["href"] == response.headers["Location"], context
        assert created["state"] == "SUBMITTED" and created["requester"] == user, context
        assert [h["state"] for h in created["history"]] == ["SUBMITTED"], context
    return created


def show(gateway: Gateway, user: str, rid: str) -> dict:
    response = gateway.get(f"{ROUTE}/{rid}", user=user)
    assert response.status_code == 200, f"GET {rid} as {user}: {response.status_code} {response.text[:400]}"
    return response.json()


def listing(gateway: Gateway, user: str, **params) -> list[dict]:
    items, cursor = [], None
    for _ in range(100):
        query = dict(params, limit=1000)
        if cursor:
            query["cursor"] = cursor
        response = gateway.get(ROUTE, user=user, params=query)
        assert response.status_code == 200, f"list as {user} {query}: {response.status_code} {response.text[:400]}"
        page = response.json()
        assert set(page) == {"items", "next"}, page
        items += page["items"]
        cursor = page["next"]
        if not cursor:
            return items
    raise AssertionError("more than 100 pages of requests")


def status(gateway: Gateway, rid: str, state: str, *, expect: int = 200, user: str = "backend", **fields) -> dict:
    """The backend's status callback."""
    response = gateway.request("POST", f"/internal/v1/observation-requests/{rid}/status", user=user,
                               json={"state": state, **fields})
    assert response.status_code == expect, f"status {state} of {rid}: {response.status_code} {response.text[:600]}"
    return response.json()


def transition(gateway: Gateway, user: str, rid: str, state: str, **fields) -> requests.Response:
    return gateway.request("POST", f"{ROUTE}/{rid}/transitions", user=user, json={"state": state, **fields})


def post_product(gateway: Gateway, rid: str, text: str, **params) -> requests.Response:
    return gateway.request("POST", "/internal/v1/products", user="backend", params={"request": rid, **params},
                           data=text.encode(), headers={"Content-Type": "text/plain"})


def feed(gateway: Gateway, user: str, *, key: str | None = None) -> list[dict]:
    """Every feed event `user` sees (from the start)."""
    events, cursor = [], "0"
    for _ in range(1000):
        response = gateway.get("/api/v1/feed", user=None if key else user, key=key,
                               params={"after": cursor, "limit": 1000})
        assert response.status_code == 200, f"feed of {user}: {response.status_code} {response.text[:300]}"
        page = response.json()
        events += page["items"]
        if not page["items"] and page["next"] == cursor:
            return events
        cursor = page["next"]
    raise AssertionError("the feed does not end")


def request_events(events: list[dict], rid: str) -> list[dict]:
    return [e for e in events if e["type"].startswith("observation-request.") and (e.get("request") or {}).get("id")
            == rid]


def assert_feed_matches_history(gateway: Gateway, user: str, request: dict) -> None:
    """Each transition of the request's history exactly once, in order, as `observation-request.<state>`."""
    events = request_events(feed(gateway, user), request["id"])
    states = [h["state"] for h in request["history"]]
    assert [e["type"] for e in events] == [f"observation-request.{s.lower()}" for s in states], (user, events)
    previous = None
    for event, entry in zip(events, request["history"]):
        detail = event["request"]
        assert detail["state"] == entry["state"] and detail["actor"] == entry["actor"], (event, entry)
        assert detail["previous"] == previous, (event, previous)
        assert detail["reason"] == entry["reason"], (event, entry)
        assert event["product"] is None, event
        assert event["norad_ids"] == [request["target"]["norad_id"]], event
        previous = entry["state"]
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(ids) and len(set(ids)) == len(ids), ids


def omm_values(omm: dict) -> dict:
    """The keywords of one OMM as JSON, whatever its shape (flat CelesTrak-style, or header/segments)."""
    if "segments" in omm:
        segment = omm["segments"][0]
        flat = dict(segment.get("metadata", {}))
        for block in segment.get("data", {}).values():
            if isinstance(block, dict):
                flat.update(block)
        return flat
    return omm


def elements_omm(gateway: Gateway, norad: int) -> dict:
    response = gateway.get(f"/api/v1/objects/{norad}/elements", user="admin", params={"format": "omm-json"})
    assert response.status_code == 200, response.text[:300]
    document = response.json()
    return document[0] if isinstance(document, list) else document


def add_user(gateway_database: str, essor, name: str, role: str) -> str:
    """`essor user add` + `essor key create` on a gateway's database; the new key."""
    essor.run("user", "add", name, "--org", f"{name}-org", "--role", role, "--database", gateway_database, check=True)
    created = essor.run("key", "create", name, "--database", gateway_database, check=True)
    key = created.stdout.strip().split()[-1]
    assert key.startswith("essor_"), created.stdout
    return key


# ---- servers -------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tasking_policy(tmp_path_factory) -> Path:
    """policies/default.yaml with the request-rate quotas raised (see the module docstring); tasking limits kept."""
    def change(document: dict) -> None:
        document["defaults"]["quotas"]["requests_per_minute"] = 1_000_000
        document["defaults"]["quotas"]["requests_per_day"] = 100_000_000
        for rule in document["rules"]:
            quotas = rule.get("quotas") or {}
            for key, value in (("requests_per_minute", 1_000_000), ("requests_per_day", 100_000_000)):
                if key in quotas:
                    quotas[key] = value
    return write_policy(tmp_path_factory.mktemp("tasking-policy"), change)


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url.split("?")[0], "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True,
                   capture_output=True, text=True, timeout=60)


class Engine:
    """Starts gateways on one engine (each on a database of its own) and restarts them on the same database."""

    def __init__(self, name: str, request, policy: Path, tmp: Path):
        self.name, self.request, self.policy, self.tmp = name, request, policy, tmp
        self.running: list[Gateway] = []
        self.schemas: list[str] = []
        self.count = 0

    @property
    def essor(self):
        return self.request.getfixturevalue("serve_binary")

    @property
    def pki(self):
        return self.request.getfixturevalue("pki")

    def start(self, label: str, backend: BackendDouble | None, *, extra: list[str] | None = None,
              port: int | None = None, public_url: bool = True) -> Gateway:
        """A gateway forwarding to `backend`; `port` (default: a free one, so that a restart keeps it) and
        `--public-url https://127.0.0.1:PORT` unless `public_url` is False (then `--port 0`)."""
        self.count += 1
        argv = []
        if backend is not None:
            argv += ["--backend-url", backend.url]
        if public_url:
            port = port or free_port()
            argv += ["--public-url", f"https://127.0.0.1:{port}"]
        argv += extra or []
        if self.name == "sqlite":
            factory = self.request.getfixturevalue("gateway_factory")
            # `--port P` after the factory's `--port 0`: the last one wins.
            gateway = factory.start(f"tasking-{label}", policies=self.policy,
                                    extra=argv + (["--port", str(port)] if port else []))
            assert port is None or gateway.port == port, (gateway.port, port)
            self.running.append(gateway)
            return gateway
        url = os.environ.get("ESSOR_TEST_POSTGRES_URL")
        if not url:
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail("ESSOR_TEST_POSTGRES_URL is not set (bash .ci/postgres start)", pytrace=False)
            pytest.skip("ESSOR_TEST_POSTGRES_URL is not set: eval \"$(bash .ci/postgres start)\" first")
        schema = "essor_tasking_" + uuid.uuid4().hex[:12]
        _psql(url, f"CREATE SCHEMA {schema}")
        self.schemas.append(url.split("?")[0] + "|" + schema)
        scoped = url + ("&" if "?" in url else "?") + f"schema={schema}"
        folder = self.tmp / f"pg-{self.count}-{label}"
        folder.mkdir()
        keys_file = folder / "keys.json"
        self.essor.run("demo", "seed", "--database", scoped, "--keys-out", keys_file, check=True)
        keys = json.loads(keys_file.read_text())
        full = ["serve", "--database", scoped, "--host", "127.0.0.1", "--port", str(port or 0), "--certs",
                str(self.pki.root), "--policies", str(self.policy), "--client-ca", str(self.pki.ca), *argv]
        server = GatewayServer(self.essor, folder, full)
        bound = server.wait_listening()
        marker = folder / "(postgres)"
        gateway = Gateway(server, bound, keys, self.pki, marker, self.policy, Seed(marker, keys))
        gateway.database_url = scoped  # type: ignore[attr-defined]
        self.running.append(gateway)
        return gateway

    def database_url(self, gateway: Gateway) -> str:
        return getattr(gateway, "database_url", None) or f"sqlite:{gateway.database}"

    def stop(self, gateway: Gateway) -> None:
        if gateway in self.running:
            self.running.remove(gateway)
        gateway.session.close()
        factory = self.request.getfixturevalue("gateway_factory") if self.name == "sqlite" else None
        if factory is not None and gateway.server in factory.running:
            factory.running.remove(gateway.server)
        code = gateway.server.stop()
        assert code == 0, f"essor serve exited with {code} after SIGTERM (expected 0)\n{gateway.server.tail()}"

    def restart(self, gateway: Gateway, *, argv: list[str] | None = None) -> Gateway:
        """SIGTERM (exit 0), then a new server on the same database (same arguments unless `argv`)."""
        self.stop(gateway)
        workdir = gateway.server.workdir.with_name(f"{gateway.server.workdir.name}-again-{uuid.uuid4().hex[:6]}")
        workdir.mkdir()
        server = GatewayServer(self.essor, workdir, argv or gateway.server.argv)
        if self.name == "sqlite":
            self.request.getfixturevalue("gateway_factory").running.append(server)
        port = server.wait_listening()
        again = Gateway(server, port, gateway.keys, gateway.pki, gateway.database, gateway.policies, gateway.seed)
        if hasattr(gateway, "database_url"):
            again.database_url = gateway.database_url  # type: ignore[attr-defined]
        self.running.append(again)
        return again

    def close(self) -> None:
        problems = []
        for gateway in list(self.running):
            try:
                self.stop(gateway)
            except BaseException as error:  # noqa: BLE001 — reported below
                problems.append(str(error))
        for entry in self.schemas:
            url, schema = entry.split("|")
            _psql(url, f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)


def _engine(request, name: str, tasking_policy: Path, tmp_path: Path):
    engine = Engine(name, request, tasking_policy, tmp_path)
    yield engine
    engine.close()


@pytest.fixture
def sqlite(request, tasking_policy, tmp_path):
    yield from _engine(request, "sqlite", tasking_policy, tmp_path)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request, tasking_policy, tmp_path):
    yield from _engine(request, request.param, tasking_policy, tmp_path)


@pytest.fixture
def backend(pki):
    double = BackendDouble(pki)
    yield double
    double.stop()


@pytest.fixture
def plain(sqlite, backend) -> Gateway:
    """A SQLite gateway forwarding to a healthy double."""
    return sqlite.start("plain", backend)


# ---- forwarding over mutual TLS ----------------------------------------------------------------------------------------

def check_submission_call(call, gateway: Gateway, request: dict, public_url: str | None) -> None:
    """The body and headers of `POST /v1/requests` as the contract has them."""
    assert call.peer_uris == [GATEWAY_URI], call.peer_uris
    assert call.headers.get("essor-request-id") == request["id"], call.headers
    assert call.command_id and call.command_id.isdigit(), call.headers
    assert call.headers.get("content-type", "").startswith("application/json"), call.headers
    body = call.json
    assert body["id"] == request["id"] and body["requester"] == request["requester"], body
    assert body["organisation"] == "requester", body
    for key in ("window", "measurements", "tracks", "priority", "sensor", "purpose", "marking", "created"):
        assert body[key] == request[key], (key, body[key], request[key])
    norad = request["target"]["norad_id"]
    assert body["target"]["norad_id"] == norad and body["target"]["orbit"] is None, body["target"]
    latest = elements_omm(gateway, norad)
    got = omm_values(body["target"]["omm"])
    for key in ("OBJECT_NAME", "OBJECT_ID", "NORAD_CAT_ID", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION",
                "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY", "ELEMENT_SET_NO"):
        assert got.get(key) == latest[key], f"target.omm {key}: {got.get(key)!r}, latest set {latest[key]!r}"
    assert got["EPOCH"].rstrip("Z")[:23] == latest["EPOCH"].rstrip("Z")[:23], (got["EPOCH"], latest["EPOCH"])
    if public_url is not None:
        assert body["callbacks"] == {
            "status": f"{public_url}/internal/v1/observation-requests/{request['id']}/status",
            "products": f"{public_url}/internal/v1/products?request={request['id']}",
        }, body["callbacks"]


@pytest.mark.parametrize("engine", ["sqlite", "postgres"], indirect=True)
def test_forwarded_exactly_once_through_503s_and_a_restart(engine, backend):
    tag = unique("through-503")
    backend.program("submit", [503, 503, Reply(503, {"error": "busy"})], match=lambda c: c.json.get("purpose") == tag)
    port = free_port()
    gateway = engine.start("503-restart", backend, port=port)
    body = request_body(tag=tag, tracks=2, sensor="tarot-calern", marking="partners:requester")
    request = submit(gateway, "requester", body)
    rid = request["id"]
    backend.wait_for(rid, "submit", acknowledged=False)            # the first 503
    gateway = engine.restart(gateway)                                # SIGTERM, exit 0, same database and port
    assert gateway.port == port
    backend.wait_for(rid, "submit", timeout=FORWARD_TIMEOUT)
    time.sleep(1.5)                                                  # anything sent twice would arrive by now
    calls = backend.about(rid)
    assert [(c.kind, c.status) for c in calls] == [("submit", 503)] * 3 + [("submit", 201)], backend.describe(rid)
    assert len(backend.acknowledged(rid, "submit")) == 1
    assert len({c.command_id for c in calls}) == 1, "one outbox command, retried under its id"
    gaps = [later.monotonic - earlier.monotonic for earlier, later in zip(calls, calls[1:])]
    assert all(gap >= 0.7 for gap in gaps), f"retries back off (1 s, 2 s, 4 s ± 20 %): {gaps}"
    check_submission_call(calls[-1], gateway, show(gateway, "requester", rid), f"https://127.0.0.1:{port}")
    # The demo's SUBMITTED request waited in the outbox: forwarded once too, not again after the restart.
    demo = [r for r in listing(gateway, "requester", state="SUBMITTED") if r["id"] != rid]
    assert len(demo) == 1, demo
    assert len(backend.acknowledged(demo[0]["id"], "submit")) == 1, backend.describe(demo[0]["id"])
    assert show(gateway, "requester", rid)["state"] == "SUBMITTED"


def test_target_omm_is_the_flat_omm_json_of_the_latest_set(plain, backend):
    """openapi-backend.yaml: `target.omm` is `OMMFlat` (flat OMM keywords, CelesTrak-style, as `GET
    /objects/{norad}/elements?format=omm-json` and `essor convert --to omm-json` write it)."""
    request = submit(plain, "requester", request_body())
    call = backend.wait_for(request["id"], "submit", timeout=FORWARD_TIMEOUT)[0]
    omm = call.json["target"]["omm"]
    latest = elements_omm(plain, request["target"]["norad_id"])
    assert omm == latest, f"target.omm is not the flat OMM JSON of the latest set:\n{json.dumps(omm)[:800]}"


def test_callbacks_name_the_bound_port_without_public_url(sqlite, backend):
    """Without --public-url the callbacks are `https://localhost:PORT/…` with the port the gateway listens on."""
    gateway = sqlite.start("no-public-url", backend, public_url=False)
    request = submit(gateway, "requester", request_body())
    call = backend.wait_for(request["id"], "submit", timeout=FORWARD_TIMEOUT)[0]
    assert call.json["callbacks"]["status"] == (
        f"https://localhost:{gateway.port}/internal/v1/observation-requests/{request['id']}/status"), call.json


def test_cancel_while_the_backend_is_down_is_forwarded_when_it_is_back(sqlite, backend):
    gateway = sqlite.start("down", backend)
    first = submit(gateway, "requester", request_body())
    backend.wait_for(first["id"], "submit", timeout=FORWARD_TIMEOUT)
    backend.stop()                                                   # down: nothing listens on its port
    cancelled = gateway.request("DELETE", f"{ROUTE}/{first['id']}", user="requester", params={"reason": "not needed"})
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "CANCELLED", cancelled.text[:400]
    second = submit(gateway, "requester", request_body())           # submitted and withdrawn while down
    withdrawn = gateway.request("DELETE", f"{ROUTE}/{second['id']}", user="requester")
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "CANCELLED", withdrawn.text[:400]
    time.sleep(2.5)                                                  # a few refused connection attempts
    assert backend.about(first["id"], "cancel") == [] and backend.about(second["id"]) == []
    backend.start()                                                  # back, on the same port
    backend.wait_for(first["id"], "cancel", timeout=FORWARD_TIMEOUT)
    backend.wait_for(second["id"], "cancel", timeout=FORWARD_TIMEOUT)
    time.sleep(1.0)
    assert [(c.kind, c.status) for c in backend.about(first["id"])] == [("submit", 201), ("cancel", 204)], \
        backend.describe(first["id"])
    assert [(c.kind, c.status) for c in backend.about(second["id"])] == [("submit", 201), ("cancel", 204)], \
        backend.describe(second["id"])
    for call in backend.about(first["id"]) + backend.about(second["id"]):
        assert call.headers.get("essor-request-id") == call.request_id and call.peer_uris == [GATEWAY_URI]
    cancel = backend.about(first["id"], "cancel")[0]
    assert cancel.path == f"/v1/requests/{first['id']}" and cancel.command_id, cancel.describe()
    # The cancel is its own outbox command, after the submission's.
    submit_ids = [int(backend.about(r, "submit")[0].command_id) for r in (first["id"], second["id"])]
    cancel_ids = [int(backend.about(r, "cancel")[0].command_id) for r in (first["id"], second["id"])]
    assert all(s < c for s, c in zip(submit_ids, cancel_ids)), (submit_ids, cancel_ids)
    assert show(gateway, "requester", first["id"])["state"] == "CANCELLED"


def test_a_gateway_with_another_certificate_is_refused_and_keeps_retrying(sqlite, backend, pki, foreign_pki):
    admin_cert, admin_key = pki.client("admin")                     # the dev CA's, but naming admin
    gateway = sqlite.start("wrong-cert", backend,
                           extra=["--backend-client-cert", admin_cert, "--backend-client-key", admin_key])
    request = submit(gateway, "requester", request_body())
    wait_until(lambda: backend.refusal_count() >= 3, 20, lambda: f"refusals: {backend.refusals}")
    assert any("urn:essor:user:admin" in r.peer_uris for r in backend.refusals), backend.refusals
    assert backend.snapshot() == [], "a refused gateway reaches no route"
    assert show(gateway, "requester", request["id"])["state"] == "SUBMITTED", "retried, not failed"

    # A certificate of another CA: the handshake fails (CERT_REQUIRED against the dev CA); still retried.
    before = backend.refusal_count()
    foreign_cert, foreign_key = foreign_pki.client("admin")
    argv = [w for w in gateway.server.argv]
    argv[argv.index("--backend-client-cert") + 1] = foreign_cert
    argv[argv.index("--backend-client-key") + 1] = foreign_key
    gateway = sqlite.restart(gateway, argv=argv)
    wait_until(lambda: backend.refusal_count() >= before + 2, 20, lambda: f"refusals: {backend.refusals[before:]}")
    assert any("handshake failed" in r.reason for r in backend.refusals[before:]), backend.refusals[before:]
    assert backend.snapshot() == []
    assert show(gateway, "requester", request["id"])["state"] == "SUBMITTED"

    # The right certificate (the dev PKI's gateway.pem, the default): forwarded once.
    argv = [w for w in argv]
    for flag in ("--backend-client-cert", "--backend-client-key"):
        index = argv.index(flag)
        del argv[index:index + 2]
    gateway = sqlite.restart(gateway, argv=argv)
    backend.wait_for(request["id"], "submit", timeout=FORWARD_TIMEOUT)
    time.sleep(1.0)
    assert len(backend.about(request["id"], "submit")) == 1, backend.describe(request["id"])


def test_a_refusal_fails_the_request_and_is_not_retried(plain, backend):
    """A 4xx other than 409 (submit) / 404 (cancel) is a refusal: FAILED by the gateway with the answer as reason."""
    tag = unique("refused")
    backend.program("submit", [Reply(422, {"error": "no sensor can see this"})],
                    match=lambda c: c.json.get("purpose") == tag)
    request = submit(plain, "requester", request_body(tag=tag))
    rid = request["id"]
    backend.wait_for(rid, "submit", acknowledged=False)
    failed = wait_until(lambda: (lambda r: r if r["state"] == "FAILED" else None)(show(plain, "requester", rid)), 20,
                        lambda: f"{rid} not FAILED: {show(plain, 'requester', rid)['history']}")
    entry = failed["history"][-1]
    assert entry["actor"] == "gateway" and "422" in (entry["reason"] or ""), failed["history"]
    time.sleep(2.0)
    assert [(c.kind, c.status) for c in backend.about(rid)] == [("submit", 422)], backend.describe(rid)
    assert_feed_matches_history(plain, "requester", failed)

    # 409 to a submission means "I have it already", 404 to a cancel "nothing to withdraw": both acknowledge.
    tag = unique("known")
    backend.program("submit", [409], match=lambda c: c.json.get("purpose") == tag)
    backend.program("cancel", [404])
    known = submit(plain, "requester", request_body(tag=tag))
    backend.wait_for(known["id"], "submit")
    assert plain.request("DELETE", f"{ROUTE}/{known['id']}", user="requester").status_code == 200
    backend.wait_for(known["id"], "cancel")
    time.sleep(2.0)
    assert [(c.kind, c.status) for c in backend.about(known["id"])] == [("submit", 409), ("cancel", 404)]
    assert show(plain, "requester", known["id"])["state"] == "CANCELLED"


def inline_omm(gateway: Gateway, source: int, norad: int) -> str:
    """The OMM KVN of `source`'s latest set, renamed to NORAD id `norad`."""
    response = gateway.get(f"/api/v1/objects/{source}/elements", user="admin", params={"format": "omm-kvn"})
    assert response.status_code == 200, response.text[:300]
    lines = []
    for line in response.text.splitlines():
        keyword = line.split("=", 1)[0].strip()
        if keyword == "NORAD_CAT_ID":
            line = f"NORAD_CAT_ID = {norad}"
        elif keyword == "OBJECT_NAME":
            line = "OBJECT_NAME = INLINE TEST OBJECT"
        lines.append(line)
    return "\n".join(lines) + "\n"


def test_inline_orbit_is_forwarded_as_given(plain, backend):
    text = inline_omm(plain, 90601, 99_990)                        # an object the catalogue does not hold
    request = submit(plain, "requester", {**request_body(), "target": {"orbit": text}})
    assert request["target"]["norad_id"] == 99_990, request["target"]
    assert request["target"]["orbit"]["kind"] == "omm", request["target"]
    assert request["target"]["orbit"]["object_name"] == "INLINE TEST OBJECT", request["target"]
    call = backend.wait_for(request["id"], "submit", timeout=FORWARD_TIMEOUT)[0]
    target = call.json["target"]
    assert target["norad_id"] == 99_990 and target["omm"] is None, target
    assert target["orbit"]["kind"] == "omm" and target["orbit"]["text"] == text, target["orbit"]
    # An inline orbit naming a catalogue object the caller may not task is the same 404 as that object.
    hidden = inline_omm(plain, 90601, RESTRICTED_OBJECT)
    request_problem(plain.request("POST", ROUTE, user="requester", json={**request_body(), "target": {"orbit": hidden}}),
                    404, "not-found")
    request_problem(plain.request("POST", ROUTE, user="requester",
                                  json={**request_body(), "target": {"norad_id": 90601, "orbit": text}}),
                    400, "bad-parameter", "target")


# ---- the state machine through the callbacks ---------------------------------------------------------------------------

def walk_to_delivered(gateway: Gateway, backend: BackendDouble) -> tuple[dict, dict, str]:
    """submit → forwarded → ACCEPTED → SCHEDULED → a restricted TDM (PARTIAL) → COLLECTED → DELIVERED."""
    norad = next_object()
    request = submit(gateway, "requester", request_body(norad, tracks=2))
    rid = request["id"]
    backend.wait_for(rid, "submit", timeout=FORWARD_TIMEOUT)
    moved = status(gateway, rid, "ACCEPTED", reason="visible from Calern")
    assert moved["state"] == "ACCEPTED" and moved["history"][-1]["actor"] == "backend", moved
    start = datetime.fromisoformat(request["window"]["start"].replace("Z", "+00:00"))
    passes = [{"sensor": "tarot-calern", "start": iso(start + timedelta(minutes=30)),
               "stop": iso(start + timedelta(minutes=40))}]
    moved = status(gateway, rid, "SCHEDULED", reason="one pass booked", schedule=passes)
    assert moved["state"] == "SCHEDULED", moved
    assert moved["schedule"] == [{"sensor": "tarot-calern", "start": millis(passes[0]["start"]),
                                  "stop": millis(passes[0]["stop"])}], moved["schedule"]
    tdm = make_tdm("backend", start=start + timedelta(minutes=30), message_id=unique("REQ-TDM"), norad=norad)
    stored = post_product(gateway, rid, tdm, marking="restricted")
    assert stored.status_code == 201, stored.text[:600]
    product = stored.json()
    assert product["kind"] == "tdm" and product["marking"] == "restricted", product
    assert product["content_hash"] == hashlib.sha256(tdm.encode()).hexdigest()
    after = show(gateway, "requester", rid)
    assert after["state"] == "PARTIAL" and after["history"][-1]["actor"] == "gateway", after["history"]
    assert after["products"] == [{"id": product["id"], "href": f"{ROUTE}/{rid}/products/{product['id']}"}], \
        after["products"]
    assert status(gateway, rid, "COLLECTED")["state"] == "COLLECTED"
    final = status(gateway, rid, "DELIVERED", reason="all tracks delivered")
    assert final["state"] == "DELIVERED", final
    return final, product, tdm


@pytest.mark.parametrize("engine", ["sqlite", "postgres"], indirect=True)
def test_core_flow_to_delivered(engine, backend):
    gateway = engine.start("core", backend)
    final, product, tdm = walk_to_delivered(gateway, backend)
    rid = final["id"]
    assert [(h["state"], h["actor"]) for h in final["history"]] == [
        ("SUBMITTED", "requester"), ("ACCEPTED", "backend"), ("SCHEDULED", "backend"), ("PARTIAL", "gateway"),
        ("COLLECTED", "backend"), ("DELIVERED", "backend")], final["history"]
    assert final["history"][1]["reason"] == "visible from Calern" and final["history"][1]["user"] == "backend"
    times = [h["time"] for h in final["history"]]
    assert times == sorted(times), times
    assert show(gateway, "requester", rid) == final

    # The linked product: listed, and readable by the requester although restricted (not under the usual policy).
    listed = gateway.get(f"{ROUTE}/{rid}/products", user="requester")
    assert listed.status_code == 200, listed.text[:400]
    assert listed.json()["items"] == [product], (listed.json(), product)
    one = gateway.get(final["products"][0]["href"], user="requester")
    assert one.status_code == 200 and one.content == tdm.encode(), (one.status_code, one.text[:300])
    assert gateway.get(f"/api/v1/tdms/{product['id']}", user="requester").status_code == 404, \
        "a restricted TDM of the backend is not the requester's under the usual policy"
    assert [p["id"] for p in gateway.get(f"{ROUTE}/{rid}/products", user="admin").json()["items"]] == [product["id"]]
    for user in ("operator-a", "partner-1"):
        assert gateway.get(f"{ROUTE}/{rid}/products", user=user).status_code == 404
        assert gateway.get(f"{ROUTE}/{rid}/products/{product['id']}", user=user).status_code == 404

    # Final: an illegal move changes nothing (backend DELIVERED → SCHEDULED, a product, a cancel).
    body = request_problem(gateway.request("POST", f"/internal/v1/observation-requests/{rid}/status", user="backend",
                                           json={"state": "SCHEDULED"}), 409, "illegal-transition")
    assert "DELIVERED" in body["detail"], body
    tdms_before = gateway.get("/api/v1/tdms", user="admin", params={"limit": 1000}).json()["items"]
    late = make_tdm("backend", start=datetime.now(timezone.utc), message_id=unique("LATE"), norad=final["target"]
                    ["norad_id"])
    request_problem(post_product(gateway, rid, late), 409, "illegal-transition")
    assert gateway.get("/api/v1/tdms", user="admin", params={"limit": 1000}).json()["items"] == tdms_before, \
        "nothing stored for a refused product"
    request_problem(gateway.request("DELETE", f"{ROUTE}/{rid}", user="requester"), 409, "illegal-transition")
    assert show(gateway, "requester", rid) == final
    assert_feed_matches_history(gateway, "requester", final)
    assert_feed_matches_history(gateway, "admin", final)
    time.sleep(0.5)
    assert [c.kind for c in backend.about(rid)] == ["submit"], backend.describe(rid)


def test_products_take_the_request_marking_and_need_an_accepted_request(plain, backend):
    norad = next_object()
    request = submit(plain, "requester", request_body(norad))
    rid = request["id"]
    tdms = lambda: plain.get("/api/v1/tdms", user="admin", params={"limit": 1000}).json()["items"]  # noqa: E731
    before = tdms()
    early = make_tdm("backend", start=datetime.now(timezone.utc), message_id=unique("EARLY"), norad=norad)
    request_problem(post_product(plain, rid, early), 409, "illegal-transition")      # SUBMITTED: not yet
    assert tdms() == before and show(plain, "requester", rid)["products"] == []
    backend.wait_for(rid, "submit", timeout=FORWARD_TIMEOUT)
    status(plain, rid, "ACCEPTED")
    stored = post_product(plain, rid, early)
    assert stored.status_code == 201, stored.text[:400]
    product = stored.json()
    assert product["marking"] == request["marking"] == "partners:requester", product
    after = show(plain, "requester", rid)
    assert after["state"] == "ACCEPTED", "only a SCHEDULED request becomes PARTIAL with its first product"
    assert [p["id"] for p in after["products"]] == [product["id"]]
    # Shared with the requester's organisation: readable on the product's own route too.
    assert plain.get(f"/api/v1/tdms/{product['id']}", user="requester").status_code == 200
    assert plain.get(f"/api/v1/tdms/{product['id']}", user="partner-1").status_code == 404


def test_product_for_a_missing_request_stores_nothing(plain):
    before = gateway_tdms = plain.get("/api/v1/tdms", user="admin", params={"limit": 1000}).json()["items"]
    tdm = make_tdm("backend", start=datetime.now(timezone.utc), message_id=unique("ORPHAN"), norad=90700)
    request_problem(post_product(plain, MISSING_REQUEST, tdm), 404, "not-found")
    assert plain.get("/api/v1/tdms", user="admin", params={"limit": 1000}).json()["items"] == before == gateway_tdms
    request_problem(plain.request("POST", f"/internal/v1/observation-requests/{MISSING_REQUEST}/status",
                                  user="backend", json={"state": "ACCEPTED"}), 404, "not-found")


def test_illegal_transitions_are_409_and_change_nothing(plain, backend):
    request = submit(plain, "requester", request_body())
    rid = request["id"]
    # The requester may not schedule, accept (no proposal) or deliver; the backend may not skip ACCEPTED.
    for user, state in (("requester", "SCHEDULED"), ("requester", "ACCEPTED"), ("requester", "DELIVERED"),
                        ("admin", "SCHEDULED")):
        request_problem(transition(plain, user, rid, state), 409, "illegal-transition")
    request_problem(plain.request("POST", f"/internal/v1/observation-requests/{rid}/status", user="backend",
                                  json={"state": "SCHEDULED"}), 409, "illegal-transition")
    request_problem(plain.request("POST", f"/internal/v1/observation-requests/{rid}/status", user="backend",
                                  json={"state": "PROPOSED"}), 400, "bad-parameter", "proposed_window")
    request_problem(plain.request("POST", f"/internal/v1/observation-requests/{rid}/status", user="backend",
                                  json={"state": "ACCEPTED", "colour": "red"}), 400, "bad-parameter", "colour")
    # Only the backend reports status.
    for user in ("requester", "admin", "operator-a"):
        response = plain.request("POST", f"/internal/v1/observation-requests/{rid}/status", user=user,
                                 json={"state": "ACCEPTED"})
        request_problem(response, 403, "forbidden")
    after = show(plain, "requester", rid)
    assert after == request, "refused moves change nothing"
    assert_feed_matches_history(plain, "requester", after)


def test_proposal_accepted_and_declined(plain, backend):
    accepted = submit(plain, "requester", request_body())
    declined = submit(plain, "requester", request_body())
    proposed = window(30, 3)
    for request in (accepted, declined):
        backend.wait_for(request["id"], "submit", timeout=FORWARD_TIMEOUT)
        moved = status(plain, request["id"], "PROPOSED", reason="no dark window", proposed_window=proposed)
        assert moved["state"] == "PROPOSED", moved
        assert moved["proposed_window"] == {k: millis(v) for k, v in proposed.items()}, moved

    yes = transition(plain, "requester", accepted["id"], "ACCEPTED", reason="fine")
    assert yes.status_code == 200, yes.text[:400]
    taken = yes.json()
    assert taken["state"] == "ACCEPTED" and taken["window"] == {k: millis(v) for k, v in proposed.items()}, taken
    assert taken["history"][-1]["actor"] == "requester"
    call = backend.wait_for(accepted["id"], "accept", timeout=FORWARD_TIMEOUT)[0]
    assert call.path == f"/v1/requests/{accepted['id']}/accept" and call.method == "POST"
    assert call.json == {"window": {k: millis(v) for k, v in proposed.items()}}, call.json
    assert call.peer_uris == [GATEWAY_URI] and call.headers.get("essor-request-id") == accepted["id"]

    no = transition(plain, "requester", declined["id"], "CANCELLED", reason="too late for us")
    assert no.status_code == 200 and no.json()["state"] == "CANCELLED", no.text[:400]
    backend.wait_for(declined["id"], "cancel", timeout=FORWARD_TIMEOUT)
    time.sleep(1.0)
    assert [c.kind for c in backend.about(accepted["id"])] == ["submit", "accept"], backend.describe(accepted["id"])
    assert [c.kind for c in backend.about(declined["id"])] == ["submit", "cancel"], backend.describe(declined["id"])
    # Only the requester answers; a PROPOSED request cannot be scheduled by the backend (it waits for the answer).
    third = submit(plain, "requester", request_body())
    status(plain, third["id"], "PROPOSED", proposed_window=proposed)
    request_problem(transition(plain, "admin", third["id"], "ACCEPTED"), 409, "illegal-transition")
    request_problem(plain.request("POST", f"/internal/v1/observation-requests/{third['id']}/status", user="backend",
                                  json={"state": "SCHEDULED"}), 409, "illegal-transition")
    for request in (accepted, declined, third):
        final = show(plain, "requester", request["id"])
        assert_feed_matches_history(plain, "requester", final)
        assert_feed_matches_history(plain, "admin", final)


def test_request_events_reach_the_requester_and_admin_only(plain, backend, serve_binary):
    other_key = add_user(f"sqlite:{plain.database}", serve_binary, "requester-2", "requester")
    final, _, _ = walk_to_delivered(plain, backend)
    mine = submit(plain, "requester-2", request_body(), key=other_key)
    assert_feed_matches_history(plain, "requester", final)
    assert_feed_matches_history(plain, "admin", final)
    for user in ("operator-a", "partner-1", "backend"):
        events = feed(plain, user)
        assert not [e for e in events if e["type"].startswith("observation-request.")], (user, events[-5:])
    others = feed(plain, "requester-2", key=other_key)
    assert [e["request"]["id"] for e in others if e["type"].startswith("observation-request.")] == [mine["id"]]
    assert request_events(feed(plain, "requester"), mine["id"]) == []
    assert len(request_events(feed(plain, "admin"), mine["id"])) == 1


# ---- authorisation ---------------------------------------------------------------------------------------------------

def test_only_requesters_and_admins_submit(plain):
    norad = next_object()
    for user in ("operator-a", "operator-b", "partner-1", "partner-2", "backend"):
        response = plain.request("POST", ROUTE, user=user, json=request_body(norad))
        request_problem(response, 404, "not-found")
    assert submit(plain, "requester", request_body(norad))["requester"] == "requester"
    admin = submit(plain, "admin", request_body(RESTRICTED_OBJECT, priority="emergency",
                                                window=window(1, 24 * 20)))
    assert admin["priority"] == "emergency" and admin["marking"] == "partners:admin", admin
    # No credentials: 401.
    response = requests.post(plain.url(ROUTE), json=request_body(norad), verify=str(plain.ca), timeout=60)
    request_problem(response, 401, "unauthenticated")


def forbidden_and_missing(gateway: Gateway) -> tuple[dict[str, requests.Response], requests.Response]:
    answers = {}
    for label, norad in (("missing", MISSING_OBJECT), ("restricted", RESTRICTED_OBJECT),
                         ("operators", OPERATORS_OBJECT)):
        answers[label] = gateway.request("POST", ROUTE, user="requester", json=request_body(norad))
        request_problem(answers[label], 404, "not-found")
    denied_role = gateway.request("POST", ROUTE, user="operator-a", json=request_body(next_object()))
    request_problem(denied_role, 404, "not-found")
    return answers, denied_role


def test_forbidden_and_missing_objects_are_404_and_store_nothing(plain):
    before = listing(plain, "admin")
    forbidden_and_missing(plain)
    assert listing(plain, "admin") == before


def test_forbidden_and_missing_objects_give_the_same_404(plain):
    answers, denied_role = forbidden_and_missing(plain)
    assert comparable(answers["restricted"]) == comparable(answers["missing"]), \
        (answers["restricted"].json(), answers["missing"].json())
    assert comparable(answers["operators"]) == comparable(answers["missing"])
    assert comparable(denied_role) == comparable(answers["missing"]), (denied_role.json(), answers["missing"].json())


def test_a_requester_sees_only_its_own_requests(plain):
    own = submit(plain, "requester", request_body())
    admins = submit(plain, "admin", request_body())
    listed = listing(plain, "requester")
    assert own["id"] in {r["id"] for r in listed} and all(r["requester"] == "requester" for r in listed)
    assert admins["id"] not in {r["id"] for r in listed}
    assert {own["id"], admins["id"]} <= {r["id"] for r in listing(plain, "admin")}
    missing = plain.get(f"{ROUTE}/{MISSING_REQUEST}", user="requester")
    request_problem(missing, 404, "not-found")
    for method, suffix in (("GET", ""), ("GET", "/products"), ("DELETE", ""), ("POST", "/transitions")):
        kwargs = {"json": {"state": "CANCELLED"}} if method == "POST" else {}
        forbidden = plain.request(method, f"{ROUTE}/{admins['id']}{suffix}", user="requester", **kwargs)
        absent = plain.request(method, f"{ROUTE}/{MISSING_REQUEST}{suffix}", user="requester", **kwargs)
        request_problem(forbidden, 404, "not-found")
        assert comparable(forbidden) == comparable(absent), (method, suffix, forbidden.text, absent.text)
    for user in ("operator-a", "partner-1", "backend"):
        request_problem(plain.get(f"{ROUTE}/{own['id']}", user=user), 404, "not-found")
        assert own["id"] not in {r["id"] for r in listing(plain, user)} if user != "backend" else True
    assert show(plain, "admin", admins["id"])["state"] == "SUBMITTED", "nothing moved by the refused calls"
    assert show(plain, "admin", own["id"])["requester"] == "requester"


def test_list_filters(plain, backend):
    norad = next_object()
    first = submit(plain, "requester", request_body(norad))
    second = submit(plain, "requester", request_body(norad))
    backend.wait_for(first["id"], "submit", timeout=FORWARD_TIMEOUT)
    status(plain, first["id"], "ACCEPTED")
    assert [r["id"] for r in listing(plain, "requester", object=norad)] == [second["id"], first["id"]], "newest first"
    assert [r["id"] for r in listing(plain, "requester", object=norad, state="ACCEPTED")] == [first["id"]]
    assert [r["id"] for r in listing(plain, "requester", object=norad, state="SUBMITTED,ACCEPTED")] == \
        [second["id"], first["id"]]
    changed = show(plain, "requester", first["id"])["updated"]
    a_second_before = iso(datetime.fromisoformat(changed.replace("Z", "+00:00")) - timedelta(seconds=1))
    recent = listing(plain, "requester", since=a_second_before)
    assert {first["id"], second["id"]} <= {r["id"] for r in recent}, recent
    # As instants, not as text: "…:02.011Z" sorts before "…:02Z" although it is later.
    instant = lambda text: datetime.fromisoformat(text.replace("Z", "+00:00"))  # noqa: E731
    assert all(instant(r["updated"]) >= instant(a_second_before) for r in recent), recent
    assert listing(plain, "requester", since=iso(datetime.now(timezone.utc) + timedelta(hours=1))) == []
    page = plain.get(ROUTE, user="requester", params={"limit": 1})
    assert page.status_code == 200 and len(page.json()["items"]) == 1 and page.json()["next"], page.text[:300]
    request_problem(plain.get(ROUTE, user="requester", params={"state": "LOST"}), 400, "bad-parameter", "state")
    request_problem(plain.get(ROUTE, user="requester", params={"object": "ISS"}), 400, "bad-parameter", "object")


def test_since_a_requests_own_updated_time_lists_it(plain):
    for _ in range(6):   # each withdrawn at once: the demo's 5 open requests and these stay within the quota of 10
        created = submit(plain, "requester", request_body())
        response = plain.request("DELETE", f"{ROUTE}/{created['id']}", user="requester")
        assert response.status_code == 200, response.text
    mine = listing(plain, "requester")
    assert len(mine) >= 12, len(mine)                   # the demo's 7 and these: P(all rounded down) < 2^-12
    missed = [r for r in mine if r["id"] not in {x["id"] for x in listing(plain, "requester", since=r["updated"])}]
    assert not missed, [(r["id"], r["updated"]) for r in missed]


def test_priority_and_window_limits(plain):
    body = request_problem(plain.request("POST", ROUTE, user="requester", json=request_body(priority="emergency")),
                           403, "priority-not-allowed")
    assert body.get("limit") == "highest_observation_priority", body
    assert submit(plain, "requester", request_body(priority="urgent"))["priority"] == "urgent"
    request_problem(plain.request("POST", ROUTE, user="requester", json=request_body(window=window(1, 7 * 24 + 1))),
                    400, "bad-parameter", "window.stop")
    assert submit(plain, "requester", request_body(window=window(1, 7 * 24 - 1)))["state"] == "SUBMITTED"
    request_problem(plain.request("POST", ROUTE, user="requester", json=request_body(window=window(-3, 2))),
                    400, "bad-parameter", "window.start")
    request_problem(plain.request("POST", ROUTE, user="requester", json=request_body(window=window(5, -1))),
                    400, "bad-parameter", "window.stop")
    request_problem(plain.request("POST", ROUTE, user="requester", json=request_body(colour="red")),
                    400, "bad-parameter", "colour")
    request_problem(plain.request("POST", ROUTE, user="requester",
                                  json=request_body(window={**window(), "zone": "UTC"})),
                    400, "bad-parameter", "window.zone")
    request_problem(plain.request("POST", ROUTE, user="requester", json=request_body(measurements=["laser"])),
                    400, "bad-parameter", "measurements")
    request_problem(plain.request("POST", ROUTE, user="requester", json=request_body(tracks=101)),
                    400, "bad-parameter", "tracks")
    bad_orbit = "CCSDS_OMM_VERS = 3.0\nCREATION_DATE = 2026-11-01T00:00:00\nORIGINATOR = TEST\n"
    body = request_problem(plain.request("POST", ROUTE, user="requester",
                                         json={**request_body(), "target": {"orbit": bad_orbit}}),
                           400, "bad-parameter", "target.orbit")
    assert isinstance(body.get("errors"), list) and body["errors"], body
    assert all(isinstance(e.get("message"), str) and e["message"] for e in body["errors"]), body
    # Nothing of these was stored.
    assert not [r for r in listing(plain, "requester") if r["purpose"].startswith("oracle-") and r["state"] !=
                "SUBMITTED"]


def open_count(gateway: Gateway, user: str) -> int:
    return len([r for r in listing(gateway, user) if r["state"] in OPEN_STATES])


def today(gateway: Gateway, user: str) -> list[dict]:
    midnight = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return [r for r in listing(gateway, user)
            if datetime.fromisoformat(r["created"].replace("Z", "+00:00")) >= midnight]


def test_open_requests_and_requests_per_day_quotas(plain):
    opened = open_count(plain, "requester")
    assert opened >= 1, "the demo data gives the requester open requests"
    created = []
    for _ in range(10 - opened):
        created.append(submit(plain, "requester", request_body()))
    body = request_problem(plain.request("POST", ROUTE, user="requester", json=request_body()), 429, "quota-exceeded")
    assert (body.get("limit"), body.get("value"), body.get("used")) == ("open_observation_requests", 10, 10), body
    assert open_count(plain, "requester") == 10
    assert submit(plain, "admin", request_body())["state"] == "SUBMITTED", "admin's quota is unlimited"
    # Withdrawing frees a slot; then the 20 a day hold.
    used_today = len(today(plain, "requester"))
    while used_today < 20:
        victim = created.pop()
        assert plain.request("DELETE", f"{ROUTE}/{victim['id']}", user="requester").status_code == 200
        created.insert(0, submit(plain, "requester", request_body()))
        used_today += 1
    assert len(today(plain, "requester")) == 20
    victim = created.pop()
    assert plain.request("DELETE", f"{ROUTE}/{victim['id']}", user="requester").status_code == 200
    body = request_problem(plain.request("POST", ROUTE, user="requester", json=request_body()), 429, "quota-exceeded")
    assert (body.get("limit"), body.get("value"), body.get("used")) == ("observation_requests_per_day", 20, 20), body


def test_tracks_per_day_quota(plain):
    used = sum(r["tracks"] for r in today(plain, "requester"))
    assert used < 60
    assert submit(plain, "requester", request_body(tracks=60 - used))["tracks"] == 60 - used
    body = request_problem(plain.request("POST", ROUTE, user="requester", json=request_body(tracks=1)),
                           429, "quota-exceeded")
    assert (body.get("limit"), body.get("value"), body.get("used")) == ("observation_tracks_per_day", 60, 60), body


# ---- idempotency -------------------------------------------------------------------------------------------------------

def test_idempotency_key_replays_and_conflicts(plain):
    key = uuid.uuid4().hex
    body = request_body()
    first = submit(plain, "requester", body, idempotency=key)
    again = plain.request("POST", ROUTE, user="requester", json=dict(reversed(list(body.items()))),
                          headers={"Idempotency-Key": key})
    assert again.status_code == 200, again.text[:400]
    assert again.headers.get("Idempotent-Replayed") == "true", again.headers
    assert again.json()["id"] == first["id"] and again.json() == show(plain, "requester", first["id"])
    conflict = plain.request("POST", ROUTE, user="requester", json={**body, "tracks": 2},
                             headers={"Idempotency-Key": key})
    problem = request_problem(conflict, 409, "idempotency-conflict")
    assert first["id"] in problem["detail"] or problem.get("parameter") == "Idempotency-Key", problem
    # Keys are per requester: admin's same key and body make admin's own request.
    admins = submit(plain, "admin", body, idempotency=key)
    assert admins["id"] != first["id"] and admins["requester"] == "admin"
    assert len([r for r in listing(plain, "requester") if r["purpose"] == body["purpose"]]) == 1
    request_problem(plain.request("POST", ROUTE, user="requester", json=request_body(),
                                  headers={"Idempotency-Key": "x" * 256}), 400, "bad-parameter", "Idempotency-Key")


def concurrent_posts(gateway: Gateway, user: str, body: dict, key: str, count: int) -> list[requests.Response]:
    barrier = threading.Barrier(count)
    answers: list[requests.Response | BaseException] = [None] * count  # type: ignore[list-item]

    def one(index: int) -> None:
        with requests.Session() as session:
            try:
                barrier.wait(timeout=30)
                answers[index] = session.post(gateway.url(ROUTE), json=body, verify=str(gateway.ca), timeout=60,
                                              headers={"Authorization": f"Bearer {gateway.keys[user]}",
                                                       "Idempotency-Key": key})
            except BaseException as error:  # noqa: BLE001 — reported below
                answers[index] = error

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    failures = [a for a in answers if not isinstance(a, requests.Response)]
    assert not failures, failures
    return answers  # type: ignore[return-value]


@pytest.mark.parametrize("engine", ["sqlite", "postgres"], indirect=True)
def test_concurrent_identical_posts_make_one_request(engine, backend):
    gateway = engine.start("idempotent", backend)
    for count in (2, 10):
        body = request_body()
        key = f"concurrent-{count}-{uuid.uuid4().hex}"
        answers = concurrent_posts(gateway, "requester", body, key, count)
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [200] * (count - 1) + [201], [(a.status_code, a.text[:200]) for a in answers]
        ids = {a.json()["id"] for a in answers}
        assert len(ids) == 1, ids
        replayed = [a for a in answers if a.status_code == 200]
        assert all(a.headers.get("Idempotent-Replayed") == "true" for a in replayed)
        made = [r for r in listing(gateway, "requester") if r["purpose"] == body["purpose"]]
        assert [r["id"] for r in made] == list(ids), made
        rid = ids.pop()
        backend.wait_for(rid, "submit", timeout=FORWARD_TIMEOUT)
        time.sleep(0.5)
        assert len(backend.about(rid)) == 1, backend.describe(rid)
        assert len(request_events(feed(gateway, "requester"), rid)) == 1


# ---- the command line ----------------------------------------------------------------------------------------------------

def cli(essor, gateway: Gateway, *args: str, user: str = "requester") -> subprocess.CompletedProcess:
    return essor.run("request", args[0], "--url", gateway.base_url, "--key", gateway.keys[user], "--cacert",
                     gateway.ca, *args[1:])


def test_cli_submit_list_show_cancel(plain, backend, serve_binary, pki):
    span = window(3, 2)
    tag = unique("cli")
    norad = next_object()
    made = cli(serve_binary, plain, "submit", "--norad", str(norad), "--start", span["start"], "--stop", span["stop"],
               "--tracks", "2", "--measurements", "optical-angles,radar-range", "--purpose", tag)
    assert made.returncode == 0, made.stderr
    rid = made.stdout.split()[0]
    assert rid.startswith("req_") and "SUBMITTED" in made.stdout.splitlines()[0], made.stdout
    assert str(norad) in made.stdout and tag in made.stdout and "history" in made.stdout, made.stdout
    stored = show(plain, "requester", rid)
    assert stored["tracks"] == 2 and stored["measurements"] == ["optical-angles", "radar-range"], stored
    backend.wait_for(rid, "submit", timeout=FORWARD_TIMEOUT)
    status(plain, rid, "ACCEPTED", reason="visible from Calern")

    listed = cli(serve_binary, plain, "list")
    assert listed.returncode == 0 and rid in listed.stdout, listed.stdout + listed.stderr
    line = next(l for l in listed.stdout.splitlines() if rid in l)
    assert "ACCEPTED" in line and str(norad) in line, line
    as_json = cli(serve_binary, plain, "list", "--json", "--state", "ACCEPTED")
    assert rid in [r["id"] for r in json.loads(as_json.stdout)["items"]], as_json.stdout

    shown = cli(serve_binary, plain, "show", rid)
    assert shown.returncode == 0, shown.stderr
    history = [l for l in shown.stdout.splitlines() if "SUBMITTED" in l or "ACCEPTED" in l]
    assert any("SUBMITTED" in l and "by requester" in l for l in history), shown.stdout
    assert any("ACCEPTED" in l and "by backend" in l and "visible from Calern" in l for l in history), shown.stdout
    cert, key = pki.client("requester")
    by_cert = serve_binary.run("request", "show", rid, "--url", plain.base_url, "--cert", cert, "--key-file", key,
                               "--cacert", plain.ca, "--json")
    assert by_cert.returncode == 0 and json.loads(by_cert.stdout)["id"] == rid, by_cert.stderr

    cancelled = cli(serve_binary, plain, "cancel", rid, "--reason", "no longer needed")
    assert cancelled.returncode == 0 and "CANCELLED" in cancelled.stdout, cancelled.stdout + cancelled.stderr
    assert show(plain, "requester", rid)["history"][-1]["reason"] == "no longer needed"
    backend.wait_for(rid, "cancel", timeout=FORWARD_TIMEOUT)

    # Refusals: exit 1, the problem on stderr, nothing on stdout.
    for args, words in ((("cancel", rid), ("409",)),
                        (("submit", "--norad", str(norad), "--start", span["start"], "--stop", span["stop"],
                          "--priority", "emergency"), ("403",)),
                        (("show", MISSING_REQUEST), ("404",))):
        refused = cli(serve_binary, plain, *args)
        assert refused.returncode == 1, (args, refused.returncode, refused.stdout, refused.stderr)
        assert refused.stdout.strip() == "" and all(w in refused.stderr for w in words), (args, refused.stderr)
    other = cli(serve_binary, plain, "show", rid, user="operator-a")
    assert other.returncode == 1 and "404" in other.stderr, other.stderr


def test_cli_accepts_and_declines_a_proposal(plain, backend, serve_binary):
    for verb, state, call in (("accept", "ACCEPTED", "accept"), ("decline", "CANCELLED", "cancel")):
        request = submit(plain, "requester", request_body())
        rid = request["id"]
        backend.wait_for(rid, "submit", timeout=FORWARD_TIMEOUT)
        proposed = window(30, 3)
        status(plain, rid, "PROPOSED", reason="no dark window", proposed_window=proposed)
        answered = cli(serve_binary, plain, verb, rid, "--reason", f"{verb} by the CLI")
        assert answered.returncode == 0 and state in answered.stdout.splitlines()[0], answered.stdout + answered.stderr
        stored = show(plain, "requester", rid)
        assert stored["state"] == state and stored["history"][-1]["reason"] == f"{verb} by the CLI", stored
        if state == "ACCEPTED":
            assert stored["window"] == {k: millis(v) for k, v in proposed.items()}, stored
        backend.wait_for(rid, call, timeout=FORWARD_TIMEOUT)
        again = cli(serve_binary, plain, verb, rid)
        assert again.returncode == 1 and "409" in again.stderr, again.stdout + again.stderr
