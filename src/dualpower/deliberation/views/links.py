"""Taking part with the deliberation's link, without an account (parse → check → service → template).

c/<slug>/deliberations/<pk>/link/                                  facilitators: on, new link, off (POST)
c/<slug>/deliberations/<pk>/with/<token>/                          vote, add a statement, the map
c/<slug>/deliberations/<pk>/with/<token>/statements/<n>/vote/      agree / disagree / pass (POST)
c/<slug>/deliberations/<pk>/with/<token>/statements/new/           add a statement (POST)
c/<slug>/deliberations/<pk>/with/<token>/mine/                     my votes, to change or erase them
c/<slug>/deliberations/<pk>/with/<token>/erase/                    erase my participation (POST)

The visitor's place is a signed cookie (``COOKIE``) holding a random key and a mark of the link
it was given under: only this deliberation's pages read it, and a new link or none makes it
worthless. A signed-in voter of the assembly who follows the link is sent to the members' page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.deliberation import selectors, services
from dualpower.deliberation.forms import StatementForm
from dualpower.deliberation.limits import link_limit
from dualpower.deliberation.map_drawing import drawn
from dualpower.deliberation.models import Deliberation, Participant, Statement
from dualpower.deliberation.rules import LinkVisit
from dualpower.deliberation.services.links import key_digest, link_fingerprint
from dualpower.deliberation.views.common import member_acting, vote_posted
from dualpower.errors import NotFound, PermissionDenied
from dualpower.web.actions import form_action, post_action

SALT = "dualpower.deliberation.link"
# How long a browser keeps its place: a deliberation rarely runs longer.
COOKIE_DAYS = 180


def cookie_name(deliberation: Deliberation) -> str:
    return f"dp_delib_{deliberation.pk}"


def _may(request: HttpRequest, perm: str, visit: Any) -> bool:
    """The permission ``perm`` on a LinkVisit (rules' predicates take any object; Django's types
    say a model)."""
    return bool(request.user.has_perm(perm, visit))


def _visit(request: HttpRequest, community: Community, pk: int, token: str, perm: str) -> LinkVisit:
    """The deliberation behind a link, if the link works for ``perm``; else "not found" with a
    sentence (a link turned off or replaced says nothing more about the deliberation)."""
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    visit = LinkVisit(deliberation=deliberation, token=token)
    if not _may(request, "deliberation.view_by_link", visit):
        raise NotFound(_("This link does not work: it was turned off or replaced. Ask for the new one."))
    if not _may(request, perm, visit):
        refusals = {
            "deliberation.take_part_by_link": _("This deliberation is closed: its map stays as it was."),
            "deliberation.add_by_link": _("People with the link vote here; they do not add statements."),
        }
        raise PermissionDenied(refusals.get(perm))
    return visit


def _raw_key(request: HttpRequest, deliberation: Deliberation) -> str:
    """The key in the visitor's cookie, if the cookie was given under the current link."""
    value = request.get_signed_cookie(
        cookie_name(deliberation), default="", salt=SALT, max_age=COOKIE_DAYS * 86400
    )
    raw_key, _sep, mark = str(value).partition(".")
    return raw_key if raw_key and mark == link_fingerprint(deliberation.link_token) else ""


def _participant(request: HttpRequest, deliberation: Deliberation) -> Participant | None:
    raw_key = _raw_key(request, deliberation)
    return selectors.link_participant(
        deliberation=deliberation, key_digest=key_digest(raw_key) if raw_key else ""
    )


def _keep(response: HttpResponse, deliberation: Deliberation, raw_key: str) -> HttpResponse:
    """Give the browser its place (``raw_key``: a new participant's key, else nothing to do)."""
    if raw_key:
        response.set_signed_cookie(
            cookie_name(deliberation),
            f"{raw_key}.{link_fingerprint(deliberation.link_token)}",
            salt=SALT,
            max_age=COOKIE_DAYS * 86400,
            path=reverse("deliberation:detail", args=[deliberation.community.slug, deliberation.pk]),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def _here(deliberation: Deliberation, token: str, page: str = "link") -> str:
    return reverse(f"deliberation:{page}", args=[deliberation.community.slug, deliberation.pk, token])


def _members_page(request: HttpRequest, deliberation: Deliberation) -> HttpResponseRedirect | None:
    if request.user.has_perm("deliberation.take_part", deliberation):
        return redirect("deliberation:detail", deliberation.community.slug, deliberation.pk)
    return None


def _page_context(request: HttpRequest, visit: LinkVisit, participant: Participant | None) -> dict[str, Any]:
    deliberation = visit.deliberation
    may_vote = _may(request, "deliberation.take_part_by_link", visit)
    shown = selectors.statements_shown(deliberation=deliberation)
    return {
        "deliberation": deliberation,
        "token": visit.token,
        "may_vote": may_vote,
        "may_add": _may(request, "deliberation.add_by_link", visit),
        "next": selectors.next_statement(deliberation=deliberation, participant=participant)
        if may_vote
        else None,
        "participant": participant,
        "my_votes_count": participant.votes.count() if participant is not None else 0,
        "form": StatementForm(),
        "statements": shown,
        "map": drawn(deliberation.opinion_map or {}, shown),
        "map_behind": deliberation.map_votes < deliberation.votes_seen,
    }


@require_GET
@with_community
def link_page(request: HttpRequest, community: Community, pk: int, token: str) -> HttpResponse:
    visit = _visit(request, community, pk, token, "deliberation.view_by_link")
    if (members := _members_page(request, visit.deliberation)) is not None:
        return members
    participant = _participant(request, visit.deliberation)
    return render(request, "deliberation/link.html", _page_context(request, visit, participant))


@require_POST
@with_community
def link_vote(request: HttpRequest, community: Community, pk: int, token: str, number: int) -> HttpResponse:
    visit = _visit(request, community, pk, token, "deliberation.take_part_by_link")
    deliberation = visit.deliberation
    statement = selectors.statement_get(deliberation=deliberation, number=number)
    participant = _participant(request, deliberation)
    back = request.POST.get("back") == "mine"
    made: list[str] = []

    def cast(value: str) -> None:
        key = participant.key if participant is not None else ""
        link_limit(request, action="vote" if key else "join", key=key)
        _vote, raw_key = services.link_vote_cast(statement=statement, participant=participant, value=value)
        made.append(raw_key)

    response = vote_posted(
        request,
        cast=cast,
        back=_here(deliberation, token, "link_mine" if back else "link") + ("" if back else "#vote"),
        message=_("Your vote is changed.")
        if back
        else _("Your vote is counted. Here is the next statement."),
    )
    return _keep(response, deliberation, "".join(made))


@require_POST
@with_community
def link_statement_new(request: HttpRequest, community: Community, pk: int, token: str) -> HttpResponse:
    visit = _visit(request, community, pk, token, "deliberation.add_by_link")
    deliberation = visit.deliberation
    participant = _participant(request, deliberation)
    made: list[str] = []

    def run(data: dict[str, Any]) -> Statement:
        key = participant.key if participant is not None else ""
        link_limit(request, action="statement", key=key)
        if not key:
            link_limit(request, action="join", key="")
        statement, raw_key = services.link_statement_add(
            deliberation=deliberation,
            participant=participant,
            text=data["text"],
            language=request.LANGUAGE_CODE,
        )
        made.append(raw_key)
        return statement

    context = {k: v for k, v in _page_context(request, visit, participant).items() if k != "form"}
    response = form_action(
        request,
        form=StatementForm(request.POST),
        run=run,
        success=_here(deliberation, token) + "#add",
        message=_("Thank you: your statement waits for a facilitator, then others vote on it."),
        template="deliberation/link.html",
        context=context,
    )
    return _keep(response, deliberation, "".join(made))


@require_GET
@with_community
def link_mine(request: HttpRequest, community: Community, pk: int, token: str) -> HttpResponse:
    visit = _visit(request, community, pk, token, "deliberation.view_by_link")
    participant = _participant(request, visit.deliberation)
    return render(
        request,
        "deliberation/mine.html",
        {
            "deliberation": visit.deliberation,
            "token": token,
            "participant": participant,
            "votes": selectors.my_votes(deliberation=visit.deliberation, participant=participant),
            "may_take_part": _may(request, "deliberation.take_part_by_link", visit),
        },
    )


@require_POST
@with_community
def link_erase(request: HttpRequest, community: Community, pk: int, token: str) -> HttpResponse:
    visit = _visit(request, community, pk, token, "deliberation.view_by_link")
    participant = _participant(request, visit.deliberation)
    if participant is None:
        raise NotFound(_("This browser holds no participation in this deliberation."))
    response = post_action(
        request,
        run=lambda: services.link_participation_erase(participant=participant),
        back=_here(visit.deliberation, token, "link_mine"),
        success=lambda _n: _here(visit.deliberation, token),
        message=_("Your votes are erased, and this browser no longer holds a place here."),
    )
    response.delete_cookie(
        cookie_name(visit.deliberation),
        path=reverse("deliberation:detail", args=[community.slug, pk]),
        samesite="Lax",
    )
    return response


@require_POST
@with_community
def link_set(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    me = member_acting(request, community, "deliberation.share_link", deliberation)
    action = request.POST.get("action", "")
    messages = {
        "on": _("Anyone with the link may now take part."),
        "rotate": _("A new link is made: the old one no longer works."),
        "off": _("The link is turned off: nobody takes part with it any more."),
    }
    return post_action(
        request,
        run=lambda: services.link_set(
            deliberation=deliberation,
            by=me,
            action=action,
            statements=request.POST.get("statements") == "on",
        ),
        back=reverse("deliberation:detail", args=[community.slug, pk]) + "#link",
        message=messages.get(action, ""),
    )
