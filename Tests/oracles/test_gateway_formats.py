"""What the gateway serves is right, checked by independent readers.

Element sets (`/elements`): every format and the `Accept` negotiation of the contract; TLEs load in python-sgp4
(`Satrec.twoline2rv`, no error at the epoch) and in skyfield (`EarthSatellite`); OMM KVN/XML pass `essor validate`,
OMM XML the NDM/XML 4.0.0 schema; all formats describe the same set.

Ephemerides (`/ephemeris`): OEM KVN and XML pass `essor validate`, the XML the XSD, both the PyPI `oem` reader; one
segment, a state every step from start to stop inclusive, the contract's metadata. States in TEME agree within 1 m
with python-sgp4 run on the served TLE and with `essor propagate` of the same TLE; GCRF and EME2000 agree within
1 m with `essor propagate --frame`; ITRF has the TEME radius (a rotation). OEM JSON carries the same states.

States (`/state`): OPM KVN/XML/JSON, TEME state within 1 m of python-sgp4.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from oem import OrbitEphemerisMessage
from sgp4 import omm as sgp4_omm
from sgp4.api import Satrec, jday
from skyfield.api import EarthSatellite, load

from conftest import XSD_4
from gateway import assert_common_headers, iso, media_type, parse_utc, utc_now_minute
from test_xsd import assert_valid

OBJECT = 90500
SAMPLE = [90021, 90300, 90500, 90800, 91090]      # public: a spread over the synthetic LEO/MEO/GEO/HEO mix
POSITION_TOLERANCE_KM = 1e-3                      # 1 m
KVN_STATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2}T[\d:.]+Z?)\s+(.+)$")


# ---- helpers ---------------------------------------------------------------------------------------------------------

def charset(response) -> str | None:
    match = re.search(r"charset=([^;\s]+)", response.headers.get("Content-Type", ""), re.I)
    return match[1].strip('"').lower() if match else None


def elements(gateway, norad: int, fmt: str | None = None, user: str = "admin", accept: str | None = "*/*"):
    params = {"format": fmt} if fmt else {}
    headers = {"Accept": accept}   # None removes requests' default `Accept: */*`
    response = gateway.get(f"/api/v1/objects/{norad}/elements", user=user, params=params, headers=headers)
    assert response.status_code == 200, f"{norad} {fmt} {accept}: {response.status_code} {response.text[:400]}"
    assert_common_headers(response)
    return response


def served_tle(gateway, norad: int) -> tuple[str, str]:
    lines = elements(gateway, norad, "tle").text.strip().splitlines()
    assert len(lines) == 2, lines
    return lines[0].rstrip(), lines[1].rstrip()


def object_record(gateway, norad: int) -> dict:
    return gateway.ok(f"/api/v1/objects/{norad}", user="admin").json()


def kvn_value(text: str, keyword: str) -> str | None:
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() == keyword:
            return value.split("[")[0].strip()
    return None


def kvn_states(text: str) -> list[tuple[str, list[float]]]:
    states = []
    for line in text.splitlines():
        match = KVN_STATE.match(line)
        if match and "=" not in line:
            states.append((match[1], [float(v) for v in match[2].split()[:6]]))
    return states


def xml_states(text: str) -> list[tuple[str, list[float]]]:
    root = ET.fromstring(text.encode())
    return [(sv.findtext("EPOCH"), [float(sv.findtext(k)) for k in ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")])
            for sv in root.iter("stateVector")]


def sgp4_at(satellite: Satrec, epoch: str) -> tuple[list[float], list[float]]:
    moment = parse_utc(epoch)
    jd, fr = jday(moment.year, moment.month, moment.day, moment.hour, moment.minute,
                  moment.second + moment.microsecond / 1e6)
    error, r, v = satellite.sgp4(jd, fr)
    assert error == 0, f"python-sgp4 error {error} at {epoch}"
    return list(r), list(v)


def ephemeris(gateway, norad: int, start, seconds: int, step: int, frame: str, fmt: str, user: str = "admin"):
    params = {"start": iso(start), "stop": iso(start + timedelta(seconds=seconds)), "step": str(step),
              "frame": frame, "format": fmt}
    response = gateway.get(f"/api/v1/objects/{norad}/ephemeris", user=user, params=params)
    assert response.status_code == 200, f"{norad} {params}: {response.status_code} {response.text[:400]}"
    assert_common_headers(response)
    return response


def essor_propagate(essor, tmp_path, tle: tuple[str, str], start, seconds: int, step: int, frame: str) -> list[dict]:
    source = tmp_path / f"served-{frame}.tle"
    source.write_text(f"{tle[0]}\n{tle[1]}\n")
    result = essor.run("propagate", source, "--from", iso(start), "--to", iso(start + timedelta(seconds=seconds)),
                       "--step", step, "--frame", frame, "--format", "csv", check=True)
    return list(csv.DictReader(io.StringIO(result.stdout)))


# ---- element sets ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("norad", SAMPLE)
def test_tle_loads_in_sgp4_and_skyfield(gateway, norad):
    line1, line2 = served_tle(gateway, norad)
    assert len(line1) == len(line2) == 69
    satellite = Satrec.twoline2rv(line1, line2)
    assert satellite.satnum == norad
    error, r, v = satellite.sgp4(satellite.jdsatepoch, satellite.jdsatepochF)
    assert error == 0 and all(math.isfinite(x) for x in (*r, *v)), (error, r, v)
    timescale = load.timescale(builtin=True)
    record = object_record(gateway, norad)
    earth_satellite = EarthSatellite(line1, line2, record["name"], timescale)
    assert earth_satellite.model.satnum == norad
    position = earth_satellite.at(earth_satellite.epoch).position.km
    assert abs(math.dist(position, (0, 0, 0)) - math.dist(r, (0, 0, 0))) < 1e-3, "GCRS and TEME radii differ"
    # The latest set is recent (the demo's latest epoch is within the day before seeding).
    age_days = timescale.now() - earth_satellite.epoch
    assert -1 < age_days < 30, f"epoch {earth_satellite.epoch.utc_iso()} is {age_days:.1f} days old"


@pytest.mark.parametrize("fmt,media", [
    ("tle", "text/plain"), ("3le", "text/plain"), ("omm-kvn", "text/plain"), ("omm-xml", "application/xml"),
    ("omm-json", "application/json"), ("omm-csv", "text/csv"),
])
def test_element_formats_and_content_types(gateway, serve_binary, tmp_path, fmt, media):
    response = elements(gateway, OBJECT, fmt)
    assert media_type(response) == media, response.headers.get("Content-Type")
    if media.startswith("text/"):
        assert charset(response) == "utf-8", response.headers.get("Content-Type")
    record = object_record(gateway, OBJECT)
    line1, line2 = served_tle(gateway, OBJECT)
    satellite = Satrec.twoline2rv(line1, line2)
    text = response.text
    if fmt == "tle":
        assert text.strip().splitlines() == [line1, line2]
    elif fmt == "3le":
        lines = text.strip().splitlines()
        assert len(lines) == 3 and lines[1:] == [line1, line2], lines
        assert lines[0].strip().removeprefix("0 ") == record["name"]
    elif fmt in ("omm-kvn", "omm-xml"):
        out = tmp_path / f"elements.{'kvn' if fmt == 'omm-kvn' else 'xml'}"
        out.write_text(text)
        result = serve_binary.run("validate", out)
        assert result.returncode == 0, result.stderr
        if fmt == "omm-xml":
            assert_valid(out, XSD_4, "omm", "3.0")
            fields = next(sgp4_omm.parse_xml(str(out)))
        else:
            fields = {k: kvn_value(text, k) for k in ("OBJECT_NAME", "OBJECT_ID", "NORAD_CAT_ID", "EPOCH")}
        assert fields["OBJECT_NAME"] == record["name"]
        assert fields["OBJECT_ID"] == record["cospar_id"]
        assert int(fields["NORAD_CAT_ID"]) == OBJECT
        assert same_epoch(fields["EPOCH"], satellite)
    elif fmt == "omm-json":
        body = response.json()
        assert isinstance(body, list) and len(body) == 1, body
        item = body[0]
        assert item["NORAD_CAT_ID"] == OBJECT and item["OBJECT_ID"] == record["cospar_id"]
        assert item["OBJECT_NAME"] == record["name"]
        assert same_epoch(item["EPOCH"], satellite)
    elif fmt == "omm-csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert len(rows) == 1, text
        assert int(rows[0]["NORAD_CAT_ID"]) == OBJECT and rows[0]["OBJECT_ID"] == record["cospar_id"]
        # python-sgp4 reads the CSV (CelesTrak columns) and gives the same satellite as the TLE.
        parsed = next(sgp4_omm.parse_csv(io.StringIO(text)))
        from_csv = Satrec()
        sgp4_omm.initialize(from_csv, parsed)
        assert from_csv.satnum == OBJECT
        assert abs(from_csv.no_kozai - satellite.no_kozai) < 1e-9


def same_epoch(text: str, satellite: Satrec) -> bool:
    moment = parse_utc(text)
    jd, fr = jday(moment.year, moment.month, moment.day, moment.hour, moment.minute,
                  moment.second + moment.microsecond / 1e6)
    return abs(((jd - satellite.jdsatepoch) + (fr - satellite.jdsatepochF)) * 86400) < 1e-3


@pytest.mark.parametrize("accept,media", [
    ("application/json", "application/json"),
    ("application/xml", "application/xml"),
    ("text/csv", "text/csv"),
    ("text/plain", "text/plain"),
    ("*/*", "application/json"),
    (None, "application/json"),
    ("text/html, application/xml;q=0.9", "application/xml"),
])
def test_elements_accept_negotiation(gateway, accept, media):
    response = elements(gateway, OBJECT, None, accept=accept)
    assert media_type(response) == media, (accept, response.headers.get("Content-Type"))
    if accept == "text/plain":
        lines = response.text.strip().splitlines()
        assert len(lines) == 2 and lines[0].startswith("1 "), "text/plain is the TLE"
    if media == "application/json":
        assert response.json()[0]["NORAD_CAT_ID"] == OBJECT


def test_format_parameter_wins_over_accept(gateway):
    response = elements(gateway, OBJECT, "tle", accept="application/json")
    assert media_type(response) == "text/plain"


# ---- ephemerides -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["oem-kvn", "oem-xml"])
def test_oem_is_valid_and_readable(gateway, serve_binary, tmp_path, fmt):
    start = utc_now_minute()
    response = ephemeris(gateway, OBJECT, start, 3600, 60, "GCRF", fmt)
    text = response.text
    record = object_record(gateway, OBJECT)
    if fmt == "oem-kvn":
        assert media_type(response) == "text/plain" and charset(response) == "utf-8"
        out = tmp_path / "served.oem"
        meta = {k: kvn_value(text, k) for k in ("CCSDS_OEM_VERS", "OBJECT_NAME", "OBJECT_ID", "CENTER_NAME",
                                                 "REF_FRAME", "TIME_SYSTEM", "START_TIME", "STOP_TIME")}
        states = kvn_states(text)
        assert text.count("META_START") == 1, "one segment"
    else:
        assert media_type(response) == "application/xml"
        out = tmp_path / "served.xml"
        root = ET.fromstring(text.encode())
        assert root.tag == "oem" and root.get("version") == "3.0"
        assert len(root.findall("./body/segment")) == 1, "one segment"
        metadata = root.find("./body/segment/metadata")
        meta = {child.tag: (child.text or "").strip() for child in metadata}
        meta["CCSDS_OEM_VERS"] = root.get("version")
        states = xml_states(text)
    out.write_text(text)
    result = serve_binary.run("validate", out)
    assert result.returncode == 0, result.stderr
    if fmt == "oem-xml":
        assert_valid(out, XSD_4, "oem", "3.0")
    assert meta["CCSDS_OEM_VERS"] == "3.0"
    assert meta["OBJECT_NAME"] == record["name"] and meta["OBJECT_ID"] == record["cospar_id"]
    assert (meta["CENTER_NAME"], meta["REF_FRAME"], meta["TIME_SYSTEM"]) == ("EARTH", "GCRF", "UTC")
    assert parse_utc(meta["START_TIME"]) == start and parse_utc(meta["STOP_TIME"]) == start + timedelta(hours=1)
    assert [parse_utc(e) for e, _ in states] == [start + timedelta(seconds=60 * i) for i in range(61)]

    message = OrbitEphemerisMessage.open(str(out))
    read = list(message.states)
    assert len(read) == 61 and len(message.segments) == 1
    for state, (_, values) in zip(read, states):
        assert list(state.position) == values[:3] and list(state.velocity) == values[3:]


def test_oem_json_matches_kvn(gateway):
    start = utc_now_minute()
    kvn = kvn_states(ephemeris(gateway, OBJECT, start, 1800, 60, "GCRF", "oem-kvn").text)
    response = ephemeris(gateway, OBJECT, start, 1800, 60, "GCRF", "oem-json")
    assert media_type(response) == "application/json"
    body = response.json()
    assert body["type"] == "OEM" and len(body["segments"]) == 1
    segment = body["segments"][0]
    assert segment["metadata"]["REF_FRAME"] == "GCRF"
    vectors = segment["data"]["stateVector"]
    assert len(vectors) == len(kvn) == 31
    for vector, (epoch, values) in zip(vectors, kvn):
        assert parse_utc(vector["EPOCH"]) == parse_utc(epoch)
        got = [vector[k] for k in ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")]
        assert all(abs(a - b) <= 1e-9 * max(1.0, abs(b)) for a, b in zip(got, values)), (got, values)


@pytest.mark.parametrize("accept,media", [("application/xml", "application/xml"),
                                          ("application/json", "application/json"),
                                          ("text/plain", "text/plain"), (None, "text/plain")])
def test_ephemeris_accept_negotiation(gateway, accept, media):
    start = utc_now_minute()
    params = {"start": iso(start), "stop": iso(start + timedelta(minutes=5))}
    response = gateway.get(f"/api/v1/objects/{OBJECT}/ephemeris", user="admin", params=params,
                           headers={"Accept": accept})
    assert response.status_code == 200, response.text[:300]
    assert media_type(response) == media


@pytest.mark.parametrize("norad", SAMPLE)
def test_teme_ephemeris_matches_sgp4_and_essor_propagate(gateway, serve_binary, tmp_path, norad):
    start = utc_now_minute()
    seconds, step = 6 * 3600, 300
    tle = served_tle(gateway, norad)
    satellite = Satrec.twoline2rv(*tle)
    states = kvn_states(ephemeris(gateway, norad, start, seconds, step, "TEME", "oem-kvn").text)
    assert len(states) == seconds // step + 1
    rows = essor_propagate(serve_binary, tmp_path, tle, start, seconds, step, "TEME")
    assert len(rows) == len(states)
    for (epoch, values), row in zip(states, rows):
        r, _ = sgp4_at(satellite, epoch)
        assert math.dist(values[:3], r) <= POSITION_TOLERANCE_KM, (
            f"{norad} {epoch}: {math.dist(values[:3], r) * 1000:.3f} m from python-sgp4 (served TLE)")
        assert parse_utc(row["epoch"]) == parse_utc(epoch)
        mine = [float(row[k]) for k in ("x_km", "y_km", "z_km")]
        assert math.dist(values[:3], mine) <= POSITION_TOLERANCE_KM, (
            f"{norad} {epoch}: {math.dist(values[:3], mine) * 1000:.3f} m from essor propagate")


def test_teme_ephemeris_matches_sgp4_of_the_served_omm(gateway, tmp_path):
    """The OMM carries the stored set at full precision: the ephemeris comes from it."""
    out = tmp_path / "served-omm.xml"
    out.write_text(elements(gateway, OBJECT, "omm-xml").text)
    satellite = Satrec()
    sgp4_omm.initialize(satellite, next(sgp4_omm.parse_xml(str(out))))
    start = utc_now_minute()
    for epoch, values in kvn_states(ephemeris(gateway, OBJECT, start, 3600, 600, "TEME", "oem-kvn").text):
        r, _ = sgp4_at(satellite, epoch)
        assert math.dist(values[:3], r) <= POSITION_TOLERANCE_KM, epoch


@pytest.mark.parametrize("frame", ["GCRF", "EME2000", "ITRF", "TEME"])
def test_frames(gateway, serve_binary, tmp_path, frame):
    start = utc_now_minute()
    seconds, step = 3600, 600
    tle = served_tle(gateway, OBJECT)
    satellite = Satrec.twoline2rv(*tle)
    text = ephemeris(gateway, OBJECT, start, seconds, step, frame, "oem-kvn").text
    assert kvn_value(text, "REF_FRAME") == frame
    states = kvn_states(text)
    # Same origin, rotated axes: the radius is the TEME one.
    for epoch, values in states:
        r, _ = sgp4_at(satellite, epoch)
        assert abs(math.dist(values[:3], (0, 0, 0)) - math.dist(r, (0, 0, 0))) <= POSITION_TOLERANCE_KM, epoch
    if frame in ("GCRF", "EME2000", "TEME"):   # ITRF depends on UT1/polar motion (EOP), which may differ
        rows = essor_propagate(serve_binary, tmp_path, tle, start, seconds, step, frame)
        for (epoch, values), row in zip(states, rows, strict=True):
            mine = [float(row[k]) for k in ("x_km", "y_km", "z_km")]
            assert math.dist(values[:3], mine) <= POSITION_TOLERANCE_KM, (frame, epoch)


def test_default_ephemeris_parameters(gateway):
    """start = now floored to the minute, stop = start + 1 day, step 60, GCRF, OEM KVN."""
    before = utc_now_minute()
    response = gateway.get(f"/api/v1/objects/{OBJECT}/ephemeris", user="admin", headers={"Accept": None})
    after = utc_now_minute()
    assert response.status_code == 200, response.text[:300]
    assert media_type(response) == "text/plain"
    text = response.text
    assert kvn_value(text, "REF_FRAME") == "GCRF"
    start = parse_utc(kvn_value(text, "START_TIME"))
    assert before <= start <= after and start.second == 0 and start.microsecond == 0
    assert parse_utc(kvn_value(text, "STOP_TIME")) == start + timedelta(days=1)
    assert len(kvn_states(text)) == 1441


# ---- states ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,media", [("opm-kvn", "text/plain"), ("opm-xml", "application/xml"),
                                       ("opm-json", "application/json")])
def test_state(gateway, serve_binary, tmp_path, fmt, media):
    epoch = utc_now_minute() + timedelta(minutes=7)
    response = gateway.get(f"/api/v1/objects/{OBJECT}/state", user="admin",
                           params={"epoch": iso(epoch), "frame": "TEME", "format": fmt})
    assert response.status_code == 200, response.text[:300]
    assert_common_headers(response)
    assert media_type(response) == media
    record = object_record(gateway, OBJECT)
    text = response.text
    if fmt == "opm-kvn":
        out = tmp_path / "state.opm"
        values = [float(kvn_value(text, k)) for k in ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")]
        meta = {k: kvn_value(text, k) for k in ("OBJECT_NAME", "OBJECT_ID", "REF_FRAME", "EPOCH")}
    elif fmt == "opm-xml":
        out = tmp_path / "state.xml"
        out.write_text(text)
        assert_valid(out, XSD_4, "opm", "3.0")
        root = ET.fromstring(text.encode())
        vector = root.find(".//stateVector")
        values = [float(vector.findtext(k)) for k in ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")]
        meta = {k: root.findtext(f".//metadata/{k}") for k in ("OBJECT_NAME", "OBJECT_ID", "REF_FRAME")}
        meta["EPOCH"] = vector.findtext("EPOCH")
    else:
        out = tmp_path / "state.json"
        body = response.json()
        assert body["type"] == "OPM"
        segment = body["segments"][0]
        vector = segment["data"]["stateVector"]
        values = [vector[k] for k in ("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT")]
        meta = {k: segment["metadata"][k] for k in ("OBJECT_NAME", "OBJECT_ID", "REF_FRAME")}
        meta["EPOCH"] = vector["EPOCH"]
    out.write_text(text)
    result = serve_binary.run("validate", out)
    assert result.returncode == 0, result.stderr
    assert meta["OBJECT_NAME"] == record["name"] and meta["OBJECT_ID"] == record["cospar_id"]
    assert meta["REF_FRAME"] == "TEME"
    assert parse_utc(meta["EPOCH"]) == epoch
    r, v = sgp4_at(Satrec.twoline2rv(*served_tle(gateway, OBJECT)), meta["EPOCH"])
    assert math.dist(values[:3], r) <= POSITION_TOLERANCE_KM
    assert math.dist(values[3:], v) <= 1e-6   # 1 mm/s


def test_state_default_epoch_is_now(gateway):
    before = utc_now_minute()
    response = gateway.get(f"/api/v1/objects/{OBJECT}/state", user="admin", headers={"Accept": None})
    assert response.status_code == 200, response.text[:300]
    assert media_type(response) == "text/plain"
    epoch = parse_utc(kvn_value(response.text, "EPOCH"))
    assert before <= epoch <= utc_now_minute() + timedelta(minutes=1)
    assert kvn_value(response.text, "REF_FRAME") == "GCRF"
