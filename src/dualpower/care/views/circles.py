"""Pages of care circles: my circles and invitations, opening one, the circle (its calendar, pod
and notes), and the health group's counts.

parse → check rule → call service → template. A circle someone may not see is "not found" to them:
its existence is not shown to people outside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.aid.selectors import categories_for
from dualpower.care.forms.circles import (
    AidForm,
    CircleForm,
    CircleForSomeoneForm,
    HandOverForm,
    InviteForm,
    NeedForm,
    NoteForm,
    PantryForm,
    SettingsForm,
)
from dualpower.care.models.circles import Circle
from dualpower.care.rules import runs_circle
from dualpower.care.selectors import circles as selectors
from dualpower.care.selectors import circles_export as exports
from dualpower.care.services import circles as services
from dualpower.care.services import circles_community as drawing
from dualpower.care.services.circles_settings import care_settings_update
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput, NotFound
from dualpower.groups.selectors import groups_of
from dualpower.inventory.selectors import items_of
from dualpower.members.models import Membership
from dualpower.members.roles import membership_required
from dualpower.members.selectors import member_get, members_of
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


def _me(request: HttpRequest, community: Community) -> Membership:
    return membership_required(request.user, community)


def _circle(request: HttpRequest, community: Community, pk: int, perm: str = "care.view_circle") -> Circle:
    check(request, "care.list_circles", community)
    circle = selectors.circle_get(community=community, pk=pk)
    if not request.user.has_perm("care.view_circle", circle):
        raise NotFound(_("There is no such care circle here."))
    check(request, perm, circle)
    return circle


def _url(circle: Circle) -> str:
    return reverse("care:circle", args=[circle.community.slug, circle.pk])


def _members(community: Community, *, leave_out: set[int | None]) -> list[tuple[int, str]]:
    return [(m.pk, m.display_name) for m in members_of(community=community) if m.pk not in leave_out]


def _member(community: Community, pk: int | None, field: str) -> Membership:
    if pk is None:
        raise InvalidInput(_("Choose a member."), field=field)
    return member_get(community=community, member_id=pk)


@require_http_methods(["GET", "HEAD"])
@with_community
def circle_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "care.list_circles", community)
    me = _me(request, community)
    user = request.user
    return render(
        request,
        "care/circles/list.html",
        {
            "circles": list(selectors.circles_for(membership=me)),
            "invitations": list(selectors.invitations_for(membership=me)),
            "me": me,
            "can_open": user.has_perm("care.open_circle", community),
            "can_open_for_someone": user.has_perm("care.open_circle_for_someone", community),
            "can_overview": user.has_perm("care.view_overview", community),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def circle_new(request: HttpRequest, community: Community) -> HttpResponse:
    """Open a circle for oneself, or (``?for=someone``: dispatchers, health coordinators) for
    someone without an account, by a code."""
    for_someone = request.GET.get("for") == "someone"
    check(request, "care.open_circle_for_someone" if for_someone else "care.open_circle", community)
    me = _me(request, community)
    form = (CircleForSomeoneForm if for_someone else CircleForm)(request.POST or None)

    def run(data: dict[str, Any]) -> Circle:
        return services.circle_open(
            community=community,
            opened_by=me,
            person=None if for_someone else me,
            person_code=data.get("person_code", ""),
            kind=data["kind"],
            title=data["title"],
        )

    return form_action(
        request,
        form=form,
        run=run,
        success=_url,
        message=_("The circle is open. Invite the people you want, then add what you need."),
        template="care/circles/new.html",
        context={"for_someone": for_someone},
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def circle_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    circle = _circle(request, community, pk)
    me = _me(request, community)
    user = request.user
    runs = user.has_perm("care.manage_circle", circle) or user.has_perm("care.close_circle", circle)
    runs_any = runs or me.pk in {circle.person_id, circle.keeper_id}
    place = selectors.my_place(circle=circle, membership=me)
    context: dict[str, Any] = {
        "circle": circle,
        "me": me,
        "place": place,
        "runs": runs_any,
        "can_manage": user.has_perm("care.manage_circle", circle),
        "can_take": user.has_perm("care.take_need", circle),
        "can_answer": user.has_perm("care.answer_invitation", circle),
        "can_leave": user.has_perm("care.leave_circle", circle),
        "can_close": user.has_perm("care.close_circle", circle),
        "can_draw": user.has_perm("care.draw_on_community", circle),
        "sees_calendar": user.has_perm("care.view_calendar", circle),
        "sees_notes": user.has_perm("care.view_notes", circle),
        "can_note": user.has_perm("care.add_note", circle),
        "can_export": user.has_perm("care.export_circle", circle),
    }
    if context["sees_calendar"]:
        context["calendar"] = selectors.calendar(circle=circle, membership=me, runs=runs_any)
    if context["sees_notes"]:
        context["notes"] = selectors.notes_of(circle=circle)
        context["note_form"] = NoteForm()
    if runs_any:
        context["helpers"] = selectors.helpers_of(circle=circle)
    if context["can_manage"]:
        taken = {h.membership_id for h in context["helpers"]} | {circle.person_id, circle.keeper_id}
        context["invite_form"] = InviteForm(members=_members(community, leave_out=taken))
        context["need_form"] = NeedForm()
        context["handover_form"] = HandOverForm(members=_members(community, leave_out={circle.keeper_id}))
    return render(request, "care/circles/detail.html", context)


@require_POST
@with_community
def circle_invite(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    circle = _circle(request, community, pk, "care.manage_circle")
    me = _me(request, community)
    form = InviteForm(request.POST, members=_members(community, leave_out=set()))
    return form_action(
        request,
        form=form,
        run=lambda data: services.helper_invite(
            circle=circle,
            by=me,
            membership=_member(community, data["membership"], "membership"),
            sees=data["sees"],
        ),
        success=lambda _helper: _url(circle),
        message=_("Invited. They see the circle once they accept."),
        template="care/circles/form.html",
        context={"circle": circle, "title": _("Invite someone"), "action": "invite"},
    )


@require_POST
@with_community
def circle_answer(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    circle = _circle(request, community, pk, "care.answer_invitation")
    me = _me(request, community)
    place = selectors.my_place(circle=circle, membership=me)
    accept = request.POST.get("answer") == "accept"
    back = _url(circle) if accept else reverse("care:circles", args=[community.slug])
    assert place is not None  # the rule found the invitation
    return post_action(
        request,
        run=lambda: services.helper_answer(helper=place, accept=accept),
        back=back,
        message=_("Welcome to the circle.") if accept else _("You declined the invitation."),
    )


@require_POST
@with_community
def circle_leave(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    circle = _circle(request, community, pk, "care.leave_circle")
    place = selectors.my_place(circle=circle, membership=_me(request, community))
    assert place is not None
    return post_action(
        request,
        run=lambda: services.helper_leave(helper=place),
        back=_url(circle),
        success=lambda _none: reverse("care:circles", args=[community.slug]),
        message=_("You left the circle."),
    )


@require_POST
@with_community
def helper_step(request: HttpRequest, community: Community, pk: int, hid: int, step: str) -> HttpResponse:
    circle = _circle(request, community, pk, "care.manage_circle")
    helper = selectors.helper_get(circle=circle, pk=hid)
    me = _me(request, community)
    steps: dict[str, tuple[Callable[[], Any], str]] = {
        "remove": (lambda: services.helper_remove(helper=helper, by=me), _("The helper was removed.")),
        "sees": (
            lambda: services.helper_visibility_set(helper=helper, by=me, sees=request.POST.get("sees", "")),
            _("Saved what they may see."),
        ),
    }
    if step not in steps:
        raise NotFound(_("No such step."))
    run, message = steps[step]
    return post_action(request, run=run, back=_url(circle), message=message)


@require_POST
@with_community
def circle_handover(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    circle = _circle(request, community, pk, "care.manage_circle")
    me = _me(request, community)
    form = HandOverForm(request.POST, members=_members(community, leave_out=set()))
    return form_action(
        request,
        form=form,
        run=lambda data: services.circle_hand_over(
            circle=circle, by=me, to=_member(community, data["to"], "to")
        ),
        success=lambda _circle: _url(circle),
        message=_("Handed over. You can still see and run the circle if it is yours."),
        template="care/circles/form.html",
        context={"circle": circle, "title": _("Hand the circle over"), "action": "handover"},
    )


@require_POST
@with_community
def circle_close(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    circle = _circle(request, community, pk, "care.close_circle")
    me = _me(request, community)
    return post_action(
        request,
        run=lambda: services.circle_close(circle=circle, by=me),
        back=_url(circle),
        message=_("The circle is closed. Its notes and calendar are erased after the community's retention."),
    )


@require_POST
@with_community
def need_new(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    circle = _circle(request, community, pk, "care.manage_circle")
    me = _me(request, community)
    return form_action(
        request,
        form=NeedForm(request.POST),
        run=lambda data: services.need_add(circle=circle, by=me, **data),
        success=lambda _need: _url(circle),
        message=_("The need is on the calendar."),
        template="care/circles/form.html",
        context={"circle": circle, "title": _("Add a need"), "action": "need"},
    )


NEED_STEPS = {
    "take": "care.take_need",
    "release": "care.release_need",
    "done": "care.finish_need",
    "cancel": "care.manage_circle",
    "hours": "care.draw_on_community",
}


@require_POST
@with_community
def need_step(request: HttpRequest, community: Community, pk: int, nid: int, step: str) -> HttpResponse:
    if step not in NEED_STEPS:
        raise NotFound(_("No such step."))
    circle = _circle(request, community, pk, "care.view_calendar")
    need = selectors.need_get(circle=circle, pk=nid)
    check(request, NEED_STEPS[step], need)
    me = _me(request, community)
    place = selectors.my_place(circle=circle, membership=me)
    actions: dict[str, tuple[Callable[[], Any], str]] = {
        "take": (
            lambda: services.need_take(need=need, helper=place),  # type: ignore[arg-type]  # the rule found it
            _("It is yours. Its details are below."),
        ),
        "release": (
            lambda: services.need_release(need=need, by=me),
            _("Given back: the need is open again."),
        ),
        "done": (lambda: services.need_done(need=need, by=me), _("Marked done. Thank you!")),
        "cancel": (lambda: services.need_cancel(need=need, by=me), _("The need was taken off the calendar.")),
        "hours": (
            lambda: drawing.circle_hours_credit(need=need, by=me, minutes=request.POST.get("minutes", "")),
            _("The hours were given."),
        ),
    }
    run, message = actions[step]
    return post_action(request, run=run, back=_url(circle) + f"#need-{need.pk}", message=message)


@require_POST
@with_community
def note_new(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    circle = _circle(request, community, pk, "care.add_note")
    me = _me(request, community)
    return form_action(
        request,
        form=NoteForm(request.POST),
        run=lambda data: services.note_add(circle=circle, author=me, body=data["body"]),
        success=lambda _note: _url(circle) + "#notes",
        message=_("The note is saved, sealed."),
        template="care/circles/form.html",
        context={"circle": circle, "title": _("Write a note"), "action": "note"},
    )


def _items(community: Community) -> list[tuple[int, str]]:
    return [(i.pk, f"{i.name} ({i.stock} {i.unit})") for i in items_of(community=community)[:200]]


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def circle_draw(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Drawing on the community: a pantry delivery and an aid request (hours are given per need)."""
    circle = _circle(request, community, pk, "care.draw_on_community")
    me = _me(request, community)
    which = request.POST.get("what") if request.method == "POST" else None
    pantry = PantryForm(request.POST if which == "pantry" else None, items=_items(community))
    aid = AidForm(request.POST if which == "aid" else None, categories=categories_for(community))
    context = {"circle": circle, "pantry_form": pantry, "aid_form": aid}
    if which == "aid":
        return form_action(
            request,
            form=aid,
            run=lambda data: drawing.circle_aid_request(circle=circle, by=me, **data),
            success=lambda made: reverse("aid:request_detail", args=[community.slug, made.code]),
            message=lambda made: (
                _("Request %(code)s was sent to the mutual aid network.") % {"code": made.code}
            ),
            template="care/circles/draw.html",
            context=context,
            form_name="aid_form",
        )

    def pantry_out(data: dict[str, Any]) -> Any:
        item_id = data["item"]
        found = items_of(community=community).filter(pk=item_id).first()
        if found is None:
            raise InvalidInput(_("Choose an item of the pantry."), field="item")
        return drawing.circle_pantry_delivery(circle=circle, by=me, item=found, quantity=data["quantity"])

    return form_action(
        request,
        form=pantry,
        run=pantry_out,
        success=lambda _movement: _url(circle),
        message=_("Taken out of the pantry for the circle. Add an errand to the calendar for its delivery."),
        template="care/circles/draw.html",
        context=context,
        form_name="pantry_form",
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def circles_overview(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "care.view_overview", community)
    return render(
        request,
        "care/circles/overview.html",
        {
            "overview": selectors.overview(community=community),
            "totals": selectors.erased_totals(community=community),
            "settings": selectors.care_settings(community=community),
            "can_settings": request.user.has_perm("care.change_settings", community),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def circles_settings(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "care.change_settings", community)
    me = _me(request, community)
    current = selectors.care_settings(community=community)
    form = SettingsForm(
        request.POST or None,
        groups=[(g.pk, g.name_shown) for g in groups_of(community=community)],
        initial={"retention_days": current.retention_days, "health_group": current.health_group_id},
    )
    return form_action(
        request,
        form=form,
        run=lambda data: care_settings_update(community=community, by=me, **data),
        success=reverse("care:circles_overview", args=[community.slug]),
        message=_("The care settings were saved."),
        template="care/circles/settings.html",
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def circle_export(request: HttpRequest, community: Community, pk: int, fmt: str) -> HttpResponse:
    """Download the circle: all of it (JSON) or its help calendar (CSV), notes and details unsealed
    for the person and whoever runs it; a helper's download holds only the needs they took."""
    if fmt not in ("json", "csv"):
        raise NotFound(_("There is no such download."))
    circle = _circle(request, community, pk, "care.export_circle")
    me = _me(request, community)
    runs = bool(runs_circle.test(request.user, circle))
    name = f"care-circle-{circle.pk}"
    if fmt == "csv":
        response = HttpResponse(
            exports.calendar_csv(circle=circle, membership=me, runs=runs),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-calendar.csv"'
    else:
        response = JsonResponse(
            exports.circle_export(circle=circle, membership=me, runs=runs),
            json_dumps_params={"ensure_ascii": False},
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    response["Cache-Control"] = "no-store"
    return response
