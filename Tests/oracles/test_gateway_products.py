"""Products and the feed (issue 5), black box: CDMs for operators, TDMs between partners, the backend's ingest
route, and the replayable feed.

- **Matrix**: every demo user × every demo CDM and TDM, through the listing and through `/{cdms|tdms}/{id}`; the
  expectation comes from the demo data set (DESIGN.md §6, `demo_object` in gateway.py) and policies/default.yaml:
  an operator reads exactly the CDMs in which an object its organisation owns is OBJECT1 or OBJECT2 (so operator-a
  never sees a CDM that involves only operator-b's objects), administrators all, nobody else any; partner-2 reads
  partner-1's TDM shared with it and nobody else but partner-1 and admin reads partner-1's restricted one. A hidden
  product answers exactly like a missing one (404, same body apart from `request_id` and `instance`). Each user's
  feed holds exactly the demo products it may read.
- **Round trips**: a CDM submitted as KVN by `backend` (its dev-PKI client certificate; again with its API key)
  and a TDM submitted by partner-1 come back byte-identical as KVN, as XML that validates against the official
  NDM/XML 4.0.0 schema and `essor validate`, and as JSON equal to `essor convert --to json` of what was sent.
- **Refusals**: an invalid message answers `400 invalid-message` naming the line, and neither the feed's head nor
  the listing moves; callers without `ingest` / `submit:tdm` get `403`, without credentials `401`; a body over
  `--max-upload-bytes` gets `413`.
- **Idempotency**: the same new bytes POSTed on two connections at once, 10 rounds: exactly one `201`, the other
  `200`, the same id.
- **Feed**: 8 threads each POSTing 25 distinct TDMs while a reader follows the feed with `after=`: the reader's
  (admin's) event ids go up by exactly one from its start cursor to the end, every stored product appears exactly
  once, and a replay (also after a restart) gives the same sequence. Long-poll: `wait=2` answers as soon as a
  product arrives, and empty after about 2 s when none does (also when only events the caller may not read arrive).

The idempotency and feed tests run on SQLite (servers from the shared fixtures, each on its own copy of the seeded
database) and, when ESSOR_TEST_POSTGRES_URL is set (`eval "$(bash .ci/postgres start)"`), on PostgreSQL in a fresh
schema (`?schema=`); with CI=true a missing PostgreSQL URL is a failure.
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

from conftest import XSD_4
from gateway import (
    REPO, ROLES, USERS, Gateway, GatewayServer, Seed, assert_common_headers, assert_problem, ci, demo_object,
    media_type, parse_utc,
)
from test_xsd import assert_valid

MISSING_ID = 999_999_999
SHA256 = "^[0-9a-f]{64}$"


# ---- expected visibility (policies/default.yaml over the demo data set) -------------------------------------------

def organisation(user: str) -> str:
    return user          # one user per organisation, same name (DESIGN.md §6)


def owner(norad: int) -> str | None:
    record = demo_object(norad)
    return record[0] if record else None


def can_read_cdm(user: str, cdm: dict) -> bool:
    """read:cdm: operators whose organisation owns OBJECT1 or OBJECT2 (whatever the marking), admin all."""
    role = ROLES[user]
    if role == "admin":
        return True
    if role == "operator":
        return any(owner(n) == organisation(user) for n in cdm["norad_ids"])
    return False


def shared_with(marking: str) -> set[str]:
    return set(marking.removeprefix("partners:").split(",")) if marking.startswith("partners:") else set()


def can_read_tdm(user: str, tdm: dict) -> bool:
    """read:tdm: partners their own, shared `partners:<org>` and public; requesters shared with them; operators the
    public/operators TDMs of their own objects; admin all; restricted stays with its provider and owners."""
    role, org, marking = ROLES[user], organisation(user), tdm["marking"]
    if role == "admin":
        return True
    owns = any(owner(n) == org for n in tdm["norad_ids"])
    provides = tdm["provider"] == org
    if marking == "restricted" and not (owns or provides):
        return False
    if role == "partner":
        return provides or org in shared_with(marking) or marking == "public"
    if role == "requester":
        return org in shared_with(marking)
    if role == "operator":
        return owns and marking in ("public", "operators")
    return False


def can_read(user: str, product: dict) -> bool:
    return can_read_cdm(user, product) if product["kind"] == "cdm" else can_read_tdm(user, product)


# ---- CCSDS messages for submissions --------------------------------------------------------------------------------

def epoch(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def make_cdm(object1: int, object2: int, *, tca: datetime, message_id: str, miss: float = 150.0,
             pc: float = 2.5e-4) -> str:
    """A CDM 1.0 KVN with the obligatory keywords (the shape of the demo CDMs)."""
    lines = [
        "CCSDS_CDM_VERS = 1.0",
        "COMMENT Synthetic test conjunction (test_gateway_products.py)",
        f"CREATION_DATE = {epoch(tca - timedelta(days=1))}",
        "ORIGINATOR = ESSOR-TEST",
        f"MESSAGE_ID = {message_id}",
        f"TCA = {epoch(tca)}",
        f"MISS_DISTANCE = {miss:.1f} [m]",
        f"COLLISION_PROBABILITY = {pc:.3e}",
        "COLLISION_PROBABILITY_METHOD = FOSTER-1992",
        "",
    ]
    covariance = [
        "CR_R = 4.142E+01 [m**2]", "CT_R = -8.579E+00 [m**2]", "CT_T = 2.533E+03 [m**2]",
        "CN_R = -2.313E+01 [m**2]", "CN_T = 1.336E+01 [m**2]", "CN_N = 7.098E+01 [m**2]",
        "CRDOT_R = 2.520E-03 [m**2/s]", "CRDOT_T = -5.476E+00 [m**2/s]", "CRDOT_N = 8.626E-04 [m**2/s]",
        "CRDOT_RDOT = 5.744E-03 [m**2/s**2]", "CTDOT_R = -1.006E-02 [m**2/s]", "CTDOT_T = 4.041E-03 [m**2/s]",
        "CTDOT_N = -1.359E-03 [m**2/s]", "CTDOT_RDOT = -1.502E-05 [m**2/s**2]", "CTDOT_TDOT = 1.049E-05 [m**2/s**2]",
        "CNDOT_R = 1.053E-03 [m**2/s]", "CNDOT_T = -3.412E-03 [m**2/s]", "CNDOT_N = 1.213E-02 [m**2/s]",
        "CNDOT_RDOT = -3.004E-06 [m**2/s**2]", "CNDOT_TDOT = -1.091E-06 [m**2/s**2]",
        "CNDOT_NDOT = 5.529E-05 [m**2/s**2]",
    ]
    for name, norad, sign in (("OBJECT1", object1, 1.0), ("OBJECT2", object2, -1.0)):
        lines += [
            f"OBJECT = {name}",
            f"OBJECT_DESIGNATOR = {norad}",
            "CATALOG_NAME = SATCAT",
            f"OBJECT_NAME = SYNTH {norad}",
            f"INTERNATIONAL_DESIGNATOR = 2056-{norad % 1000:03d}A",
            "EPHEMERIS_NAME = NONE",
            "COVARIANCE_METHOD = CALCULATED",
            f"MANEUVERABLE = {'YES' if name == 'OBJECT1' else 'NO'}",
            "REF_FRAME = EME2000",
            "X = 2570.097065 [km]",
            "Y = 2244.654904 [km]",
            f"Z = {6281.497978 + sign * miss / 2000:.6f} [km]",
            f"X_DOT = {sign * 4.418769571:.9f} [km/s]",
            f"Y_DOT = {sign * 4.833547743:.9f} [km/s]",
            "Z_DOT = -3.526774282 [km/s]",
            *covariance,
            "",
        ]
    return "\n".join(lines)


def make_tdm(sender: str, *, start: datetime, message_id: str, norad: int = 90500, count: int = 10,
             seed: int = 0) -> str:
    """A TDM 2.0 KVN: ranges from `sender`'s sensor to `norad` every minute."""
    times = [start + timedelta(minutes=i) for i in range(count)]
    lines = [
        "CCSDS_TDM_VERS = 2.0",
        "COMMENT Synthetic test measurements (test_gateway_products.py)",
        f"CREATION_DATE = {epoch(start - timedelta(hours=1))}",
        f"ORIGINATOR = {sender.upper()}",
        f"MESSAGE_ID = {message_id}",
        "META_START",
        "TIME_SYSTEM = UTC",
        f"START_TIME = {epoch(times[0])}",
        f"STOP_TIME = {epoch(times[-1])}",
        f"PARTICIPANT_1 = {sender.upper()}-SENSOR",
        f"PARTICIPANT_2 = {norad}",
        "MODE = SEQUENTIAL",
        "PATH = 1,2,1",
        "RANGE_UNITS = km",
        "META_STOP",
        "DATA_START",
        *[f"RANGE = {epoch(t)} {1200 + i * 7.25 + seed * 1e-6:.6f}" for i, t in enumerate(times)],
        "DATA_STOP",
        "",
    ]
    return "\n".join(lines)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12].upper()}"


def base_time() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)


# ---- calls ----------------------------------------------------------------------------------------------------------

def submit(gateway: Gateway, body: str | bytes, *, user: str | None = None, cert: str | None = None,
           path: str = "/internal/v1/products", params: dict | None = None,
           session: requests.Session | None = None, content_type: str = "text/plain") -> requests.Response:
    data = body.encode() if isinstance(body, str) else body
    headers = {"Content-Type": content_type}
    if session is None:
        return gateway.request("POST", path, user=user, cert=cert, data=data, params=params, headers=headers)
    if user is not None:
        headers["Authorization"] = f"Bearer {gateway.keys[user]}"
    return session.post(gateway.url(path), data=data, params=params, headers=headers, verify=str(gateway.ca),
                        cert=gateway.client_cert(cert) if cert else None, timeout=120)


def assert_stored(response: requests.Response, body: bytes, *, status: int, kind: str, submitter: str,
                  provider: str, marking: str = "restricted") -> dict:
    context = f"{response.request.method} {response.request.url} → {response.status_code}: {response.text[:600]}"
    assert response.status_code == status, context
    assert_common_headers(response)
    assert media_type(response) == "application/json", context
    summary = response.json()
    collection = {"cdm": "cdms", "tdm": "tdms"}.get(kind, "products")
    assert isinstance(summary["id"], str) and summary["id"].isdigit(), summary
    assert response.headers.get("Location") == f"/api/v1/{collection}/{summary['id']}", response.headers
    assert summary["href"] == response.headers["Location"], summary
    assert summary["kind"] == kind, summary
    assert summary["content_hash"] == hashlib.sha256(body).hexdigest(), summary
    assert (summary["submitter"], summary["provider"], summary["marking"]) == (submitter, provider, marking), summary
    assert summary["data_mode"] == "REAL", summary
    for key in ("encoding", "source", "created", "received", "norad_ids", "participants", "time_start", "time_stop",
                "collision_probability", "miss_distance_m", "record_count"):
        assert key in summary, f"summary without {key!r}: {summary}"
    return summary


def listing(gateway: Gateway, collection: str, user: str, **params) -> list[dict]:
    """Every item of `/api/v1/{collection}` for `user`, following `next`."""
    items, cursor = [], None
    for _ in range(1000):
        query = dict(params)
        if cursor is not None:
            query["cursor"] = cursor
        response = gateway.get(f"/api/v1/{collection}", user=user, params=query)
        assert response.status_code == 200, f"{user} {collection} {query}: {response.status_code} {response.text[:400]}"
        assert_common_headers(response)
        page = response.json()
        assert set(page) == {"items", "next"}, page
        items += page["items"]
        cursor = page["next"]
        if cursor is None:
            return items
        assert isinstance(cursor, str) and cursor
    raise AssertionError("more than 1000 pages")


def feed_page(gateway: Gateway, user: str, after: str | int | None = None, *, limit: int = 1000,
              wait: float | None = None, session: requests.Session | None = None) -> dict:
    params: dict = {"limit": limit}
    if after is not None:
        params["after"] = str(after)
    if wait is not None:
        params["wait"] = wait
    if session is None:
        response = gateway.get("/api/v1/feed", user=user, params=params)
    else:
        response = session.get(gateway.url("/api/v1/feed"), params=params, verify=str(gateway.ca), timeout=120,
                               headers={"Authorization": f"Bearer {gateway.keys[user]}"})
    assert response.status_code == 200, f"feed {user} {params}: {response.status_code} {response.text[:400]}"
    page = response.json()
    assert set(page) == {"items", "next"}, page
    assert isinstance(page["next"], str) and page["next"].isdigit(), f"next is always a cursor: {page['next']!r}"
    for item in page["items"]:
        assert {"id", "type", "time", "product", "norad_ids"} <= set(item), item
        if item["type"].startswith("observation-request."):
            # The demo observation requests' events (issue 11): the requester's and the administrators' only.
            assert user in ("requester", "admin"), (user, item)
            assert item["product"] is None and item["request"]["id"].startswith("req_"), item
            continue
        assert item["type"] == "product.stored", item
        assert set(item["product"]) == {"id", "kind", "href"}, item
    return page


def feed_all(gateway: Gateway, user: str, after: str | int = 0) -> tuple[list[dict], str]:
    """Every product event after `after` the user may read (observation-request events left out), and the cursor at
    the end."""
    events, cursor = [], str(after)
    for _ in range(10000):
        page = feed_page(gateway, user, cursor)
        if page["items"]:
            assert int(page["items"][0]["id"]) > int(cursor), (cursor, page["items"][0])
        assert int(page["next"]) >= int(cursor), (cursor, page["next"])
        events += [item for item in page["items"] if item["type"] == "product.stored"]
        if not page["items"] and page["next"] == cursor:
            return events, cursor
        cursor = page["next"]
    raise AssertionError("the feed does not end")


def feed_head(gateway: Gateway) -> str:
    return feed_all(gateway, "admin")[1]


def comparable(response: requests.Response) -> tuple:
    body = response.json()
    body.pop("request_id", None)
    body.pop("instance", None)
    return response.status_code, media_type(response), body


# ---- servers ----------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def products_gateway(gateway_factory):
    """A server of this module's own (a fresh copy of the seeded database): the matrix sees only the demo products
    until the module's own submissions, and quotas are not shared with other modules."""
    server = gateway_factory.start("products")
    yield server
    gateway_factory.stop(server)


@pytest.fixture(scope="module")
def demo_products(products_gateway) -> list[dict]:
    """The demo products (admin reads them all), checked against the demo data set of the contract."""
    cdms = [c for c in listing(products_gateway, "cdms", "admin") if c["submitter"] == "backend"
            and c["source"] == "ESSOR-DEMO"]
    tdms = [t for t in listing(products_gateway, "tdms", "admin") if t["provider"] in ("partner-1", "partner-2")]
    assert len(cdms) == 11, [c["norad_ids"] for c in cdms]
    pairs = sorted(tuple(sorted(c["norad_ids"])) for c in cdms)
    expected = sorted([(a, 90100 + i) for i, a in enumerate(range(90001, 90006))]
                      + [(b, 90105 + i) for i, b in enumerate(range(90011, 90016))] + [(90008, 90018)])
    assert pairs == expected, pairs
    assert all(c["marking"] == "restricted" and c["kind"] == "cdm" for c in cdms), cdms
    assert len(tdms) == 4, tdms
    assert sorted((t["provider"], t["marking"]) for t in tdms) == [
        ("partner-1", "partners:partner-2"), ("partner-1", "restricted"),
        ("partner-2", "public"), ("partner-2", "restricted")], tdms
    assert all(t["norad_ids"] == [90500] for t in tdms), tdms
    return cdms + tdms


class PostgresServers:
    """Servers on one fresh schema of the CI cluster, seeded with the demo data set."""

    def __init__(self, essor, pki, url: str, folder: Path, keys: dict[str, str]):
        self.essor, self.pki, self.url, self.folder, self.keys = essor, pki, url, folder, keys
        self.count = 0

    def start(self, name: str) -> Gateway:
        self.count += 1
        workdir = self.folder / f"server-{self.count}-{name}"
        workdir.mkdir()
        argv = ["serve", "--database", self.url, "--host", "127.0.0.1", "--port", "0", "--certs",
                str(self.pki.root), "--policies", str(REPO / "policies"), "--client-ca", str(self.pki.ca)]
        server = GatewayServer(self.essor, workdir, argv)
        port = server.wait_listening()
        return Gateway(server, port, dict(self.keys), self.pki, workdir / "(postgres)", REPO / "policies",
                       Seed(workdir / "(postgres)", dict(self.keys)))


def _psql(url: str, sql: str) -> None:
    subprocess.run(["psql", url.split("?")[0], "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True,
                   capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def postgres_servers(serve_binary, pki, tmp_path_factory):
    url = os.environ.get("ESSOR_TEST_POSTGRES_URL")
    if not url:
        if ci():
            pytest.fail("ESSOR_TEST_POSTGRES_URL is not set (bash .ci/postgres start)", pytrace=False)
        pytest.skip("ESSOR_TEST_POSTGRES_URL is not set: eval \"$(bash .ci/postgres start)\" first")
    schema = "essor_products_" + uuid.uuid4().hex[:12]
    _psql(url, f"CREATE SCHEMA {schema}")
    scoped = url + ("&" if "?" in url else "?") + f"schema={schema}"
    try:
        folder = tmp_path_factory.mktemp("postgres-products")
        keys_file = folder / "keys.json"
        serve_binary.run("demo", "seed", "--database", scoped, "--keys-out", keys_file, check=True)
        yield PostgresServers(serve_binary, pki, scoped, folder, json.loads(keys_file.read_text()))
    finally:
        _psql(url, f"DROP SCHEMA {schema} CASCADE")


class Engines:
    """Starts a server on the engine a test is parametrised with; restarts it on the same database."""

    def __init__(self, request, engine: str):
        self.request, self.engine = request, engine
        self.started: list[Gateway] = []

    def start(self, name: str) -> Gateway:
        if self.engine == "sqlite":
            gateway = self.request.getfixturevalue("gateway_factory").start(name)
        else:
            gateway = self.request.getfixturevalue("postgres_servers").start(name)
        self.started.append(gateway)
        return gateway

    def stop(self, gateway: Gateway) -> None:
        self.started.remove(gateway)
        gateway.session.close()
        if self.engine == "sqlite":
            self.request.getfixturevalue("gateway_factory").stop(gateway)
        else:
            code = gateway.server.stop()
            assert code == 0, f"essor serve exited with {code} after SIGTERM\n{gateway.server.tail()}"

    def restart(self, gateway: Gateway) -> Gateway:
        """SIGTERM (exit 0), then a new server with the same arguments (the same database)."""
        self.stop(gateway)
        workdir = gateway.server.workdir.with_name(gateway.server.workdir.name + "-restarted")
        workdir.mkdir()
        server = GatewayServer(self.request.getfixturevalue("serve_binary"), workdir, gateway.server.argv)
        if self.engine == "sqlite":
            self.request.getfixturevalue("gateway_factory").running.append(server)
        port = server.wait_listening()
        again = Gateway(server, port, gateway.keys, gateway.pki, gateway.database, gateway.policies, gateway.seed)
        self.started.append(again)
        return again

    def close(self) -> None:
        for gateway in list(self.started):
            self.stop(gateway)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request):
    engines = Engines(request, request.param)
    yield engines
    engines.close()


# ---- the matrix --------------------------------------------------------------------------------------------------

def test_demo_products_are_as_the_contract_says(demo_products):
    """11 CDMs from the backend, 4 TDMs on 90500 (checked by the fixture); the visibility is not vacuous."""
    cdms = [p for p in demo_products if p["kind"] == "cdm"]
    tdms = [p for p in demo_products if p["kind"] == "tdm"]
    assert sum(can_read_cdm("operator-a", c) for c in cdms) == 6
    assert sum(can_read_cdm("operator-b", c) for c in cdms) == 6
    assert [u for u in USERS if any(can_read_tdm(u, t) for t in tdms)] == ["partner-1", "partner-2", "admin"]


@pytest.mark.parametrize("user", USERS)
def test_cdm_matrix(products_gateway, demo_products, user):
    gateway = products_gateway
    cdms = [p for p in demo_products if p["kind"] == "cdm"]
    demo_ids = {c["id"] for c in cdms}
    expected = sorted((c["id"] for c in cdms if can_read_cdm(user, c)), key=int)

    listed = [c["id"] for c in listing(gateway, "cdms", user) if c["id"] in demo_ids]
    assert listed == expected, f"{user} lists {listed}, expected {expected}"
    paged = [c["id"] for c in listing(gateway, "cdms", user, limit=2) if c["id"] in demo_ids]
    assert paged == expected, f"{user} pages of 2: {paged}"

    missing = gateway.get(f"/api/v1/cdms/{MISSING_ID}", user=user)
    assert_problem(missing, 404, "not-found")
    for cdm in cdms:
        response = gateway.get(f"/api/v1/cdms/{cdm['id']}", user=user)
        assert_common_headers(response)
        if can_read_cdm(user, cdm):
            assert response.status_code == 200, f"{user} {cdm['norad_ids']}: {response.status_code} {response.text}"
            assert media_type(response) == "text/plain"
            assert response.text.startswith("CCSDS_CDM_VERS")
            assert hashlib.sha256(response.content).hexdigest() == cdm["content_hash"]
        else:
            assert_problem(response, 404, "not-found")
            assert comparable(response) == comparable(missing), (
                f"{user} CDM {cdm['id']} {cdm['norad_ids']}: {response.text}\nvs missing: {missing.text}")
        # Per object: the `object` filter never widens what the caller sees.
    for norad in sorted({n for c in cdms for n in c["norad_ids"]})[::3]:
        by_object = [c["id"] for c in listing(gateway, "cdms", user, object=str(norad)) if c["id"] in demo_ids]
        assert by_object == [c["id"] for c in cdms if c["id"] in expected and norad in c["norad_ids"]], (user, norad)


def test_operator_a_never_sees_a_cdm_of_operator_b_only(products_gateway, demo_products):
    gateway = products_gateway
    only_b = [c for c in demo_products if c["kind"] == "cdm"
              and all(owner(n) != "operator-a" for n in c["norad_ids"])
              and any(owner(n) == "operator-b" for n in c["norad_ids"])]
    assert len(only_b) == 5
    listed = {c["id"] for c in listing(gateway, "cdms", "operator-a")}
    for cdm in only_b:
        assert cdm["id"] not in listed
        for fmt in ("kvn", "xml", "json"):
            assert_problem(gateway.get(f"/api/v1/cdms/{cdm['id']}", user="operator-a", params={"format": fmt}),
                           404, "not-found")
        by_object = listing(gateway, "cdms", "operator-a", object=",".join(map(str, cdm["norad_ids"])))
        assert cdm["id"] not in {c["id"] for c in by_object}
    # ... while the one shared by both operators (90008 × 90018) is seen by both.
    shared = [c for c in demo_products if c["kind"] == "cdm" and sorted(c["norad_ids"]) == [90008, 90018]]
    for user in ("operator-a", "operator-b", "admin"):
        assert gateway.get(f"/api/v1/cdms/{shared[0]['id']}", user=user).status_code == 200, user


@pytest.mark.parametrize("user", USERS)
def test_tdm_matrix(products_gateway, demo_products, user):
    gateway = products_gateway
    tdms = [p for p in demo_products if p["kind"] == "tdm"]
    demo_ids = {t["id"] for t in tdms}
    expected = sorted((t["id"] for t in tdms if can_read_tdm(user, t)), key=int)
    listed = [t["id"] for t in listing(gateway, "tdms", user) if t["id"] in demo_ids]
    assert listed == expected, f"{user} lists {listed}, expected {expected}"
    missing = gateway.get(f"/api/v1/tdms/{MISSING_ID}", user=user)
    assert_problem(missing, 404, "not-found")
    for tdm in tdms:
        response = gateway.get(f"/api/v1/tdms/{tdm['id']}", user=user)
        assert_common_headers(response)
        if can_read_tdm(user, tdm):
            assert response.status_code == 200, f"{user} {tdm['marking']}: {response.status_code} {response.text}"
            assert response.text.startswith("CCSDS_TDM_VERS")
        else:
            assert_problem(response, 404, "not-found")
            assert comparable(response) == comparable(missing), (
                f"{user} TDM {tdm['provider']} {tdm['marking']}: {response.text}\nvs missing: {missing.text}")
    # A CDM asked for as a TDM (and the reverse) is missing too.
    cdm = next(p for p in demo_products if p["kind"] == "cdm")
    assert comparable(gateway.get(f"/api/v1/tdms/{cdm['id']}", user=user)) == comparable(missing)


def test_partner_1_sharing(products_gateway, demo_products):
    """The issue's truth: partner-2 sees partner-1's shared TDM; partner-1's restricted one is seen by partner-1 and
    admin only (not partner-2, the requester or the operators)."""
    gateway = products_gateway
    by_marking = {t["marking"]: t for t in demo_products if t["kind"] == "tdm" and t["provider"] == "partner-1"}
    shared, restricted = by_marking["partners:partner-2"], by_marking["restricted"]
    assert gateway.get(f"/api/v1/tdms/{shared['id']}", user="partner-2").status_code == 200
    assert shared["id"] in {t["id"] for t in listing(gateway, "tdms", "partner-2", provider="partner-1")}
    for user in ("partner-2", "requester", "operator-a", "operator-b", "backend"):
        assert_problem(gateway.get(f"/api/v1/tdms/{restricted['id']}", user=user), 404, "not-found")
        assert restricted["id"] not in {t["id"] for t in listing(gateway, "tdms", user)}
    for user in ("requester", "operator-a", "operator-b"):
        assert_problem(gateway.get(f"/api/v1/tdms/{shared['id']}", user=user), 404, "not-found")
    for user in ("partner-1", "admin"):
        assert gateway.get(f"/api/v1/tdms/{restricted['id']}", user=user).status_code == 200


@pytest.mark.parametrize("user", USERS)
def test_feed_shows_each_user_exactly_the_demo_products_it_may_read(products_gateway, demo_products, user):
    events, _ = feed_all(products_gateway, user)
    demo = {p["id"]: p for p in demo_products}
    seen = [e["product"]["id"] for e in events if e["product"]["id"] in demo]
    expected = [p["id"] for p in sorted(demo_products, key=lambda p: int(p["id"])) if can_read(user, p)]
    assert sorted(seen, key=int) == expected, f"{user}'s feed: {seen}, expected {expected}"
    assert len(seen) == len(set(seen))
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(set(ids)), "feed ids strictly increase"
    for event in events:
        if event["product"]["id"] in demo:
            product = demo[event["product"]["id"]]
            assert event["product"]["kind"] == product["kind"] and event["product"]["href"] == product["href"]
            assert sorted(event["norad_ids"]) == sorted(product["norad_ids"])


def test_listing_filters(products_gateway, demo_products):
    gateway = products_gateway
    cdms = [p for p in demo_products if p["kind"] == "cdm"]
    demo_ids = {c["id"] for c in cdms}

    def ids(**params) -> set[str]:
        return {c["id"] for c in listing(gateway, "cdms", "admin", **params)} & demo_ids

    assert ids(object="90008") == {c["id"] for c in cdms if 90008 in c["norad_ids"]}
    assert ids(object="90001,90011") == {c["id"] for c in cdms if {90001, 90011} & set(c["norad_ids"])}
    threshold = sorted(c["collision_probability"] for c in cdms)[5]
    assert ids(min_pc=repr(threshold)) == {c["id"] for c in cdms if c["collision_probability"] >= threshold}
    miss = sorted(c["miss_distance_m"] for c in cdms)[4]
    assert ids(max_miss=repr(miss)) == {c["id"] for c in cdms if c["miss_distance_m"] <= miss}
    tcas = sorted(parse_utc(c["time_start"]) for c in cdms)
    low, high = tcas[2] - timedelta(minutes=1), tcas[7] + timedelta(minutes=1)   # the demo TCAs are 6 h apart
    window = {c["id"] for c in cdms if low <= parse_utc(c["time_start"]) <= high}
    assert len(window) == 7
    assert ids(tca_from=low.strftime("%Y-%m-%dT%H:%M:%SZ"), tca_to=high.strftime("%Y-%m-%dT%H:%M:%SZ")) == window
    future = datetime.now(timezone.utc) + timedelta(days=3650)
    assert ids(since=future.strftime("%Y-%m-%dT%H:%M:%SZ")) == set()
    for bad in ({"limit": "0"}, {"limit": "1001"}, {"min_pc": "2"}, {"object": "abc"}, {"cursor": "x"},
                {"tca_from": "yesterday"}):
        name = next(iter(bad))
        assert_problem(gateway.get("/api/v1/cdms", user="admin", params=bad), 400, "bad-parameter", name)
    tdms = [p for p in demo_products if p["kind"] == "tdm"]
    by_provider = {t["id"] for t in listing(gateway, "tdms", "admin", provider="partner-2")}
    assert by_provider & {t["id"] for t in tdms} == {t["id"] for t in tdms if t["provider"] == "partner-2"}
    for bad in ({"limit": "0"}, {"after": "-1"}, {"wait": "61"}):
        name = next(iter(bad))
        assert_problem(gateway.get("/api/v1/feed", user="admin", params=bad), 400, "bad-parameter", name)


def test_product_routes_need_credentials(products_gateway):
    gateway = products_gateway
    for path in ("/api/v1/cdms", "/api/v1/cdms/1", "/api/v1/tdms", "/api/v1/tdms/1", "/api/v1/feed"):
        assert_problem(gateway.get(path), 401, "unauthenticated")
    for path in ("/internal/v1/products", "/api/v1/tdms"):
        response = gateway.request("POST", path, data=make_tdm("partner-1", start=base_time(),
                                                                 message_id=unique("ANON")))
        assert_problem(response, 401, "unauthenticated")


# ---- round trips ---------------------------------------------------------------------------------------------------

def check_round_trip(gateway: Gateway, essor, tmp_path: Path, summary: dict, sent: bytes, reader: str,
                     root: str, version: str) -> None:
    """KVN back byte-identical; XML valid against NDM/XML 4.0.0 and `essor validate`; JSON equal to `essor convert
    --to json` of what was sent; Accept negotiation gives the same answers."""
    href = summary["href"]
    kvn = gateway.get(href, user=reader, params={"format": "kvn"})
    assert kvn.status_code == 200, kvn.text
    assert_common_headers(kvn)
    assert media_type(kvn) == "text/plain"
    assert kvn.content == sent, "the KVN that comes back is not the KVN that was sent"
    assert gateway.get(href, user=reader).content == sent, "no format, no Accept: KVN"
    assert gateway.get(href, user=reader, headers={"Accept": "text/plain"}).content == sent

    xml = gateway.get(href, user=reader, params={"format": "xml"})
    assert xml.status_code == 200, xml.text
    assert media_type(xml) == "application/xml"
    assert gateway.get(href, user=reader, headers={"Accept": "application/xml"}).content == xml.content
    sent_file = tmp_path / f"sent-{summary['id']}.kvn"
    sent_file.write_bytes(sent)
    xml_file = tmp_path / f"served-{summary['id']}.xml"
    xml_file.write_bytes(xml.content)
    assert_valid(xml_file, XSD_4, root, version)
    result = essor.run("validate", sent_file, xml_file)
    assert result.returncode == 0, f"essor validate: {result.stderr}"

    served_json = gateway.get(href, user=reader, params={"format": "json"})
    assert served_json.status_code == 200 and media_type(served_json) == "application/json", served_json.text
    assert gateway.get(href, user=reader, headers={"Accept": "application/json"}).json() == served_json.json()
    expected = json.loads(essor.run("convert", sent_file, "--to", "json", check=True).stdout)
    assert served_json.json() == expected, "the JSON served is not the message that was sent"
    from_xml = json.loads(essor.run("convert", xml_file, "--to", "json", check=True).stdout)
    assert from_xml == expected, "the XML served is not the message that was sent"
    assert_problem(gateway.get(href, user=reader, params={"format": "tle"}), 400, "bad-parameter", "format")
    assert_problem(gateway.get(href, user=reader, headers={"Accept": "image/png"}), 406, "not-acceptable")


def test_cdm_from_backend_round_trip(products_gateway, serve_binary, tmp_path):
    gateway = products_gateway
    tca = base_time() + timedelta(days=3)   # whole seconds: test_summary_times_are_the_message_times covers ms
    text = make_cdm(90003, 90777, tca=tca, message_id=unique("RT-CDM"), miss=321.5, pc=4.5e-5)
    sent = text.encode()
    first = submit(gateway, sent, cert="backend")
    summary = assert_stored(first, sent, status=201, kind="cdm", submitter="backend", provider="backend")
    assert summary["encoding"] == "kvn"
    assert sorted(summary["norad_ids"]) == [90003, 90777]
    assert summary["miss_distance_m"] == pytest.approx(321.5)
    assert summary["collision_probability"] == pytest.approx(4.5e-5)
    assert parse_utc(summary["time_start"]) == tca
    assert parse_utc(summary["created"]) == tca - timedelta(days=1)
    # The same bytes with the backend's API key: the same product.
    again = submit(gateway, sent, user="backend")
    assert assert_stored(again, sent, status=200, kind="cdm", submitter="backend", provider="backend") == summary
    # operator-a owns 90003: it reads the CDM; operator-b does not.
    check_round_trip(gateway, serve_binary, tmp_path, summary, sent, "operator-a", "cdm", "1.0")
    assert_problem(gateway.get(summary["href"], user="operator-b"), 404, "not-found")
    assert summary["id"] in {c["id"] for c in listing(gateway, "cdms", "operator-a", object="90777")}


def test_tdm_from_partner_round_trip(products_gateway, serve_binary, tmp_path):
    gateway = products_gateway
    text = make_tdm("partner-1", start=base_time(), message_id=unique("RT-TDM"))
    sent = text.encode()
    first = submit(gateway, sent, user="partner-1", path="/api/v1/tdms", params={"marking": "partners:partner-2"})
    summary = assert_stored(first, sent, status=201, kind="tdm", submitter="partner-1", provider="partner-1",
                            marking="partners:partner-2")
    assert summary["encoding"] == "kvn" and summary["norad_ids"] == [90500]
    assert "PARTNER-1-SENSOR" in summary["participants"]
    check_round_trip(gateway, serve_binary, tmp_path, summary, sent, "partner-2", "tdm", "2.0")
    assert gateway.get(summary["href"], user="partner-1").content == sent
    for user in ("requester", "operator-a"):
        assert_problem(gateway.get(summary["href"], user=user), 404, "not-found")
    # The XML rendition, submitted in turn, is another product (other bytes) and comes back byte-identical as XML.
    xml = gateway.get(summary["href"], user="partner-1", params={"format": "xml"}).content
    stored = submit(gateway, xml, user="partner-1", path="/api/v1/tdms", content_type="application/xml")
    xml_summary = assert_stored(stored, xml, status=201, kind="tdm", submitter="partner-1", provider="partner-1")
    assert xml_summary["encoding"] == "xml" and xml_summary["id"] != summary["id"]
    assert gateway.get(xml_summary["href"], user="partner-1", params={"format": "xml"}).content == xml
    assert (gateway.get(xml_summary["href"], user="partner-1", params={"format": "json"}).json()
            == gateway.get(summary["href"], user="partner-1", params={"format": "json"}).json())


def test_summary_times_are_the_message_times(products_gateway):
    """`time_start` of a CDM is its TCA to the millisecond, and `tca_from` = `tca_to` = that TCA finds it (the
    bounds are inclusive)."""
    gateway = products_gateway
    wrong = []
    for ms in (0, 37, 74, 185, 222, 500, 777, 999):
        tca = base_time() + timedelta(days=4, hours=ms % 24, milliseconds=ms)
        text = tca.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        response = submit(gateway, make_cdm(90004, 90781, tca=tca, message_id=unique("TIME")), user="backend")
        assert response.status_code == 201, response.text
        summary = response.json()
        found = {c["id"] for c in listing(gateway, "cdms", "admin", object="90781", tca_from=text, tca_to=text)}
        if summary["time_start"] != text or summary["id"] not in found:
            wrong.append(f"TCA {text}: time_start {summary['time_start']}, found by tca_from=tca_to: "
                         f"{summary['id'] in found}")
    assert not wrong, "\n".join(wrong)


# ---- refusals -------------------------------------------------------------------------------------------------------

def test_invalid_submission_stores_nothing(products_gateway):
    gateway = products_gateway
    head = feed_head(gateway)
    cdms_before = [c["id"] for c in listing(gateway, "cdms", "admin")]
    tdms_before = [t["id"] for t in listing(gateway, "tdms", "admin")]

    text = make_cdm(90001, 90778, tca=base_time() + timedelta(days=2), message_id=unique("BAD-CDM"))
    lines = text.split("\n")
    line = next(i for i, l in enumerate(lines) if l.startswith("TCA = ")) + 1
    lines[line - 1] = "TCA = not-an-epoch"
    response = submit(gateway, "\n".join(lines), cert="backend")
    body = assert_problem(response, 400, "invalid-message")
    assert any(e.get("line") == line for e in body["errors"]), f"no error names line {line}: {body['errors']}"
    assert str(line) in body["detail"] or any(e.get("line") == line for e in body["errors"])

    tdm = make_tdm("partner-1", start=base_time(), message_id=unique("BAD-TDM")).split("\n")
    bad_line = next(i for i, l in enumerate(tdm) if l.startswith("RANGE = ")) + 1 + 3
    tdm[bad_line - 1] = "RANGE = 2026-13-45T99:00:00.000 1.0"
    response = submit(gateway, "\n".join(tdm), user="partner-1", path="/api/v1/tdms")
    body = assert_problem(response, 400, "invalid-message")
    assert any(e.get("line") == bad_line for e in body["errors"]), f"no error names line {bad_line}: {body['errors']}"

    garbage = submit(gateway, "hello, not a CCSDS message\n", user="backend")
    assert_problem(garbage, 400, "invalid-message")

    assert feed_head(gateway) == head, "a rejected submission appended a feed event"
    assert feed_page(gateway, "admin", head)["items"] == []
    assert [c["id"] for c in listing(gateway, "cdms", "admin")] == cdms_before
    assert [t["id"] for t in listing(gateway, "tdms", "admin")] == tdms_before


def test_partner_route_takes_tdms_only(products_gateway):
    gateway = products_gateway
    head = feed_head(gateway)
    cdm = make_cdm(90001, 90779, tca=base_time() + timedelta(days=2), message_id=unique("CDM-AS-TDM"))
    assert_problem(submit(gateway, cdm, user="partner-1", path="/api/v1/tdms"), 400, "invalid-message")
    assert feed_head(gateway) == head


def test_submissions_without_the_right_are_forbidden(products_gateway):
    gateway = products_gateway
    head = feed_head(gateway)
    tdm = make_tdm("partner-1", start=base_time(), message_id=unique("FORBIDDEN")).encode()
    for user in ("operator-a", "partner-1", "requester", "admin"):
        assert_problem(submit(gateway, tdm, user=user), 403, "forbidden")
    assert_problem(submit(gateway, tdm, cert="operator-a"), 403, "forbidden")
    for user in ("operator-a", "requester", "admin", "backend"):
        assert_problem(submit(gateway, tdm, user=user, path="/api/v1/tdms"), 403, "forbidden")
    assert feed_head(gateway) == head
    assert hashlib.sha256(tdm).hexdigest() not in {t["content_hash"] for t in listing(gateway, "tdms", "admin")}


def test_bad_submission_parameters(products_gateway):
    gateway = products_gateway
    tdm = make_tdm("partner-1", start=base_time(), message_id=unique("BAD-PARAM"))
    assert_problem(submit(gateway, tdm, user="backend", params={"marking": "secret"}), 400, "bad-parameter", "marking")
    assert_problem(submit(gateway, tdm, user="backend", params={"data_mode": "LIVE"}), 400, "bad-parameter",
                   "data_mode")
    stored = submit(gateway, tdm, user="backend", params={"marking": "public", "data_mode": "SIMULATED",
                                                           "source": "SENSOR-X"})
    assert stored.status_code == 201, stored.text
    summary = stored.json()
    assert (summary["marking"], summary["data_mode"], summary["source"]) == ("public", "SIMULATED", "SENSOR-X")


def test_upload_over_the_limit_is_413(gateway_factory):
    gateway = gateway_factory.start("small-uploads", extra=["--max-upload-bytes", "4096"])
    try:
        head = feed_head(gateway)
        small = make_tdm("backend", start=base_time(), message_id=unique("SMALL"), count=3)
        assert len(small) < 4096
        assert submit(gateway, small, user="backend").status_code == 201
        big = make_tdm("backend", start=base_time(), message_id=unique("BIG"), count=200).encode()
        assert len(big) > 4096
        assert_problem(submit(gateway, big, user="backend"), 413, "payload-too-large")
        # Without Content-Length (chunked): the limit holds while streaming.
        chunks = (big[i:i + 1024] for i in range(0, len(big), 1024))
        response = gateway.request("POST", "/internal/v1/products", user="backend", data=chunks,
                                   headers={"Content-Type": "text/plain"})
        assert_problem(response, 413, "payload-too-large")
        assert len(feed_page(gateway, "admin", head)["items"]) == 1
    finally:
        gateway_factory.stop(gateway)


# ---- idempotency and the feed, on both engines ------------------------------------------------------------------

def test_same_bytes_on_two_connections_at_once(engine):
    gateway = engine.start("idempotency")
    head = feed_head(gateway)
    stored_ids = []
    for round_ in range(10):
        body = make_tdm("backend", start=base_time() + timedelta(minutes=round_),
                        message_id=unique(f"TWICE-{round_}")).encode()
        barrier = threading.Barrier(2)
        answers: list = [None, None]

        def post(slot: int) -> None:
            with requests.Session() as session:      # its own connection
                session.get(gateway.url("/healthz"), verify=str(gateway.ca), timeout=60)
                barrier.wait(timeout=60)
                try:
                    answers[slot] = submit(gateway, body, user="backend", session=session)
                except Exception as error:  # noqa: BLE001 — reported below
                    answers[slot] = error

        threads = [threading.Thread(target=post, args=(slot,)) for slot in (0, 1)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        for answer in answers:
            assert isinstance(answer, requests.Response), f"round {round_}: {answer!r}"
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [200, 201], f"round {round_}: {[(a.status_code, a.text[:300]) for a in answers]}"
        ids = {a.json()["id"] for a in answers}
        assert len(ids) == 1, f"round {round_}: two products for the same bytes: {ids}"
        locations = {a.headers.get("Location") for a in answers}
        assert len(locations) == 1, locations
        stored_ids.append(ids.pop())
    # Exactly one feed event per product.
    events, _ = feed_all(gateway, "admin", head)
    assert [e["product"]["id"] for e in events] == stored_ids


WRITERS, PER_WRITER = 8, 25


def test_feed_under_concurrent_ingest(engine):
    gateway = engine.start("feed")
    start = feed_head(gateway)
    stored: dict[str, str] = {}             # product id → message id
    errors: list[str] = []
    lock = threading.Lock()
    done = threading.Event()
    read: list[dict] = []

    def writer(index: int) -> None:
        with requests.Session() as session:
            for n in range(PER_WRITER):
                message_id = f"FEED-{index}-{n}-{uuid.uuid4().hex[:8].upper()}"
                body = make_tdm("backend", start=base_time() + timedelta(minutes=index * PER_WRITER + n),
                                message_id=message_id, seed=index * 1000 + n)
                try:
                    response = submit(gateway, body, user="backend", session=session)
                except Exception as error:  # noqa: BLE001
                    with lock:
                        errors.append(f"writer {index} #{n}: {error!r}")
                    continue
                with lock:
                    if response.status_code != 201:
                        errors.append(f"writer {index} #{n}: {response.status_code} {response.text[:300]}")
                    else:
                        stored[response.json()["id"]] = message_id

    def reader() -> None:
        try:
            follow()
        except BaseException as error:  # noqa: BLE001 — reported by the test
            errors.append(f"reader: {error!r}")

    def follow() -> None:
        cursor = start
        with requests.Session() as session:
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                page = feed_page(gateway, "admin", cursor, wait=1, session=session)
                read.extend(page["items"])
                assert int(page["next"]) >= int(cursor)
                cursor = page["next"]
                if done.is_set() and not page["items"]:
                    with lock:
                        if len(read) >= len(stored):
                            return

    reading = threading.Thread(target=reader)
    reading.start()
    writers = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(timeout=600)
    done.set()
    reading.join(timeout=660)
    assert not reading.is_alive(), "the reader did not finish"
    assert not errors, "\n".join(errors[:20])
    assert len(stored) == WRITERS * PER_WRITER

    ids = [int(e["id"]) for e in read]
    assert ids == list(range(int(start) + 1, int(start) + 1 + len(ids))), (
        f"the live reader's event ids are not consecutive from {start}: {ids[:10]}… (gaps or reordering at "
        f"{[(a, b) for a, b in zip(ids, ids[1:]) if b != a + 1][:10]})")
    products = [e["product"]["id"] for e in read]
    assert sorted(products, key=int) == sorted(stored, key=int), "the feed and the stored products differ"
    assert len(products) == len(set(products)), "a product appears twice"
    assert all(e["product"]["kind"] == "tdm" and e["norad_ids"] == [90500] for e in read)

    # A replay from the same cursor gives the same sequence; so does one after a restart.
    replay, end = feed_all(gateway, "admin", start)
    assert [(e["id"], e["product"]["id"]) for e in replay] == [(e["id"], e["product"]["id"]) for e in read]
    restarted = engine.restart(gateway)
    again, end_again = feed_all(restarted, "admin", start)
    assert [(e["id"], e["product"]["id"]) for e in again] == [(e["id"], e["product"]["id"]) for e in read]
    assert end_again == end
    # Paging in small pages gives the same sequence too.
    small, cursor = [], start
    while True:
        page = feed_page(restarted, "admin", cursor, limit=7)
        small += page["items"]
        if not page["items"]:
            break
        cursor = page["next"]
    assert [e["id"] for e in small] == [e["id"] for e in read]
    # Stored after the restart: the cursor goes on from where it was.
    body = make_tdm("backend", start=base_time(), message_id=unique("AFTER-RESTART"))
    response = submit(restarted, body, user="backend")
    assert response.status_code == 201, response.text
    events = feed_page(restarted, "admin", end)["items"]
    assert [(e["id"], e["product"]["id"]) for e in events] == [(str(int(end) + 1), response.json()["id"])]


def test_long_poll(engine):
    gateway = engine.start("long-poll")
    head = feed_head(gateway)

    # A product arriving 0.5 s into a 2 s wait answers at once.
    body = make_tdm("backend", start=base_time(), message_id=unique("LONG-POLL"))
    posted: list = []

    def later() -> None:
        time.sleep(0.5)
        with requests.Session() as session:
            posted.append(submit(gateway, body, user="backend", session=session))

    thread = threading.Thread(target=later)
    began = time.monotonic()
    thread.start()
    with requests.Session() as session:
        page = feed_page(gateway, "admin", head, wait=2, session=session)
    elapsed = time.monotonic() - began
    thread.join(timeout=60)
    assert posted and posted[0].status_code == 201, posted
    assert [e["product"]["id"] for e in page["items"]] == [posted[0].json()["id"]], page
    assert 0.4 <= elapsed < 1.9, f"answered after {elapsed:.2f} s (the product came after 0.5 s)"
    head = page["next"]

    # Nothing arrives: empty after about 2 s, the cursor unchanged.
    began = time.monotonic()
    page = feed_page(gateway, "admin", head, wait=2)
    elapsed = time.monotonic() - began
    assert page == {"items": [], "next": head}, page
    assert 1.9 <= elapsed < 4.0, f"an empty wait=2 answered after {elapsed:.2f} s"

    # Only an event operator-b may not read arrives (operator-a's CDM): operator-b still waits the whole 2 s, and
    # its cursor moves past that event.
    cdm = make_cdm(90002, 90780, tca=base_time() + timedelta(days=2), message_id=unique("NOT-FOR-B"))
    posted.clear()

    def later_cdm() -> None:
        time.sleep(0.5)
        with requests.Session() as session:
            posted.append(submit(gateway, cdm, user="backend", session=session))

    thread = threading.Thread(target=later_cdm)
    began = time.monotonic()
    thread.start()
    page = feed_page(gateway, "operator-b", head, wait=2)
    elapsed = time.monotonic() - began
    thread.join(timeout=60)
    assert posted and posted[0].status_code == 201, posted
    assert page["items"] == [], page
    assert 1.9 <= elapsed < 4.0, f"operator-b's wait=2 answered after {elapsed:.2f} s"
    assert int(page["next"]) == int(head) + 1, f"next {page['next']} is not past the event ({head} + 1)"
    assert [e["product"]["id"] for e in feed_page(gateway, "operator-a", head)["items"]] == [posted[0].json()["id"]]
