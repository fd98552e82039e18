"""The shared folder (``../shared``, next to the project) and one clear failure when it is missing.

Tests that compare against real elections or reference counts read them from there, through
``shared`` (plain test modules) or the ``shared_data`` fixture (app tests, see conftest.py). When
the folder is missing they fail, naming what is missing and why; they are never skipped, so that a
CI run without the data cannot pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"

WHY = {
    "pabulib": "these tests compare against the real participatory budgeting elections "
    "(pabulib .pb files) in the shared folder",
    "stv": "these tests compare the STV counts against droop's reference reports of the elections "
    "in the shared folder",
    "polis": "these tests read the real Polis deliberations in the shared folder",
}


def shared(*parts: str) -> Path:
    """``shared("pabulib")`` is ../shared/pabulib; fails the test (or its module, when called at
    import) with a sentence saying what is missing, rather than an empty parametrisation or a
    FileNotFoundError."""
    path = SHARED.joinpath(*parts)
    if not path.exists() or (path.is_dir() and not any(path.iterdir())):
        name = "/".join(("../shared", *parts))
        why = WHY.get(parts[0], "these tests read it from the shared folder") if parts else ""
        pytest.fail(
            f"{name} is missing: {why}. Put the shared folder next to the project (expected at "
            f"{path}; see its README.md). These tests are never skipped, so a run without it fails.",
            pytrace=False,
        )
    return path
