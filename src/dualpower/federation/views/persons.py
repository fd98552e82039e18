"""Members who chose to be visible on the fediverse (persons.py): their ``Person`` actor and its
collections and inbox at ``/ap/u/<handle>``, and the member's own page where they choose or stop.

An address nobody chose answers 404, one whose person stopped answers 410 (with a Tombstone), so
that servers drop what they kept of it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import Conflict
from dualpower.federation import ids, inbox, persons
from dualpower.federation.forms import PersonForm
from dualpower.federation.models import PersonActor
from dualpower.federation.views._responses import json_errors, json_response
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


def _person(request: HttpRequest, handle: str) -> PersonActor | HttpResponse:
    check(request, "federation.view_actor")
    try:
        return persons.person_live_get(handle)
    except persons.Gone:
        gone = persons.person_find(handle)
        assert gone is not None
        return json_response(persons.tombstone_document(gone), status=410)


@require_GET
@json_errors
def person_actor(request: HttpRequest, handle: str) -> HttpResponse:
    found = _person(request, handle)
    if isinstance(found, HttpResponse):
        return found
    response = json_response(persons.person_document(found))
    response["Vary"] = "Accept"
    return response


@require_GET
@json_errors
def person_followers(request: HttpRequest, handle: str) -> HttpResponse:
    found = _person(request, handle)
    return found if isinstance(found, HttpResponse) else json_response(persons.followers_collection(found))


@require_GET
@json_errors
def person_outbox(request: HttpRequest, handle: str) -> HttpResponse:
    found = _person(request, handle)
    return found if isinstance(found, HttpResponse) else json_response(persons.outbox_collection(found))


@csrf_exempt
@require_POST
@json_errors
def person_inbox(request: HttpRequest, handle: str) -> HttpResponse:
    """Their inbox: what reaches it is handled as at the shared inbox (only follows concern them)."""
    found = _person(request, handle)
    if isinstance(found, HttpResponse):
        return found
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > inbox.MAX_BODY:
        return json_response({"detail": "too large"}, content_type="application/json", status=413)
    body = request.read(inbox.MAX_BODY + 1)
    headers = {name.lower(): value for name, value in request.headers.items()}
    received = inbox.inbox_receive(
        method=request.method or "POST", path=request.get_full_path(), headers=headers, body=body
    )
    return json_response({"detail": received.reason}, content_type="application/json", status=received.status)


# --- the member's own page ------------------------------------------------------------------------


def _page_context(request: HttpRequest, community: Community) -> dict[str, Any]:
    me = membership_for(request.user, community)
    person = persons.person_of(me)
    return {
        "me": me,
        "person": person,
        "followers": persons.person_followers_count(person) if person is not None else 0,
        "address": f"@{person.handle}@{ids.host()}" if person is not None else "",
        "host": ids.host(),
        "may_start": person is None and request.user.has_perm("federation.person_start", community),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def me(request: HttpRequest, community: Community) -> HttpResponse:
    """Choose to be visible (a form), or see what is public and stop."""
    check(request, "federation.view_person_page", community)
    context = _page_context(request, community)
    if request.method != "POST" and not context["may_start"]:
        return render(request, "federation/person.html", context)
    check(request, "federation.person_start", community)
    return form_action(
        request,
        form=PersonForm(request.POST or None),
        run=lambda data: persons.person_start(
            membership=context["me"], handle=data["handle"], name=data["name"], summary=data["summary"]
        ),
        success=reverse("federation:person_me", args=[community.slug]),
        message=lambda person: (
            _("You are visible on the fediverse as @%(handle)s@%(host)s.")
            % {"handle": person.handle, "host": ids.host()}
        ),
        template="federation/person.html",
        context=context,
    )


@require_POST
@with_community
def me_stop(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "federation.view_person_page", community)
    person = persons.person_of(membership_for(request.user, community))

    def stop() -> PersonActor:
        if person is None:
            raise Conflict(_("You are not visible on the fediverse."))
        return persons.person_stop(person=person)

    return post_action(
        request,
        run=stop,
        back=reverse("federation:person_me", args=[community.slug]),
        message=_("You are no longer visible on the fediverse. Your followers' servers were told."),
    )
