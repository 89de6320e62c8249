#!/usr/bin/env python3
"""The client side of Benchmarks/run-push-bench (issue 10, "Performance"): subscriptions, paced CDM ingest as the
backend, and the figures, read from the store (the `deliveries`, `feed_events` and `products` tables of migration 6;
times in microseconds), from the receiving nginx's access log and from `/metrics`.

    push_bench.py policy SRC DST
    push_bench.py clear        --base URL --ca CA --keys KEYS [--user operator-a]
    push_bench.py latency      COMMON --receiver URL --nginx-log LOG [--rate 100 --seconds 30]
    push_bench.py sftp         COMMON --sftp-url URL --sftp-user U --host-key FP --authorized FILE --inbox DIR [--count 500]
    push_bench.py fanout       COMMON --receiver URL --nginx-log LOG [--subscriptions 1000 --events 5]
    push_bench.py memory       COMMON --pid PID [--seconds 600 --rate R --interval 10]

COMMON = --base https://127.0.0.1:PORT --ca certs/ca.pem --keys keys.json --database sqlite:PATH|postgres://…
Each phase prints `key=value` lines on standard output (the bash script collects them) and its story on standard
error. Only the Python standard library, `requests` and PyYAML (the repository's .venv) are used; PostgreSQL is read
with `psql`.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import math
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

OWNER = "operator-a"          # subscribes (topic cdm)
BACKEND = "backend"           # ingests through POST /internal/v1/products
OWNED_OBJECT = 90003          # operator-a's (restricted): operator-a may read every CDM that names it
SUBSCRIPTION_ID = re.compile(r"^sub_[0-9a-f]{16}$")


def log(message: str) -> None:
    print(f"push_bench: {message}", file=sys.stderr, flush=True)


def emit(key: str, value) -> None:
    if isinstance(value, float):
        value = f"{value:.1f}" if abs(value) >= 100 else f"{value:.3f}"
    print(f"{key}={value}", flush=True)


def die(message: str) -> None:
    log(message)
    sys.exit(1)


# ---- the policy: the default one without request quotas -----------------------------------------------------------

def write_policy(source: Path, target: Path) -> None:
    """policies/default.yaml with every requests_per_minute / requests_per_day lifted (the defaults' 600/min and
    subscribe:cdm's 30/min and 1,000/day would turn the runs into 429 benchmarks; 1,000 creations a run)."""
    import yaml
    document = yaml.safe_load(source.read_text())
    lifted = 0

    def lift(quotas: dict | None) -> None:
        nonlocal lifted
        if not quotas:
            return
        for key, value in (("requests_per_minute", 1_000_000_000), ("requests_per_day", 1_000_000_000)):
            if key in quotas:
                quotas[key] = value
                lifted += 1

    lift((document.get("defaults") or {}).get("quotas"))
    for rule in document.get("rules") or []:
        lift(rule.get("quotas"))
    if lifted == 0:
        die(f"{source}: no request quotas found to lift (the policy's layout changed?)")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(document, sort_keys=False))
    log(f"policy: {lifted} request quotas lifted in {target}")


# ---- the gateway ---------------------------------------------------------------------------------------------------

class Gateway:
    def __init__(self, base: str, ca: str, keys: dict[str, str]):
        self.base = base.rstrip("/")
        self.ca = ca
        self.keys = keys
        self.local = threading.local()

    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
            self.local.session.verify = self.ca
        return self.local.session

    def request(self, method: str, path: str, user: str, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        headers["Authorization"] = f"Bearer {self.keys[user]}"
        # verify= on each call: a session's own `verify` loses to REQUESTS_CA_BUNDLE in the environment
        return self.session().request(method, self.base + path, headers=headers, timeout=120, verify=self.ca,
                                      **kwargs)

    def metrics(self) -> str:
        response = self.session().get(self.base + "/metrics", timeout=30, verify=self.ca)
        if response.status_code != 200:
            die(f"GET /metrics → {response.status_code}: {response.text[:300]}")
        return response.text

    def delivered_counter(self, channel: str) -> float:
        """essor_deliveries_total{channel=…, outcome="delivered"} (0 when absent)."""
        total = 0.0
        for line in self.metrics().splitlines():
            if line.startswith("essor_deliveries_total{") and f'channel="{channel}"' in line \
                    and 'outcome="delivered"' in line:
                total += float(line.rsplit(" ", 1)[1])
        return total

    def gauge(self, name: str) -> float | None:
        for line in self.metrics().splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
        return None

    # -- subscriptions --
    def subscribe(self, body: dict, user: str = OWNER) -> dict:
        response = self.request("POST", "/api/v1/subscriptions", user, json=body)
        if response.status_code != 201:
            die(f"POST /api/v1/subscriptions {json.dumps(body)[:300]} → {response.status_code}: {response.text[:600]}")
        created = response.json()
        if not SUBSCRIPTION_ID.match(created.get("id", "")):
            die(f"subscription without a proper id: {created}")
        return created

    def unsubscribe(self, sid: str, user: str = OWNER) -> None:
        response = self.request("DELETE", f"/api/v1/subscriptions/{sid}", user)
        if response.status_code not in (204, 404):
            die(f"DELETE {sid} → {response.status_code}: {response.text[:300]}")

    def subscriptions(self, user: str = OWNER) -> list[dict]:
        items, cursor = [], None
        for _ in range(10_000):
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
        die("more than 10,000 pages of subscriptions")
        return items

    # -- ingest --
    def ingest(self, other: int, tag: str) -> tuple[dict, float, float]:
        """A new CDM between operator-a's object and `other`, stored as the backend; (summary, sent at (wall),
        request seconds)."""
        text = make_cdm(OWNED_OBJECT, other, message_id=f"{tag}-{uuid.uuid4().hex[:12].upper()}")
        sent = time.time()
        start = time.perf_counter()
        response = self.request("POST", "/internal/v1/products", BACKEND, data=text.encode(),
                                headers={"Content-Type": "text/plain"})
        seconds = time.perf_counter() - start
        if response.status_code != 201:
            die(f"ingest → {response.status_code}: {response.text[:400]}")
        return response.json(), sent, seconds


def epoch(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


COVARIANCE = [
    "CR_R = 4.142E+01 [m**2]", "CT_R = -8.579E+00 [m**2]", "CT_T = 2.533E+03 [m**2]",
    "CN_R = -2.313E+01 [m**2]", "CN_T = 1.336E+01 [m**2]", "CN_N = 7.098E+01 [m**2]",
    "CRDOT_R = 2.520E-03 [m**2/s]", "CRDOT_T = -5.476E+00 [m**2/s]", "CRDOT_N = 8.626E-04 [m**2/s]",
    "CRDOT_RDOT = 5.744E-03 [m**2/s**2]", "CTDOT_R = -1.006E-02 [m**2/s]", "CTDOT_T = 4.041E-03 [m**2/s]",
    "CTDOT_N = -1.359E-03 [m**2/s]", "CTDOT_RDOT = -1.502E-05 [m**2/s**2]", "CTDOT_TDOT = 1.049E-05 [m**2/s**2]",
    "CNDOT_R = 1.053E-03 [m**2/s]", "CNDOT_T = -3.412E-03 [m**2/s]", "CNDOT_N = 1.213E-02 [m**2/s]",
    "CNDOT_RDOT = -3.004E-06 [m**2/s**2]", "CNDOT_TDOT = -1.091E-06 [m**2/s**2]",
    "CNDOT_NDOT = 5.529E-05 [m**2/s**2]",
]


def make_cdm(object1: int, object2: int, *, message_id: str, miss: float = 150.0, pc: float = 2.5e-4) -> str:
    """A CDM 1.0 KVN with the obligatory keywords (the shape of Tests/oracles/test_gateway_products.make_cdm); a
    unique MESSAGE_ID makes unique bytes, so each one is a new product and a new feed event."""
    tca = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=1, seconds=secrets.randbelow(86400))
    lines = [
        "CCSDS_CDM_VERS = 1.0",
        "COMMENT Synthetic benchmark conjunction (Benchmarks/push_bench.py)",
        f"CREATION_DATE = {epoch(tca - timedelta(days=1))}",
        "ORIGINATOR = ESSOR-BENCH",
        f"MESSAGE_ID = {message_id}",
        f"TCA = {epoch(tca)}",
        f"MISS_DISTANCE = {miss:.1f} [m]",
        f"COLLISION_PROBABILITY = {pc:.3e}",
        "COLLISION_PROBABILITY_METHOD = FOSTER-1992",
        "",
    ]
    for name, norad, sign in (("OBJECT1", object1, 1.0), ("OBJECT2", object2, -1.0)):
        lines += [
            f"OBJECT = {name}",
            f"OBJECT_DESIGNATOR = {norad}",
            "CATALOG_NAME = SATCAT",
            f"OBJECT_NAME = SYNTH {norad}",
            f"INTERNATIONAL_DESIGNATOR = 2056-{norad % 1000:03d}A",
            "EPHEMERIS_NAME = NONE",
            "COVARIANCE_METHOD = CALCULATED",
            f"MANEUVERABLE = {'YES' if name == 'OBJECT1' else 'NO'}",
            "REF_FRAME = EME2000",
            "X = 2570.097065 [km]",
            "Y = 2244.654904 [km]",
            f"Z = {6281.497978 + sign * miss / 2000:.6f} [km]",
            f"X_DOT = {sign * 4.418769571:.9f} [km/s]",
            f"Y_DOT = {sign * 4.833547743:.9f} [km/s]",
            "Z_DOT = -3.526774282 [km/s]",
            *COVARIANCE,
            "",
        ]
    return "\n".join(lines)


def other_object(i: int) -> int:
    """A public catalogue debris object (90600–91090) as the CDM's second object."""
    return 90600 + i % 491


def paced_ingest(gateway: Gateway, count: int, rate: float | None, tag: str, threads: int = 8,
                 stop: threading.Event | None = None) -> list[tuple[dict, float, float]]:
    """`count` CDMs, the i-th sent at t0 + i/rate (as fast as `threads` allow when rate is None); returns
    (summary, sent, seconds) in sending order. Stops early when `stop` is set."""
    start = time.monotonic() + 0.2
    results: list[tuple[dict, float, float] | None] = [None] * count

    def one(i: int) -> None:
        if stop is not None and stop.is_set():
            return
        if rate:
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        if stop is not None and stop.is_set():
            return
        results[i] = gateway.ingest(other_object(i), tag)

    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        for future in [pool.submit(one, i) for i in range(count)]:
            future.result()
    return [r for r in results if r is not None]


def ingest_report(prefix: str, done: list[tuple[dict, float, float]], rate: float | None) -> None:
    if not done:
        return
    sent = sorted(s for _, s, _ in done)
    span = sent[-1] - sent[0]
    achieved = (len(sent) - 1) / span if span > 0 else float("nan")
    seconds = sorted(s for _, _, s in done)
    log(f"{prefix}: {len(done)} CDMs ingested over {span:.1f} s ({achieved:.1f}/s"
        f"{f', asked {rate:g}/s' if rate else ''}); POST p50 {percentile(seconds, 50) * 1e3:.1f} ms, "
        f"p99 {percentile(seconds, 99) * 1e3:.1f} ms, max {seconds[-1] * 1e3:.1f} ms")
    emit(f"{prefix}_ingest_per_second", achieved)
    emit(f"{prefix}_ingest_request_p99_ms", percentile(seconds, 99) * 1e3)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted `values`."""
    if not values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(values)))
    return values[min(rank, len(values)) - 1]


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

    def events_of(self, product_ids: list[str]) -> dict[int, tuple[int, int, int]]:
        """event id → (product id, feed time_us, product received_us) of the products' `product.stored` events."""
        found: dict[int, tuple[int, int, int]] = {}
        ids = [int(p) for p in product_ids]
        for chunk in range(0, len(ids), 500):
            part = ",".join(str(i) for i in ids[chunk:chunk + 500])
            for event, product, time_us, received_us in self.rows(
                    "SELECT e.id, e.product_id, e.time_us, p.received_us FROM feed_events e "
                    f"JOIN products p ON p.id = e.product_id WHERE e.product_id IN ({part})"):
                found[int(event)] = (int(product), int(time_us), int(received_us))
        return found

    def delivery_states(self, low: int, high: int, subscription: str | None = None) -> dict[str, tuple[int, int, int]]:
        """state → (count, min last_attempt_us, max last_attempt_us) of the deliveries of events low…high."""
        where = f"event_id BETWEEN {int(low)} AND {int(high)}"
        if subscription:
            assert SUBSCRIPTION_ID.match(subscription)
            where += f" AND subscription_id = '{subscription}'"
        rows = self.rows("SELECT state, count(*), min(last_attempt_us), max(last_attempt_us) FROM deliveries "
                         f"WHERE {where} GROUP BY state")
        return {state: (int(n), first, last) for state, n, first, last in rows}

    def deliveries_of(self, subscription: str) -> list[tuple]:
        """(event id, attempts, state, last_attempt_us, created_us) of one subscription's deliveries."""
        assert SUBSCRIPTION_ID.match(subscription)
        return self.rows("SELECT event_id, attempts, state, last_attempt_us, created_us FROM deliveries "
                         f"WHERE subscription_id = '{subscription}'")

    def open_deliveries(self) -> int:
        return int(self.rows("SELECT count(*) FROM deliveries WHERE state IN ('pending', 'failed')")[0][0])


def wait_delivered(store: Store, low: int, high: int, expected: int, timeout: float, subscription: str | None = None,
                   stall: float = 60.0) -> dict[str, tuple[int, int, int]]:
    """Polls until `expected` deliveries of events low…high are delivered (or dead), or nothing moved for `stall` s."""
    deadline = time.monotonic() + timeout
    last_progress, last_seen = time.monotonic(), -1
    while True:
        states = store.delivery_states(low, high, subscription)
        done = states.get("delivered", (0, None, None))[0] + states.get("dead", (0, None, None))[0]
        if done >= expected:
            return states
        if done != last_seen:
            last_seen, last_progress = done, time.monotonic()
        now = time.monotonic()
        if now >= deadline or now - last_progress > stall:
            log(f"gave up waiting: {done} of {expected} deliveries done ({states})")
            return states
        time.sleep(0.5)


# ---- the receiving nginx's access log ----------------------------------------------------------------------------

WEBHOOK_ID = re.compile(r"^msg_(\d+)_([0-9a-f]{16})$")


def nginx_hits(path: Path, events: set[int] | None = None, subscription: str | None = None) \
        -> list[tuple[float, int, str, int]]:
    """(msec, event id, subscription hex, status) of the access log's webhook requests (log_format
    `$msec $http_webhook_id $status`), filtered by event ids and subscription."""
    suffix = subscription.removeprefix("sub_") if subscription else None
    hits = []
    with path.open() as lines:
        for line in lines:
            parts = line.split()
            if len(parts) < 3:
                continue
            match = WEBHOOK_ID.match(parts[1])
            if not match:
                continue
            event, sub = int(match[1]), match[2]
            if events is not None and event not in events:
                continue
            if suffix is not None and sub != suffix:
                continue
            hits.append((float(parts[0]), event, sub, int(parts[2])))
    return hits


# ---- phases --------------------------------------------------------------------------------------------------------

def open_gateway(args) -> Gateway:
    keys = json.loads(Path(args.keys).read_text())
    for user in (OWNER, BACKEND):
        if user not in keys:
            die(f"{args.keys} has no key for {user}")
    return Gateway(args.base, args.ca, keys)


def phase_clear(args) -> None:
    gateway = open_gateway(args)
    existing = gateway.subscriptions(OWNER)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda s: gateway.unsubscribe(s["id"]), existing))
    log(f"clear: {len(existing)} earlier subscriptions of {OWNER} deleted")


def phase_latency(args) -> None:
    """One webhook subscription; `rate` CDMs a second for `seconds` s; first attempt − commit."""
    gateway, store = open_gateway(args), Store(args.database)
    path = f"/latency/{uuid.uuid4().hex[:8]}"
    sub = gateway.subscribe({"topic": "cdm", "format": args.format, "channel": {"type": "webhook",
                                                                               "url": args.receiver + path}})
    sid = sub["id"]
    count = int(round(args.rate * args.seconds))
    usage = Usage(args.pid)
    log(f"latency: subscription {sid} → {args.receiver}{path}; ingesting {count} CDMs at {args.rate:g}/s")
    done = paced_ingest(gateway, count, args.rate, "BENCH-LATENCY", threads=args.threads)
    ingest_report("latency", done, args.rate)
    events = store.events_of([s["id"] for s, _, _ in done])
    if len(events) != len(done):
        die(f"latency: {len(done)} CDMs stored but {len(events)} feed events found")
    low, high = min(events), max(events)
    wait_delivered(store, low, high, len(events), timeout=120 + args.seconds, subscription=sid)
    rows = [r for r in store.deliveries_of(sid) if r[0] in events]
    first_attempts = [(event, last) for event, attempts, state, last, _ in rows if attempts == 1 and last]
    retried = sum(1 for _, attempts, _, _, _ in rows if attempts > 1)
    undelivered = sum(1 for _, _, state, _, _ in rows if state != "delivered")
    # (1) the gateway's own record: deliveries.last_attempt_us of deliveries attempted once (= their first attempt,
    #     stamped when the attempt finished) − feed_events.time_us (= products.received_us, stamped when the ingest
    #     request was handled, just before the write transaction that commits product and event).
    lat_store = sorted((last - events[event][1]) / 1e3 for event, last in first_attempts)
    # (2) the receiver's view: nginx's $msec of the first request carrying the event's webhook-id − the same feed time.
    first_hit: dict[int, float] = {}
    for msec, event, _, _ in nginx_hits(Path(args.nginx_log), set(events), sid):
        first_hit[event] = min(first_hit.get(event, msec), msec)
    lat_nginx = sorted((msec * 1e3 - events[event][1] / 1e3) for event, msec in first_hit.items())
    # the fan-out's share: deliveries.created_us (the fan-out transaction's time) − feed time
    lat_fanout = sorted((created - events[event][1]) / 1e3 for event, _, _, _, created in rows if created)
    same = sum(1 for product, t, r in events.values() if t == r)
    log(f"latency: {len(rows)} deliveries, {len(first_attempts)} attempted once, {retried} retried, "
        f"{undelivered} not delivered; feed_events.time_us == products.received_us for {same}/{len(events)}")
    for name, values in (("store", lat_store), ("receiver", lat_nginx), ("fanout", lat_fanout)):
        if values:
            log(f"latency ({name}): n={len(values)} p50 {percentile(values, 50):.1f} ms, p90 "
                f"{percentile(values, 90):.1f} ms, p99 {percentile(values, 99):.1f} ms, max {values[-1]:.1f} ms")
    emit("commit_to_first_attempt_p50_ms", percentile(lat_store, 50))
    emit("commit_to_first_attempt_p99_ms", percentile(lat_store, 99))
    emit("commit_to_first_attempt_max_ms", lat_store[-1] if lat_store else float("nan"))
    emit("commit_to_receiver_p50_ms", percentile(lat_nginx, 50))
    emit("commit_to_receiver_p99_ms", percentile(lat_nginx, 99))
    emit("commit_to_fanout_p99_ms", percentile(lat_fanout, 99))
    usage.report("latency", len(events), "event")
    emit("latency_events", len(events))
    emit("latency_undelivered", undelivered)
    gateway.unsubscribe(sid)


def phase_sftp(args) -> None:
    """One SFTP subscription to the local sshd; `count` CDMs ingested back to back; files/s."""
    gateway, store = open_gateway(args), Store(args.database)
    inbox = Path(args.inbox)
    sub = gateway.subscribe({"topic": "cdm", "format": args.format, "channel": {
        "type": "sftp", "url": args.sftp_url, "username": args.sftp_user, "host_key_sha256": args.host_key}})
    sid, key = sub["id"], sub.get("ssh_public_key", "")
    if not key.startswith("ssh-"):
        die(f"sftp: the subscription has no ssh_public_key: {sub}")
    with open(args.authorized, "a") as out:
        out.write(key + "\n")
    log(f"sftp: subscription {sid} → {args.sftp_url} as {args.sftp_user}; ingesting {args.count} CDMs")
    t0 = time.time()
    usage = Usage(args.pid)
    done = paced_ingest(gateway, args.count, None, "BENCH-SFTP", threads=args.threads)
    ingest_report("sftp", done, None)
    events = store.events_of([s["id"] for s, _, _ in done])
    states = wait_delivered(store, min(events), max(events), len(events), timeout=600, subscription=sid)
    delivered = states.get("delivered", (0, None, None))
    files = [p for p in inbox.iterdir() if p.is_file()]
    finals = [p for p in files if not p.name.startswith(".")]
    parts = [p for p in files if p.name.startswith(".")]
    mtimes = sorted(p.stat().st_mtime for p in finals)
    n, first, last = delivered
    rate = (n - 1) / ((last - first) / 1e6) if n > 1 and last > first else float("nan")
    rate_files = (len(mtimes) - 1) / (mtimes[-1] - mtimes[0]) if len(mtimes) > 1 and mtimes[-1] > mtimes[0] \
        else float("nan")
    log(f"sftp: {n} delivered of {len(events)} ({states}); {len(finals)} files in {inbox}, {len(parts)} hidden "
        f"(.part) left; first→last delivered attempt {((last or 0) - (first or 0)) / 1e6:.2f} s; "
        f"first→last file mtime {mtimes[-1] - mtimes[0] if mtimes else 0:.2f} s; "
        f"ingest start→last file {(mtimes[-1] - t0) if mtimes else 0:.2f} s")
    usage.report("sftp", n, "file")
    emit("sftp_files_per_second", rate)
    emit("sftp_files_per_second_by_mtime", rate_files)
    emit("sftp_files", len(finals))
    emit("sftp_undelivered", len(events) - n)
    gateway.unsubscribe(sid)


def create_subscriptions(gateway: Gateway, count: int, receiver: str, fmt: str, threads: int) -> list[str]:
    def one(i: int) -> str:
        return gateway.subscribe({"topic": "cdm", "format": fmt,
                                  "channel": {"type": "webhook", "url": f"{receiver}/hook/{i}"}})["id"]
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=threads) as pool:
        ids = list(pool.map(one, range(count)))
    seconds = time.perf_counter() - start
    log(f"fanout: {count} webhook subscriptions created in {seconds:.1f} s ({count / seconds:.0f}/s), none refused")
    return ids


def phase_fanout(args) -> None:
    """`subscriptions` webhook subscriptions to nginx; `events` CDMs back to back; deliveries/s."""
    gateway, store = open_gateway(args), Store(args.database)
    ids = create_subscriptions(gateway, args.subscriptions, args.receiver, args.format, args.threads)
    Path(args.save).write_text(json.dumps(ids))
    counter_before = gateway.delivered_counter("webhook")
    expected = args.subscriptions * args.events
    usage = Usage(args.pid)
    log(f"fanout: ingesting {args.events} CDMs naming {OWNED_OBJECT} → {expected} deliveries expected")
    done = paced_ingest(gateway, args.events, None, "BENCH-FANOUT", threads=1)
    committed = [sent + seconds for _, sent, seconds in done]
    events = store.events_of([s["id"] for s, _, _ in done])
    low, high = min(events), max(events)
    states = wait_delivered(store, low, high, expected, timeout=600)
    n, first, last = states.get("delivered", (0, None, None))
    others = {k: v[0] for k, v in states.items() if k != "delivered"}
    span = (last - first) / 1e6 if n > 1 else float("nan")
    rate = n / span if span and span > 0 else float("nan")
    first_feed = min(t for _, t, _ in events.values()) / 1e6
    end_to_end = n / (last / 1e6 - first_feed) if n else float("nan")
    usage.report("fanout", n, "delivery")
    time.sleep(1.0)
    counter_delta = gateway.delivered_counter("webhook") - counter_before
    hits = nginx_hits(Path(args.nginx_log), set(events))
    statuses: dict[int, int] = {}
    for *_, status in hits:
        statuses[status] = statuses.get(status, 0) + 1
    hit_span = max(h[0] for h in hits) - min(h[0] for h in hits) if len(hits) > 1 else float("nan")
    log(f"fanout: {n} delivered of {expected} (other states: {others or 'none'}); first→last delivered attempt "
        f"{span:.3f} s → {rate:.0f}/s; first feed time→last attempt {last / 1e6 - first_feed:.3f} s → "
        f"{end_to_end:.0f}/s; ingest took {max(committed) - min(s for _, s, _ in done):.3f} s")
    log(f"fanout: nginx saw {len(hits)} requests for these events over {hit_span:.3f} s "
        f"({len(hits) / hit_span if hit_span and hit_span > 0 else float('nan'):.0f}/s), statuses {statuses}; "
        f"essor_deliveries_total{{channel=webhook,outcome=delivered}} +{counter_delta:.0f}")
    emit("webhook_deliveries_per_second", rate)
    emit("webhook_deliveries_per_second_end_to_end", end_to_end)
    emit("webhook_deliveries_per_second_receiver", len(hits) / hit_span if hit_span and hit_span > 0 else float("nan"))
    emit("webhook_deliveries", n)
    emit("webhook_deliveries_expected", expected)
    emit("webhook_metric_delivered_delta", int(counter_delta))


def cpu_seconds(pid: int | None) -> float:
    """utime + stime of the process (all threads), in seconds."""
    if not pid:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Usage:
    """Essor's CPU time and the machine's load over a phase (the 2 cores are shared: a busy neighbour lowers the
    rates, not the CPU cost per delivery)."""

    def __init__(self, pid: int | None):
        self.pid, self.cpu, self.wall = pid, cpu_seconds(pid), time.monotonic()

    def report(self, prefix: str, work: int, unit: str) -> None:
        cpu, wall = cpu_seconds(self.pid) - self.cpu, time.monotonic() - self.wall
        load = os.getloadavg()[0]
        log(f"{prefix}: essor used {cpu:.2f} CPU s over {wall:.1f} s ({100 * cpu / wall:.0f} % of one core); "
            f"{1e3 * cpu / work if work else float('nan'):.3f} CPU ms per {unit}; load average {load:.2f} "
            f"on {os.cpu_count()} cores")
        emit(f"{prefix}_essor_cpu_ms_per_{unit}", 1e3 * cpu / work if work else float("nan"))
        emit(f"{prefix}_load_average", load)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    die(f"no VmRSS for pid {pid}")
    return 0


def phase_memory(args) -> None:
    """The subscriptions of the fan-out phase stay; `rate` CDMs a second for `seconds` s; VmRSS every `interval` s."""
    gateway, store = open_gateway(args), Store(args.database)
    subscriptions = len(gateway.subscriptions(OWNER))
    count = int(args.rate * args.seconds)
    log(f"memory: {subscriptions} subscriptions, {args.rate:g} CDM/s for {args.seconds} s "
        f"(≈ {args.rate * subscriptions:.0f} deliveries/s); VmRSS of pid {args.pid} every {args.interval} s")
    counter_before = gateway.delivered_counter("webhook")
    usage = Usage(args.pid)
    stop = threading.Event()
    result: list = []
    ingest = threading.Thread(target=lambda: result.extend(
        paced_ingest(gateway, count, args.rate, "BENCH-MEMORY", threads=2, stop=stop)), daemon=True)
    start = time.monotonic()
    ingest.start()
    samples: list[tuple[float, int]] = []
    try:
        while True:
            elapsed = time.monotonic() - start
            kib = rss_kib(args.pid)
            samples.append((elapsed, kib))
            depth = gateway.gauge("essor_delivery_queue_depth")
            log(f"memory: t={elapsed:5.0f} s VmRSS {kib / 1024:7.1f} MiB, queue depth {depth}")
            if elapsed >= args.seconds:
                break
            time.sleep(max(0.0, start + len(samples) * args.interval - time.monotonic()))
    finally:
        stop.set()
        ingest.join(timeout=60)
    delivered = gateway.delivered_counter("webhook") - counter_before
    usage.report("memory", int(delivered), "delivery")
    open_now = store.open_deliveries()
    values = [k for _, k in samples]
    low, high, first, last = min(values), max(values), values[0], values[-1]
    spread = 100 * (high - low) / (high + low)          # ± around the midpoint of min and max
    drift = 100 * (last - first) / first
    log(f"memory: {len(samples)} samples: min {low / 1024:.1f} MiB, max {high / 1024:.1f} MiB, first "
        f"{first / 1024:.1f} MiB, last {last / 1024:.1f} MiB → ±{spread:.1f} % around the midpoint, first→last "
        f"{drift:+.1f} %; {len(result)} CDMs ingested, {delivered:.0f} webhook deliveries, {open_now} still open")
    emit("rss_min_mib", low / 1024)
    emit("rss_max_mib", high / 1024)
    emit("rss_first_mib", first / 1024)
    emit("rss_last_mib", last / 1024)
    emit("rss_spread_percent", spread)
    emit("rss_drift_percent", drift)
    emit("rss_samples", len(samples))
    emit("memory_events_per_second", args.rate)
    emit("memory_deliveries", int(delivered))
    emit("memory_open_deliveries_at_end", open_now)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="phase", required=True)
    policy = sub.add_parser("policy")
    policy.add_argument("source")
    policy.add_argument("target")

    def common(name: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name)
        p.add_argument("--base", required=True)
        p.add_argument("--ca", required=True)
        p.add_argument("--keys", required=True)
        p.add_argument("--database", default="")
        p.add_argument("--format", default="json", choices=["json", "kvn", "xml"])
        p.add_argument("--threads", type=int, default=4)
        p.add_argument("--pid", type=int, default=None, help="essor serve's pid (CPU time, RSS)")
        return p

    common("clear")
    p = common("latency")
    p.add_argument("--receiver", required=True)
    p.add_argument("--nginx-log", required=True)
    p.add_argument("--rate", type=float, default=100)
    p.add_argument("--seconds", type=float, default=30)
    p.set_defaults(threads=8)
    p = common("sftp")
    p.add_argument("--sftp-url", required=True)
    p.add_argument("--sftp-user", required=True)
    p.add_argument("--host-key", required=True)
    p.add_argument("--authorized", required=True)
    p.add_argument("--inbox", required=True)
    p.add_argument("--count", type=int, default=500)
    p.set_defaults(format="kvn")
    p = common("fanout")
    p.add_argument("--receiver", required=True)
    p.add_argument("--nginx-log", required=True)
    p.add_argument("--subscriptions", type=int, default=1000)
    p.add_argument("--events", type=int, default=5)
    p.add_argument("--save", required=True)
    p = common("memory")
    p.add_argument("--seconds", type=float, default=600)
    p.add_argument("--rate", type=float, default=1.0)
    p.add_argument("--interval", type=float, default=10)
    args = parser.parse_args()
    if args.phase == "policy":
        write_policy(Path(args.source), Path(args.target))
        return
    {"clear": phase_clear, "latency": phase_latency, "sftp": phase_sftp, "fanout": phase_fanout,
     "memory": phase_memory}[args.phase](args)


if __name__ == "__main__":
    main()
