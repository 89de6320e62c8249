"""Element sets: Essor's TLE, 3LE and OMM (XML, CSV, KVN) output read back by Vallado's SGP4 (PyPI `sgp4`).

Catalogue: the element sets of `sgp4/SGP4-VER.TLE` (Vallado's verification file, inside the installed package)
whose two lines carry valid checksums and an international designator — 27 distinct objects: LEO with drag,
Molniya, GEO, GPS-like, deep-space resonance cases, negative exponents — plus one Alpha-5 set made here from
28057 (catalogue number T0001 = 270001). Only columns 1–69 are used (Vallado appends test-run parameters).

Precision:
- TLE and 3LE output: `Satrec.twoline2rv` on our lines gives a Satrec whose elements are *identical* (==) to
  those of the original lines; both lines are 69 characters with valid checksums.
- OMM output: every value Essor writes equals the TLE field as a decimal (parsed to the same double, whatever
  the formatting: `0.28098E-4` ≡ `28098-4`), and EPOCH is the TLE epoch *exactly* (a TLE epoch has 1e-8 day =
  864 µs resolution, so it is a whole number of microseconds: no rounding is needed). The Satrec that
  `sgp4.omm.initialize` builds then agrees with the TLE's to 1e-13 relative (the two sgp4 readers convert units
  with different expressions) and the epoch Julian date to 2e-11 day (sgp4.omm's own float arithmetic).
"""

from __future__ import annotations

import csv
import io
import math
import re
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from sgp4 import omm
from sgp4.alpha5 import from_alpha5
from sgp4.api import Satrec

from sgp4_catalogue import CATALOGUE, checksum, with_checksum

ELEMENTS = ("inclo", "nodeo", "ecco", "argpo", "mo", "no_kozai", "ndot", "nddot", "bstar")
IDENTITY = ("satnum", "classification", "intldesg", "ephtype", "elnum", "revnum")
EPOCH = ("epochyr", "epochdays", "jdsatepoch", "jdsatepochF")


def satrec(l1: str, l2: str) -> Satrec:
    return Satrec.twoline2rv(l1, l2)


def tle_epoch(l1: str) -> datetime:
    """The TLE epoch as an exact datetime (microseconds are exact: see module docstring)."""
    yy, days = int(l1[18:20]), Fraction(l1[20:32].strip())
    year = 1900 + yy if yy >= 57 else 2000 + yy
    micro = (days - 1) * 86400 * 1_000_000
    assert micro.denominator == 1
    return datetime(year, 1, 1) + timedelta(microseconds=int(micro))


def iso_epoch(text: str) -> tuple[datetime, Fraction]:
    """An OMM EPOCH (calendar or day-of-year form) as (whole seconds, exact fraction of a second)."""
    m = re.fullmatch(r"(\d{4})-(?:(\d{2})-(\d{2})|(\d{3}))T(\d{2}):(\d{2}):(\d{2})(\.\d*)?Z?", text.strip())
    assert m, f"EPOCH {text!r} is not a CCSDS epoch"
    year, month, day, doy, hh, mm, ss, frac = m.groups()
    date = datetime(int(year), int(month), int(day)) if month else datetime(int(year), 1, 1) + timedelta(int(doy) - 1)
    return date + timedelta(hours=int(hh), minutes=int(mm), seconds=int(ss)), Fraction(frac or "0")


def tle_fields(l1: str, l2: str) -> dict[str, float]:
    """The TLE's decimal fields as OMM keywords, parsed to doubles."""
    def exp_field(f: str) -> float:  # ' 28098-4' → 0.28098e-4
        f = f.strip()
        return float(f"{f[0] if f[0] in '+-' else ''}0.{f.lstrip('+-')[:-2]}e{f[-2:]}")
    return {
        "MEAN_MOTION": float(l2[52:63]),
        "ECCENTRICITY": float("0." + l2[26:33].strip()),
        "INCLINATION": float(l2[8:16]),
        "RA_OF_ASC_NODE": float(l2[17:25]),
        "ARG_OF_PERICENTER": float(l2[34:42]),
        "MEAN_ANOMALY": float(l2[43:51]),
        "MEAN_MOTION_DOT": float(l1[33:43]),
        "MEAN_MOTION_DDOT": exp_field(l1[44:52]),
        "BSTAR": exp_field(l1[53:61]),
    }


def set_id(s: tuple[str, str, str]) -> str:
    return s[1][2:7]


# ---- Reading Essor's output ---------------------------------------------------------------------------------------

def read_tle_lines(text: str) -> list[tuple[str | None, str, str]]:
    """(name or None, line1, line2) from TLE or 3LE text; checks lengths and checksums."""
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    out, name = [], None
    i = 0
    while i < len(lines):
        if lines[i].startswith("1 ") and i + 1 < len(lines) and lines[i + 1].startswith("2 "):
            l1, l2 = lines[i], lines[i + 1]
            for n, line in (("1", l1), ("2", l2)):
                assert len(line) == 69, f"line {n} is {len(line)} characters: {line!r}"
                assert int(line[68]) == checksum(line), f"line {n} checksum: {line!r}"
            out.append((name, l1, l2))
            name = None
            i += 2
        else:
            assert name is None, f"unexpected line {lines[i]!r}"
            name = lines[i][2:].strip() if lines[i].startswith("0 ") else lines[i].strip()
            i += 1
    return out


def read_omm_kvn(text: str) -> list[dict[str, str]]:
    records: list[dict[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("COMMENT") or "=" not in line:
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        value = re.sub(r"\s*\[[^\]]*\]$", "", value)  # units
        if key == "CCSDS_OMM_VERS":
            records.append({})
        assert records, "OMM KVN does not start with CCSDS_OMM_VERS"
        records[-1][key] = value
    return records


def read_omm(fmt: str, path: Path) -> list[dict[str, str]]:
    if fmt == "omm-xml":
        with path.open() as f:
            return list(omm.parse_xml(f))
    if fmt == "omm-csv":
        with path.open(newline="") as f:
            return list(omm.parse_csv(f))
    return read_omm_kvn(path.read_text())


# ---- Comparisons --------------------------------------------------------------------------------------------------

def assert_identical(ours: Satrec, original: Satrec, where: str) -> None:
    for attr in IDENTITY + EPOCH + ELEMENTS:
        assert getattr(ours, attr) == getattr(original, attr), f"{where}: {attr} {getattr(ours, attr)!r} != {getattr(original, attr)!r}"
    for minutes in (0.0, 360.0, 1440.0):
        # repr: SGP4 returns NaN states with its error code (decayed sets), and NaN != NaN.
        assert repr(ours.sgp4_tsince(minutes)) == repr(original.sgp4_tsince(minutes)), f"{where}: propagation at {minutes} min"


def assert_omm_matches(fields: dict[str, str], l1: str, l2: str, where: str, normalise_epoch: bool = False) -> None:
    original = satrec(l1, l2)
    assert int(fields["NORAD_CAT_ID"]) == original.satnum, f"{where}: NORAD_CAT_ID"
    for key, value in tle_fields(l1, l2).items():
        assert float(fields[key]) == value, f"{where}: {key} = {fields[key]} but the TLE says {value!r}"
    whole, fraction = iso_epoch(fields["EPOCH"])
    expected = tle_epoch(l1)
    assert whole + timedelta(microseconds=int(fraction * 1_000_000)) == expected and (fraction * 1_000_000).denominator == 1, (
        f"{where}: EPOCH {fields['EPOCH']} but the TLE epoch is {expected.isoformat()}"
    )
    assert fields.get("CLASSIFICATION_TYPE", "U") == original.classification, f"{where}: CLASSIFICATION_TYPE"
    assert int(fields["ELEMENT_SET_NO"]) == original.elnum, f"{where}: ELEMENT_SET_NO"
    assert int(fields["REV_AT_EPOCH"]) == original.revnum, f"{where}: REV_AT_EPOCH"
    assert int(fields["EPHEMERIS_TYPE"]) == original.ephtype, f"{where}: EPHEMERIS_TYPE"

    # sgp4.omm.initialize parses EPOCH with strptime('%Y-%m-%dT%H:%M:%S.%f'): calendar form, 1–6 fraction digits,
    # as CelesTrak and Space-Track write it. OMM CSV and XML are sgp4's formats and are passed as written; OMM KVN
    # (which sgp4 does not read) may use any CCSDS epoch form, so its EPOCH (already checked exactly) is
    # normalised first.
    if normalise_epoch:
        fields = dict(fields, EPOCH=(whole + timedelta(microseconds=int(fraction * 1_000_000))).strftime("%Y-%m-%dT%H:%M:%S.%f"))
    sat = Satrec()
    try:
        omm.initialize(sat, fields)
    except ValueError as error:
        pytest.fail(f"{where}: sgp4.omm.initialize rejects the record ({error}); EPOCH = {fields['EPOCH']!r}", pytrace=False)
    for attr in IDENTITY:
        assert getattr(sat, attr) == getattr(original, attr), f"{where}: {attr} {getattr(sat, attr)!r} != {getattr(original, attr)!r}"
    for attr in ELEMENTS:
        assert math.isclose(getattr(sat, attr), getattr(original, attr), rel_tol=1e-13, abs_tol=0.0), (
            f"{where}: {attr} {getattr(sat, attr)!r} vs {getattr(original, attr)!r}"
        )
    jd_ours = (sat.jdsatepoch - original.jdsatepoch) + (sat.jdsatepochF - original.jdsatepochF)
    assert abs(jd_ours) <= 2e-11, f"{where}: epoch differs by {jd_ours * 86400e6:.3f} µs"


# ---- Tests --------------------------------------------------------------------------------------------------------

def test_catalogue_is_sane():
    """The oracle's own view of the input: every set parses and propagates at epoch."""
    for name, l1, l2 in CATALOGUE:
        sat = satrec(l1, l2)
        assert sat.satnum == from_alpha5(l1[2:7])
        assert tle_epoch(l1).year in range(1957, 2057)


@pytest.mark.parametrize("element_set", CATALOGUE, ids=set_id)
def test_tle_round_trip_is_identical(essor, tmp_path, element_set):
    name, l1, l2 = element_set
    source = tmp_path / "in.tle"
    source.write_text(f"{l1}\n{l2}\n")
    out = essor.convert(source, "tle", tmp_path / "out.tle")
    sets = read_tle_lines(out.read_text())
    assert len(sets) == 1, f"{len(sets)} element sets written"
    assert_identical(satrec(sets[0][1], sets[0][2]), satrec(l1, l2), set_id(element_set))


@pytest.mark.parametrize("fmt", ["omm-xml", "omm-csv", "omm-kvn"])
@pytest.mark.parametrize("element_set", CATALOGUE, ids=set_id)
def test_omm_matches_tle(essor, tmp_path, element_set, fmt):
    name, l1, l2 = element_set
    source = tmp_path / "in.3le"
    source.write_text(f"{name}\n{l1}\n{l2}\n")
    out = essor.convert(source, fmt, tmp_path / f"out.{fmt}")
    records = read_omm(fmt, out)
    assert len(records) == 1, f"{len(records)} OMMs written"
    assert records[0].get("OBJECT_NAME") == name, f"OBJECT_NAME {records[0].get('OBJECT_NAME')!r}"
    assert_omm_matches(records[0], l1, l2, f"{set_id(element_set)} {fmt}", normalise_epoch=fmt == "omm-kvn")


def test_catalogue_3le_round_trip(essor, tmp_path):
    """The whole catalogue in one 3LE file: same order, same names, identical elements."""
    source = tmp_path / "catalogue.3le"
    source.write_text("".join(f"{name}\n{l1}\n{l2}\n" for name, l1, l2 in CATALOGUE))
    out = essor.convert(source, "3le", tmp_path / "out.3le")
    sets = read_tle_lines(out.read_text())
    assert [s[0] for s in sets] == [s[0] for s in CATALOGUE], "names (or order) differ"
    for (name, l1, l2), (_, o1, o2) in zip(CATALOGUE, sets):
        assert_identical(satrec(o1, o2), satrec(l1, l2), name)


@pytest.mark.parametrize("fmt", ["omm-xml", "omm-csv", "omm-kvn"])
def test_catalogue_omm(essor, tmp_path, fmt):
    """The whole catalogue (2-line TLE file) to one OMM file: one record per set, in order."""
    source = tmp_path / "catalogue.tle"
    source.write_text("".join(f"{l1}\n{l2}\n" for _, l1, l2 in CATALOGUE))
    out = essor.convert(source, fmt, tmp_path / f"catalogue.{fmt}")
    records = read_omm(fmt, out)
    assert len(records) == len(CATALOGUE)
    for fields, (name, l1, l2) in zip(records, CATALOGUE):
        assert_omm_matches(fields, l1, l2, f"{name} {fmt}", normalise_epoch=fmt == "omm-kvn")


def test_omm_back_to_tle_is_identical(essor, tmp_path):
    """TLE → OMM (XML) → TLE loses nothing a TLE can carry."""
    source = tmp_path / "catalogue.tle"
    source.write_text("".join(f"{l1}\n{l2}\n" for _, l1, l2 in CATALOGUE))
    xml = essor.convert(source, "omm-xml", tmp_path / "catalogue.xml")
    out = essor.convert(xml, "tle", tmp_path / "back.tle")
    sets = read_tle_lines(out.read_text())
    assert len(sets) == len(CATALOGUE)
    for (name, l1, l2), (_, o1, o2) in zip(CATALOGUE, sets):
        assert_identical(satrec(o1, o2), satrec(l1, l2), name)
