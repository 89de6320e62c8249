"""Writes Tests/BackendTests/Fixtures/visibility-sky-de421.csv: the Sun and Moon from JPL DE421 (skyfield) at 200
instants over 2020–2030, the reference the Swift `SkyTests` check `Sun` and `Moon` against.

Columns (km, GCRS axes = ICRF, which EME2000 matches to 23 mas):
- `utc`: the instant (whole seconds, ISO 8601 UTC);
- `sun_*`: the geometric Sun (the Earth→Sun vector at the same instant, no light time, no aberration: the
  convention of skyfield's `is_sunlit`);
- `sun_app_*`: the apparent Sun (light time, annual aberration and deflection: `observe(sun).apparent()`);
- `moon_*`: the geometric Moon (Earth→Moon at the same instant);
- `sun_alt_calern_deg`: the apparent Sun's altitude at Calern (43.7525° N, 6.9228° E, 1270 m), no refraction,
  UT1 from skyfield's built-in tables.

Run: .venv/bin/python Tests/oracles/generate_visibility_sky_fixture.py (deterministic: a fixed seed).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import skyfield_data
from skyfield.api import Loader, wgs84

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "Tests" / "BackendTests" / "Fixtures" / "visibility-sky-de421.csv"


def main() -> None:
    load = Loader(os.path.join(os.path.dirname(skyfield_data.__file__), "data"), verbose=False)
    ts = load.timescale(builtin=True)
    eph = load("de421.bsp")
    earth, sun, moon = eph["earth"], eph["sun"], eph["moon"]
    calern = earth + wgs84.latlon(43.7525, 6.9228, elevation_m=1270)
    rng = np.random.default_rng(20260112)
    seconds = np.sort(rng.integers(0, int(3652.5 * 86400), 200))
    rows = ["utc,sun_x,sun_y,sun_z,sun_app_x,sun_app_y,sun_app_z,moon_x,moon_y,moon_z,sun_alt_calern_deg"]
    for s in seconds:
        t = ts.utc(2020, 1, 1, 0, 0, int(s))
        geometric_sun = (sun - earth).at(t).position.km
        apparent_sun = earth.at(t).observe(sun).apparent().position.km
        geometric_moon = (moon - earth).at(t).position.km
        altitude = calern.at(t).observe(sun).apparent().altaz()[0].degrees
        values = [*geometric_sun, *apparent_sun, *geometric_moon]
        rows.append(
            t.utc_strftime("%Y-%m-%dT%H:%M:%SZ") + "," + ",".join(f"{v:.3f}" for v in values) + f",{altitude:.6f}"
        )
    OUT.write_text("\n".join(rows) + "\n")
    print(f"wrote {OUT} ({len(rows) - 1} instants)")


if __name__ == "__main__":
    main()
