from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoopsConfig(AppConfig):
    name = "dualpower.coops"
    label = "coops"
    verbose_name = _("Cooperatives")

    def ready(self) -> None:
        from dualpower.assemblies import bodies
        from dualpower.community import dashboard
        from dualpower.coops import demo, rules  # noqa: F401  (registers permissions and demo data)
        from dualpower.coops.panels import my_coops_panel
        from dualpower.web import navigation

        bodies.register("coop", voters=_coop_voters)
        dashboard.register("my-coops", my_coops_panel)
        navigation.register("coops", _("Co-ops"), "coops:list", order=60)


def _coop_voters(assembly):  # type: ignore[no-untyped-def]
    from dualpower.coops.selectors import coop_voters
    from dualpower.members.models import Membership

    coop_id = getattr(getattr(assembly, "cooperative", None), "pk", None)
    if coop_id is None:
        return Membership.objects.none()
    return coop_voters(coop_id=coop_id)
