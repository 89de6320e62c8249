"""Administration from the command line on a temporary SQLite database (DESIGN.md §4, §6): `essor user`, `essor key`,
`essor import`, `essor demo seed`, `essor policy explain --user` (looked up in the store).

What the commands wrote is checked by reading the database with Python's own `sqlite3`, not through Essor.
"""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from conftest import REPO, parse_diagnostics

POLICIES = REPO / "policies"

ISS_3LE = """ISS (ZARYA)
1 25544U 98067A   24001.50000000  .00016717  00000-0  10270-3 0  9997
2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.49815314432964
"""

SATCAT_CSV = """NORAD_CAT_ID,OBJECT_NAME,OBJECT_ID,OBJECT_TYPE,OWNER,MARKING,LAUNCH_DATE,DECAY_DATE
25544,ISS (ZARYA),1998-067A,PAYLOAD,acme,"partners:partner-1,partner-2",1998-11-20,
43013,"NOAA 20",2017-073A,PAYLOAD,,,2017-11-18,
"""


class Store:
    """A database URL for essor and a read-only view of the file for the checks."""

    def __init__(self, path: Path):
        self.path = path
        self.url = f"sqlite:{path}"

    def count(self, table: str) -> int:
        if not self.path.exists():
            return 0
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as db:
            return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]

    def rows(self, sql: str, *args) -> list[tuple]:
        with sqlite3.connect(f"file:{self.path}?mode=ro", uri=True) as db:
            return db.execute(sql, args).fetchall()


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "data" / "essor.sqlite")


def one_error_line(result) -> str:
    """The single stderr line of a failed command (exit 1)."""
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- users and keys ---------------------------------------------------------------------------------------------


def test_user_add_creates_the_organisation_and_refuses_bad_input(essor, store):
    added = essor.run("user", "add", "alice", "--org", "acme", "--role", "operator", "--role", "partner",
                      "--database", store.url, check=True)
    assert "created organisation acme" in added.stdout
    assert store.rows("SELECT organisation FROM users WHERE name = 'alice'") == [("acme",)]
    assert sorted(store.rows("SELECT role FROM user_roles WHERE user_name = 'alice'")) == [("operator",), ("partner",)]

    second = essor.run("user", "add", "bob", "--org", "acme", "--role", "requester", "--database", store.url,
                       check=True)
    assert "created organisation" not in second.stdout

    assert "wizard" in one_error_line(
        essor.run("user", "add", "carol", "--org", "acme", "--role", "wizard", "--database", store.url))
    assert "alice" in one_error_line(
        essor.run("user", "add", "alice", "--org", "acme", "--role", "operator", "--database", store.url))
    assert store.count("users") == 2

    listed = essor.run("user", "list", "--database", store.url, check=True)
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["alice", "bob"]
    essor.run("user", "remove", "bob", "--database", store.url, check=True)
    assert "bob" in one_error_line(essor.run("user", "remove", "bob", "--database", store.url))
    assert store.count("users") == 1


def test_certificate_subject_is_stored_canonical_unique_and_listed(essor, store):
    """DESIGN §4: a client certificate without a SAN URI maps to the user whose full subject DN it carries."""
    added = essor.run("user", "add", "dave", "--org", "acme", "--role", "operator", "--certificate-subject",
                      " cn = dave , organizationName=Acme Ltd, c=GB", "--database", store.url, check=True)
    assert "CN=dave,O=Acme Ltd,C=GB" in added.stdout
    assert store.rows("SELECT certificate_subject FROM users WHERE name = 'dave'") == [("CN=dave,O=Acme Ltd,C=GB",)]

    # Not a DN: refused before anything is written (not even the organisation).
    bad = one_error_line(essor.run("user", "add", "erin", "--org", "other", "--role", "operator",
                                   "--certificate-subject", "dave", "--database", store.url))
    assert "'dave'" in bad and "DN" in bad
    assert store.count("organisations") == 1 and store.count("users") == 1

    # The same DN spelt differently is the same subject: unique across users.
    taken = one_error_line(essor.run("user", "add", "erin", "--org", "acme", "--role", "operator",
                                     "--certificate-subject", "CN=dave, O=Acme Ltd, C=GB", "--database", store.url))
    assert "dave" in taken and "certificate subject" in taken
    essor.run("user", "add", "erin", "--org", "acme", "--role", "partner", "--database", store.url, check=True)
    listed = essor.run("user", "list", "--database", store.url, check=True)
    assert listed.stdout.splitlines() == ["dave\tacme\toperator\tCN=dave,O=Acme Ltd,C=GB", "erin\tacme\tpartner\t-"]

    assert "dave" in one_error_line(essor.run("user", "set-subject", "erin", "cn=dave,o=Acme Ltd,c=GB",
                                              "--database", store.url))
    essor.run("user", "set-subject", "dave", "--clear", "--database", store.url, check=True)
    changed = essor.run("user", "set-subject", "erin", "CN=erin+UID=e1, O=Acme Ltd", "--database", store.url,
                        check=True)
    assert "0.9.2342.19200300.100.1.1=e1+CN=erin,O=Acme Ltd" in changed.stdout
    assert sorted(store.rows("SELECT name, certificate_subject FROM users")) == [
        ("dave", None), ("erin", "0.9.2342.19200300.100.1.1=e1+CN=erin,O=Acme Ltd")]

    assert "--clear" in one_error_line(essor.run("user", "set-subject", "erin", "--database", store.url))
    assert "--clear" in one_error_line(essor.run("user", "set-subject", "erin", "CN=x", "--clear",
                                                 "--database", store.url))
    assert "ghost" in one_error_line(essor.run("user", "set-subject", "ghost", "CN=ghost", "--database", store.url))


def test_key_create_prints_only_the_key_and_revoke_disables_it(essor, store):
    essor.run("user", "add", "alice", "--org", "acme", "--role", "operator", "--database", store.url, check=True)
    created = essor.run("key", "create", "alice", "--database", store.url, check=True)
    text = created.stdout.strip()
    assert created.stdout.count("\n") == 1 and text.startswith("essor_"), created.stdout
    key_id = text.split("_")[1]
    assert len(key_id) == 16
    # Only the hash is stored: the text appears nowhere in the database file.
    assert text.encode() not in store.path.read_bytes()
    assert store.rows("SELECT user_name, revoked_us FROM api_keys WHERE id = ?", key_id) == [("alice", None)]

    listed = essor.run("key", "list", "alice", "--database", store.url, check=True)
    assert f"essor_{key_id}" in listed.stdout and text not in listed.stdout

    essor.run("key", "revoke", key_id, "--database", store.url, check=True)
    assert store.rows("SELECT revoked_us IS NOT NULL FROM api_keys WHERE id = ?", key_id) == [(1,)]
    assert "0000000000000000" in one_error_line(
        essor.run("key", "revoke", "0000000000000000", "--database", store.url))
    assert "ghost" in one_error_line(essor.run("key", "create", "ghost", "--database", store.url))


# --- import -----------------------------------------------------------------------------------------------------


def test_import_loads_element_sets_and_object_records_atomically(essor, store, tmp_path):
    (tmp_path / "iss.3le").write_text(ISS_3LE)
    (tmp_path / "satcat.csv").write_text(SATCAT_CSV)
    essor.run("user", "add", "alice", "--org", "acme", "--role", "operator", "--database", store.url, check=True)

    result = essor.run("import", tmp_path / "satcat.csv", tmp_path / "iss.3le", "--database", store.url, check=True)
    assert "objects created 2" in result.stdout and "element sets added 1" in result.stdout
    assert store.rows("SELECT owner, marking, cospar_id FROM objects WHERE norad_id = 25544") == [
        ("acme", "partners:partner-1,partner-2", "1998-067A")]
    assert store.rows("SELECT owner, marking FROM objects WHERE norad_id = 43013") == [(None, "public")]
    assert store.rows("SELECT norad_id, source FROM element_sets") == [(25544, "import:iss.3le")]

    # The same set again is skipped, not an error; an OMM for a new object creates it from OBJECT_NAME/OBJECT_ID.
    omm = tmp_path / "other.omm"
    other = tmp_path / "other.3le"
    other.write_text(ISS_3LE.replace("ISS (ZARYA)", "SYNTH IMPORT").replace("25544U", "25545U")
                     .replace("2 25544 ", "2 25545 ").replace("0  9997", "0  9998").replace("432964", "432965"))
    essor.run("convert", other, "--to", "omm-kvn", "-o", omm, check=True)
    again = essor.run("import", tmp_path / "iss.3le", omm, "--owner", "acme", "--marking", "restricted",
                      "--database", store.url, check=True)
    assert "objects created 1" in again.stdout and "element sets added 1, skipped 1" in again.stdout
    assert store.rows("SELECT name, owner, marking FROM objects WHERE norad_id = 25545") == [
        ("SYNTH IMPORT", "acme", "restricted")]


def test_an_invalid_file_writes_nothing(essor, store, tmp_path):
    (tmp_path / "iss.3le").write_text(ISS_3LE)
    (tmp_path / "satcat.csv").write_text(SATCAT_CSV)
    broken = tmp_path / "broken.3le"
    broken.write_text(ISS_3LE.replace("432964", "432960"))  # wrong checksum on line 3
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("NORAD_CAT_ID,OBJECT_NAME,OBJECT_TYPE,MARKING\n1,X,SPACESHIP,public\nabc,Y,PAYLOAD,secret\n")
    essor.run("user", "add", "alice", "--org", "acme", "--role", "operator", "--database", store.url, check=True)

    for files in ([tmp_path / "iss.3le", broken], [bad_csv, tmp_path / "iss.3le"]):
        result = essor.run("import", *files, "--database", store.url)
        assert result.returncode == 1
        problems = parse_diagnostics(result.stderr)
        assert problems and all(m["severity"] == "error" for m in problems), result.stderr
        assert {Path(m["file"]).name for m in problems} == {files[0].name if files[0] == bad_csv else broken.name}
        assert store.count("objects") == 0 and store.count("element_sets") == 0

    csv_problems = parse_diagnostics(essor.run("import", bad_csv, "--database", store.url).stderr)
    assert [(m["line"], m["col"]) for m in csv_problems] == [("2", "5"), ("3", "1"), ("3", "15")]

    # An unknown organisation in a valid file: reported where it is written, nothing written either.
    (tmp_path / "ghost.csv").write_text(SATCAT_CSV.replace(",acme,", ",ghost-org,"))
    result = essor.run("import", tmp_path / "ghost.csv", tmp_path / "iss.3le", "--database", store.url)
    problems = parse_diagnostics(result.stderr)
    assert result.returncode == 1 and len(problems) == 1 and "ghost-org" in problems[0]["message"]
    assert (problems[0]["line"], problems[0]["col"]) == ("2", "37")
    assert "nobody" in one_error_line(
        essor.run("import", tmp_path / "iss.3le", "--owner", "nobody", "--database", store.url))
    assert store.count("objects") == 0 and store.count("element_sets") == 0


# --- demo data set and policy explain ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(essor, tmp_path_factory) -> tuple[Store, dict[str, str]]:
    folder = tmp_path_factory.mktemp("demo")
    store = Store(folder / "data" / "essor.sqlite")
    keys_file = folder / "keys.json"
    result = essor.run("demo", "seed", "--database", store.url, "--keys-out", keys_file, check=True)
    assert "1100 objects" in result.stdout
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    return store, json.loads(keys_file.read_text())


def test_demo_seed_writes_users_catalogue_and_keys(essor, demo, tmp_path):
    store, keys = demo
    users = ["admin", "backend", "operator-a", "operator-b", "partner-1", "partner-2", "requester"]
    assert sorted(keys) == users and all(k.startswith("essor_") for k in keys.values())
    assert sorted(store.rows("SELECT name, organisation FROM users")) == [(u, u) for u in users]
    assert store.count("objects") == 1100 and store.count("element_sets") == 3300
    assert store.rows("SELECT min(norad_id), max(norad_id) FROM objects") == [(90001, 91100)]
    assert store.rows("SELECT owner, marking FROM objects WHERE norad_id IN (90001, 90005, 90008, 91100) "
                      "ORDER BY norad_id") == [("operator-a", "restricted"), ("operator-a", "operators"),
                                               ("operator-a", "public"), (None, "restricted")]
    assert all(name.startswith("SYNTH ") for (name,) in store.rows("SELECT name FROM objects"))
    again = essor.run("demo", "seed", "--database", store.url, "--keys-out", tmp_path / "k.json")
    assert "already" in one_error_line(again)
    assert not (tmp_path / "k.json").exists()


def test_policy_explain_looks_the_user_and_object_up(essor, demo):
    store, _ = demo
    common = ("policy", "explain", "--policies", POLICIES, "--database", store.url, "--action", "read:elements")
    own = essor.run(*common, "--user", "operator-a", "--object", "90001")
    assert own.returncode == 0 and own.stdout.startswith("ALLOW"), own.stdout + own.stderr
    assert "organisation operator-a" in own.stdout
    other = essor.run(*common, "--user", "operator-a", "--object", "90011")
    assert other.returncode == 1 and other.stdout.startswith("DENY"), other.stdout + other.stderr
    public = essor.run(*common, "--user", "partner-1", "--object", "90500")
    assert public.returncode == 0 and public.stdout.startswith("ALLOW"), public.stdout + public.stderr
    assert "ghost" in one_error_line(essor.run(*common, "--user", "ghost"))
    assert "99999" in one_error_line(essor.run(*common, "--user", "operator-a", "--object", "99999"))
    # The explicit mode still works without a store.
    explicit = essor.run("policy", "explain", "--policies", POLICIES, "--user", "x", "--org", "operator-a", "--role",
                         "operator", "--action", "read:elements", "--object", "90001", "--owner", "operator-a",
                         "--marking", "restricted", "--database", "sqlite:/nonexistent/never/created.sqlite")
    assert explicit.returncode == 0 and explicit.stdout.startswith("ALLOW")


def test_audit_list_reads_the_log(essor, demo):
    store, _ = demo
    result = essor.run("audit", "list", "--limit", "5", "--database", store.url, check=True)
    assert result.stdout == ""  # nothing audited yet: seeding is not a policy decision
