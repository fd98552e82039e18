"""Pages for minutes, counts in the room, and calendar feeds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.assemblies import selectors as assembly_selectors
from dualpower.community.models import Community
from dualpower.errors import Conflict, DomainError, InvalidInput, NotFound
from dualpower.meetings import ical, selectors, services, services_minutes, services_tallies
from dualpower.meetings.forms import MinutesForm, OpenMinutesForm, TallyForm
from dualpower.meetings.models import FeedToken, Meeting, Minutes
from dualpower.meetings.views import _do, _me, _meeting, _position_labels
from dualpower.members.models import Membership
from dualpower.web.community import require_perm, with_community


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
    require_perm(request, "meetings.amend_minutes" if amending else "meetings.draft_minutes", meeting)
    form = MinutesForm(request.POST, items=selectors.agenda_of(meeting=meeting), amending=amending)
    if form.is_valid():
        try:
            if amending:
                services_minutes.minutes_amend(
                    meeting=meeting,
                    by=_me(request, community),  # type: ignore[arg-type]
                    summary=form.cleaned_data["summary"],
                    items=form.items_data(),
                    note=form.cleaned_data["note"],
                )
            else:
                services_minutes.minutes_draft(
                    meeting=meeting,
                    by=_me(request, community),
                    summary=form.cleaned_data["summary"],
                    items=form.items_data(),
                    note=form.cleaned_data["note"],
                )
        except DomainError as exc:
            if exc.status == 409:
                raise
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            messages.success(request, _("The minutes were saved as a new version."))
            return redirect("meetings:minutes", community.slug, meeting.pk)
    return render(request, "meetings/minutes.html", _minutes_context(request, meeting, form), status=400)


@require_POST
@with_community
def minutes_open(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.open_minutes")
    form = OpenMinutesForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("Give the time for amendments in hours."), field="hours")
    services_minutes.minutes_open(
        meeting=meeting, by=_me(request, community), hours=form.cleaned_data["hours"]
    )
    messages.success(request, _("The minutes are open for amendments; the attendees were told."))
    return redirect("meetings:minutes", community.slug, meeting.pk)


@require_POST
@with_community
def minutes_adopt(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.adopt_minutes")
    services_minutes.minutes_adopt(meeting=meeting, by=_me(request, community))
    messages.success(request, _("The minutes are adopted; they are now locked."))
    return redirect("meetings:minutes", community.slug, meeting.pk)


# --- Counts in the room ---------------------------------------------------------------------


@require_POST
@with_community
def tally_enter(request: HttpRequest, community: Community, pk: int, item: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.enter_tally")
    entry = selectors.item_get(meeting=meeting, pk=item)
    form = TallyForm(request.POST, positions=_position_labels(entry.proposal), prefix=f"t{entry.pk}")
    if not form.is_valid():
        raise InvalidInput(
            _("Give whole numbers: the people present and the hands for each position."), field="counts"
        )
    me = _me(request, community)
    assert me is not None
    action = lambda: services_tallies.tally_enter(  # noqa: E731
        item=entry, teller=me, counts=form.counts(), present=form.cleaned_data["present"]
    )
    return _do(
        request,
        meeting,
        action,
        _("The count is entered; another member must witness it."),
        f"item-{entry.pk}",
    )


def _tally(request: HttpRequest, community: Community, pk: int, item: int, perm: str) -> Any:
    meeting = _meeting(request, community, pk, "meetings.view_meeting")
    tally = selectors.tally_get(meeting=meeting, item_pk=item)
    require_perm(request, perm, tally)
    return meeting, tally


@require_POST
@with_community
def tally_confirm(request: HttpRequest, community: Community, pk: int, item: int) -> HttpResponse:
    meeting, tally = _tally(request, community, pk, item, "meetings.witness_tally")
    seen = request.POST.get("tally", "")
    if seen and seen != str(tally.pk):
        # The count was entered again after the page was loaded: nobody witnesses numbers unseen.
        raise Conflict(_("The count changed since you looked at it; read it again before witnessing."))
    action = lambda: services_tallies.tally_confirm(tally=tally, witness=_me(request, community))  # noqa: E731
    return _do(request, meeting, action, _("You witnessed the count: it now counts."), f"item-{item}")


@require_POST
@with_community
def tally_dispute(request: HttpRequest, community: Community, pk: int, item: int) -> HttpResponse:
    meeting, tally = _tally(request, community, pk, item, "meetings.witness_tally")
    action = lambda: services_tallies.tally_dispute(tally=tally, by=_me(request, community))  # noqa: E731
    return _do(request, meeting, action, _("The count was set aside; count the hands again."), f"item-{item}")


# --- Calendars ------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD"])
@with_community
def calendar_page(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "meetings.view_feeds", community)
    me = _me(request, community)
    assert me is not None
    base = request.build_absolute_uri("/").rstrip("/")
    mine = services.feed_token_for_member(membership=me)
    rows = []
    for assembly in assembly_selectors.assemblies_for(community=community):
        if assembly.is_archived:
            continue
        token = services.feed_token_for_assembly(assembly=assembly)
        rows.append(
            {
                "assembly": assembly,
                "url": base + _feed_path(community, token),
                "can_rotate": request.user.has_perm("meetings.rotate_assembly_feed", assembly),
            }
        )
    return render(
        request, "meetings/calendar.html", {"mine": base + _feed_path(community, mine), "rows": rows}
    )


def _feed_path(community: Community, token: FeedToken) -> str:
    from django.urls import reverse

    return reverse(
        "meetings:feed", kwargs={"community": community.slug, "kind": token.kind, "token": token.token}
    )


@require_POST
@with_community
def calendar_rotate(request: HttpRequest, community: Community) -> HttpResponse:
    """A new secret address: for my feed, or (coordinators) for an assembly's."""
    require_perm(request, "meetings.view_feeds", community)
    me = _me(request, community)
    slug = request.POST.get("assembly", "")
    if slug:
        assembly = assembly_selectors.assembly_get(community=community, slug=slug)
        require_perm(request, "meetings.rotate_assembly_feed", assembly)
        token = services.feed_token_for_assembly(assembly=assembly)
    else:
        assert me is not None
        token = services.feed_token_for_member(membership=me)
    services.feed_token_rotate(token=token, by=me)
    messages.success(request, _("The calendar address was changed; the old one no longer works."))
    return redirect("meetings:calendar", community.slug)


@require_http_methods(["GET", "HEAD"])
def feed(request: HttpRequest, community: str, kind: str, token: str) -> HttpResponse:
    """The .ics feed. No sign-in (calendar apps cannot): the secret in the address is the key."""
    try:
        found = selectors.feed_token_get(kind=kind, token=token)
    except NotFound:
        raise Http404 from None
    owner_community = found.assembly.community if found.assembly else found.membership.community  # type: ignore[union-attr]
    if owner_community.slug != community:
        raise Http404
    if found.membership is not None and found.membership.status != Membership.Status.ACTIVE:
        raise Http404  # someone who left no longer follows the community's meetings
    if found.assembly is not None:
        name = f"{owner_community.name}: {found.assembly.name}"
    else:
        name = _("%(community)s: my meetings") % {"community": owner_community.name}
    body = ical.feed(
        name=name,
        meetings=selectors.meetings_for_feed(token=found),
        host=request.get_host().split(":")[0],
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    # The address is a secret: keep it out of other sites' logs.
    response["Referrer-Policy"] = "no-referrer"
    return response
