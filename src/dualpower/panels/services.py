"""Every write about sortition panels: setting one up, volunteering, closing, the seed, the draw.

Setting a panel up and volunteering are here; the features and quotas a panel asks about are in
quotas.py, and closing sign-up, the seed and the draw in draw.py. Callers take all of them from
here (see ``__all__``).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.panels.draw import (
    SEED_MAX,
    distribution_of,
    panel_close,
    panel_draw,
    panel_seed_announce,
    pool_and_quotas,
)
from dualpower.panels.models import Panel, Volunteer
from dualpower.panels.quotas import (
    FEATURES_MAX,
    NAME_MAX,
    SIZE_MAX,
    VALUE_MAX,
    VALUES_MAX,
    FeatureQuotas,
    _clean_answers,
    _clean_features,
    _clean_size,
    _clean_text,
    _locked,
    _must_be_open,
    _write_features,
    quotas_of,
)

# The interface callers already use (views, api, demo, selectors, forms, tests): what moved to
# quotas.py and draw.py stays reachable as ``services.<name>``.
__all__ = [
    "FEATURES_MAX",
    "NAME_MAX",
    "PURPOSE_MAX",
    "SEED_MAX",
    "SIZE_MAX",
    "TITLE_MAX",
    "VALUES_MAX",
    "VALUE_MAX",
    "FeatureQuotas",
    "distribution_of",
    "panel_close",
    "panel_create",
    "panel_draw",
    "panel_seed_announce",
    "panel_update",
    "pool_and_quotas",
    "quotas_of",
    "volunteer_signup",
    "volunteer_withdraw",
]

TITLE_MAX = 120
PURPOSE_MAX = 5000


def _objective(objective: Any) -> str:
    if objective not in Panel.Objective.values:
        raise InvalidInput(_("The fairness rule is maximin or leximin."), field="objective")
    return str(objective)


@transaction.atomic
def panel_create(
    *,
    community: Community,
    title: str,
    size: int,
    features: FeatureQuotas,
    purpose: str = "",
    objective: str = Panel.Objective.MAXIMIN,
    by: Membership | None,
) -> Panel:
    """Set up a panel open for volunteers, with its features and quotas."""
    title = _clean_text(title, field="title", limit=TITLE_MAX, required=True, label=_("A title"))
    purpose = _clean_text(purpose, field="purpose", limit=PURPOSE_MAX, required=False, label=_("The purpose"))
    size = _clean_size(size)
    cleaned = _clean_features(features, size)
    panel = Panel.objects.create(
        community=community,
        title=title,
        purpose=purpose,
        size=size,
        objective=_objective(objective),
        created_by=by,
    )
    _write_features(panel, cleaned)
    audit_record(community=community, actor=by, action="panel.create", target=panel, summary=title)
    notification_send(
        recipients=Membership.objects.filter(
            community=community,
            status=Membership.Status.ACTIVE,
            role__in=[Membership.Role.MEMBER, Membership.Role.COORDINATOR],
        ),
        community=community,
        kind="panels.open",
        title=_("Volunteer for a panel drawn by lot: %(title)s") % {"title": title},
        url=f"/c/{community.slug}/panels/{panel.pk}/",
        email=False,
    )
    return panel


@transaction.atomic
def panel_update(*, panel: Panel, by: Membership | None, **changes: Any) -> Panel:
    """Change a panel while it is open. Once people volunteered, its features and their values
    stay as they are (their answers refer to them); the numbers in the quotas may still change."""
    panel = _locked(panel)
    _must_be_open(panel)
    unknown = set(changes) - {"title", "purpose", "size", "objective", "features"}
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "title" in changes:
        panel.title = _clean_text(
            changes["title"], field="title", limit=TITLE_MAX, required=True, label=_("A title")
        )
    if "purpose" in changes:
        panel.purpose = _clean_text(
            changes["purpose"], field="purpose", limit=PURPOSE_MAX, required=False, label=_("The purpose")
        )
    if "size" in changes:
        panel.size = _clean_size(changes["size"])
    if "objective" in changes:
        panel.objective = _objective(changes["objective"])
    current = quotas_of(panel)
    cleaned = _clean_features(changes.get("features", current), panel.size)
    if panel.volunteers.exists():
        shape = [(name, sorted(v for v, _, _ in rows)) for name, rows in cleaned]
        before = [(name, sorted(values)) for name, values in current.items()]
        if shape != before:
            raise Conflict(
                _("People have volunteered with their answers: change only the numbers in the quotas.")
            )
    panel.save(update_fields=["title", "purpose", "size", "objective"])
    _write_features(panel, cleaned)
    audit_record(
        community=panel.community, actor=by, action="panel.update", target=panel, summary=panel.title
    )
    return panel


@transaction.atomic
def volunteer_signup(*, panel: Panel, membership: Membership, answers: Mapping[str, str]) -> Volunteer:
    """Offer to serve on the panel, with one's own answers to its questions."""
    panel = _locked(panel)
    _must_be_open(panel)
    if membership.community_id != panel.community_id or membership.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Only members of this community can volunteer for its panels."))
    cleaned = _clean_answers(panel, answers)
    if Volunteer.objects.filter(panel=panel, membership=membership).exists():
        raise Conflict(_("You have already volunteered for this panel."))
    for _attempt in range(10):
        public_id = "V" + secrets.token_hex(3).upper()
        if not Volunteer.objects.filter(panel=panel, public_id=public_id).exists():
            break
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                panel=panel, membership=membership, public_id=public_id, answers=cleaned
            )
    except IntegrityError:
        raise Conflict(_("You have already volunteered for this panel.")) from None
    # The answers stay out of the audit log: only coordinators see them, on the panel's pages.
    audit_record(community=panel.community, actor=membership, action="panel.volunteer", target=panel)
    return volunteer


@transaction.atomic
def volunteer_withdraw(*, panel: Panel, membership: Membership) -> None:
    panel = _locked(panel)
    _must_be_open(panel)
    deleted, _n = Volunteer.objects.filter(panel=panel, membership=membership).delete()
    if not deleted:
        raise Conflict(_("You have not volunteered for this panel."))
    audit_record(community=panel.community, actor=membership, action="panel.withdraw", target=panel)
