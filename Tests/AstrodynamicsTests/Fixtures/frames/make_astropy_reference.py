"""Regenerates astropy-teme-2016-leap-second.csv: TEME states → astropy GCRS and ITRS (astropy 8, offline IERS data
from astropy-iers-data: finals2000A.all with Bulletin B values where available). The epochs lie inside
../time/finals2000A-2016-leap-second.all, which the Swift test loads, and straddle the 2016-12-31 leap second.

Run from the repository root: .venv/bin/python Tests/AstrodynamicsTests/Fixtures/frames/make_astropy_reference.py
"""
import csv
from pathlib import Path

import numpy as np
import astropy.units as u
from astropy.coordinates import GCRS, ITRS, TEME, CartesianDifferential, CartesianRepresentation
from astropy.time import Time
from astropy.utils import iers
import astropy_iers_data

iers.conf.auto_download = False
iers.conf.auto_max_age = None
iers.earth_orientation_table.set(iers.IERS_A.open(str(Path(astropy_iers_data.__file__).parent / "data" / "finals2000A.all")))

EPOCHS = ["2016-12-21T00:00:00", "2016-12-24T06:30:15.25", "2016-12-28T17:45:00", "2016-12-31T12:00:00",
          "2016-12-31T23:59:59.5", "2016-12-31T23:59:60.5", "2017-01-01T00:00:00.5", "2017-01-01T12:00:00",
          "2017-01-04T03:14:15.926", "2017-01-08T23:00:00"]
rng = np.random.default_rng(2016)
rows = []
for name, radius, speed in (("LEO", 7000.0, 7.5), ("GEO", 42164.0, 3.07)):
    for iso in EPOCHS:
        t = Time(iso, scale="utc")
        r = rng.normal(size=3); r *= radius / np.linalg.norm(r)
        v = np.cross(r, rng.normal(size=3)); v *= speed / np.linalg.norm(v)
        teme = TEME(CartesianRepresentation(r * u.km, differentials=CartesianDifferential(v * u.km / u.s)), obstime=t)
        row = [name, iso + "Z", *r, *v]
        for frame in (GCRS(obstime=t), ITRS(obstime=t)):
            c = teme.transform_to(frame)
            row += list(c.cartesian.xyz.to_value(u.km)) + list(c.velocity.d_xyz.to_value(u.km / u.s))
        rows.append(row)
out = Path(__file__).with_name("astropy-teme-2016-leap-second.csv")
with out.open("w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["orbit", "utc"] + [f"{frame}_{c}" for frame in ("teme", "gcrs", "itrs")
                                   for c in ("x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s")])
    for row in rows:
        w.writerow([row[0], row[1]] + [repr(float(x)) for x in row[2:]])
print(f"wrote {len(rows)} rows to {out}")
