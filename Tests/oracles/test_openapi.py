"""The OpenAPI 3.1 document of the HTTPS gateway (Sources/GatewayHTTP/Resources/openapi.yaml) — no server needed.

- it validates as OpenAPI 3.1 (`openapi-spec-validator`, which also checks every schema against the JSON Schema
  2020-12 meta-schema and resolves every `$ref`);
- it describes the contract the gateway tests check: every route with GET, the parameters with their enumerations
  and bounds, every problem type, both security schemes, the common response headers on every response.

`test_gateway_http.py` checks that the server serves this very file at `/openapi.yaml`.
"""

from __future__ import annotations

import re

import pytest
import yaml
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.readers import read_from_filename

from gateway import OPENAPI, PROBLEM_SLUGS

ROUTES = {
    "/healthz": False,          # path: authenticated?
    "/readyz": False,
    "/openapi.yaml": False,
    "/metrics": None,           # admin, or loopback without credentials
    "/api/v1/objects": True,
    "/api/v1/objects/{norad}": True,
    "/api/v1/objects/{norad}/elements": True,
    "/api/v1/objects/{norad}/ephemeris": True,
    "/api/v1/objects/{norad}/state": True,
    "/api/v1/catalogue": True,
    "/api/v1/cdms": True,
    "/api/v1/cdms/{id}": True,
    "/api/v1/tdms": True,
    "/api/v1/tdms/{id}": True,
    "/api/v1/products/{id}": True,
    "/api/v1/feed": True,
}
# Routes with POST (submissions): path → the problem responses they must describe.
SUBMISSIONS = {
    "/api/v1/tdms": {"400", "401", "403", "413", "429", "500", "503"},
    "/internal/v1/products": {"400", "401", "403", "413", "429", "500", "503"},
}
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
COMMON_HEADERS = {"Strict-Transport-Security", "X-Request-ID", "X-Content-Type-Options"}


@pytest.fixture(scope="module")
def document() -> dict:
    assert OPENAPI.is_file(), f"{OPENAPI} is missing"
    spec, _ = read_from_filename(str(OPENAPI))
    return spec


def resolve(document: dict, node):
    """Follows local `$ref`s (`#/components/...`)."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), f"non-local $ref {ref}"
        target = document
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operation_parameters(document: dict, path: str) -> dict[str, dict]:
    item = document["paths"][path]
    params = [resolve(document, p) for p in item.get("parameters", []) + item["get"].get("parameters", [])]
    return {p["name"]: p for p in params}


def test_document_validates_as_openapi_3_1(document):
    assert document["openapi"] == "3.1.0"
    validate(document, cls=OpenAPIV31SpecValidator)


def test_document_is_plain_yaml_and_utf8():
    text = OPENAPI.read_bytes().decode("utf-8")
    assert yaml.safe_load(text)["openapi"] == "3.1.0"
    assert "\t" not in text, "tabs in the YAML document"


def test_servers_and_security(document):
    assert [s["url"] for s in document["servers"]] == ["https://localhost:8443"]
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"]["type"] == "http" and schemes["bearer"]["scheme"].lower() == "bearer"
    assert schemes["mutualTLS"]["type"] == "mutualTLS"
    assert {tuple(r) for r in document["security"]} == {("bearer",), ("mutualTLS",)}


@pytest.mark.parametrize("path", sorted(ROUTES))
def test_every_route_is_described(document, path):
    assert path in document["paths"], f"{path} is missing"
    operation = document["paths"][path]["get"]
    assert operation.get("operationId")
    responses = operation["responses"]
    assert "200" in responses
    authenticated = ROUTES[path]
    if authenticated is False:
        assert operation.get("security") == [], f"{path} must not require credentials"
    elif authenticated is True:
        assert "security" not in operation, f"{path} uses the document's security"
        for status in ("401", "429"):
            assert status in responses, f"{path} does not describe {status}"
    else:
        assert {} in operation["security"], "/metrics is allowed without credentials from loopback"
        assert "403" in responses and "401" in responses
    assert "413" in responses and "500" in responses, f"{path}: 413 and 500 are possible on every route"


def test_object_routes_answer_404_and_400(document):
    for path in ROUTES:
        if "{norad}" in path:
            responses = document["paths"][path]["get"]["responses"]
            assert {"400", "404", "406"} <= set(responses), path


def test_every_response_declares_the_common_headers(document):
    for path, item in document["paths"].items():
        for method in METHODS:
            if method not in item:
                continue
            for status, response in item[method]["responses"].items():
                response = resolve(document, response)
                headers = set(response.get("headers", {}))
                assert COMMON_HEADERS <= headers, f"{method} {path} {status}: missing {COMMON_HEADERS - headers}"
                for name in headers & COMMON_HEADERS:
                    assert resolve(document, response["headers"][name]).get("required") is True, (
                        method, path, status, name)


@pytest.mark.parametrize("path", sorted(SUBMISSIONS))
def test_submission_routes_are_described(document, path):
    """The POST routes take KVN (text/plain) or XML; 201 and 200 carry Location and the product summary; every
    refusal a fuzzer can provoke (400 bad-parameter / invalid-message, 401, 403, 413, 429) is described."""
    operation = document["paths"][path]["post"]
    assert operation.get("operationId")
    assert "security" not in operation, f"{path} uses the document's security"
    body = resolve(document, operation["requestBody"])
    assert body["required"] is True
    assert set(body["content"]) == {"text/plain", "application/xml"}
    responses = operation["responses"]
    assert SUBMISSIONS[path] <= set(responses), f"{path}: missing {SUBMISSIONS[path] - set(responses)}"
    for status in ("200", "201"):
        response = resolve(document, responses[status])
        assert "Location" in response["headers"], (path, status)
        assert resolve(document, response["headers"]["Location"]).get("required") is True
        schema = response["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ProductSummary"}, (path, status)
    bad = resolve(document, responses["400"])["content"]["application/problem+json"]["schema"]["allOf"][1]
    assert set(bad["properties"]["type"]["enum"]) == {"urn:essor:problem:bad-parameter",
                                                      "urn:essor:problem:invalid-message"}
    parameters = {resolve(document, p)["name"]: resolve(document, p) for p in operation.get("parameters", [])}
    assert {"marking", "data_mode", "source"} <= set(parameters)
    assert enum_of(document, {"schema": resolve(document, parameters["data_mode"]["schema"])["allOf"][0]}) == [
        "REAL", "TEST", "SIMULATED", "EXERCISE"]


def test_product_schemas(document):
    schemas = document["components"]["schemas"]
    summary = schemas["ProductSummary"]
    assert set(summary["required"]) == {
        "id", "kind", "encoding", "content_hash", "submitter", "provider", "source", "created", "received",
        "marking", "data_mode", "norad_ids", "participants", "time_start", "time_stop", "collision_probability",
        "miss_distance_m", "record_count", "href"}
    assert set(schemas["ProductList"]["required"]) == {"items", "next"}
    feed = schemas["FeedPage"]
    assert set(feed["required"]) == {"items", "next"}
    assert feed["properties"]["next"] == {"$ref": "#/components/schemas/FeedCursor"}, "next is always a cursor"
    assert set(schemas["FeedEvent"]["required"]) == {"id", "type", "time", "product", "norad_ids"}
    problem = schemas["Problem"]["properties"]
    assert resolve(document, problem["errors"]["items"])["required"] == ["message"]
    assert {"line", "column", "keyword", "message"} <= set(resolve(document, problem["errors"]["items"])["properties"])


def test_problem_types_are_all_listed(document):
    schemas = document["components"]["schemas"]
    listed = schemas["ProblemType"]["enum"]
    assert listed == [f"urn:essor:problem:{slug}" for slug in PROBLEM_SLUGS]
    problem = schemas["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance", "request_id"}
    assert "parameter" in problem["properties"]
    # Every problem response is application/problem+json and names its slug (or slugs) and status.
    statuses = {slug: status for slug, status in PROBLEM_SLUGS.items()}
    for name, response in document["components"]["responses"].items():
        content = response["content"]
        assert list(content) == ["application/problem+json"], name
        parts = content["application/problem+json"]["schema"]["allOf"]
        assert parts[0] == {"$ref": "#/components/schemas/Problem"}
        extra = parts[1]["properties"]
        slugs = extra["type"].get("enum") or [extra["type"]["const"]]
        for urn in slugs:
            slug = urn.removeprefix("urn:essor:problem:")
            assert statuses[slug] == extra["status"]["const"], (name, slug)
    described = {resolve(document, r)["content"]["application/problem+json"]["schema"]["allOf"][1]["properties"]["type"]
                 .get("const") for r in document["components"]["responses"].values()}
    assert "urn:essor:problem:unauthenticated" in described
    # 401 carries the challenge, 429 the delay.
    responses = document["components"]["responses"]
    assert "WWW-Authenticate" in responses["Unauthenticated"]["headers"]
    assert "Retry-After" in responses["RateLimited"]["headers"]
    assert "parameter" in responses["BadRequest"]["content"]["application/problem+json"]["schema"]["allOf"][1]["required"]


def enum_of(document, parameter) -> list:
    return resolve(document, parameter["schema"])["enum"]


def test_parameters_match_the_contract(document):
    formats = ["tle", "3le", "omm-kvn", "omm-xml", "omm-json", "omm-csv"]
    frames = ["GCRF", "EME2000", "TEME", "ITRF"]

    listing = operation_parameters(document, "/api/v1/objects")
    assert {"owner", "type", "updated_since", "limit", "cursor"} <= set(listing)
    assert enum_of(document, listing["type"]) == ["PAYLOAD", "ROCKET BODY", "DEBRIS", "UNKNOWN"]
    limit = listing["limit"]["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 1000, 100)
    assert listing["updated_since"]["schema"]["format"] == "date-time"

    for path in ("/api/v1/objects/{norad}", "/api/v1/objects/{norad}/elements",
                 "/api/v1/objects/{norad}/ephemeris", "/api/v1/objects/{norad}/state"):
        norad = operation_parameters(document, path)["norad"]
        assert norad["in"] == "path" and norad["required"] and norad["schema"]["type"] == "integer"

    assert enum_of(document, operation_parameters(document, "/api/v1/objects/{norad}/elements")["format"]) == formats

    ephemeris = operation_parameters(document, "/api/v1/objects/{norad}/ephemeris")
    assert enum_of(document, ephemeris["format"]) == ["oem-kvn", "oem-xml", "oem-json"]
    assert enum_of(document, ephemeris["frame"]) == frames
    assert resolve(document, ephemeris["frame"]["schema"])["default"] == "GCRF"
    step = ephemeris["step"]["schema"]
    assert (step["minimum"], step["maximum"], step["default"]) == (1, 86400, 60)
    assert ephemeris["start"]["schema"]["format"] == ephemeris["stop"]["schema"]["format"] == "date-time"

    state = operation_parameters(document, "/api/v1/objects/{norad}/state")
    assert enum_of(document, state["format"]) == ["opm-kvn", "opm-xml", "opm-json"]
    assert enum_of(document, state["frame"]) == frames
    assert state["epoch"]["schema"]["format"] == "date-time"

    catalogue = operation_parameters(document, "/api/v1/catalogue")
    assert enum_of(document, catalogue["format"]) == formats
    assert catalogue["since"]["schema"]["format"] == "date-time"
    assert catalogue["If-None-Match"]["in"] == "header"
    responses = document["paths"]["/api/v1/catalogue"]["get"]["responses"]
    assert "304" in responses and "content" not in responses["304"]
    assert "ETag" in responses["200"]["headers"] and "ETag" in responses["304"]["headers"]


def test_product_parameters(document):
    cdms = operation_parameters(document, "/api/v1/cdms")
    assert {"object", "tca_from", "tca_to", "min_pc", "max_miss", "since", "limit", "cursor"} <= set(cdms)
    tdms = operation_parameters(document, "/api/v1/tdms")
    assert {"object", "start", "stop", "participant", "provider", "since", "limit", "cursor"} <= set(tdms)
    for listing in (cdms, tdms):
        limit = resolve(document, listing["limit"]["schema"])
        assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 1000, 100)
    for path in ("/api/v1/cdms/{id}", "/api/v1/tdms/{id}", "/api/v1/products/{id}"):
        parameters = operation_parameters(document, path)
        assert parameters["id"]["in"] == "path" and parameters["id"]["required"]
        assert enum_of(document, parameters["format"]) == ["kvn", "xml", "json"]
        responses = document["paths"][path]["get"]["responses"]
        assert set(resolve(document, responses["200"])["content"]) == {"text/plain", "application/xml",
                                                                         "application/json"}
        assert {"400", "401", "404", "406"} <= set(responses), path
    feed = operation_parameters(document, "/api/v1/feed")
    assert {"after", "limit", "wait"} <= set(feed)
    wait = feed["wait"]["schema"]
    assert (wait["minimum"], wait["maximum"]) == (0, 60)


def test_response_media_types(document):
    def media(path: str) -> set[str]:
        return set(document["paths"][path]["get"]["responses"]["200"]["content"])

    assert media("/api/v1/objects/{norad}/elements") == {"text/plain", "application/xml", "application/json", "text/csv"}
    assert media("/api/v1/catalogue") == {"text/plain", "application/xml", "application/json", "text/csv"}
    assert media("/api/v1/objects/{norad}/ephemeris") == {"text/plain", "application/xml", "application/json"}
    assert media("/api/v1/objects/{norad}/state") == {"text/plain", "application/xml", "application/json"}
    assert media("/api/v1/objects") == {"application/json"}
    assert media("/openapi.yaml") == {"application/yaml"}
    assert media("/metrics") == {"text/plain"}
    ephemeris = document["paths"]["/api/v1/objects/{norad}/ephemeris"]["get"]["responses"]
    assert "422" in ephemeris, "propagation-failed"


def test_object_schema(document):
    obj = document["components"]["schemas"]["Object"]
    assert set(obj["required"]) == {"id", "norad_id", "cospar_id", "name", "type", "owner", "marking",
                                    "launch_date", "decay_date", "updated"}
    marking = re.compile(document["components"]["schemas"]["Marking"]["pattern"])
    for good in ("public", "operators", "restricted", "partners:partner-2", "partners:a,b"):
        assert marking.match(good), good
    for bad in ("Public", "partners:", "partners:a,", "secret"):
        assert not marking.match(bad), bad
