"""The learn API: parse → check rule → call service → schema.

Who borrowed a thing or waits for it is never in the API (only the caller's own loan and hold);
who takes part in an offering is listed for its facilitators only.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from dualpower.activities.selectors import member_get
from dualpower.api_tools import AUTH_OPTIONAL, PageOf, paginate
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.errors import InvalidInput, NotFound, PermissionDenied
from dualpower.learn import selectors
from dualpower.learn.models import Completion, Enrolment, Hold, Loan, Offering, Thing
from dualpower.learn.schemas import (
    LearnCompletionIn,
    LearnCompletionOut,
    LearnEnrolmentOut,
    LearnHoldOut,
    LearnLoanOut,
    LearnOfferingIn,
    LearnOfferingOut,
    LearnParticipantOut,
    LearnPauseIn,
    LearnReturnIn,
    LearnThingDetailOut,
    LearnThingIn,
    LearnThingOut,
)
from dualpower.learn.services import learning, library
from dualpower.ledger.selectors import currencies_of
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check

router = Router(tags=["learning"])

BASE = "/communities/{slug}/learn"


def _community(request: HttpRequest, slug: str, perm: str = "learn.view") -> Community:
    community = community_get(slug=slug)
    check(request, perm, community)
    return community


def _me(request: HttpRequest, community: Community) -> Membership:
    membership = membership_for(request.user, community)
    if membership is None:
        raise PermissionDenied()
    return membership


def _thing_out(thing: Thing) -> dict[str, Any]:
    return {
        **{
            name: getattr(thing, name)
            for name in (
                "id",
                "title",
                "description",
                "category",
                "condition",
                "pickup",
                "deposit",
                "is_lendable",
                "times_lent",
            )
        },
        "deposit_currency": thing.deposit_currency.code if thing.deposit_currency else None,
        "trust_role": thing.trust_role.slug if thing.trust_role else None,
        "lent_by_member": thing.owner_id is not None,
        "on_loan": bool(getattr(thing, "on_loan", False)),
        "holds": int(getattr(thing, "waiting", 0)),
    }


@router.get(BASE + "/things", response=list[LearnThingOut], auth=AUTH_OPTIONAL)
@paginate
def thing_list(request: HttpRequest, slug: str) -> Any:
    community = _community(request, slug)
    rows = selectors.things_queryset(community=community)
    return PageOf(rows, lambda things: [_thing_out(t) for t in things])


@router.get(BASE + "/things/{thing_id}", response=LearnThingDetailOut, auth=AUTH_OPTIONAL)
def thing_detail(request: HttpRequest, slug: str, thing_id: int) -> dict[str, Any]:
    community = _community(request, slug)
    thing = selectors.thing_get(community=community, pk=thing_id)
    state = selectors.thing_state(thing=thing, membership=membership_for(request.user, community))
    return {
        **_thing_out(thing),
        "on_loan": state.loan is not None,
        "holds": state.queue_length,
        "due_on": state.loan.due_on if state.loan else None,
        "my_loan": state.my_loan is not None,
        "my_hold": state.my_hold.status if state.my_hold else None,
        "my_place": state.my_place,
    }


@router.post(BASE + "/things", response={201: LearnThingOut})
def thing_create(request: HttpRequest, slug: str, payload: LearnThingIn) -> Status[dict[str, Any]]:
    """A member lists one of their own things to lend (the library's own are added on its pages)."""
    community = _community(request, slug, "learn.list_thing")
    data = payload.dict()
    code = data.pop("deposit_currency")
    currency = (
        currencies_of(community=community, include_inactive=False).filter(code=code).first() if code else None
    )
    if code and currency is None:
        raise InvalidInput(
            _("This community has no currency “%(code)s”.") % {"code": code}, field="deposit_currency"
        )
    me = _me(request, community)
    thing = library.thing_create(
        community=community, by=me, owner=me, deposit_currency=currency, text=library.ThingText(**data)
    )
    return Status(201, _thing_out(thing))


def _thing(request: HttpRequest, slug: str, thing_id: int) -> tuple[Thing, Membership]:
    community = _community(request, slug)
    thing = selectors.thing_get(community=community, pk=thing_id)
    check(request, "learn.borrow", thing)
    return thing, _me(request, community)


def _hold_out(hold: Hold) -> dict[str, Any]:
    return {
        "thing": hold.thing_id,
        "status": hold.status,
        "paused_until": hold.paused_until,
        "ready_until": hold.ready_until,
    }


@router.post(BASE + "/things/{thing_id}/hold", response={201: LearnHoldOut})
def hold_place(request: HttpRequest, slug: str, thing_id: int) -> Status[dict[str, Any]]:
    thing, me = _thing(request, slug, thing_id)
    return Status(201, _hold_out(library.hold_place(thing=thing, membership=me)))


@router.post(BASE + "/things/{thing_id}/hold/pause", response=LearnHoldOut)
def hold_pause(request: HttpRequest, slug: str, thing_id: int, payload: LearnPauseIn) -> dict[str, Any]:
    thing, me = _thing(request, slug, thing_id)
    hold = selectors.hold_of(thing=thing, membership=me)
    return _hold_out(library.hold_pause(hold=hold, by=me, until=payload.until))


@router.delete(BASE + "/things/{thing_id}/hold", response={204: None})
def hold_cancel(request: HttpRequest, slug: str, thing_id: int) -> Status[None]:
    thing, me = _thing(request, slug, thing_id)
    library.hold_cancel(hold=selectors.hold_of(thing=thing, membership=me), by=me)
    return Status(204, None)


def _loan_out(loan: Loan) -> dict[str, Any]:
    return {"thing": loan.thing_id, "due_on": loan.due_on, "renewals": loan.renewals, "deposit": loan.deposit}


@router.post(BASE + "/things/{thing_id}/borrow", response={201: LearnLoanOut})
def borrow(request: HttpRequest, slug: str, thing_id: int) -> Status[dict[str, Any]]:
    thing, me = _thing(request, slug, thing_id)
    return Status(201, _loan_out(library.loan_start(thing=thing, borrower=me, by=me)))


def _loan(request: HttpRequest, thing: Thing, me: Membership) -> Loan:
    loan = selectors.loan_of(thing=thing)
    if loan.borrower_id != me.pk:
        check(request, "learn.keep_thing", thing)
    return loan


@router.post(BASE + "/things/{thing_id}/renew", response=LearnLoanOut)
def renew(request: HttpRequest, slug: str, thing_id: int) -> dict[str, Any]:
    thing, me = _thing(request, slug, thing_id)
    return _loan_out(library.loan_renew(loan=_loan(request, thing, me), by=me))


@router.post(BASE + "/things/{thing_id}/return", response=LearnThingOut)
def give_back(request: HttpRequest, slug: str, thing_id: int, payload: LearnReturnIn) -> dict[str, Any]:
    thing, me = _thing(request, slug, thing_id)
    return _thing_out(library.loan_return(loan=_loan(request, thing, me), by=me, condition=payload.condition))


# --- offerings -------------------------------------------------------------------------------


def _offering_out(offering: Offering) -> dict[str, Any]:
    fields = ("id", "kind", "title", "description", "language", "place", "accessibility", "reciprocity")
    return {
        **{name: getattr(offering, name) for name in fields},
        **{name: getattr(offering, name) for name in ("minutes", "asks", "capacity", "is_open")},
        "role": offering.role.slug if offering.role else None,
    }


@router.get(BASE + "/offerings", response=list[LearnOfferingOut], auth=AUTH_OPTIONAL)
@paginate
def offering_list(request: HttpRequest, slug: str) -> Any:
    community = _community(request, slug)
    return PageOf(
        selectors.offerings_queryset(community=community), lambda rows: [_offering_out(o) for o in rows]
    )


@router.get(BASE + "/offerings/{offering_id}", response=LearnOfferingOut, auth=AUTH_OPTIONAL)
def offering_detail(request: HttpRequest, slug: str, offering_id: int) -> dict[str, Any]:
    community = _community(request, slug)
    return _offering_out(selectors.offering_get(community=community, pk=offering_id))


@router.post(BASE + "/offerings", response={201: LearnOfferingOut})
def offering_create(request: HttpRequest, slug: str, payload: LearnOfferingIn) -> Status[dict[str, Any]]:
    community = _community(request, slug, "learn.propose")
    offering = learning.offering_create(
        community=community, by=_me(request, community), text=learning.OfferingText(**payload.dict())
    )
    return Status(201, _offering_out(offering))


def _offering(request: HttpRequest, slug: str, offering_id: int, perm: str) -> tuple[Offering, Membership]:
    community = _community(request, slug)
    offering = selectors.offering_get(community=community, pk=offering_id)
    check(request, perm, offering)
    return offering, _me(request, community)


def _enrolment_out(enrolment: Enrolment) -> dict[str, Any]:
    return {"offering": enrolment.offering_id, "status": enrolment.status}


@router.post(BASE + "/offerings/{offering_id}/enrol", response={201: LearnEnrolmentOut})
def enrol(request: HttpRequest, slug: str, offering_id: int) -> Status[dict[str, Any]]:
    offering, me = _offering(request, slug, offering_id, "learn.take_part")
    return Status(201, _enrolment_out(learning.enrol(offering=offering, membership=me)))


@router.post(BASE + "/offerings/{offering_id}/leave", response={204: None})
def leave(request: HttpRequest, slug: str, offering_id: int) -> Status[None]:
    offering, me = _offering(request, slug, offering_id, "learn.take_part")
    learning.enrol_leave(offering=offering, membership=me)
    return Status(204, None)


@router.get(BASE + "/offerings/{offering_id}/participants", response=list[LearnParticipantOut])
def participants(request: HttpRequest, slug: str, offering_id: int) -> list[dict[str, Any]]:
    """Who takes part and how many sessions each attended: for the offering's facilitators only."""
    offering, _caller = _offering(request, slug, offering_id, "learn.view_attendance")
    present = selectors.attendance_of(offering=offering)
    completed = selectors.completions_for_facilitators(offering=offering)
    return [
        {
            "member": e.membership_id,
            "name": e.membership.display_name,
            "status": e.status,
            "sessions_attended": sum(1 for _s, m in present if m == e.membership_id),
            "completed": e.membership_id in completed,
        }
        for e in selectors.participants(offering=offering)
    ]


def _completion_out(completion: Completion) -> dict[str, Any]:
    return {
        "offering": completion.offering_id,
        "member": completion.membership_id,
        "shown_to_members": completion.shown_to_members,
        "asks_vouches": completion.asks_vouches,
    }


@router.post(BASE + "/offerings/{offering_id}/completions", response={201: LearnCompletionOut})
def completion_record(
    request: HttpRequest, slug: str, offering_id: int, payload: LearnCompletionIn
) -> Status[dict[str, Any]]:
    offering, me = _offering(request, slug, offering_id, "learn.run_offering")
    try:
        member = member_get(community=offering.community, pk=payload.member)
    except NotFound:
        raise InvalidInput(_("Choose someone taking part."), field="member") from None
    return Status(
        201, _completion_out(learning.completion_record(offering=offering, membership=member, by=me))
    )
