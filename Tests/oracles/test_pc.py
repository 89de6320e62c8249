"""`essor pc` end to end: a CDM in, the 2D probability of collision out, against NASA CARA's published values.

The CDM is written here from NASA CARA's Omitron case 01 (CARA_Analysis_Tools, Pc2D_Foster unit test: inertial
states in km, km/s and 3x3 position covariances in km²; expected Pc 2.70601573490125e-05 for a 20 m circle and
3.44534649703584e-05 for CARA's square hard body, relative tolerance 1e-3 as the astrodynamics issue sets). The
covariances are rotated into each object's RTN frame (R = r/|r|, N = r×v/|r×v|, T = N×R) with numpy, in metres²,
as a CDM carries them, so the test exercises the CLI, the CDM reader, the RTN → inertial rotation and the
encounter-plane integral together.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from conftest import FIXTURES

TEMPLATE = FIXTURES / "cdm" / "valid" / "cdm_obligatory_3.6.2.kvn"

R1 = [378.39559, 4305.721887, 5752.767554]
V1 = [2.360800244, 5.580331936, -4.322349039]
C1 = [[44.5757544811362, 81.6751751052616, -67.8687662707124],
      [81.6751751052616, 158.453402956163, -128.616921644857],
      [-67.8687662707124, -128.616921644858, 105.490542562701]]
R2 = [374.5180598, 4307.560983, 5751.130418]
V2 = [-5.388125081, -3.946827739, 3.322820358]
C2 = [[2.31067077720423, 1.69905293875632, -1.4170164577661],
      [1.69905293875632, 1.24957388457206, -1.04174164279599],
      [-1.4170164577661, -1.04174164279599, 0.869260558223714]]
PC_CIRCLE = 2.70601573490125e-05
PC_SQUARE = 3.44534649703584e-05


def rtn_metres2(r, v, covariance_km2) -> dict[str, float]:
    r, v = np.array(r), np.array(v)
    radial = r / np.linalg.norm(r)
    normal = np.cross(r, v) / np.linalg.norm(np.cross(r, v))
    transverse = np.cross(normal, radial)
    m = np.array([radial, transverse, normal])
    c = m @ np.array(covariance_km2) @ m.T * 1e6
    return {"CR_R": c[0, 0], "CT_R": c[1, 0], "CT_T": c[1, 1], "CN_R": c[2, 0], "CN_T": c[2, 1], "CN_N": c[2, 2]}


def omitron_cdm(path, hbr_comment: str | None = None):
    """The template CDM with OBJECT1/OBJECT2 states and RTN covariances replaced by the Omitron case."""
    objects = [(R1, V1, C1), (R2, V2, C2)]
    out, index = [], -1
    for line in TEMPLATE.read_text().splitlines():
        keyword = line.split("=", 1)[0].strip()
        if keyword == "OBJECT":
            index += 1
        if keyword == "TCA" and hbr_comment:
            out.append(f"COMMENT {hbr_comment}")
        if index >= 0:
            r, v, c = objects[index]
            values = dict(zip(("X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT"), r + v))
            values.update(rtn_metres2(r, v, c))
            if keyword in values:
                unit = re.search(r"\[.*\]", line).group(0)
                line = f"{keyword:<32} = {float(values[keyword])!r:<24} {unit}"
        out.append(line)
    path.write_text("\n".join(out) + "\n")
    return path


def fields(stdout: str) -> dict[str, str]:
    found = {}
    for line in stdout.splitlines():
        for key, value in re.findall(r"(\w+)=(\S*)", line):
            found.setdefault(key, value)
    return found


@pytest.mark.parametrize("shape, expected", [("circle", PC_CIRCLE), ("square", PC_SQUARE)])
def test_omitron_case_01_matches_cara(essor, tmp_path, shape, expected):
    cdm = omitron_cdm(tmp_path / "omitron01.cdm")
    essor.run("validate", cdm, check=True)
    result = essor.run("pc", cdm, "--hbr", "20", "--shape", shape, check=True)
    first = result.stdout.splitlines()[0]
    assert first.startswith("probability=")
    digits = re.sub(r"[^0-9]", "", first.split("=")[1].split("e")[0]).lstrip("0")
    assert len(digits) >= 12, f"fewer than 12 significant digits: {first}"
    value = fields(result.stdout)
    pc = float(value["probability"])
    assert math.isclose(pc, expected, rel_tol=1e-3), (pc, expected)
    assert value["remediation"] == "none"
    assert value["source"] == "option"
    miss = np.linalg.norm(np.array(R1) - np.array(R2)) * 1000
    assert math.isclose(float(value["miss_distance_m"]), miss, rel_tol=1e-9)
    speed = np.linalg.norm(np.array(V1) - np.array(V2)) * 1000
    assert math.isclose(float(value["relative_speed_m_s"]), speed, rel_tol=1e-9)


def test_chan_agrees_with_foster_on_a_well_conditioned_case(essor, tmp_path):
    cdm = omitron_cdm(tmp_path / "omitron01.cdm")
    foster = float(fields(essor.run("pc", cdm, "--hbr", "20", check=True).stdout)["probability"])
    chan = float(fields(essor.run("pc", cdm, "--hbr", "20", "--method", "chan", check=True).stdout)["probability"])
    assert math.isclose(chan, foster, rel_tol=1e-3), (chan, foster)


def test_hard_body_radius_from_comment_then_default(essor, tmp_path):
    with_comment = omitron_cdm(tmp_path / "hbr.cdm", hbr_comment="HBR = 20.0 m")
    value = fields(essor.run("pc", with_comment, check=True).stdout)
    assert value["source"] == "cdm_comment" and float(value["hard_body_radius_m"]) == 20.0
    assert math.isclose(float(value["probability"]), PC_CIRCLE, rel_tol=1e-3)
    plain = omitron_cdm(tmp_path / "plain.cdm")
    value = fields(essor.run("pc", plain, check=True).stdout)
    assert value["source"] == "default" and float(value["hard_body_radius_m"]) == 20.0


def test_non_positive_definite_covariance_is_remediated_and_reported(essor):
    REPO_FIXTURE = FIXTURES.parent.parent / "AstrodynamicsTests" / "Fixtures" / "conjunction"
    result = essor.run("pc", REPO_FIXTURE / "OmitronTestCase_Test07_NonPDCovariance.cdm", check=True)
    value = fields(result.stdout)
    assert float(value["probability"]) == 0.0  # CARA's expected value for this case
    assert value["remediation"] == "clipped_eigenvalues", result.stdout


def test_not_a_cdm_is_refused(essor):
    result = essor.run("pc", FIXTURES / "opm" / "valid" / sorted(p.name for p in (FIXTURES / "opm" / "valid").iterdir())[0])
    assert result.returncode != 0 and "CDM" in result.stderr and not result.stdout.strip()
