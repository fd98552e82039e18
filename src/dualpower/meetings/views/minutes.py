"""Pages for minutes: the draft, the amendment window, adoption."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput, NotFound
from dualpower.meetings import selectors, services
from dualpower.meetings.forms import (
    MinutesForm,
    OpenMinutesForm,
)
from dualpower.meetings.models import Meeting, Minutes
from dualpower.meetings.views._common import _me, _meeting
from dualpower.members.roles import membership_required
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


def _minutes_context(
    request: HttpRequest, meeting: Meeting, form: MinutesForm | None = None
) -> dict[str, Any]:
    minutes = selectors.minutes_of(meeting=meeting)
    items = selectors.agenda_of(meeting=meeting)
    revisions = selectors.revisions_of(minutes=minutes) if minutes else []
    current = revisions[0] if revisions else None
    shown = current
    wanted = request.GET.get("revision", "")
    if wanted.isdigit():
        shown = next((r for r in revisions if r.number == int(wanted)), None)
        if shown is None:
            raise NotFound(_("There is no such version of these minutes."))
    has = request.user.has_perm
    state = minutes.state if minutes else None
    can_draft = state == Minutes.State.DRAFT and has("meetings.draft_minutes", meeting)
    can_amend = state == Minutes.State.OPEN and has("meetings.amend_minutes", meeting)
    if form is None and (can_draft or can_amend):
        initial: dict[str, Any] = {"summary": current.summary if current else ""}
        for item in items:
            entry = (current.items if current else {}).get(str(item.pk), {})
            initial[f"item_{item.pk}_notes"] = entry.get("notes", "")
            initial[f"item_{item.pk}_decisions"] = entry.get("decisions", "")
        form = MinutesForm(initial=initial, items=items, amending=can_amend)
    sections = [{"item": item, **((shown.items if shown else {}).get(str(item.pk), {}))} for item in items]
    return {
        "meeting": meeting,
        "minutes": minutes,
        "revisions": revisions,
        "shown": shown,
        "is_current": shown is current,
        "sections": sections,
        "form": form,
        "can_draft": can_draft,
        "can_amend": can_amend,
        "can_open": state == Minutes.State.DRAFT
        and current is not None
        and meeting.status == Meeting.Status.ENDED
        and has("meetings.open_minutes", meeting),
        "open_form": OpenMinutesForm(),
        "can_adopt": state in (Minutes.State.OPEN, Minutes.State.CLOSED)
        and has("meetings.adopt_minutes", meeting),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def minutes_page(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Read the minutes and their history; the note-taker drafts and attendees amend here."""
    meeting = _meeting(request, community, pk, "meetings.view_meeting")
    if request.method != "POST":
        return render(request, "meetings/minutes.html", _minutes_context(request, meeting))
    minutes = selectors.minutes_of(meeting=meeting)
    amending = minutes is not None and minutes.state != Minutes.State.DRAFT
    check(request, "meetings.amend_minutes" if amending else "meetings.draft_minutes", meeting)
    form = MinutesForm(request.POST, items=selectors.agenda_of(meeting=meeting), amending=amending)

    def save(data: dict[str, Any]) -> Any:
        if amending:
            return services.minutes_amend(
                meeting=meeting,
                by=membership_required(request.user, community),
                summary=data["summary"],
                items=form.items_data(),
                note=data["note"],
            )
        return services.minutes_draft(
            meeting=meeting,
            by=_me(request, community),
            summary=data["summary"],
            items=form.items_data(),
            note=data["note"],
        )

    return form_action(
        request,
        form=form,
        run=save,
        success=reverse("meetings:minutes", args=[community.slug, meeting.pk]),
        message=_("The minutes were saved as a new version."),
        template="meetings/minutes.html",
        context=_minutes_context(request, meeting, form),
    )


@require_POST
@with_community
def minutes_open(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.open_minutes")
    form = OpenMinutesForm(request.POST)

    def action() -> Any:
        if not form.is_valid():
            raise InvalidInput(_("Give the time for amendments in hours."), field="hours")
        return services.minutes_open(
            meeting=meeting, by=_me(request, community), hours=form.cleaned_data["hours"]
        )

    return post_action(
        request,
        run=action,
        back=reverse("meetings:minutes", args=[community.slug, meeting.pk]),
        message=_("The minutes are open for amendments; the attendees were told."),
    )


@require_POST
@with_community
def minutes_adopt(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.adopt_minutes")
    return post_action(
        request,
        run=lambda: services.minutes_adopt(meeting=meeting, by=_me(request, community)),
        back=reverse("meetings:minutes", args=[community.slug, meeting.pk]),
        message=_("The minutes are adopted; they are now locked."),
    )
