"""The starter working groups a new community gets, in the words the app itself writes.

They are stored in the language active when the community was made (usually English, from the
command line or the demo); while nobody has rewritten them, pages show them in the reader's
language (``starter_words``), like every other text the app itself stores.
"""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

# The starter groups a new community gets; it may rename or delete them. Created in the
# language active at the time (the node's DP_LANGUAGE when run from the command line).
TEMPLATES: tuple[tuple[str, str, str], ...] = (
    (
        "housing",
        gettext_noop("Housing"),
        gettext_noop("Tenants organising, repairs, eviction defence and the community land trust."),
    ),
    (
        "health",
        gettext_noop("Health"),
        gettext_noop("Physical and mental health: care networks, clinics, peer support."),
    ),
    (
        "food",
        gettext_noop("Food"),
        gettext_noop("Food distribution, community gardens, the pantry and shared kitchens."),
    ),
    (
        "education",
        gettext_noop("Education"),
        gettext_noop("Study groups, skill shares, political education and tutoring."),
    ),
    (
        "community-defence",
        gettext_noop("Community defence"),
        gettext_noop("Safety accompaniment, rapid response and de-escalation."),
    ),
)


_ENGLISH = frozenset(text for _slug, name, purpose in TEMPLATES for text in (name, purpose))


def starter_words(text: str) -> str:
    """``text`` in the reader's language when it is a starter group's own words, else as written."""
    return gettext(text) if text in _ENGLISH else text
