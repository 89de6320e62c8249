#!/usr/bin/env python3
"""Generates the `essor bench sgp4` catalogue (never committed): 30,000 element sets as 3LE, a LEO/MEO/GEO/HEO mix
close to the public catalogue's (60 % LEO with drag, 15 % MEO GNSS-like, 15 % GEO, 10 % HEO: Molniya and GTO),
so that ~35 % of the sets take SGP4's deep-space branch (period ≥ 225 min). Deterministic (fixed seed).
Elements are initialised with python-sgp4 (`Satrec.sgp4init`) and written with its exporter, so every line has a
valid checksum. Usage: generate_sgp4_catalogue.py OUTFILE [COUNT]"""
import math
import random
import sys

from sgp4.api import WGS72, Satrec
from sgp4.exporter import export_tle

EPOCH_DAYS_SINCE_1949 = 27_706.5  # 2025-11-09 12:00 UTC, in sgp4init's days since 1949 December 31 00:00 UTC


def elements(kind: str, rng: random.Random) -> tuple[float, float, float, float]:
    """(mean motion rev/day, eccentricity, inclination deg, B*) for an orbit class."""
    if kind == "leo":
        return rng.uniform(13.2, 16.0), rng.uniform(0.0, 0.02), rng.uniform(0, 100), rng.uniform(1e-5, 2e-4)
    if kind == "meo":
        return rng.uniform(1.7, 2.3), rng.uniform(0.0, 0.02), rng.uniform(50, 65), rng.uniform(0, 1e-5)
    if kind == "geo":
        return rng.uniform(0.99, 1.01), rng.uniform(0.0, 0.001), rng.uniform(0, 15), 0.0
    if rng.random() < 0.5:  # Molniya
        return rng.uniform(2.0, 2.02), rng.uniform(0.68, 0.74), rng.uniform(62, 64), rng.uniform(0, 1e-4)
    return rng.uniform(2.2, 2.6), rng.uniform(0.70, 0.73), rng.uniform(5, 28), rng.uniform(0, 1e-4)  # GTO


def main() -> None:
    out, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 30_000
    rng = random.Random(20261124)
    kinds = ["leo"] * 60 + ["meo"] * 15 + ["geo"] * 15 + ["heo"] * 10
    with open(out, "w") as f:
        for i in range(count):
            kind = kinds[i % 100]
            n, e, inc, bstar = elements(kind, rng)
            sat = Satrec()
            sat.sgp4init(
                WGS72, "i", 10_000 + i, EPOCH_DAYS_SINCE_1949 + rng.uniform(-5, 0), bstar, 0.0, 0.0, e,
                math.radians(rng.uniform(0, 360)), math.radians(inc), math.radians(rng.uniform(0, 360)),
                n * 2 * math.pi / 1440, math.radians(rng.uniform(0, 360)))
            sat.intldesg = f"25{i % 999 + 1:03d}A"
            line1, line2 = export_tle(sat)
            f.write(f"BENCH {kind.upper()} {i}\n{line1}\n{line2}\n")


if __name__ == "__main__":
    main()
