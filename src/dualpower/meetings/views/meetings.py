"""Pages for meetings: parse → check rule → call service → template.

Buttons are plain forms that post and come back to the meeting page (no JavaScript needed), with
the sentence of what happened or why it was refused; a refused form shows again with what was
typed and the error summary. The quorum box refreshes itself with htmx and is current on every reload.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies.bodies import voters_of
from dualpower.assemblies.forms import LONG_LIST
from dualpower.assemblies.models import Assembly
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.meetings import selectors, services
from dualpower.meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    MeetingForm,
    TallyForm,
)
from dualpower.meetings.models import Meeting, Minutes
from dualpower.meetings.selectors import is_room_vote
from dualpower.meetings.services.fediverse import fediverse_answers
from dualpower.meetings.views._common import (
    _button,
    _me,
    _meeting,
    _meeting_url,
    _open_proposals,
    _position_labels,
)
from dualpower.members.models import Membership
from dualpower.web import charts
from dualpower.web.actions import form_action
from dualpower.web.fragments import Later
from dualpower.web.permissions import check, may

ROLES = ("facilitator", "note_taker", "timekeeper")


def _schedulable(request: HttpRequest, community: Community) -> list[Assembly]:
    return [
        a
        for a in assembly_selectors.assemblies_for(community=community)
        if not a.is_archived and request.user.has_perm("meetings.schedule_meeting", a)
    ]


@require_http_methods(["GET", "HEAD"])
@with_community
def meeting_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "meetings.list_meetings", community)
    history = selectors.attendance_history(community=community)
    return render(
        request,
        "meetings/list.html",
        {
            "attendance_chart": charts.bar_chart(
                history,
                title=_("Attendance at recent meetings"),
                label_header=_("Meeting"),
                value_label=_("People present"),
            )
            if history
            else None,
            "upcoming": selectors.upcoming_meetings(community=community, limit=50),
            "past": selectors.past_meetings(community=community, limit=30),
            "can_schedule": bool(_schedulable(request, community)),
        },
    )


def _role_people(assembly: Assembly) -> list[Membership]:
    return list(voters_of(assembly).exclude(user=None).order_by("display_name", "pk"))


def _pick(people: list[Membership], raw: Any, field: str) -> Membership | None:
    if raw in (None, ""):
        return None
    found = next((m for m in people if str(m.pk) == str(raw)), None)
    if found is None:
        raise InvalidInput(_("Choose a member of this assembly."), field=field)
    return found


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def meeting_create(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "meetings.list_meetings", community)
    assemblies = _schedulable(request, community)
    if not assemblies:
        # No assembly yet: a coordinator's first meeting is of the general assembly.
        check(request, "meetings.schedule_meeting", Assembly(community=community))
        from dualpower.assemblies.services import general_assembly_for

        assemblies = [general_assembly_for(community)]
    chosen_slug = request.POST.get("assembly") or request.GET.get("assembly")
    if not chosen_slug and len(assemblies) > 1:
        # First step: which assembly meets. Its members are the people the roles are chosen from,
        # and its rotation gives the suggestions, so the form needs to know it first (no JavaScript).
        general = next((a for a in assemblies if a.kind == Assembly.Kind.GENERAL), assemblies[0])
        return render(
            request, "meetings/choose_assembly.html", {"assemblies": assemblies, "preselect": general.pk}
        )
    chosen_slug = chosen_slug or assemblies[0].slug
    found = next((a for a in assemblies if a.slug == chosen_slug), None)
    if found is None:
        # Never fall back silently: a meeting scheduled in the wrong assembly tells the wrong people.
        raise InvalidInput(_("Choose an assembly you may schedule meetings for."), field="assembly")
    assembly = found
    people = _role_people(assembly)
    suggestion = selectors.suggest_roles(assembly=assembly)
    initial = {"assembly": assembly.slug, **{r: str(m.pk) if m else "" for r, m in suggestion.items()}}
    form = MeetingForm(
        request.POST or None,
        initial=initial,
        assemblies=[(a.slug, a.name) for a in assemblies],
        people=people,
        assembly_fixed=True,
    )

    def schedule(data: dict[str, Any]) -> Meeting:
        return services.meeting_schedule(
            assembly=assembly,
            by=_me(request, community),
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data["place"],
            call_link=data["call_link"],
            is_public=bool(data.get("is_public")),
            facilitator=_pick(people, data.get("facilitator"), "facilitator"),
            note_taker=_pick(people, data.get("note_taker"), "note_taker"),
            timekeeper=_pick(people, data.get("timekeeper"), "timekeeper"),
        )

    return form_action(
        request,
        form=form,
        run=schedule,
        success=_meeting_url,
        message=_("The meeting was scheduled and the assembly's members were told."),
        template="meetings/form.html",
        context={
            "meeting": None,
            "suggestion": suggestion,
            "assembly": assembly,
            "can_choose_assembly": len(assemblies) > 1,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def meeting_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.change_meeting")
    people = _role_people(meeting.assembly)
    initial = {
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "call_link": meeting.call_link,
        "is_public": meeting.is_public,
        **{r: str(getattr(meeting, f"{r}_id") or "") for r in ROLES},
    }
    form = MeetingForm(request.POST or None, initial=initial, people=people)

    def update(data: dict[str, Any]) -> Meeting:
        changes = {k: data[k] for k in ("title", "place", "call_link", "is_public")}
        if meeting.status == Meeting.Status.SCHEDULED:
            changes.update(starts_at=data["starts_at"], ends_at=data["ends_at"])
        changes.update({role: _pick(people, data.get(role), role) for role in ROLES})
        return services.meeting_update(meeting=meeting, by=_me(request, community), **changes)

    return form_action(
        request,
        form=form,
        run=update,
        success=_meeting_url(meeting),
        message=_("Saved."),
        template="meetings/form.html",
        context={"meeting": meeting},
    )


def _rows(request: HttpRequest, meeting: Meeting) -> list[dict[str, Any]]:
    """The agenda's items, each with its count in the room and what the visitor may do with it."""
    items = selectors.agenda_of(meeting=meeting)
    tallies = selectors.tallies_of(meeting=meeting)
    rows = []
    for item in items:
        tally = tallies.get(item.pk)
        if tally is not None:
            tally.item = item  # its permission checks find the meeting without reading it again
        room = is_room_vote(item)
        labels = dict(_position_labels(item.proposal))
        rows.append(
            {
                "item": item,
                "counts": [(labels.get(k, k), n) for k, n in tally.counts.items()] if tally else [],
                "room": room,
                "tally": tally,
                "tally_form": TallyForm(positions=_position_labels(item.proposal), prefix=f"t{item.pk}")
                if room and (tally is None or not tally.is_confirmed)
                else None,
                "can_witness": tally is not None
                and not tally.is_confirmed
                and may(request.user, "meetings.witness_tally", tally),
            }
        )
    return rows


def _recording(meeting: Meeting, minutes: Later, can_record: bool, find: str) -> dict[str, Any]:
    """The note-taker's picker of who was present: asked only when the form is shown (the
    attendance of adopted minutes is final), and never the whole roll: the first names, or those
    found by name."""
    absent: list[Membership] = []
    minutes_now = minutes()
    if (
        can_record
        and meeting.status in (Meeting.Status.IN_PROGRESS, Meeting.Status.ENDED)
        and (minutes_now is None or minutes_now.state != Minutes.State.ADOPTED)
    ):
        absent = selectors.absent_named(meeting=meeting, find=find, limit=LONG_LIST + 1)
    else:
        find = ""
    return {
        "form": AttendanceForm(people=absent[:LONG_LIST]) if absent else None,
        "more": len(absent) > LONG_LIST,
        "find": find,
    }


def _detail_context(request: HttpRequest, meeting: Meeting) -> dict[str, Any]:
    """What the visitor may do is asked here; what everyone who may do the same sees (the agenda,
    its counts, the attendance, the quorum, the minutes) is read only when the page's kept fragment
    is not (templates/meetings/detail.html), keyed by the meeting and ``view``: the answers below."""
    community = meeting.assembly.community
    me = _me(request, community)
    user = request.user
    status = meeting.status
    running = status in (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS)
    in_progress = status == Meeting.Status.IN_PROGRESS
    attendance = Later(selectors.attendance_of, meeting=meeting)
    is_present = selectors.visitor_checked_in(meeting, me)
    can_record = may(user, "meetings.record_attendance", meeting)
    can_change_agenda = running and may(user, "meetings.change_agenda", meeting)
    find = (
        request.GET.get("find", "").strip()[:80]
        if can_record and status in (Meeting.Status.IN_PROGRESS, Meeting.Status.ENDED)
        else ""
    )
    flags = {
        "is_present": is_present,
        "can_check_in": in_progress and may(user, "meetings.check_in", meeting),
        "can_run": may(user, "meetings.run_meeting", meeting),
        "can_change": running and may(user, "meetings.change_meeting", meeting),
        "can_cancel": status == Meeting.Status.SCHEDULED and may(user, "meetings.cancel_meeting", meeting),
        "can_change_agenda": can_change_agenda,
        "can_enter_tally": in_progress and may(user, "meetings.enter_tally", meeting),
        "can_record": can_record,
    }
    # Who may witness a count is the visitor's own answer (a voter checked in, not its teller):
    # only someone checked in (or a superuser) ever may, so everyone else shares the fragment.
    superuser = user.is_active and user.is_superuser
    witness = me.pk if is_present and me is not None else ("superuser" if superuser else None)
    minutes = Later(selectors.minutes_of, meeting=meeting)
    recording = Later(_recording, meeting, minutes, can_record, find)
    return {
        "meeting": meeting,
        "view": (*flags.values(), witness, find),
        **flags,
        "rows": Later(_rows, request, meeting),
        "attendance": attendance,
        "quorum": Later(lambda: selectors.quorum_of(meeting=meeting, checked_in=len(attendance()))),
        "minutes": minutes,
        "agenda_form": Later(lambda: AgendaItemForm(proposals=_open_proposals(meeting)))
        if can_change_agenda
        else None,
        "recording": recording,
        "long_list": LONG_LIST,
        "fediverse": Later(fediverse_answers, meeting=meeting),
    }


@require_http_methods(["GET", "HEAD"])
@with_community
def meeting_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "meetings.list_meetings", community)
    # Whether the visitor is checked in is read with the meeting (the fragment's key needs it).
    meeting = selectors.meeting_get(community=community, pk=pk, visitor=_me(request, community))
    check(request, "meetings.view_meeting", meeting)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


@require_http_methods(["GET", "HEAD"])
@with_community
def meeting_quorum(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """The live quorum box: htmx polls it while the meeting is in progress."""
    meeting = _meeting(request, community, pk, "meetings.view_meeting")
    return render(
        request,
        "meetings/partials/_quorum.html",
        {"meeting": meeting, "quorum": Later(selectors.quorum_of, meeting=meeting)},
    )


@require_POST
@with_community
def meeting_cancel(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.cancel_meeting")
    action = lambda: services.meeting_cancel(meeting=meeting, by=_me(request, community))  # noqa: E731
    return _button(request, meeting, action, _("The meeting was cancelled and people were told."))


@require_POST
@with_community
def meeting_start(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.run_meeting")
    action = lambda: services.meeting_start(meeting=meeting, by=_me(request, community))  # noqa: E731
    return _button(request, meeting, action, _("The meeting has started: people can check in."))


@require_POST
@with_community
def meeting_end(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.run_meeting")
    action = lambda: services.meeting_end(meeting=meeting, by=_me(request, community))  # noqa: E731
    return _button(request, meeting, action, _("The meeting has ended."))
