"""HTTP and TLS basics of the gateway, and its life cycle.

- every response (200, 304, 401, 404, 400, /healthz …) has HSTS `max-age=63072000; includeSubDomains`,
  `X-Content-Type-Options: nosniff` and an `X-Request-ID` (the client's when 1–64 chars of [A-Za-z0-9._-],
  otherwise a generated one, never the invalid value);
- `/healthz` → {"status": "ok"}; `/readyz` → ready, policy revision, `sqlite`; `/openapi.yaml` is the repository's
  file byte for byte (`application/yaml`); `/metrics`: admin and loopback-without-credentials 200 Prometheus text
  with per-route counters, latency histograms and `essor_policy_denials_total`; other credentials → 403;
- TLS 1.2 and 1.3 accepted, 1.0/1.1 refused; ALPN h2 and http/1.1;
- a bad policy folder at start → non-zero exit without listening; SIGHUP reloads the policies (a bad set keeps
  the old one); SIGTERM → exit 0 (checked for every server by the fixtures).
"""

from __future__ import annotations

import re
import signal
import socket
import ssl
import time

import pytest

from gateway import (
    HSTS, OPENAPI, REQUEST_ID, GatewayServer, assert_common_headers, assert_problem, copy_database, media_type,
    write_policy,
)


# ---- headers ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path,user,status", [
    ("/healthz", None, 200), ("/readyz", None, 200), ("/openapi.yaml", None, 200),
    ("/api/v1/objects/90500", "partner-1", 200), ("/api/v1/objects/90500", None, 401),
    ("/api/v1/objects/90001", "partner-1", 404), ("/api/v1/nothing", "admin", 404),
    ("/api/v1/objects/90500/elements?format=nope", "admin", 400), ("/metrics", "admin", 200),
])
def test_security_headers_on_every_response(gateway, path, user, status):
    response = gateway.get(path, user=user)
    assert response.status_code == status, response.text[:300]
    assert response.headers.get("Strict-Transport-Security") == HSTS
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert REQUEST_ID.match(response.headers.get("X-Request-ID", ""))


@pytest.mark.parametrize("sent", ["abc", "req-1.2_3", "A" * 64, "0"])
def test_request_id_is_echoed(gateway, sent):
    ok = gateway.get("/api/v1/objects/90500", user="operator-a", headers={"X-Request-ID": sent})
    assert ok.headers.get("X-Request-ID") == sent
    problem = gateway.get("/api/v1/objects/99999", user="operator-a", headers={"X-Request-ID": sent})
    assert problem.headers.get("X-Request-ID") == sent
    assert assert_problem(problem, 404, "not-found")["request_id"] == sent


@pytest.mark.parametrize("sent", ["A" * 65, "has space", "semi;colon", "slash/", "ünï", ""])
def test_invalid_request_id_is_replaced(gateway, sent):
    headers = {"X-Request-ID": sent.encode("utf-8")} if not sent.isascii() else {"X-Request-ID": sent}
    response = gateway.get("/healthz", headers=headers)
    assert response.status_code == 200
    got = response.headers.get("X-Request-ID", "")
    assert REQUEST_ID.match(got) and got != sent


def test_generated_request_ids_differ(gateway):
    ids = {gateway.get("/healthz").headers["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5


# ---- service routes --------------------------------------------------------------------------------------------------

def test_healthz(gateway):
    response = gateway.get("/healthz")
    assert response.status_code == 200
    assert media_type(response) == "application/json"
    assert response.json() == {"status": "ok"}


def test_readyz(gateway):
    response = gateway.get("/readyz")
    assert response.status_code == 200
    assert media_type(response) == "application/json"
    body = response.json()
    assert body["status"] == "ready" and body["database"] == "sqlite"
    assert isinstance(body["policy_revision"], str) and body["policy_revision"]


def test_openapi_document_is_the_repository_file(gateway):
    response = gateway.get("/openapi.yaml")
    assert response.status_code == 200
    assert media_type(response) == "application/yaml"
    assert response.content == OPENAPI.read_bytes()
    assert_common_headers(response)


def test_metrics_for_admin(gateway):
    gateway.get("/api/v1/objects/90500", user="operator-a")
    gateway.get("/api/v1/objects/90001", user="partner-1")           # a policy denial
    response = gateway.get("/metrics", user="admin")
    assert response.status_code == 200, response.text[:300]
    content_type = response.headers.get("Content-Type", "")
    assert media_type(response) == "text/plain" and "version=0.0.4" in content_type, content_type
    text = response.text
    assert re.search(r"^essor_policy_denials_total(\{[^}]*\})? [0-9.e+]+$", text, re.M), text[:2000]
    denials = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                  if line.startswith("essor_policy_denials_total"))
    assert denials >= 1
    types = dict(re.findall(r"^# TYPE (\S+) (\w+)$", text, re.M))
    assert "counter" in types.values() and "histogram" in types.values(), types
    histogram = next(name for name, kind in types.items() if kind == "histogram")
    assert re.search(rf"^{re.escape(histogram)}_bucket\{{.*le=\"\+Inf\".*\}} \d+", text, re.M)
    assert "/api/v1/objects" in text, "per-route metrics name the route"


def test_metrics_from_loopback_without_credentials(gateway):
    response = gateway.get("/metrics")
    assert response.status_code == 200
    assert "essor_policy_denials_total" in response.text


@pytest.mark.parametrize("user", ["operator-a", "partner-2", "requester", "backend"])
def test_metrics_refused_to_other_credentials(gateway, user):
    assert_problem(gateway.get("/metrics", user=user), 403, "forbidden")


def test_metrics_with_a_client_certificate(gateway):
    assert gateway.get("/metrics", cert="admin").status_code == 200
    assert_problem(gateway.get("/metrics", cert="operator-a"), 403, "forbidden")


# ---- TLS -------------------------------------------------------------------------------------------------------------

def handshake(gateway, *, version: ssl.TLSVersion | None = None, alpn: list[str] | None = None) -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=str(gateway.ca))
    if version is not None:
        context.minimum_version = context.maximum_version = version
    if alpn:
        context.set_alpn_protocols(alpn)
    raw = socket.create_connection(("127.0.0.1", gateway.port), timeout=30)
    return context.wrap_socket(raw, server_hostname="127.0.0.1")


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3], ids=["TLSv1.2", "TLSv1.3"])
def test_tls_versions_accepted(gateway, version):
    with handshake(gateway, version=version) as tls:
        assert tls.version() == {ssl.TLSVersion.TLSv1_2: "TLSv1.2", ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[version]
        cipher, _, _ = tls.cipher()
        if version == ssl.TLSVersion.TLSv1_2:
            assert cipher.startswith("ECDHE-") and ("GCM" in cipher or "CHACHA20" in cipher), cipher


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1], ids=["TLSv1.0", "TLSv1.1"])
def test_old_tls_refused(gateway, version):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cafile=str(gateway.ca))
    try:
        context.set_ciphers("ALL:@SECLEVEL=0")
        context.minimum_version = context.maximum_version = version
    except (ValueError, ssl.SSLError):
        pytest.skip(f"this OpenSSL cannot offer {version.name}")
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=30) as raw:
        with pytest.raises((ssl.SSLError, ConnectionResetError)):
            with context.wrap_socket(raw, server_hostname="127.0.0.1"):
                pass


def test_tls12_cbc_and_rsa_key_exchange_refused(gateway):
    context = ssl.create_default_context(cafile=str(gateway.ca))
    context.minimum_version = context.maximum_version = ssl.TLSVersion.TLSv1_2
    context.set_ciphers("ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA256:AES128-GCM-SHA256")
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=30) as raw:
        with pytest.raises((ssl.SSLError, ConnectionResetError)):
            with context.wrap_socket(raw, server_hostname="127.0.0.1"):
                pass


@pytest.mark.parametrize("offered,chosen", [(["h2", "http/1.1"], "h2"), (["http/1.1"], "http/1.1"), (["h2"], "h2")])
def test_alpn(gateway, offered, chosen):
    with handshake(gateway, alpn=offered) as tls:
        assert tls.selected_alpn_protocol() == chosen


def test_http11_keep_alive(gateway):
    """Two requests on one connection (what wrk and most clients do)."""
    with handshake(gateway, alpn=["http/1.1"]) as tls:
        for _ in range(2):
            tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            data = b""
            while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
                chunk = tls.recv(65536)
                assert chunk, f"connection closed after {data!r}"
                data += chunk
            assert data.startswith(b"HTTP/1.1 200"), data[:100]


# ---- life cycle ------------------------------------------------------------------------------------------------------

def test_bad_policy_folder_at_start_exits_non_zero(serve_binary, tmp_path, pki, demo_seed):
    policies = tmp_path / "policies"
    policies.mkdir()
    (policies / "default.yaml").write_text(
        "version: 1\nrules:\n  - id: x\n    effect: allow\n    who: {roles: [admin]}\n    actions: [read:elements]\n"
        "    colour: blue\n")
    database = tmp_path / "essor.sqlite"
    copy_database(demo_seed.database, database)
    server = GatewayServer(serve_binary, tmp_path, [
        "serve", "--database", f"sqlite:{database}", "--host", "127.0.0.1", "--port", "0",
        "--certs", str(pki.root), "--policies", str(policies)])
    code = server.wait_exit(60)
    if code is None:
        server.kill()
        pytest.fail(f"essor serve kept running with a bad policy folder\n{server.tail()}", pytrace=False)
    server.stop()   # closes the log
    assert code != 0
    assert not any("listening" in line for line in server.stdout_lines), server.tail()
    assert "colour" in server.tail(), "the error names the unknown key"


def ready(gateway) -> dict:
    response = gateway.get("/readyz")
    assert response.status_code == 200, response.text[:300]
    return response.json()


@pytest.fixture(scope="module")
def reloadable(gateway_factory, tmp_path_factory):
    policies = write_policy(tmp_path_factory.mktemp("reload") / "policies")
    server = gateway_factory.start("reload", policies=policies)
    yield server
    gateway_factory.stop(server)


def wait_for(predicate, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return predicate()


def test_sighup_reloads_policies(reloadable):
    gateway = reloadable
    path = "/api/v1/objects/90500"
    assert gateway.get(path, user="requester").status_code == 200
    revision = ready(gateway)["policy_revision"]

    # A broken set: the old policy stays, the server keeps serving.
    good = (gateway.policies / "default.yaml").read_text()
    (gateway.policies / "default.yaml").write_text(good + "\nunknown_top_level_key: 1\n")
    gateway.server.send(signal.SIGHUP)
    time.sleep(2)
    assert gateway.server.process.poll() is None, gateway.server.tail()
    assert ready(gateway)["policy_revision"] == revision
    assert gateway.get(path, user="requester").status_code == 200

    # A good set with one more deny rule: requesters lose the public catalogue.
    (gateway.policies / "default.yaml").write_text(good + """
  - id: test-deny-requester
    description: Added by test_sighup_reloads_policies.
    effect: deny
    who:
      roles: [requester]
    actions: [read:elements, read:ephemeris]
    conditions:
      markings: [public]
""")
    gateway.server.send(signal.SIGHUP)
    assert wait_for(lambda: ready(gateway)["policy_revision"] != revision), "policy_revision did not change"
    assert_problem(gateway.get(path, user="requester"), 404, "not-found")
    assert gateway.get(path, user="partner-1").status_code == 200
