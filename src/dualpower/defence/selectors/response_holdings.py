"""What rapid response and eviction defence hold about a community, for the page "What a seizure
would reveal" (``dualpower.holdings``): counted from the data, never written by hand."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from dualpower import holdings
from dualpower.community.models import Community
from dualpower.defence.models.response import (
    CourtDate,
    DefenceSettings,
    EvictionCase,
    Incident,
    IncidentCount,
    OnCallProfile,
    ReporterBan,
    Response,
    RightsPage,
)


def describe(community: Community) -> list[holdings.Holding]:
    settings = DefenceSettings.objects.filter(community=community).first()
    hours = (
        settings.retention_hours
        if settings
        else DefenceSettings._meta.get_field("retention_hours").get_default()
    )
    kept = ngettext_lazy(
        "%(n)d hour after the incident is closed and its follow-up opened: then only a count is left",
        "%(n)d hours after the incident is closed and its follow-up opened: then only a count is left",
        "n",
    ) % {"n": hours}
    return [
        holdings.Holding(
            what=_("Incidents not yet reduced to counts"),
            count=Incident.objects.filter(community=community).count(),
            sealed_with="aid",
            readable_by_server_holder=_(
                "the kind, the area cell, the time, the status, which member reported it and which "
                "verified it, and a hotline caller's number as a keyed hash (with the aid key, a "
                "number can be tested against it) "
                "(what was seen and the photo are sealed; the photo is deleted at verification)"
            ),
            erased_when=kept,
            table=Incident._meta.db_table,
            community_column="community_id",
            sealed_columns=("seen_sealed", "photo_sealed"),
        ),
        holdings.Holding(
            what=_("Responders alerted for those incidents"),
            count=Response.objects.filter(incident__community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("which members were alerted, with which role, and how far they came"),
            erased_when=_("with their incident"),
            table=Response._meta.db_table,
            rows_where="incident_id IN (SELECT id FROM defence_incident WHERE community_id = {community})",
        ),
        holdings.Holding(
            what=_("Counts of closed incidents"),
            count=IncidentCount.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_(
                "how many incidents of each kind happened in each area cell each week"
            ),
            erased_when=_("never: this is what is left"),
            table=IncidentCount._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("People on call (areas they reach, phone numbers)"),
            count=OnCallProfile.objects.filter(community=community).count(),
            sealed_with="aid",
            readable_by_server_holder=_(
                "which members take defence shifts and the area cells they reach (phones are sealed)"
            ),
            erased_when=_("when the member leaves or deletes their account"),
            table=OnCallProfile._meta.db_table,
            community_column="community_id",
            sealed_columns=("phone_sealed",),
        ),
        holdings.Holding(
            what=_("Eviction cases"),
            count=EvictionCase.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("household codes, landlords, case workers, status"),
            erased_when=_("not automatically: the defence working group keeps the board"),
            table=EvictionCase._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Court dates of eviction cases"),
            count=CourtDate.objects.filter(case__community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("dates, courts and outcomes of hearings, by household code"),
            erased_when=_("with their case"),
            table=CourtDate._meta.db_table,
            rows_where="case_id IN (SELECT id FROM defence_evictioncase WHERE community_id = {community})",
        ),
        holdings.Holding(
            what=_("Know-your-rights pages"),
            count=RightsPage.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_(
                "the pages (they are meant to be shared), which peer community a page came from, "
                "and whether it is shared with peers"
            ),
            erased_when=_("when the working group deletes them"),
            table=RightsPage._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Reporters banned from intake"),
            count=ReporterBan.objects.filter(community=community).count(),
            sealed_with="aid",
            readable_by_server_holder=_(
                "which members are banned, and when; a banned caller's number only as a keyed hash "
                "(with the aid key, a number can be tested against it)"
            ),
            erased_when=_("when a coordinator lifts the ban"),
            table=ReporterBan._meta.db_table,
            community_column="community_id",
        ),
    ]
