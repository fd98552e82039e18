"""Offers of help: one-off, recurring (capacity per week or month) or inexhaustible.

Who may call each verb is decided in rules.py; the remaining capacity is read in selectors.py.
"""

from __future__ import annotations

from typing import TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import dualpower.aid.services._clean as validation
from dualpower.aid.models import AidOffer
from dualpower.aid.services._common import check_category, matching_changed, privacy
from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership


class OfferFields(TypedDict, total=False):
    """What an offer is made of; lists of names may arrive as one comma-separated text (a form)."""

    categories: list[str] | str
    description: str
    kind: str
    capacity: int | None
    period: str
    skills: list[str] | str
    languages: list[str] | str
    neighbourhood: str
    availability: list[list[int | str]]  # [[day 0-6, "HH:MM", "HH:MM"], ...]
    privacy: str


@transaction.atomic
def offer_create(*, community: Community, volunteer: Membership, **data: Unpack[OfferFields]) -> AidOffer:
    kind = data.get("kind") or AidOffer.Kind.ONE_OFF
    if kind not in AidOffer.Kind.values:
        raise InvalidInput(_("An offer is one-off, recurring or inexhaustible."), field="kind")
    raw_categories = data.get("categories")
    if isinstance(raw_categories, str):
        raw_categories = [raw_categories]
    if not raw_categories or not isinstance(raw_categories, list | tuple):
        raise InvalidInput(_("Choose at least one category you can help with."), field="categories")
    categories = sorted({check_category(community, c, field="categories") for c in raw_categories})
    if kind == AidOffer.Kind.INEXHAUSTIBLE:
        capacity, period = None, ""
    else:
        capacity = validation.quantity(data.get("capacity"), field="capacity")
        period = ""
        if kind == AidOffer.Kind.RECURRING:
            period = data.get("period") or AidOffer.Period.MONTH
            if period not in AidOffer.Period.values:
                raise InvalidInput(
                    _("A recurring offer's capacity is per week or per month."), field="period"
                )
    offer = AidOffer.objects.create(
        community=community,
        volunteer=volunteer,
        categories=categories,
        description=clean_text(
            data.get("description"),
            field="description",
            label=_("What you offer"),
            limit=validation.MAX_DESCRIPTION,
            required=True,
        ),
        kind=kind,
        capacity=capacity,
        period=period,
        skills=validation.names(data.get("skills"), field="skills", label=_("skills")),
        languages=validation.names(data.get("languages"), field="languages", label=_("languages")),
        neighbourhood=validation.neighbourhood(data.get("neighbourhood")),
        availability=validation.availability(data.get("availability")),
        privacy=privacy(data.get("privacy")),
    )
    matching_changed(community)
    audit_record(community=community, actor=volunteer, action="aid.offer.create", target=offer)
    return offer


@transaction.atomic
def offer_set_status(*, offer: AidOffer, status: str, by: Membership) -> AidOffer:
    if status not in AidOffer.Status.values:
        raise InvalidInput(_("An offer is active, paused or withdrawn."), field="status")
    locked = AidOffer.objects.select_for_update().get(pk=offer.pk)
    if locked.status == AidOffer.Status.WITHDRAWN:
        raise Conflict(_("This offer was withdrawn; make a new one instead."))
    if locked.status == status:
        return locked
    locked.status = status
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "updated_at"])
    matching_changed(locked.community)
    audit_record(community=locked.community, actor=by, action=f"aid.offer.{status}", target=locked)
    return locked
