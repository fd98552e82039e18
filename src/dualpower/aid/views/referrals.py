"""Pages for dispatchers about referrals between peer communities: refer a request to a peer (with
what will be sent shown first), and the referrals peers made to us, to accept or decline.

parse → check rule → call service → template; no JavaScript (the preview is a GET, sending a POST).
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.aid import selectors
from dualpower.aid.models import AidReferral, AidRequest, Urgency
from dualpower.aid.services import referrals
from dualpower.aid.views._common import get_request, me_of
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, InvalidInput
from dualpower.federation.models import RemoteActor
from dualpower.formatting import format_datetime
from dualpower.web.actions import post_action
from dualpower.web.pages import PER_PAGE, page_of
from dualpower.web.permissions import check


def _peer_chosen(community: Community, raw: str) -> RemoteActor | None:
    for actor in referrals.peers_to_refer_to(community=community):
        if str(actor.pk) == raw:
            return actor
    return None


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def refer(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    """Choose a peer, a coarse region and an expiry; see exactly what will be sent; send it."""
    check(request, "aid.dispatch", community)
    found = get_request(request, community, code, "aid.refer_to_peer")
    data = request.POST if request.method == "POST" else request.GET
    peers = referrals.peers_to_refer_to(community=community)
    chosen = _peer_chosen(community, data.get("peer", ""))
    region, expires = data.get("region", found.neighbourhood), data.get("expires", "")
    back = reverse("aid:request_dispatch", args=[community.slug, found.code])
    if request.method == "POST":
        me = me_of(request, community)

        def send() -> Any:
            if chosen is None:
                raise InvalidInput(_("Choose one of the community's peers."), field="peer")
            return referrals.referral_offer(
                request=found, actor=chosen, by=me, region=region, expires=expires
            )

        return post_action(
            request,
            run=send,
            message=_(
                "Referred. Their dispatchers will accept or decline; the details go only if they accept."
            ),
            back=back,
        )
    preview, error = None, ""
    if "peer" in request.GET:
        try:
            if chosen is None:
                raise InvalidInput(_("Choose one of the community's peers."), field="peer")
            preview = referrals.referral_draft(request=found, actor=chosen, region=region, expires=expires)
        except DomainError as exc:
            error = exc.detail
    default_expiry = (timezone.localdate() + timedelta(days=referrals.DEFAULT_DAYS)).isoformat()
    return render(
        request,
        "aid/refer.html",
        {
            "req": selectors.request_view(found, me_of(request, community), with_details=False),
            "peers": peers,
            "chosen": chosen,
            "region": region,
            "expires": expires or default_expiry,
            "preview": preview,
            "sent_rows": _sent_rows(preview) if preview else [],
            "preview_json": json.dumps(preview, indent=2, ensure_ascii=False) if preview else "",
            "error": error,
            "back": back,
        },
        status=400 if error else 200,
    )


def _sent_rows(preview: dict[str, Any]) -> list[tuple[str, str]]:
    """The Referral's fields as the dispatcher reads them, in the page's language."""
    category = preview["dp:category"]
    expires = parse_datetime(preview["endTime"])
    urgency = {v: k for k, v in referrals.URGENCY_KEYS.items()}[preview["dp:urgency"]]
    return [
        (_("Category"), f"{_(category['name'])} ({category['key']})"),
        (_("Region"), preview["dp:region"]),
        (_("Urgency"), str(Urgency(urgency).label)),
        (_("Languages"), ", ".join(preview["dp:languages"]) or _("None given")),
        (_("Expires"), format_datetime(expires)),
    ]


@require_http_methods(["GET", "HEAD"])
@with_community
def referral_list(request: HttpRequest, community: Community) -> HttpResponse:
    """The referrals peers made to us, waiting for an answer, and every referral both ways."""
    check(request, "aid.answer_referrals", community)
    page = page_of(
        lambda limit, offset: selectors.referrals_page(community=community, limit=limit, offset=offset),
        raw=request.GET.get("page"),
    )
    names = selectors.category_names(community)
    return render(
        request,
        "aid/referrals.html",
        {
            "waiting": [_row(r, names) for r in selectors.referrals_waiting(community=community)[:PER_PAGE]],
            "rows": [_row(r, names) for r in page.rows],
            "page": page,
        },
    )


def _row(referral: AidReferral, names: dict[str, str]) -> dict[str, Any]:
    return {
        "ref": referral,
        "peer": referrals.peer_name(referral.actor),
        "category": names.get(referral.category) or _(referral.category_label) or referral.category,
    }


@require_POST
@with_community
def referral_answer(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "aid.answer_referrals", community)
    referral = selectors.referral_get(community=community, pk=pk)
    me = me_of(request, community)
    accept = request.POST.get("answer") == "accept"
    return post_action(
        request,
        run=lambda: referrals.referral_answer(referral=referral, accept=accept, by=me),
        message=_("Accepted: the details will arrive sealed, as a new request on the dispatch board.")
        if accept
        else _("Declined. They are told, and the request stays with them."),
        back=reverse("aid:referrals", args=[community.slug]),
    )


# --- what the request pages say about a referral ------------------------------------------------


def language_of(name: str) -> str | None:
    """The site language a contact language names ("es", "Spanish", "Español"), or None."""
    wanted = name.strip().casefold()
    if not wanted:
        return None
    for code, _label in settings.LANGUAGES:
        info = LANG_INFO.get(code, {})
        if wanted in {code, str(info.get("name", "")).casefold(), str(info.get("name_local", "")).casefold()}:
            return code
    return None


def referral_context(found: AidRequest) -> dict[str, Any]:
    """The request's referral, and for a referral that went, the sentence the person is told: in
    their contact language when this node speaks it (a dispatcher reads it to someone without an
    account), and in the reader's."""
    referral = selectors.referral_of(found)
    if referral is None:
        return {"referral": None}
    out: dict[str, Any] = {"referral": referral, "referral_peer": referrals.peer_name(referral.actor)}
    went = referral.direction == AidReferral.Direction.OUT and referral.state in (
        AidReferral.State.ACCEPTED,
        AidReferral.State.COMPLETED,
    )
    if went:
        values = {"peer": out["referral_peer"]}
        out["told"] = str(referrals.PASSED_TO) % values
        theirs = language_of(found.contact_language)
        if theirs and theirs != translation.get_language():
            with translation.override(theirs):
                said = str(referrals.PASSED_TO) % values
            if said != out["told"]:  # shown twice only when the node has it in their language
                out["told_theirs"], out["told_lang"] = said, theirs
    return out
