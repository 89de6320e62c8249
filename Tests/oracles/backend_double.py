"""A test double of the collection / tasking backend (issue 11 §3, docs/observation-requests.md "Essor → backend").

`BackendDouble` is an HTTPS server on 127.0.0.1 (threaded `http.server` + `ssl`, in the style of push.py's webhook
`Receiver`) that speaks the backend protocol the gateway forwards observation requests with:

- `POST /v1/requests` (a submission), `POST /v1/requests/{id}/accept` (a proposal accepted), `DELETE
  /v1/requests/{id}` (withdrawn), `GET /v1/health`;
- **mutual TLS**: the dev PKI's `server.pem` (valid for 127.0.0.1), `verify_mode = CERT_REQUIRED` against the dev
  CA (a client without a certificate, or with one from another CA, fails the handshake), and the client
  certificate's SAN URI must be `urn:essor:user:gateway`: a connection presenting another certificate of the dev
  CA (another user's) is closed right after the handshake without an HTTP answer. Both kinds of refusal are
  recorded in `refusals` (never in `calls`), so the gateway sees a transport error and retries;
- every call is recorded (`Call`: method, path, lower-case headers with `essor-command-id` and
  `essor-request-id`, the body and its JSON, the peer certificate's SAN URIs, what was answered);
- answers are programmable per kind of call (`submit`, `accept`, `cancel`, `health`), optionally only for calls a
  predicate matches (e.g. the submissions whose `purpose` is a test's tag): "503 three times, then 201";
- `stop()` closes the listening socket and every open connection (the backend is down: connections are refused);
  `start()` listens again on the same port.

Defaults: submit → 201 `{"id": <request id>}`, accept → 200, cancel → 204, health → 200 `{"status": "ok"}`.
"""

from __future__ import annotations

import json
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from gateway import PKI
from push import wait_until

GATEWAY_URI = "urn:essor:user:gateway"

# What acknowledges each kind of command (the contract); anything else 4xx is a refusal, 5xx/408/429 a retry.
ACKNOWLEDGING = {
    "submit": {200, 201, 202, 409},
    "accept": set(range(200, 300)),
    "cancel": {200, 202, 204, 404},
    "health": {200},
}

_SUBMIT = re.compile(r"^/v1/requests/?$")
_ACCEPT = re.compile(r"^/v1/requests/(?P<id>[^/?]+)/accept/?$")
_ONE = re.compile(r"^/v1/requests/(?P<id>[^/?]+)/?$")


def kind_of(method: str, path: str) -> str | None:
    """`submit`, `accept`, `cancel`, `health`, or None for a call outside the protocol."""
    path = path.split("?", 1)[0]
    if method == "POST" and _SUBMIT.match(path):
        return "submit"
    if method == "POST" and _ACCEPT.match(path):
        return "accept"
    if method == "DELETE" and _ONE.match(path):
        return "cancel"
    if method == "GET" and path.rstrip("/") == "/v1/health":
        return "health"
    return None


@dataclass
class Reply:
    """What the double answers: a status, a JSON body (None: empty), after `sleep` seconds."""
    status: int
    body: object | None = None
    sleep: float = 0.0


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]            # lower-case names
    body: bytes
    peer_uris: list[str]               # the client certificate's SAN URIs
    peer_subject: str
    monotonic: float
    wall: float
    status: int = 0                    # what the double answered

    @property
    def kind(self) -> str | None:
        return kind_of(self.method, self.path)

    @property
    def json(self) -> object:
        return json.loads(self.body) if self.body else None

    @property
    def request_id(self) -> str | None:
        """The observation request the call is about: the path's id, or the submission body's `id`."""
        match = _ACCEPT.match(self.path) or (_ONE.match(self.path) if self.method == "DELETE" else None)
        if match:
            return match["id"]
        if self.kind == "submit":
            try:
                body = self.json
            except ValueError:
                return None
            return body.get("id") if isinstance(body, dict) else None
        return None

    @property
    def command_id(self) -> str | None:
        return self.headers.get("essor-command-id")

    @property
    def acknowledged(self) -> bool:
        return self.kind is not None and self.status in ACKNOWLEDGING[self.kind]

    def describe(self) -> str:
        return (f"{self.method} {self.path} → {self.status} (command {self.command_id}, request "
                f"{self.headers.get('essor-request-id')})")


@dataclass
class Refusal:
    """A connection the double refused: a failed handshake, or a certificate naming someone else."""
    reason: str
    peer_uris: list[str] = field(default_factory=list)
    wall: float = field(default_factory=time.time)


@dataclass
class _Program:
    answers: list[Reply]
    match: Callable[[Call], bool] | None


def _san_uris(certificate: dict | None) -> list[str]:
    return [value for kind, value in (certificate or {}).get("subjectAltName", ()) if kind == "URI"]


def _subject(certificate: dict | None) -> str:
    parts = []
    for rdn in (certificate or {}).get("subject", ()):
        parts += [f"{k}={v}" for k, v in rdn]
    return ",".join(parts)


class BackendDouble:
    """The backend on 127.0.0.1 over mutual TLS (the dev PKI), recording every call; see the module docstring."""

    def __init__(self, pki: PKI, *, expected_uri: str = GATEWAY_URI, name: str = "backend"):
        self.pki, self.expected_uri, self.name = pki, expected_uri, name
        self.calls: list[Call] = []
        self.refusals: list[Refusal] = []
        self.programs: dict[str, list[_Program]] = {}
        self.lock = threading.Lock()
        self.port = 0
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(str(pki.root / "server.pem"), str(pki.root / "server-key.pem"))
        context.load_verify_locations(cafile=str(pki.ca))
        context.verify_mode = ssl.CERT_REQUIRED
        self.context = context
        self.start()

    # -- lifecycle --
    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return self.server is not None

    def start(self) -> None:
        """Listens (on the same port as before once it has one)."""
        assert self.server is None, "already listening"
        handler = self._handler_class()
        double = self

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def finish_request(self, request, client_address):
                request.settimeout(30)
                with double.lock:
                    double._connections.add(request)
                try:
                    try:
                        wrapped = double.context.wrap_socket(request, server_side=True)
                    except (OSError, ssl.SSLError) as error:
                        double._refuse(f"handshake failed: {type(error).__name__}: {error}", [])
                        return
                    with double.lock:
                        double._connections.discard(request)
                        double._connections.add(wrapped)
                    request = wrapped
                    uris = _san_uris(wrapped.getpeercert())
                    if double.expected_uri not in uris:
                        double._refuse(f"client certificate names {uris}, not {double.expected_uri}", uris)
                        try:
                            wrapped.close()
                        except OSError:
                            pass
                        return
                    try:
                        super().finish_request(wrapped, client_address)
                    finally:
                        try:
                            wrapped.close()
                        except OSError:
                            pass
                finally:
                    with double.lock:
                        double._connections.discard(request)

            def handle_error(self, request, client_address):
                pass

        deadline = time.monotonic() + 10
        while True:
            try:
                self.server = Server(("127.0.0.1", self.port), handler)
                break
            except OSError:
                if self.port == 0 or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Down: no listening socket, every open connection closed."""
        server, self.server = self.server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self.lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self.thread:
            self.thread.join(timeout=5)

    close = stop

    # -- programming --
    def program(self, kind: str, answers: list[Reply | int], *, match: Callable[[Call], bool] | None = None) -> None:
        """The next calls of `kind` (that `match` accepts, when given) get `answers` in order, then the defaults."""
        assert kind in ACKNOWLEDGING, kind
        replies = [a if isinstance(a, Reply) else Reply(a) for a in answers]
        with self.lock:
            self.programs.setdefault(kind, []).append(_Program(replies, match))

    @staticmethod
    def default_reply(call: Call) -> Reply:
        kind = call.kind
        if kind == "submit":
            return Reply(201, {"id": call.request_id, "status": "received"})
        if kind == "accept":
            return Reply(200, {"id": call.request_id, "status": "accepted"})
        if kind == "cancel":
            return Reply(204)
        if kind == "health":
            return Reply(200, {"status": "ok"})
        return Reply(404, {"error": "not a backend route"})

    def _answer(self, call: Call) -> Reply:
        with self.lock:
            for program in self.programs.get(call.kind or "", []):
                if program.answers and (program.match is None or program.match(call)):
                    reply = program.answers.pop(0)
                    break
            else:
                reply = self.default_reply(call)
            call.status = reply.status
            self.calls.append(call)
        return reply

    def _refuse(self, reason: str, uris: list[str]) -> None:
        with self.lock:
            self.refusals.append(Refusal(reason, uris))

    def _handler_class(self):
        double = self

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
                    self.close_connection = True
                    return
                certificate = self.connection.getpeercert()
                call = Call(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                            _san_uris(certificate), _subject(certificate), time.monotonic(), time.time())
                reply = double._answer(call)
                if reply.sleep:
                    time.sleep(reply.sleep)
                payload = b"" if reply.body is None else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    if payload:
                        self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if payload:
                        self.wfile.write(payload)
                except OSError:
                    pass

            do_POST = do_DELETE = do_GET = do_PUT = do_PATCH = _handle

        return Handler

    # -- reading --
    def snapshot(self) -> list[Call]:
        with self.lock:
            return list(self.calls)

    def about(self, request_id: str, kind: str | None = None) -> list[Call]:
        """The calls about one observation request (of one kind), in arrival order."""
        return [c for c in self.snapshot() if c.request_id == request_id and (kind is None or c.kind == kind)]

    def acknowledged(self, request_id: str, kind: str | None = None) -> list[Call]:
        return [c for c in self.about(request_id, kind) if c.acknowledged]

    def refusal_count(self) -> int:
        with self.lock:
            return len(self.refusals)

    def wait_for(self, request_id: str, kind: str, *, count: int = 1, acknowledged: bool = True,
                 timeout: float = 30) -> list[Call]:
        """Waits until `count` calls of `kind` about `request_id` (acknowledged ones, by default) arrived."""
        def enough():
            found = self.acknowledged(request_id, kind) if acknowledged else self.about(request_id, kind)
            return found if len(found) >= count else None
        return wait_until(enough, timeout, lambda: f"{self.name}: {count} {'acknowledged ' if acknowledged else ''}"
                          f"{kind} of {request_id} wanted; calls about it: "
                          f"{[c.describe() for c in self.about(request_id)]}; refusals: {len(self.refusals)}",
                          interval=0.05)

    def describe(self, request_id: str | None = None) -> str:
        calls = self.about(request_id) if request_id else self.snapshot()
        return "\n".join(c.describe() for c in calls) or "(no calls)"
