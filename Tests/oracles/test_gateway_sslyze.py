"""The TLS configuration passes sslyze's check against Mozilla's "intermediate" profile (TLS 1.2/1.3, ECDHE +
AEAD suites, x25519/P-256/P-384, a certificate that verifies against the dev CA …): `python -m sslyze
--mozilla_config=intermediate --certinfo_ca_file=CA 127.0.0.1:PORT` exits 0."""

from __future__ import annotations

import subprocess
import sys


def test_sslyze_mozilla_intermediate(gateway):
    argv = [sys.executable, "-m", "sslyze", "--mozilla_config=intermediate", f"--certinfo_ca_file={gateway.ca}",
            f"127.0.0.1:{gateway.port}"]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, f"{' '.join(argv)} exited {result.returncode}\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
    assert "Compliant" in result.stdout
