"""API for cooperatives: parse → check rule → call service → schema.

Every path is inside one community: /communities/{slug}/coops/...; a co-op of another community
is simply not found there.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.community.selectors import community_get
from dualpower.coops import selectors, services
from dualpower.coops.models import CapitalOperation, Cooperative, CoopMember, PatronageAllocation
from dualpower.coops.schemas import (
    BoardIn,
    CapitalOut,
    CoopIn,
    CoopMemberOut,
    CoopOut,
    CoopPatch,
    OperationIn,
    OperationOut,
    PatronageIn,
    PatronageOut,
)
from dualpower.errors import InvalidInput, NotFound
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check

router = Router(tags=["cooperatives"])

COOPS = "/communities/{slug}/coops"
COOP = COOPS + "/{coop_slug}"
MEMBER = COOP + "/members/{member_id}"
OPS = COOP + "/operations"
OP = OPS + "/{op_id}"
PATRONAGE = COOP + "/patronage"


def _me(request: HttpRequest, coop: Cooperative) -> Membership:
    me = membership_for(request.user, coop.community)
    assert me is not None  # every write's rule admits only admitted people
    return me


def _coop(request: HttpRequest, slug: str, coop_slug: str, perm: str) -> Cooperative:
    community = community_get(slug=slug)
    # The community first: an outsider learns nothing about which co-ops exist.
    check(request, "coops.list_coops", community)
    coop = selectors.coop_get(community=community, slug=coop_slug)
    check(request, perm, coop)
    return coop


@router.get(COOPS, response=list[CoopOut], auth=AUTH_OPTIONAL)
@paginate
def coop_list(request: HttpRequest, slug: str) -> Any:
    community = community_get(slug=slug)
    check(request, "coops.list_coops", community)
    return selectors.coops_of(community=community).select_related("assembly")


@router.post(COOPS, response={201: CoopOut})
def coop_create(request: HttpRequest, slug: str, payload: CoopIn) -> Status[Cooperative]:
    community = community_get(slug=slug)
    check(request, "coops.add_coop", community)
    coop = services.coop_create(
        community=community, by=membership_for(request.user, community), **payload.dict()
    )
    return Status(201, selectors.coop_get(community=community, slug=coop.slug))


@router.get(COOP, response=CoopOut, auth=AUTH_OPTIONAL)
def coop_detail(request: HttpRequest, slug: str, coop_slug: str) -> Cooperative:
    return _coop(request, slug, coop_slug, "coops.view_coop")


@router.patch(COOP, response=CoopOut)
def coop_update(request: HttpRequest, slug: str, coop_slug: str, payload: CoopPatch) -> Cooperative:
    coop = _coop(request, slug, coop_slug, "coops.change_coop")
    services.coop_update(
        coop=coop, by=membership_for(request.user, coop.community), **payload.dict(exclude_unset=True)
    )
    return selectors.coop_get(community=coop.community, slug=coop.slug)


@router.get(COOP + "/members", response=list[CoopMemberOut], auth=AUTH_OPTIONAL)
@paginate
def member_list(request: HttpRequest, slug: str, coop_slug: str, status: str = "member") -> Any:
    coop = _coop(request, slug, coop_slug, "coops.view_coop")
    if status not in CoopMember.Status.values:
        raise InvalidInput(_("The status is one of: pending, member, left."), field="status")
    if status != CoopMember.Status.MEMBER:
        check(request, "coops.decide_requests", coop)
    return selectors.coop_members(coop=coop, status=status)


@router.post(COOP + "/join", response={201: CoopMemberOut})
def coop_join(request: HttpRequest, slug: str, coop_slug: str) -> Status[CoopMember]:
    coop = _coop(request, slug, coop_slug, "coops.join_coop")
    return Status(201, services.coop_join(coop=coop, membership=_me(request, coop)))


@router.post(COOP + "/leave", response=CoopMemberOut)
def coop_leave(request: HttpRequest, slug: str, coop_slug: str) -> CoopMember:
    coop = _coop(request, slug, coop_slug, "coops.leave_coop")
    me = _me(request, coop)
    place = selectors.place_of(coop=coop, membership=me)
    assert place is not None
    return services.coop_leave(place=place, by=me)


@router.post(MEMBER + "/approve", response=CoopMemberOut)
def request_approve(request: HttpRequest, slug: str, coop_slug: str, member_id: int) -> CoopMember:
    coop = _coop(request, slug, coop_slug, "coops.decide_requests")
    place = selectors.coop_member_get(coop=coop, pk=member_id)
    return services.coop_request_approve(place=place, by=_me(request, coop))


@router.post(MEMBER + "/decline", response={204: None})
def request_decline(request: HttpRequest, slug: str, coop_slug: str, member_id: int) -> Status[None]:
    coop = _coop(request, slug, coop_slug, "coops.decide_requests")
    place = selectors.coop_member_get(coop=coop, pk=member_id)
    services.coop_request_decline(place=place, by=_me(request, coop))
    return Status(204, None)


@router.post(MEMBER + "/board", response=CoopMemberOut)
def board_set(
    request: HttpRequest, slug: str, coop_slug: str, member_id: int, payload: BoardIn
) -> CoopMember:
    coop = _coop(request, slug, coop_slug, "coops.set_board")
    place = selectors.coop_member_get(coop=coop, pk=member_id)
    return services.coop_board_set(place=place, is_board=payload.is_board, by=_me(request, coop))


@router.get(COOP + "/capital", response=list[CapitalOut])
def capital_list(request: HttpRequest, slug: str, coop_slug: str) -> list[dict[str, Any]]:
    coop = _coop(request, slug, coop_slug, "coops.view_capital")
    return [
        {
            "member": c.member.pk,
            "display_name": c.member.membership.display_name,
            "shares": c.shares,
            "amount": c.amount,
        }
        for c in selectors.capital_of(coop=coop)
    ]


@router.get(OPS, response=list[OperationOut])
@paginate
def operation_list(request: HttpRequest, slug: str, coop_slug: str) -> Any:
    coop = _coop(request, slug, coop_slug, "coops.view_capital")
    return selectors.operations_of(coop=coop)


def _place(coop: Cooperative, pk: int | None, field: str) -> CoopMember | None:
    if pk is None:
        return None
    try:
        return selectors.coop_member_get(coop=coop, pk=pk)
    except NotFound:
        raise InvalidInput(_("Nobody with id %(id)s is in this co-op.") % {"id": pk}, field=field) from None


@router.post(OPS, response={201: OperationOut})
def operation_create(
    request: HttpRequest, slug: str, coop_slug: str, payload: OperationIn
) -> Status[CapitalOperation]:
    coop = _coop(request, slug, coop_slug, "coops.propose_operation")
    me = _me(request, coop)
    member = _place(coop, payload.member, "member") or selectors.place_of(coop=coop, membership=me)
    assert member is not None  # the rule admits only the co-op's members
    op = services.capital_operation_create(
        coop=coop,
        kind=payload.kind,
        member=member,
        shares=payload.shares,
        to_member=_place(coop, payload.to_member, "to_member"),
        note=payload.note,
        by=me,
    )
    return Status(201, op)


@router.get(OP, response=OperationOut)
def operation_detail(request: HttpRequest, slug: str, coop_slug: str, op_id: int) -> CapitalOperation:
    coop = _coop(request, slug, coop_slug, "coops.view_capital")
    return selectors.operation_get(coop=coop, pk=op_id)


def _op_action(
    request: HttpRequest, slug: str, coop_slug: str, op_id: int, perm: str, verb: Any
) -> CapitalOperation:
    coop = _coop(request, slug, coop_slug, perm)
    op = selectors.operation_get(coop=coop, pk=op_id)
    return verb(operation=op, by=_me(request, coop))


@router.post(OP + "/approve", response=OperationOut)
def operation_approve(request: HttpRequest, slug: str, coop_slug: str, op_id: int) -> CapitalOperation:
    return _op_action(
        request, slug, coop_slug, op_id, "coops.decide_operation", services.capital_operation_approve
    )


@router.post(OP + "/complete", response=OperationOut)
def operation_complete(request: HttpRequest, slug: str, coop_slug: str, op_id: int) -> CapitalOperation:
    return _op_action(
        request, slug, coop_slug, op_id, "coops.decide_operation", services.capital_operation_complete
    )


@router.post(OP + "/cancel", response=OperationOut)
def operation_cancel(request: HttpRequest, slug: str, coop_slug: str, op_id: int) -> CapitalOperation:
    # Members may cancel their own drafts; the service decides which (the board cancels any).
    return _op_action(
        request, slug, coop_slug, op_id, "coops.propose_operation", services.capital_operation_cancel
    )


@router.get(PATRONAGE, response=list[PatronageOut])
def patronage_list(request: HttpRequest, slug: str, coop_slug: str) -> Any:
    coop = _coop(request, slug, coop_slug, "coops.view_patronage")
    return list(selectors.allocations_of(coop=coop).prefetch_related("lines"))


@router.post(PATRONAGE, response={201: PatronageOut})
def patronage_propose(
    request: HttpRequest, slug: str, coop_slug: str, payload: PatronageIn
) -> Status[PatronageAllocation]:
    coop = _coop(request, slug, coop_slug, "coops.propose_patronage")
    allocation = services.patronage_propose(coop=coop, by=_me(request, coop), **payload.dict())
    return Status(201, allocation)


@router.post(PATRONAGE + "/{allocation_id}/adopt", response=PatronageOut)
def patronage_adopt(
    request: HttpRequest, slug: str, coop_slug: str, allocation_id: int
) -> PatronageAllocation:
    coop = _coop(request, slug, coop_slug, "coops.adopt_patronage")
    allocation = selectors.allocation_get(coop=coop, pk=allocation_id)
    return services.patronage_adopt(allocation=allocation, by=_me(request, coop))
