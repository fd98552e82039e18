"""The Spanish catalogue is complete: no page shows a half-translated mix to people who chose Spanish.

After `make messages`, every new string needs its translation before this passes again.
"""

from __future__ import annotations

import re
from pathlib import Path

CATALOGUE = Path(__file__).resolve().parents[1] / "src/dualpower/locale/es/LC_MESSAGES/django.po"


def _entries(text: str) -> list[str]:
    return [block for block in re.split(r"\n\s*\n", text) if "msgid" in block]


def _joined(block: str, key: str) -> str:
    """The value of `key` (msgid, msgstr, msgstr[0]...), its continuation lines joined."""
    match = re.search(rf'^{re.escape(key)} "(.*)"$\n?((?:^".*"$\n?)*)', block, re.MULTILINE)
    if match is None:
        return ""
    return match.group(1) + "".join(re.findall(r'^"(.*)"$', match.group(2), re.MULTILINE))


def test_every_string_has_a_spanish_translation_and_none_is_a_guess() -> None:
    missing, fuzzy = [], []
    for block in _entries(CATALOGUE.read_text(encoding="utf-8")):
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        msgid = _joined(block, "msgid")
        if not msgid:
            continue  # the header
        if re.search(r"^#,.*\bfuzzy\b", block, re.MULTILINE):
            fuzzy.append(msgid)
        keys = ["msgstr[0]", "msgstr[1]"] if "msgid_plural" in block else ["msgstr"]
        if any(not _joined(block, key) for key in keys):
            missing.append(msgid)
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


# makemessages finds a string only by the names it knows (gettext, gettext_lazy, ngettext, _, …): a
# string marked through another alias (``gettext_lazy as _lazy``) is never extracted, so it never
# gets a translation and the check above cannot see it missing.
KNOWN_ALIASES = {"_"}
ALIAS = re.compile(r"from django\.utils\.translation import ([^\n]*)")


def test_translation_functions_are_imported_under_names_makemessages_knows() -> None:
    source = CATALOGUE.parents[3]
    odd = []
    for path in source.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for names in ALIAS.findall(path.read_text(encoding="utf-8")):
            for part in names.strip("()").split(","):
                if " as " in part and part.split(" as ")[1].strip() not in KNOWN_ALIASES:
                    odd.append(f"{path.relative_to(source)}: {part.strip()}")
    assert not odd, "strings marked through these names are never extracted:\n" + "\n".join(odd)
