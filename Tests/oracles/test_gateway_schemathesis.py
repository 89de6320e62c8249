"""Schemathesis against the document the server serves (`GET /openapi.yaml`): for an admin key and for operator-a's
key, every operation is called with generated valid and invalid data (examples, coverage and fuzzing phases), and
no answer is a 5xx or strays from the document (status code, content type, headers, body schema).

It runs against its own server (a fresh copy of the database): several hundred requests per user, which must not
eat into the quotas the other test modules rely on. The `st` run is bounded by --max-examples (a minute or two on
a debug build); its output is shown on failure.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])
MAX_EXAMPLES = 20


@pytest.fixture(scope="module")
def fuzzed(gateway_factory):
    server = gateway_factory.start("schemathesis")
    yield server
    gateway_factory.stop(server)


@pytest.mark.parametrize("user", ["admin", "operator-a"])
def test_schemathesis(fuzzed, tmp_path, user):
    argv = [
        sys.executable, "-m", "schemathesis.cli", "run", fuzzed.url("/openapi.yaml"),
        "--url", fuzzed.base_url,
        "--header", f"Authorization: Bearer {fuzzed.keys[user]}",
        "--tls-verify", str(fuzzed.ca),
        "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing",
        "--mode", "all",
        "--max-examples", str(MAX_EXAMPLES),
        "--seed", "20261124",
        "--no-shrink",
        # One worker: hypothesis' lambda descriptions call ast.parse, which CPython 3.11 can break across threads
        # ("SystemError: AST constructor recursion depth mismatch").
        "--workers", "1",
        "--request-timeout", "120",
        "--suppress-health-check", "all",
        "--report", "junit", "--report-dir", str(tmp_path / "report"),
    ]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL,
                            cwd=tmp_path)
    output = (result.stdout + result.stderr).replace(fuzzed.keys[user], "<key>")
    assert result.returncode == 0, f"schemathesis found problems for {user} (report in {tmp_path / 'report'}):\n{output[-12000:]}"
