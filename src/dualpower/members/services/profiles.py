"""What the community sees of a member: their profile."""

from __future__ import annotations

import re
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.clean import clean_text
from dualpower.community.services import audit_record
from dualpower.errors import InvalidInput, NotFound
from dualpower.members.models import Membership
from dualpower.members.services._common import _text_list

# A neighbourhood is coarse on purpose: someone at risk must not be findable from their profile.
# A house number next to a street word ("12 Calle Mayor", "Elm Street 4") looks like an address.
_STREET = (
    r"(street|st|road|rd|avenue|ave|av|avenida|lane|ln|boulevard|blvd|drive|dr|way|"
    r"calle|carrera|cra|rua|rue|strasse|straße|plaza|paseo|apt|flat|piso)"
)
_ADDRESS = re.compile(
    rf"(\d+\w?\s*,?\s+(\w+\s+){{0,3}}{_STREET}\b)|(\b{_STREET}\.?\s+(\w+\s+){{0,3}}\d+)", re.I
)

PROFILE_FIELDS = ("display_name", "languages", "neighbourhood", "skills", "contact", "contact_visibility")


class ProfileChanges(TypedDict, total=False):
    """What ``profile_update`` may change; languages and skills also as text separated by commas."""

    display_name: str
    languages: list[str] | str
    neighbourhood: str
    skills: list[str] | str
    contact: str
    contact_visibility: str


@transaction.atomic
def profile_update(*, membership: Membership, **changes: Unpack[ProfileChanges]) -> Membership:
    """Change what the community sees of a member; only the fields given change."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise InvalidInput(
            _("Unknown field: %(f)s.") % {"f": ", ".join(sorted(unknown))}, field=sorted(unknown)[0]
        )
    if not membership.is_active:
        raise NotFound(_("This membership has ended."))
    clean: dict[str, Any] = {}
    if "display_name" in changes:
        clean["display_name"] = clean_text(
            changes["display_name"],
            field="display_name",
            limit=80,
            required=True,
            label=_("Display name"),
        )
    if "neighbourhood" in changes:
        value = clean_text(
            changes["neighbourhood"], field="neighbourhood", limit=80, label=_("Neighbourhood")
        )
        if _ADDRESS.search(value):
            raise InvalidInput(
                _("That looks like a street address. Give only your neighbourhood, never where you live."),
                field="neighbourhood",
            )
        clean["neighbourhood"] = value
    if "languages" in changes:
        clean["languages"] = _text_list(
            changes["languages"], field="languages", label=_("Languages"), item_label=_("Each language")
        )
    if "skills" in changes:
        clean["skills"] = _text_list(
            changes["skills"], field="skills", label=_("Skills"), item_label=_("Each skill")
        )
    if "contact" in changes:
        clean["contact"] = clean_text(
            changes["contact"], field="contact", limit=200, label=_("Contact details")
        )
    if "contact_visibility" in changes:
        if changes["contact_visibility"] not in Membership.Visibility.values:
            raise InvalidInput(
                _("Choose one of: %(v)s.") % {"v": ", ".join(Membership.Visibility.values)},
                field="contact_visibility",
            )
        clean["contact_visibility"] = changes["contact_visibility"]
    for key, value in clean.items():
        setattr(membership, key, value)
    if clean:
        membership.save(update_fields=list(clean))
        # Only the names of the fields: the log is permanent and must not keep contact details.
        audit_record(
            community=membership.community,
            actor=membership,
            action="member.profile_update",
            target=membership,
            summary=", ".join(sorted(clean)),
        )
    return membership
