"""Pages for the land trust: parse → check rule → call service → template.

Plain forms answered with a redirect and a message: they work without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.core.economy import lottery_key
from dualpower.errors import DomainError, InvalidInput, NotFound
from dualpower.land import resale, selectors, services, words
from dualpower.land.forms import (
    AnnounceForm,
    ApplyForm,
    HomeForm,
    LeaseEndForm,
    LeaseForm,
    NoteForm,
    ParcelForm,
    ResaleForm,
    SettingsForm,
)
from dualpower.land.models import Allocation, GroundLease, Home
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.members.selectors import members_of
from dualpower.web.actions import attach_error, form_action, post_action, render_form
from dualpower.web.fragments import Later
from dualpower.web.pages import page_number, page_of
from dualpower.web.permissions import check, may

GET = ["GET", "HEAD"]
LONG_LIST = 30  # a list of names longer than this gets a search box beside its picker
GET_POST = ["GET", "HEAD", "POST"]


def _me(request: HttpRequest, community: Community) -> Membership:
    me = membership_for(request.user, community)
    assert me is not None  # every rule used here admits only admitted people
    return me


def _home_rows(request: HttpRequest, community: Community, number: int, can_manage: bool) -> dict[str, Any]:
    homes = page_of(
        lambda limit, offset: selectors.homes_listed(community=community, limit=limit, offset=offset),
        raw=str(number),
    )
    # The address column is shown to those who manage the trust only: nobody else is asked
    # (a leaseholder's check is one query per home).
    rows = [
        {"home": h, "show_address": can_manage and may(request.user, "land.view_address", h)}
        for h in homes.rows
    ]
    return {"rows": rows, "page": homes}


@require_http_methods(GET)
@with_community
def home_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "land.view_homes", community)
    can_manage = may(request.user, "land.manage", community)
    # The list is a kept fragment (templates/land/homes.html), keyed by the page and ``can_manage``
    # (which alone decides the address column): its rows are read only when it is rendered.
    number = page_number(request.GET.get("page"))
    return render(
        request,
        "land/homes.html",
        {
            "number": number,
            "homes": Later(_home_rows, request, community, number, can_manage),
            "can_manage": can_manage,
        },
    )


@require_http_methods(GET_POST)
@with_community
def home_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "land.view_homes", community)
    home = selectors.home_get(community=community, pk=pk)
    user = request.user
    can_note = user.has_perm("land.add_note", home)
    form = NoteForm(request.POST or None) if can_note else None
    if request.method == "POST":
        check(request, "land.add_note", home)
        if form is not None and form.is_valid():
            try:
                services.note_add(home=home, body=form.cleaned_data["body"], by=_me(request, community))
            except DomainError as exc:
                attach_error(form, exc)
            else:
                messages.success(request, _("The note was added."))
                return redirect("land:home", community.slug, home.pk)
    lease = selectors.active_lease(home=home)
    context = {
        "home": home,
        "show_address": user.has_perm("land.view_address", home),
        "lease": lease if lease and user.has_perm("land.view_lease", lease) else None,
        "notes": list(home.notes.select_related("author"))
        if user.has_perm("land.view_notes", home)
        else None,
        "can_manage": user.has_perm("land.manage", community),
        "announce_form": AnnounceForm() if home.status == Home.Status.VACANT else None,
        "allocations": list(home.allocations.all()),
    }
    if form is None:
        return render(request, "land/home.html", {**context, "note_form": None})
    return render_form(request, "land/home.html", form, context, form_name="note_form")


@require_http_methods(GET_POST)
@with_community
def parcel_create(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "land.manage", community)
    me = _me(request, community)
    return form_action(
        request,
        form=ParcelForm(request.POST or None),
        run=lambda data: services.parcel_create(community=community, by=me, **data),
        success=reverse("land:homes", args=[community.slug]),
        message=_("The parcel was added."),
        template="land/form.html",
        context={"title": _("Add a parcel")},
    )


@require_http_methods(GET_POST)
@with_community
def home_create(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "land.manage", community)
    me = _me(request, community)

    def run(data: dict[str, Any]) -> Home:
        data = dict(data)
        parcel = selectors.parcel_get(community=community, pk=data.pop("parcel"))
        return services.home_create(parcel=parcel, by=me, **data)

    return form_action(
        request,
        form=HomeForm(request.POST or None, parcels=list(selectors.parcels_of(community=community))),
        run=run,
        success=lambda home: reverse("land:home", args=[community.slug, home.pk]),
        message=_("The home was added."),
        template="land/form.html",
        context={"title": _("Add a home")},
    )


@require_http_methods(GET)
@with_community
def lease_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "land.view_homes", community)
    if request.user.has_perm("land.manage", community):
        leases = selectors.leases_of(community=community)
    else:
        leases = selectors.leases_of(community=community, leaseholder=membership_for(request.user, community))
    page = page_of(lambda limit, offset: leases[offset : offset + limit], raw=request.GET.get("page"))
    for lease in page.rows:
        lease.formula_shown = words.formula_label(lease.formula)  # type: ignore[attr-defined]
    return render(
        request,
        "land/leases.html",
        {"leases": page.rows, "page": page, "can_manage": request.user.has_perm("land.manage", community)},
    )


@require_http_methods(GET_POST)
@with_community
def lease_create(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "land.manage", community)
    homes = [h for h in selectors.homes_of(community=community) if h.status != Home.Status.LEASED]
    members = list(members_of(community=community))
    initial: dict[str, Any] = {}
    wanted = request.GET.get("home", "")
    if wanted.isdigit():
        # Coming from an adopted allocation: the home and the household it was allocated to.
        initial["home"] = int(wanted)
        adopted = Allocation.objects.filter(home_id=int(wanted), home__community=community, status="adopted")
        chosen = adopted.select_related("chosen").order_by("-adopted_at").first()
        if chosen is not None and chosen.chosen is not None:
            initial["leaseholder"] = chosen.chosen.membership_id
    me = _me(request, community)

    def run(data: dict[str, Any]) -> GroundLease:
        data = dict(data)
        home = selectors.home_get(community=community, pk=data.pop("home"))
        holder_id = data.pop("leaseholder")
        leaseholder = next((m for m in members if m.pk == holder_id), None)
        if leaseholder is None:
            raise InvalidInput(_("The leaseholder must be a member of this community."), field="leaseholder")
        return services.lease_create(home=home, leaseholder=leaseholder, by=me, **data)

    # A long list of members gets a search first (no JavaScript); the post is checked against all.
    find = request.GET.get("find", "").strip()[:80]
    shown = members
    if find and request.method != "POST":
        needle = find.casefold()
        shown = [
            m for m in members if needle in m.display_name.casefold() or m.pk == initial.get("leaseholder")
        ]
    return form_action(
        request,
        form=LeaseForm(request.POST or None, homes=homes, members=shown, initial=initial),
        run=run,
        success=lambda lease: reverse("land:lease", args=[community.slug, lease.pk]),
        message=_("The lease is recorded."),
        template="land/form.html",
        context={
            "title": _("Record a ground lease"),
            "searchable": len(members) > LONG_LIST,
            "find": find,
            "nobody": bool(find) and not shown,
            "find_label": _("Find the leaseholder by name"),
        },
    )


@require_http_methods(GET)
@with_community
def lease_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """The lease and its resale calculator: the recorded formula's price with the worked lines."""
    check(request, "land.view_homes", community)
    lease = selectors.lease_get(community=community, pk=pk)
    check(request, "land.view_lease", lease)
    needed = resale.inputs_needed(lease.formula)
    form = ResaleForm(request.GET or None, needed=needed)
    breakdown, error = None, None
    # Unasked, dates default to today and an index to its latest year; an appraisal must be given.
    if form.is_valid() or (not form.is_bound and "current_appraisal" not in needed):
        given = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound else {}
        try:
            breakdown = services.lease_breakdown(lease=lease, **given)
        except DomainError as exc:
            error = exc.detail
    # Each line worded in the reader's language; the template shows amounts in the pages' money format.
    lines = [(resale.line_label(line), line.amount) for line in breakdown.lines] if breakdown else []
    return render(
        request,
        "land/lease.html",
        {
            "lease": lease,
            "formula_shown": words.formula_label(lease.formula),
            "form": form,
            "breakdown": breakdown,
            "lines": lines,
            "error": error,
            "params": sorted(lease.formula_params.items()),
            "can_manage": request.user.has_perm("land.manage", community),
            "end_form": LeaseEndForm(),
            "show_address": request.user.has_perm("land.view_address", lease.home),
        },
    )


@require_POST
@with_community
def lease_end(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "land.manage", community)
    lease = selectors.lease_get(community=community, pk=pk)
    form = LeaseEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how and when the lease ends."))
        return redirect("land:lease", community.slug, lease.pk)
    me = _me(request, community)
    return post_action(
        request,
        run=lambda: services.lease_end(lease=lease, by=me, **form.cleaned_data),
        back=reverse("land:lease", args=[community.slug, lease.pk]),
        message=_("The lease has ended; the home is vacant."),
    )


@require_http_methods(GET_POST)
@with_community
def waitlist_page(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "land.view_waitlist", community)
    me = membership_for(request.user, community)
    settings = services.settings_for(community)
    criteria = words.criteria_shown(services.criteria_of(settings))
    asked = [c for c in criteria if c.key not in services.COMPUTED_FACTS]
    mine = selectors.my_application(community=community, membership=me)
    can_apply = request.user.has_perm("land.apply_waitlist", community) and (
        mine is None or mine.status != "waiting"
    )
    form = ApplyForm(request.POST or None, criteria=asked) if can_apply else None
    if request.method == "POST":
        check(request, "land.apply_waitlist", community)
        if form is not None and form.is_valid():
            try:
                services.waitlist_apply(
                    community=community,
                    membership=_me(request, community),
                    household_size=form.cleaned_data["household_size"],
                    facts=form.facts(),
                )
            except DomainError as exc:
                attach_error(form, exc)
            else:
                messages.success(request, _("Your household is on the waitlist."))
                return redirect("land:waitlist", community.slug)
        elif form is None:
            messages.error(request, _("You are already on the waitlist."))
            return redirect("land:waitlist", community.slug)
    waiting = (
        page_of(
            lambda limit, offset: selectors.applications_of(community=community)[offset : offset + limit],
            raw=request.GET.get("page"),
        )
        if request.user.has_perm("land.list_applications", community)
        else None
    )
    applications = waiting.rows if waiting is not None else None
    for application in applications or []:
        application.answers = words.answers(application.facts, criteria)  # type: ignore[attr-defined]
    context = {
        "criteria": criteria,
        "settings": settings,
        "mine": mine,
        "applications": applications,
        "page": waiting,
        "can_manage": request.user.has_perm("land.manage", community),
    }
    if form is None:
        return render(request, "land/waitlist.html", {**context, "form": None})
    return render_form(request, "land/waitlist.html", form, context)


@require_POST
@with_community
def waitlist_withdraw(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    application = selectors.application_get(community=community, pk=pk)
    check(request, "land.withdraw_application", application)
    me = _me(request, community)
    return post_action(
        request,
        run=lambda: services.waitlist_withdraw(application=application, by=me),
        back=reverse("land:waitlist", args=[community.slug]),
        message=_("The application was withdrawn."),
    )


@require_http_methods(GET_POST)
@with_community
def trust_settings(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "land.manage", community)
    import json

    current = services.settings_for(community)
    initial = {
        "coordinators_may_allocate": current.coordinators_may_allocate,
        # The app's own default descriptions in the reader's language; saved, they become the
        # community's own words.
        "criteria": json.dumps(
            [{**c, "description": words.stored_text(c.get("description", ""))} for c in current.criteria],
            indent=2,
            ensure_ascii=False,
        ),
    }
    me = _me(request, community)
    return form_action(
        request,
        form=SettingsForm(request.POST or None, initial=initial),
        run=lambda data: services.trust_settings_update(community=community, by=me, **data),
        success=reverse("land:waitlist", args=[community.slug]),
        message=_("Saved."),
        template="land/form.html",
        context={"title": _("How the trust allocates homes")},
    )


@require_http_methods(GET)
@with_community
def allocation_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "land.view_allocations", community)
    allocations = selectors.allocations_of(community=community)
    page = page_of(lambda limit, offset: allocations[offset : offset + limit], raw=request.GET.get("page"))
    return render(request, "land/allocations.html", {"allocations": page.rows, "page": page})


@require_POST
@with_community
def allocation_announce(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "land.manage", community)
    home = selectors.home_get(community=community, pk=pk)
    form = AnnounceForm(request.POST)
    seed = form.cleaned_data["seed"] if form.is_valid() else ""
    me = _me(request, community)
    return post_action(
        request,
        run=lambda: services.allocation_announce(home=home, seed=seed, by=me),
        back=reverse("land:home", args=[community.slug, home.pk]),
        success=lambda allocation: reverse("land:allocation", args=[community.slug, allocation.pk]),
        message=_("The seed is published. Draw when the waiting households have been able to see it."),
    )


@require_http_methods(GET)
@with_community
def allocation_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "land.view_allocations", community)
    allocation = selectors.allocation_get(community=community, pk=pk)
    me = membership_for(request.user, community)
    mine = selectors.my_application(community=community, membership=me)
    result = dict(allocation.result or {})
    if result.get("ranking"):  # worded in the reader's language from the stored data
        result["ranking"] = [
            {**p, "reason": words.placement_reason(p, allocation.seed)} for p in result["ranking"]
        ]
        result["excluded"] = [
            {**e, "reason": words.exclusion_reason(e, result)} for e in result.get("excluded", [])
        ]
    example = result.get("ranking", [{}])[0].get("applicant_id") if result.get("ranking") else None
    return render(
        request,
        "land/allocation.html",
        {
            "allocation": allocation,
            "result": result,
            "my_id": mine.public_id if mine else None,
            "replayed": services.allocation_replay(allocation=allocation) if result else None,
            "method": services.METHOD_PATH,
            "example_id": example,
            "example_key": lottery_key(allocation.seed, example) if example else None,
            "can_manage": request.user.has_perm("land.manage", community),
            "can_adopt": request.user.has_perm("land.adopt_allocation", allocation),
            "is_open": allocation.status in (Allocation.Status.ANNOUNCED, Allocation.Status.PROPOSED),
        },
    )


ALLOCATION_VERBS = {"draw": services.allocation_draw, "cancel": services.allocation_cancel}


@require_POST
@with_community
def allocation_action(request: HttpRequest, community: Community, pk: int, verb: str) -> HttpResponse:
    allocation = selectors.allocation_get(community=community, pk=pk)
    if verb == "adopt":
        check(request, "land.adopt_allocation", allocation)
        me = _me(request, community)
        action: Callable[[], Any] = lambda: services.allocation_adopt(allocation=allocation, by=me)  # noqa: E731
        done = _("Adopted: the home is allocated.")
    elif verb in ALLOCATION_VERBS:
        check(request, "land.manage", community)
        me = _me(request, community)
        service = ALLOCATION_VERBS[verb]
        action = lambda: service(allocation=allocation, by=me)  # noqa: E731
        done = _("Drawn: the ranking is published.") if verb == "draw" else _("Cancelled.")
    else:
        raise NotFound()
    return post_action(
        request,
        run=action,
        back=reverse("land:allocation", args=[community.slug, allocation.pk]),
        message=done,
    )
