"""Everything the co-ops app registers with the rest of dualpower, in one place (imported by
``CoopsConfig.ready()`` and nothing else): the "coop" kind of assembly body, the dashboard
widget, the menu entry, the demo loader, and the permissions (rules.py registers them when
imported)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly
from dualpower.community import dashboard
from dualpower.community.models import Community
from dualpower.coops import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.coops import demo, selectors, widgets
from dualpower.coops import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.coops.models import Cooperative
from dualpower.demo import register as register_demo
from dualpower.federation.directory import register_profile_part
from dualpower.members.models import Membership
from dualpower.members.selectors import members_of
from dualpower.web import navigation


def _coop_voters(assembly: Assembly) -> QuerySet[Membership]:
    """A co-op's assembly votes with the co-op's current members."""
    coop = Cooperative.objects.filter(assembly=assembly).first()
    if coop is None:
        return members_of(community=assembly.community).none()
    return selectors.coop_voters(coop=coop)


bodies.register("coop", voters=_coop_voters)
dashboard.register("my-coops", widgets.my_coops_panel)
navigation.register("coops", _("Co-ops"), "coops:list", order=62, group="economy")
register_demo(demo.load_coops)


def _coop_names(community: Community) -> list[str]:
    """What a listed community's directory profile says of its co-ops: the names of those not
    dissolved (federation/directory.py publishes them as ``dp:coops``)."""
    coops = selectors.coops_of(community=community).exclude(status=Cooperative.Status.DISSOLVED)
    return list(coops.order_by("name").values_list("name", flat=True))


register_profile_part("coops", _coop_names)
