"""Apps reach each other's data through services and selectors, not through managers (issue 12).

An AST scan of src/dualpower (migrations, tests and core left out) for ``<Model>.objects`` and
``<Model>._default_manager`` where the model belongs to another app than the module using it.
Names are resolved through the module's imports (``from dualpower.aid.models import AidRequest``,
``from dualpower.aid import models``, ``get_user_model()``). Following a foreign key you hold
(``membership.community``, ``community.memberships.filter(...)``) is not flagged: it is the model's
own API. A use that is right where it is goes in ALLOWLIST, with the reason.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1] / "src" / "dualpower"
SKIPPED_PARTS = {"migrations", "tests", "__pycache__", "core"}
MANAGERS = {"objects", "_default_manager"}

# (path under src/dualpower, "app.Model") -> why the direct use is right there.
ALLOWLIST: dict[tuple[str, str], str] = {
    # Setting up the node (top layer) looks at the raw database before any app may be used: the
    # tables may not exist yet, so it checks them by name and then asks the models directly.
    ("ops/setup.py", "community.Community"): "node setup inspects the raw database",
    ("ops/setup.py", "members.User"): "node setup inspects the raw database",
}


@dataclass(frozen=True, order=True)
class Use:
    path: str
    line: int
    model: str  # "app.Model"

    def __str__(self) -> str:
        return f"src/dualpower/{self.path}:{self.line}: {self.model}.objects"


def app_of(path: Path, root: Path = PACKAGE_ROOT) -> str:
    """The app (first folder) or base module (file name) that ``path`` belongs to."""
    return path.relative_to(root).parts[0].removesuffix(".py")


def models_by_app(root: Path = PACKAGE_ROOT) -> dict[str, set[str]]:
    """Model class name -> the apps defining a class of that name (models.py or models/ package);
    two apps may both have a ``Ballot``."""
    found: dict[str, set[str]] = {}
    for path in sorted(root.glob("*/models.py")) + sorted(root.glob("*/models/*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef) and node.bases:
                found.setdefault(node.name, set()).add(app_of(path, root))
    found.setdefault("User", {"members"})
    return found


def _owner(name: str, source_module: str, models: dict[str, set[str]]) -> str | None:
    """The app of model ``name`` imported from ``source_module``: the app whose models module it
    is, else (a re-export, from a selectors module say) the one app defining such a model."""
    parts = source_module.split(".")
    apps = models.get(name, set())
    if len(parts) >= 3 and parts[2] == "models" and parts[1] in apps:
        return parts[1]
    if parts[1] in apps:
        return parts[1]
    return next(iter(apps)) if len(apps) == 1 else None


def _walk(tree: ast.AST) -> Iterator[ast.AST]:
    yield from ast.walk(tree)


def uses_in(path: Path, models: dict[str, set[str]], root: Path = PACKAGE_ROOT) -> Iterator[Use]:
    tree = ast.parse(path.read_text(), filename=str(path))
    app = app_of(path, root)
    names: dict[str, str] = {}  # local name -> "app.Model"
    modules: dict[str, str] = {}  # local name -> app whose models module it is
    for node in _walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dualpower."):
            source_app = node.module.split(".")[1]
            for alias in node.names:
                local = alias.asname or alias.name
                if alias.name == "models" and node.module.count(".") == 1:
                    modules[local] = source_app
                elif (owner := _owner(alias.name, node.module, models)) is not None:
                    names[local] = f"{owner}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if len(parts) == 3 and parts[0] == "dualpower" and parts[2] == "models" and alias.asname:
                    modules[alias.asname] = parts[1]
        elif isinstance(node, ast.Assign) and _is_get_user_model(node.value):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = "members.User"
    for node in _walk(tree):
        if not (isinstance(node, ast.Attribute) and node.attr in MANAGERS):
            continue
        model = _model_of(node.value, names, modules, models)
        if model and model.split(".")[0] != app:
            yield Use(str(path.relative_to(root)), node.lineno, model)


def _is_get_user_model(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and (
        (isinstance(node.func, ast.Name) and node.func.id == "get_user_model")
        or (isinstance(node.func, ast.Attribute) and node.func.attr == "get_user_model")
    )


def _model_of(
    node: ast.expr, names: dict[str, str], modules: dict[str, str], models: dict[str, set[str]]
) -> str | None:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
        return f"{modules[node.value.id]}.{node.attr}"
    if _is_get_user_model(node):
        return "members.User"
    return None


def cross_app_uses(root: Path = PACKAGE_ROOT) -> list[Use]:
    models = models_by_app(root)
    found = []
    for path in sorted(root.rglob("*.py")):
        if SKIPPED_PARTS.intersection(path.relative_to(root).parts):
            continue
        found.extend(uses_in(path, models, root))
    return sorted(found)


def test_apps_use_each_others_services_and_selectors_not_managers() -> None:
    uses = [use for use in cross_app_uses() if (use.path, use.model) not in ALLOWLIST]
    listing = "\n".join(str(use) for use in uses)
    assert not uses, (
        f"{len(uses)} direct use(s) of another app's model manager: call that app's selectors (reads)"
        f" or services (writes), or add the pair to ALLOWLIST with the reason:\n{listing}"
    )


def test_the_allowlist_has_no_stale_entry() -> None:
    current = {(use.path, use.model) for use in cross_app_uses()}
    stale = sorted(set(ALLOWLIST) - current)
    assert not stale, f"ALLOWLIST entries no longer used (remove them): {stale}"


def test_the_scan_resolves_names_through_imports(tmp_path: Path) -> None:
    root = tmp_path / "dualpower"
    for app in ("aid", "ledger", "members"):
        (root / app).mkdir(parents=True)
    (root / "aid" / "models.py").write_text("class AidRequest(models.Model): ...\n")
    (root / "members" / "models.py").write_text("class Membership(models.Model): ...\n")
    (root / "ledger" / "models.py").write_text(
        "class Account(models.Model): ...\nclass AidRequest(models.Model): ...\n"
    )
    (root / "ledger" / "views.py").write_text(
        "from django.contrib.auth import get_user_model\n"
        "from dualpower.aid.models import AidRequest as Request\n"
        "from dualpower.members import models as people\n"
        "from dualpower.ledger.models import Account, AidRequest\n"
        "def view():\n"
        "    Request.objects.all()\n"
        "    people.Membership._default_manager.all()\n"
        "    Account.objects.all()\n"
        "    get_user_model().objects.all()\n"
        "    AidRequest.objects.all()\n"  # the ledger's own model of the same name
    )
    assert [(use.line, use.model) for use in cross_app_uses(root)] == [
        (6, "aid.AidRequest"),
        (7, "members.Membership"),
        (9, "members.User"),
    ]
