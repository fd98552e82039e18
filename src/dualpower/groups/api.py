"""API for working groups: parse → check rule → call service → schema.

Every path is inside one community: /communities/{slug}/groups/...; a group of another
community is simply not found there.
"""

import json
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError

from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.errors import InvalidInput, NotFound
from dualpower.groups import selectors, services
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.groups.schemas import ConvenerIn, GroupIn, GroupMemberOut, GroupOut, GroupPatch, LeaveIn
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for, membership_required
from dualpower.web.permissions import check

router = Router(tags=["working groups"])

GROUPS = "/communities/{slug}/groups"
GROUP = GROUPS + "/{group_slug}"
MEMBER = GROUP + "/members/{member_id}"


class MembersQuery(Schema):
    status: GroupMembership.Status = GroupMembership.Status.ACTIVE


MEMBERS_QUERY = Query(...)


def _me(request: HttpRequest, community: Community) -> Membership | None:
    return membership_for(request.user, community)


def _member_me(request: HttpRequest, community: Community) -> Membership:
    """My membership, where the rule just checked admits only members."""
    return membership_required(request.user, community)


def _group(request: HttpRequest, slug: str, group_slug: str, perm: str) -> WorkingGroup:
    community = community_get(slug=slug)
    # Check the community first: an outsider learns nothing about which groups exist.
    check(request, "groups.list_groups", community)
    group = selectors.group_get(community=community, slug=group_slug)
    check(request, perm, group)
    return group


def _fresh(group: WorkingGroup) -> WorkingGroup:
    return selectors.group_get(community=group.community, slug=group.slug)


@router.get(GROUPS, response=list[GroupOut], auth=AUTH_OPTIONAL)
@paginate
def group_list(request: HttpRequest, slug: str) -> Any:
    community = community_get(slug=slug)
    check(request, "groups.list_groups", community)
    return selectors.groups_of(community=community)


@router.post(GROUPS, response={201: GroupOut})
def group_create(request: HttpRequest, slug: str, payload: GroupIn) -> Status[WorkingGroup]:
    community = community_get(slug=slug)
    check(request, "groups.add_group", community)
    group = services.working_group_create(community=community, by=_me(request, community), **payload.dict())
    return Status(201, _fresh(group))


@router.get(GROUP, response=GroupOut, auth=AUTH_OPTIONAL)
def group_detail(request: HttpRequest, slug: str, group_slug: str) -> WorkingGroup:
    return _group(request, slug, group_slug, "groups.view_group")


@router.patch(GROUP, response=GroupOut)
def group_update(request: HttpRequest, slug: str, group_slug: str, payload: GroupPatch) -> WorkingGroup:
    group = _group(request, slug, group_slug, "groups.change_group")
    changes = payload.dict(exclude_unset=True)
    services.working_group_update(group=group, by=_me(request, group.community), **changes)
    return _fresh(group)


@router.delete(GROUP, response={204: None})
def group_delete(request: HttpRequest, slug: str, group_slug: str) -> Status[None]:
    group = _group(request, slug, group_slug, "groups.delete_group")
    services.working_group_delete(group=group, by=_me(request, group.community))
    return Status(204, None)


@router.post(GROUP + "/join", response={201: GroupMemberOut})
def group_join(request: HttpRequest, slug: str, group_slug: str) -> Status[GroupMembership]:
    group = _group(request, slug, group_slug, "groups.join_group")
    me = _member_me(request, group.community)
    return Status(201, services.group_join(group=group, membership=me))


def _optional_body(request: HttpRequest) -> LeaveIn:
    """The body of /leave is optional: most people leaving name nobody."""
    try:
        if request.content_type == "application/json" and request.body.strip():
            data = json.loads(request.body)
            if not isinstance(data, dict):
                raise InvalidInput("The request body must be a JSON object.")
            return LeaveIn.model_validate(data)
        return LeaveIn.model_validate({k: v for k, v in request.POST.items() if k in LeaveIn.model_fields})
    except ValidationError as exc:
        raise NinjaValidationError([dict(error) for error in exc.errors()]) from None
    except ValueError as exc:  # not JSON at all
        raise InvalidInput("The request body is not valid JSON.") from exc


_LEAVE_BODY = {
    "requestBody": {
        "required": False,
        "content": {"application/json": {"schema": LeaveIn.model_json_schema()}},
    }
}


@router.post(GROUP + "/leave", response={204: None}, openapi_extra=_LEAVE_BODY)
def group_leave(request: HttpRequest, slug: str, group_slug: str) -> Status[None]:
    group = _group(request, slug, group_slug, "groups.leave_group")
    me = _member_me(request, group.community)
    payload = _optional_body(request)
    successor = None
    if payload.new_convener is not None:
        try:
            successor = selectors.group_membership_get(group=group, pk=payload.new_convener)
        except NotFound:
            raise InvalidInput(
                "The new convener must be another member of this group.", field="new_convener"
            ) from None
    services.group_leave(group=group, membership=me, new_convener=successor)
    return Status(204, None)


@router.get(GROUP + "/members", response=list[GroupMemberOut], auth=AUTH_OPTIONAL)
@paginate
def group_member_list(
    request: HttpRequest, slug: str, group_slug: str, filters: MembersQuery = MEMBERS_QUERY
) -> Any:
    group = _group(request, slug, group_slug, "groups.list_members")
    if filters.status == GroupMembership.Status.PENDING:
        # Who is asking to join is for those who decide.
        check(request, "groups.decide_requests", group)
    return selectors.group_members(group=group, status=filters.status)


def _member(request: HttpRequest, slug: str, group_slug: str, member_id: int, perm: str) -> GroupMembership:
    group = _group(request, slug, group_slug, perm)
    return selectors.group_membership_get(group=group, pk=member_id)


@router.post(MEMBER + "/approve", response=GroupMemberOut)
def request_approve(request: HttpRequest, slug: str, group_slug: str, member_id: int) -> GroupMembership:
    gm = _member(request, slug, group_slug, member_id, "groups.decide_requests")
    return services.group_request_approve(group_membership=gm, by=_member_me(request, gm.group.community))


@router.post(MEMBER + "/decline", response={204: None})
def request_decline(request: HttpRequest, slug: str, group_slug: str, member_id: int) -> Status[None]:
    gm = _member(request, slug, group_slug, member_id, "groups.decide_requests")
    services.group_request_decline(group_membership=gm, by=_member_me(request, gm.group.community))
    return Status(204, None)


@router.post(MEMBER + "/convener", response=GroupMemberOut)
def convener_set(
    request: HttpRequest, slug: str, group_slug: str, member_id: int, payload: ConvenerIn
) -> GroupMembership:
    gm = _member(request, slug, group_slug, member_id, "groups.set_convener")
    return services.convener_set(
        group_membership=gm,
        is_convener=payload.is_convener,
        by=_member_me(request, gm.group.community),
    )


@router.delete(MEMBER, response={204: None})
def member_remove(request: HttpRequest, slug: str, group_slug: str, member_id: int) -> Status[None]:
    gm = _member(request, slug, group_slug, member_id, "groups.remove_member")
    services.group_member_remove(group_membership=gm, by=_member_me(request, gm.group.community))
    return Status(204, None)
