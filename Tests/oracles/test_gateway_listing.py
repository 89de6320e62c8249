"""`GET /api/v1/objects`: the objects the caller may read, paged with an opaque cursor.

Following `next` until it is null gives ids strictly ascending, without duplicates, equal to the visible set
(gateway.visible); pages hold `limit` items (default 100, at most 1000); the records follow the contract's Object
shape and the demo data (owner, marking); filters `owner`, `type`, `updated_since` narrow the set.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from gateway import assert_common_headers, demo_object, iso, parse_utc, visible

LISTING = "/api/v1/objects"
OBJECT_KEYS = {"id", "norad_id", "cospar_id", "name", "type", "owner", "marking", "launch_date", "decay_date",
               "updated"}
TYPES = ["PAYLOAD", "ROCKET BODY", "DEBRIS", "UNKNOWN"]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def page(gateway, user: str, **params) -> dict:
    response = gateway.get(LISTING + ("?" + query(params) if params else ""), user=user)
    assert response.status_code == 200, f"{user} {params}: {response.status_code} {response.text[:400]}"
    assert_common_headers(response)
    assert response.headers.get("Content-Type", "").split(";")[0] == "application/json"
    body = response.json()
    assert set(body) == {"items", "next"}, body.keys()
    assert body["next"] is None or (isinstance(body["next"], str) and body["next"])
    return body


class Raw(str):
    """A query value sent exactly as written (already percent-encoded)."""


def query(params: dict) -> str:
    from urllib.parse import quote
    return "&".join(f"{k}={v if isinstance(v, Raw) else quote(str(v), safe='')}" for k, v in params.items())


def walk(gateway, user: str, limit: int | None = None, **filters) -> tuple[list[dict], list[int]]:
    """Every item, following `next`; also the page sizes."""
    items, sizes, cursor, seen_cursors = [], [], None, set()
    params = dict(filters)
    if limit is not None:
        params["limit"] = limit
    while True:
        body = page(gateway, user, **params, **({"cursor": cursor} if cursor else {}))
        items += body["items"]
        sizes.append(len(body["items"]))
        cursor = body["next"]
        if cursor is None:
            return items, sizes
        assert cursor not in seen_cursors, "the same cursor came back twice"
        seen_cursors.add(cursor)
        assert len(sizes) <= 2000, "too many pages"


def assert_object(item: dict) -> None:
    assert set(item) == OBJECT_KEYS, sorted(item)
    assert isinstance(item["id"], int) and item["id"] == item["norad_id"]
    assert item["cospar_id"] is None or isinstance(item["cospar_id"], str)
    assert isinstance(item["name"], str) and item["name"]
    assert item["type"] in TYPES
    owner, marking = demo_object(item["id"])
    assert item["owner"] == owner and item["marking"] == marking, item
    for key in ("launch_date", "decay_date"):
        assert item[key] is None or DATE.match(item[key]), item
    updated = item["updated"]
    assert updated.endswith("Z") or updated.endswith("+00:00"), updated
    parse_utc(updated.replace("+00:00", "Z"))


@pytest.mark.parametrize("user,limit", [("operator-a", None), ("operator-b", 1000), ("partner-1", 97),
                                        ("requester", 500), ("admin", 1000), ("backend", None)])
def test_paging_gives_the_visible_set(gateway, user, limit):
    items, sizes = walk(gateway, user, limit)
    ids = [item["id"] for item in items]
    assert all(a < b for a, b in zip(ids, ids[1:])), "ids not strictly ascending (or duplicated)"
    assert ids == visible(user)
    size = limit or 100
    assert all(s == size for s in sizes[:-1]), f"page sizes {sizes[:5]}…, expected {size}"
    assert sizes[-1] <= size
    for item in items:
        assert_object(item)


def test_default_limit_is_100(gateway):
    body = page(gateway, "admin")
    assert len(body["items"]) == 100 and body["next"]
    assert [item["id"] for item in body["items"]] == list(range(90001, 90101))


def test_record_equals_listing_item(gateway):
    items, _ = walk(gateway, "operator-a", 1000)
    by_id = {item["id"]: item for item in items}
    for norad in (90001, 90005, 90015, 90500, 91090):
        record = gateway.ok(f"/api/v1/objects/{norad}", user="operator-a").json()
        assert record == by_id[norad]


def test_owner_filter(gateway):
    items, _ = walk(gateway, "operator-b", owner="operator-a")
    assert [item["id"] for item in items] == list(range(90005, 90011)), "operators-marked and public ones"
    items, _ = walk(gateway, "admin", owner="operator-a")
    assert [item["id"] for item in items] == list(range(90001, 90011))
    items, _ = walk(gateway, "admin", owner="nobody-at-all")
    assert items == []


@pytest.mark.parametrize("kind", TYPES)
def test_type_filter(gateway, kind):
    """`ROCKET BODY` is sent as `ROCKET%20BODY` (what RFC 3986 clients send; `+` is form encoding)."""
    everything, _ = walk(gateway, "admin", 1000)
    items, _ = walk(gateway, "admin", 1000, type=Raw(kind.replace(" ", "%20")))
    assert all(item["type"] == kind for item in items)
    assert [i["id"] for i in items] == [i["id"] for i in everything if i["type"] == kind]


def test_updated_since(gateway):
    future = datetime.now(timezone.utc) + timedelta(days=365)
    assert walk(gateway, "admin", updated_since=iso(future))[0] == []
    everything, _ = walk(gateway, "admin", 1000, updated_since="2000-01-01T00:00:00Z")
    assert len(everything) == 1100
    # A bound in the middle of the seeded times keeps exactly the records updated at or after it.
    times = sorted(parse_utc(item["updated"].replace("+00:00", "Z")) for item in everything)
    middle = times[len(times) // 2].replace(microsecond=0)
    items, _ = walk(gateway, "admin", 1000, updated_since=iso(middle))
    expected = [i["id"] for i in everything if parse_utc(i["updated"].replace("+00:00", "Z")) >= middle]
    assert [i["id"] for i in items] == expected


def test_cursor_is_bound_to_the_listing(gateway):
    """A cursor continues the listing it came from: the next page starts after the last id."""
    first = page(gateway, "operator-a", limit=10)
    second = page(gateway, "operator-a", limit=10, cursor=first["next"])
    assert second["items"][0]["id"] > first["items"][-1]["id"]
