"""The directory pages, under the Network page:

/c/<slug>/network/directory/          the network this node knows from the community's side, as a
                                      list and a map drawn here (directory_map.py)
/c/<slug>/network/directory/profile/  the community's profile (coordinators)
/c/<slug>/network/directory/lookup/   fetch the communities peers announce (coordinators)
"""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.federation import directory, directory_services
from dualpower.federation.directory_map import map_svg
from dualpower.federation.directory_selectors import directory_of
from dualpower.federation.forms_directory import DirectoryProfileForm
from dualpower.formatting import format_number
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


@require_GET
@with_community
def directory_page(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "federation.view_network", community)
    found = directory_of(community=community)
    points = found.points
    svg = map_svg(
        points,
        title=_("Map of the communities in this list that give a point"),
        description=_(
            "%(n)s communities on a latitude and longitude grid; each point leads to its entry in the list "
            "below, which says everything the map shows."
        )
        % {"n": len(points)},
    )
    context = {
        "directory": found,
        "map": svg,
        "may_edit": request.user.has_perm("federation.edit_profile", community),
    }
    return render(request, "federation/directory.html", context)


def _typed(degrees: Decimal | None) -> str:
    return "" if degrees is None else format_number(degrees, grouping=False)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def profile_edit(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "federation.edit_profile", community)
    profile = directory.profile_of(community)
    initial = {}
    if profile is not None:
        initial = {
            "listed": profile.listed,
            "region": profile.region,
            # Written as the reader types numbers ("32,3" in Spanish), so that saving again reads it.
            "latitude": _typed(profile.latitude),
            "longitude": _typed(profile.longitude),
            "languages": profile.languages,
        }
    me = membership_for(request.user, community)
    return form_action(
        request,
        form=DirectoryProfileForm(request.POST or None, initial=initial),
        run=lambda data: directory_services.profile_save(community=community, by=me, **data),
        success=reverse("federation:directory", args=[community.slug]),
        message=_(
            "The directory profile was saved and sent to the communities that follow or peer with this one."
        ),
        template="federation/directory_profile.html",
        context={"profile": profile},
    )


@require_POST
@with_community
def lookup(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "federation.edit_profile", community)

    def message(counts: tuple[int, int]) -> str:
        found, failed = counts
        return _("Looked up: %(found)s found, %(failed)s could not be reached.") % {
            "found": found,
            "failed": failed,
        }

    return post_action(
        request,
        run=lambda: directory_services.announced_lookup(community=community),
        back=reverse("federation:directory", args=[community.slug]),
        message=message,
    )
