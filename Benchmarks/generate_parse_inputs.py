#!/usr/bin/env python3
"""Generates the `essor bench parse` inputs (never committed): a 200,000-state OEM KVN (~20 MB), a 20,000-line
TDM and a 30,000-object 3LE catalogue. Deterministic (fixed seed). Usage: generate_parse_inputs.py OUTDIR"""
import math
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path


def oem(path: Path, states: int) -> None:
    start = datetime(2026, 1, 1)
    step = timedelta(seconds=60)
    stop = start + step * (states - 1)
    with path.open("w") as out:
        out.write("CCSDS_OEM_VERS = 3.0\nCREATION_DATE = 2026-01-01T00:00:00\nORIGINATOR = ESSOR BENCH\n")
        out.write("META_START\nOBJECT_NAME = BENCH SAT\nOBJECT_ID = 2026-001A\nCENTER_NAME = EARTH\n")
        out.write("REF_FRAME = EME2000\nTIME_SYSTEM = UTC\n")
        out.write(f"START_TIME = {start:%Y-%m-%dT%H:%M:%S}.000\nSTOP_TIME = {stop:%Y-%m-%dT%H:%M:%S}.000\n")
        out.write("META_STOP\n")
        r, n = 7000.0, 2 * math.pi / 5828.5
        for i in range(states):
            t = i * 60.0
            c, s = math.cos(n * t), math.sin(n * t)
            epoch = start + step * i
            out.write(
                f"{epoch:%Y-%m-%dT%H:%M:%S}.000 {r * c:.6f} {r * s * 0.8:.6f} {r * s * 0.6:.6f} "
                f"{-r * n * s:.9f} {r * n * c * 0.8:.9f} {r * n * c * 0.6:.9f}\n")


def tdm(path: Path, lines: int) -> None:
    start = datetime(2026, 1, 1)
    with path.open("w") as out:
        out.write("CCSDS_TDM_VERS = 2.0\nCREATION_DATE = 2026-01-01T00:00:00\nORIGINATOR = ESSOR BENCH\n")
        out.write("META_START\nTIME_SYSTEM = UTC\nPARTICIPANT_1 = DSS-25\nPARTICIPANT_2 = 2026-001A\n")
        out.write("MODE = SEQUENTIAL\nPATH = 1,2,1\nANGLE_TYPE = AZEL\nMETA_STOP\nDATA_START\n")
        for i in range(lines):
            epoch = start + timedelta(seconds=i)
            keyword = ("RANGE", "ANGLE_1", "ANGLE_2", "RECEIVE_FREQ_2")[i % 4]
            value = (12345.678 + i, 120.5 + (i % 100) / 10, 30.25 + (i % 50) / 10, 2.2876e9 + i)[i % 4]
            out.write(f"{keyword} = {epoch:%Y-%m-%dT%H:%M:%S}.000 {value}\n")
        out.write("DATA_STOP\n")


def checksum(line: str) -> int:
    return sum(int(ch) if ch.isdigit() else (1 if ch == "-" else 0) for ch in line) % 10


def catalogue(path: Path, objects: int) -> None:
    rng = random.Random(42)
    with path.open("w") as out:
        for k in range(objects):
            norad = 10000 + k
            kind = k % 4
            inc, ecc, mm = [(rng.uniform(40, 99), rng.uniform(0, 0.02), rng.uniform(13.5, 16)),
                            (rng.uniform(50, 65), rng.uniform(0, 0.02), rng.uniform(1.9, 2.1)),
                            (rng.uniform(0, 15), rng.uniform(0, 0.001), rng.uniform(0.99, 1.01)),
                            (rng.uniform(60, 65), rng.uniform(0.6, 0.75), rng.uniform(2.0, 2.01))][kind]
            day = rng.uniform(1, 365)
            l1 = (f"1 {norad:05d}U 26001A   26{day:012.8f}  .00000000  00000-0  10000-3 0  999")
            l2 = (f"2 {norad:05d} {inc:8.4f} {rng.uniform(0, 360):8.4f} {int(ecc * 1e7):07d} "
                  f"{rng.uniform(0, 360):8.4f} {rng.uniform(0, 360):8.4f} {mm:11.8f}{rng.randint(0, 99999):5d}")
            out.write(f"SYNTHETIC {norad}\n{l1}{checksum(l1)}\n{l2}{checksum(l2)}\n")


if __name__ == "__main__":
    outdir = Path(sys.argv[1] if len(sys.argv) > 1 else ".build/bench")
    outdir.mkdir(parents=True, exist_ok=True)
    oem(outdir / "oem-200k.kvn", 200_000)
    tdm(outdir / "tdm-20k.kvn", 20_000)
    catalogue(outdir / "catalogue-30k.3le", 30_000)
    print(outdir)
