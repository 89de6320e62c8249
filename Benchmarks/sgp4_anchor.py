#!/usr/bin/env python3
"""The `essor bench sgp4` anchor: python-sgp4's C++ `SatrecArray` on one thread, on the same file and grid.

Propagates every set of FILE (TLE/3LE) at N times STEP seconds apart from its epoch, the same work as
`essor bench sgp4 FILE --steps N --step STEP`, best of REPEAT runs. Last line: `props_per_second=X`.
Usage: sgp4_anchor.py FILE --steps N --step SECONDS [--repeat R]"""
import argparse
import time

import numpy as np
from sgp4.api import Satrec, SatrecArray


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--step", type=float, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lines = [line.rstrip("\n") for line in open(args.file) if line.startswith(("1 ", "2 "))]
    satellites = [Satrec.twoline2rv(lines[i], lines[i + 1]) for i in range(0, len(lines) - 1, 2)]
    array = SatrecArray(satellites)
    # SatrecArray takes absolute Julian dates shared by all sets: start at the latest epoch so that each set is
    # propagated N times over a span like ours (the minutes since epoch differ by the epochs' spread, not the work).
    start = max(s.jdsatepoch + s.jdsatepochF for s in satellites)
    offsets = np.arange(args.steps) * args.step / 86_400.0
    jd = np.full(args.steps, np.floor(start))
    fr = (start - np.floor(start)) + offsets
    best = float("inf")
    for _ in range(args.repeat):
        began = time.perf_counter()
        errors, _, _ = array.sgp4(jd, fr)
        best = min(best, time.perf_counter() - began)
    propagations = len(satellites) * args.steps
    print(f"sets={len(satellites)} steps={args.steps} errors={int(np.count_nonzero(errors))} seconds={best:.4f}")
    print(f"props_per_second={propagations / best:.0f}")


if __name__ == "__main__":
    main()
