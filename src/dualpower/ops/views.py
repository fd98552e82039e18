"""The guided set-up of a new community: a page a step, no JavaScript.

/setup/                          1. name and place
/setup/groups/                   2. working groups from the templates
/setup/decisions/                3. how the general assembly decides (presets)
/setup/money/                    4. currency and time bank, then "Create the community"
/setup/<community>/invitations/  5. an invitation link and its QR code

Steps 1–4 are kept in the session as they were typed (a draft: Back and Next keep everything,
and coming back to /setup/ resumes it); step 4 creates the whole community in one transaction
(``ops.community_setup.community_set_up``). Step 5 is the new community's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, NotAuthenticated
from dualpower.members.roles import signed_in
from dualpower.members.services import invitations as invitations_service
from dualpower.members.views.invitations import InvitationForm
from dualpower.ops import community_setup
from dualpower.ops.forms import DecisionsForm, GroupsForm, MoneyForm, PlaceForm, StepForm, plan_from
from dualpower.web.actions import attach_error, form_action, render_form
from dualpower.web.permissions import check

DRAFT = "dp_community_setup"


@dataclass(frozen=True)
class Step:
    key: str
    title: Promise
    url: str  # the URL name
    form: type[StepForm] | None = None


STEPS: tuple[Step, ...] = (
    Step("place", gettext_lazy("Name and place"), "setup:place", PlaceForm),
    Step("groups", gettext_lazy("Working groups"), "setup:groups", GroupsForm),
    Step("decisions", gettext_lazy("How you decide"), "setup:decisions", DecisionsForm),
    Step("money", gettext_lazy("Money and time"), "setup:money", MoneyForm),
    Step("invitations", gettext_lazy("Invite people"), "setup:invitations"),
)
DRAFT_STEPS = STEPS[:4]


def _draft(request: HttpRequest) -> dict[str, Any]:
    draft = request.session.get(DRAFT)
    if not isinstance(draft, dict) or not isinstance(draft.get("data"), dict):
        draft = {"data": {}, "done": []}
    return draft


def _save(request: HttpRequest, draft: dict[str, Any]) -> None:
    request.session[DRAFT] = draft
    request.session.modified = True


def _progress(current: int, draft: dict[str, Any], community: Community | None = None) -> dict[str, Any]:
    """What the progress bar shows: "Step 2 of 5" and each step, linked once it can be visited."""
    done = set(draft.get("done", []))
    items = []
    for i, step in enumerate(STEPS):
        if community is not None:
            url = reverse(step.url, args=[community.slug]) if step.key == "invitations" else ""
        elif step.key == "invitations":
            url = ""
        else:
            reachable = all(s.key in done for s in STEPS[:i])
            url = reverse(step.url) if reachable else ""
        items.append(
            {
                "number": i + 1,
                "title": step.title,
                "url": url,
                "current": i == current,
                "done": step.key in done or (community is not None and i < current),
            }
        )
    return {"steps": items, "number": current + 1, "total": len(STEPS), "title": STEPS[current].title}


def _first_missing(draft: dict[str, Any], before: int) -> Step | None:
    done = set(draft.get("done", []))
    for step in DRAFT_STEPS[:before]:
        if step.key not in done:
            return step
    return None


def _bound(step: Step, draft: dict[str, Any]) -> StepForm:
    assert step.form is not None
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for name, value in draft["data"].get(step.key, {}).items():
        if isinstance(value, list):
            data.setlist(name, value)
        elif value not in ("", None):
            data[name] = value
    return step.form(data)


def _valid(form: StepForm) -> bool:
    if not form.is_valid():
        return False
    try:
        form.check()
    except DomainError as error:
        attach_error(form, error)
        return False
    return True


def _step_page(request: HttpRequest, index: int) -> HttpResponse:
    check(request, "ops.set_up_community")
    step = DRAFT_STEPS[index]
    assert step.form is not None
    draft = _draft(request)
    missing = _first_missing(draft, index)
    if missing is not None:
        return redirect(missing.url)
    template = f"community/setup/{step.key}.html"
    context: dict[str, Any] = {"progress": _progress(index, draft), "hints": step.form.hints()}
    if index == 0 and draft["done"]:  # coming back to a draft: offer to continue where it stopped
        ahead = _first_missing(draft, len(DRAFT_STEPS))
        context["resume"] = reverse((ahead or DRAFT_STEPS[-1]).url)
    if request.method != "POST":
        form = step.form(initial=step.form.initial_from(draft["data"].get(step.key, {})))
        return render_form(request, template, form, context)
    draft["data"][step.key] = step.form.raw(request.POST)
    if request.POST.get("go") == "back" and index > 0:
        _save(request, draft)  # kept as typed, checked when they come forward again
        return redirect(DRAFT_STEPS[index - 1].url)
    form = step.form(request.POST)
    if not _valid(form):
        draft["done"] = [key for key in draft["done"] if key != step.key]
        _save(request, draft)
        return render_form(request, template, form, context)
    if step.key not in draft["done"]:
        draft["done"].append(step.key)
    _save(request, draft)
    if step is not DRAFT_STEPS[-1]:
        return redirect(DRAFT_STEPS[index + 1].url)
    return _create(request, draft, form, template, context)


def _create(
    request: HttpRequest, draft: dict[str, Any], money: StepForm, template: str, context: dict[str, Any]
) -> HttpResponse:
    """The last step's Next: every step read again from the draft, then the community made."""
    forms_by_key = {step.key: _bound(step, draft) for step in DRAFT_STEPS[:-1]}
    for step in DRAFT_STEPS[:-1]:
        if not _valid(forms_by_key[step.key]):
            messages.error(request, _("Something in this step needs another look."))
            draft["done"] = [key for key in draft["done"] if key != step.key]
            _save(request, draft)
            return redirect(step.url)
    place, groups, decisions = forms_by_key["place"], forms_by_key["groups"], forms_by_key["decisions"]
    assert isinstance(place, PlaceForm) and isinstance(groups, GroupsForm)
    assert isinstance(decisions, DecisionsForm) and isinstance(money, MoneyForm)
    try:
        community = community_setup.community_set_up(
            plan=plan_from(place, groups, decisions, money), by=signed_in(request)
        )
    except DomainError as error:
        if isinstance(error, NotAuthenticated):
            raise
        attach_error(money, error)
        return render_form(request, template, money, context)
    request.session.pop(DRAFT, None)
    messages.success(request, _("%(name)s is ready. Now invite people to join.") % {"name": community.name})
    return redirect("setup:invitations", community.slug)


@require_http_methods(["GET", "HEAD", "POST"])
def setup_place(request: HttpRequest) -> HttpResponse:
    """Step 1: the community's name and place, who you are in it, how people are admitted."""
    return _step_page(request, 0)


@require_http_methods(["GET", "HEAD", "POST"])
def setup_groups(request: HttpRequest) -> HttpResponse:
    """Step 2: working groups from the templates, and any others."""
    return _step_page(request, 1)


@require_http_methods(["GET", "HEAD", "POST"])
def setup_decisions(request: HttpRequest) -> HttpResponse:
    """Step 3: how the general assembly decides, from presets named in plain words."""
    return _step_page(request, 2)


@require_http_methods(["GET", "HEAD", "POST"])
def setup_money(request: HttpRequest) -> HttpResponse:
    """Step 4: a currency and a time bank; its Next creates the community."""
    return _step_page(request, 3)


@require_POST
def setup_discard(request: HttpRequest) -> HttpResponse:
    """Start again: forget the draft (nothing was created yet)."""
    check(request, "ops.set_up_community")
    request.session.pop(DRAFT, None)
    messages.success(request, _("The draft was discarded."))
    return redirect("setup:place")


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def setup_invitations(request: HttpRequest, community: Community) -> HttpResponse:
    """Step 5: the new community's first invitation link, with its QR code."""
    check(request, "members.manage_invitations", community)
    latest = invitations_service.invitations_of(community=community).first()
    context: dict[str, Any] = {"progress": _progress(4, {"done": []}, community), "invitation": latest}
    if latest is not None and latest.usable():
        link = request.build_absolute_uri(latest.get_absolute_url())
        context.update(link=link, qr=invitations_service.invitation_qr_svg(url=link))
    form = InvitationForm(request.POST or None)
    return form_action(
        request,
        form=form,
        run=lambda data: invitations_service.invitation_create(
            community=community,
            by=signed_in(request),
            note=data["note"],
            max_uses=data["max_uses"],
            expires_at=form.expires_at(),
        ),
        success=reverse("setup:invitations", args=[community.slug]),
        message=_("The invitation link is ready: share it, or show its QR code."),
        template="community/setup/invitations.html",
        context=context,
    )
