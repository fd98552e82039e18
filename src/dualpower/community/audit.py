"""The community's audit entries as sentences, and what every app's ``audit.py`` shares.

Each app tells the actions it records in its own ``<app>/audit.py`` (imported by its
``registrations.py``) through ``hooks.register_audit_sentence``: a translatable text such as
``_("%(actor)s admitted %(summary)s")`` or, where the entry's data must be read (a share written
as a percentage, a phase by its name), a function of the entry and the actor's name.

A sentence names the actor (or, with ``unattended``, says what happened when the node did it by
itself: a vote that closed at its deadline) and what the entry is about, and ends without a
period: a name such as "Rosa D." would end in two.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.community.hooks import AuditRender, register_audit_sentence, sentence_values
from dualpower.community.models import AuditEntry
from dualpower.formatting import format_percent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def say(action: str, text: StrOrPromise, unattended: StrOrPromise | None = None) -> None:
    """Register the sentence ``text`` (``%(actor)s``, ``%(summary)s``, the entry's plain data)."""
    register_audit_sentence(action, text, unattended=unattended)


def say_all(sentences: Mapping[str, StrOrPromise | AuditRender]) -> None:
    for action, text in sentences.items():
        register_audit_sentence(action, text)


def label_of(choices: Iterable[tuple[str, StrOrPromise]], value: object) -> str:
    """The reader's name of a stored choice (a phase, a role); the value itself if unknown."""
    for key, label in choices:
        if key == value:
            return str(label)
    return str(value or "")


def yes_no(value: object) -> str:
    return _("yes") if str(value).lower() in ("true", "1", "yes") else _("no")


def share(value: object) -> str:
    """A stored share ("0.2000") as a percentage in the reader's language ("20 %")."""
    try:
        return format_percent(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)


def _field_label(target_type: str, key: str) -> str:
    """The changed model's own name for its field (its translated verbose name)."""
    try:
        field = apps.get_model(target_type)._meta.get_field(key) if target_type else None
    except (LookupError, ValueError, FieldDoesNotExist):
        field = None
    label = getattr(field, "verbose_name", None)
    return str(label) if label else key.replace("_", " ")


def changed_fields(entry: AuditEntry, labels: Mapping[str, StrOrPromise] | None = None) -> str:
    """The names, in the reader's language, of the fields a change (``changes_save``) changed:
    from ``labels``, else the changed model's names for its fields."""
    after = (entry.data or {}).get("after")
    keys = list(after) if isinstance(after, dict) else []
    return ", ".join(
        str(labels[key]) if labels and key in labels else _field_label(entry.target_type, key) for key in keys
    )


def changes(text: StrOrPromise, labels: Mapping[str, StrOrPromise] | None = None) -> AuditRender:
    """A sentence about a change of settings: ``%(fields)s`` names the fields changed."""

    def render(entry: AuditEntry, actor: str) -> str:
        values = sentence_values(entry, actor)
        values["fields"] = changed_fields(entry, labels) or _("settings")
        return str(text % values)

    return render


def with_values(text: StrOrPromise, **readers: Callable[[AuditEntry], object]) -> AuditRender:
    """A sentence whose values are read from the entry by ``readers`` (name → function of the entry)."""

    def render(entry: AuditEntry, actor: str) -> str:
        values = sentence_values(entry, actor)
        values.update({name: read(entry) for name, read in readers.items()})
        return str(text % values)

    return render


_COMMUNITY_FIELDS = {
    "name": gettext_lazy("name"),
    "description": gettext_lazy("description"),
    "languages": gettext_lazy("languages"),
    "admission": gettext_lazy("admission"),
    "trust_threshold": gettext_lazy("trust needed to join"),
    "application_questions": gettext_lazy("questions for applicants"),
    "is_public": gettext_lazy("public page"),
}


say("community.create", gettext_lazy("The community “%(summary)s” was created"))
say(
    "community.set_up",
    gettext_lazy("%(actor)s set up the community “%(summary)s”"),
)
register_audit_sentence(
    "community.update",
    changes(gettext_lazy("%(actor)s changed the community's %(fields)s"), _COMMUNITY_FIELDS),
)
say(
    "audit.corrected",
    gettext_lazy("The node's operator corrected entries of this log holding an invisible character"),
)
