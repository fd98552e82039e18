"""The audit log speaks in sentences: every action any app records has one, in the reader's language.

The actions are found in the source, as the services write them (``audit_record(action=...)``,
``changes_save(action=...)``, and the apps' own helpers that pass an ``action`` on), so a new
action without a sentence fails here rather than showing its code to members.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from dualpower.community import hooks
from dualpower.community.models import AuditEntry, Community
from dualpower.community.services import audit_record
from dualpower.members.tests.factories import make_community, make_membership

SOURCE = Path(__file__).resolve().parents[2]
RECORDERS = {"audit_record", "changes_save"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SOURCE.rglob("*.py")):
        if {"tests", "migrations"} & set(path.relative_to(SOURCE).parts):
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _helpers(modules: list[tuple[Path, ast.Module]]) -> dict[str, dict[Path, int]]:
    """Functions that take an ``action`` and record it: their name, and for each module defining
    one of that name, the parameter's position (two apps' private ``_audit`` helpers may take the
    action in different places: neither may hide the other's actions)."""
    helpers: dict[str, dict[Path, int]] = {}
    for path, module in modules:
        for node in ast.walk(module):
            if not isinstance(node, ast.FunctionDef):
                continue
            params = [a.arg for a in node.args.posonlyargs + node.args.args]
            names = params + [a.arg for a in node.args.kwonlyargs]
            records = any(
                isinstance(call, ast.Call) and _name(call.func) in RECORDERS for call in ast.walk(node)
            )
            if "action" in names and records and node.name not in RECORDERS:
                position = params.index("action") if "action" in params else -1
                helpers.setdefault(node.name, {})[path] = position
    return helpers


def _values(expr: ast.expr, assigned: dict[str, list[ast.expr]]) -> Iterator[str]:
    """The action codes an expression can be: literal codes, or a pattern for an f-string."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        yield expr.value
    elif isinstance(expr, ast.IfExp):
        yield from _values(expr.body, assigned)
        yield from _values(expr.orelse, assigned)
    elif isinstance(expr, ast.JoinedStr):
        yield "re:" + "".join(
            re.escape(str(part.value)) if isinstance(part, ast.Constant) else "[a-z_]+"
            for part in expr.values
        )
    elif isinstance(expr, ast.Name):
        for value in assigned.get(expr.id, []):
            yield from _values(value, {})


def _assignments(scope: ast.AST) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found


def recorded_actions() -> dict[str, str]:
    """Every action code the source records, with the file that records it."""
    modules = list(_sources())
    helpers = _helpers(modules)
    found: dict[str, str] = {}
    for path, module in modules:
        module_level = _assignments(module)
        scopes = [n for n in ast.walk(module) if isinstance(n, ast.FunctionDef)]
        for scope in scopes:
            assigned = {**module_level, **_assignments(scope)}
            for call in ast.walk(scope):
                if not isinstance(call, ast.Call):
                    continue
                name = _name(call.func)
                if name not in RECORDERS and name not in helpers:
                    continue
                exprs = [kw.value for kw in call.keywords if kw.arg == "action"]
                defined = helpers.get(name, {})
                # The module's own helper of that name if it has one, else any module's.
                positions = {defined[path]} if path in defined else set(defined.values())
                exprs += [call.args[p] for p in sorted(positions) if 0 <= p < len(call.args)]
                for expr in exprs:
                    for code in _values(expr, assigned):
                        found.setdefault(code, str(path.relative_to(SOURCE)))
    return found


def test_the_source_is_read_as_it_records() -> None:
    found = recorded_actions()
    # A plain call, a helper taking the action by position, a variable, a conditional and an f-string.
    assert {"community.create", "coop.capital_draft", "group.join", "vote.change"} <= set(found)
    assert "application.admit" in found and "re:aid\\.request\\.[a-z_]+" in found
    assert len(found) > 150


def test_two_modules_helpers_of_one_name_are_each_read_with_their_own_position(tmp_path: Path) -> None:
    one = ast.parse(
        "def _audit(x, action):\n    audit_record(action=action)\ndef a():\n    _audit(1, 'one.made')\n"
    )
    two = ast.parse(
        "def _audit(action, x):\n    audit_record(action=action)\ndef b():\n    _audit('two.made', 2)\n"
    )
    helpers = _helpers([(tmp_path / "one.py", one), (tmp_path / "two.py", two)])
    assert helpers["_audit"] == {tmp_path / "one.py": 1, tmp_path / "two.py": 0}


def test_every_recorded_action_has_a_sentence() -> None:
    registered = hooks.audit_actions()
    missing = []
    for code, path in sorted(recorded_actions().items()):
        if code.startswith("re:"):
            if not any(re.fullmatch(code[3:], action) for action in registered):
                missing.append(f"{code} ({path})")
        elif code not in registered:
            missing.append(f"{code} ({path})")
    assert not missing, "Actions recorded without a sentence (add them to <app>/audit.py): " + ", ".join(
        missing
    )


@pytest.mark.django_db
def test_entries_read_as_sentences_in_the_readers_language() -> None:
    community = make_community()
    rosa = make_membership(community, name="Rosa D.")
    lee = make_membership(community, name="Lee")
    admit = audit_record(
        community=community, actor=rosa, action="application.admit", target=lee, summary="Lee"
    )
    policy = audit_record(
        community=community,
        actor=None,
        action="policy.change",
        summary="General assembly",
        data={"before": {"quorum": "0.0000"}, "after": {"quorum": "0.2000"}},
    )
    assert hooks.audit_sentence(admit) == "Rosa D. admitted Lee"
    assert "20" in hooks.audit_sentence(policy) and "0.2000" not in hooks.audit_sentence(policy)
    with translation.override("es"):
        assert hooks.audit_sentence(admit) == "Rosa D. admitió a Lee"


@pytest.mark.django_db
def test_every_sentence_renders_in_english_and_spanish() -> None:
    community = make_community()
    rosa = make_membership(community, name="Rosa D.")
    for action in sorted(hooks.audit_actions()):
        entry = AuditEntry(
            community=community, actor=rosa, action=action, summary="X", data={"count": 2, "shares": 3}
        )
        for language in ("en", "es"):
            with translation.override(language):
                sentence = hooks.audit_sentence(entry)
            assert sentence and action not in sentence
            assert not sentence.endswith(".."), sentence


@pytest.mark.django_db
def test_an_unknown_action_is_a_generic_sentence_not_a_code() -> None:
    community = make_community()
    entry = audit_record(community=community, actor=None, action="bikes.repair", summary="Front wheel")
    sentence = hooks.audit_sentence(entry)
    assert "bikes.repair" not in sentence
    assert "Front wheel" in sentence


@pytest.mark.django_db
def test_the_audit_log_page_shows_sentences(client_for: Any, community: Community) -> None:
    audit_record(community=community, actor=None, action="community.update", summary="name")
    response = client_for("member").get("/c/riverside/audit/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "community.update" not in body
    assert 'data-label="When"' in body
