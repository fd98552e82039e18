"""Setting a panel up: its title, purpose, size, objective and the features it asks about."""

from __future__ import annotations

from typing import TypedDict, Unpack

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text
from dualpower.panels.models import Panel
from dualpower.panels.selectors import quotas_of
from dualpower.panels.services._common import _locked, _must_be_open
from dualpower.panels.services.quotas import (
    FeatureQuotas,
    _clean_features,
    _clean_size,
    _write_features,
)

TITLE_MAX = 120
PURPOSE_MAX = 5000


def _objective(objective: str) -> str:
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
    title = clean_text(title, field="title", limit=TITLE_MAX, required=True, label=_("A title"))
    purpose = clean_text(purpose, field="purpose", limit=PURPOSE_MAX, required=False, label=_("The purpose"))
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
        recipients=member_selectors.members_of(community=community).filter(
            role__in=[Membership.Role.MEMBER, Membership.Role.COORDINATOR]
        ),
        community=community,
        kind="panels.open",
        title=notice_text(gettext_lazy("Volunteer for a panel drawn by lot: %(title)s"), title=title),
        url=f"/c/{community.slug}/panels/{panel.pk}/",
        email=False,
    )
    return panel


class PanelChanges(TypedDict, total=False):
    """What ``panel_update`` may change while the panel is open."""

    title: str
    purpose: str
    size: int
    objective: str
    features: FeatureQuotas


@transaction.atomic
def panel_update(*, panel: Panel, by: Membership | None, **changes: Unpack[PanelChanges]) -> Panel:
    """Change a panel while it is open. Once people volunteered, its features and their values
    stay as they are (their answers refer to them); the numbers in the quotas may still change."""
    panel = _locked(panel)
    _must_be_open(panel)
    unknown = set(changes) - {"title", "purpose", "size", "objective", "features"}
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "title" in changes:
        panel.title = clean_text(
            changes["title"], field="title", limit=TITLE_MAX, required=True, label=_("A title")
        )
    if "purpose" in changes:
        panel.purpose = clean_text(
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
