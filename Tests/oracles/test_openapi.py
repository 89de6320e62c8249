"""The OpenAPI 3.1 documents of the HTTPS gateway (Sources/GatewayHTTP/Resources/openapi.yaml) and of the backend
protocol (openapi-backend.yaml, issue 11) — no server needed.

- both validate as OpenAPI 3.1 (`openapi-spec-validator`, which also checks every schema against the JSON Schema
  2020-12 meta-schema and resolves every `$ref`); since it does not follow callbacks, every `$ref` is also
  resolved and every schema checked here, and every example validated against its schema (`jsonschema`);
- the gateway's describes the contract the gateway tests check: every route with GET, the parameters with their
  enumerations and bounds, every problem type, both security schemes, the common response headers on every
  response; and the observation-request routes with every status docs/observation-requests.md names;
- every route docs/observation-requests.md names is in the document it belongs to, and the schemas the two
  documents share are the same.

`test_gateway_http.py` checks that the server serves this very file at `/openapi.yaml`.
"""

from __future__ import annotations

import re

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import OpenAPIV31SpecValidator, validate
from openapi_spec_validator.readers import read_from_filename

from gateway import OPENAPI, PROBLEM_SLUGS, REPO

BACKEND_OPENAPI = OPENAPI.with_name("openapi-backend.yaml")
CONTRACT = REPO / "docs" / "observation-requests.md"
# The problem types of observation requests (issue 11), with their statuses; merged with the gateway's own.
REQUEST_PROBLEM_SLUGS = {
    "priority-not-allowed": 403,
    "idempotency-conflict": 409,
    "illegal-transition": 409,
    "quota-exceeded": 429,
}
ALL_PROBLEM_SLUGS = {**PROBLEM_SLUGS, **REQUEST_PROBLEM_SLUGS}
REQUEST_STATES = ["SUBMITTED", "ACCEPTED", "REJECTED", "PROPOSED", "SCHEDULED", "PARTIAL", "COLLECTED", "DELIVERED",
                  "FAILED", "CANCELLED"]

ROUTES = {
    "/healthz": False,          # path: authenticated?
    "/readyz": False,
    "/openapi.yaml": False,
    "/openapi-backend.yaml": False,
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
    "/api/v1/observation-requests": True,
    "/api/v1/observation-requests/{id}": True,
    "/api/v1/observation-requests/{id}/products": True,
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
    assert len(listed) == len(set(listed)), "a problem type listed twice"
    assert set(listed) == {f"urn:essor:problem:{slug}" for slug in ALL_PROBLEM_SLUGS}
    problem = schemas["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance", "request_id"}
    assert "parameter" in problem["properties"]
    # Every problem response is application/problem+json and names its slug (or slugs) and status.
    statuses = dict(ALL_PROBLEM_SLUGS)
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
    assert media("/openapi-backend.yaml") == {"application/yaml"}
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


# ---- observation requests (issue 11) -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def backend() -> dict:
    assert BACKEND_OPENAPI.is_file(), f"{BACKEND_OPENAPI} is missing"
    spec, _ = read_from_filename(str(BACKEND_OPENAPI))
    return spec


@pytest.fixture(scope="module")
def documents(document, backend) -> dict[str, dict]:
    return {"openapi.yaml": document, "openapi-backend.yaml": backend}


def walk(node, path=()):
    """Every (path, dict) in a YAML tree."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, path + (str(key),))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, path + (str(index),))


def schema_validator(document: dict, schema: dict) -> Draft202012Validator:
    """A JSON Schema 2020-12 validator for `schema`, its `#/components/...` references resolved in `document`."""
    root = {"components": document.get("components", {}), **schema}
    return Draft202012Validator(root, format_checker=FormatChecker())


def test_backend_document_validates_as_openapi_3_1(backend):
    assert backend["openapi"] == "3.1.0"
    validate(backend, cls=OpenAPIV31SpecValidator)


def test_backend_document_is_plain_yaml_and_utf8():
    text = BACKEND_OPENAPI.read_bytes().decode("utf-8")
    assert yaml.safe_load(text)["openapi"] == "3.1.0"
    assert "\t" not in text, "tabs in the YAML document"


@pytest.mark.parametrize("name", ["openapi.yaml", "openapi-backend.yaml"])
def test_every_ref_resolves_and_every_schema_is_json_schema(documents, name):
    """Also inside callbacks and webhooks, which the spec validator does not follow."""
    document = documents[name]
    for path, node in walk(document):
        if isinstance(node.get("$ref"), str):
            resolve(document, {"$ref": node["$ref"]})
        if path and path[-1] == "schema" or len(path) == 3 and path[:2] == ("components", "schemas"):
            Draft202012Validator.check_schema(node)


@pytest.mark.parametrize("name", ["openapi.yaml", "openapi-backend.yaml"])
def test_every_example_matches_its_schema(documents, name):
    document = documents[name]
    checked = 0
    for path, node in walk(document):
        if "schema" in node and isinstance(node.get("examples"), dict):
            validator = schema_validator(document, node["schema"])
            for label, example in node["examples"].items():
                example = resolve(document, example)
                if "value" in example:
                    errors = [e.message for e in validator.iter_errors(example["value"])]
                    assert not errors, f"{name} {'/'.join(path)} example {label}: {errors}"
                    checked += 1
    assert checked > 0


def contract_routes() -> set[tuple[str, str]]:
    """(method, path) of every route the contract names, e.g. `POST /v1/requests`; the query string dropped."""
    text = CONTRACT.read_text(encoding="utf-8")
    return {(method.lower(), path) for method, path in re.findall(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s?]*)", text)}


def test_contract_routes_are_described(documents):
    """Gateway routes in openapi.yaml; backend routes (/v1/…) in openapi-backend.yaml, whose callbacks name the
    gateway routes the backend calls."""
    assert CONTRACT.is_file(), f"{CONTRACT} is missing"
    routes = contract_routes()
    assert ("post", "/api/v1/observation-requests") in routes and ("get", "/v1/health") in routes, routes
    for method, path in sorted(routes):
        name = "openapi-backend.yaml" if path.startswith("/v1/") else "openapi.yaml"
        paths = documents[name]["paths"]
        assert path in paths, f"{method.upper()} {path} is not in {name}"
        assert method in paths[path], f"{method.upper()} {path}: no {method} in {name}"
    backend_text = BACKEND_OPENAPI.read_text(encoding="utf-8")
    for method, path in routes:
        if path.startswith("/internal/"):
            assert f"{method.upper()} {path}" in backend_text, f"the backend document does not mention {path}"


def responses_of(document, path, method) -> dict:
    return document["paths"][path][method]["responses"]


def problem_types(document, response) -> set[str]:
    part = resolve(document, response)["content"]["application/problem+json"]["schema"]["allOf"][1]["properties"]
    return set(part["type"].get("enum") or [part["type"]["const"]])


def test_observation_request_routes(document):
    submit = document["paths"]["/api/v1/observation-requests"]["post"]
    responses = submit["responses"]
    assert {"200", "201", "400", "401", "403", "404", "409", "413", "429", "500", "503"} <= set(responses)
    names = {resolve(document, p)["name"]: resolve(document, p) for p in submit["parameters"]}
    key = names["Idempotency-Key"]
    assert key["in"] == "header" and not key.get("required")
    pattern = re.compile(key["schema"]["pattern"])
    assert pattern.match("a") and pattern.match("~" * 255) and not pattern.match("a" * 256)
    assert not pattern.match("with space") and not pattern.match("")
    assert resolve(document, responses["200"]["headers"]["Idempotent-Replayed"])["required"] is True
    assert resolve(document, responses["201"]["headers"]["Location"])["required"] is True
    for status in ("200", "201"):
        assert responses[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ObservationRequest"}
    assert problem_types(document, responses["409"]) == {"urn:essor:problem:idempotency-conflict"}
    assert "urn:essor:problem:quota-exceeded" in problem_types(document, responses["429"])
    assert "urn:essor:problem:priority-not-allowed" in problem_types(document, responses["403"])
    assert "urn:essor:problem:invalid-message" in problem_types(document, responses["400"])

    listing = operation_parameters(document, "/api/v1/observation-requests")
    assert {"state", "object", "since", "limit", "cursor"} <= set(listing)
    state = re.compile(listing["state"]["schema"]["pattern"])
    assert state.match("SUBMITTED") and state.match("PARTIAL,CANCELLED") and not state.match("submitted")
    limit = resolve(document, listing["limit"]["schema"])
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 1000, 100)

    illegal = {"urn:essor:problem:illegal-transition"}
    for path, method, statuses in [
        ("/api/v1/observation-requests/{id}", "get", {"200", "401", "404"}),
        ("/api/v1/observation-requests/{id}", "delete", {"200", "401", "404", "409"}),
        ("/api/v1/observation-requests/{id}/products", "get", {"200", "401", "404"}),
        ("/api/v1/observation-requests/{id}/transitions", "post", {"200", "400", "401", "404", "409"}),
        ("/internal/v1/observation-requests/{id}/status", "post", {"200", "400", "401", "403", "404", "409"}),
        ("/internal/v1/products", "post", {"200", "201", "400", "404", "409"}),
    ]:
        responses = responses_of(document, path, method)
        assert statuses | {"413", "429", "500", "503"} <= set(responses), (method, path)
        if "409" in statuses:
            assert problem_types(document, responses["409"]) == illegal, (method, path)
    ingest = document["paths"]["/internal/v1/products"]["post"]
    request = next(resolve(document, p) for p in ingest["parameters"] if resolve(document, p)["name"] == "request")
    assert request["in"] == "query"
    cancel = document["paths"]["/api/v1/observation-requests/{id}"]["delete"]
    assert [resolve(document, p)["name"] for p in cancel["parameters"]] == ["reason"]


def test_observation_request_schemas(document):
    schemas = document["components"]["schemas"]
    assert schemas["RequestState"]["enum"] == REQUEST_STATES
    assert set(schemas["ObservationRequest"]["required"]) == {
        "id", "href", "state", "requester", "target", "window", "proposed_window", "measurements", "tracks",
        "priority", "sensor", "purpose", "marking", "created", "updated", "schedule", "history", "products"}
    assert set(schemas["RequestHistoryEntry"]["required"]) == {"state", "time", "actor", "user", "reason"}
    assert schemas["RequestActor"]["enum"] == ["requester", "admin", "backend", "gateway"]
    assert set(schemas["ScheduledPass"]["required"]) == {"sensor", "start", "stop"}
    assert set(schemas["Window"]["required"]) == {"start", "stop"}
    submission = schemas["ObservationRequestSubmission"]
    assert submission["additionalProperties"] is False
    assert set(submission["properties"]) == {"target", "window", "measurements", "tracks", "priority", "sensor",
                                             "purpose", "marking"}
    tracks = submission["properties"]["tracks"]
    assert (tracks["minimum"], tracks["maximum"], tracks["default"]) == (1, 100, 1)

    good = {"target": {"norad_id": 90500}, "window": {"start": "2026-12-08T20:00:00Z", "stop": "2026-12-09T04:00:00Z"},
            "measurements": ["optical-angles"]}
    validator = schema_validator(document, {"$ref": "#/components/schemas/ObservationRequestSubmission"})
    assert validator.is_valid(good)
    for bad in ({**good, "target": {"norad_id": 90500, "orbit": "CCSDS_OMM_VERS = 3.0"}}, {**good, "measurements": []},
                {**good, "tracks": 101}, {**good, "priority": "whenever"}, {**good, "colour": "blue"}):
        assert not validator.is_valid(bad), bad

    update = schema_validator(document, {"$ref": "#/components/schemas/RequestStatusUpdate"})
    assert update.is_valid({"state": "SCHEDULED", "schedule": [good["window"] | {"sensor": "tarot-calern"}]})
    assert not update.is_valid({"state": "PROPOSED"}), "proposed_window is required with PROPOSED"
    assert update.is_valid({"state": "PROPOSED", "proposed_window": good["window"]})
    assert not update.is_valid({"state": "CANCELLED"}), "the backend cannot cancel"

    quota = resolve(document, document["components"]["responses"]["TaskingLimited"])
    problem = schema_validator(document, quota["content"]["application/problem+json"]["schema"])
    base = {"title": "t", "status": 429, "detail": "d", "instance": "/api/v1/observation-requests",
            "request_id": "abc"}
    assert problem.is_valid({**base, "type": "urn:essor:problem:quota-exceeded", "limit": "open_observation_requests",
                             "value": 10, "used": 10})
    assert not problem.is_valid({**base, "type": "urn:essor:problem:quota-exceeded"}), "limit, value, used"
    assert problem.is_valid({**base, "type": "urn:essor:problem:rate-limited"})


def test_feed_and_webhooks_list_the_request_events(document):
    feed_type = document["components"]["schemas"]["FeedEvent"]["properties"]["type"]["description"]
    assert "observation-request.<state in lower case>" in feed_type
    assert "request" in document["components"]["schemas"]["FeedEvent"]["properties"]
    message = document["components"]["schemas"]["ObservationRequestMessage"]
    pattern = re.compile(message["properties"]["type"]["pattern"])
    for state in REQUEST_STATES:
        assert pattern.match(f"observation-request.{state.lower()}"), state
        assert f".{state.lower()}`" in document["webhooks"]["observationRequestChanged"]["post"]["description"]
    assert not pattern.match("observation-request.unknown")
    assert "observation-request" in document["components"]["schemas"]["SubscriptionTopic"]["enum"]


def test_backend_protocol(backend, document):
    assert backend["components"]["securitySchemes"]["mutualTLS"]["type"] == "mutualTLS"
    assert backend["security"] == [{"mutualTLS": []}]
    commands = [("/v1/requests", "post"), ("/v1/requests/{id}/accept", "post"), ("/v1/requests/{id}", "delete")]
    for path, method in commands:
        item = backend["paths"][path]
        names = {resolve(backend, p)["name"]
                 for p in item.get("parameters", []) + item[method].get("parameters", [])}
        assert {"Essor-Command-ID", "Essor-Request-ID"} <= names, path
        for name in ("Essor-Command-ID", "Essor-Request-ID"):
            declared = item.get("parameters", []) + item[method].get("parameters", [])
            parameter = next(resolve(backend, p) for p in declared if resolve(backend, p)["name"] == name)
            assert parameter["in"] == "header" and parameter["required"] is True
        responses = item[method]["responses"]
        assert {"4XX", "5XX", "408", "429"} <= set(responses), path
    create = backend["paths"]["/v1/requests"]["post"]
    assert {"200", "201", "202", "409"} <= set(create["responses"])
    assert {"200", "202", "204", "404"} <= set(backend["paths"]["/v1/requests/{id}"]["delete"]["responses"])
    assert "200" in backend["paths"]["/v1/health"]["get"]["responses"]
    callbacks = create["callbacks"]
    assert set(callbacks["status"]) == {"{$request.body#/callbacks/status}"}
    assert set(callbacks["products"]) == {"{$request.body#/callbacks/products}"}
    body = backend["components"]["schemas"]["BackendRequest"]
    assert {"id", "requester", "organisation", "target", "window", "measurements", "tracks", "priority", "sensor",
            "purpose", "marking", "created", "callbacks"} <= set(body["required"])
    assert set(body["properties"]["target"]["required"]) == {"norad_id", "omm", "orbit"}
    description = backend["info"]["description"]
    for words in ("idempotently", "1 s, 2 s, 4 s", "60 s", "Essor-Command-ID", "Essor-Request-ID", "refusal"):
        assert words in description, words
    # The schemas both documents define are the same.
    for name in ("ObservationRequestID", "RequestState", "RequestActor", "MeasurementType", "ObservationPriority",
                 "Window", "ScheduledPass", "Marking", "RequestHistoryEntry"):
        assert backend["components"]["schemas"][name] == document["components"]["schemas"][name], name
    mine = document["components"]["schemas"]["RequestStatusUpdate"]
    theirs = backend["components"]["schemas"]["StatusReport"]
    assert (mine["properties"], mine["required"], mine["if"], mine["then"]) == (
        theirs["properties"], theirs["required"], theirs["if"], theirs["then"])
