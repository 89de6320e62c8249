"""The reference backend end to end (issue 12 Truth: "End to end over mutual TLS on both engines").

Each test starts a gateway (`essor serve`, SQLite or PostgreSQL, from test_observation_requests' `Engine`) whose
`--backend-url` is a real `essor backend` process, and the backend with `--gateway` pointing back at it: both over
mutual TLS with the dev PKI (the gateway presents `urn:essor:user:gateway`, the backend `urn:essor:user:backend`).
The backend's truth is the gateway's own demo catalogue (pulled as admin), its sensors backend/sensors.yaml, its
clock accelerated (each request's time runs 3,000× faster from its arrival), clear skies (`--no-weather`), and its
store on the same engine as the gateway.

A requester submits a request through the public API; the test waits until the request is DELIVERED and checks
the whole path: the history (SUBMITTED → ACCEPTED → SCHEDULED → PARTIAL … → COLLECTED → DELIVERED, every move by the
backend but PARTIAL, which the gateway makes on the first product), the schedule, the products (one TDM per track,
linked to the request, readable by the requester, accepted by `essor validate` in strict mode and, converted to
XML, by the official NDM/XML 4.0 schema), the measurements inside the scheduled slots.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import xmlschema

from conftest import XSD_4
from gateway import GatewayServer, iso
from push import free_port
from test_observation_requests import ROUTE, engine, sqlite, show, submit, tasking_policy  # noqa: F401 (fixtures)

REPO = Path(__file__).resolve().parents[2]
SENSORS = REPO / "backend" / "sensors.yaml"
BACKEND_LISTENING = re.compile(r"^essor backend: listening on https://127\.0\.0\.1:(?P<port>\d+)")
DELIVERY_TIMEOUT = 120      # seconds: a 20 h window at 3,000× is 24 s; a debug build and a loaded machine


class BackendProcess:
    """One `essor backend` process on a chosen port (the gateway is started first, pointing at it)."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"https://127.0.0.1:{port}"
        self.server: GatewayServer | None = None

    def start(self, essor, workdir: Path, gateway_port: int, pki, truth: Path, database: str) -> None:
        argv = ["backend", "--gateway", f"https://127.0.0.1:{gateway_port}", "--host", "127.0.0.1", "--port",
                str(self.port), "--certs", str(pki.root), "--sensors", str(SENSORS), "--truth", str(truth),
                "--clock", "accelerated:3000", "--no-weather", "--seed", "7", "--database", database,
                "--retry-max-seconds", "2"]
        self.server = GatewayServer(essor, workdir, argv)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                line = self.server._lines.get(timeout=max(deadline - time.monotonic(), 0.1))
            except Exception:  # noqa: BLE001 — queue.Empty: try until the deadline
                continue
            if line is None:
                break
            if BACKEND_LISTENING.match(line):
                return
        self.server.kill()
        pytest.fail(f"essor backend did not start\n{self.server.tail()}", pytrace=False)

    def crash(self) -> None:
        """SIGKILL: no graceful shutdown, whatever was in flight is lost but for what the store holds."""
        assert self.server is not None
        self.server.kill()
        self.server._stderr.close()

    def stop(self) -> None:
        if self.server is not None and self.server.process.poll() is None:
            code = self.server.stop()
            assert code == 0, f"essor backend exited with {code} after SIGTERM\n{self.server.tail()}"


def truth_from(gateway, folder: Path) -> Path:
    response = gateway.get("/api/v1/catalogue?format=3le", user="admin")
    assert response.status_code == 200, response.text[:400]
    path = folder / "truth.3le"
    path.write_text(response.text)
    return path


def passes(essor, truth: Path, sensor: str, start: datetime, stop: datetime) -> list[dict]:
    result = essor.run("passes", "--sensors", SENSORS, "--objects", truth, "--sensor", sensor,
                       "--from", iso(start), "--to", iso(stop))
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def wait_state(gateway, rid: str, states: set[str], timeout: float = DELIVERY_TIMEOUT) -> dict:
    deadline = time.monotonic() + timeout
    request = show(gateway, "requester", rid)
    while request["state"] not in states and time.monotonic() < deadline:
        time.sleep(0.5)
        request = show(gateway, "requester", rid)
    assert request["state"] in states, f"{rid} is {request['state']} after {timeout} s: {request['history']}"
    return request


def when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def start_pair(engine, request, tmp_path: Path):
    backend = BackendProcess(free_port())
    gateway = engine.start(f"backend-{uuid.uuid4().hex[:6]}", backend)
    essor = request.getfixturevalue("serve_binary")
    truth = truth_from(gateway, tmp_path)
    if engine.name == "postgres":
        database = engine.database_url(gateway)
    else:
        database = str(tmp_path / "backend.sqlite")
    folder = tmp_path / "backend"
    folder.mkdir()
    backend.start(essor, folder, int(gateway.port), engine.pki, truth, database)
    backend.database = database  # type: ignore[attr-defined]
    return gateway, backend, truth


def public_object_with_pass(essor, truth: Path, sensor: str, start: datetime, stop: datetime) -> int:
    """A public demo object (90600–91089: requesters may task them) observable by `sensor` in [start, stop] for at
    least ten minutes at a time (room for a tracklet and its slew), in two intervals or more when there are such."""
    rows = [r for r in passes(essor, truth, sensor, start, stop) if 90600 <= int(r["norad_id"]) < 91090
            and (when(r["end"]) - when(r["start"])).total_seconds() >= 600]
    assert rows, f"no public demo object is observable by {sensor} between {iso(start)} and {iso(stop)}"
    counts: dict[int, int] = {}
    for row in rows:
        counts[int(row["norad_id"])] = counts.get(int(row["norad_id"]), 0) + 1
    return max(sorted(counts), key=lambda n: counts[n])


def check_delivered(gateway, essor, request: dict, tracks: int, tmp_path: Path) -> None:
    states = [entry["state"] for entry in request["history"]]
    assert states[:3] == ["SUBMITTED", "ACCEPTED", "SCHEDULED"], states
    assert states[-2:] == ["COLLECTED", "DELIVERED"], states
    assert "PARTIAL" in states, states
    for entry in request["history"][1:]:
        expected = "gateway" if entry["state"] == "PARTIAL" else "backend"
        assert entry["actor"] == expected, entry
    schedule = request["schedule"]
    assert len(schedule) == tracks, schedule
    window_start, window_stop = when(request["window"]["start"]), when(request["window"]["stop"])
    for slot in schedule:
        assert window_start <= when(slot["start"]) < when(slot["stop"]) <= window_stop, slot
    assert len(request["products"]) == tracks, request["products"]
    schema = xmlschema.XMLSchema10(str(XSD_4))
    for index, product in enumerate(request["products"]):
        response = gateway.get(product["href"], user="requester")
        assert response.status_code == 200, response.text[:400]
        kvn = tmp_path / f"track-{index}.kvn"
        kvn.write_text(response.text)
        assert "CCSDS_TDM_VERS" in response.text
        validated = essor.run("validate", kvn)
        assert validated.returncode == 0, validated.stdout + validated.stderr
        xml = tmp_path / f"track-{index}.xml"
        converted = essor.run("convert", kvn, "--to", "xml", "-o", xml)
        assert converted.returncode == 0, converted.stderr
        errors = list(schema.iter_errors(str(xml)))
        assert not errors, errors[:3]
        # Every observation lies inside one of the scheduled slots.
        times = re.findall(r"^\s*(?:ANGLE_1|RANGE)\s*=\s*(\S+)", response.text, re.M)
        assert times, response.text[:800]
        for text in times:
            instant = when(text if text.endswith("Z") else text + "Z")
            assert any(when(s["start"]) - timedelta(seconds=1) <= instant <= when(s["stop"]) + timedelta(seconds=1)
                       for s in schedule), (text, schedule)


def test_optical_request_is_observed_and_delivered(engine, request, tmp_path):
    gateway, backend, truth = start_pair(engine, request, tmp_path)
    essor = request.getfixturevalue("serve_binary")
    try:
        start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=5)
        stop = start + timedelta(hours=20)
        norad = public_object_with_pass(essor, truth, "tarot-la-silla", start, stop)
        body = {"target": {"norad_id": norad}, "window": {"start": iso(start), "stop": iso(stop)},
                "measurements": ["optical-angles"], "tracks": 2, "priority": "routine", "purpose": "e2e optical"}
        created = submit(gateway, "requester", body)
        delivered = wait_state(gateway, created["id"], {"DELIVERED", "FAILED", "REJECTED", "PROPOSED"})
        assert delivered["state"] == "DELIVERED", delivered["history"]
        check_delivered(gateway, essor, delivered, 2, tmp_path)
    finally:
        backend.stop()


def test_radar_request_and_a_rejection(sqlite, request, tmp_path):
    gateway, backend, truth = start_pair(sqlite, request, tmp_path)
    essor = request.getfixturevalue("serve_binary")
    try:
        start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(minutes=5)
        stop = start + timedelta(hours=20)
        norad = public_object_with_pass(essor, truth, "radar-wachtberg", start, stop)
        body = {"target": {"norad_id": norad}, "window": {"start": iso(start), "stop": iso(stop)},
                "measurements": ["radar-range", "radar-doppler"], "tracks": 1, "purpose": "e2e radar"}
        radar = submit(gateway, "requester", body)
        unknown = submit(gateway, "requester", dict(body, sensor="no-such-sensor", purpose="e2e reject"))
        rejected = wait_state(gateway, unknown["id"], {"REJECTED", "FAILED", "DELIVERED"})
        assert rejected["state"] == "REJECTED", rejected["history"]
        assert "no-such-sensor" in (rejected["history"][-1]["reason"] or ""), rejected["history"]
        delivered = wait_state(gateway, radar["id"], {"DELIVERED", "FAILED", "REJECTED", "PROPOSED"})
        assert delivered["state"] == "DELIVERED", delivered["history"]
        check_delivered(gateway, essor, delivered, 1, tmp_path)
        text = gateway.get(delivered["products"][0]["href"], user="requester").text
        assert re.search(r"^\s*RANGE\s*=", text, re.M) and re.search(r"^\s*DOPPLER_INSTANTANEOUS\s*=", text, re.M)
    finally:
        backend.stop()


def test_backend_killed_mid_request_recovers_from_its_store(sqlite, request, tmp_path):
    """SIGKILL the backend once the request is SCHEDULED (its slots still ahead), start it again on the same store:
    the request is observed and delivered, each track exactly once, with no help from the gateway."""
    gateway, backend, truth = start_pair(sqlite, request, tmp_path)
    essor = request.getfixturevalue("serve_binary")
    again = None
    try:
        start = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(hours=2)
        stop = start + timedelta(hours=20)
        norad = public_object_with_pass(essor, truth, "tarot-la-silla", start, stop)
        body = {"target": {"norad_id": norad}, "window": {"start": iso(start), "stop": iso(stop)},
                "measurements": ["optical-angles"], "tracks": 2, "purpose": "e2e crash"}
        created = submit(gateway, "requester", body)
        wait_state(gateway, created["id"], {"SCHEDULED", "PARTIAL", "COLLECTED", "DELIVERED", "FAILED", "REJECTED"},
                   timeout=60)
        backend.crash()
        time.sleep(1)
        folder = tmp_path / "backend-again"
        folder.mkdir()
        again = BackendProcess(backend.port)
        again.start(essor, folder, int(gateway.port), sqlite.pki, truth, backend.database)
        delivered = wait_state(gateway, created["id"], {"DELIVERED", "FAILED", "REJECTED", "PROPOSED"})
        assert delivered["state"] == "DELIVERED", delivered["history"]
        check_delivered(gateway, essor, delivered, 2, tmp_path)
        assert [h["state"] for h in delivered["history"]].count("SCHEDULED") == 1, delivered["history"]
    finally:
        if again is not None:
            again.stop()


def test_a_window_nothing_can_observe_is_proposed_and_accepted(sqlite, request, tmp_path):
    """A radar request whose window falls between two passes of its object is PROPOSED the nearest window in which
    the radar sees it; the requester accepts it, and the request is scheduled inside that window and delivered."""
    gateway, backend, truth = start_pair(sqlite, request, tmp_path)
    essor = request.getfixturevalue("serve_binary")
    try:
        now = datetime.now(timezone.utc).replace(microsecond=0)
        rows = [r for r in passes(essor, truth, "radar-wachtberg", now + timedelta(minutes=10), now + timedelta(hours=30))
                if 90600 <= int(r["norad_id"]) < 91090]
        by_object: dict[int, list[dict]] = {}
        for row in rows:
            by_object.setdefault(int(row["norad_id"]), []).append(row)
        choice = None
        for norad, items in sorted(by_object.items()):
            for first, second in zip(items, items[1:]):
                gap_start, gap_end = when(first["end"]), when(second["start"])
                if gap_end - gap_start >= timedelta(hours=2) and (when(second["end"]) - gap_end).total_seconds() > 300:
                    choice = (norad, gap_start + timedelta(minutes=20), gap_start + timedelta(minutes=80))
                    break
            if choice:
                break
        assert choice, "no public object has two radar passes 2 h apart in the next 30 h"
        norad, start, stop = choice
        body = {"target": {"norad_id": norad}, "window": {"start": iso(start), "stop": iso(stop)},
                "measurements": ["radar-range"], "tracks": 1, "purpose": "e2e proposal"}
        created = submit(gateway, "requester", body)
        proposed = wait_state(gateway, created["id"], {"PROPOSED", "REJECTED", "SCHEDULED", "FAILED"}, timeout=60)
        assert proposed["state"] == "PROPOSED", proposed["history"]
        window = proposed["proposed_window"]
        assert when(window["start"]) >= stop or when(window["stop"]) <= start, (window, body["window"])
        answer = gateway.request("POST", f"{ROUTE}/{created['id']}/transitions", user="requester",
                                 json={"state": "ACCEPTED"})
        assert answer.status_code == 200, answer.text[:400]
        delivered = wait_state(gateway, created["id"], {"DELIVERED", "FAILED", "REJECTED"})
        assert delivered["state"] == "DELIVERED", delivered["history"]
        states = [h["state"] for h in delivered["history"]]
        assert states[:4] == ["SUBMITTED", "PROPOSED", "ACCEPTED", "SCHEDULED"], states
        assert [h["actor"] for h in delivered["history"][1:3]] == ["backend", "requester"], delivered["history"]
        slot = delivered["schedule"][0]
        assert when(window["start"]) <= when(slot["start"]) < when(slot["stop"]) <= when(window["stop"]), (slot, window)
        assert len(delivered["products"]) == 1
    finally:
        backend.stop()
