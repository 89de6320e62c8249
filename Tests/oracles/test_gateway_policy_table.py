"""The visibility table the gateway tests expect (gateway.can_read) is the default policy's own decision.

For every demo user and every kind of demo object (owner × marking) and both read actions, `essor policy explain`
on policies/default.yaml must allow exactly when `can_read` says so. This runs without a server: it keeps the
expected matrix of test_gateway_auth.py, the catalogue counts and the paging tests honest.
"""

from __future__ import annotations

import pytest

from conftest import REPO
from gateway import ROLES, USERS, can_read, demo_object

# One object of each (owner, marking) class of the demo data set.
SAMPLES = [90001, 90005, 90008, 90011, 90015, 90018, 90500, 91095]


@pytest.mark.parametrize("action", ["read:elements", "read:ephemeris"])
@pytest.mark.parametrize("user", USERS)
def test_can_read_matches_policy_explain(essor, user, action):
    for norad in SAMPLES:
        owner, marking = demo_object(norad)
        args = ["policy", "explain", "--policies", REPO / "policies", "--user", user, "--org", user,
                "--role", ROLES[user], "--action", action, "--object", norad, "--marking", marking]
        if owner:
            args += ["--owner", owner]
        result = essor.run(*args)
        assert result.returncode in (0, 1), result.stderr
        allowed = result.returncode == 0
        assert allowed == can_read(user, norad), (
            f"{user} {action} {norad} (owner {owner}, {marking}): policy says "
            f"{'allow' if allowed else 'deny'}, gateway.can_read says {can_read(user, norad)}\n{result.stdout}")
