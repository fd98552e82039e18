"""Pages for members about offers of help: list, make one, pause or withdraw it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.aid import selectors, services
from dualpower.aid.forms import OfferForm
from dualpower.aid.models import AidOffer
from dualpower.aid.views._common import (
    me_of,
)
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, NotFound
from dualpower.members.roles import membership_for
from dualpower.web.actions import attach_error, post_action, render_form
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD"])
@with_community
def offer_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "aid.view_requests", community)
    me = membership_for(request.user, community)
    offers = selectors.offers_visible(community=community, membership=me)
    names = selectors.category_names(community)
    return render(
        request,
        "aid/offers.html",
        {
            "rows": [
                {
                    "offer": selectors.offer_view(o, names=names),
                    "mine": me is not None and o.volunteer_id == me.pk,
                }
                for o in offers
            ]
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def offer_new(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "aid.add_offer", community)
    form = OfferForm(request.POST or None, categories=services.categories_for(community))
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_create(
                community=community, volunteer=me_of(request, community), **form.service_kwargs()
            )
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _("Thank you! Your offer is listed; dispatchers may ask you to help."))
            return redirect("aid:offers", community.slug)
    return render_form(request, "aid/offer_form.html", form)


@require_POST
@with_community
def offer_status(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "aid.view_requests", community)
    offer = AidOffer.objects.filter(pk=pk, community=community).first()
    if offer is None or not request.user.has_perm("aid.view_offer", offer):
        raise NotFound(_("No such offer here."))
    check(request, "aid.change_offer", offer)
    me = me_of(request, community)
    status = request.POST.get("status", "")
    return post_action(
        request,
        run=lambda: services.offer_set_status(offer=offer, status=status, by=me),
        message=_("Offer updated."),
        back=f"/c/{community.slug}/aid/offers/",
    )
