"""Learning together: offerings, sessions, readings, attendance, completions, vouches.

c/<slug>/learn/                                   offerings (and the way to the library)
c/<slug>/learn/offerings/new/                     propose an offering
c/<slug>/learn/offerings/<pk>/                    an offering: sessions, readings, taking part;
                                                  for its facilitators, who takes part and attends
c/<slug>/learn/offerings/<pk>/sessions/new/       add a session
c/<slug>/learn/sessions/<pk>/reading/             add a reading to a session's pack
c/<slug>/learn/sessions/<pk>/notes/               the session's notes
c/<slug>/learn/vouches/                           people who trained for a role I hold, asking vouches
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualpower.activities import services as activities
from dualpower.activities.selectors import member_get, trust_role_get, trust_roles
from dualpower.clean import clean_minutes
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput, NotFound
from dualpower.formatting import format_minutes
from dualpower.learn import selectors
from dualpower.learn.forms import (
    CompletionChoiceForm,
    NotesForm,
    OfferingForm,
    ReadingForm,
    RoleLinkForm,
    SessionForm,
)
from dualpower.learn.services import learning as services
from dualpower.learn.views._common import before, me, picked_id
from dualpower.members.roles import membership_for
from dualpower.uploads import upload_accept
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check

READING_BYTES = 10 * 1024 * 1024


@require_GET
@with_community
def offerings(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "learn.view", community)
    membership = membership_for(request.user, community)
    return render(
        request,
        "learn/offerings.html",
        {
            "offerings": selectors.offerings_listed(community=community, before=before(request)),
            "may_propose": request.user.has_perm("learn.propose", community),
            "completions": selectors.my_completions(membership=membership) if membership else [],
        },
    )


def _offering_run(community: Community, membership: Any, data: dict[str, Any]) -> Any:
    minutes = None
    if data.get("reciprocity") == "hours":
        minutes = clean_minutes(data.get("hours") or "", field="hours", label=_("Time-bank hours asked"))
    return services.offering_create(
        community=community,
        by=membership,
        text=services.OfferingText(
            kind=data["kind"],
            title=data["title"],
            description=data.get("description", ""),
            language=data["language"],
            place=data.get("place", ""),
            accessibility=data.get("accessibility", ""),
            reciprocity=data["reciprocity"],
            minutes=minutes,
            asks=data.get("asks", ""),
            capacity=data["capacity"],
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def offering_new(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "learn.propose", community)
    form = OfferingForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    membership = me(request, community)
    return form_action(
        request,
        form=form,
        run=lambda data: _offering_run(community, membership, data),
        success=lambda offering: reverse("learn:offering", args=[community.slug, offering.pk]),
        message=_("Proposed. Add its sessions so people can sign up."),
        template="learn/offering_form.html",
    )


@require_GET
@with_community
def offering_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    offering = selectors.offering_get(community=community, pk=pk)
    check(request, "learn.view", offering)
    membership = membership_for(request.user, community)
    facilitates = request.user.has_perm("learn.view_attendance", offering)
    completion = selectors.my_completion(offering=offering, membership=membership)
    sessions = selectors.sessions_of(offering=offering)
    people = selectors.participants(offering=offering) if facilitates else []
    present = selectors.attendance_of(offering=offering) if facilitates else set()
    joined = [e for e in people if e.status == "joined"]
    for session in sessions:
        session.roll = [(e, (session.pk, e.membership_id) in present) for e in joined]  # type: ignore[attr-defined]
    for e in people:
        e.attended = sum(1 for s in sessions if (s.pk, e.membership_id) in present)  # type: ignore[attr-defined]
    return render(
        request,
        "learn/offering.html",
        {
            "offering": offering,
            "sessions": sessions,
            "hours": format_minutes(offering.minutes) if offering.minutes else "",
            "facilitators": selectors.facilitators_of(offering=offering),
            "mine": selectors.my_enrolment(offering=offering, membership=membership),
            "my_attendance": selectors.my_attendance(offering=offering, membership=membership),
            "completion": completion,
            "completion_form": CompletionChoiceForm(
                initial={
                    "shown_to_members": completion.shown_to_members,
                    "asks_vouches": completion.asks_vouches,
                }
            )
            if completion
            else None,
            "shown": selectors.completions_shown(offering=offering),
            "may_take_part": request.user.has_perm("learn.take_part", offering),
            "runs": request.user.has_perm("learn.run_offering", offering),
            "facilitates": facilitates,
            "participants": people,
            "completed": selectors.completions_for_facilitators(offering=offering) if facilitates else set(),
            "may_add_reading": request.user.has_perm("learn.add_reading", offering),
            "role_form": RoleLinkForm(
                roles=trust_roles(community=community), initial={"role": offering.role_id or ""}
            )
            if request.user.has_perm("learn.link_role", offering)
            else None,
        },
    )


def _offering_back(community: Community, pk: int) -> str:
    return reverse("learn:offering", args=[community.slug, pk])


@require_POST
@with_community
def enrol(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    offering = selectors.offering_get(community=community, pk=pk)
    check(request, "learn.take_part", offering)
    membership = me(request, community)
    return post_action(
        request,
        run=lambda: services.enrol(offering=offering, membership=membership),
        back=_offering_back(community, pk),
        message=lambda e: _("You have a place.") if e.status == "joined" else _("You are on the waitlist."),
    )


@require_POST
@with_community
def leave(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    offering = selectors.offering_get(community=community, pk=pk)
    check(request, "learn.take_part", offering)
    membership = me(request, community)
    return post_action(
        request,
        run=lambda: services.enrol_leave(offering=offering, membership=membership),
        back=_offering_back(community, pk),
        message=_("You gave your place back."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def session_new(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    offering = selectors.offering_get(community=community, pk=pk)
    check(request, "learn.run_offering", offering)
    membership = me(request, community)
    people = [e.membership for e in selectors.participants(offering=offering)] + selectors.facilitators_of(
        offering=offering
    )
    unique = {p.pk: p for p in people}
    form = SessionForm(request.POST or None, people=sorted(unique.values(), key=lambda p: p.display_name))

    def run(data: dict[str, Any]) -> Any:
        facilitator = unique.get(picked_id(data.get("facilitator")) or 0)
        return services.session_add(
            offering=offering,
            by=membership,
            title=data["title"],
            starts_at=data["starts_at"],
            place=data.get("place", ""),
            facilitator=facilitator,
        )

    return form_action(
        request,
        form=form,
        run=run,
        success=_offering_back(community, pk),
        message=_("The session is added."),
        template="learn/session_form.html",
        context={"offering": offering},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def reading_new(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    session = selectors.session_by_pk(community=community, pk=pk)
    check(request, "learn.add_reading", session.offering)
    membership = me(request, community)
    form = ReadingForm(request.POST or None, request.FILES or None)

    def run(data: dict[str, Any]) -> Any:
        upload = request.FILES.get("file")
        name = ""
        if upload is not None:
            name = upload_accept(
                upload,
                kinds=("pdf",),
                max_bytes=READING_BYTES,
                field="file",
                wrong_type=_("The file must be a PDF."),
                too_large=_("The file is larger than 10 MB."),
            )
        return services.reading_add(
            session=session,
            by=membership,
            title=data["title"],
            url=data.get("url", ""),
            file=upload,
            file_name=name,
        )

    return form_action(
        request,
        form=form,
        run=run,
        success=_offering_back(community, session.offering_id),
        message=_("The reading is in the pack."),
        template="learn/reading_form.html",
        context={"session": session, "offering": session.offering},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def notes(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    session = selectors.session_by_pk(community=community, pk=pk)
    check(request, "learn.run_offering", session.offering)
    form = NotesForm(request.POST or None, initial={"notes": session.notes})
    return form_action(
        request,
        form=form,
        run=lambda data: services.session_notes_save(
            session=session, by=me(request, community), notes=data["notes"]
        ),
        success=_offering_back(community, session.offering_id),
        message=_("The notes are saved."),
        template="learn/notes_form.html",
        context={"session": session, "offering": session.offering},
    )


@require_POST
@with_community
def attendance(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    session = selectors.session_by_pk(community=community, pk=pk)
    check(request, "learn.view_attendance", session.offering)
    member = member_get(community=community, pk=picked_id(request.POST.get("member")) or 0)
    present = request.POST.get("present") == "1"
    return post_action(
        request,
        run=lambda: services.attendance_set(
            session=session, membership=member, present=present, by=me(request, community)
        ),
        back=_offering_back(community, session.offering_id),
        message=_("Attendance saved."),
    )


@require_POST
@with_community
def complete(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    offering = selectors.offering_get(community=community, pk=pk)
    check(request, "learn.run_offering", offering)
    member = member_get(community=community, pk=picked_id(request.POST.get("member")) or 0)
    return post_action(
        request,
        run=lambda: services.completion_record(
            offering=offering, membership=member, by=me(request, community)
        ),
        back=_offering_back(community, pk),
        message=lambda c: (
            _("Recorded. They may now ask the role's holders to vouch for them.")
            if offering.role_id
            else _("Recorded.")
        ),
    )


@require_POST
@with_community
def completion_choose(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    offering = selectors.offering_get(community=community, pk=pk)
    check(request, "learn.view", offering)
    completion = selectors.my_completion(offering=offering, membership=me(request, community))
    if completion is None:
        raise NotFound(_("You have not completed it."))
    form = CompletionChoiceForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return post_action(
        request,
        run=lambda: services.completion_choose(
            completion=completion,
            shown_to_members=bool(data.get("shown_to_members")),
            asks_vouches=bool(data.get("asks_vouches")),
        ),
        back=_offering_back(community, pk),
        message=_("Your choice is saved."),
    )


@require_POST
@with_community
def role_link(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    offering = selectors.offering_get(community=community, pk=pk)
    check(request, "learn.link_role", offering)
    role_id = picked_id(request.POST.get("role"))
    roles = trust_roles(community=community)
    role = roles.filter(pk=role_id).first() if role_id else None
    if role_id and role is None:
        raise InvalidInput(_("Choose one of this community's trust roles."), field="role")
    return post_action(
        request,
        run=lambda: services.role_link_set(offering=offering, role=role, by=me(request, community)),
        back=_offering_back(community, pk),
        message=_("Saved: completing it proposes the role.") if role else _("Saved: it proposes no role."),
    )


@require_GET
@with_community
def vouches(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "activities.vouch", community)
    return render(
        request, "learn/vouches.html", {"asks": selectors.vouch_requests(membership=me(request, community))}
    )


@require_POST
@with_community
def vouch(request: HttpRequest, community: Community, slug: str, member: int) -> HttpResponse:
    check(request, "activities.vouch", community)
    role = trust_role_get(community=community, slug=slug)
    vouchee = member_get(community=community, pk=member)
    return post_action(
        request,
        run=lambda: activities.vouch_give(role=role, voucher=me(request, community), vouchee=vouchee),
        back=reverse("learn:vouches", args=[community.slug]),
        message=_("You vouched. The role is granted when enough members have."),
    )
