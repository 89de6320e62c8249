"""Who sees what: the authorisation matrix of the extract routes, from policies/default.yaml and the demo data.

routes  {object record, elements (tle), ephemeris (10 minutes), state}
× callers {the 7 demo users by API key, operator-a by client certificate, no credentials, a well-formed unknown
           key, a revoked key, a second key of operator-a made by `essor key create`}
× objects {90001 operator-a restricted, 90011 operator-b restricted, 90015 operator-b operators-marked,
           90500 public without owner, 99999 missing}

Expected: 401 `unauthenticated` (with `WWW-Authenticate: Bearer realm="essor"`) for no, unknown and revoked
credentials; otherwise 200 when `can_read` (gateway.py) says so and 404 `not-found` when it does not, whether the
object exists or not. A hidden object answers exactly like a missing one (same status and body apart from
`request_id` and `instance`). A client certificate from a foreign CA fails the TLS handshake.
"""

from __future__ import annotations

import socket
import ssl
from datetime import timedelta

import pytest
import requests

from gateway import (
    USERS, assert_common_headers, assert_problem, can_read, iso, media_type, utc_now_minute, wrong_key,
)

OBJECTS = [90001, 90011, 90015, 90500, 99999]
MISSING = 99999


def route_path(route: str, norad: int) -> tuple[str, dict]:
    if route == "object":
        return f"/api/v1/objects/{norad}", {}
    if route == "elements":
        return f"/api/v1/objects/{norad}/elements", {"format": "tle"}
    if route == "ephemeris":
        start = utc_now_minute()
        return f"/api/v1/objects/{norad}/ephemeris", {
            "start": iso(start), "stop": iso(start + timedelta(minutes=10)), "step": "60"}
    if route == "state":
        return f"/api/v1/objects/{norad}/state", {"epoch": iso(utc_now_minute())}
    raise AssertionError(route)


ROUTES = ["object", "elements", "ephemeris", "state"]
EXPECTED_MEDIA = {"object": "application/json", "elements": "text/plain", "ephemeris": "text/plain",
                  "state": "text/plain"}
CALLERS = [*USERS, "operator-a-cert", "extra-key", "anonymous", "wrong-key", "revoked-key"]


def call(gateway, caller: str, path: str, params: dict) -> requests.Response:
    if caller in USERS:
        return gateway.get(path, user=caller, params=params)
    if caller == "operator-a-cert":
        return gateway.get(path, cert="operator-a", params=params)
    if caller == "extra-key":
        if gateway.seed.extra_key is None:
            pytest.skip("; ".join(gateway.seed.key_notes))
        return gateway.get(path, key=gateway.seed.extra_key, params=params)
    if caller == "anonymous":
        return gateway.get(path, params=params)
    if caller == "wrong-key":
        return gateway.get(path, key=wrong_key(), params=params)
    if caller == "revoked-key":
        if gateway.seed.revoked_key is None:
            pytest.skip("; ".join(gateway.seed.key_notes))
        return gateway.get(path, key=gateway.seed.revoked_key, params=params)
    raise AssertionError(caller)


def principal(caller: str) -> str | None:
    """The demo user a caller acts as (None: not authenticated)."""
    if caller in USERS:
        return caller
    if caller in ("operator-a-cert", "extra-key"):
        return "operator-a"
    return None


@pytest.mark.parametrize("norad", OBJECTS)
@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", ROUTES)
def test_matrix(gateway, route, caller, norad):
    path, params = route_path(route, norad)
    response = call(gateway, caller, path, params)
    assert_common_headers(response)
    user = principal(caller)
    if user is None:
        assert_problem(response, 401, "unauthenticated")
    elif can_read(user, norad):
        assert response.status_code == 200, f"{caller} {path}: {response.status_code} {response.text[:500]}"
        assert media_type(response) == EXPECTED_MEDIA[route], response.headers.get("Content-Type")
        if route == "object":
            body = response.json()
            assert body["id"] == body["norad_id"] == norad
        elif route == "elements":
            lines = response.text.strip().splitlines()
            assert len(lines) == 2 and lines[0].startswith("1 ") and lines[1].startswith("2 "), response.text
            assert int(lines[0][2:7]) == norad
        else:
            assert response.text.lstrip().startswith("CCSDS_O" + ("EM" if route == "ephemeris" else "PM"))
    else:
        assert_problem(response, 404, "not-found")


def comparable(response: requests.Response) -> tuple:
    body = response.json()
    body.pop("request_id", None)
    body.pop("instance", None)
    return response.status_code, media_type(response), body


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("user", USERS)
def test_hidden_object_answers_like_a_missing_one(gateway, route, user):
    hidden = [n for n in OBJECTS if n != MISSING and not can_read(user, n)]
    if not hidden:
        assert user == "admin"
        return
    path, params = route_path(route, MISSING)
    missing = gateway.get(path, user=user, params=params)
    assert_problem(missing, 404, "not-found")
    for norad in hidden:
        path, params = route_path(route, norad)
        answer = gateway.get(path, user=user, params=params)
        assert comparable(answer) == comparable(missing), (
            f"{user} {route} {norad}: {answer.text!r}\nvs missing {MISSING}: {missing.text!r}")


def test_wrong_and_malformed_credentials_are_401(gateway):
    path = "/api/v1/objects/90500"
    for authorization in (f"Bearer {wrong_key()}", "Bearer ", "Bearer not-a-key", "Basic YWRtaW46YWRtaW4=",
                          f"Bearer {gateway.keys['admin']}x", gateway.keys["admin"]):
        response = gateway.get(path, headers={"Authorization": authorization})
        assert_problem(response, 401, "unauthenticated")


def test_key_of_one_user_does_not_act_as_another(gateway):
    # operator-b's key on operator-a's restricted object: hidden.
    assert_problem(gateway.get("/api/v1/objects/90001", user="operator-b"), 404, "not-found")
    assert gateway.get("/api/v1/objects/90001", user="operator-a").status_code == 200


def test_foreign_ca_client_certificate_fails_the_handshake(gateway, foreign_pki):
    """The foreign certificate names urn:essor:user:operator-a too: only the CA check can refuse it."""
    with pytest.raises(requests.exceptions.ConnectionError) as raised:   # SSLError is a ConnectionError
        gateway.get("/api/v1/objects/90500", cert=foreign_pki.client("operator-a"))
    text = repr(raised.value).lower()
    assert isinstance(raised.value, requests.exceptions.SSLError) or any(
        word in text for word in ("ssl", "alert", "certificate", "reset", "eof")), repr(raised.value)


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3], ids=["TLSv1.2", "TLSv1.3"])
def test_foreign_ca_client_certificate_raw_tls(gateway, foreign_pki, version):
    """TLS 1.2: the server's verdict comes inside the handshake. TLS 1.3: at the latest with the first read."""
    context = ssl.create_default_context(cafile=str(gateway.ca))
    context.minimum_version = context.maximum_version = version
    context.load_cert_chain(*foreign_pki.client("operator-a"))
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=30) as raw:
        with pytest.raises((ssl.SSLError, ConnectionResetError, BrokenPipeError)):
            with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                data = tls.recv(65536)
                # A closed connection without a response is a refusal too.
                if not data:
                    raise ssl.SSLError("connection closed without a response")
                pytest.fail(f"the server answered a foreign client certificate: {data[:200]!r}")


def test_own_ca_client_certificate_of_each_user(gateway):
    for user in ("operator-a", "operator-b", "partner-1", "admin"):
        response = gateway.get("/api/v1/objects/90001", cert=user)
        expected = 200 if can_read(user, 90001) else 404
        assert response.status_code == expected, (user, response.status_code, response.text[:300])


def test_public_routes_need_no_credentials(gateway):
    for path in ("/healthz", "/readyz", "/openapi.yaml"):
        response = gateway.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
