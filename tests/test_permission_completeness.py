"""Every permission an app registers in its rules.py is exercised by a role matrix.

The registry is django-rules' (``rules.permissions.permissions``: names like ``aid.view_request``).
The matrices are the apps' ``tests/test_*rules.py`` files (``test_rules.py``; the community's
permissions, stated in members/rules.py, are in members/tests/test_community_rules.py): each
sweeps the shared ``ROLES`` (members/tests/factories.py, or an app's roles built on them) over a
table of permission → roles allowed. This test reads those files and fails, naming them, for any
permission no matrix mentions, so a new permission cannot ship without its row.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest
from rules.permissions import permissions

APPS = Path(__file__).resolve().parents[1] / "src" / "dualpower"


def _registered() -> dict[str, set[str]]:
    by_app: dict[str, set[str]] = defaultdict(set)
    for name in permissions:
        by_app[name.split(".", 1)[0]].add(name)
    return dict(by_app)


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"))


def _sweeps_roles(path: Path) -> bool:
    return any(isinstance(node, ast.Name) and "ROLES" in node.id for node in ast.walk(_tree(path)))


def _strings(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


REGISTERED = _registered()
MATRICES = sorted(APPS.glob("*/tests/test_*rules.py"))


def test_the_apps_register_permissions_and_have_matrices() -> None:
    # Guards the test itself: the registry fills when the apps' rules modules are imported.
    assert {"aid", "assemblies", "community", "ledger", "members", "panels"} <= set(REGISTERED)
    assert MATRICES
    not_sweeping = [str(p.relative_to(APPS)) for p in MATRICES if not _sweeps_roles(p)]
    assert not not_sweeping, f"These role matrices do not sweep the shared ROLES: {not_sweeping}"


@pytest.mark.parametrize("app", sorted(REGISTERED))
def test_a_role_matrix_exercises_every_permission_of(app: str) -> None:
    exercised = set().union(*(_strings(p) for p in MATRICES))
    missing = sorted(REGISTERED[app] - exercised)
    assert not missing, (
        f"No role matrix exercises these permissions of {app}: {', '.join(missing)}. Add their rows "
        f"(role × permission, read from {app}/rules.py) to src/dualpower/{app}/tests/test_rules.py."
    )
