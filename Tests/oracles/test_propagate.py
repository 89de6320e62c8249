"""`essor propagate` checked against Vallado's SGP4 as packaged by PyPI `sgp4` (python-sgp4 2.27).

Essor's defaults are python-sgp4's: WGS-72 constants, improved ('i') operation mode, states in TEME. Both sides
are IEEE double implementations of the same equations, so agreement is expected to far better than the 1 mm and
1 mm/s the astrodynamics issue asks for; the tests assert 1 mm and 1 mm/s.

Times: with `--minutes`, minutes are relative to each set's epoch (python-sgp4 `sgp4_tsince`). With
`--from/--to/--step`, the minutes since epoch are the difference of UTC Julian dates (python-sgp4 `sgp4(jd, fr)`,
Vallado's convention: no leap second inside an element set's span is counted).
"""

from __future__ import annotations

import csv
import io
import math
from datetime import datetime, timedelta, timezone

import pytest
from sgp4.api import SGP4_ERRORS, Satrec, jday

from sgp4_catalogue import CATALOGUE

HEADER = ["norad_id", "epoch", "minutes_since_epoch", "x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s"]
POSITION_TOLERANCE_KM = 1e-6  # 1 mm
VELOCITY_TOLERANCE_KM_S = 1e-6  # 1 mm/s


def write_sets(path, sets) -> None:
    path.write_text("".join(f"{name}\n{l1}\n{l2}\n" for name, l1, l2 in sets))


def read_csv(text: str) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text)))
    assert rows and rows[0] == HEADER, f"CSV header {rows[:1]}"
    return [dict(zip(HEADER, row)) for row in rows[1:]]


def assert_state_matches(row: dict[str, str], r, v, context: str) -> None:
    position = [float(row[k]) for k in ("x_km", "y_km", "z_km")]
    velocity = [float(row[k]) for k in ("vx_km_s", "vy_km_s", "vz_km_s")]
    dr = math.dist(position, r)
    dv = math.dist(velocity, v)
    assert dr <= POSITION_TOLERANCE_KM, f"{context}: position differs by {dr * 1e6:.3f} mm"
    assert dv <= VELOCITY_TOLERANCE_KM_S, f"{context}: velocity differs by {dv * 1e6:.3f} mm/s"


@pytest.mark.parametrize("elements", CATALOGUE, ids=lambda s: s[1][2:7])
def test_minutes_grid_matches_python_sgp4(essor, tmp_path, elements):
    source = tmp_path / "set.3le"
    write_sets(source, [elements])
    # A negative start must be attached with `=` (otherwise it reads as an option).
    result = essor.run("propagate", source, "--minutes=-1440:4320:360")
    satellite = Satrec.twoline2rv(elements[1], elements[2])
    expected_rows = []
    stopped_at = None
    for minute in range(-1440, 4321, 360):
        error, r, v = satellite.sgp4_tsince(minute)
        if error:
            stopped_at = (minute, error)
            break
        expected_rows.append((minute, r, v))
    rows = read_csv(result.stdout)
    assert len(rows) == len(expected_rows), result.stderr
    for row, (minute, r, v) in zip(rows, expected_rows):
        assert int(row["norad_id"]) == satellite.satnum
        assert float(row["minutes_since_epoch"]) == minute
        assert_state_matches(row, r, v, f"{elements[0]} minute {minute}")
    if stopped_at:
        minute, error = stopped_at
        assert result.returncode != 0
        expected = f"{satellite.satnum}: error {error} ("
        assert expected in result.stderr and f"at minute {minute:g}" in result.stderr, result.stderr
        assert SGP4_ERRORS[error].split()[0].lower() in result.stderr.lower()
    else:
        assert result.returncode == 0, result.stderr


def test_minutes_list_and_epoch_column(essor, tmp_path):
    name, l1, l2 = next(s for s in CATALOGUE if s[1][2:7] == "00005")
    source = tmp_path / "set.tle"
    source.write_text(f"{l1}\n{l2}\n")
    result = essor.run("propagate", source, "--minutes", "0,1.5,720", check=True)
    rows = read_csv(result.stdout)
    assert [float(r["minutes_since_epoch"]) for r in rows] == [0, 1.5, 720]
    satellite = Satrec.twoline2rv(l1, l2)
    epoch = datetime(2000, 1, 1, tzinfo=timezone.utc) + timedelta(
        days=satellite.jdsatepoch + satellite.jdsatepochF - 2451544.5)
    for row in rows:
        stamp = datetime.fromisoformat(row["epoch"].replace("Z", "+00:00"))
        wanted = epoch + timedelta(minutes=float(row["minutes_since_epoch"]))
        assert abs((stamp - wanted).total_seconds()) < 1e-3, (row["epoch"], wanted)
        assert row["epoch"].endswith("Z")


def test_calendar_window_matches_python_sgp4(essor, tmp_path):
    sets = [s for s in CATALOGUE if s[1][2:7] in ("00005", "04632", "28057", "23599")]
    source = tmp_path / "sets.3le"
    write_sets(source, sets)
    start = "2006-06-01T00:00:00Z"
    result = essor.run("propagate", source, "--from", start, "--to", "2006-06-01T06:00:00Z", "--step", "600")
    rows = read_csv(result.stdout)
    by_object: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        by_object.setdefault(int(row["norad_id"]), []).append(row)
    for _, l1, l2 in sets:
        satellite = Satrec.twoline2rv(l1, l2)
        object_rows = by_object.get(satellite.satnum, [])
        checked = 0
        for i in range(37):
            moment = datetime(2006, 6, 1, tzinfo=timezone.utc) + timedelta(seconds=600 * i)
            jd, fr = jday(moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
            error, r, v = satellite.sgp4(jd, fr)
            if error:
                break
            row = object_rows[i]
            assert row["epoch"].startswith(moment.strftime("%Y-%m-%dT%H:%M:%S")), row["epoch"]
            assert_state_matches(row, r, v, f"{satellite.satnum} at {moment}")
            checked += 1
        assert checked == len(object_rows)


def test_oem_output_validates_and_matches_csv(essor, tmp_path):
    from oem import OrbitEphemerisMessage

    name, l1, l2 = next(s for s in CATALOGUE if s[1][2:7] == "28057")
    source = tmp_path / "set.3le"
    write_sets(source, [(name, l1, l2)])
    window = ("--from", "2003-12-01T00:00:00Z", "--to", "2003-12-01T12:00:00Z", "--step", "60")
    csv_rows = read_csv(essor.run("propagate", source, *window, check=True).stdout)
    kvn = tmp_path / "eph.oem"
    kvn.write_text(essor.run("propagate", source, *window, "--format", "oem-kvn", check=True).stdout)
    essor.run("validate", kvn, check=True)
    # The `oem` package reads OEM 1.0/2.0 only: the same message written as 2.0.
    kvn2 = essor.convert(kvn, "kvn", tmp_path / "eph-2.0.oem", version="2.0")
    parsed = OrbitEphemerisMessage.open(str(kvn2))
    states = [s for segment in parsed for s in segment.states]
    assert len(states) == len(csv_rows) == 721
    for state, row in zip(states, csv_rows):
        assert_state_matches(row, state.position, state.velocity, f"OEM state {state.epoch}")
    xml = tmp_path / "eph.xml"
    xml.write_text(essor.run("propagate", source, *window, "--format", "oem-xml", check=True).stdout)
    essor.run("validate", xml, check=True)


def test_bad_arguments_are_explained(essor, tmp_path):
    name, l1, l2 = CATALOGUE[0]
    source = tmp_path / "set.tle"
    source.write_text(f"{l1}\n{l2}\n")
    for args in (
        ("--minutes", "0:10"),
        ("--minutes", "0:10:0"),
        ("--from", "2006-06-01T00:00:00Z"),
        ("--from", "2006-06-01T00:00:00Z", "--to", "2006-06-02T00:00:00Z", "--step", "-5"),
        ("--from", "yesterday", "--to", "2006-06-02T00:00:00Z", "--step", "60"),
        ("--minutes", "0", "--frame", "B1950"),
    ):
        result = essor.run("propagate", source, *args)
        assert result.returncode != 0 and result.stderr.strip(), args
        assert not result.stdout.strip(), args
