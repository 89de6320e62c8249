"""Quotas, on a second server whose policy is policies/default.yaml with small limits for two roles.

The copy (built with PyYAML, so it goes through the same loader rules) takes partners and requesters out of
`public-elements-and-ephemerides` and gives them their own public-read rules:
- requester: 5 requests per minute → the 6th request within a minute is `429 rate-limited` with `Retry-After`
  (seconds, ≤ 60); other users are not affected;
- partner-1/2: at most 3600 s of ephemeris (`400 span-too-long`, parameter `stop`) and 100 objects per bulk call
  (the catalogue of 1076 visible objects → `400 too-many-objects`).
The server also runs with `--max-body-bytes 4096`: a Content-Length of 4097 → 413, 4096 is not refused for size.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from gateway import assert_problem, iso, utc_now_minute, write_policy
from test_gateway_problems import raw_request

REQUESTS_PER_MINUTE = 5
PARTNER_SPAN = 3600
PARTNER_BULK = 100
MAX_BODY = 4096


def small_quotas(policy: dict) -> None:
    rules = policy["rules"]
    public = next(rule for rule in rules if rule["id"] == "public-elements-and-ephemerides")
    public["who"]["roles"] = [role for role in public["who"]["roles"] if role not in ("partner", "requester")]
    base = {"effect": "allow", "actions": ["read:elements", "read:ephemeris"], "conditions": {"markings": ["public"]}}
    rules.append({"id": "test-requester-public-few-requests", "who": {"roles": ["requester"]}, **base,
                  "quotas": {"requests_per_minute": REQUESTS_PER_MINUTE, "requests_per_day": 100000,
                             "longest_ephemeris_span_seconds": 604800, "most_objects_per_bulk_call": 10000}})
    rules.append({"id": "test-partner-public-small-extracts", "who": {"roles": ["partner"]}, **base,
                  "quotas": {"requests_per_minute": 1000, "requests_per_day": 100000,
                             "longest_ephemeris_span_seconds": PARTNER_SPAN,
                             "most_objects_per_bulk_call": PARTNER_BULK}})


@pytest.fixture(scope="module")
def limited(gateway_factory, tmp_path_factory):
    policies = write_policy(tmp_path_factory.mktemp("quotas") / "policies", small_quotas)
    server = gateway_factory.start("quotas", policies=policies, extra=["--max-body-bytes", str(MAX_BODY)])
    yield server
    gateway_factory.stop(server)


def test_policy_copy_loads(serve_binary, limited):
    result = serve_binary.run("policy", "check", "--policies", limited.policies)
    assert result.returncode == 0, result.stdout + result.stderr


def test_rate_limit(limited):
    path = "/api/v1/objects/90500"
    statuses = []
    for _ in range(3 * REQUESTS_PER_MINUTE + 1):   # a minute boundary may reset the window once or twice
        response = limited.get(path, user="requester")
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
        assert response.status_code == 200, response.text[:300]
    else:
        pytest.fail(f"no 429 after {len(statuses)} requests at {REQUESTS_PER_MINUTE}/min: {statuses}")
    assert len(statuses) >= REQUESTS_PER_MINUTE + 1, f"429 came too early: {statuses}"
    assert_problem(response, 429, "rate-limited")
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 60, retry_after
    # Another user, the same object, the same moment: not limited.
    assert limited.get(path, user="partner-1").status_code == 200
    assert limited.get(path, user="operator-a").status_code == 200


def test_span_quota(limited):
    start = utc_now_minute()
    path = "/api/v1/objects/90500/ephemeris"
    ok = {"start": iso(start), "stop": iso(start + timedelta(seconds=PARTNER_SPAN)), "step": "60"}
    assert limited.get(path, user="partner-1", params=ok).status_code == 200
    too_long = {**ok, "stop": iso(start + timedelta(seconds=PARTNER_SPAN + 60))}
    assert_problem(limited.get(path, user="partner-1", params=too_long), 400, "span-too-long", "stop")
    # operator-a keeps the default 7 days.
    assert limited.get(path, user="operator-a", params=too_long).status_code == 200


def test_bulk_quota(limited):
    response = limited.get("/api/v1/catalogue", user="partner-2", params={"format": "3le"})
    assert_problem(response, 400, "too-many-objects")
    assert limited.get("/api/v1/catalogue", user="operator-b", params={"format": "3le"}).status_code == 200


def test_max_body_bytes_option(limited):
    headers = {"Content-Length": str(MAX_BODY + 1), "Authorization": f"Bearer {limited.keys['admin']}"}
    status, _, body = raw_request(limited, "POST", "/api/v1/objects", headers, b"z" * 100)
    assert status == 413, body[:300]
    response = limited.request("POST", "/api/v1/objects/90500", user="admin", data=b"z" * MAX_BODY)
    assert response.status_code != 413, response.text[:300]
