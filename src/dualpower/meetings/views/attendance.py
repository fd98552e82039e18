"""Pages for attendance: checking in, and the note-taker's record of who is present."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.meetings import selectors, services
from dualpower.meetings.views._common import _button, _me, _meeting
from dualpower.members import selectors as member_selectors
from dualpower.members.roles import membership_required


@require_POST
@with_community
def check_in(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.check_in")
    me = _me(request, community)
    assert me is not None  # the rule admits only voters and observers
    action = lambda: services.attendance_check_in(meeting=meeting, membership=me)  # noqa: E731
    return _button(request, meeting, action, _("You are checked in."), "attendance")


@require_POST
@with_community
def attendance_record(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.record_attendance")
    raw = request.POST.get("member", "")
    person = member_selectors.membership_find(community=community, pk=raw) if raw.isdigit() else None

    def action() -> Any:
        if person is None:
            raise InvalidInput(_("Choose who was present."), field="member")
        return services.attendance_record(
            meeting=meeting, membership=person, by=membership_required(request.user, community)
        )

    name = person.display_name if person is not None else ""
    return _button(
        request, meeting, action, _("%(name)s is recorded as present.") % {"name": name}, "attendance"
    )


@require_POST
@with_community
def attendance_remove(request: HttpRequest, community: Community, pk: int, attendance: int) -> HttpResponse:
    meeting = _meeting(request, community, pk, "meetings.record_attendance")
    record = selectors.attendance_get(meeting=meeting, pk=attendance)

    def action() -> None:
        services.attendance_remove(attendance=record, by=membership_required(request.user, community))

    return _button(request, meeting, action, _("The attendance was corrected."), "attendance")
