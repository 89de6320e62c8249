"""The element sets the oracle tests share: Vallado's verification catalogue as packaged in PyPI `sgp4`.

`CATALOGUE` holds the sets of `sgp4/SGP4-VER.TLE` whose two lines carry valid checksums and an international
designator (27 distinct objects: LEO with drag, Molniya, GEO, GPS-like, deep-space resonance cases, negative
exponents), plus one Alpha-5 set made from 28057 (T0001 = 270001). Only columns 1-69 are used (Vallado appends
test-run parameters).
"""

from __future__ import annotations

from importlib import resources


def checksum(line: str) -> int:
    return sum(int(c) if c.isdigit() else 1 if c == "-" else 0 for c in line[:68]) % 10


def with_checksum(line: str) -> str:
    return line[:68] + str(checksum(line))


def load_catalogue() -> list[tuple[str, str, str]]:
    """(name, line1, line2) from sgp4's SGP4-VER.TLE, filtered as described above, plus the Alpha-5 set."""
    text = (resources.files("sgp4") / "SGP4-VER.TLE").read_text()
    lines = text.splitlines()
    sets, seen = [], set()
    for i, line in enumerate(lines[:-1]):
        l1, l2 = line[:69], lines[i + 1][:69]
        if not (l1.startswith("1 ") and l2.startswith("2 ") and len(l1) == 69 and len(l2) == 69):
            continue
        if checksum(l1) != int(l1[68]) or checksum(l2) != int(l2[68]) or not l1[9:17].strip():
            continue
        if l1[2:7] in seen:
            continue
        seen.add(l1[2:7])
        sets.append((f"SGP4-VER {l1[2:7]}", l1, l2))
    base = next(s for s in sets if s[1][2:7] == "28057")
    sets.append(("ALPHA5 T0001", with_checksum(base[1][:2] + "T0001" + base[1][7:]),
                 with_checksum(base[2][:2] + "T0001" + base[2][7:])))
    return sets


CATALOGUE = load_catalogue()
assert len(CATALOGUE) >= 25, f"only {len(CATALOGUE)} usable element sets in SGP4-VER.TLE"
