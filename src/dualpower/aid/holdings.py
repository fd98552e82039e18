"""What the aid network holds about a community, for the page "What a seizure would reveal".

Registered with ``dualpower.holdings`` on import (aid/registrations.py imports this module). Each
count is read from the tables now; the words say what is stored in plain text (anyone holding the
server and its disk reads it) and what is sealed with the aid key (``keys.AID``; crypto.py).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dualpower import holdings
from dualpower.aid.jobs import DEFAULT_RETENTION_DAYS
from dualpower.aid.models import (
    AidCategory,
    AidMatch,
    AidOffer,
    AidReferral,
    AidRequest,
    AidSettings,
    DispatcherRole,
)
from dualpower.community.models import Community

KEY_NAME = "aid"


def _retention_days(community: Community) -> int:
    chosen = AidSettings.objects.filter(community=community).values_list("retention_days", flat=True).first()
    return DEFAULT_RETENTION_DAYS if chosen is None else chosen


def describe(community: Community) -> list[holdings.Holding]:
    requests = AidRequest.objects.filter(community=community).aggregate(
        total=Count("id"),
        sealed=Count("id", filter=~Q(sealed="")),
        erased=Count("id", filter=Q(erased_at__isnull=False)),
    )
    days = _retention_days(community)
    request_table = AidRequest._meta.db_table
    return [
        holdings.Holding(
            what=_("Aid requests"),
            count=requests["total"],
            sealed_with=None,
            readable_by_server_holder=_(
                "Each request's code, category, what is needed as it was typed, neighbourhood, "
                "urgency, dates and status; which member asked (when they asked with their account) "
                "and who took it in."
            ),
            erased_when=_("Never: the listing stays for the network's statistics."),
            table=request_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Private details of aid requests (name, contact, address, health, immigration, safety)"),
            count=requests["sealed"],
            sealed_with=KEY_NAME,
            readable_by_server_holder=_("Nothing without the aid key; everything with it."),
            erased_when=ngettext(
                "%(days)d day after the request closes (%(erased)d already erased).",
                "%(days)d days after the request closes (%(erased)d already erased).",
                days,
            )
            % {"days": days, "erased": requests["erased"]},
            table=request_table,
            community_column="community_id",
            rows_where="sealed <> ''",
            sealed_columns=("sealed",),
        ),
        holdings.Holding(
            what=_("Aid offers"),
            count=AidOffer.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_(
                "Who offers what, their skills, languages, neighbourhood and when they are free."
            ),
            erased_when=_("Never: a withdrawn offer stays, marked withdrawn."),
            table=AidOffer._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Matches between requests and volunteers"),
            count=AidMatch.objects.filter(request__community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_(
                "Which volunteer took on which request, how much, when, and the feedback both sides wrote."
            ),
            erased_when=_("Never."),
            table=AidMatch._meta.db_table,
            rows_where=f"request_id IN (SELECT id FROM {request_table} WHERE community_id = {{community}})",  # noqa: S608 - table name from the model
        ),
        holdings.Holding(
            what=_("Aid dispatchers"),
            count=DispatcherRole.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("Who is a dispatcher, who chose them and when."),
            erased_when=_("When the role is taken away."),
            table=DispatcherRole._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Requests referred to or from other communities"),
            count=AidReferral.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_(
                "The other community, category, region, urgency and languages; never the person's details."
            ),
            erased_when=_("Never; the details sent to a peer leave our outbox once delivered."),
            table=AidReferral._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("The community's own aid categories"),
            count=AidCategory.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("Their names."),
            erased_when=_("Never."),
            table=AidCategory._meta.db_table,
            community_column="community_id",
        ),
    ]


holdings.register("aid", describe, title=_("Mutual aid"), order=10)
