"""What care circles hold about a community, for the page "What a seizure would reveal".

Registered with ``dualpower.holdings`` from the circles section of care/registrations.py. Counts
are read from the tables now; the words say what is plain (anyone holding the server and its disk
reads it) and what is sealed with the aid key (``keys.AID``; services/circles_seal.py).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualpower import holdings
from dualpower.care.models.circles import CareSettings, Circle, CircleTally, Helper, Need, Note
from dualpower.care.services.circles_erase import DEFAULT_RETENTION_DAYS
from dualpower.community.models import Community

KEY_NAME = "aid"


def describe(community: Community) -> list[holdings.Holding]:
    circles = Circle.objects.filter(community=community)
    in_circles = f"circle_id IN (SELECT id FROM {Circle._meta.db_table} WHERE community_id = {{community}})"  # noqa: S608 - a table name from the model
    chosen = CareSettings.objects.filter(community=community).values_list("retention_days", flat=True).first()
    days = DEFAULT_RETENTION_DAYS if chosen is None else chosen
    erased_when = _("When the circle has been closed for the community's retention (%(days)s days).") % {
        "days": days
    }
    return [
        holdings.Holding(
            what=_("Care circles"),
            count=circles.count(),
            sealed_with=None,
            readable_by_server_holder=_(
                "Each circle's title, what it is for, when it opened and closed; which member it is for "
                "(or the code standing for someone without an account) and who runs it."
            ),
            erased_when=erased_when,
            table=Circle._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Care circle helpers"),
            count=Helper.objects.filter(circle__community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("Who is in each circle's pod, and whether they may read its notes."),
            erased_when=erased_when,
            table=Helper._meta.db_table,
            rows_where=in_circles,
        ),
        holdings.Holding(
            what=_("Needs on care circles' help calendars"),
            count=Need.objects.filter(circle__community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("Each need's kind, time and short description, and who took it."),
            erased_when=erased_when,
            table=Need._meta.db_table,
            rows_where=in_circles,
        ),
        holdings.Holding(
            what=_("Details of care circle needs (an address, a door code)"),
            count=Need.objects.filter(circle__community=community).filter(~Q(sealed_details="")).count(),
            sealed_with=KEY_NAME,
            readable_by_server_holder=_("Nothing without the aid key; everything with it."),
            erased_when=erased_when,
            table=Need._meta.db_table,
            rows_where=in_circles + " AND sealed_details <> ''",
            sealed_columns=("sealed_details",),
        ),
        holdings.Holding(
            what=_("Private notes of care circles"),
            count=Note.objects.filter(circle__community=community).count(),
            sealed_with=KEY_NAME,
            readable_by_server_holder=_("Nothing without the aid key but who wrote each note and when."),
            erased_when=erased_when,
            table=Note._meta.db_table,
            rows_where=in_circles,
            sealed_columns=("sealed_body",),
        ),
        holdings.Holding(
            what=_("Counts of erased care circles"),
            count=CircleTally.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("By week and kind: how many circles, helpers, needs and needs met."),
            erased_when=_("Never: they are counts, naming nobody."),
            table=CircleTally._meta.db_table,
            community_column="community_id",
        ),
    ]
