"""The `essor` command-line contract (DESIGN.md §6) for `validate`, `convert` and `bench parse`.

- `essor validate FILE...`: exit 0 when every file is valid, 1 otherwise; every problem on stderr as
  `FILE:LINE:COL: error: MESSAGE` (FILE as given on the command line), `warning:` for what `--lenient` accepts.
- The invalid fixtures (Tests/CCSDSTests/Fixtures/*/invalid/) each list in expected.txt `FILENAME LINE [KEYWORD]`:
  the file must be rejected with an error on that line (and, when a keyword is given, an error message there
  naming it).
- `essor bench parse FILE [--repeat N]`: last line `megabytes_per_second=X records_per_second=Y`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import DIAGNOSTIC, FIXTURES, REPO, bluebook_examples, case_id, parse_diagnostics

VALID = bluebook_examples("oem", "opm", "omm", "tdm") + sorted(
    p for p in FIXTURES.glob("*/valid/*") if p.is_file() and not p.name.startswith(".")
)


def relative(path: Path) -> str:
    """How the tests name a file on the command line (and so how essor must echo it): relative to the repo
    when inside it, absolute otherwise. essor runs with the repository as its working directory."""
    return path.relative_to(REPO).as_posix() if path.is_relative_to(REPO) else str(path)


def invalid_cases() -> list[tuple[Path, int, str | None]]:
    cases = []
    for expected in sorted(FIXTURES.glob("*/invalid/expected.txt")):
        for number, raw in enumerate(expected.read_text().splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            assert len(parts) in (2, 3) and parts[1].isdigit(), f"{expected}:{number}: expected `FILENAME LINE [KEYWORD]`"
            cases.append((expected.parent / parts[0], int(parts[1]), parts[2] if len(parts) == 3 else None))
    return cases


INVALID = invalid_cases()


def invalid_id(case) -> str:
    path, line, _ = case
    return f"{path.parent.parent.name}/{path.name}:{line}"


def assert_all_diagnostics(stderr: str) -> list[re.Match]:
    """Every non-empty stderr line is a diagnostic in the contract's format."""
    stray = [line for line in stderr.splitlines() if line.strip() and not DIAGNOSTIC.match(line)]
    assert not stray, "stderr lines not in `FILE:LINE:COL: error|warning: MESSAGE` form:\n" + "\n".join(stray[:10])
    return parse_diagnostics(stderr)


# ---- validate: valid files -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", VALID, ids=case_id)
def test_validate_accepts_valid_file(essor, source):
    result = essor.run("validate", relative(source))
    diagnostics = assert_all_diagnostics(result.stderr)
    errors = [m.group(0) for m in diagnostics if m["severity"] == "error"]
    assert result.returncode == 0 and not errors, f"exit {result.returncode}\n" + "\n".join(errors[:20])


# ---- validate: invalid fixtures ------------------------------------------------------------------------------------

def test_every_invalid_fixture_is_listed():
    listed = {path for path, _, _ in INVALID}
    for folder in FIXTURES.glob("*/invalid"):
        for path in folder.iterdir():
            if path.is_file() and path.name != "expected.txt" and not path.name.startswith("."):
                assert path in listed, f"{relative(path)} is not listed in {folder.name}/expected.txt"
    for path in listed:
        assert path.is_file(), f"expected.txt lists {relative(path)}, which does not exist"


@pytest.mark.parametrize("case", INVALID, ids=invalid_id)
def test_validate_rejects_invalid_fixture_at_line(essor, case):
    path, line, keyword = case
    name = relative(path)
    result = essor.run("validate", name)
    diagnostics = assert_all_diagnostics(result.stderr)
    assert result.returncode == 1, f"exit {result.returncode}, expected 1\n{result.stderr}"
    errors = [m for m in diagnostics if m["severity"] == "error"]
    assert errors, f"exit 1 but no error diagnostic on stderr:\n{result.stderr}"
    for m in errors:
        assert m["file"] == name, f"diagnostic names {m['file']!r}, expected {name!r} (as given)"
        assert int(m["line"]) >= 1 and int(m["col"]) >= 1
    lines = sorted({int(m["line"]) for m in errors})
    assert line in lines, f"no error on line {line} (errors on lines {lines}):\n{result.stderr}"


@pytest.mark.parametrize("case", [c for c in INVALID if c[2]], ids=invalid_id)
def test_validate_error_names_keyword(essor, case):
    path, line, keyword = case
    result = essor.run("validate", relative(path))
    messages = [m["message"] for m in parse_diagnostics(result.stderr) if m["severity"] == "error" and int(m["line"]) == line]
    assert any(keyword in message for message in messages), (
        f"no error on line {line} mentions {keyword}:\n{result.stderr}"
    )


def test_validate_several_files(essor):
    good = [relative(p) for p in VALID[:3]]
    bad = relative(INVALID[0][0])
    result = essor.run("validate", *good)
    assert result.returncode == 0, result.stderr
    result = essor.run("validate", good[0], bad, good[1])
    assert result.returncode == 1, f"exit {result.returncode}\n{result.stderr}"
    files = {m["file"] for m in assert_all_diagnostics(result.stderr) if m["severity"] == "error"}
    assert files == {bad}, f"errors reported for {files}, expected only {bad}"


def test_validate_missing_file_fails(essor, tmp_path):
    missing = tmp_path / "no-such-file.kvn"
    result = essor.run("validate", missing)
    assert result.returncode != 0
    assert str(missing) in result.stderr


# ---- validate --lenient ------------------------------------------------------------------------------------------

LOWER_CASE = [
    # (Blue Book example, keywords whose enumerated value is written in lower case)
    ("omm_g7.kvn", ("REF_FRAME", "TIME_SYSTEM")),
    ("opm_g1.kvn", ("TIME_SYSTEM",)),
    ("tdm_e1.kvn", ("TIME_SYSTEM", "MODE")),
]


@pytest.mark.parametrize("example,keywords", LOWER_CASE, ids=[c[0] for c in LOWER_CASE])
def test_lenient_turns_lower_case_enumerations_into_warnings(essor, tmp_path, shared_ccsds, example, keywords):
    lines = (shared_ccsds / "examples" / "kvn" / example).read_text().splitlines()
    changed: dict[int, str] = {}
    for index, line in enumerate(lines):
        key, sep, value = line.partition("=")
        if sep and key.strip() in keywords and key.strip() not in changed.values():
            lines[index] = f"{key}={value.lower()}"
            assert lines[index] != line
            changed[index + 1] = key.strip()
    assert sorted(changed.values()) == sorted(keywords)
    source = tmp_path / f"lower_{example}"
    source.write_text("\n".join(lines) + "\n")

    strict = essor.run("validate", source)
    assert strict.returncode == 1, f"strict: exit {strict.returncode}\n{strict.stderr}"
    errors = {int(m["line"]) for m in assert_all_diagnostics(strict.stderr) if m["severity"] == "error"}
    assert set(changed) <= errors, f"strict: errors on lines {sorted(errors)}, expected {sorted(changed)}"

    lenient = essor.run("validate", "--lenient", source)
    diagnostics = assert_all_diagnostics(lenient.stderr)
    assert lenient.returncode == 0, f"lenient: exit {lenient.returncode}\n{lenient.stderr}"
    assert not [m for m in diagnostics if m["severity"] == "error"], lenient.stderr
    warnings = {int(m["line"]) for m in diagnostics if m["severity"] == "warning" and m["file"] == str(source)}
    assert set(changed) <= warnings, f"lenient: warnings on lines {sorted(warnings)}, expected {sorted(changed)}"


# ---- convert -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("to", ["kvn", "xml", "json"])
def test_convert_stdout_equals_output_file(essor, tmp_path, shared_ccsds, to):
    source = shared_ccsds / "examples" / "kvn" / "opm_g1.kvn"
    stdout = essor.run("convert", source, "--to", to, check=True).stdout
    written = essor.convert(source, to, tmp_path / f"out.{to}").read_text()
    assert stdout == written


# ---- bench parse ---------------------------------------------------------------------------------------------------

BENCH_LINE = re.compile(r"^megabytes_per_second=(\S+) records_per_second=(\S+)$")


@pytest.mark.parametrize("example", ["kvn/oem_g11.kvn", "xml/oem_g14.xml", "kvn/tdm_e1.kvn"])
def test_bench_parse_last_line(essor, shared_ccsds, example):
    result = essor.run("bench", "parse", shared_ccsds / "examples" / example, "--repeat", "3", check=True)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines, "bench parse printed nothing on stdout"
    m = BENCH_LINE.match(lines[-1].strip())
    assert m, f"last line {lines[-1]!r} is not `megabytes_per_second=X records_per_second=Y`"
    megabytes, records = float(m[1]), float(m[2])
    assert megabytes > 0 and records > 0
