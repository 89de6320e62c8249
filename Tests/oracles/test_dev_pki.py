"""`essor certs init` and `essor certs client` (DESIGN.md §6 "Dev PKI"), checked with OpenSSL.

Oracles: the `openssl` command (`verify` with purposes, host names and IP addresses; `x509 -text`) and Python's
`ssl` module, which completes a mutual-TLS handshake over a socket pair with OpenSSL's strict X.509 checks
(`VERIFY_X509_STRICT`). Python `cryptography` is not installed in .venv, so it is not used here.
"""

from __future__ import annotations

import re
import shutil
import socket
import ssl
import stat
import subprocess
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import REPO

# DESIGN.md §6 "Demo data set" users, plus `backend` (the reference backend's mTLS identity, DESIGN.md §2, §7).
USERS = ["operator-a", "operator-b", "partner-1", "partner-2", "requester", "admin", "backend"]
MAX_VALIDITY_DAYS = 366

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


def openssl(*args: object, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["openssl", *map(str, args)], capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        pytest.fail(f"openssl {' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result


def text(cert: Path) -> str:
    return openssl("x509", "-in", cert, "-noout", "-text").stdout


def extension(cert_text: str, name: str) -> tuple[bool, str]:
    """(critical, value) of an X509v3 extension in `openssl x509 -text` output."""
    match = re.search(rf"X509v3 {re.escape(name)}:( critical)?[ \t]*\n\s+(.+)", cert_text)
    assert match, f"no {name} extension in\n{cert_text}"
    return bool(match.group(1)), match.group(2).strip()


def verify(ca: Path, cert: Path, *options: str) -> subprocess.CompletedProcess:
    return openssl("verify", "-x509_strict", "-CAfile", ca, *options, cert, check=False)


@pytest.fixture(scope="module")
def pki(essor, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pki") / "certs"
    result = essor.run("certs", "init", "--dir", folder, check=True)
    assert "server-key.pem" in result.stdout
    return folder


def all_files(folder: Path) -> list[Path]:
    names = ["ca.pem", "ca-key.pem", "server.pem", "server-key.pem"]
    names += [f"clients/{u}{suffix}.pem" for u in USERS for suffix in ("", "-key")]
    return [folder / n for n in names]


def test_init_writes_every_file_with_private_keys_mode_0600(pki):
    for path in all_files(pki):
        assert path.is_file(), path
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.name.endswith("-key.pem"):
            assert mode == 0o600, f"{path}: {oct(mode)}"
            assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
        else:
            assert mode & 0o022 == 0, f"{path}: {oct(mode)}"
            assert path.read_text().startswith("-----BEGIN CERTIFICATE-----")


@pytest.mark.parametrize("name", ["ca", "server", *(f"clients/{u}" for u in USERS)])
def test_each_key_matches_its_certificate(pki, name):
    from_cert = openssl("x509", "-in", pki / f"{name}.pem", "-noout", "-pubkey").stdout
    from_key = openssl("pkey", "-in", pki / f"{name}-key.pem", "-pubout").stdout
    assert from_cert == from_key
    assert "prime256v1" in text(pki / f"{name}.pem")


def test_ca_extensions(pki):
    ca = text(pki / "ca.pem")
    assert extension(ca, "Basic Constraints") == (True, "CA:TRUE, pathlen:0")
    assert extension(ca, "Key Usage") == (True, "Certificate Sign, CRL Sign")
    assert "X509v3 Subject Key Identifier" in ca


def test_server_extensions(pki):
    server = text(pki / "server.pem")
    assert extension(server, "Basic Constraints") == (True, "CA:FALSE")
    assert extension(server, "Key Usage") == (True, "Digital Signature")
    assert extension(server, "Extended Key Usage") == (False, "TLS Web Server Authentication")
    critical, names = extension(server, "Subject Alternative Name")
    assert not critical
    assert set(names.split(", ")) == {"DNS:localhost", "IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1"}


@pytest.mark.parametrize("user", USERS)
def test_client_extensions(pki, user):
    client = text(pki / "clients" / f"{user}.pem")
    assert extension(client, "Basic Constraints") == (True, "CA:FALSE")
    assert extension(client, "Key Usage") == (True, "Digital Signature")
    assert extension(client, "Extended Key Usage") == (False, "TLS Web Client Authentication")
    assert extension(client, "Subject Alternative Name") == (False, f"URI:urn:essor:user:{user}")
    assert f"CN = {user}" in client


@pytest.mark.parametrize("name", ["ca", "server", *(f"clients/{u}" for u in USERS)])
def test_validity_at_most_366_days_and_positive_serial(pki, name):
    cert = pki / f"{name}.pem"
    out = openssl("x509", "-in", cert, "-noout", "-startdate", "-enddate", "-serial").stdout
    fields = dict(line.split("=", 1) for line in out.splitlines())
    parse = lambda s: datetime.strptime(s, "%b %d %H:%M:%S %Y %Z").replace(tzinfo=timezone.utc)
    start, end = parse(fields["notBefore"]), parse(fields["notAfter"])
    assert start <= datetime.now(timezone.utc) < end
    assert (end - start).total_seconds() <= MAX_VALIDITY_DAYS * 86400
    assert not fields["serial"].startswith("-") and int(fields["serial"], 16) > 0
    assert "Negative" not in text(cert)


def test_openssl_verifies_the_server_certificate(pki):
    ca, server = pki / "ca.pem", pki / "server.pem"
    for options in ([], ["-purpose", "sslserver"], ["-verify_hostname", "localhost"],
                    ["-verify_ip", "127.0.0.1"], ["-verify_ip", "::1"]):
        result = verify(ca, server, *options)
        assert result.returncode == 0 and result.stdout.strip().endswith("OK"), (options, result.stderr)
    assert verify(ca, server, "-verify_hostname", "example.com").returncode != 0
    assert verify(ca, server, "-purpose", "sslclient").returncode != 0


@pytest.mark.parametrize("user", USERS)
def test_openssl_verifies_each_client_certificate_for_client_auth_only(pki, user):
    ca, client = pki / "ca.pem", pki / "clients" / f"{user}.pem"
    result = verify(ca, client, "-purpose", "sslclient")
    assert result.returncode == 0 and result.stdout.strip().endswith("OK"), result.stderr
    assert verify(ca, client, "-purpose", "sslserver").returncode != 0


def test_mutual_tls_handshake_with_strict_checks(pki):
    """Python's ssl (OpenSSL) as both ends: the server requires a client certificate from the dev CA."""
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    server_ctx.load_cert_chain(pki / "server.pem", pki / "server-key.pem")
    server_ctx.load_verify_locations(pki / "ca.pem")
    server_ctx.verify_mode = ssl.CERT_REQUIRED
    server_ctx.verify_flags |= ssl.VERIFY_X509_STRICT
    client_ctx = ssl.create_default_context(cafile=pki / "ca.pem")
    client_ctx.verify_flags |= ssl.VERIFY_X509_STRICT
    client_ctx.load_cert_chain(pki / "clients" / "operator-a.pem", pki / "clients" / "operator-a-key.pem")

    left, right = socket.socketpair()
    seen: dict[str, object] = {}

    def serve() -> None:
        try:
            with server_ctx.wrap_socket(left, server_side=True) as tls:
                seen["peer"] = tls.getpeercert()
                tls.sendall(b"ok")
        except Exception as error:  # reported by the assertion below
            seen["error"] = error

    thread = threading.Thread(target=serve)
    thread.start()
    with client_ctx.wrap_socket(right, server_hostname="localhost") as tls:
        assert tls.recv(2) == b"ok"
    thread.join(timeout=30)
    assert "error" not in seen, seen.get("error")
    peer = seen["peer"]
    assert ("URI", "urn:essor:user:operator-a") in peer["subjectAltName"]


def test_second_init_changes_nothing(essor, pki):
    before = {p: p.read_bytes() for p in all_files(pki)}
    result = essor.run("certs", "init", "--dir", pki, check=True)
    assert "nothing to do" in result.stdout
    assert {p: p.read_bytes() for p in all_files(pki)} == before


def test_force_reissues_leaves_and_keeps_the_ca(essor, tmp_path):
    folder = tmp_path / "certs"
    essor.run("certs", "init", "--dir", folder, check=True)
    before = {p: p.read_bytes() for p in all_files(folder)}
    essor.run("certs", "init", "--dir", folder, "--force", check=True)
    assert (folder / "ca.pem").read_bytes() == before[folder / "ca.pem"]
    assert (folder / "ca-key.pem").read_bytes() == before[folder / "ca-key.pem"]
    assert (folder / "server.pem").read_bytes() != before[folder / "server.pem"]
    assert stat.S_IMODE((folder / "server-key.pem").stat().st_mode) == 0o600
    assert verify(folder / "ca.pem", folder / "server.pem").returncode == 0


def test_half_a_pair_is_an_error_without_force(essor, tmp_path):
    folder = tmp_path / "certs"
    essor.run("certs", "init", "--dir", folder, check=True)
    (folder / "server-key.pem").unlink()
    server = (folder / "server.pem").read_bytes()
    result = essor.run("certs", "init", "--dir", folder)
    assert result.returncode == 1 and "--force" in result.stderr, result.stderr
    assert (folder / "server.pem").read_bytes() == server


def test_certs_client_issues_one_user_from_the_existing_ca(essor, pki):
    ca = (pki / "ca.pem").read_bytes()
    essor.run("certs", "client", "partner-9", "--dir", pki, check=True)
    cert, key = pki / "clients" / "partner-9.pem", pki / "clients" / "partner-9-key.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert (pki / "ca.pem").read_bytes() == ca
    assert extension(text(cert), "Subject Alternative Name") == (False, "URI:urn:essor:user:partner-9")
    assert verify(pki / "ca.pem", cert, "-purpose", "sslclient").returncode == 0
    again = essor.run("certs", "client", "partner-9", "--dir", pki)
    assert again.returncode == 1 and "exists" in again.stderr
    assert essor.run("certs", "client", "../evil", "--dir", pki).returncode != 0


def test_private_keys_are_git_ignored():
    paths = ["certs/ca-key.pem", "certs/server-key.pem", "certs/clients/admin-key.pem"]
    result = subprocess.run(["git", "check-ignore", *paths], cwd=REPO, capture_output=True, text=True)
    assert result.stdout.split() == paths, result.stderr
