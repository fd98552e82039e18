"""Eviction defence pages (the board of cases by household code, a case with its court dates and
their vigil shifts, outcome statistics by month) and the know-your-rights pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.defence.forms.response import (
    CaseForm,
    CloseCaseForm,
    CourtDateForm,
    OutcomeForm,
    RightsForm,
    ShareForm,
)
from dualpower.defence.models.response import CourtDate, EvictionCase
from dualpower.defence.selectors import response as selectors
from dualpower.defence.services import response_cases as cases
from dualpower.defence.services import response_rights as rights_services
from dualpower.errors import InvalidInput, NotFound
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.pages import page_of
from dualpower.web.permissions import check


def _me(request: HttpRequest, community: Community) -> Membership:
    me = membership_for(request.user, community)
    assert me is not None  # every rule used here starts from being a member
    return me


def _case(request: HttpRequest, community: Community, pk: int) -> EvictionCase:
    check(request, "defence.view_cases", community)
    found = selectors.case_get(community=community, pk=pk)
    if found is None:
        raise NotFound(_("No such eviction case."))
    return found


@require_http_methods(["GET", "HEAD"])
@with_community
def board(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.view_cases", community)
    page = page_of(
        lambda limit, offset: selectors.cases_page(community=community, limit=limit, offset=offset),
        raw=request.GET.get("page"),
    )
    rows = page.rows
    upcoming = selectors.next_court_dates(community=community, case_ids=[c.pk for c in rows])
    outcomes = [c for c in CourtDate.Outcome.choices if c[0] != CourtDate.Outcome.PENDING]
    stats = [
        (month, [(label, counts.get(key, 0)) for key, label in outcomes])
        for month, counts in selectors.outcomes_by_month(community=community)
    ]
    return render(
        request,
        "defence/response/cases.html",
        {
            "rows": [{"case": c, "next": upcoming.get(c.pk)} for c in rows],
            "page": page,
            "stats": stats,
            "outcomes": outcomes,
            "can_manage": request.user.has_perm("defence.manage_cases", community),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def case_new(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.manage_cases", community)
    me = _me(request, community)
    form = CaseForm(request.POST or None, members=selectors.case_worker_choices(community=community))
    return form_action(
        request,
        form=form,
        run=lambda data: cases.case_open(
            community=community,
            by=me,
            household=data["household"],
            landlord=data["landlord"],
            case_worker=form.case_worker_chosen(),
        ),
        success=lambda made: reverse("defence:case", args=[community.slug, made.pk]),
        message=_("The case is on the board."),
        template="defence/response/case_form.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def case_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    found = _case(request, community, pk)
    can_manage = request.user.has_perm("defence.manage_cases", community)
    form = CourtDateForm(request.POST or None)
    context = {
        "case": found,
        "dates": selectors.court_dates_of(case=found),
        "can_manage": can_manage,
        "outcome_form": OutcomeForm(),
        "close_form": CloseCaseForm(),
    }
    if request.method == "POST":
        check(request, "defence.manage_cases", community)
        me = _me(request, community)
        return form_action(
            request,
            form=form,
            run=lambda data: cases.court_date_add(
                case=found,
                by=me,
                at=form.at(),
                kind=data["kind"],
                place=data.get("place") or "",
                vigil_places=data.get("vigil_places") or 0,
                support_places=data.get("support_places") or 0,
            ),
            success=request.path,
            message=_("The court date is added, with its vigil and court-support shifts."),
            template="defence/response/case.html",
            context=context,
        )
    return render(request, "defence/response/case.html", {**context, "form": form})


@require_POST
@with_community
def outcome(request: HttpRequest, community: Community, pk: int, date_pk: int) -> HttpResponse:
    found = _case(request, community, pk)
    check(request, "defence.manage_cases", community)
    date = next((d for d in selectors.court_dates_of(case=found) if d.pk == date_pk), None)
    if date is None:
        raise NotFound(_("No such court date."))
    me = _me(request, community)
    return form_action(
        request,
        form=OutcomeForm(request.POST),
        run=lambda data: cases.court_outcome_set(court_date=date, by=me, outcome=data["outcome"]),
        success=reverse("defence:case", args=[community.slug, found.pk]),
        message=_("The outcome is recorded."),
        template="defence/response/case.html",
        context={"case": found, "dates": selectors.court_dates_of(case=found), "can_manage": True},
        form_name="outcome_form",
    )


@require_POST
@with_community
def case_close(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    found = _case(request, community, pk)
    check(request, "defence.manage_cases", community)
    me = _me(request, community)
    return form_action(
        request,
        form=CloseCaseForm(request.POST),
        run=lambda data: cases.case_close(case=found, by=me, status=data["status"]),
        success=reverse("defence:cases", args=[community.slug]),
        message=_("The case is closed."),
        template="defence/response/case.html",
        context={"case": found, "dates": selectors.court_dates_of(case=found), "can_manage": True},
        form_name="close_form",
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def rights(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.view_rights", community)
    pages: dict[str, list[object]] = {}
    for page in selectors.rights_pages(community=community):
        pages.setdefault(page.slug, []).append(page)
    return render(
        request,
        "defence/response/rights.html",
        {
            "pages": pages,
            "from_peers": selectors.rights_from_peers(community=community),
            "can_edit": request.user.has_perm("defence.edit_rights", community),
        },
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def rights_page(request: HttpRequest, community: Community, slug: str) -> HttpResponse:
    check(request, "defence.view_rights", community)
    language = str(request.GET.get("lang") or get_language() or "")[:10]
    page = selectors.rights_page(community=community, slug=slug, language=language)
    if page is None:
        raise NotFound(_("No such page."))
    others = [p for p in selectors.rights_pages(community=community).filter(slug=slug) if p.pk != page.pk]
    return render(
        request,
        "defence/response/rights_page.html",
        {
            "page": page,
            "others": others,
            "can_edit": request.user.has_perm("defence.edit_rights", community),
            "can_share": request.user.has_perm("defence.share_rights", community),
        },
    )


@require_POST
@with_community
def rights_share(request: HttpRequest, community: Community, slug: str) -> HttpResponse:
    """Share a page (in one language) with peer communities, through the knowledge commons, or stop."""
    check(request, "defence.share_rights", community)
    me = _me(request, community)
    form = ShareForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_("Choose the page's language."), field="language")
    language = form.cleaned_data["language"]
    page = selectors.rights_page(community=community, slug=slug, language=language)
    if page is None or page.language != language:
        raise NotFound(_("No such page."))
    return post_action(
        request,
        run=lambda: rights_services.rights_page_share(page=page, by=me, shared=form.cleaned_data["shared"]),
        back=reverse("defence:rights_page", args=[community.slug, page.slug]) + f"?lang={page.language}",
        message=lambda done: (
            _("Shared with our peer communities.") if done.shared else _("No longer shared with peers.")
        ),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def rights_from_peer(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """A know-your-rights page a peer community shared with us; the defence group adopts it."""
    check(request, "defence.view_rights", community)
    received = selectors.right_from_peer(community=community, pk=pk)
    if received is None:
        raise NotFound(_("No such page."))
    if request.method == "POST":
        check(request, "defence.edit_rights", community)
        me = _me(request, community)
        return post_action(
            request,
            run=lambda: rights_services.rights_page_adopt(community=community, by=me, received=received),
            back=request.path,
            success=lambda page: (
                reverse("defence:rights_page", args=[community.slug, page.slug]) + f"?lang={page.language}"
            ),
            message=_("Adopted: it is one of our pages now; edit or translate it as you like."),
        )
    return render(
        request,
        "defence/response/rights_peer.html",
        {
            "received": received,
            "adopted": selectors.rights_pages(community=community).filter(origin_uri=received.uri).first(),
            "can_edit": request.user.has_perm("defence.edit_rights", community),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def rights_edit(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.edit_rights", community)
    me = _me(request, community)
    initial: dict[str, str] = {}
    source = request.GET.get("from")
    if source:
        found = selectors.rights_page(
            community=community, slug=str(source), language=str(request.GET.get("lang") or "")
        )
        if found is not None:
            initial = {
                "title": found.title,
                "body": found.body,
                "slug": found.slug,
                "language": found.language,
            }
    form = RightsForm(request.POST or None, initial=initial)
    return form_action(
        request,
        form=form,
        run=lambda data: cases.rights_page_save(
            community=community,
            by=me,
            title=data["title"],
            body=data["body"],
            language=data["language"],
            slug=data.get("slug") or "",
        ),
        success=lambda page: (
            reverse("defence:rights_page", args=[community.slug, page.slug]) + f"?lang={page.language}"
        ),
        message=_("Saved."),
        template="defence/response/rights_form.html",
    )
