"""API for members, applications, roles, my account and tokens: parse → check rule → service → schema."""

import json
from typing import Any

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from dualpower.api_prepared import CONTENT_TYPE, RENDERER, served_as_prepared
from dualpower.api_tools import KeysetInput, keyset_cursor, next_link, paginate, session_only
from dualpower.community.models import Community
from dualpower.community.selectors import community_for_visitor, community_get
from dualpower.errors import InvalidInput
from dualpower.members import selectors, services
from dualpower.members.models import Application, Membership
from dualpower.members.roles import membership_for, signed_in
from dualpower.members.schemas import (
    AccountOut,
    ApplicationIn,
    ApplicationOut,
    DeclineIn,
    DeleteAccountIn,
    MemberOut,
    MemberPageOut,
    MyMembershipOut,
    ProfilePatch,
    RoleChangeOut,
    RoleIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    TrustOut,
)
from dualpower.web import fragments
from dualpower.web.permissions import check

router = Router(tags=["members"])


class MemberQuery(KeysetInput):
    skill: str = ""
    neighbourhood: str = ""
    after: str | None = None  # the last member of the page before (``next`` carries it)
    offset: str | None = None  # refused: the list is read by position (``after``), not by offset


def _application_out(application: Application, *, viewer: Any) -> dict[str, Any]:
    trusted = selectors.trust_given_by(user=viewer, applications=[application])
    trust_count = getattr(application, "trust_count", None)  # annotated by applications_pending
    return {
        "id": application.pk,
        "community": application.community.slug,
        "display_name": application.display_name,
        "answers": application.answers,
        "status": application.status,
        "trust_count": application.trust.count() if trust_count is None else trust_count,
        "trust_given_by_me": application.pk in trusted,
        "decision_reason": application.decision_reason,
        "created_at": application.created_at,
        "decided_at": application.decided_at,
    }


def _my_membership(request: HttpRequest, slug: str) -> Membership:
    community = community_get(slug=slug)
    check(request, "members.change_own_profile", community)
    membership = membership_for(request.user, community)
    assert membership is not None  # the rule above admits only members
    return membership


# --- members -------------------------------------------------------------------------------


@router.get("/communities/{slug}/members", response=MemberPageOut)
@served_as_prepared
def member_list(request: HttpRequest, slug: str, page: Query[MemberQuery]) -> HttpResponse:
    """Admitted people of the community (observers included), by display name, ``limit`` at a
    time: ``next`` is the address of the following page (``?after=<the last id>``), null on the last
    (``?before=<the first id>`` goes back a page). Found by keyset, so the last page of 50,000
    members costs what the first does."""
    # The visitor's membership is read with the community (community_for_visitor).
    community = community_for_visitor(slug=slug, user=request.user)
    check(request, "members.list_members", community)
    if page.offset is not None:
        raise InvalidInput(
            _("The member list is read by position, not by offset: follow “next” (after=<id>)."),
            field="offset",
        )
    after, before = keyset_cursor(page.after, field="after"), keyset_cursor(page.before)

    def make(_csrf: str) -> str:
        found = selectors.member_list_page(
            community=community,
            skill=page.skill,
            neighbourhood=page.neighbourhood,
            after=after,
            before=before,
            size=page.limit,
        )
        items = [_member_row(person, request) for person in found.people]
        return f"{'' if found.next is None else found.next}\n{json.dumps(items, cls=RENDERER.encoder_class)}"

    # The page's rows as JSON, kept while the data is unchanged (web/fragments.py) for everyone who
    # sees the same contact details in them (``_contact_view``).
    kept = fragments.kept_html(
        key=(
            "api-members",
            community.pk,
            page.skill,
            page.neighbourhood,
            after,
            before,
            page.limit,
            *_contact_view(request, community),
        ),
        make=make,
    )
    last, items = str(kept).split("\n", 1)
    link = next_link(request, cursor="after", value=int(last) if last else None)
    # As ninja's renderer writes ``{"items": …, "next": …}`` (json.dumps' separators).
    body = f'{{"items": {items}, "next": {json.dumps(link, cls=RENDERER.encoder_class)}}}'
    return HttpResponse(body, content_type=CONTENT_TYPE)


def _contact_view(request: HttpRequest, community: Community) -> tuple[Any, ...]:
    """What decides which contact details the visitor sees in the list (``members.view_contact``:
    the member's own choice, ``is_self``, the visitor's role; a superuser sees them all): their
    role, and who they are only when their own row shows them more than their role would (their
    contact hidden from others of that role)."""
    user = request.user
    me = membership_for(user, community)
    if me is None:
        return (bool(user.is_superuser), None, None)
    shown_to_role = me.contact_visibility == Membership.Visibility.MEMBERS or (
        me.role == Membership.Role.COORDINATOR and me.contact_visibility == Membership.Visibility.COORDINATORS
    )
    return (bool(user.is_superuser), me.role, None if shown_to_role or not me.contact else user.pk)


def _member_row(person: Membership, request: HttpRequest) -> dict[str, Any]:
    """``MemberOut`` of ``person`` as the schema dumps it (its fields in order, the contact by its
    own resolver and rule), so the list is served without validating it again (api_prepared); the
    list's test compares the two."""
    return {
        "id": person.pk,
        "display_name": person.display_name,
        "role": person.role,
        "languages": list(person.languages),
        "neighbourhood": person.neighbourhood,
        "skills": list(person.skills),
        "contact": MemberOut.resolve_contact(person, {"request": request}),
        "joined_at": person.joined_at,
    }


@router.get("/communities/{slug}/members/me", response=MyMembershipOut)
def member_me(request: HttpRequest, slug: str) -> Membership:
    return _my_membership(request, slug)


@router.patch("/communities/{slug}/members/me", response=MyMembershipOut)
def member_me_update(request: HttpRequest, slug: str, payload: ProfilePatch) -> Membership:
    """Change my own profile in this community; only the fields sent change."""
    membership = _my_membership(request, slug)
    changes = payload.dict(exclude_unset=True)
    for key in ("display_name", "contact_visibility", "languages", "skills"):
        if key in changes and changes[key] is None:
            changes.pop(key)
    return services.profile_update(membership=membership, **changes)


@router.get("/communities/{slug}/members/{member_id}", response=MemberOut)
def member_detail(request: HttpRequest, slug: str, member_id: int) -> Membership:
    community = community_get(slug=slug)
    check(request, "members.view_member", community)
    return selectors.member_get(community=community, member_id=member_id)


@router.post("/communities/{slug}/members/{member_id}/role", response=RoleChangeOut)
def member_role_change(request: HttpRequest, slug: str, member_id: int, payload: RoleIn) -> dict[str, Any]:
    """A coordinator grants or revokes a role, with the reason (and the assembly decision, if any)."""
    community = community_get(slug=slug)
    check(request, "members.change_role", community)
    membership = selectors.member_get(community=community, member_id=member_id)
    change = services.role_change(
        membership=membership,
        role=payload.role,
        by=signed_in(request),
        reason=payload.reason,
        decision_ref=payload.decision_ref,
    )
    return {
        "id": change.pk,
        "member": membership.pk,
        "role_before": change.role_before,
        "role_after": change.role_after,
        "reason": change.reason,
        "decision_ref": change.decision_ref,
        "created_at": change.created_at,
    }


# --- applications --------------------------------------------------------------------------


@router.post("/communities/{slug}/applications", response={201: ApplicationOut})
def application_create(request: HttpRequest, slug: str, payload: ApplicationIn) -> Status[dict[str, Any]]:
    """Apply to join, with one answer per question of the community (see GET /communities/{slug})."""
    community = community_get(slug=slug)
    check(request, "members.apply", community)
    application = services.application_submit(
        user=signed_in(request),
        community=community,
        display_name=payload.display_name,
        answers=payload.answers,
    )
    return Status(201, _application_out(application, viewer=request.user))


@router.get("/communities/{slug}/applications", response=list[ApplicationOut])
@paginate
def application_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Pending applications: for coordinators, and for members when members admit by trust."""
    community = community_get(slug=slug)
    check(request, "members.list_applications", community)
    pending = list(selectors.applications_pending(community=community))
    trusted = selectors.trust_given_by(user=request.user, applications=pending)
    out = []
    for application in pending:
        item = _application_out(application, viewer=None)
        item["trust_given_by_me"] = application.pk in trusted
        out.append(item)
    return out


def _pending_application(request: HttpRequest, slug: str, application_id: int) -> Application:
    community = community_get(slug=slug)
    return selectors.application_get(community=community, application_id=application_id)


@router.post("/communities/{slug}/applications/{application_id}/admit", response=MyMembershipOut)
def application_admit(request: HttpRequest, slug: str, application_id: int) -> Membership:
    application = _pending_application(request, slug, application_id)
    check(request, "members.decide_application", application)
    return services.application_admit(application=application, by=signed_in(request))


@router.post("/communities/{slug}/applications/{application_id}/decline", response=ApplicationOut)
def application_decline(
    request: HttpRequest, slug: str, application_id: int, payload: DeclineIn
) -> dict[str, Any]:
    application = _pending_application(request, slug, application_id)
    check(request, "members.decide_application", application)
    application = services.application_decline(
        application=application, by=signed_in(request), reason=payload.reason
    )
    return _application_out(application, viewer=request.user)


@router.post("/communities/{slug}/applications/{application_id}/trust", response=TrustOut)
def application_trust(request: HttpRequest, slug: str, application_id: int) -> dict[str, Any]:
    """Give my trust to an applicant; at the community's threshold they are admitted."""
    application = _pending_application(request, slug, application_id)
    check(request, "members.give_trust", application)
    services.trust_give(application=application, by=signed_in(request))
    application.refresh_from_db()
    return {
        "application": _application_out(application, viewer=request.user),
        "admitted": application.status == Application.Status.ADMITTED,
    }


@router.post("/communities/{slug}/applications/{application_id}/withdraw", response=ApplicationOut)
def application_withdraw(request: HttpRequest, slug: str, application_id: int) -> dict[str, Any]:
    application = _pending_application(request, slug, application_id)
    check(request, "members.withdraw_application", application)
    application = services.application_withdraw(application=application, by=signed_in(request))
    return _application_out(application, viewer=request.user)


# --- my account ----------------------------------------------------------------------------


@router.get("/me", response=AccountOut)
def me(request: HttpRequest) -> dict[str, Any]:
    user = signed_in(request)
    return {
        "email": user.email,
        "two_factor": selectors.has_totp(user=user),
        "memberships": list(selectors.memberships_active_of(user=user)),
        "applications": [
            _application_out(a, viewer=user)
            for a in Application.objects.filter(user=user).select_related("community")
        ],
    }


@router.get("/me/export", response=dict[str, Any])
def me_export(request: HttpRequest) -> dict[str, Any]:
    """Everything this node holds about me, as JSON."""
    return selectors.account_export(user=signed_in(request))


@router.delete("/me", response={204: None})
@session_only
def me_delete(request: HttpRequest, payload: DeleteAccountIn) -> Status[None]:
    """Delete my account: memberships stay as "former member", everything personal goes."""
    services.account_delete(user=signed_in(request), confirm_email=payload.confirm_email)
    logout(request)
    return Status(204, None)


@router.get("/me/tokens", response=list[TokenOut])
@session_only
@paginate
def token_list(request: HttpRequest):
    return selectors.tokens_of(user=signed_in(request))


@router.post("/me/tokens", response={201: TokenCreatedOut})
@session_only
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    """Create a personal access token (scope ``read``, the default, or ``write``). The secret is in
    this answer only; it is stored hashed. Needs a signed-in session: tokens cannot make tokens."""
    token, raw = services.token_create(user=signed_in(request), name=payload.name, scope=payload.scope)
    return Status(
        201,
        {
            "id": token.pk,
            "name": token.name,
            "scope": token.scope,
            "prefix": token.prefix,
            "created_at": token.created_at,
            "last_used_at": token.last_used_at,
            "revoked_at": token.revoked_at,
            "token": raw,
        },
    )


@router.delete("/me/tokens/{token_id}", response={204: None})
@session_only
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    services.token_revoke(user=signed_in(request), token_id=token_id)
    return Status(204, None)


__all__ = ["router"]
