#!/usr/bin/env python3
"""The client side of Benchmarks/run-requests-bench (issue 11, "Performance"): observation-request submissions over
HTTPS (wrk with a Lua script), a backend double with mutual TLS that records when each forwarded request arrives,
paced status updates as the backend, and the figures, read from wrk, from the double's log, from the receiving
nginx's access log and from the store (the `observation_requests`, `observation_request_history`,
`backend_commands`, `deliveries` and `feed_events` tables of migrations 6 and 7; times in microseconds).

    requests_bench.py policy     SRC DST
    requests_bench.py backend    --port P --cert PEM --key PEM --ca CA --log FILE
    requests_bench.py clear      COMMON
    requests_bench.py throughput COMMON --wrk WRK --backend-log LOG [--connections 32 --wrk-threads 2 --seconds 10
                                 --rounds 3]
    requests_bench.py forward    COMMON --backend-log LOG [--rate 50 --seconds 20]
    requests_bench.py webhook    COMMON --receiver URL --nginx-log LOG [--rate 50 --seconds 20]

COMMON = --base https://127.0.0.1:PORT --ca certs/ca.pem --keys keys.json --database sqlite:PATH|postgres://…
         --pid ESSOR_PID [--backend-pid PID] [--requesters 1]
Each phase prints `key=value` lines on standard output (the bash script collects them) and its story on standard
error. Only the Python standard library, `requests` and PyYAML (the repository's .venv) are used; PostgreSQL is read
with `psql`; the submission load comes from `wrk` (C, one event loop per thread: the client is not the bottleneck,
and its own CPU time is measured and printed).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import math
import os
import re
import resource
import secrets
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REQUESTER = "requester"       # submits (request:observation on public objects) and subscribes (observation-request)
BACKEND = "backend"           # reports status through POST /internal/v1/observation-requests/{id}/status
GATEWAY_URI = "urn:essor:user:gateway"   # the SAN URI of certs/clients/gateway.pem, which the gateway presents
REQUEST_ID = re.compile(r"^req_[0-9a-f]{16}$")
SUBSCRIPTION_ID = re.compile(r"^sub_[0-9a-f]{16}$")
WEBHOOK_ID = re.compile(r"^msg_(\d+)_([0-9a-f]{16})$")


def log(message: str) -> None:
    print(f"requests_bench: {message}", file=sys.stderr, flush=True)


def emit(key: str, value) -> None:
    if isinstance(value, float):
        value = f"{value:.1f}" if abs(value) >= 100 else f"{value:.3f}"
    print(f"{key}={value}", flush=True)


def die(message: str) -> None:
    log(message)
    sys.exit(1)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted `values`."""
    if not values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(values)))
    return values[min(rank, len(values)) - 1]


def summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: no values"
    return (f"{name}: n={len(values)} p50 {percentile(values, 50):.1f} ms, p90 {percentile(values, 90):.1f} ms, "
            f"p99 {percentile(values, 99):.1f} ms, max {values[-1]:.1f} ms")


# ---- the policy: the default one, the requester's rules without quotas -------------------------------------------

UNLIMITED_TASKING = ("open_observation_requests", "observation_requests_per_day", "observation_tracks_per_day")


def write_policy(source: Path, target: Path) -> None:
    """policies/default.yaml with every requests_per_minute / requests_per_day `unlimited` (the requester's 10 a
    minute, subscriptions' 30, the backend's 6,000 would turn the runs into 429 benchmarks) and, on every rule that
    grants request:observation, the three tasking quotas `unlimited` (open 10, 20 a day, 60 tracks a day by default)."""
    import yaml
    document = yaml.safe_load(source.read_text())
    lifted, tasking = 0, 0

    def lift(quotas: dict | None) -> None:
        nonlocal lifted
        if not quotas:
            return
        for key in ("requests_per_minute", "requests_per_day"):
            if key in quotas:
                quotas[key] = "unlimited"
                lifted += 1

    lift((document.get("defaults") or {}).get("quotas"))
    for rule in document.get("rules") or []:
        lift(rule.get("quotas"))
        if rule.get("effect") == "allow" and "request:observation" in (rule.get("actions") or []):
            quotas = rule.setdefault("quotas", {})
            for key in UNLIMITED_TASKING:
                quotas[key] = "unlimited"
            tasking += 1
    if lifted == 0 or tasking == 0:
        die(f"{source}: {lifted} request quotas and {tasking} tasking rules found to lift (the policy's layout "
            "changed?)")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(document, sort_keys=False))
    log(f"policy: {lifted} request quotas lifted, {len(UNLIMITED_TASKING)} tasking quotas unlimited on {tasking} "
        f"request:observation rule(s) in {target}")


# ---- the backend double (its own process) ------------------------------------------------------------------------

async def serve_backend(args) -> None:
    """HTTP/1.1 over TLS on 127.0.0.1:PORT, client certificate required (the dev CA) and its SAN URI must be the
    gateway's; POST /v1/requests → 201, POST …/accept → 200, DELETE → 204, GET /v1/health → 200. One JSON line per
    call in the log: `t` (time.time() when the request head arrived), method, path, `id` (Essor-Request-ID),
    `command` (Essor-Command-ID), the answer. asyncio streams: one thread, cheap per call."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=args.ca)
    context.load_cert_chain(args.cert, args.key)
    context.verify_mode = ssl.CERT_REQUIRED
    out = open(args.log, "a", buffering=1)
    refused = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal refused
        peer = writer.get_extra_info("peercert") or {}
        uris = [v for k, v in peer.get("subjectAltName", ()) if k == "URI"]
        if GATEWAY_URI not in uris:
            refused += 1
            out.write(json.dumps({"t": time.time(), "refused": uris}) + "\n")
            writer.close()
            return
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                arrived = time.time()
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0"))
                if length:
                    await reader.readexactly(length)
                bare = path.split("?", 1)[0].rstrip("/")
                if method == "POST" and bare == "/v1/requests":
                    status, body = 201, json.dumps({"id": headers.get("essor-request-id")}).encode()
                elif method == "POST" and bare.endswith("/accept"):
                    status, body = 200, b"{}"
                elif method == "DELETE" and bare.startswith("/v1/requests/"):
                    status, body = 204, b""
                elif method == "GET" and bare == "/v1/health":
                    status, body = 200, b'{"status": "ok"}'
                else:
                    status, body = 404, b"{}"
                reason = {200: "OK", 201: "Created", 204: "No Content", 404: "Not Found"}[status]
                writer.write(f"HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\n"
                             f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
                await writer.drain()
                out.write(json.dumps({"t": arrived, "method": method, "path": path,
                                      "id": headers.get("essor-request-id"),
                                      "command": headers.get("essor-command-id"), "status": status}) + "\n")
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", args.port, ssl=context, backlog=512)
    log(f"backend double on https://127.0.0.1:{args.port} (mutual TLS, {GATEWAY_URI} only), log {args.log}")
    async with server:
        await server.serve_forever()


def backend_calls(path: Path) -> list[dict]:
    calls = []
    if path.exists():
        for line in path.read_text().splitlines():
            try:
                calls.append(json.loads(line))
            except ValueError:
                pass            # a line being written
    return calls


# ---- the gateway ---------------------------------------------------------------------------------------------------

class Gateway:
    def __init__(self, base: str, ca: str, keys: dict[str, str]):
        import requests
        self.requests = requests
        self.base = base.rstrip("/")
        self.ca = ca
        self.keys = keys
        self.local = threading.local()

    def session(self):
        if not hasattr(self.local, "session"):
            self.local.session = self.requests.Session()
            self.local.session.verify = self.ca
        return self.local.session

    def request(self, method: str, path: str, user: str, **kwargs):
        headers = kwargs.pop("headers", {})
        headers["Authorization"] = f"Bearer {self.keys[user]}"
        # verify= on each call: a session's own `verify` loses to REQUESTS_CA_BUNDLE in the environment
        return self.session().request(method, self.base + path, headers=headers, timeout=120, verify=self.ca,
                                      **kwargs)

    def submit(self, body: dict, key: str, user: str = REQUESTER) -> tuple[dict, float, float]:
        """POST /api/v1/observation-requests as `user`: (the request, sent at (wall), request seconds)."""
        sent = time.time()
        start = time.perf_counter()
        response = self.request("POST", "/api/v1/observation-requests", user, json=body,
                                headers={"Idempotency-Key": key})
        seconds = time.perf_counter() - start
        if response.status_code != 201:
            die(f"submit → {response.status_code}: {response.text[:400]}")
        return response.json(), sent, seconds

    def status(self, request_id: str, state: str) -> tuple[dict, float, float]:
        sent = time.time()
        start = time.perf_counter()
        response = self.request("POST", f"/internal/v1/observation-requests/{request_id}/status", BACKEND,
                                json={"state": state, "reason": "benchmark"})
        seconds = time.perf_counter() - start
        if response.status_code != 200:
            die(f"status {request_id} {state} → {response.status_code}: {response.text[:400]}")
        return response.json(), sent, seconds

    def subscribe(self, body: dict, user: str = REQUESTER) -> dict:
        response = self.request("POST", "/api/v1/subscriptions", user, json=body)
        if response.status_code != 201:
            die(f"POST /api/v1/subscriptions {json.dumps(body)[:300]} → {response.status_code}: {response.text[:600]}")
        created = response.json()
        if not SUBSCRIPTION_ID.match(created.get("id", "")):
            die(f"subscription without a proper id: {created}")
        return created

    def unsubscribe(self, sid: str, user: str = REQUESTER) -> None:
        response = self.request("DELETE", f"/api/v1/subscriptions/{sid}", user)
        if response.status_code not in (204, 404):
            die(f"DELETE {sid} → {response.status_code}: {response.text[:300]}")

    def subscriptions(self, user: str = REQUESTER) -> list[dict]:
        items, cursor = [], None
        for _ in range(1000):
            params = {"limit": 100}
            if cursor:
                params["cursor"] = cursor
            response = self.request("GET", "/api/v1/subscriptions", user, params=params)
            if response.status_code != 200:
                die(f"GET /api/v1/subscriptions → {response.status_code}: {response.text[:300]}")
            page = response.json()
            items += page["items"]
            cursor = page.get("next")
            if not cursor:
                return items
        return items


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def public_object(i: int) -> int:
    """A public catalogue debris object (90600–91090, with element sets): requesters may task public objects."""
    return 90600 + i % 491


def request_body(i: int, tag: str) -> dict:
    """A valid submission: a window starting in 2 h, 4 h long (the requester's rule allows 7 days)."""
    start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=2)
    return {"target": {"norad_id": public_object(i)},
            "window": {"start": iso(start), "stop": iso(start + timedelta(hours=4))},
            "measurements": ["optical-angles"], "tracks": 1, "priority": "routine",
            "purpose": f"Benchmarks/requests_bench.py {tag}"}


def paced(count: int, rate: float, threads: int, one) -> list:
    """`one(i)` for i < count, the i-th at t0 + i/rate, from `threads` threads (keep-alive sessions); results in
    order."""
    start = time.monotonic() + 0.2
    results: list = [None] * count

    def call(i: int) -> None:
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        results[i] = one(i)

    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(call, i) for i in range(count)]:
            future.result()
    return results


def pace_report(prefix: str, sent: list[float], seconds: list[float], rate: float, what: str) -> None:
    span = max(sent) - min(sent)
    achieved = (len(sent) - 1) / span if span > 0 else float("nan")
    seconds = sorted(seconds)
    log(f"{prefix}: {len(sent)} {what} over {span:.1f} s ({achieved:.1f}/s, asked {rate:g}/s); HTTPS call p50 "
        f"{percentile(seconds, 50) * 1e3:.1f} ms, p99 {percentile(seconds, 99) * 1e3:.1f} ms, max "
        f"{seconds[-1] * 1e3:.1f} ms")
    if achieved < 0.95 * rate:
        log(f"{prefix}: the {what} fell behind the pace ({achieved:.1f}/s of {rate:g}/s): each thread waits for its "
            "answer, so the gateway answered too slowly for this rate (the figures below include that queueing)")
    emit(f"{prefix}_sent_per_second", achieved)
    emit(f"{prefix}_call_p50_ms", percentile(seconds, 50) * 1e3)
    emit(f"{prefix}_call_p99_ms", percentile(seconds, 99) * 1e3)


# ---- the store (read only) -----------------------------------------------------------------------------------------

class Store:
    """Reads the gateway's store: the SQLite file (read-only connection, WAL) or PostgreSQL through `psql`."""

    def __init__(self, url: str):
        self.url = url
        if url.startswith("sqlite:"):
            path = url.removeprefix("sqlite:")
            self.sqlite = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30, isolation_level=None)
        else:
            self.sqlite = None

    def rows(self, sql: str) -> list[tuple]:
        if self.sqlite is not None:
            return self.sqlite.execute(sql).fetchall()
        out = subprocess.run(["psql", self.url, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                             capture_output=True, text=True)
        if out.returncode != 0:
            die(f"psql: {out.stderr.strip()}\n{sql}")
        rows = []
        for line in out.stdout.splitlines():
            rows.append(tuple(None if v == "" else int(v) if re.fullmatch(r"-?\d+", v) else v
                              for v in line.split("\t")))
        return rows

    def count(self, sql: str) -> int:
        return int(self.rows(sql)[0][0] or 0)

    def requests_of(self, requesters: list[str]) -> int:
        return self.count(f"SELECT count(*) FROM observation_requests WHERE requester IN ({quoted(requesters)})")

    def pending_commands(self) -> int:
        return self.count("SELECT count(*) FROM backend_commands WHERE state = 'pending'")

    def commands_of(self, ids: list[str]) -> dict[str, tuple[int, int | None, int, str]]:
        """request id → (created_us, completed_us, attempts, state) of its submit command."""
        found = {}
        for chunk in range(0, len(ids), 500):
            part = ",".join(f"'{i}'" for i in ids[chunk:chunk + 500] if REQUEST_ID.match(i))
            for request, created, completed, attempts, state in self.rows(
                    "SELECT request_id, created_us, completed_us, attempts, state FROM backend_commands "
                    f"WHERE kind = 'submit' AND request_id IN ({part})"):
                found[request] = (int(created), completed and int(completed), int(attempts), state)
        return found

    def transitions(self, ids: list[str], state: str) -> dict[int, tuple[str, int]]:
        """event id → (request id, history time_us) of the requests' `state` transitions."""
        found = {}
        for chunk in range(0, len(ids), 500):
            part = ",".join(f"'{i}'" for i in ids[chunk:chunk + 500] if REQUEST_ID.match(i))
            for request, event, time_us in self.rows(
                    "SELECT request_id, event_id, time_us FROM observation_request_history "
                    f"WHERE state = '{state}' AND request_id IN ({part})"):
                found[int(event)] = (request, int(time_us))
        return found

    def deliveries_of(self, subscription: str) -> list[tuple]:
        """(event id, attempts, state, last_attempt_us, created_us) of one subscription's deliveries."""
        assert SUBSCRIPTION_ID.match(subscription)
        return self.rows("SELECT event_id, attempts, state, last_attempt_us, created_us FROM deliveries "
                         f"WHERE subscription_id = '{subscription}'")

    def forwarded_submitted(self, requester: str, limit: int) -> list[str]:
        """Up to `limit` of the requester's SUBMITTED requests whose submission the backend acknowledged."""
        return [r[0] for r in self.rows(
            "SELECT r.id FROM observation_requests r JOIN backend_commands c ON c.request_id = r.id "
            f"AND c.kind = 'submit' AND c.state = 'done' WHERE r.requester = '{requester}' AND r.state = 'SUBMITTED' "
            f"ORDER BY r.created_us DESC LIMIT {int(limit)}")]


def quoted(names: list[str]) -> str:
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", n) for n in names)
    return ",".join(f"'{n}'" for n in names)


def wait_drained(store: Store, timeout: float) -> float:
    """Polls until no backend command is pending; the seconds it took (nan on time-out)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if store.pending_commands() == 0:
            return time.monotonic() - start
        time.sleep(0.2)
    log(f"gave up waiting for the outbox: {store.pending_commands()} commands still pending")
    return float("nan")


# ---- CPU and load --------------------------------------------------------------------------------------------------

def cpu_seconds(pid: int | None) -> float:
    """utime + stime of the process (all threads), in seconds."""
    if not pid:
        return float("nan")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """This process's CPU time plus that of its reaped children (wrk, psql)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class Usage:
    """CPU time over a phase of Essor, of the client (this process and wrk) and of the backend double, and the
    machine's load (the 2 cores may be shared: a busy neighbour lowers the rates, not the CPU cost per call)."""

    def __init__(self, pid: int | None, backend_pid: int | None):
        self.pid, self.backend_pid = pid, backend_pid
        self.cpu, self.client, self.backend = cpu_seconds(pid), own_cpu_seconds(), cpu_seconds(backend_pid)
        self.wall = time.monotonic()

    def report(self, prefix: str, work: int, unit: str) -> None:
        wall = time.monotonic() - self.wall
        cpu = cpu_seconds(self.pid) - self.cpu
        client = own_cpu_seconds() - self.client
        backend = cpu_seconds(self.backend_pid) - self.backend
        load = os.getloadavg()[0]
        cores = os.cpu_count() or 1
        log(f"{prefix}: over {wall:.1f} s essor used {cpu:.2f} CPU s ({100 * cpu / wall:.0f} % of one core, "
            f"{1e3 * cpu / work if work else float('nan'):.3f} ms per {unit}); the client {client:.2f} CPU s "
            f"({100 * client / wall:.0f} % of one core, {100 * client / (wall * cores):.0f} % of the machine); the "
            f"backend double {backend:.2f} CPU s; load average {load:.2f} on {cores} cores")
        emit(f"{prefix}_essor_cpu_ms_per_{unit}", 1e3 * cpu / work if work else float("nan"))
        emit(f"{prefix}_essor_cpu_percent_of_core", 100 * cpu / wall)
        emit(f"{prefix}_client_cpu_percent_of_core", 100 * client / wall)
        emit(f"{prefix}_client_cpu_share_percent", 100 * client / (client + cpu + (backend if backend == backend
                                                                                   else 0)))
        emit(f"{prefix}_backend_double_cpu_percent_of_core", 100 * backend / wall)
        emit(f"{prefix}_load_average", load)


# ---- phases --------------------------------------------------------------------------------------------------------

def open_gateway(args) -> Gateway:
    keys = json.loads(Path(args.keys).read_text())
    for user in (REQUESTER, BACKEND):
        if user not in keys:
            die(f"{args.keys} has no key for {user}")
    return Gateway(args.base, args.ca, keys)


def requesters(gateway: Gateway, count: int) -> list[str]:
    """The requester and bench-requester-2 … bench-requester-COUNT (the bash script creates them and their keys):
    submissions of one requester are serialised by its quota check (the users row on PostgreSQL), so several show
    what the gateway does beyond that."""
    names = [REQUESTER] + [f"bench-requester-{i}" for i in range(2, count + 1)]
    missing = [n for n in names if n not in gateway.keys]
    if missing:
        die(f"no API keys for {', '.join(missing)}")
    return names


def phase_clear(args) -> None:
    gateway = open_gateway(args)
    existing = gateway.subscriptions(REQUESTER)
    for s in existing:
        gateway.unsubscribe(s["id"])
    log(f"clear: {len(existing)} earlier subscriptions of {REQUESTER} deleted")


WRK_SCRIPT = r"""
-- Observation-request submissions (Benchmarks/requests_bench.py): distinct Idempotency-Keys per thread and call.
local body = [==[BODY]==]
local keys = {KEYS}
local headers = {["Content-Type"] = "application/json"}
local threads, counter, serial = {}, 0, 0
created, replayed, refused, failed, other = 0, 0, 0, 0, 0

function setup(thread)
    serial = serial + 1
    thread:set("tag", "RUN-" .. serial)
    table.insert(threads, thread)
end

function request()
    counter = counter + 1
    headers["Authorization"] = "Bearer " .. keys[counter % #keys + 1]
    headers["Idempotency-Key"] = tag .. "-" .. counter
    return wrk.format("POST", "/api/v1/observation-requests", headers, body)
end

function response(status, headers, body)
    if status == 201 then created = created + 1
    elseif status == 200 then replayed = replayed + 1
    elseif status == 429 or status == 409 or status == 403 then refused = refused + 1
    elseif status >= 500 then failed = failed + 1
    else other = other + 1 end
end

function done(summary, latency, requests)
    local c, r, x, f, o = 0, 0, 0, 0, 0
    for _, t in ipairs(threads) do
        c = c + t:get("created"); r = r + t:get("replayed"); x = x + t:get("refused")
        f = f + t:get("failed"); o = o + t:get("other")
    end
    local e = summary.errors
    io.write(string.format('WRK {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
        '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
        '"mean_us": %.1f, "created": %d, "replayed": %d, "refused": %d, "failed": %d, "other": %d}\n',
        summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
        c, r, x, f, o))
end
"""


def run_wrk(args, gateway: Gateway, tag: str, seconds: float, users: list[str]) -> tuple[dict, float, float]:
    """One wrk run, the submissions spread over `users` in turn: (its summary, its CPU seconds, wall seconds)."""
    body = json.dumps(request_body(0, tag))
    keys = ", ".join(json.dumps(gateway.keys[u]) for u in users)
    script = WRK_SCRIPT.replace("BODY", body).replace("KEYS", keys).replace("RUN", tag)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as out:
        out.write(script)
    try:
        before, start = own_cpu_seconds(), time.monotonic()
        done = subprocess.run([args.wrk, "-t", str(args.wrk_threads), "-c", str(args.connections), "-d",
                               f"{seconds:g}s", "--timeout", "10s", "-s", out.name, gateway.base + "/"],
                              capture_output=True, text=True)
        wall, cpu = time.monotonic() - start, own_cpu_seconds() - before
    finally:
        os.unlink(out.name)
    line = next((l for l in done.stdout.splitlines() if l.startswith("WRK ")), None)
    if done.returncode != 0 or line is None:
        die(f"wrk failed ({done.returncode}): {done.stdout[-800:]} {done.stderr[-800:]}")
    return json.loads(line[4:]), cpu, wall


def phase_throughput(args) -> None:
    """wrk: `connections` keep-alive HTTPS connections from `wrk_threads` threads, POSTing submissions with distinct
    Idempotency-Keys for `rounds` × `seconds` s; requests/s, latency, errors; then the outbox drained and each
    submitted request counted at the backend double."""
    gateway, store = open_gateway(args), Store(args.database)
    users = requesters(gateway, args.requesters)
    warm, _, _ = run_wrk(args, gateway, f"W{secrets.token_hex(3)}", 2, users)
    log(f"throughput: warm-up {warm['requests']} submissions; the outbox drains first")
    wait_drained(store, 300)
    before = store.requests_of(users)
    log(f"throughput: {args.rounds} × {args.seconds:g} s of wrk -t{args.wrk_threads} -c{args.connections}, "
        f"{len(users)} requester(s) in turn ({before} requests of theirs in the store)")
    usage = Usage(args.pid, args.backend_pid)
    t0 = time.time()
    total, rates, wrk_cpu, wrk_wall = {}, [], 0.0, 0.0
    for i in range(args.rounds):
        held = store.requests_of(users) if i else before
        result, cpu, wall = run_wrk(args, gateway, f"T{secrets.token_hex(3)}{i}", args.seconds, users)
        rate = result["requests"] / (result["duration_us"] / 1e6)
        rates.append(rate)
        wrk_cpu += cpu
        wrk_wall += wall
        errors = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
        log(f"throughput: round {i + 1}: {result['requests']} in {result['duration_us'] / 1e6:.2f} s → {rate:.0f}/s; "
            f"p50 {result['p50_us'] / 1e3:.1f} ms, p99 {result['p99_us'] / 1e3:.1f} ms, max "
            f"{result['max_us'] / 1e3:.1f} ms; 201 {result['created']}, errors {errors}; wrk used {cpu:.2f} CPU s "
            f"({100 * cpu / wall:.0f} % of one core); {held} requests of these requesters stored when it began "
            "(each submission's quota counts read its requester's)")
        emit(f"submissions_per_second_round_{i + 1}", rate)
        for key, value in result.items():
            total[key] = total.get(key, 0) + value if key not in ("p50_us", "p90_us", "p99_us", "max_us", "mean_us") \
                else max(total.get(key, 0), value)
        total.setdefault("p50s", []).append(result["p50_us"])
        total.setdefault("p99s", []).append(result["p99_us"])
    total.pop("p50_us")
    submitted = total["requests"]
    usage.report("throughput", submitted, "submission")
    after = store.requests_of(users)
    errors = sum(total[k] for k in ("connect", "read", "write", "status", "timeout"))
    rate = submitted / (total["duration_us"] / 1e6)
    log(f"throughput: {submitted} submissions in {total['duration_us'] / 1e6:.1f} s → {rate:.0f}/s (rounds "
        f"{', '.join(f'{r:.0f}' for r in rates)}/s); p50 per round {[round(p / 1e3, 1) for p in total['p50s']]} ms, "
        f"p99 per round {[round(p / 1e3, 1) for p in total['p99s']]} ms; {errors} errors ({total['status']} non-2xx: "
        f"{total['refused']} 403/409/429, {total['failed']} 5xx, {total['other']} other); the store gained "
        f"{after - before} requests (wrk saw {total['created']} 201s; the difference: calls in flight when a round "
        "ended, which wrk does not count)")
    emit("submissions_per_second", rate)
    emit("submissions_per_second_min_round", min(rates))
    emit("submissions_per_second_max_round", max(rates))
    emit("submission_p50_ms", sorted(total["p50s"])[len(rates) // 2] / 1e3)
    emit("submission_p99_ms", max(total["p99s"]) / 1e3)
    emit("submission_max_ms", total["max_us"] / 1e3)
    emit("submissions", submitted)
    emit("submission_errors", errors)
    emit("submissions_stored", after - before)
    emit("wrk_cpu_percent_of_core", 100 * wrk_cpu / wrk_wall)
    emit("wrk_connections", args.connections)
    emit("throughput_requesters", len(users))
    emit("requester_requests_stored", after)
    # the forwarder catches up: how long, and each request exactly once at the double
    drain_start = time.time()
    drained = wait_drained(store, 600)
    ids = {r[0] for r in store.rows(
        f"SELECT id FROM observation_requests WHERE requester IN ({quoted(users)}) "
        f"AND created_us >= {int(t0 * 1e6)}")}
    time.sleep(0.5)
    calls = [c for c in backend_calls(Path(args.backend_log)) if c.get("id") in ids and c.get("method") == "POST"]
    seen: dict[str, int] = {}
    for c in calls:
        seen[c["id"]] = seen.get(c["id"], 0) + 1
    arrivals = sorted(c["t"] for c in calls)
    span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else float("nan")
    forwarded_rate = (len(arrivals) - 1) / span if span and span > 0 else float("nan")
    log(f"throughput: outbox drained {drained:.1f} s after the load ended ({drain_start - t0:.0f} s after it "
        f"began); the double saw {len(seen)} of {len(ids)} requests, {sum(1 for n in seen.values() if n > 1)} "
        f"more than once; forwarding ran at {forwarded_rate:.0f}/s over {span:.1f} s")
    emit("throughput_outbox_drain_seconds", drained)
    emit("throughput_forwarded_per_second", forwarded_rate)
    emit("throughput_forwarded", len(seen))
    emit("throughput_forwarded_missing", len(ids - set(seen)))
    emit("throughput_forwarded_duplicates", sum(1 for n in seen.values() if n > 1))


def phase_forward(args) -> None:
    """`rate` submissions a second for `seconds` s (paced, keep-alive sessions); arrival at the backend double −
    the gateway's `created` and − the client's send time; each id exactly once."""
    gateway, store = open_gateway(args), Store(args.database)
    users = requesters(gateway, args.requesters)
    wait_drained(store, 300)
    count = int(round(args.rate * args.seconds))
    tag = f"F{secrets.token_hex(4)}"
    log(f"forward: {count} submissions at {args.rate:g}/s by {len(users)} requester(s) in turn")
    usage = Usage(args.pid, args.backend_pid)
    done = paced(count, args.rate, args.threads,
                 lambda i: gateway.submit(request_body(i, tag), f"{tag}-{i}", users[i % len(users)]))
    pace_report("forward", [s for _, s, _ in done], [d for _, _, d in done], args.rate, "submissions")
    ids = {r["id"]: (parse_time(r["created"]), sent) for r, sent, _ in done}
    answered = {r["id"]: sent + seconds for r, sent, seconds in done}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        calls = [c for c in backend_calls(Path(args.backend_log)) if c.get("id") in ids and c["method"] == "POST"]
        if len({c["id"] for c in calls}) >= len(ids):
            break
        time.sleep(0.2)
    time.sleep(1.0)              # a late duplicate would show up now
    calls = [c for c in backend_calls(Path(args.backend_log)) if c.get("id") in ids and c["method"] == "POST"]
    usage.report("forward", count, "submission")
    first: dict[str, float] = {}
    counts: dict[str, int] = {}
    for c in calls:
        counts[c["id"]] = counts.get(c["id"], 0) + 1
        first[c["id"]] = min(first.get(c["id"], c["t"]), c["t"])
    from_created = sorted((t - ids[i][0]) * 1e3 for i, t in first.items())
    from_sent = sorted((t - ids[i][1]) * 1e3 for i, t in first.items())
    # after the client had its 201 (the commit is done by then): the forwarder's own wake-up and call; negative when
    # the double had it before the client had its answer
    from_answer = sorted((t - answered[i]) * 1e3 for i, t in first.items())
    # the gateway's own record: the command's created_us (= the request's creation) → completed_us (acknowledged
    # and recorded, after the double's answer)
    commands = store.commands_of(list(ids))
    recorded = sorted((done_us - created) / 1e3 for created, done_us, _, _ in commands.values() if done_us)
    attempts = sum(1 for _, _, a, _ in commands.values() if a > 1)
    stored_created = sorted((created / 1e6 - ids[i][1]) * 1e3 for i, (created, _, _, _) in commands.items())
    log(summary("forward (client send → double)", from_sent))
    log(summary("forward (created → double)", from_created))
    log(summary("forward (client had its 201 → double)", from_answer))
    log(summary("forward (client send → created_us)", stored_created))
    log(summary("forward (created_us → command completed_us)", recorded))
    log(f"forward: the double saw {len(first)} of {len(ids)} requests, {sum(1 for n in counts.values() if n > 1)} "
        f"more than once; {attempts} commands took more than one attempt")
    emit("forward_from_send_p50_ms", percentile(from_sent, 50))
    emit("forward_from_send_p99_ms", percentile(from_sent, 99))
    emit("forward_from_send_max_ms", from_sent[-1] if from_sent else float("nan"))
    emit("forward_from_created_p50_ms", percentile(from_created, 50))
    emit("forward_from_created_p99_ms", percentile(from_created, 99))
    emit("forward_from_created_max_ms", from_created[-1] if from_created else float("nan"))
    emit("forward_from_answer_p50_ms", percentile(from_answer, 50))
    emit("forward_from_answer_p99_ms", percentile(from_answer, 99))
    emit("forward_command_recorded_p99_ms", percentile(recorded, 99))
    emit("forward_requests", len(ids))
    emit("forward_received_once", sum(1 for n in counts.values() if n == 1))
    emit("forward_missing", len(ids) - len(first))
    emit("forward_duplicates", sum(1 for n in counts.values() if n > 1))


def nginx_hits(path: Path, events: set[int], subscription: str) -> dict[int, float]:
    """event id → $msec of the first request carrying msg_<event>_<subscription> (log `$msec $http_webhook_id
    $status`)."""
    suffix = subscription.removeprefix("sub_")
    first: dict[int, float] = {}
    with path.open() as lines:
        for line in lines:
            parts = line.split()
            match = WEBHOOK_ID.match(parts[1]) if len(parts) >= 3 else None
            if match and match[2] == suffix and int(match[1]) in events:
                event = int(match[1])
                first[event] = min(first.get(event, float(parts[0])), float(parts[0]))
    return first


def phase_webhook(args) -> None:
    """An observation-request webhook subscription for the requester; as the backend, `rate` status updates
    (SUBMITTED → ACCEPTED) a second for `seconds` s; nginx's arrival − the status POST's send time."""
    gateway, store = open_gateway(args), Store(args.database)
    count = int(round(args.rate * args.seconds))
    wait_drained(store, 300)
    ids = store.forwarded_submitted(REQUESTER, count)
    if len(ids) < count:
        tag = f"P{secrets.token_hex(4)}"
        missing = count - len(ids)
        log(f"webhook: submitting {missing} more requests first")
        paced(missing, 1e6, args.threads, lambda i: gateway.submit(request_body(i, tag), f"{tag}-{i}"))
        wait_drained(store, 300)
        ids = store.forwarded_submitted(REQUESTER, count)
    path = f"/requests/{secrets.token_hex(4)}"
    sub = gateway.subscribe({"topic": "observation-request", "format": args.format,
                             "channel": {"type": "webhook", "url": args.receiver + path}})
    sid = sub["id"]
    time.sleep(1.0)
    log(f"webhook: subscription {sid} → {args.receiver}{path}; {count} status updates (ACCEPTED) at {args.rate:g}/s")
    usage = Usage(args.pid, args.backend_pid)
    done = paced(count, args.rate, args.threads, lambda i: (ids[i],) + gateway.status(ids[i], "ACCEPTED")[1:])
    pace_report("webhook", [s for _, s, _ in done], [d for _, _, d in done], args.rate, "status updates")
    sent = {request: s for request, s, _ in done}
    answered = {request: s + d for request, s, d in done}
    events = store.transitions(list(sent), "ACCEPTED")
    if len(events) != count:
        die(f"webhook: {count} status updates answered 200 but {len(events)} ACCEPTED transitions found")
    deadline = time.monotonic() + 120
    hits: dict[int, float] = {}
    while time.monotonic() < deadline:
        hits = nginx_hits(Path(args.nginx_log), set(events), sid)
        if len(hits) >= len(events):
            break
        time.sleep(0.5)
    usage.report("webhook", count, "status_update")
    rows = {event: (attempts, state, last, created) for event, attempts, state, last, created
            in store.deliveries_of(sid) if event in events}
    to_receiver = sorted((msec - sent[events[e][0]]) * 1e3 for e, msec in hits.items())
    from_answer = sorted((msec - answered[events[e][0]]) * 1e3 for e, msec in hits.items())
    to_transition = sorted((events[e][1] / 1e6 - sent[events[e][0]]) * 1e3 for e in events)
    to_fanout = sorted((created - events[e][1]) / 1e3 for e, (_, _, _, created) in rows.items() if created)
    to_attempt = sorted((last - created) / 1e3 for e, (a, _, last, created) in rows.items() if last and a == 1)
    retried = sum(1 for a, _, _, _ in rows.values() if a > 1)
    undelivered = sum(1 for _, state, _, _ in rows.values() if state != "delivered")
    log(summary("webhook (status POST sent → nginx)", to_receiver))
    log(summary("webhook (status POST answered → nginx)", from_answer))
    log(summary("webhook (status POST sent → transition time_us)", to_transition))
    log(summary("webhook (transition → fan-out deliveries.created_us)", to_fanout))
    log(summary("webhook (fan-out → first attempt answered)", to_attempt))
    log(f"webhook: {len(hits)} of {count} events reached nginx; {len(rows)} deliveries, {retried} retried, "
        f"{undelivered} not delivered")
    emit("webhook_p50_ms", percentile(to_receiver, 50))
    emit("webhook_p99_ms", percentile(to_receiver, 99))
    emit("webhook_max_ms", to_receiver[-1] if to_receiver else float("nan"))
    emit("webhook_from_answer_p99_ms", percentile(from_answer, 99))
    emit("webhook_transition_p99_ms", percentile(to_transition, 99))
    emit("webhook_fanout_p99_ms", percentile(to_fanout, 99))
    emit("webhook_attempt_p99_ms", percentile(to_attempt, 99))
    emit("webhook_status_updates", count)
    emit("webhook_missing", count - len(hits))
    gateway.unsubscribe(sid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="phase", required=True)
    policy = sub.add_parser("policy")
    policy.add_argument("source")
    policy.add_argument("target")
    backend = sub.add_parser("backend")
    backend.add_argument("--port", type=int, required=True)
    backend.add_argument("--cert", required=True)
    backend.add_argument("--key", required=True)
    backend.add_argument("--ca", required=True)
    backend.add_argument("--log", required=True)

    def common(name: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name)
        p.add_argument("--base", required=True)
        p.add_argument("--ca", required=True)
        p.add_argument("--keys", required=True)
        p.add_argument("--database", default="")
        p.add_argument("--format", default="json", choices=["json", "kvn", "xml"])
        p.add_argument("--threads", type=int, default=8)
        p.add_argument("--pid", type=int, default=None, help="essor serve's pid (CPU time)")
        p.add_argument("--backend-pid", type=int, default=None, help="the backend double's pid (CPU time)")
        p.add_argument("--requesters", type=int, default=1, help="submit as this many requesters in turn")
        return p

    common("clear")
    p = common("throughput")
    p.add_argument("--wrk", required=True)
    p.add_argument("--backend-log", required=True)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--wrk-threads", type=int, default=2)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--rounds", type=int, default=3)
    p = common("forward")
    p.add_argument("--backend-log", required=True)
    p.add_argument("--rate", type=float, default=50)
    p.add_argument("--seconds", type=float, default=20)
    p = common("webhook")
    p.add_argument("--receiver", required=True)
    p.add_argument("--nginx-log", required=True)
    p.add_argument("--rate", type=float, default=50)
    p.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    if args.phase == "policy":
        write_policy(Path(args.source), Path(args.target))
        return
    if args.phase == "backend":
        try:
            asyncio.run(serve_backend(args))
        except KeyboardInterrupt:
            pass
        return
    {"clear": phase_clear, "throughput": phase_throughput, "forward": phase_forward,
     "webhook": phase_webhook}[args.phase](args)


if __name__ == "__main__":
    main()
