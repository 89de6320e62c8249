"""`GET /api/v1/catalogue`: every latest element set the caller may read, ascending NORAD id.

- 3LE: parses (python-sgp4), one set per visible object, in order: 1086 for operator-a, 1076 for partner-1 and
  the requester, 1100 for admin, none for the backend;
- every format carries the same objects (omm-json array, omm-xml `<ndm>` valid against the XSD, omm-kvn OMMs,
  omm-csv header + rows, tle), and `Accept: text/plain` gives 3LE;
- ETag: `If-None-Match` with it → 304 without a body; another tag → 200;
- `since` in the future → nothing; in the past → everything;
- each catalogue set is the one `/elements` serves.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest
from sgp4.api import Satrec

from conftest import XSD_4
from gateway import assert_common_headers, iso, media_type, visible
from test_xsd import schema

CATALOGUE = "/api/v1/catalogue"


def catalogue(gateway, user: str, **params):
    headers = params.pop("headers", {"Accept": "*/*"})
    response = gateway.get(CATALOGUE, user=user, params=params, headers=headers)
    assert response.status_code == 200, f"{user} {params}: {response.status_code} {response.text[:400]}"
    assert_common_headers(response)
    return response


def parse_3le(text: str) -> list[tuple[str, str, str]]:
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    assert len(lines) % 3 == 0, f"{len(lines)} lines is not a whole number of 3LE sets"
    sets = []
    for i in range(0, len(lines), 3):
        name, line1, line2 = lines[i:i + 3]
        assert line1.startswith("1 ") and line2.startswith("2 "), (name, line1, line2)
        sets.append((name, line1, line2))
    return sets


@pytest.mark.parametrize("user", ["operator-a", "operator-b", "partner-1", "requester", "admin"])
def test_3le_has_every_visible_object_in_order(gateway, user):
    response = catalogue(gateway, user, format="3le")
    assert media_type(response) == "text/plain"
    sets = parse_3le(response.text)
    ids = []
    for name, line1, line2 in sets:
        satellite = Satrec.twoline2rv(line1, line2)
        error, _, _ = satellite.sgp4(satellite.jdsatepoch, satellite.jdsatepochF)
        assert error == 0, (name, error)
        assert name.strip()
        ids.append(satellite.satnum)
    expected = visible(user)
    assert len(ids) == len(expected), f"{user}: {len(ids)} sets, expected {len(expected)}"
    assert ids == expected


def test_counts():
    """The expected visibility, spelled out (policies/default.yaml + the demo data)."""
    assert len(visible("operator-a")) == len(visible("operator-b")) == 1086
    assert len(visible("partner-1")) == len(visible("partner-2")) == len(visible("requester")) == 1076
    assert len(visible("admin")) == 1100 and visible("backend") == []


def test_backend_sees_nothing(gateway):
    response = catalogue(gateway, "backend", format="omm-json")
    assert response.json() == []
    assert catalogue(gateway, "backend", format="3le").text.strip() == ""


def test_formats_agree(gateway, tmp_path):
    user = "operator-a"
    expected = visible(user)
    tle = catalogue(gateway, user, format="tle")
    assert media_type(tle) == "text/plain"
    lines = [line for line in tle.text.splitlines() if line.strip()]
    assert len(lines) == 2 * len(expected)
    assert [Satrec.twoline2rv(lines[i], lines[i + 1]).satnum for i in range(0, len(lines), 2)] == expected

    as_json = catalogue(gateway, user, format="omm-json")
    assert media_type(as_json) == "application/json"
    assert [item["NORAD_CAT_ID"] for item in as_json.json()] == expected

    as_csv = catalogue(gateway, user, format="omm-csv")
    assert media_type(as_csv) == "text/csv"
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [int(row["NORAD_CAT_ID"]) for row in rows] == expected

    as_kvn = catalogue(gateway, user, format="omm-kvn")
    assert media_type(as_kvn) == "text/plain"
    ids = [int(line.split("=", 1)[1]) for line in as_kvn.text.splitlines()
           if line.split("=", 1)[0].strip() == "NORAD_CAT_ID"]
    assert ids == expected
    assert as_kvn.text.count("CCSDS_OMM_VERS") == len(expected)

    as_xml = catalogue(gateway, user, format="omm-xml")
    assert media_type(as_xml) == "application/xml"
    out = tmp_path / "catalogue.xml"
    out.write_bytes(as_xml.content)
    root = ET.parse(out).getroot()
    assert root.tag == "ndm"
    messages = root.findall("omm")
    assert [int(m.findtext(".//NORAD_CAT_ID")) for m in messages] == expected
    errors = list(schema(XSD_4).iter_errors(str(out)))
    assert not errors, "; ".join(f"{e.path}: {e.reason}" for e in errors[:10])


@pytest.mark.parametrize("accept,media", [("text/plain", "text/plain"), ("application/json", "application/json"),
                                          ("application/xml", "application/xml"), ("text/csv", "text/csv"),
                                          (None, "application/json")])
def test_accept_negotiation(gateway, accept, media):
    response = catalogue(gateway, "partner-1", headers={"Accept": accept})
    assert media_type(response) == media
    if accept == "text/plain":
        assert len(parse_3le(response.text)) == len(visible("partner-1")), "text/plain is 3LE"


def test_catalogue_sets_are_the_served_elements(gateway):
    sets = {int(l1[2:7]): (l1, l2) for _, l1, l2 in parse_3le(catalogue(gateway, "admin", format="3le").text)}
    for norad in (90001, 90015, 90500, 91100):
        served = gateway.ok(f"/api/v1/objects/{norad}/elements", user="admin", params={"format": "tle"})
        assert tuple(served.text.strip().splitlines()) == sets[norad]


def test_etag_and_if_none_match(gateway):
    first = catalogue(gateway, "operator-a", format="3le")
    etag = first.headers.get("ETag")
    assert etag and etag.startswith('"') and etag.endswith('"'), f"ETag {etag!r}"
    again = catalogue(gateway, "operator-a", format="3le")
    assert again.headers.get("ETag") == etag and again.content == first.content

    not_modified = gateway.get(CATALOGUE, user="operator-a", params={"format": "3le"},
                               headers={"If-None-Match": etag})
    assert not_modified.status_code == 304, not_modified.text[:300]
    assert not_modified.content == b""
    assert not_modified.headers.get("ETag") == etag
    assert_common_headers(not_modified)

    listed = gateway.get(CATALOGUE, user="operator-a", params={"format": "3le"},
                         headers={"If-None-Match": f'"something-else", {etag}'})
    assert listed.status_code == 304

    other = gateway.get(CATALOGUE, user="operator-a", params={"format": "3le"},
                        headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == first.content


def test_etag_differs_between_callers_with_different_content(gateway):
    mine = catalogue(gateway, "operator-a", format="3le")
    admins = catalogue(gateway, "admin", format="3le")
    assert mine.content != admins.content
    assert mine.headers["ETag"] != admins.headers["ETag"]
    # operator-a's tag does not let the admin skip its larger answer.
    response = gateway.get(CATALOGUE, user="admin", params={"format": "3le"},
                           headers={"If-None-Match": mine.headers["ETag"]})
    assert response.status_code == 200


def test_since(gateway):
    future = datetime.now(timezone.utc) + timedelta(days=365)
    empty = catalogue(gateway, "admin", format="omm-json", since=iso(future))
    assert empty.json() == []
    assert catalogue(gateway, "admin", format="3le", since=iso(future)).text.strip() == ""
    past = datetime(2000, 1, 1, tzinfo=timezone.utc)
    everything = catalogue(gateway, "admin", format="omm-json", since=iso(past))
    assert len(everything.json()) == 1100


def test_unauthenticated(gateway):
    response = gateway.get(CATALOGUE, params={"format": "3le"})
    assert response.status_code == 401
