"""The installed packages are exactly those recorded in constraints.txt (issue 14, "Also").

pip-audit cannot reach its sources from our machines; instead every installed version is recorded,
so an operator can audit the list elsewhere (`pip-audit -r constraints.txt`, docs/operating.md).
A dependency added to pyproject.toml without `make constraints` fails here, as does a package
installed by hand into the environment the tests run in.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP = {"pip", "setuptools", "wheel", "dualpower"}


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _recorded() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not pinned with =="
            pins[_name(name)] = version
    return pins


def _installed() -> dict[str, str]:
    return {
        _name(dist.metadata["Name"]): dist.version
        for dist in metadata.distributions()
        if _name(dist.metadata["Name"]) not in SKIP
    }


def test_every_installed_package_is_recorded_at_its_version() -> None:
    recorded, installed = _recorded(), _installed()
    unrecorded = sorted(f"{name}=={version}" for name, version in installed.items() if name not in recorded)
    different = sorted(
        f"{name}: installed {version}, recorded {recorded[name]}"
        for name, version in installed.items()
        if name in recorded and recorded[name] != version
    )
    missing = sorted(name for name in recorded if name not in installed)
    assert not (unrecorded or different or missing), (
        "constraints.txt is out of date (run `make constraints`): "
        f"not recorded {unrecorded}; different {different}; recorded but not installed {missing}"
    )
