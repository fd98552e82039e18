"""Reads about sortition panels: what the public sees (counts, chances by pseudonym) and the export."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from dualpower.assemblies.models import Assembly
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership
from dualpower.panels.models import Feature, Panel, Volunteer

# Where ``panels_of(with_quotas=True)`` puts each panel's features (their quotas prefetched too),
# read by ``quotas_of``.
_FEATURES = "prefetched_features"


def panels_of(*, community: Community, with_quotas: bool = False) -> QuerySet[Panel]:
    """The community's panels with their volunteer counts; ``with_quotas`` also fetches every
    panel's features and quotas, in two queries for the whole list, for ``quotas_of``."""
    panels = Panel.objects.filter(community=community).annotate(
        volunteer_count=Count("volunteers"),
        selected_count=Count("volunteers", filter=Q(volunteers__selected=True)),
    )
    if with_quotas:
        features = Feature.objects.prefetch_related("quotas")
        panels = panels.prefetch_related(Prefetch("features", queryset=features, to_attr=_FEATURES))
    return panels


def panel_get(*, community: Community, pk: int) -> Panel:
    panel = panels_of(community=community).filter(pk=pk).select_related("community", "assembly").first()
    if panel is None:
        raise NotFound(_("There is no panel %(id)s in this community.") % {"id": pk})
    return panel


def volunteer_of(*, panel: Panel, membership: Membership | None) -> Volunteer | None:
    if membership is None:
        return None
    return Volunteer.objects.filter(panel=panel, membership=membership).first()


def quota_table(panel: Panel) -> list[dict[str, Any]]:
    """Per feature value: the quota, how many volunteered with it, and (once drawn) how many were
    selected. Counts only: who answered what is for coordinators."""
    volunteers = list(panel.volunteers.values_list("answers", "selected"))
    rows = []
    for feature, values in quotas_of(panel).items():
        pool = Counter(answers.get(feature) for answers, _sel in volunteers)
        chosen = Counter(answers.get(feature) for answers, sel in volunteers if sel)
        rows.append(
            {
                "feature": feature,
                "values": [
                    {
                        "value": value,
                        "min": lo,
                        "max": hi,
                        "volunteers": pool[value],
                        "selected": chosen[value],
                    }
                    for value, (lo, hi) in values.items()
                ],
            }
        )
    return rows


def chances(panel: Panel) -> list[dict[str, Any]]:
    """Each volunteer's published chance of selection, by pseudonym, smallest first."""
    rows = []
    for v in panel.volunteers.exclude(probability=""):
        p = Fraction(v.probability)
        rows.append(
            {
                "public_id": v.public_id,
                "probability": v.probability,
                "percent": float(p) * 100,
                "selected": v.selected,
            }
        )
    return sorted(rows, key=lambda r: (Fraction(r["probability"]), r["public_id"]))


def volunteers_with_answers(panel: Panel) -> QuerySet[Volunteer]:
    """For coordinators only: who volunteered, with their answers."""
    return panel.volunteers.select_related("membership").order_by("membership__display_name")


def panel_export(panel: Panel) -> dict[str, Any]:
    """Everything needed to check the draw: the quotas, the pool by pseudonym, the lottery, the seed."""
    data: dict[str, Any] = {
        "panel": panel.title,
        "size": panel.size,
        "objective": panel.objective,
        "state": panel.state,
        "quotas": {f: {v: list(b) for v, b in values.items()} for f, values in quotas_of(panel).items()},
        "seed_source": panel.seed_source,
        "closed_at": panel.closed_at.isoformat() if panel.closed_at else None,
        "seed": panel.seed or None,
        "seed_announced_at": panel.seed_announced_at.isoformat() if panel.seed_announced_at else None,
        "drawn_at": panel.drawn_at.isoformat() if panel.drawn_at else None,
        "lottery_fingerprint": panel.lottery_fingerprint or None,
        "ticket": panel.ticket,
    }
    if panel.state != Panel.State.OPEN:
        volunteers = list(panel.volunteers.order_by("public_id"))
        data["pool"] = {v.public_id: v.answers for v in volunteers}
        data["probabilities"] = {v.public_id: v.probability for v in volunteers}
        data["lottery"] = panel.lottery
        data["selected"] = (
            [v.public_id for v in volunteers if v.selected] if panel.state == Panel.State.DRAWN else []
        )
    return data


def panel_members(assembly: Assembly) -> QuerySet[Membership]:
    """The voters of a panel's assembly: the members drawn for it, while still active."""
    drawn = Volunteer.objects.filter(panel__assembly=assembly, selected=True).values("membership_id")
    return member_selectors.memberships_with_ids(ids=drawn).filter(status=Membership.Status.ACTIVE)


def open_panels_for(*, membership: Membership) -> QuerySet[Panel]:
    """Open panels this member has not volunteered for yet."""
    return Panel.objects.filter(community=membership.community_id, state=Panel.State.OPEN).exclude(
        volunteers__membership=membership
    )


def selected_members(panel: Panel) -> QuerySet[Membership]:
    """The drawn panel, by name: it sits as an assembly, so its members are known to the community."""
    return volunteers_of(panel, selected=True).order_by("display_name")


def quotas_of(panel: Panel) -> dict[str, dict[str, tuple[int, int]]]:
    """{feature: {value: (min, max)}}, in the order the organisers gave them (from what
    ``panels_of(with_quotas=True)`` fetched, when the panel came from it)."""
    features = getattr(panel, _FEATURES, None)
    if features is None:
        features = panel.features.prefetch_related("quotas")
    return {feature.name: {q.value: (q.min, q.max) for q in feature.quotas.all()} for feature in features}


def volunteers_of(panel: Panel, *, selected: bool | None = None) -> QuerySet[Membership]:
    """The members who volunteered for ``panel`` (only those drawn, or not drawn, with ``selected``)."""
    found = Volunteer.objects.filter(panel=panel)
    if selected is not None:
        found = found.filter(selected=selected)
    return member_selectors.memberships_with_ids(ids=found.values("membership_id"))
