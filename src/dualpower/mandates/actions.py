"""The decisions that seat, recall and instruct delegates (registered with assemblies.actions).

``validate`` runs when the action is attached to a proposal and again before ``run``; ``run`` is
called by the assemblies app inside the decision's transaction. The deciding assembly is
``decision.assembly_id``: it is the sending assembly for every action here, so only the assembly
that sent a delegate can recall or instruct them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dualpower.assemblies import actions
from dualpower.assemblies import names as names_of
from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.clean import clean_int
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.mandates import services
from dualpower.mandates.models import DelegateSeat, Mandate
from dualpower.members import selectors as member_selectors

# --- what each action asks for on the proposal form (names, never ids) --------------------------


def spokescouncils(community: Community) -> list[tuple[int, str]]:
    return [
        (a.pk, a.name_shown)
        for a in assembly_selectors.assemblies_for(community=community).filter(
            kind__in=services.RECEIVING_KINDS
        )
    ]


def seated(community: Community) -> list[tuple[int, str]]:
    seats = DelegateSeat.objects.filter(
        community=community, status=DelegateSeat.Status.SEATED
    ).select_related("membership", "receiving")
    return [
        (
            s.pk,
            _("%(name)s, in %(receiving)s")
            % {"name": s.membership.display_name, "receiving": s.receiving.name},
        )
        for s in seats.order_by("membership__display_name", "pk")
    ]


def council_proposals(community: Community) -> list[tuple[int, str]]:
    found = assembly_selectors.proposals_of(community=community).filter(
        assembly__kind__in=services.RECEIVING_KINDS,
        state__in=[Proposal.State.DISCUSSION, Proposal.State.VOTING],
    )
    return [(p.pk, p.title) for p in found.order_by("-pk")]


def positions(community: Community) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in Mandate.Position.choices]


SEAT_NEEDS = (
    actions.Need("receiving", gettext_lazy("Sent to which spokescouncil"), options=spokescouncils),
    actions.Need("seats", gettext_lazy("How many delegates"), "number"),
    actions.Need("replace", gettext_lazy("They replace the delegates sent there now"), "yesno"),
)
RECALL_NEEDS = (actions.Need("seat", gettext_lazy("Which delegate"), options=seated),)
MANDATE_NEEDS = (
    actions.Need(
        "proposal", gettext_lazy("On which proposal of the spokescouncil"), options=council_proposals
    ),
    actions.Need("position", gettext_lazy("How our delegates vote"), options=positions),
    actions.Need("note", gettext_lazy("A note for the delegates (optional)"), "text", required=False),
)


def _when(params: actions.Params, key: str) -> datetime | None:
    raw = params.get(key)
    if raw in (None, ""):
        return None
    if not isinstance(raw, str):
        raise InvalidInput(_("“%(key)s” must be a date like 2026-12-31.") % {"key": key}, field=key)
    moment = parse_datetime(raw)
    if moment is None:
        day = parse_date(raw)
        if day is None:
            raise InvalidInput(_("“%(key)s” must be a date like 2026-12-31.") % {"key": key}, field=key)
        moment = datetime(day.year, day.month, day.day, 23, 59)
    return make_aware(moment) if is_naive(moment) else moment


def _assembly(community: Community, pk: Any) -> Assembly | None:
    """An assembly of ``community`` by id (archived ones included), or None for an unknown or bad id."""
    if isinstance(pk, bool) or not isinstance(pk, int | str) or not str(pk).isdigit():
        return None
    return assembly_selectors.assemblies_all(community=community).filter(pk=int(pk)).first()


def _proposal(community: Community, pk: Any) -> Proposal | None:
    """A proposal of ``community`` by id, with its assembly, or None for an unknown or bad id."""
    if isinstance(pk, bool) or not isinstance(pk, int | str) or not str(pk).isdigit():
        return None
    return assembly_selectors.proposals_of(community=community).filter(pk=int(pk)).first()


def _receiving(community: Community, params: actions.Params) -> Assembly:
    receiving = _assembly(
        community, clean_int(params.get("receiving"), field="receiving", label=_("The spokescouncil"), low=1)
    )
    if receiving is None:
        raise InvalidInput(_("There is no such assembly in this community."), field="receiving")
    if receiving.kind not in services.RECEIVING_KINDS:
        raise InvalidInput(_("Delegates are sent to a spokescouncil."), field="receiving")
    return receiving


def validate_seat(community: Community, params: actions.Params) -> dict[str, Any]:
    receiving = _receiving(community, params)
    seats = clean_int(params.get("seats"), field="seats", label=_("The number of seats"), low=1)
    replace = params.get("replace", True)
    if not isinstance(replace, bool):
        raise InvalidInput(
            _("Say whether the new delegates replace the old: true or false."), field="replace"
        )
    ends_at = _when(params, "ends_at")
    return {
        "receiving": receiving.pk,
        "seats": seats,
        "replace": replace,
        "ends_at": ends_at.isoformat() if ends_at else None,
    }


def run_seat(*, community: Community, params: actions.Params, decision: actions.Decision) -> actions.Result:
    params = validate_seat(community, params)
    sending = assembly_selectors.assemblies_all(community=community).get(pk=decision.assembly_id)
    receiving = assembly_selectors.assemblies_all(community=community).get(pk=params["receiving"])
    elected = list(decision.elected_memberships)[: params["seats"]]
    if not elected:
        raise InvalidInput(_("This decision elected nobody, so no delegate can be seated."))
    people = {m.pk: m for m in member_selectors.memberships_with_ids(ids=elected).filter(community=community)}
    missing = [pk for pk in elected if pk not in people]
    if missing:
        raise InvalidInput(_("Someone elected is no longer a member of this community."))
    seats = services.delegates_seat(
        sending=sending,
        receiving=receiving,
        memberships=[people[pk] for pk in elected],
        replace=params["replace"],
        ends_at=_when(params, "ends_at"),
        elected_by=_proposal(community, decision.proposal_id),
        decision_ref=decision.ref,
    )
    names = ", ".join(s.membership.display_name for s in seats)
    return actions.result(
        gettext_lazy("Seated in %(receiving)s: %(names)s."),
        receiving=names_of.assembly_name_value(receiving.name),
        names=names,
    )


def describe_seat(community: Community, params: actions.Params) -> str:
    receiving = _assembly(community, params.get("receiving"))
    name = receiving.name_shown if receiving else "?"
    seats = params.get("seats")
    text = ngettext(
        "Seat the %(n)s person elected as this assembly's delegate to %(receiving)s",
        "Seat the %(n)s people elected as this assembly's delegates to %(receiving)s",
        seats if isinstance(seats, int) else 2,
    ) % {"n": seats, "receiving": name}
    if params.get("replace", True):
        text += _(", replacing its current delegates there")
    return text + "."


def validate_recall(community: Community, params: actions.Params) -> dict[str, Any]:
    seat = DelegateSeat.objects.filter(
        community=community, pk=clean_int(params.get("seat"), field="seat", label=_("The seat"), low=1)
    ).first()
    if seat is None:
        raise InvalidInput(_("There is no such delegate seat in this community."), field="seat")
    if seat.status != DelegateSeat.Status.SEATED:
        raise InvalidInput(_("This delegate no longer holds the seat."), field="seat")
    return {"seat": seat.pk}


def run_recall(*, community: Community, params: actions.Params, decision: actions.Decision) -> actions.Result:
    params = validate_recall(community, params)
    seat = services.seat_recall(
        seat=DelegateSeat.objects.get(pk=params["seat"]),
        decision_ref=decision.ref,
        by_assembly_id=decision.assembly_id,
    )
    return actions.result(
        gettext_lazy("%(name)s was recalled from %(receiving)s."),
        name=seat.membership.display_name,
        receiving=names_of.assembly_name_value(seat.receiving.name),
    )


def describe_recall(community: Community, params: actions.Params) -> str:
    raw = params.get("seat")
    seat = (
        DelegateSeat.objects.filter(community=community, pk=int(str(raw)) if str(raw).isdigit() else 0)
        .select_related("membership", "receiving")
        .first()
    )
    if seat is None:
        return _("Recall a delegate.")
    return _("Recall %(name)s from %(receiving)s.") % {
        "name": seat.membership.display_name,
        "receiving": seat.receiving.name_shown,
    }


def validate_mandate(community: Community, params: actions.Params) -> dict[str, Any]:
    proposal = _proposal(
        community, clean_int(params.get("proposal"), field="proposal", label=_("The proposal"), low=1)
    )
    if proposal is None:
        raise InvalidInput(_("There is no such proposal in this community."), field="proposal")
    if proposal.assembly.kind not in services.RECEIVING_KINDS:
        raise InvalidInput(_("Mandates are given on proposals of a spokescouncil."), field="proposal")
    position = params.get("position")
    if position not in Mandate.Position.values:
        raise InvalidInput(_("A mandate says vote for, vote against, or free."), field="position")
    note = params.get("note", "") or ""
    if not isinstance(note, str) or len(note) > services.NOTE_MAX:
        raise InvalidInput(_("The note must be text of at most 2000 characters."), field="note")
    expires_at = _when(params, "expires_at")
    return {
        "proposal": proposal.pk,
        "position": position,
        "note": note.strip(),
        "expires_at": expires_at.isoformat() if expires_at else None,
    }


def run_mandate(
    *, community: Community, params: actions.Params, decision: actions.Decision
) -> actions.Result:
    params = validate_mandate(community, params)
    sending = assembly_selectors.assemblies_all(community=community).get(pk=decision.assembly_id)
    proposal = assembly_selectors.proposals_of(community=community).get(pk=params["proposal"])
    mandate = services.mandate_set(
        sending=sending,
        proposal=proposal,
        position=params["position"],
        note=params["note"],
        expires_at=_when(params, "expires_at"),
        decision_ref=decision.ref,
    )
    return actions.result(
        gettext_lazy("Mandate in force: %(position)s on “%(title)s”."),
        position=dict(mandate.Position.choices).get(mandate.position, mandate.position),
        title=proposal.title,
    )


def describe_mandate(community: Community, params: actions.Params) -> str:
    proposal = _proposal(community, params.get("proposal"))
    labels = dict(Mandate.Position.choices)
    return _("Mandate our delegates: %(position)s on “%(title)s”.") % {
        "position": labels.get(str(params.get("position")), "?"),
        "title": proposal.title if proposal else "?",
    }
