"""Pages for the land trust: parse → check rule → call service → template.

Plain forms answered with a redirect and a message: they work without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.models import Community
from dualpower.core.economy import lottery_key
from dualpower.errors import DomainError
from dualpower.land import resale, selectors, services, waitlist
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
from dualpower.land.models import Allocation, Home
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.community import require_perm, with_community

GET = ["GET", "HEAD"]
GET_POST = ["GET", "HEAD", "POST"]


def _act(request: HttpRequest, action: Callable[[], Any], done: str, to: str, *args: Any) -> HttpResponse:
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return redirect(to, *args)


def _form_error(form: Any, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.detail)


def _me(request: HttpRequest, community: Community) -> Membership:
    me = membership_for(request.user, community)
    assert me is not None  # every rule used here admits only admitted people
    return me


@require_http_methods(GET)
@with_community
def home_list(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "land.view_homes", community)
    homes = list(selectors.homes_of(community=community))
    rows = [{"home": h, "show_address": request.user.has_perm("land.view_address", h)} for h in homes]
    return render(
        request,
        "land/homes.html",
        {
            "rows": rows,
            "parcels": list(selectors.parcels_of(community=community)),
            "can_manage": request.user.has_perm("land.manage", community),
        },
    )


@require_http_methods(GET_POST)
@with_community
def home_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    require_perm(request, "land.view_homes", community)
    home = selectors.home_get(community=community, pk=pk)
    user = request.user
    can_note = user.has_perm("land.add_note", home)
    form = NoteForm(request.POST or None) if can_note else None
    if request.method == "POST":
        require_perm(request, "land.add_note", home)
        if form is not None and form.is_valid():
            try:
                services.note_add(home=home, body=form.cleaned_data["body"], by=_me(request, community))
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The note was added."))
                return redirect("land:home", community.slug, home.pk)
    lease = selectors.active_lease(home=home)
    return render(
        request,
        "land/home.html",
        {
            "home": home,
            "show_address": user.has_perm("land.view_address", home),
            "lease": lease if lease and user.has_perm("land.view_lease", lease) else None,
            "notes": list(home.notes.select_related("author"))
            if user.has_perm("land.view_notes", home)
            else None,
            "note_form": form,
            "can_manage": user.has_perm("land.manage", community),
            "announce_form": AnnounceForm() if home.status == Home.Status.VACANT else None,
            "allocations": list(home.allocations.all()),
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_http_methods(GET_POST)
@with_community
def parcel_create(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "land.manage", community)
    form = ParcelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.parcel_create(community=community, by=_me(request, community), **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The parcel was added."))
            return redirect("land:homes", community.slug)
    title = _("Add a parcel")
    return render(
        request, "land/form.html", {"form": form, "title": title}, status=400 if form.errors else 200
    )


@require_http_methods(GET_POST)
@with_community
def home_create(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "land.manage", community)
    form = HomeForm(request.POST or None, parcels=list(selectors.parcels_of(community=community)))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            parcel = selectors.parcel_get(community=community, pk=data.pop("parcel"))
            home = services.home_create(parcel=parcel, by=_me(request, community), **data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The home was added."))
            return redirect("land:home", community.slug, home.pk)
    title = _("Add a home")
    return render(
        request, "land/form.html", {"form": form, "title": title}, status=400 if form.errors else 200
    )


@require_http_methods(GET)
@with_community
def lease_list(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "land.view_homes", community)
    if request.user.has_perm("land.manage", community):
        leases = selectors.leases_of(community=community)
    else:
        leases = selectors.leases_of(community=community, leaseholder=membership_for(request.user, community))
    return render(
        request,
        "land/leases.html",
        {"leases": list(leases), "can_manage": request.user.has_perm("land.manage", community)},
    )


@require_http_methods(GET_POST)
@with_community
def lease_create(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "land.manage", community)
    homes = [h for h in selectors.homes_of(community=community) if h.status != Home.Status.LEASED]
    members = list(Membership.objects.filter(community=community, status=Membership.Status.ACTIVE))
    initial: dict[str, Any] = {}
    wanted = request.GET.get("home", "")
    if wanted.isdigit():
        # Coming from an adopted allocation: the home and the household it was allocated to.
        initial["home"] = int(wanted)
        adopted = Allocation.objects.filter(home_id=int(wanted), home__community=community, status="adopted")
        chosen = adopted.select_related("chosen").order_by("-adopted_at").first()
        if chosen is not None and chosen.chosen is not None:
            initial["leaseholder"] = chosen.chosen.membership_id
    form = LeaseForm(request.POST or None, homes=homes, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            home = selectors.home_get(community=community, pk=data.pop("home"))
            holder_id = data.pop("leaseholder")
            leaseholder = next((m for m in members if m.pk == holder_id), None)
            lease = services.lease_create(
                home=home, leaseholder=leaseholder, by=_me(request, community), **data
            )  # type: ignore[arg-type]
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The lease is recorded."))
            return redirect("land:lease", community.slug, lease.pk)
    title = _("Record a ground lease")
    return render(
        request, "land/form.html", {"form": form, "title": title}, status=400 if form.errors else 200
    )


@require_http_methods(GET)
@with_community
def lease_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """The lease and its resale calculator: the recorded formula's price with the worked lines."""
    require_perm(request, "land.view_homes", community)
    lease = selectors.lease_get(community=community, pk=pk)
    require_perm(request, "land.view_lease", lease)
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
    require_perm(request, "land.manage", community)
    lease = selectors.lease_get(community=community, pk=pk)
    form = LeaseEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say how and when the lease ends."))
        return redirect("land:lease", community.slug, lease.pk)
    me = _me(request, community)
    return _act(
        request,
        lambda: services.lease_end(lease=lease, by=me, **form.cleaned_data),
        _("The lease has ended; the home is vacant."),
        "land:lease",
        community.slug,
        lease.pk,
    )


@require_http_methods(GET_POST)
@with_community
def waitlist_page(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "land.view_waitlist", community)
    me = membership_for(request.user, community)
    settings = services.settings_for(community)
    criteria = services.criteria_of(settings)
    asked = [c for c in criteria if c.key not in services.COMPUTED_FACTS]
    mine = selectors.my_application(community=community, membership=me)
    can_apply = request.user.has_perm("land.apply_waitlist", community) and (
        mine is None or mine.status != "waiting"
    )
    form = ApplyForm(request.POST or None, criteria=asked) if can_apply else None
    if request.method == "POST":
        require_perm(request, "land.apply_waitlist", community)
        if form is not None and form.is_valid():
            try:
                waitlist.waitlist_apply(
                    community=community,
                    membership=me,  # type: ignore[arg-type]
                    household_size=form.cleaned_data["household_size"],
                    facts=form.facts(),
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Your household is on the waitlist."))
                return redirect("land:waitlist", community.slug)
        elif form is None:
            messages.error(request, _("You are already on the waitlist."))
            return redirect("land:waitlist", community.slug)
    applications = (
        list(selectors.applications_of(community=community))
        if request.user.has_perm("land.list_applications", community)
        else None
    )
    return render(
        request,
        "land/waitlist.html",
        {
            "criteria": criteria,
            "settings": settings,
            "mine": mine,
            "form": form,
            "applications": applications,
            "can_manage": request.user.has_perm("land.manage", community),
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
@with_community
def waitlist_withdraw(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    application = selectors.application_get(community=community, pk=pk)
    require_perm(request, "land.withdraw_application", application)
    me = _me(request, community)
    return _act(
        request,
        lambda: waitlist.waitlist_withdraw(application=application, by=me),
        _("The application was withdrawn."),
        "land:waitlist",
        community.slug,
    )


@require_http_methods(GET_POST)
@with_community
def trust_settings(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "land.manage", community)
    import json

    current = services.settings_for(community)
    initial = {
        "coordinators_may_allocate": current.coordinators_may_allocate,
        "criteria": json.dumps(current.criteria, indent=2, ensure_ascii=False),
    }
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.trust_settings_update(
                community=community, by=_me(request, community), **form.cleaned_data
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("land:waitlist", community.slug)
    title = _("How the trust allocates homes")
    return render(
        request, "land/form.html", {"form": form, "title": title}, status=400 if form.errors else 200
    )


@require_http_methods(GET)
@with_community
def allocation_list(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "land.view_allocations", community)
    return render(
        request, "land/allocations.html", {"allocations": list(selectors.allocations_of(community=community))}
    )


@require_POST
@with_community
def allocation_announce(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    require_perm(request, "land.manage", community)
    home = selectors.home_get(community=community, pk=pk)
    form = AnnounceForm(request.POST)
    seed = form.cleaned_data["seed"] if form.is_valid() else ""
    try:
        allocation = waitlist.allocation_announce(home=home, seed=seed, by=_me(request, community))
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("land:home", community.slug, home.pk)
    messages.success(
        request, _("The seed is published. Draw when the waiting households have been able to see it.")
    )
    return redirect("land:allocation", community.slug, allocation.pk)


@require_http_methods(GET)
@with_community
def allocation_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    require_perm(request, "land.view_allocations", community)
    allocation = selectors.allocation_get(community=community, pk=pk)
    me = membership_for(request.user, community)
    mine = selectors.my_application(community=community, membership=me)
    result = allocation.result or {}
    example = result.get("ranking", [{}])[0].get("applicant_id") if result.get("ranking") else None
    return render(
        request,
        "land/allocation.html",
        {
            "allocation": allocation,
            "result": result,
            "my_id": mine.public_id if mine else None,
            "replayed": waitlist.allocation_replay(allocation=allocation) if result else None,
            "method": waitlist.METHOD_PATH,
            "example_id": example,
            "example_key": lottery_key(allocation.seed, example) if example else None,
            "can_manage": request.user.has_perm("land.manage", community),
            "can_adopt": request.user.has_perm("land.adopt_allocation", allocation),
            "is_open": allocation.status in (Allocation.Status.ANNOUNCED, Allocation.Status.PROPOSED),
        },
    )


ALLOCATION_VERBS = {"draw": waitlist.allocation_draw, "cancel": waitlist.allocation_cancel}


@require_POST
@with_community
def allocation_action(request: HttpRequest, community: Community, pk: int, verb: str) -> HttpResponse:
    allocation = selectors.allocation_get(community=community, pk=pk)
    me = _me(request, community) if request.user.is_authenticated else None
    if verb == "adopt":
        require_perm(request, "land.adopt_allocation", allocation)
        action: Callable[[], Any] = lambda: waitlist.allocation_adopt(allocation=allocation, by=me)  # noqa: E731
        done = _("Adopted: the home is allocated.")
    elif verb in ALLOCATION_VERBS:
        require_perm(request, "land.manage", community)
        service = ALLOCATION_VERBS[verb]
        action = lambda: service(allocation=allocation, by=me)  # type: ignore[operator]  # noqa: E731
        done = _("Drawn: the ranking is published.") if verb == "draw" else _("Cancelled.")
    else:
        from dualpower.errors import NotFound

        raise NotFound()
    return _act(request, action, done, "land:allocation", community.slug, allocation.pk)
