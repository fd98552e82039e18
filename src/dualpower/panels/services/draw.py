"""Closing sign-up, announcing the seed and drawing the panel.

The order of the steps is what makes the draw trustworthy: volunteers and quotas are frozen and
the lottery is published before the seed is announced, and the panel is drawn from that seed
only. Each step refuses to run out of order. The lottery itself is ``dualpower.core.sortition``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies.models import Assembly
from dualpower.assemblies.services import assembly_create
from dualpower.clean import clean_text
from dualpower.community.services import audit_record
from dualpower.core import sortition
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text
from dualpower.panels.models import Panel, Volunteer
from dualpower.panels.selectors import quotas_of, volunteers_of
from dualpower.panels.services._common import _locked, _must_be_open

SEED_MAX = 300


def pool_and_quotas(panel: Panel) -> tuple[sortition.Pool, sortition.Quotas]:
    """The engine's view of the panel: volunteers by pseudonym and their answers, and the quotas."""
    pool = sortition.Pool.of({v.public_id: v.answers for v in panel.volunteers.all()})
    return pool, sortition.Quotas.of(quotas_of(panel))


def _lottery_json(distribution: sortition.Distribution) -> dict[str, Any]:
    return {
        "objective": distribution.objective,
        "panel_size": distribution.panel_size,
        "features": list(distribution.features),
        "total_tickets": distribution.total_tickets,
        "profiles": [{"values": list(p.values), "members": list(p.members)} for p in distribution.profiles],
        "lottery": [{"counts": list(c.counts), "tickets": c.tickets} for c in distribution.lottery],
        "never_selectable": list(distribution.never_selectable),
        "table": sortition.lottery_table(distribution),
    }


def distribution_of(panel: Panel) -> sortition.Distribution:
    """The lottery published when sign-up closed, rebuilt from what was stored (not recomputed)."""
    data = panel.lottery
    probabilities = tuple(sorted((v.public_id, Fraction(v.probability)) for v in panel.volunteers.all()))
    return sortition.Distribution(
        objective=data["objective"],
        panel_size=data["panel_size"],
        features=tuple(data["features"]),
        quotas=sortition.Quotas.of(quotas_of(panel)),
        profiles=tuple(sortition.Profile(tuple(p["values"]), tuple(p["members"])) for p in data["profiles"]),
        lottery=tuple(sortition.Composition(tuple(c["counts"]), c["tickets"]) for c in data["lottery"]),
        total_tickets=data["total_tickets"],
        probabilities=probabilities,
        never_selectable=tuple(data["never_selectable"]),
        columns_generated=0,
    )


@transaction.atomic
def panel_close(*, panel: Panel, seed_source: str, by: Membership | None) -> Panel:
    """Close sign-up, compute and publish the lottery, and say where the seed will come from."""
    panel = _locked(panel)
    _must_be_open(panel)
    seed_source = clean_text(
        seed_source,
        field="seed_source",
        limit=SEED_MAX,
        required=True,
        label=_("Where the seed will come from"),
    )
    pool, quotas = pool_and_quotas(panel)
    try:
        objective: sortition.Objective = "leximin" if panel.objective == "leximin" else "maximin"
        distribution = sortition.select_distribution(pool, quotas, panel.size, objective=objective)
    except ValueError as exc:
        # The engine names the clashing features and the smallest change that would help.
        raise InvalidInput(
            _("No panel can be drawn with these quotas: %(why)s") % {"why": str(exc)}, field="features"
        ) from None
    for volunteer in panel.volunteers.all():
        p = distribution.probability(volunteer.public_id)
        volunteer.probability = f"{p.numerator}/{p.denominator}"
        volunteer.save(update_fields=["probability"])
    panel.state = Panel.State.CLOSED
    panel.closed_at = timezone.now()
    panel.seed_source = seed_source
    panel.lottery = _lottery_json(distribution)
    panel.lottery_fingerprint = sortition.lottery_fingerprint(distribution)
    panel.save(update_fields=["state", "closed_at", "seed_source", "lottery", "lottery_fingerprint"])
    audit_record(
        community=panel.community,
        actor=by,
        action="panel.close",
        target=panel,
        summary=panel.title,
        data={"volunteers": len(pool), "fingerprint": panel.lottery_fingerprint, "seed_source": seed_source},
    )
    notification_send(
        recipients=volunteers_of(panel),
        community=panel.community,
        kind="panels.closed",
        title=notice_text(
            gettext_lazy("Sign-up closed for %(title)s; your chance of selection is published"),
            title=panel.title,
        ),
        url=f"/c/{panel.community.slug}/panels/{panel.pk}/",
    )
    return panel


@transaction.atomic
def panel_seed_announce(*, panel: Panel, seed: str, by: Membership | None) -> Panel:
    """Publish the seed, with the time, once the public event it comes from has happened."""
    panel = _locked(panel)
    if panel.state == Panel.State.OPEN:
        raise Conflict(_("Close sign-up first: the seed is announced only once the lottery is published."))
    if panel.state != Panel.State.CLOSED:
        raise Conflict(_("The seed for this panel was already announced; it cannot change."))
    seed = clean_text(seed, field="seed", limit=SEED_MAX, required=True, label=_("The seed"))
    panel.seed = seed
    panel.seed_announced_at = timezone.now()
    panel.state = Panel.State.SEEDED
    panel.save(update_fields=["seed", "seed_announced_at", "state"])
    audit_record(
        community=panel.community,
        actor=by,
        action="panel.seed",
        target=panel,
        summary=seed,
        data={"seed": seed},
    )
    return panel


@transaction.atomic
def panel_draw(*, panel: Panel, by: Membership | None) -> Panel:
    """Draw the panel from the announced seed; the selected members become an assembly of kind panel."""
    panel = _locked(panel)
    if panel.state == Panel.State.DRAWN:
        raise Conflict(_("This panel was already drawn; a draw happens once."))
    if panel.state != Panel.State.SEEDED:
        raise Conflict(
            _("Announce the seed before the draw: the draw uses only a seed published beforehand.")
        )
    drawn = sortition.draw(distribution_of(panel), panel.seed)
    Volunteer.objects.filter(panel=panel, public_id__in=drawn.members).update(selected=True)
    assembly = assembly_create(
        community=panel.community,
        name=panel.title,
        kind=Assembly.Kind.PANEL,
        slug=f"panel-{panel.pk}",
        description=panel.purpose,
        actor=by,
    )
    panel.state = Panel.State.DRAWN
    panel.drawn_at = timezone.now()
    panel.ticket = drawn.ticket
    panel.assembly = assembly
    panel.save(update_fields=["state", "drawn_at", "ticket", "assembly"])
    audit_record(
        community=panel.community,
        actor=by,
        action="panel.draw",
        target=panel,
        summary=panel.title,
        data={"seed": drawn.seed, "ticket": drawn.ticket, "selected": list(drawn.members)},
    )
    url = f"/c/{panel.community.slug}/panels/{panel.pk}/"
    selected = volunteers_of(panel, selected=True)
    notification_send(
        recipients=selected,
        community=panel.community,
        kind="panels.selected",
        title=notice_text(gettext_lazy("You were drawn for the panel %(title)s"), title=panel.title),
        url=url,
    )
    notification_send(
        recipients=volunteers_of(panel, selected=False),
        community=panel.community,
        kind="panels.drawn",
        title=notice_text(gettext_lazy("The panel %(title)s was drawn"), title=panel.title),
        url=url,
    )
    return panel
