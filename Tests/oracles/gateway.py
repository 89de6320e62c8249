"""Black-box fixtures for the HTTPS gateway (`essor serve`), imported by conftest.py.

What a session does:
1. `essor certs init --dir TMP/certs` (the dev PKI the server uses, `--certs`), and `essor certs init --dir
   TMP/foreign` (a second, FOREIGN CA whose client certificates the server must refuse);
2. `essor demo seed --database sqlite:TMP/seed/essor.sqlite --keys-out TMP/seed/keys.json` once; when the binary has
   `essor key create|revoke`, one more key for operator-a (kept) and one revoked;
3. each server gets its own copy of that database (SQLite backup API), so quotas used by one test module never
   leak into another, and runs `essor serve --database sqlite:COPY --host 127.0.0.1 --port 0 --certs TMP/certs
   --policies DIR [--client-ca TMP/certs/ca.pem] [...]` in its own folder; the fixture waits (60 s at most) for
   `essor: listening on https://127.0.0.1:PORT` on stdout;
4. at the end, SIGTERM, and the exit status must be 0 (graceful shutdown).

The gateway tests are skipped, with the reason, only while the binary has no `serve` (or no `demo seed`, which the
fixture needs) subcommand, so that they can land before the server. With CI=true they fail instead.

The demo data set and the default policy (policies/default.yaml) give the expected visibility: `can_read`.
"""

from __future__ import annotations

import json
import os
import queue
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import base64
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import pytest
import requests
import yaml

REPO = Path(__file__).resolve().parents[2]
OPENAPI = REPO / "Sources" / "GatewayHTTP" / "Resources" / "openapi.yaml"
DEFAULT_POLICY = REPO / "policies" / "default.yaml"

LISTENING = re.compile(r"^essor: listening on https://127\.0\.0\.1:(?P<port>\d+)\s*$")
START_TIMEOUT = 60      # seconds until the listening line
STOP_TIMEOUT = 30       # seconds from SIGTERM to exit
REQUEST_TIMEOUT = 120   # seconds per HTTP request (debug build, whole catalogue)
KEY_PATTERN = re.compile(r"essor_[0-9a-f]{16}_[A-Za-z0-9_-]{43}")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
HSTS = "max-age=63072000; includeSubDomains"

# slug -> HTTP status (the order is the one of the OpenAPI document's ProblemType enum).
PROBLEM_SLUGS = {
    "bad-parameter": 400,
    "span-too-long": 400,
    "too-many-objects": 400,
    "invalid-message": 400,
    "unauthenticated": 401,
    "forbidden": 403,
    "not-found": 404,
    "method-not-allowed": 405,
    "not-acceptable": 406,
    "payload-too-large": 413,
    "propagation-failed": 422,
    "rate-limited": 429,
    "internal": 500,
    "unavailable": 503,
}

# ---- the demo data set and the default policy --------------------------------------------------------------------

ROLES = {
    "operator-a": "operator",
    "operator-b": "operator",
    "partner-1": "partner",
    "partner-2": "partner",
    "requester": "requester",
    "admin": "admin",
    "backend": "backend",
}
USERS = list(ROLES)
FIRST, LAST = 90001, 91100
ALL_OBJECTS = list(range(FIRST, LAST + 1))


def demo_object(norad: int) -> tuple[str | None, str] | None:
    """(owner, marking) of a seeded object, None when it does not exist."""
    if not FIRST <= norad <= LAST:
        return None
    table = [
        (90001, 90004, "operator-a", "restricted"),
        (90005, 90007, "operator-a", "operators"),
        (90008, 90010, "operator-a", "public"),
        (90011, 90014, "operator-b", "restricted"),
        (90015, 90017, "operator-b", "operators"),
        (90018, 90020, "operator-b", "public"),
        (90021, 91090, None, "public"),
        (91091, 91100, None, "restricted"),
    ]
    for low, high, owner, marking in table:
        if low <= norad <= high:
            return owner, marking
    raise AssertionError(norad)


def can_read(user: str, norad: int) -> bool:
    """read:elements and read:ephemeris under policies/default.yaml (the two actions have the same rules)."""
    record = demo_object(norad)
    if record is None:
        return False
    owner, marking = record
    role = ROLES[user]
    if role == "admin":
        return True                                   # admin-everything
    if role == "backend":
        return False                                  # backend-ingests only: deny by default
    if marking == "restricted":
        return role == "operator" and owner == user   # restricted-stays-with-owner (explicit deny) / own objects
    if marking == "public":
        return True                                   # public-elements-and-ephemerides
    return role == "operator" and (owner == user or marking == "operators")


def visible(user: str) -> list[int]:
    return [n for n in ALL_OBJECTS if can_read(user, n)]


# ---- small helpers -----------------------------------------------------------------------------------------------

def utc_now_minute() -> datetime:
    return datetime.now(timezone.utc).replace(second=0, microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    """A CCSDS/ISO epoch (`2026-11-24T12:00:00`, `…Z`, fractional seconds) as an aware UTC datetime."""
    text = text.strip().removesuffix("Z")
    if "." in text:
        head, frac = text.split(".", 1)
        text = f"{head}.{(frac + '000000')[:6]}"
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def wrong_key() -> str:
    """Well formed, never issued."""
    secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    return f"essor_{secrets.token_hex(8)}_{secret}"


def assert_problem(response: requests.Response, status: int, slug: str, parameter: str | None = None) -> dict:
    """An RFC 9457 problem as the contract has it; returns the body."""
    context = f"{response.request.method} {response.request.url} → {response.status_code}: {response.text[:600]}"
    assert response.status_code == status, context
    media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    assert media == "application/problem+json", f"Content-Type {response.headers.get('Content-Type')!r}; {context}"
    body = response.json()
    assert isinstance(body, dict), context
    for key in ("type", "title", "status", "detail", "instance", "request_id"):
        assert key in body, f"problem without {key!r}: {body}"
    assert body["type"] == f"urn:essor:problem:{slug}", context
    assert PROBLEM_SLUGS[slug] == status
    assert body["status"] == status, context
    assert isinstance(body["title"], str) and body["title"], context
    assert isinstance(body["detail"], str), context
    assert body["instance"] == urlsplit(response.request.url).path, f"instance {body['instance']!r}; {context}"
    assert body["request_id"] == response.headers.get("X-Request-ID"), context
    assert REQUEST_ID.match(body["request_id"]), context
    if status == 400 and slug != "invalid-message":
        assert "parameter" in body, f"a 400 problem names its parameter: {body}"
    if slug == "invalid-message":
        errors = body.get("errors")
        assert isinstance(errors, list) and errors, f"invalid-message without errors: {body}"
        for error in errors:
            assert isinstance(error, dict) and isinstance(error.get("message"), str) and error["message"], body
            for key in ("line", "column"):
                assert key not in error or (isinstance(error[key], int) and error[key] >= 1), body
    if parameter is not None:
        assert body.get("parameter") == parameter, f"parameter {body.get('parameter')!r}, expected {parameter!r}"
    if status == 401:
        assert response.headers.get("WWW-Authenticate") == 'Bearer realm="essor"', response.headers
    if status == 429:
        assert re.fullmatch(r"\d+", response.headers.get("Retry-After", "")), response.headers
    return body


def assert_common_headers(response: requests.Response) -> None:
    headers = response.headers
    assert headers.get("Strict-Transport-Security") == HSTS, headers
    assert headers.get("X-Content-Type-Options") == "nosniff", headers
    assert REQUEST_ID.match(headers.get("X-Request-ID", "")), headers


def media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


# ---- the binary --------------------------------------------------------------------------------------------------

def _help_text(binary: Path, *args: str) -> str:
    result = subprocess.run([str(binary), *args, "--help"], capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL, env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))
    return result.stdout + result.stderr


def has_subcommand(binary: Path, *words: str) -> bool:
    """`essor WORDS --help` shows that subcommand's own usage (an unknown subcommand prints the overview)."""
    return f"essor {' '.join(words)}" in _help_text(binary, *words)


def ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def serve_binary(essor):
    """The essor binary, when it can serve and seed; otherwise skip (fail on CI)."""
    missing = [" ".join(words) for words in (("serve",), ("demo", "seed")) if not has_subcommand(essor.binary, *words)]
    if missing:
        message = (f"{essor.binary} has no `essor {'` / `essor '.join(missing)}` subcommand yet: the HTTPS gateway "
                   "tests cannot run (with CI=true this is a failure)")
        if ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return essor


# ---- PKI, seed -----------------------------------------------------------------------------------------------------

@dataclass
class PKI:
    root: Path

    @property
    def ca(self) -> Path:
        return self.root / "ca.pem"

    def client(self, user: str) -> tuple[str, str]:
        return str(self.root / "clients" / f"{user}.pem"), str(self.root / "clients" / f"{user}-key.pem")


@pytest.fixture(scope="session")
def gateway_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("gateway")


@pytest.fixture(scope="session")
def pki(serve_binary, gateway_root) -> PKI:
    folder = gateway_root / "certs"
    serve_binary.run("certs", "init", "--dir", folder, check=True)
    return PKI(folder)


@pytest.fixture(scope="session")
def foreign_pki(serve_binary, gateway_root) -> PKI:
    """Another CA, issuing certificates for the same user names."""
    folder = gateway_root / "foreign"
    serve_binary.run("certs", "init", "--dir", folder, check=True)
    return PKI(folder)


@dataclass
class Seed:
    database: Path
    keys: dict[str, str]
    extra_key: str | None = None      # `essor key create operator-a` (None when the binary has no `key`)
    revoked_key: str | None = None    # created, then `essor key revoke`d, before any server started
    key_notes: list[str] = field(default_factory=list)


def _database_args(essor, words: tuple[str, ...], url: str) -> tuple[list[str], dict[str, str]]:
    """`--database URL` when the subcommand has the option; the ESSOR_DATABASE variable in any case."""
    args = ["--database", url] if "--database" in _help_text(essor.binary, *words) else []
    return args, {"ESSOR_DATABASE": url}


def _run(essor, argv: list[object], extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = dict(os.environ, SWIFT_BACKTRACE="enable=no", **extra_env)
    return subprocess.run([str(essor.binary), *map(str, argv)], capture_output=True, text=True, timeout=300,
                          env=env, cwd=REPO, stdin=subprocess.DEVNULL)


def _create_and_revoke_keys(essor, seed: Seed, url: str) -> None:
    if not (has_subcommand(essor.binary, "key", "create") and has_subcommand(essor.binary, "key", "revoke")):
        seed.key_notes.append("the binary has no `essor key create` / `essor key revoke`")
        return
    args, env = _database_args(essor, ("key", "create"), url)
    keys = []
    for _ in range(2):
        result = _run(essor, ["key", "create", "operator-a", *args], env)
        found = KEY_PATTERN.findall(result.stdout)
        if result.returncode != 0 or len(found) != 1:
            pytest.fail(f"`essor key create operator-a {' '.join(args)}` exited {result.returncode}, printed "
                        f"{result.stdout!r} (expected exactly one key)\n{result.stderr}", pytrace=False)
        keys.append(found[0])
    seed.extra_key, candidate = keys
    # How `key revoke` names a key is not in the contract: try the whole key, its public id `essor_<16 hex>`, the
    # 16 hex digits alone (each with the user name first, then without).
    args, env = _database_args(essor, ("key", "revoke"), url)
    prefix = candidate.rsplit("_", 1)[0]
    tried = []
    for ident in (candidate, prefix, prefix.removeprefix("essor_")):
        for argv in (["key", "revoke", ident, *args], ["key", "revoke", "operator-a", ident, *args]):
            result = _run(essor, argv, env)
            tried.append(f"{' '.join(argv)} → exit {result.returncode}: {result.stderr.strip()[:200]}")
            if result.returncode == 0:
                seed.revoked_key = candidate
                return
    pytest.fail("`essor key revoke` accepted none of these forms:\n" + "\n".join(tried), pytrace=False)


@pytest.fixture(scope="session")
def demo_seed(serve_binary, gateway_root) -> Seed:
    folder = gateway_root / "seed"
    folder.mkdir()
    database = folder / "essor.sqlite"
    keys_file = folder / "keys.json"
    serve_binary.run("demo", "seed", "--database", f"sqlite:{database}", "--keys-out", keys_file, check=True)
    keys = json.loads(keys_file.read_text())
    assert set(keys) == set(USERS), f"keys.json has {sorted(keys)}"
    for user, key in keys.items():
        assert KEY_PATTERN.fullmatch(key), f"{user}'s key {key!r} is not essor_<16hex>_<43 base64url>"
    seed = Seed(database, keys)
    _create_and_revoke_keys(serve_binary, seed, f"sqlite:{database}")
    return seed


def copy_database(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)


def write_policy(folder: Path, change: Callable[[dict], None] | None = None) -> Path:
    """A policy folder holding policies/default.yaml, changed by `change` (which edits the parsed YAML)."""
    folder.mkdir(parents=True, exist_ok=True)
    if change is None:
        shutil.copy(DEFAULT_POLICY, folder / "default.yaml")
    else:
        document = yaml.safe_load(DEFAULT_POLICY.read_text())
        change(document)
        (folder / "default.yaml").write_text(yaml.safe_dump(document, sort_keys=False))
    return folder


# ---- the server ----------------------------------------------------------------------------------------------------

class GatewayServer:
    """One `essor serve` process."""

    def __init__(self, essor, workdir: Path, argv: list[str]):
        self.workdir = workdir
        self.argv = argv
        self.log = workdir / "serve.stderr"
        self.stdout_lines: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
        self._stderr = self.log.open("wb")
        self.process = subprocess.Popen(
            [str(essor.binary), *argv], cwd=workdir, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=self._stderr, text=True, bufsize=1,
        )
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        self.port: int | None = None

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.stdout_lines.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def tail(self) -> str:
        if not self._stderr.closed:
            self._stderr.flush()
        stderr = self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""
        return (f"command: essor {' '.join(self.argv)}\n--- stdout ---\n{''.join(self.stdout_lines)[-2000:]}"
                f"\n--- stderr ---\n{stderr}")

    def wait_listening(self, timeout: float = START_TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                pytest.fail(f"no `essor: listening on https://127.0.0.1:PORT` within {timeout} s\n{self.tail()}",
                            pytrace=False)
            try:
                line = self._lines.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                continue
            if line is None:
                code = self.process.wait()
                pytest.fail(f"essor serve exited with {code} before listening\n{self.tail()}", pytrace=False)
            match = LISTENING.match(line)
            if match:
                self.port = int(match["port"])
                assert self.port > 0
                return self.port

    def wait_exit(self, timeout: float) -> int | None:
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def send(self, sig: int) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)

    def stop(self) -> int:
        """SIGTERM; the exit status (pytest.fail when it does not exit in STOP_TIMEOUT s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.wait_exit(STOP_TIMEOUT)
        if code is None:
            self.kill()
            pytest.fail(f"essor serve did not exit within {STOP_TIMEOUT} s of SIGTERM\n{self.tail()}", pytrace=False)
        self._reader.join(timeout=5)
        self._stderr.close()
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@dataclass
class Gateway:
    """A running gateway and how to call it."""

    server: GatewayServer
    port: int
    keys: dict[str, str]
    pki: PKI
    database: Path
    policies: Path
    seed: Seed
    session: requests.Session = field(default_factory=requests.Session)

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def ca(self) -> Path:
        return self.pki.ca

    def url(self, path: str) -> str:
        return self.base_url + path

    def client_cert(self, user: str) -> tuple[str, str]:
        return self.pki.client(user)

    def request(self, method: str, path: str, *, user: str | None = None, key: str | None = None,
                cert: str | tuple[str, str] | None = None, headers: dict | None = None,
                **kwargs) -> requests.Response:
        """`user` → `Authorization: Bearer <that user's demo key>`; `key` → that key; `cert` → a user's client
        certificate (or a (pem, key) pair)."""
        headers = dict(headers or {})
        if user is not None:
            headers["Authorization"] = f"Bearer {self.keys[user]}"
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        if isinstance(cert, str):
            cert = self.client_cert(cert)
        kwargs.setdefault("timeout", REQUEST_TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        return self.session.request(method, self.url(path), headers=headers, cert=cert, verify=str(self.ca),
                                    **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def ok(self, path: str, **kwargs) -> requests.Response:
        """GET that must answer 200."""
        response = self.get(path, **kwargs)
        assert response.status_code == 200, f"GET {path} → {response.status_code}: {response.text[:600]}"
        return response


class GatewayFactory:
    """Starts servers (each on its own copy of the seeded database); stops what is left at the end of the session."""

    def __init__(self, essor, root: Path, pki: PKI, seed: Seed):
        self.essor, self.root, self.pki, self.seed = essor, root, pki, seed
        self.running: list[GatewayServer] = []
        self.count = 0

    def start(self, name: str, *, policies: Path | None = None, client_ca: bool = True,
              extra: list[str] | None = None) -> Gateway:
        self.count += 1
        workdir = self.root / f"server-{self.count}-{name}"
        workdir.mkdir()
        database = workdir / "essor.sqlite"
        copy_database(self.seed.database, database)
        policies = policies or write_policy(workdir / "policies")
        argv = ["serve", "--database", f"sqlite:{database}", "--host", "127.0.0.1", "--port", "0",
                "--certs", str(self.pki.root), "--policies", str(policies)]
        if client_ca:
            argv += ["--client-ca", str(self.pki.ca)]
        argv += extra or []
        server = GatewayServer(self.essor, workdir, argv)
        self.running.append(server)
        port = server.wait_listening()
        return Gateway(server, port, dict(self.seed.keys), self.pki, database, policies, self.seed)

    def stop(self, gateway: Gateway) -> None:
        """SIGTERM; the exit status must be 0."""
        gateway.session.close()
        server = gateway.server
        if server in self.running:
            self.running.remove(server)
        code = server.stop()
        assert code == 0, f"essor serve exited with {code} after SIGTERM (expected 0)\n{server.tail()}"

    def stop_all(self) -> list[str]:
        problems = []
        for server in list(self.running):
            self.running.remove(server)
            try:
                code = server.stop()
            except BaseException as error:  # pytest.fail inside stop()
                problems.append(str(error))
                continue
            if code != 0:
                problems.append(f"essor serve exited with {code} after SIGTERM (expected 0)\n{server.tail()}")
        return problems


@pytest.fixture(scope="session")
def gateway_factory(serve_binary, gateway_root, pki, demo_seed) -> Iterator[GatewayFactory]:
    factory = GatewayFactory(serve_binary, gateway_root, pki, demo_seed)
    yield factory
    problems = factory.stop_all()
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture(scope="session")
def gateway(gateway_factory) -> Iterator[Gateway]:
    """The shared server: default policy, client certificates from the dev CA accepted (`--client-ca`)."""
    server = gateway_factory.start("main")
    yield server
    gateway_factory.stop(server)
