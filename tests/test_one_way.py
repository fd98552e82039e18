"""One way per concern (issue 12): the boundary helpers live in one place each and no copy comes back.

- text, numbers, money and dates at the boundary: ``dualpower.clean``
- numbers and money written for people: ``dualpower.formatting`` and ``{% load numbers %}``
- how a page acts (forms, buttons, htmx): ``dualpower.web.actions``
- the permission check: ``dualpower.web.permissions.check``

Each test prints what it found, file and line, so the copy can be replaced by the shared function.
The apps' own tests and migrations are not scanned; ``core/`` is pure Python (no Django, hence no
active language) and writes amounts for the tally's command line on its own.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "dualpower"
TESTS = Path(__file__).resolve().parents[1] / "tests"

# The shared modules, where these names are at home.
SHARED = {"clean.py", "formatting.py", "web/actions.py", "web/templatetags/numbers.py"}

# Names that were copied between apps and drifted. Defining one anywhere else is a copy.
COPIED_NAMES = {
    # page actions and form errors
    "_act", "act", "_do", "_form_error", "form_error", "form_errors", "run_service",
    # htmx detection
    "_is_htmx", "is_htmx", "_htmx",
    # cleaners
    "_clean_text", "clean_text", "_text", "text", "_clean_name", "_clean_purpose", "_whole", "_int",
    "clean_int", "clean_money", "clean_amount", "clean_choice", "amount_parse", "parse_amount",
    "parse_minutes",
    # formatters
    "money", "cents", "cents_text", "format_money", "format_amount", "format_minutes",
}  # fmt: skip

# (path, name): a function that only shares a name with a copied helper. Say why.
NOT_COPIES = {
    ("web/charts.py", "_text"),  # writes an SVG <text> element; not a text cleaner
    ("notifications/text.py", "text"),  # builds a message translated when read; not a text cleaner
}

# Text that only the shared modules may contain.
COPIED_SNIPPETS = {
    "HX-Request": "read the htmx header through dualpower.web.actions.is_htmx",
    "HTTP_HX_REQUEST": "read the htmx header through dualpower.web.actions.is_htmx",
    "exc.field in form.fields": "put a DomainError on a form with web.actions (form_action/attach_error)",
    "error.field in form.fields": "put a DomainError on a form with web.actions (form_action/attach_error)",
    "messages.error(request, exc.detail)": "answer a refused button with web.actions.post_action",
    "messages.error(request, error.detail)": "answer a refused button with web.actions.post_action",
}

# Filters that write numbers or money: only {% load numbers %} defines them.
NUMBER_FILTERS = {"cents", "money", "money_trim", "number"}


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        parts = relative.split("/")
        if "migrations" in parts or "tests" in parts or parts[0] == "core":
            continue
        yield relative, path


def test_no_copy_of_a_boundary_helper_is_defined_outside_the_shared_modules() -> None:
    found = []
    for relative, path in _modules():
        if relative in SHARED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if node.name in COPIED_NAMES and (relative, node.name) not in NOT_COPIES:
                found.append(f"{relative}:{node.lineno} def {node.name}")
    assert not found, (
        "Copies of boundary helpers (use dualpower.clean, dualpower.formatting, dualpower.web.actions; "
        "see /work/notes/foundation-ready.md):\n" + "\n".join(found)
    )


def test_no_copy_of_what_the_shared_modules_do_inline() -> None:
    found = []
    for relative, path in _modules():
        if relative in SHARED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for snippet, instead in COPIED_SNIPPETS.items():
                if snippet in line:
                    found.append(f"{relative}:{number} {snippet!r}: {instead}")
    assert not found, "Inline copies:\n" + "\n".join(found)


def test_one_template_library_writes_numbers_and_money() -> None:
    from django.template.backends.django import get_installed_libraries

    found = []
    for name, module_path in sorted(get_installed_libraries().items()):
        library = getattr(importlib.import_module(module_path), "register", None)
        filters = set(getattr(library, "filters", {})) & NUMBER_FILTERS
        if filters and name != "numbers":
            found.append(f"{{% load {name} %}} ({module_path}) defines {sorted(filters)}")
    assert not found, "Load numbers instead:\n" + "\n".join(found)


def test_templates_load_the_one_number_library() -> None:
    found = []
    load = re.compile(r"{%\s*load\s+([^%]*?)\s*%}")
    for path in sorted(SRC.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in load.finditer(line):
                old = {"cents_format", "money"} & set(match.group(1).split())
                if old:
                    found.append(f"{path.relative_to(SRC)}:{number} loads {sorted(old)}")
    assert not found, "Use {% load numbers %}:\n" + "\n".join(found)


def test_python_code_does_not_import_template_tags() -> None:
    found = []
    for relative, path in _modules():
        if "/templatetags/" in f"/{relative}":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and ".templatetags" in (node.module or ""):
                found.append(f"{relative}:{node.lineno} from {node.module} import ...")
    assert not found, "Call dualpower.formatting instead of a template tag:\n" + "\n".join(found)


def test_the_permission_check_has_one_name() -> None:
    found = []
    for root in (SRC, TESTS):
        for path in sorted(root.rglob("*.py")):
            if path == Path(__file__).resolve():
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(r"\b(require_perm|check_perm)\b", line):
                    found.append(f"{path.relative_to(root.parent)}:{number}")
    assert not found, "Use dualpower.web.permissions.check:\n" + "\n".join(found)
