"""Names the app itself gives assemblies and proposals, shown in the reader's language.

The general assembly, a co-op's members' assembly and a proposal put to a vote as an amendment are
named by the app, in the language of whoever made them (as working groups' starter names are,
``groups.starters``). They are stored as made; while the stored text is still exactly what the
app wrote, in any of the node's languages, pages show it in the reader's language. A name someone
changed is shown as they typed it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from dualpower.groups.starters import TEMPLATES, starter_words
from dualpower.notifications.text import text

GENERAL_ASSEMBLY = gettext_noop("General assembly")
MEMBERS_ASSEMBLY = gettext_noop("%(name)s members' assembly")
AMENDMENT = gettext_noop("Amendment to “%(t)s”")
# A working group's assembly is named after its group: the starter groups' names are the app's own.
_STARTER_NAMES = frozenset(name for _slug, name, _purpose in TEMPLATES)


def general_assembly_name() -> str:
    """The name a new general assembly is given (stored in the active language)."""
    return gettext(GENERAL_ASSEMBLY)


def members_assembly_name(name: str) -> str:
    """The name a co-op's assembly is given: "Bread & Roses members' assembly"."""
    return gettext(MEMBERS_ASSEMBLY) % {"name": name}


def amendment_title(title: str) -> str:
    """The title of an amendment put to a vote: "Amendment to “Open the pantry on Sundays”"."""
    return gettext(AMENDMENT) % {"t": title[:150]}


@lru_cache(maxsize=32)
def _written(msgid: str) -> tuple[str, ...]:
    """``msgid`` as each of the node's languages writes it."""
    found = {msgid}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.add(gettext(msgid))
    return tuple(sorted(found))


@lru_cache(maxsize=32)
def _patterns(msgid: str, key: str) -> tuple[re.Pattern[str], ...]:
    hole = re.escape(f"%({key})s")
    return tuple(
        re.compile(re.escape(written).replace(hole, f"(?P<{key}>.+)") + r"\Z", re.S)
        for written in _written(msgid)
        if f"%({key})s" in written
    )


def _reworded(stored: str, msgid: str, key: str) -> str | None:
    for pattern in _patterns(msgid, key):
        if found := pattern.match(stored):
            return gettext(msgid) % {key: found.group(key)}
    return None


def assembly_name_shown(name: str) -> str:
    """An assembly's ``name`` in the reader's language while it is the one the app gave it (a
    working group's assembly is named after its group: a starter group's name is translated too)."""
    if name in _written(GENERAL_ASSEMBLY):
        return gettext(GENERAL_ASSEMBLY)
    return _reworded(name, MEMBERS_ASSEMBLY, "name") or starter_words(name)


def assembly_name_value(name: str) -> Any:
    """An assembly's name as a value of a sentence kept to be read later (``notifications.text``):
    a name the app gave it stays translatable, so the sentence reads it in the reader's language."""
    if name in _written(GENERAL_ASSEMBLY):
        return gettext_lazy(GENERAL_ASSEMBLY)
    for pattern in _patterns(MEMBERS_ASSEMBLY, "name"):
        if found := pattern.match(name):
            return text(gettext_lazy(MEMBERS_ASSEMBLY), name=found.group("name"))
    return gettext_lazy(name) if name in _STARTER_NAMES else name


def proposal_title_shown(title: str, *, is_amendment: bool) -> str:
    """A proposal's ``title`` in the reader's language while it is the amendment title the app wrote."""
    if not is_amendment:
        return title
    return _reworded(title, AMENDMENT, "t") or title
