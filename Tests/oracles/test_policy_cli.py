"""`essor policy check` and `essor policy explain` on the repository's policies (DESIGN.md §4, §6)."""

from __future__ import annotations

from conftest import DIAGNOSTIC, REPO

POLICIES = REPO / "policies"


def test_default_policies_load(essor):
    result = essor.run("policy", "check", "--policies", POLICIES, check=True)
    assert "rule(s)" in result.stdout


def test_explain_names_the_deciding_rule_and_exit_status_follows_the_decision(essor):
    common = ("policy", "explain", "--policies", POLICIES, "--user", "operator-a", "--org", "operator-a",
              "--role", "operator", "--action", "read:elements", "--object", "90011")
    denied = essor.run(*common, "--owner", "operator-b", "--marking", "restricted")
    assert denied.returncode == 1 and denied.stdout.startswith("DENY")
    assert "denied by rule" in denied.stdout and "default.yaml:" in denied.stdout
    allowed = essor.run(*common, "--owner", "operator-a", "--marking", "restricted")
    assert allowed.returncode == 0 and allowed.stdout.startswith("ALLOW")


def test_no_rule_means_deny(essor, tmp_path):
    (tmp_path / "empty-ish.yaml").write_text("version: 1\nrules: []\n")
    result = essor.run("policy", "explain", "--policies", tmp_path, "--user", "u", "--org", "o", "--role", "admin",
                       "--action", "admin")
    assert result.returncode == 1 and result.stdout.startswith("DENY"), result.stdout + result.stderr


def test_unknown_key_fails_the_load_with_file_and_line(essor, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nrules:\n  - id: x\n    effect: allow\n    colour: blue\n")
    result = essor.run("policy", "check", "--policies", tmp_path)
    assert result.returncode == 1
    problems = [m for m in map(DIAGNOSTIC.match, result.stderr.splitlines()) if m]
    assert any(m["line"] == "5" and "colour" in m["message"] for m in problems), result.stderr
