"""The page "What a seizure would reveal" (c/<slug>/defence/exposure/), and the duress password
(c/<slug>/defence/duress/).

Generated at each visit from the registrations with ``dualpower.holdings`` and the data itself:
the counts are queries, the keys' places are looked up, the database is asked what it does with an
erased row.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualpower.clean import clean_text
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.defence.forms.exposure import DuressForm
from dualpower.defence.selectors.exposure import alert_choices, duress_of, exposure_report
from dualpower.defence.services.exposure import duress_remove, duress_set
from dualpower.members.roles import membership_required, signed_in
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


@require_GET
@with_community
def exposure_page(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.view_exposure", community)
    return render(request, "defence/exposure/page.html", {"report": exposure_report(community=community)})


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@with_community
def duress_page(request: HttpRequest, community: Community) -> HttpResponse:
    """Set, change or remove one's duress password, and choose who it alerts."""
    check(request, "defence.set_duress", community)
    me = membership_required(request.user, community)
    duress = duress_of(user=request.user)
    chosen = [p.pk for p in duress.alert_to.all()] if duress is not None else []
    query = clean_text(request.GET.get("q"), field="q", label=_("Find people"), limit=80)
    if request.method == "POST":  # the whole community: a choice sent back is checked against it
        people = alert_choices(membership=me, everyone=True)
    else:
        people = alert_choices(membership=me, query=query, chosen=chosen)
    form = DuressForm(request.POST or None, people=people, initial={"alert_to": chosen})
    return form_action(
        request,
        form=form,
        run=lambda data: duress_set(
            membership=me,
            current_password=data["current_password"],
            password=data["password"],
            alert_to=list(data["alert_to"]),
        ),
        success=reverse("defence:duress", args=[community.slug]),
        message=_("Your duress password is set."),
        template="defence/exposure/duress.html",
        context={
            "duress": duress,
            "elsewhere": duress is not None and duress.community_id != community.pk,
            "query": query,
        },
    )


@require_POST
@with_community
def duress_remove_page(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.set_duress", community)
    user = signed_in(request)
    return post_action(
        request,
        run=lambda: duress_remove(user=user),
        back=reverse("defence:duress", args=[community.slug]),
        message=_("Your duress password is removed."),
    )
