"""Push by SFTP and drop folders (issue 10), black box, against a real OpenSSH `sshd` on loopback (and a paramiko
SFTP server for the fault case).

- **SFTP push**: `essor-sftp` (a system user created here, `usermod -p '*'`) logs in with the subscription's
  `ssh_public_key` (put in the sshd's `AuthorizedKeysFile`); each CDM arrives as one file
  `cdm_<product id>_<creation time>.<kvn|json>` whose bytes are `GET /api/v1/cdms/{id}?format=…`; no `.part` file
  is left behind.
- **Host key pinning**: a subscription pinned to another key's SHA-256 → attempts fail with class `host-key`,
  nothing is written (the sshd never sees a login).
- **Interrupted transfer**: a paramiko SFTP server cuts the connection in the middle of the first two uploads: no
  file with a final (complete-looking) name ever appears until an upload completes; every rename into a final name
  renames a complete file; the third attempt succeeds and the file is whole.
- **Drop folders**: `--drops DIR`; `{"type": "drop"}` answers `path` = `<user>/<sub id>/`; the file appears under
  `DIR/<user>/<sub id>/`; an sshd configured with `essor drops sshd-config --drops DIR` serves it over
  `internal-sftp` in a chroot to the owning user (`operator-a`, an OS user of that name) and not to `operator-b`.

The OpenSSH tests need root (useradd, sshd, chroot): skipped when not root, a failure with CI=true; the paramiko
fault case runs as any user.
"""

from __future__ import annotations

import re
import shutil
import socket
import stat
import subprocess
import threading
import time
from pathlib import Path

import paramiko
import pytest

from gateway import assert_problem
from push import (
    Sshd, deliveries, ensure_system_user, host_key_sha256, ingest_cdm, keygen, need_root, push_binary,
    root_owned_folder, start_push_server, subscribe, wait_until,
)  # noqa: F401 (push_binary: a fixture)

pytestmark = pytest.mark.usefixtures("push_binary")

SFTP_USER = "essor-sftp"
KEY_LINE = re.compile(r"^ssh-ed25519 AAAA[A-Za-z0-9+/=]+ essor-sub_[0-9a-f]{16}$")


def final_name(kind: str, product_id: str, ext: str) -> re.Pattern:
    return re.compile(rf"^{kind}_{product_id}_(?P<time>[0-9A-Za-z:.\-+]+)\.{ext}$")


def assert_file_name(name: str, summary: dict, ext: str) -> None:
    match = final_name("cdm", summary["id"], ext).match(name)
    assert match, f"{name!r} is not cdm_{summary['id']}_<creation time>.{ext}"
    digits = re.sub(r"\D", "", match["time"])
    created = re.sub(r"\D", "", summary["created"])
    assert digits[:8] == created[:8], f"{name}: the time part does not start with the creation date {summary['created']}"


def visible_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


# ---- the SFTP server (OpenSSH) ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sftp_site():
    need_root("SFTP push to OpenSSH")
    ensure_system_user(SFTP_USER)
    base = root_owned_folder("essor-push-sftp")
    keys = base / "keys"
    keys.mkdir(mode=0o755)
    (keys / SFTP_USER).write_text("")
    (keys / SFTP_USER).chmod(0o644)
    sshd = Sshd(base, f"AuthorizedKeysFile {keys}/%u\nAllowUsers {SFTP_USER}\n")
    yield base, sshd, keys / SFTP_USER
    sshd.stop()
    shutil.rmtree(base, ignore_errors=True)


def inbox(base: Path, name: str) -> Path:
    folder = base / name
    folder.mkdir(mode=0o755)
    shutil.chown(folder, SFTP_USER, SFTP_USER)
    return folder


@pytest.fixture(scope="module")
def sftp_gateway(push_binary, gateway_factory):
    server = start_push_server(gateway_factory, "push-sftp")
    yield server
    gateway_factory.stop(server)


def sftp_channel(port: int, folder: Path, fingerprint: str) -> dict:
    return {"type": "sftp", "url": f"sftp://127.0.0.1:{port}{folder}", "username": SFTP_USER,
            "host_key_sha256": fingerprint}


def authorize(keyfile: Path, created: dict) -> None:
    line = created.get("ssh_public_key", "")
    assert KEY_LINE.match(line), f"ssh_public_key {line!r} is not `ssh-ed25519 AAAA… essor-sub_<16 hex>`"
    assert line.endswith(created["id"])
    with keyfile.open("a") as out:
        out.write(line + "\n")


def test_files_arrive_with_their_names_and_bytes(sftp_gateway, sftp_site):
    gateway = sftp_gateway
    base, sshd, keyfile = sftp_site
    folders = {fmt: inbox(base, f"in-{fmt}") for fmt in ("kvn", "json")}
    subs = {}
    for fmt, folder in folders.items():
        created = subscribe(gateway, "operator-a", {"topic": "cdm", "format": fmt, "filter": {"objects": [90720]},
                                                     "channel": sftp_channel(sshd.port, folder, sshd.fingerprint)})
        assert created["channel"]["type"] == "sftp" and created["channel"]["username"] == SFTP_USER, created
        assert "secret" not in created
        authorize(keyfile, created)
        again = gateway.get(f"/api/v1/subscriptions/{created['id']}", user="operator-a").json()
        assert again.get("ssh_public_key") == created["ssh_public_key"], "the public key is always shown"
        assert "private" not in str(again).lower(), again
        subs[fmt] = created
    stored = [ingest_cdm(gateway, 90003, 90720, tag="SFTP"), ingest_cdm(gateway, 90006, 90720, tag="SFTP")]
    hidden = ingest_cdm(gateway, 90013, 90720, tag="SFTP")          # operator-b's: never pushed to operator-a
    for fmt, folder in folders.items():
        wait_until(lambda: len(visible_files(folder)) >= len(stored), 60,
                   lambda: f"{fmt}: files {visible_files(folder)}; deliveries "
                           f"{deliveries(gateway, 'operator-a', subs[fmt]['id'])}; sshd:\n{sshd.tail()}")
        time.sleep(1.0)
        names = visible_files(folder)
        assert len(names) == len(stored), f"{fmt}: {names}"
        for summary in stored:
            [name] = [n for n in names if n.startswith(f"cdm_{summary['id']}_")]
            assert_file_name(name, summary, fmt)
            served = gateway.get(summary["href"], user="operator-a", params={"format": fmt})
            assert (folder / name).read_bytes() == served.content, f"{fmt}: {name} is not GET ?format={fmt}"
        assert not any(n.startswith(f"cdm_{hidden['id']}_") for n in names), "operator-b's CDM was pushed"
        assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == [], "temporary files left behind"
        log = deliveries(gateway, "operator-a", subs[fmt]["id"])
        assert {d["state"] for d in log} == {"delivered"} and len(log) == len(stored), log


def test_wrong_host_key_is_refused(sftp_gateway, sftp_site, tmp_path):
    gateway = sftp_gateway
    base, sshd, keyfile = sftp_site
    folder = inbox(base, "in-wrong-key")
    other = host_key_sha256(keygen(tmp_path / "other_host_key").with_suffix(".pub"))
    assert other != sshd.fingerprint
    created = subscribe(gateway, "operator-a", {"topic": "cdm", "format": "kvn", "filter": {"objects": [90721]},
                                                 "channel": sftp_channel(sshd.port, folder, other)})
    authorize(keyfile, created)     # the login would work: only the host key is wrong
    ingest_cdm(gateway, 90003, 90721, tag="HOSTKEY")
    entry = wait_until(lambda: next((d for d in deliveries(gateway, "operator-a", created["id"])
                                     if d.get("last_error_class")), None), 30,
                       lambda: f"no failed attempt: {deliveries(gateway, 'operator-a', created['id'])}")
    assert entry["last_error_class"] == "host-key", entry
    assert entry["state"] in ("failed", "pending", "dead") and entry["delivered"] is None, entry
    time.sleep(1.0)
    assert list(folder.iterdir()) == [], "a file was written to a server whose host key does not match"
    assert created["id"] not in sshd.tail() or "Accepted publickey" not in sshd.tail()


def test_bad_sftp_channels(sftp_gateway, sftp_site):
    gateway = sftp_gateway
    _, sshd, _ = sftp_site
    for channel, parameter in (
        ({"type": "sftp", "url": f"sftp://127.0.0.1:{sshd.port}/x", "username": SFTP_USER}, "channel.host_key_sha256"),
        ({"type": "sftp", "url": f"sftp://127.0.0.1:{sshd.port}/x", "host_key_sha256": sshd.fingerprint},
         "channel.username"),
        ({"type": "sftp", "url": f"ftp://127.0.0.1:{sshd.port}/x", "username": SFTP_USER,
          "host_key_sha256": sshd.fingerprint}, "channel.url"),
        ({"type": "sftp", "url": f"sftp://127.0.0.1:{sshd.port}/x", "username": SFTP_USER,
          "host_key_sha256": sshd.fingerprint[:-2]}, "channel.host_key_sha256"),
    ):
        response = gateway.request("POST", "/api/v1/subscriptions", user="operator-a",
                                   json={"topic": "cdm", "format": "kvn", "channel": channel})
        assert_problem(response, 400, "bad-parameter", parameter)


# ---- the interrupted transfer (paramiko) -----------------------------------------------------------------------------

class CuttingSFTP:
    """A paramiko SFTP server on 127.0.0.1 writing into `root`, which cuts the connection in the middle of the first
    `cuts` uploads (half the bytes written, then the socket shut down). Records each rename with the bytes renamed,
    and whether a final-named file was ever seen before the first complete upload."""

    def __init__(self, root: Path, host_key: Path, cuts: int):
        self.root, self.cuts = root, cuts
        self.renames: list[tuple[str, str, bytes]] = []
        self.writes = 0
        self.connections = 0
        self.lock = threading.Lock()
        self.key = paramiko.Ed25519Key.from_private_key_file(str(host_key))
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.transports: list[paramiko.Transport] = []
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while self.running:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            transport = paramiko.Transport(sock)
            transport.add_server_key(self.key)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _Interface, site=self, sock=sock)
            self.transports.append(transport)
            try:
                transport.start_server(server=_Auth())
            except (paramiko.SSHException, OSError, EOFError):
                continue

    def path(self, name: str) -> Path:
        return self.root / name.lstrip("/").split("/")[-1]

    def close(self) -> None:
        self.running = False
        self.listener.close()
        for transport in self.transports:
            transport.close()


class _Auth(paramiko.ServerInterface):
    def get_allowed_auths(self, username):
        return "publickey"

    def check_auth_publickey(self, username, key):
        return paramiko.AUTH_SUCCESSFUL

    def check_channel_request(self, kind, chanid):
        return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class _Handle(paramiko.SFTPHandle):
    def __init__(self, site: CuttingSFTP, sock: socket.socket, target: Path, flags: int):
        super().__init__(flags)
        self.site, self.sock, self.target = site, sock, target
        self.file = target.open("r+b" if target.exists() and not flags & 0o1000 else "w+b")
        self.writefile = self.readfile = self.file

    def write(self, offset, data):
        with self.site.lock:
            cut = self.site.writes < self.site.cuts
            self.site.writes += 1
        if cut:
            self.file.seek(offset)
            self.file.write(data[: max(1, len(data) // 2)])
            self.file.flush()
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return paramiko.SFTP_CONNECTION_LOST
        return super().write(offset, data)


class _Interface(paramiko.SFTPServerInterface):
    def __init__(self, server, *args, site: CuttingSFTP, sock: socket.socket, **kwargs):
        super().__init__(server, *args, **kwargs)
        self.site, self.sock = site, sock

    def open(self, path, flags, attr):
        return _Handle(self.site, self.sock, self.site.path(path), flags)

    def stat(self, path):
        target = self.site.root if path.rstrip("/") in ("", self.site.root.as_posix()) else self.site.path(path)
        if not target.exists():
            return paramiko.SFTP_NO_SUCH_FILE
        return paramiko.SFTPAttributes.from_stat(target.stat())

    lstat = stat

    def list_folder(self, path):
        return [paramiko.SFTPAttributes.from_stat(p.stat(), p.name) for p in self.site.root.iterdir()]

    def remove(self, path):
        self.site.path(path).unlink(missing_ok=True)
        return paramiko.SFTP_OK

    def rename(self, oldpath, newpath):
        source, target = self.site.path(oldpath), self.site.path(newpath)
        if target.exists():
            return paramiko.SFTP_FAILURE
        with self.site.lock:
            self.site.renames.append((source.name, target.name, source.read_bytes()))
        source.rename(target)
        return paramiko.SFTP_OK

    posix_rename = rename

    def mkdir(self, path, attr):
        return paramiko.SFTP_OK

    def canonicalize(self, path):
        return self.site.root.as_posix()


def test_interrupted_transfer_never_leaves_a_complete_looking_file(sftp_gateway, tmp_path):
    gateway = sftp_gateway
    root = tmp_path / "cut"
    root.mkdir()
    host_key = keygen(tmp_path / "cut_host_key")
    site = CuttingSFTP(root, host_key, cuts=2)
    try:
        created = subscribe(gateway, "operator-a", {"topic": "cdm", "format": "kvn", "filter": {"objects": [90722]},
                                                     "channel": {"type": "sftp", "url": f"sftp://127.0.0.1:{site.port}{root}",
                                                                 "username": "anyone",
                                                                 "host_key_sha256": host_key_sha256(
                                                                     host_key.with_suffix(".pub"))}})
        summary = ingest_cdm(gateway, 90003, 90722, tag="CUT")
        expected = gateway.get(summary["href"], user="operator-a", params={"format": "kvn"}).content
        seen_early: list[str] = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not site.renames:
            seen_early += [n for n in visible_files(root) if n not in seen_early]
            time.sleep(0.01)
        assert site.writes >= 3, (f"the upload was not retried after the cuts: {site.writes} writes, "
                                  f"{deliveries(gateway, 'operator-a', created['id'])}")
        assert not seen_early, f"a complete-looking file appeared before any upload completed: {seen_early}"
        wait_until(lambda: visible_files(root), 30, "the upload never completed")
        for source, target, data in site.renames:
            if not target.startswith("."):
                assert data == expected, f"{source} → {target}: renamed while incomplete ({len(data)} of " \
                                         f"{len(expected)} bytes)"
        [name] = visible_files(root)
        assert_file_name(name, summary, "kvn")
        assert (root / name).read_bytes() == expected
        failures = [d for d in deliveries(gateway, "operator-a", created["id"])]
        assert failures and failures[0]["state"] == "delivered" and failures[0]["attempts"] >= 3, failures
    finally:
        site.close()


# ---- drop folders over internal-sftp -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def drop_site(push_binary, gateway_factory):
    need_root("drop folders in an OpenSSH chroot")
    base = root_owned_folder("essor-push-drops")
    drops = base / "drops"
    drops.mkdir(mode=0o755)
    server = start_push_server(gateway_factory, "push-drops", extra=["--drops", str(drops),
                                                                      "--drop-retention-days", "7"])
    yield base, drops, server
    gateway_factory.stop(server)
    shutil.rmtree(base, ignore_errors=True)


def sftp_client(port: int, user: str, key: Path) -> paramiko.SFTPClient:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect("127.0.0.1", port=port, username=user, key_filename=str(key), look_for_keys=False,
                   allow_agent=False, timeout=10)
    return client.open_sftp()


def walk(sftp: paramiko.SFTPClient, folder: str = "/", depth: int = 0) -> dict[str, int]:
    """Every regular file the session can see: path → size (unreadable folders are skipped)."""
    found: dict[str, int] = {}
    try:
        entries = sftp.listdir_attr(folder)
    except OSError:
        return found
    for entry in entries:
        child = folder.rstrip("/") + "/" + entry.filename
        if stat.S_ISDIR(entry.st_mode or 0) and depth < 4:
            found |= walk(sftp, child, depth + 1)
        elif stat.S_ISREG(entry.st_mode or 0):
            found[child] = entry.st_size or 0
    return found


def test_drop_folder_served_to_its_owner_only(drop_site, serve_binary, tmp_path):
    base, drops, gateway = drop_site
    created = subscribe(gateway, "operator-a", {"topic": "cdm", "format": "kvn", "channel": {"type": "drop"},
                                                 "filter": {"objects": [90723]}})
    assert created["path"] in (f"operator-a/{created['id']}/", f"operator-a/{created['id']}"), created
    summary = ingest_cdm(gateway, 90003, 90723, tag="DROP")
    expected = gateway.get(summary["href"], user="operator-a", params={"format": "kvn"}).content
    folder = drops / "operator-a" / created["id"]
    wait_until(lambda: folder.is_dir() and visible_files(folder), 60,
               lambda: f"nothing in {folder}: {deliveries(gateway, 'operator-a', created['id'])}")
    [name] = visible_files(folder)
    assert_file_name(name, summary, "kvn")
    assert (folder / name).read_bytes() == expected
    assert not [p for p in folder.iterdir() if p.name.startswith(".")], "temporary files left behind"

    # OpenSSH with the snippet Essor prints.
    snippet = serve_binary.run("drops", "sshd-config", "--drops", drops, check=True).stdout
    assert "ChrootDirectory" in snippet and "internal-sftp" in snippet, snippet
    for group in re.findall(r"^\s*Match\s+Group\s+(\S+)", snippet, re.M):
        subprocess.run(["groupadd", "-f", "-r", group], check=True, capture_output=True)
    keys = base / "keys"
    keys.mkdir(mode=0o755, exist_ok=True)
    clients = {}
    for user in ("operator-a", "operator-b"):
        ensure_system_user(user)
        for group in re.findall(r"^\s*Match\s+Group\s+(\S+)", snippet, re.M):
            subprocess.run(["usermod", "-a", "-G", group, user], check=True, capture_output=True)
        clients[user] = keygen(tmp_path / f"{user}_key", user)
        (keys / user).write_text(clients[user].with_suffix(".pub").read_text())
        (keys / user).chmod(0o644)
        (drops / user).mkdir(mode=0o755, exist_ok=True)   # operator-b has no subscription: its chroot, empty
    sshd = Sshd(base, f"AuthorizedKeysFile {keys}/%u\n" + snippet)
    try:
        owner = sftp_client(sshd.port, "operator-a", clients["operator-a"])
        files = walk(owner)
        mine = [p for p in files if p.endswith("/" + name)]
        assert mine, f"operator-a does not see {name} over sftp: {files}\n{sshd.tail()}"
        with owner.open(mine[0], "rb") as handle:
            assert handle.read() == expected
        owner.close()

        stranger = sftp_client(sshd.port, "operator-b", clients["operator-b"])
        assert not [p for p in walk(stranger) if name in p], "operator-b sees operator-a's drop"
        for attempt in (f"/operator-a/{created['id']}/{name}", f"/../operator-a/{created['id']}/{name}",
                        f"/{created['id']}/{name}", f"{drops}/operator-a/{created['id']}/{name}"):
            with pytest.raises(OSError):
                stranger.open(attempt, "rb").read()
        stranger.close()
    finally:
        sshd.stop()
