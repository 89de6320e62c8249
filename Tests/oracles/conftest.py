"""Shared fixtures for the oracle tests.

The tests drive the `essor` command line (never the Swift library directly) and check what it writes with
independent implementations: `xmlschema` against the official NDM/XML schemas, the PyPI `oem` package, and
Vallado's SGP4 as packaged by `sgp4`.

Paths:
- the binary: $ESSOR_BIN, default `<repo>/.build/debug/essor` (built by `swift build --build-tests`);
  a missing binary stops the run with exit status 1 (CI must never pass without running Essor);
- the CCSDS reference material (Blue Book examples, NDM/XML schemas): `<repo>/Tests/Fixtures/ccsds`, kept in the
  repository so that a clone alone runs every test ($ESSOR_SHARED_CCSDS overrides).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_CCSDS = Path(os.environ.get("ESSOR_SHARED_CCSDS", REPO / "Tests" / "Fixtures" / "ccsds")).resolve()
FIXTURES = REPO / "Tests" / "CCSDSTests" / "Fixtures"
EXAMPLES = SHARED_CCSDS / "examples"
XSD_4 = SHARED_CCSDS / "xsd" / "ndmxml-4.0.0" / "ndmxml-4.0.0-master-4.0.xsd"
XSD_2 = SHARED_CCSDS / "xsd" / "ndmxml-2.0.0-unqualified" / "ndmxml-2.0.0-master-2.0.xsd"

# `FILE:LINE:COL: error|warning: MESSAGE` (DESIGN.md §6).
DIAGNOSTIC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): (?P<message>.+)$")

TIMEOUT = 300  # seconds per essor invocation (debug build, 2-core machine)


def essor_binary() -> Path:
    value = os.environ.get("ESSOR_BIN")
    return Path(value).resolve() if value else REPO / ".build" / "debug" / "essor"


# The copy of TDM example E-3 puts MODE before PARTICIPANT_2, against CCSDS 503.0-B-2 §3.3.1.8 (the book's
# Figure E-3 has the right order): the text of the standard wins, and Tests/CCSDSTests checks that we reject it.
KNOWN_BAD_EXAMPLES = {"tdm_e3.kvn"}


def bluebook_examples(*types: str) -> list[Path]:
    """Blue Book annex examples (KVN and XML) of the given message types (`oem`, `opm` …)."""
    files = []
    for encoding in ("kvn", "xml"):
        for t in types:
            files += sorted((EXAMPLES / encoding).glob(f"{t}_*.{encoding}"))
    return [f for f in files if f.name not in KNOWN_BAD_EXAMPLES]


def valid_fixtures(*types: str) -> list[Path]:
    """Files in Tests/CCSDSTests/Fixtures/<type>/valid/ (folders that do not exist yet give nothing)."""
    files = []
    for t in types:
        folder = FIXTURES / t / "valid"
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    return files


def case_id(path: Path) -> str:
    """A short, stable test id: `bluebook/kvn/oem_g11.kvn` or `fixtures/cdm/valid/x.kvn`."""
    if path.is_relative_to(EXAMPLES):
        return "bluebook/" + path.relative_to(EXAMPLES).as_posix()
    if path.is_relative_to(FIXTURES):
        return "fixtures/" + path.relative_to(FIXTURES).as_posix()
    return path.name


def message_type(path: Path) -> str:
    """`oem`, `opm`, `omm`, `cdm` or `tdm`: the fixture folder, else the Blue Book file-name prefix."""
    if path.is_relative_to(FIXTURES):
        return path.relative_to(FIXTURES).parts[0]
    return path.name.split("_", 1)[0]


# Keywords that ODM 3.0 added (502.0-B-3 Annex J): a message using one cannot be written as 2.0, and Essor refuses
# (`.notRepresentable`) rather than drop data.
ODM3_ONLY_KEYWORDS = ("CLASSIFICATION", "MESSAGE_ID", "BTERM", "AGOM")


def without_odm3_keywords(source: Path, directory: Path) -> Path:
    """A copy of an ODM (KVN or XML) without the 3.0-only keywords, so that it can be written as version 2.0."""
    text = source.read_text()
    if source.suffix == ".xml" or text.lstrip().startswith("<"):
        for keyword in ODM3_ONLY_KEYWORDS:
            text = re.sub(rf"[ \t]*<{keyword}>.*?</{keyword}>[ \t]*\r?\n?", "", text, flags=re.S)
    else:
        text = "".join(
            line for line in text.splitlines(keepends=True)
            if line.split("=", 1)[0].strip() not in ODM3_ONLY_KEYWORDS
        )
    copy = directory / f"odm2-compatible-{source.name}"
    copy.write_text(text)
    return copy


def parse_diagnostics(stderr: str) -> list[re.Match]:
    return [m for m in (DIAGNOSTIC.match(line) for line in stderr.splitlines()) if m]


@dataclass
class Essor:
    """Runs the essor binary."""

    binary: Path

    def run(self, *args: object, check: bool = False, cwd: Path | None = None) -> subprocess.CompletedProcess:
        argv = [str(self.binary), *map(str, args)]
        env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
        try:
            result = subprocess.run(
                argv, capture_output=True, text=True, timeout=TIMEOUT, env=env, cwd=cwd or REPO,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"timed out after {TIMEOUT} s: {' '.join(argv)}")
        if check and result.returncode != 0:
            pytest.fail(
                f"`{' '.join(argv)}` exited with {result.returncode}\n"
                f"--- stderr ---\n{result.stderr[-4000:]}\n--- stdout ---\n{result.stdout[-2000:]}"
            )
        return result

    def convert(self, source: Path, to: str, out: Path, version: str | None = None) -> Path:
        """`essor convert SOURCE --to TO -o OUT [--version V]`; fails the test unless it exits 0 and writes OUT."""
        args: list[object] = ["convert", source, "--to", to, "-o", out]
        if version:
            args += ["--version", version]
        self.run(*args, check=True)
        assert out.is_file() and out.stat().st_size > 0, f"essor convert {source.name} --to {to} wrote nothing"
        return out


@pytest.fixture(scope="session")
def essor() -> Essor:
    binary = essor_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        # Stop the whole run with one clear message and a non-zero status (never a silent skip).
        pytest.exit(
            f"essor binary not found at {binary}: build it first (`swift build --build-tests`) or set ESSOR_BIN. "
            "The oracle tests never pass without it.",
            returncode=1,
        )
    return Essor(binary)


@pytest.fixture(scope="session")
def shared_ccsds() -> Path:
    if not SHARED_CCSDS.is_dir():
        pytest.fail(f"shared CCSDS material not found at {SHARED_CCSDS}", pytrace=False)
    return SHARED_CCSDS


# The HTTPS gateway fixtures (`essor serve`, black box): see gateway.py.
from gateway import (  # noqa: E402,F401  (fixtures are found by name)
    demo_seed, foreign_pki, gateway, gateway_factory, gateway_root, pki, serve_binary,
)
