"""The library of things' pages (parse → check → service → template).

c/<slug>/learn/library/                   the catalogue, my loans and holds, what is late (keepers)
c/<slug>/learn/library/new/               list a thing (mine, or the library's for keepers)
c/<slug>/learn/library/keepers/           who keeps the library (coordinators)
c/<slug>/learn/library/<pk>/              a thing: hold, borrow, renew, return, pause my hold
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualpower.activities.selectors import trust_roles
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.formatting import format_date
from dualpower.groups.selectors import groups_of
from dualpower.learn import selectors
from dualpower.learn.forms import KeepersForm, PauseForm, ReturnForm, ThingForm
from dualpower.learn.services import library as services
from dualpower.learn.views._common import before, me, picked_id
from dualpower.ledger.selectors import currencies_of
from dualpower.members.roles import membership_for
from dualpower.uploads import upload_accept
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check

PHOTO_BYTES = 5 * 1024 * 1024


@require_GET
@with_community
def library(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "learn.view", community)
    membership = membership_for(request.user, community)
    page = selectors.things_listed(community=community, before=before(request))
    keeper = request.user.has_perm("learn.keep_library", community)
    return render(
        request,
        "learn/library.html",
        {
            "page": page,
            "loans": selectors.my_loans(membership=membership) if membership else [],
            "holds": selectors.my_holds(membership=membership) if membership else [],
            "today": timezone.localdate(),
            "keeper": keeper,
            "late": selectors.overdue_loans(community=community, today=timezone.localdate())
            if keeper
            else [],
            "may_list": request.user.has_perm("learn.list_thing", community),
            "may_set_keepers": request.user.has_perm("learn.set_role_keeper", community),
        },
    )


def _thing_run(request: HttpRequest, community: Community, data: dict[str, Any]) -> Any:
    membership = me(request, community)
    for_library = bool(data.get("for_library"))
    if for_library:
        check(request, "learn.keep_library", community)
    currency_id = picked_id(data.get("deposit_currency"))
    currency = currencies_of(community=community).filter(pk=currency_id).first() if currency_id else None
    role_id = picked_id(data.get("trust_role"))
    role = trust_roles(community=community).filter(pk=role_id).first() if role_id else None
    photo = request.FILES.get("photo")
    name = ""
    if photo is not None:
        name = upload_accept(
            photo,
            max_bytes=PHOTO_BYTES,
            field="photo",
            wrong_type=_("The photo must be a JPEG, PNG or WebP image."),
            too_large=_("The photo is larger than 5 MB."),
        )
    return services.thing_create(
        community=community,
        by=membership,
        owner=None if for_library else membership,
        deposit_currency=currency,
        trust_role=role,
        photo=photo,
        photo_name=name,
        text=services.ThingText(
            title=data["title"],
            description=data.get("description", ""),
            category=data["category"],
            condition=data["condition"],
            pickup=data.get("pickup", ""),
            deposit=data.get("deposit") or 0,
            loan_days=data["loan_days"],
            max_renewals=data["max_renewals"],
            ready_days=data["ready_days"],
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def thing_new(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "learn.list_thing", community)
    form = ThingForm(
        request.POST or None,
        request.FILES or None,
        currencies=currencies_of(community=community, include_inactive=False).filter(kind="mutual_credit"),
        roles=trust_roles(community=community),
        keeper=request.user.has_perm("learn.keep_library", community),
    )
    return form_action(
        request,
        form=form,
        run=lambda data: _thing_run(request, community, data),
        success=lambda thing: reverse("learn:thing", args=[community.slug, thing.pk]),
        message=lambda thing: _("“%(thing)s” is in the catalogue.") % {"thing": thing.title},
        template="learn/thing_form.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def keepers(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "learn.set_role_keeper", community)
    current = selectors.library_keepers(community=community)
    form = KeepersForm(
        request.POST or None,
        groups=groups_of(community=community),
        initial={"keepers": current.keepers_id if current else ""},
    )
    return form_action(
        request,
        form=form,
        run=lambda data: services.library_keepers_set(
            community=community, by=me(request, community), group_id=picked_id(data.get("keepers"))
        ),
        success=reverse("learn:library", args=[community.slug]),
        message=_("The library's keepers are saved."),
        template="learn/keepers.html",
    )


@require_GET
@with_community
def thing_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    thing = selectors.thing_get(community=community, pk=pk)
    check(request, "learn.view", thing)
    membership = membership_for(request.user, community)
    state = selectors.thing_state(thing=thing, membership=membership)
    return render(
        request,
        "learn/thing.html",
        {
            "thing": thing,
            "state": state,
            "may_borrow": request.user.has_perm("learn.borrow", thing),
            "keeps": request.user.has_perm("learn.keep_thing", thing),
            "is_owner": membership is not None and thing.owner_id == membership.pk,
            "return_form": ReturnForm(initial={"condition": thing.condition}),
            "pause_form": PauseForm(initial={"until": state.my_hold.paused_until if state.my_hold else None}),
        },
    )


def _back(community: Community, pk: int) -> str:
    return reverse("learn:thing", args=[community.slug, pk])


@require_POST
@with_community
def hold_place(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    thing = selectors.thing_get(community=community, pk=pk)
    check(request, "learn.borrow", thing)
    membership = me(request, community)
    return post_action(
        request,
        run=lambda: services.hold_place(thing=thing, membership=membership),
        back=_back(community, pk),
        message=lambda hold: (
            _("It is kept for you: borrow it within a few days.")
            if hold.status == "ready"
            else _("You are in the queue. We will tell you when it is ready.")
        ),
    )


@require_POST
@with_community
def hold_cancel(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    thing = selectors.thing_get(community=community, pk=pk)
    check(request, "learn.borrow", thing)
    membership = me(request, community)
    return post_action(
        request,
        run=lambda: services.hold_cancel(
            hold=selectors.hold_of(thing=thing, membership=membership), by=membership
        ),
        back=_back(community, pk),
        message=_("Your hold is cancelled."),
    )


@require_POST
@with_community
def hold_pause(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    thing = selectors.thing_get(community=community, pk=pk)
    check(request, "learn.borrow", thing)
    membership = me(request, community)
    form = PauseForm(request.POST)

    def run() -> Any:
        if not form.is_valid():
            raise InvalidInput(_("Give a date like 2027-01-31."), field="until")
        return services.hold_pause(
            hold=selectors.hold_of(thing=thing, membership=membership),
            by=membership,
            until=form.cleaned_data["until"],
        )

    return post_action(
        request,
        run=run,
        back=_back(community, pk),
        message=lambda hold: (
            _("Your hold is paused; you keep your place.")
            if hold.paused_until
            else _("Your hold is active again.")
        ),
    )


@require_POST
@with_community
def borrow(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    thing = selectors.thing_get(community=community, pk=pk)
    check(request, "learn.borrow", thing)
    membership = me(request, community)
    return post_action(
        request,
        run=lambda: services.loan_start(thing=thing, borrower=membership, by=membership),
        back=_back(community, pk),
        message=lambda loan: _("It is yours until %(date)s.") % {"date": format_date(loan.due_on)},
    )


@require_POST
@with_community
def renew(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    thing = selectors.thing_get(community=community, pk=pk)
    check(request, "learn.borrow", thing)
    membership = me(request, community)
    loan = selectors.loan_of(thing=thing)
    if loan.borrower_id != membership.pk:
        check(request, "learn.keep_thing", thing)
    return post_action(
        request,
        run=lambda: services.loan_renew(loan=loan, by=membership),
        back=_back(community, pk),
        message=lambda loan: _("Renewed until %(date)s.") % {"date": format_date(loan.due_on)},
    )


@require_POST
@with_community
def give_back(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    thing = selectors.thing_get(community=community, pk=pk)
    check(request, "learn.borrow", thing)
    membership = me(request, community)
    loan = selectors.loan_of(thing=thing)
    if loan.borrower_id != membership.pk:
        check(request, "learn.keep_thing", thing)
    form = ReturnForm(request.POST)
    condition = form.data.get("condition", "")
    return post_action(
        request,
        run=lambda: services.loan_return(loan=loan, by=membership, condition=str(condition)),
        back=_back(community, pk),
        message=_("Thank you: it is back, and the deposit (if any) is paid back."),
    )


@require_POST
@with_community
def lendable(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    thing = selectors.thing_get(community=community, pk=pk)
    check(request, "learn.keep_thing", thing)
    on = request.POST.get("lendable") == "1"
    return post_action(
        request,
        run=lambda: services.thing_set_lendable(thing=thing, by=me(request, community), lendable=on),
        back=_back(community, pk),
        message=_("Saved."),
    )
