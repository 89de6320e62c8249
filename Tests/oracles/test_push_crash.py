"""The crash loop (issue 10, "Truth"): kill -9 the gateway at random moments while CDM events fan out to three
webhook receivers, then let it drain.

Three subscriptions to `cdm` (operator-a, operator-b, admin: the policy gives each a different set), each to its own
HTTPS receiver that verifies every signature (standardwebhooks + svix). The backend ingests EVENTS new CDMs (a
quarter operator-a's objects only, a quarter operator-b's, a quarter both, a quarter neither) from two threads while
the gateway runs; after a random 0.2–2.5 s it is killed with SIGKILL and restarted on the same database with
`--delivery-lease-seconds 2`, KILLS times; submissions cut by a kill are sent again (the same bytes: the same
product). Then the last server ingests what is left and drains. Afterwards:
- every (event, subscription) pair the subscriber may see was delivered at least once;
- every delivery of a pair carries the same `webhook-id`, `msg_<event id>_<16 hex of the subscription>`, and two
  pairs never share one;
- nothing was delivered to a subscriber who may not see it (the policy model of test_gateway_products.py, which
  test_push_webhooks.py checks against the listings).
On SQLite (a copy of the seeded database) and on PostgreSQL (a fresh schema of ESSOR_TEST_POSTGRES_URL, seeded;
skipped locally without it, a failure with CI=true).

Budget: the whole file must run in ≈ 6 min on 2 cores with a debug build. EVENTS and KILLS are the issue's 2,000 and
50, not scaled down: measured here (2 cores, debug build, other builds running) SQLite 101 s, PostgreSQL 135 s, the
file 4 min 10 s; a restart takes 0.1–0.2 s. ESSOR_PUSH_CRASH_EVENTS / ESSOR_PUSH_CRASH_KILLS override them for a
quick local run, ESSOR_PUSH_CRASH_SEED fixes the kill moments.
"""

from __future__ import annotations

import json
import os
import queue
import random
import threading
import time
import uuid
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from gateway import Gateway, GatewayServer, Seed, ci, copy_database
from push import (  # noqa: F401 (push_binary: a fixture)
    Receiver, feed_events, feed_head, push_binary, push_flags, push_policy, subscribe_webhook, webhook_id,
)
from test_gateway_products import _psql, base_time, can_read_cdm, make_cdm

pytestmark = pytest.mark.usefixtures("push_binary")

EVENTS = int(os.environ.get("ESSOR_PUSH_CRASH_EVENTS", "2000"))
KILLS = int(os.environ.get("ESSOR_PUSH_CRASH_KILLS", "50"))
DRAIN_TIMEOUT = float(os.environ.get("ESSOR_PUSH_CRASH_DRAIN_SECONDS", "150"))
SUBSCRIBERS = ("operator-a", "operator-b", "admin")
LEASE = ["--delivery-lease-seconds", "2"]


def crash_cdms(count: int) -> list[tuple[str, list[int]]]:
    """(KVN, NORAD ids) of `count` distinct CDMs: operator-a's objects, operator-b's, both, neither, in turn."""
    start = base_time() + timedelta(days=5)
    run = uuid.uuid4().hex[:8].upper()
    out = []
    for i in range(count):
        public = 90021 + (i * 7) % 1000
        pair = [(90001 + i % 10, public),
                (90011 + i % 10, public),
                (90001 + i % 10, 90011 + (i // 4) % 10),
                (public, 90021 + (public + 13 - 90021) % 1000)][i % 4]
        text = make_cdm(pair[0], pair[1], tca=start + timedelta(seconds=37 * i), message_id=f"CRASH-{run}-{i:05d}",
                        pc=1e-6 + i * 1e-9, miss=100.0 + i % 500)
        out.append((text, [pair[0], pair[1]]))
    return out


class Engine:
    """Starts `essor serve` with the push flags on one database, again and again."""

    def __init__(self, essor, pki, folder: Path, database_url: str, keys: dict[str, str], policies: Path,
                 database_file: Path | None):
        self.essor, self.pki, self.folder, self.url, self.keys = essor, pki, folder, database_url, keys
        self.policies, self.database_file = policies, database_file
        self.count = 0
        self.current: GatewayServer | None = None

    def start(self) -> Gateway:
        self.count += 1
        workdir = self.folder / f"run-{self.count:03d}"
        workdir.mkdir()
        argv = ["serve", "--database", self.url, "--host", "127.0.0.1", "--port", "0", "--certs", str(self.pki.root),
                "--policies", str(self.policies), *push_flags(self.pki, extra=LEASE)]
        self.current = GatewayServer(self.essor, workdir, argv)
        port = self.current.wait_listening()
        database = self.database_file or workdir / "(postgres)"
        return Gateway(self.current, port, dict(self.keys), self.pki, database, self.policies, Seed(database,
                                                                                                    self.keys))

    def kill(self) -> None:
        if self.current is not None:
            self.current.kill()
            self.current._stderr.close()

    def stop(self) -> None:
        if self.current is not None and self.current.process.poll() is None:
            code = self.current.stop()
            assert code == 0, f"essor serve exited with {code} after SIGTERM\n{self.current.tail()}"


@pytest.fixture
def sqlite_engine(push_binary, pki, demo_seed, tmp_path):
    database = tmp_path / "essor.sqlite"
    copy_database(demo_seed.database, database)
    engine = Engine(push_binary, pki, tmp_path, f"sqlite:{database}", demo_seed.keys, push_policy(tmp_path / "policies"),
                    database)
    yield engine
    engine.kill()


@pytest.fixture
def postgres_engine(push_binary, pki, tmp_path):
    url = os.environ.get("ESSOR_TEST_POSTGRES_URL")
    if not url:
        if ci():
            pytest.fail("ESSOR_TEST_POSTGRES_URL is not set (bash .ci/postgres start)", pytrace=False)
        pytest.skip("ESSOR_TEST_POSTGRES_URL is not set: eval \"$(bash .ci/postgres start)\" first")
    schema = "essor_push_crash_" + uuid.uuid4().hex[:12]
    _psql(url, f"CREATE SCHEMA {schema}")
    scoped = url + ("&" if "?" in url else "?") + f"schema={schema}"
    engine = None
    try:
        keys_file = tmp_path / "keys.json"
        push_binary.run("demo", "seed", "--database", scoped, "--keys-out", keys_file, check=True)
        engine = Engine(push_binary, pki, tmp_path, scoped, json.loads(keys_file.read_text()),
                        push_policy(tmp_path / "policies"), None)
        yield engine
    finally:
        if engine is not None:
            engine.kill()
        _psql(url, f"DROP SCHEMA {schema} CASCADE")


class Ingester:
    """Submits the CDMs of a queue from two threads until the server dies; what a kill cut goes back in the queue."""

    def __init__(self, cdms: list[tuple[str, list[int]]]):
        self.todo: queue.Queue[int] = queue.Queue()
        for i in range(len(cdms)):
            self.todo.put(i)
        self.cdms = cdms
        self.stored: dict[int, dict] = {}
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def run(self, gateway: Gateway, stop: threading.Event, threads: int = 2) -> list[threading.Thread]:
        def work():
            session = requests.Session()
            headers = {"Authorization": f"Bearer {gateway.keys['backend']}", "Content-Type": "text/plain"}
            while not stop.is_set():
                try:
                    i = self.todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    response = session.post(gateway.url("/internal/v1/products"), data=self.cdms[i][0].encode(),
                                            headers=headers, verify=str(gateway.ca), timeout=60)
                except requests.RequestException:
                    self.todo.put(i)
                    return
                if response.status_code in (200, 201):
                    with self.lock:
                        self.stored[i] = response.json()
                elif response.status_code >= 500 or response.status_code == 429:
                    self.todo.put(i)
                    time.sleep(0.2)
                else:
                    self.errors.append(f"ingest {i}: {response.status_code} {response.text[:300]}")
                    return
        workers = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
        for worker in workers:
            worker.start()
        return workers


def crash_loop(engine: Engine, pki) -> None:
    started = time.monotonic()
    rng = random.Random(os.environ.get("ESSOR_PUSH_CRASH_SEED", str(uuid.uuid4())))
    receivers = {user: Receiver(pki, f"crash-{user}") for user in SUBSCRIBERS}
    try:
        gateway = engine.start()
        head = feed_head(gateway)
        subs = {user: subscribe_webhook(gateway, user, receivers[user], "/crash", fmt="kvn") for user in SUBSCRIBERS}
        cdms = crash_cdms(EVENTS)
        ingester = Ingester(cdms)
        restarts = []
        for kill in range(KILLS):
            stop = threading.Event()
            workers = ingester.run(gateway, stop)
            time.sleep(rng.uniform(0.2, 2.5))
            engine.kill()
            stop.set()
            for worker in workers:
                worker.join(timeout=70)
            t0 = time.monotonic()
            gateway = engine.start()
            restarts.append(time.monotonic() - t0)
        stop = threading.Event()
        for worker in ingester.run(gateway, stop):
            worker.join()
        assert not ingester.errors, ingester.errors[:5]
        assert ingester.todo.empty() and len(ingester.stored) == EVENTS, \
            f"{len(ingester.stored)} of {EVENTS} CDMs stored"
        ingested_at = time.monotonic()

        # What must arrive: every event of these CDMs, to each subscriber that may read it.
        by_product = {s["id"]: i for i, s in ingester.stored.items()}
        events = {e["product"]["id"]: int(e["id"]) for e in feed_events(gateway, head)
                  if (e.get("product") or {}).get("id") in by_product}
        assert len(events) == EVENTS, f"{len(events)} feed events for {EVENTS} CDMs"
        readable = {user: {pid for pid, i in by_product.items() if can_read_cdm(user, {"norad_ids": cdms[i][1]})}
                    for user in SUBSCRIBERS}
        assert all(readable.values()) and readable["admin"] == set(by_product)

        def missing(user: str) -> set[str]:
            got = {json.loads(r.body)["data"]["id"] for r in receivers[user].at("/crash")}
            return readable[user] - got

        deadline = time.monotonic() + DRAIN_TIMEOUT
        while any(missing(u) for u in SUBSCRIBERS) and time.monotonic() < deadline:
            time.sleep(0.5)
        lost = {u: sorted(missing(u), key=int)[:10] for u in SUBSCRIBERS if missing(u)}
        assert not lost, f"never delivered within {DRAIN_TIMEOUT} s of the last ingest (first ten each): {lost}"
        drained_at = time.monotonic()
        time.sleep(1.0)

        report = []
        for user in SUBSCRIBERS:
            got = receivers[user].events("/crash")        # every signature checked (standardwebhooks + svix)
            ids = defaultdict(set)
            for record in got:
                ids[record.json["data"]["id"]].add(record.webhook_id)
            leaked = sorted(set(ids) - readable[user], key=int)
            assert not leaked, f"{user} was pushed CDMs it may not read: {leaked[:10]}"
            for pid, webhook_ids in ids.items():
                assert webhook_ids == {webhook_id(events[pid], subs[user]["id"])}, \
                    f"{user}, product {pid}: webhook-ids {webhook_ids}"
            report.append(f"{user}: {len(readable[user])} pairs, {len(got)} requests, {receivers[user].truncated} cut "
                          f"({len(got) - len(ids)} duplicates)")
        engine.stop()
        print(f"\ncrash loop ({engine.url.split(':')[0]}): {EVENTS} CDMs, {KILLS} kills; restarts "
              f"{sum(restarts) / max(1, len(restarts)):.2f} s on average; ingest done after "
              f"{ingested_at - started:.0f} s, drained {drained_at - ingested_at:.0f} s later; " + "; ".join(report))
    finally:
        for receiver in receivers.values():
            receiver.close()


def test_crash_loop_sqlite(sqlite_engine, pki):
    crash_loop(sqlite_engine, pki)


def test_crash_loop_postgres(postgres_engine, pki):
    crash_loop(postgres_engine, pki)
