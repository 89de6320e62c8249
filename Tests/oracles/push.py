"""Black-box helpers for the push tests (issue 10): subscriptions, webhook receivers, servers with push flags.

- `push_binary`: the essor binary when `essor serve --help` lists `--webhook-allow`; otherwise the push tests skip
  with the reason (and fail with CI=true), as gateway.py does for a missing `serve`.
- `Receiver`: an HTTPS webhook receiver (threaded `http.server` + `ssl`, the dev PKI's `server.pem`, valid for
  127.0.0.1) that records every request and answers as programmed per path (204 by default; a status n times then
  another; 410; a redirect; a sleep longer than the gateway's timeout). Every request is checked with two
  independent Standard Webhooks verifiers: PyPI `standardwebhooks` and `svix.webhooks.Webhook`, with the secrets
  the test registered for the path (on receipt when the secret is known, else when the test asks).
- `start_push_server` / `restart`: `essor serve` on a copy of the seeded database with `--webhook-allow
  127.0.0.0/8 --webhook-ca <dev CA> --delivery-retry-scale 0.001` (and whatever else a test adds); a restart runs
  the same database with changed arguments.
"""

from __future__ import annotations

import json
import os
import re
import secrets as random_secrets
import signal
import socket
import ssl
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import pytest
import requests
import standardwebhooks
import svix.webhooks

from gateway import Gateway, GatewayFactory, GatewayServer, PKI, _help_text, ci, write_policy
from test_gateway_products import base_time, make_cdm, submit, unique

SUBSCRIPTION_ID = re.compile(r"^sub_[0-9a-f]{16}$")
SECRET = re.compile(r"^whsec_[A-Za-z0-9+/=]{20,}$")
SCALE = 0.001                                   # --delivery-retry-scale: 5 s → 5 ms, 5 min → 0.3 s …
SCHEDULE = [5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400]   # seconds, unscaled (the contract)
JITTER = 0.10


def webhook_id(event_id: int | str, subscription_id: str) -> str:
    """`msg_<event id>_<16 hex of the subscription id>` (the contract)."""
    return f"msg_{event_id}_{subscription_id.removeprefix('sub_')}"


def fail_or_skip(message: str) -> None:
    if ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def push_binary(serve_binary):
    """The essor binary when its `serve` has the push flags; otherwise skip (fail on CI)."""
    text = _help_text(serve_binary.binary, "serve")
    if "--webhook-allow" not in text:
        fail_or_skip(f"{serve_binary.binary}: `essor serve --help` lists no --webhook-allow yet: push (issue 10) is "
                     "not built, the push tests cannot run (with CI=true this is a failure)")
    return serve_binary


def wait_until(predicate: Callable[[], object], timeout: float, message: str | Callable[[], str] = "",
               interval: float = 0.1):
    """Polls `predicate` until it returns something truthy (returned); fails the test after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            text = message() if callable(message) else message
            pytest.fail(f"not within {timeout} s: {text}", pytrace=False)
        time.sleep(interval)


# ---- the webhook receiver ------------------------------------------------------------------------------------------

@dataclass
class Received:
    path: str
    headers: dict[str, str]          # lower-case names
    body: bytes
    monotonic: float
    wall: float
    verified: bool = False           # both verifiers accepted it with the path's registered secrets
    error: str | None = None         # a verification failure (fails `check`)

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    @property
    def webhook_id(self) -> str:
        return self.headers.get("webhook-id", "")

    @property
    def signatures(self) -> list[str]:
        return self.headers.get("webhook-signature", "").split()


@dataclass
class Answer:
    """What the receiver answers: a status, after `sleep` seconds, with optional `location`."""
    status: int = 204
    sleep: float = 0.0
    location: str | None = None


def verify_with(secret: str, body: bytes, headers: dict[str, str]) -> None:
    """Both independent verifiers must accept (raise otherwise)."""
    standardwebhooks.Webhook(secret).verify(body, dict(headers))
    svix.webhooks.Webhook(secret).verify(body, dict(headers))


class Receiver:
    """An HTTPS receiver on 127.0.0.1 (dev PKI server certificate) recording every request."""

    def __init__(self, pki: PKI, name: str = "receiver"):
        self.name = name
        self.requests: list[Received] = []
        self.truncated = 0                      # requests cut off before their body was complete
        self.secrets: dict[str, list[str]] = {}
        self.programs: dict[str, list[Answer]] = {}
        self.defaults: dict[str, Answer] = {}
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(pki.root / "server.pem"), str(pki.root / "server-key.pem"))
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _body(self) -> bytes:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    data = b""
                    while True:
                        size = int(self.rfile.readline().strip().split(b";")[0], 16)
                        if size == 0:
                            self.rfile.readline()
                            return data
                        data += self.rfile.read(size)
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))

            def _handle(self):
                try:
                    body = self._body()
                except (OSError, ValueError):
                    body = None
                expected = int(self.headers.get("Content-Length", "0") or 0)
                if body is None or (expected and len(body) < expected):
                    # The sender died mid-request (the crash loop's kill -9): an HTTP server would not act on a
                    # truncated body, so it is not a delivery. Counted, not recorded.
                    with receiver.lock:
                        receiver.truncated += 1
                    self.close_connection = True
                    return
                record = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                                  time.monotonic(), time.time())
                answer = receiver._record(record)
                if answer.sleep:
                    time.sleep(answer.sleep)
                try:
                    self.send_response(answer.status)
                    if answer.location:
                        self.send_header("Location", answer.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass

            do_POST = do_PUT = do_GET = _handle

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def finish_request(self, request, client_address):
                request.settimeout(30)
                try:
                    wrapped = context.wrap_socket(request, server_side=True)
                except (OSError, ssl.SSLError):
                    return
                try:
                    super().finish_request(wrapped, client_address)
                finally:
                    try:
                        wrapped.close()
                    except OSError:
                        pass

            def handle_error(self, request, client_address):
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self.thread.start()

    # -- configuration --
    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.port}{path}"

    def program(self, path: str, answers: list[Answer | int], then: Answer | int | None = None) -> None:
        """The next requests to `path` get `answers` in order, then `then` (or the path's default) forever."""
        as_answer = lambda a: a if isinstance(a, Answer) else Answer(a)  # noqa: E731
        with self.lock:
            self.programs[path] = [as_answer(a) for a in answers]
            if then is not None:
                self.defaults[path] = as_answer(then)

    def register(self, path: str, *secrets: str) -> None:
        """The secrets deliveries to `path` must verify with (each one separately, with both verifiers)."""
        with self.lock:
            self.secrets[path] = list(secrets)
        self.check()

    def _record(self, record: Received) -> Answer:
        with self.lock:
            self._verify(record)
            self.requests.append(record)
            self.arrived.notify_all()
            program = self.programs.get(record.path)
            if program:
                return program.pop(0)
            return self.defaults.get(record.path, Answer(204))

    def _verify(self, record: Received) -> None:
        keys = self.secrets.get(record.path)
        if not keys or record.verified:
            return
        try:
            for secret in keys:
                verify_with(secret, record.body, record.headers)
            record.verified = True
        except Exception as error:  # noqa: BLE001 — reported by check()
            record.error = (f"{type(error).__name__}: {error} — {record.path} webhook-id={record.webhook_id} "
                            f"signature={record.headers.get('webhook-signature')!r}")

    # -- reading --
    def check(self) -> None:
        """Verifies what was not verified yet (secret registered late); fails on any verification failure."""
        with self.lock:
            for record in self.requests:
                self._verify(record)
            errors = [r.error for r in self.requests if r.error]
        assert not errors, "webhook signatures that do not verify:\n" + "\n".join(errors[:10])

    def at(self, path: str) -> list[Received]:
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def events(self, path: str, type_: str | None = None) -> list[Received]:
        """Requests to `path` (of that event type), each signature checked with the registered secrets."""
        self.check()
        found = self.at(path)
        for record in found:
            assert record.verified, f"{path}: no secret registered to verify {record.webhook_id}"
        return [r for r in found if type_ is None or r.json.get("type") == type_]

    def wait(self, path: str, count: int, timeout: float, type_: str | None = None) -> list[Received]:
        def enough():
            found = [r for r in self.at(path) if type_ is None or json.loads(r.body).get("type") == type_]
            return found if len(found) >= count else None
        wait_until(enough, timeout, lambda: f"{self.name}{path}: {len(self.at(path))} requests, wanted {count}"
                   + (f" of type {type_}" if type_ else ""))
        return self.events(path, type_)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(pki):
    server = Receiver(pki)
    yield server
    server.close()


# ---- the API ---------------------------------------------------------------------------------------------------------

def webhook(url: str) -> dict:
    return {"type": "webhook", "url": url}


def subscribe(gateway: Gateway, user: str, body: dict, *, status: int = 201) -> dict:
    response = gateway.request("POST", "/api/v1/subscriptions", user=user, json=body)
    context = f"POST /api/v1/subscriptions as {user} {json.dumps(body)} → {response.status_code}: {response.text[:800]}"
    assert response.status_code == status, context
    if status != 201:
        return response.json()
    created = response.json()
    assert SUBSCRIPTION_ID.match(created.get("id", "")), context
    assert response.headers.get("Location") == f"/api/v1/subscriptions/{created['id']}", (context, response.headers)
    return created


def subscribe_webhook(gateway: Gateway, user: str, receiver: Receiver, path: str, *, topic: str = "cdm",
                      fmt: str = "json", filter_: dict | None = None) -> dict:
    """A webhook subscription to `receiver` at `path`, its secret registered with the receiver."""
    body = {"topic": topic, "format": fmt, "channel": webhook(receiver.url(path))}
    if filter_ is not None:
        body["filter"] = filter_
    created = subscribe(gateway, user, body)
    assert SECRET.match(created.get("secret", "")), created
    receiver.register(path, created["secret"])
    return created


def get_subscription(gateway: Gateway, user: str, sid: str) -> dict:
    response = gateway.get(f"/api/v1/subscriptions/{sid}", user=user)
    assert response.status_code == 200, f"GET {sid} as {user}: {response.status_code} {response.text[:400]}"
    return response.json()


def patch_subscription(gateway: Gateway, user: str, sid: str, body: dict, *, status: int = 200) -> dict:
    response = gateway.request("PATCH", f"/api/v1/subscriptions/{sid}", user=user, json=body)
    assert response.status_code == status, f"PATCH {sid} {body} as {user}: {response.status_code} {response.text[:600]}"
    return response.json() if response.content else {}


def deliveries(gateway: Gateway, user: str, sid: str) -> list[dict]:
    """The subscription's delivery log (every page), newest first."""
    items, cursor = [], None
    for _ in range(1000):
        params = {"cursor": cursor} if cursor else {}
        response = gateway.get(f"/api/v1/subscriptions/{sid}/deliveries", user=user, params=params)
        assert response.status_code == 200, f"deliveries of {sid}: {response.status_code} {response.text[:400]}"
        page = response.json()
        assert {"items", "next"} <= set(page), page
        items += page["items"]
        cursor = page["next"]
        if not cursor:
            return items
    raise AssertionError("more than 1000 pages of deliveries")


def ingest_cdm(gateway: Gateway, object1: int, object2: int, *, pc: float = 2.5e-4, miss: float = 150.0,
               tag: str = "PUSH") -> dict:
    """A new CDM (unique MESSAGE_ID) stored through POST /internal/v1/products as the backend; its summary."""
    tca = base_time() + timedelta(days=2, seconds=random_secrets.randbelow(86400))
    text = make_cdm(object1, object2, tca=tca, message_id=unique(tag), miss=miss, pc=pc)
    response = submit(gateway, text, user="backend")
    assert response.status_code == 201, f"ingest: {response.status_code} {response.text[:400]}"
    return response.json()


def feed_head(gateway: Gateway) -> str:
    """The feed cursor at the end (admin reads every event)."""
    cursor = "0"
    for _ in range(10000):
        response = gateway.get("/api/v1/feed", user="admin", params={"after": cursor, "limit": 1000})
        assert response.status_code == 200, response.text[:300]
        page = response.json()
        if not page["items"] and page["next"] == cursor:
            return cursor
        cursor = page["next"]
    raise AssertionError("the feed does not end")


def feed_events(gateway: Gateway, after: str = "0") -> list[dict]:
    """Every feed event after `after` (admin)."""
    events, cursor = [], after
    for _ in range(10000):
        response = gateway.get("/api/v1/feed", user="admin", params={"after": cursor, "limit": 1000})
        assert response.status_code == 200, response.text[:300]
        page = response.json()
        events += page["items"]
        if not page["items"] and page["next"] == cursor:
            return events
        cursor = page["next"]
    raise AssertionError("the feed does not end")


def event_of(gateway: Gateway, product_id: str, after: str = "0") -> int:
    """The feed event id of a stored product."""
    for event in feed_events(gateway, after):
        if (event.get("product") or {}).get("id") == product_id:
            return int(event["id"])
    raise AssertionError(f"product {product_id} not in the feed")


# ---- servers -----------------------------------------------------------------------------------------------------

def push_policy(folder: Path, extra_rules: list[dict] | None = None) -> Path:
    """policies/default.yaml without request quotas (the tests poll delivery logs and create many subscriptions a
    minute: `subscribe:*` allows 30 a minute), plus `extra_rules`."""
    def change(document: dict) -> None:
        document["defaults"]["quotas"]["requests_per_minute"] = 1_000_000
        document["defaults"]["quotas"]["requests_per_day"] = 100_000_000
        for rule in document["rules"]:
            quotas = rule.get("quotas") or {}
            for key in ("requests_per_minute", "requests_per_day"):
                if key in quotas:
                    quotas[key] = 1_000_000 if key == "requests_per_minute" else 100_000_000
        document["rules"] += extra_rules or []
    return write_policy(folder, change)


def push_flags(pki: PKI, *, allow: bool = True, scale: float = SCALE, extra: list[str] | None = None) -> list[str]:
    flags = ["--webhook-ca", str(pki.ca), "--delivery-retry-scale", str(scale)]
    if allow:
        flags += ["--webhook-allow", "127.0.0.0/8"]
    return flags + (extra or [])


def start_push_server(factory: GatewayFactory, name: str, *, allow: bool = True, policies: Path | None = None,
                      extra: list[str] | None = None, scale: float = SCALE) -> Gateway:
    if policies is None:
        policies = push_policy(factory.root / f"policies-{name}-{uuid.uuid4().hex[:6]}")
    return factory.start(name, policies=policies, extra=push_flags(factory.pki, allow=allow, scale=scale,
                                                                   extra=extra))


def without_flag(argv: list[str], flag: str) -> list[str]:
    """argv without `flag VALUE` (every occurrence)."""
    out, skip = [], False
    for word in argv:
        if skip:
            skip = False
            continue
        if word == flag:
            skip = True
            continue
        out.append(word)
    return out


def restart(factory: GatewayFactory, gateway: Gateway, argv: list[str] | None = None, *, kill: bool = False,
            name: str = "restarted") -> Gateway:
    """Stops the server (SIGTERM and exit 0, or SIGKILL with `kill`), then starts `argv` (default: the same) in a
    new folder on the same database."""
    if kill:
        gateway.server.kill()
        if gateway.server in factory.running:
            factory.running.remove(gateway.server)
        gateway.session.close()
    else:
        factory.stop(gateway)
    workdir = gateway.server.workdir.with_name(f"{gateway.server.workdir.name}-{name}-{uuid.uuid4().hex[:6]}")
    workdir.mkdir()
    server = GatewayServer(factory.essor, workdir, argv or gateway.server.argv)
    factory.running.append(server)
    port = server.wait_listening()
    return Gateway(server, port, gateway.keys, gateway.pki, gateway.database, gateway.policies, gateway.seed)


def metrics(gateway: Gateway) -> str:
    response = requests.get(gateway.url("/metrics"), verify=str(gateway.ca), timeout=30)
    assert response.status_code == 200, response.text[:300]
    return response.text


# ---- root-only setup (sshd, system users) ----------------------------------------------------------------------------

def is_root() -> bool:
    return os.geteuid() == 0


def need_root(what: str) -> None:
    if not is_root():
        fail_or_skip(f"{what} needs root (useradd, sshd, chroot): not root here (with CI=true this is a failure)")


def ensure_system_user(name: str) -> None:
    """A system user that OpenSSH lets in with a key (`usermod -p '*'`: not locked, no password)."""
    if subprocess.run(["id", "-u", name], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "-r", "-m", "-s", "/bin/sh", name], check=True, capture_output=True, text=True)
    subprocess.run(["usermod", "-p", "*", name], check=True, capture_output=True, text=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def host_key_sha256(public_key: Path) -> str:
    """base64 SHA-256 of a host key as `ssh-keygen -l -E sha256` prints it, without `SHA256:`."""
    out = subprocess.run(["ssh-keygen", "-lf", str(public_key), "-E", "sha256"], check=True, capture_output=True,
                         text=True).stdout
    return out.split()[1].removeprefix("SHA256:")


def keygen(path: Path, comment: str = "essor-test") -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", str(path)], check=True,
                   capture_output=True)
    return path


class Sshd:
    """A real OpenSSH sshd on 127.0.0.1 with its own config (`-D -e`, foreground, log to a file)."""

    def __init__(self, folder: Path, body: str):
        """`body` is appended to the base settings (a `Subsystem sftp` line in it replaces the base one)."""
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        self.folder = folder
        self.port = free_port()
        self.host_key = keygen(folder / "ssh_host_ed25519_key", "essor-test-host")
        self.config = folder / "sshd_config"
        self.log = folder / "sshd.log"
        self.config.write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {self.host_key}\nPidFile {folder / 'sshd.pid'}\n"
            "UsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n"
            "StrictModes no\nLogLevel VERBOSE\n"
            + ("" if re.search(r"^\s*Subsystem\s+sftp\b", body, re.M) else "Subsystem sftp internal-sftp\n") + body)
        check = subprocess.run(["/usr/sbin/sshd", "-t", "-f", str(self.config)], capture_output=True, text=True)
        assert check.returncode == 0, f"sshd -t: {check.stderr}\n{self.config.read_text()}"
        self.process = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(self.config)],
                                        stdout=subprocess.DEVNULL, stderr=self.log.open("wb"),
                                        stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    if s.recv(64).startswith(b"SSH-"):
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"sshd did not start: {self.log.read_text()}")

    @property
    def fingerprint(self) -> str:
        return host_key_sha256(self.host_key.with_suffix(".pub"))

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def root_owned_folder(prefix: str) -> Path:
    """A root-owned 0755 folder outside /tmp (every component root-owned and not group/world-writable, as sshd's
    ChrootDirectory wants; pytest's tmp folders are 0700 and /tmp, /var/tmp are world-writable)."""
    base = Path("/srv") if Path("/srv").is_dir() else Path("/opt")
    folder = base / f"{prefix}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    return folder
